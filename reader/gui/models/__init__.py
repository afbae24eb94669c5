"""Qt item models: thin adapters over the core's Library (they never filter or sort rows)."""

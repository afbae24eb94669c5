"""The Qt window: a thin layer over `reader.core` (everything here may import PySide6)."""

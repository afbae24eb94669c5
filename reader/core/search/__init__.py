"""Full-text search: the token scheme (exact for Chinese of any length), the query language,
the FTS5 index and building it in worker processes."""

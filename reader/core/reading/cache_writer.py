"""Writing the rows a load parses to the cache, in a few large transactions.

A first load writes as it goes (every `FLUSH_ROWS` rows or `FLUSH_SECONDS`), so that a load that
is cancelled or killed resumes where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from reader.core.post import Post, Problem
from reader.core.storage.cache import Fingerprint, FolderCache, Row
from reader.core.table import PostTable

__all__ = ["FLUSH_ROWS", "CacheWriter"]

# Write parsed rows to the cache at least this often, so an interrupted first load resumes.
FLUSH_ROWS = 10_000
FLUSH_SECONDS = 2.0


class CacheWriter:
    """Collects rows and writes them in a few large transactions."""

    def __init__(self, cache: FolderCache, fingerprint: Fingerprint) -> None:
        self.cache = cache
        self.fingerprint = fingerprint
        self.rows: list[Row] = []
        # The records of the post rows, in order, while every batch came with them (then the
        # cache need not decode the rows again); None once one did not.
        self.posts: PostTable | None = PostTable()
        self.removed: list[str] = []
        self.scan_problems: list[Problem] | None = None
        self.written = 0
        self._last = time.monotonic()

    def add(self, rows: Sequence[Row], posts: Sequence[Post] | None = None) -> None:
        self.rows.extend(rows)
        if posts is None or self.posts is None:
            self.posts = None
        else:
            self.posts.extend(posts)
        now = time.monotonic()
        if len(self.rows) >= FLUSH_ROWS or now - self._last >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.rows or self.removed or self.scan_problems is not None:
            self.cache.apply(
                self.fingerprint, self.rows, self.removed, self.scan_problems, self.posts
            )
            self.written += len(self.rows)
        self.rows, self.posts, self.removed, self.scan_problems = [], PostTable(), [], None
        self._last = time.monotonic()

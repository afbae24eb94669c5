"""Post numbers by path, without a string per path.

A `{path: number}` dict of 100,000 posts is about 13 MB: a string object per path (the
library's table keeps its paths as bytes, `reader.core.table`) and a dict entry. A `PathIndex`
keeps each path's hash and number in two sorted arrays, 12 bytes a post; a lookup bisects the
hashes and compares the path of each post with that hash. Paths added later (a load's batches,
a refresh) wait in a small dict until they are as many as the sorted ones, then are merged in.
As a dict built from the posts in order, a path held twice gives its last post.
"""

from __future__ import annotations

import bisect
from array import array

from reader.core.table import PostTable

_MERGE_AT = 4096  # paths waiting before a merge is considered


class PathIndex:
    """What `{post.path: i for i, post in enumerate(table)}` answers (see the module's text)."""

    __slots__ = ("_extra", "_hashes", "_rows", "_table")

    def __init__(self, table: PostTable, paths: list[str] | None = None) -> None:
        """`paths`: the table's paths, when the caller has them already."""
        self._table = table
        self._extra: dict[str, int] = {}
        path = table.path
        hashes = array(
            "q",
            map(hash, paths) if paths is not None else (hash(path(i)) for i in range(len(table))),
        )
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("q", map(hashes.__getitem__, order))
        self._rows = array("i", order)

    def get(self, path: str, default: int | None = None) -> int | None:
        row = self._extra.get(path)
        if row is not None:
            return row
        h = hash(path)
        hashes = self._hashes
        k = bisect.bisect_left(hashes, h)
        found = None
        while k < len(hashes) and hashes[k] == h:
            candidate = self._rows[k]
            if self._table.path(candidate) == path and (found is None or candidate > found):
                found = candidate
            k += 1
        return default if found is None else found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None

    def __getitem__(self, path: str) -> int:
        row = self.get(path)
        if row is None:
            raise KeyError(path)
        return row

    def __setitem__(self, path: str, row: int) -> None:
        """`path` is post `row` of the table (a post added after the index was built)."""
        self._extra[path] = row
        if len(self._extra) > max(_MERGE_AT, len(self._rows)):
            self._merge()

    def __len__(self) -> int:
        return len(self._rows) + len(self._extra)

    def _merge(self) -> None:
        # Two sorted runs: the sort merges them in one linear pass (in C).
        extra = sorted((hash(p), row) for p, row in self._extra.items())
        hashes = self._hashes + array("q", (h for h, _row in extra))
        rows = self._rows + array("i", (row for _h, row in extra))
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("q", map(hashes.__getitem__, order))
        self._rows = array("i", map(rows.__getitem__, order))
        self._extra = {}

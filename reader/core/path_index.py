"""Post numbers by path, without a string per path.

A `{path: number}` dict of 100,000 posts is about 13 MB: a string object per path (the
library's table keeps its paths as bytes, `reader.core.table`) and a dict entry. A `PathIndex`
keeps each path's hash and number in sorted arrays, 12 bytes a post; a lookup bisects the
hashes and compares the path of each post with that hash. Paths added later (a load's batches,
a refresh) wait in a small dict, then become a sorted level of their own; levels of the same
size are merged while the result stays under `_LEVEL_CAP`, so no merge holds the window's
thread for long (a merge of 100,000 took 60 ms) and a cold load of a million posts ends with a
few dozen levels to bisect. As a dict built from the posts in order, a path held twice gives its
last post.
"""

from __future__ import annotations

import bisect
from array import array

from reader.core.table import PostTable

_MERGE_AT = 4096  # paths waiting before they become a level
_LEVEL_CAP = 32768  # no merge makes a level larger than this


class PathIndex:
    """What `{post.path: i for i, post in enumerate(table)}` answers (see the module's text)."""

    __slots__ = ("_extra", "_levels", "_table")

    def __init__(self, table: PostTable, paths: list[str] | None = None) -> None:
        """`paths`: the table's paths, when the caller has them already."""
        self._table = table
        self._extra: dict[str, int] = {}
        path = table.path
        hashes = array(
            "q",
            map(hash, paths) if paths is not None else (hash(path(i)) for i in range(len(table))),
        )
        self._levels: list[tuple[array[int], array[int]]] = []
        if hashes:
            self._levels.append(_sorted_level(hashes, array("i", range(len(hashes)))))

    def get(self, path: str, default: int | None = None) -> int | None:
        row = self._extra.get(path)
        if row is not None:
            return row
        h = hash(path)
        table_path = self._table.path
        # Newest level first: later posts have larger numbers, and the last one wins.
        for hashes, rows in reversed(self._levels):
            k = bisect.bisect_left(hashes, h)
            found = None
            while k < len(hashes) and hashes[k] == h:
                candidate = rows[k]
                if table_path(candidate) == path and (found is None or candidate > found):
                    found = candidate
                k += 1
            if found is not None:
                return found
        return default

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None

    def __getitem__(self, path: str) -> int:
        row = self.get(path)
        if row is None:
            raise KeyError(path)
        return row

    def __setitem__(self, path: str, row: int) -> None:
        """`path` is post `row` of the table (a post added after the index was built, with a
        number larger than every post's before it)."""
        self._extra[path] = row
        if len(self._extra) >= _MERGE_AT:
            self._flush()

    def __len__(self) -> int:
        return sum(len(rows) for _hashes, rows in self._levels) + len(self._extra)

    def _flush(self) -> None:
        extra, self._extra = self._extra, {}
        self._levels.append(_sorted_level(array("q", map(hash, extra)), array("i", extra.values())))
        levels = self._levels
        while len(levels) > 1 and len(levels[-2][0]) <= len(levels[-1][0]) * 2:
            if len(levels[-2][0]) + len(levels[-1][0]) > _LEVEL_CAP:
                break
            (h1, r1), (h2, r2) = levels.pop(-2), levels.pop()
            # Two sorted runs: the sort merges them in one linear pass (in C).
            levels.append(_sorted_level(h1 + h2, r1 + r2))


def _sorted_level(hashes: array[int], rows: array[int]) -> tuple[array[int], array[int]]:
    order = sorted(range(len(hashes)), key=hashes.__getitem__)
    return array("q", map(hashes.__getitem__, order)), array("i", map(rows.__getitem__, order))

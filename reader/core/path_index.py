"""Post numbers by path, without a string per path.

A `{path: number}` dict of 100,000 posts is about 13 MB: a string object per path (the
library's table keeps its paths as bytes, `reader.core.table`) and a dict entry. A `PathIndex`
is a hash table in two arrays, each path's hash and its post's number, 12 bytes a slot at most
two slots in three used; a lookup compares hashes and, when one matches, the post's path.
It is built by a loop in Python on the loader's thread, which lets the window's thread run
every few milliseconds (a sort of a million hashes was one C call that held the interpreter
lock, and the window, for a second). Posts added later (a cold load's batches, a refresh) go
into a plain dict beside it: growing the table would be a Python loop on the window's thread.
As a dict built from the posts in order, a path held twice gives its last post.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable

from reader.core.table import PostTable

_EMPTY = -1
REMOVED = -2  # the slot of a post removed since (`renumber`): taken, matching nothing
_FIRST_SIZE = 1024


class PathIndex:
    """What `{post.path: i for i, post in enumerate(table)}` answers (see the module's text)."""

    __slots__ = ("_count", "_extra", "_hashes", "_mask", "_rows", "_table", "doubled")

    def __init__(self, table: PostTable, paths: list[str] | None = None) -> None:
        """`paths`: the table's paths, when the caller has them already."""
        self._table = table
        self._count = 0
        # Whether some path was given twice (then `rows_of` gives only each one's last post).
        self.doubled = False
        self._extra: dict[str, int] = {}
        self._alloc(len(table))
        path = table.path
        every: Iterable[str] = paths if paths is not None else map(path, range(len(table)))
        for row, p in enumerate(every):
            self._put(hash(p), row, p)

    def _alloc(self, count: int) -> None:
        size = _FIRST_SIZE
        while size * 2 < count * 3:
            size *= 2
        self._mask = size - 1
        self._hashes = array("q", bytes(8 * size))
        self._rows = array("i", [_EMPTY]) * size

    def _put(self, h: int, row: int, path: str) -> None:
        hashes, rows, mask = self._hashes, self._rows, self._mask
        at = h & mask
        while True:
            there = rows[at]
            if there == _EMPTY:
                hashes[at], rows[at] = h, row
                self._count += 1
                return
            if there >= 0 and hashes[at] == h and self._table.path(there) == path:
                rows[at] = max(there, row)  # the last post of that path
                self.doubled = True
                return
            at = (at + 1) & mask

    def get(self, path: str, default: int | None = None) -> int | None:
        row = self._extra.get(path)
        if row is not None:
            return row
        h = hash(path)
        hashes, rows, mask = self._hashes, self._rows, self._mask
        at = h & mask
        while (there := rows[at]) != _EMPTY:  # below: a removed post's slot matches nothing
            if there >= 0 and hashes[at] == h and self._table.path(there) == path:
                return there
            at = (at + 1) & mask
        return default

    def rows_of(self, paths: Iterable[str]) -> set[int]:
        """The post numbers of those of `paths` there are."""
        get = self.get
        return {row for row in map(get, paths) if row is not None}

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None

    def __getitem__(self, path: str) -> int:
        row = self.get(path)
        if row is None:
            raise KeyError(path)
        return row

    def __setitem__(self, path: str, row: int) -> None:
        """`path` is post `row` of the table (a post added after the index was built)."""
        if not self.doubled and self.get(path) is not None:
            self.doubled = True
        self._extra[path] = row

    def extend(self, table: PostTable, start: int) -> None:
        """Posts `start:` of `table` (this index's, grown) were added after it was built:
        `self[path] = row` for each, checked for paths given twice as a whole (a cold load's
        batch of 4,000 posts took 25 ms of the window's thread a path at a time)."""
        end = len(table)
        paths = list(map(table.path, range(start, end)))
        extra = self._extra
        if not self.doubled and (
            len(set(paths)) < len(paths)
            or not extra.keys().isdisjoint(paths)
            or self._holds_any(paths)
        ):
            self.doubled = True
        extra.update(zip(paths, range(start, end), strict=True))

    def _holds_any(self, paths: list[str]) -> bool:
        """Whether the hashed part holds one of `paths` (a path whose first slot is empty is
        not there: most of them, in a table two thirds full at most)."""
        rows, mask = self._rows, self._mask
        for path in paths:
            if rows[hash(path) & mask] != _EMPTY and self.get(path) is not None:
                return True
        return False

    def __len__(self) -> int:
        return self._count + len(self._extra)

    def renumber(
        self, new: array[int], table: PostTable, remap: Callable[[array[int]], array[int]]
    ) -> None:
        """The posts are now `table`'s: post k became `new[k]` (`index_shrink.new_numbers`;
        negative when it was removed, which leaves its slot taken but matching nothing).
        `remap(numbers)`: those numbers so renumbered, -1 and the removed kept."""
        self._table = table
        self._rows = rows = remap(self._rows)
        self._count = len(rows) - rows.count(_EMPTY) - rows.count(REMOVED)
        self._extra = {p: new[r] for p, r in self._extra.items() if new[r] >= 0}

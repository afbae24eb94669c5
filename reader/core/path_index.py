"""Post numbers by path, without a string per path.

A `{path: number}` dict of 100,000 posts is about 13 MB: a string object per path (the
library's table keeps its paths as bytes, `reader.core.table`) and a dict entry. A `PathIndex`
is a hash table in two arrays, each path's hash and its post's number, 12 bytes a slot at most
two slots in three used; a lookup compares hashes and, when one matches, the post's path.
It is built by a loop in Python on the loader's thread, which lets the window's thread run
every few milliseconds (a sort of a million hashes was one C call that held the interpreter
lock, and the window, for a second). Posts added later go beside it, where growing the table
would be a Python loop on the window's thread: a batch (`extend`: a cold load's, 4,000 posts)
as sorted numpy arrays of hashes and post numbers, merged in with one `np.insert` (12 bytes a
post; as a dict of path strings a cold load's 100,000 posts held 15 MB, a million 155 MB), a
single post (`index[path] = row`: a refresh) in a plain dict. As a dict built from the posts in
order, a path held twice gives its last post.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reader.core.table import PostTable

_EMPTY = -1
REMOVED = -2  # the slot of a post removed since (`renumber`): taken, matching nothing
_FIRST_SIZE = 1024
_NONE: Any = ()  # no batch added since the build (never searched: empty)
_PAUSE_EVERY = 32_768  # paths hashed between two calls of the build's `pause`


class PathIndex:
    """What `{post.path: i for i, post in enumerate(table)}` answers (see the module's text)."""

    __slots__ = (
        "_count",
        "_extra",
        "_grown",
        "_hashes",
        "_mask",
        "_rows",
        "_table",
        "doubled",
    )

    def __init__(
        self,
        table: PostTable,
        paths: list[str] | None = None,
        pause: Callable[[], object] | None = None,
    ) -> None:
        """`paths`: the table's paths, when the caller has them already. `pause()` is called
        every 32,768 paths: a background thread's `give_way` (a million paths take 1.7 s)."""
        self._table = table
        self._count = 0
        # Whether some path was given twice (then `rows_of` gives only each one's last post).
        self.doubled = False
        self._extra: dict[str, int] = {}
        # The batches added since (`extend`): their hashes sorted, and each one's post number,
        # as one pair replaced in one assignment (another thread may be reading it: a search's
        # answer is looked up on its reading thread, related posts on theirs).
        self._grown: tuple[Any, Any] | None = None
        self._alloc(len(table))
        path, put, n = table.path, self._put, len(table)
        for start in range(0, n, _PAUSE_EVERY):
            end = min(start + _PAUSE_EVERY, n)
            some = paths[start:end] if paths is not None else map(path, range(start, end))
            for row, p in enumerate(some, start):
                put(hash(p), row, p)
            if pause is not None and end < n:
                pause()

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
        # The table first: another thread may renumber this meanwhile (`renumber`) and then add
        # posts beyond its end: a number is read in the table taken here, when it has one.
        table = self._table
        found = -1  # posts added later have greater numbers: the last one wins
        if self._extra:
            row = self._extra.get(path)
            if row is not None:
                if not self.doubled:
                    return row
                found = row
        if self._grown is not None:
            found = max(found, self._grown_get(path, hash(path), table))
            if found >= 0:
                return found
        elif found >= 0:
            return found
        h = hash(path)
        hashes, rows, mask = self._hashes, self._rows, self._mask
        at = h & mask
        while (there := rows[at]) != _EMPTY:  # below: a removed post's slot matches nothing
            if there >= 0 and hashes[at] == h and there < len(table) and table.path(there) == path:
                return there
            at = (at + 1) & mask
        return default

    def _grown_get(self, path: str, h: int, table: PostTable) -> int:
        """The (last) post of `path` among the batches added, or -1 (`table`: see `get`)."""
        grown = self._grown  # (never None again once set)
        if grown is None:
            return -1
        keys, rows = grown
        at, end = int(keys.searchsorted(h)), len(keys)
        found = -1
        while at < end and keys[at] == h:
            row = int(rows[at])
            if row > found and row < len(table) and table.path(row) == path:
                if not self.doubled:
                    return row
                found = row
            at += 1
        return found

    def rows_of(self, paths: Iterable[str]) -> set[int]:
        """The post numbers of those of `paths` there are."""
        return set(self.rows_in_order(list(paths)))

    def rows_in_order(self, paths: Sequence[str]) -> array[int]:
        """`[self[p] for p in paths if p in self]`, looked up together (see `rows_at`)."""
        return array("i", [row for row in self.rows_at(paths) if row >= 0])

    def rows_at(self, paths: Sequence[str]) -> array[int]:
        """`[self.get(p, -1) for p in paths]`, looked up together: the hashes probed by
        numpy, then each hit's path compared (a search's 100,000 paths: 1 s one `get` at a
        time, most of it in Python's calls). A path in a batch added since, or whose hash is
        another's, is asked with `get`; one set since (`index[path] = row`) is taken from
        there, as `get` does. (A path given twice holds one slot, its last post's.)"""
        import numpy as np

        n = len(paths)
        if not n:
            return array("i")
        table = self._table  # first, as in `get`
        hashes = np.fromiter(map(hash, paths), np.int64, n)
        found = np.full(n, _EMPTY, np.int64)
        table_hashes = np.frombuffer(self._hashes, np.int64)
        table_rows = np.frombuffer(self._rows, f"i{self._rows.itemsize}")
        pending = np.arange(n)
        at = hashes & self._mask
        while len(pending):  # linear probing, every path a step at a time
            there = table_rows[at]
            hit = (there >= 0) & (table_hashes[at] == hashes[pending])
            found[pending[hit]] = there[hit]
            going = ~hit & (there != _EMPTY)
            pending, at = pending[going], (at[going] + 1) & self._mask
        del table_hashes, table_rows  # views: let go before the arrays may change
        slow = np.zeros(n, np.bool_)
        keys = self._grown[0] if self._grown is not None else _NONE
        if len(keys):
            where = keys.searchsorted(hashes).clip(max=len(keys) - 1)
            slow |= keys[where] == hashes  # in a batch added since (maybe twice): asked
        out = found.tolist()
        sure = np.zeros(n, np.bool_)
        if self._extra:  # set since the build (a refresh's posts): theirs, as `get` answers
            extra = self._extra.get
            for k, row in enumerate(map(extra, paths)):
                if row is not None:
                    out[k], sure[k] = row, True
        has_path, size = table.has_path, len(table)
        for k in np.flatnonzero(~slow & ~sure & (found >= 0)).tolist():
            row = out[k]
            if row >= size or not has_path(row, paths[k]):  # only its hash: asked the exact way
                slow[k] = True
        for k in np.flatnonzero(slow).tolist():
            row = self.get(paths[k])
            out[k] = -1 if row is None else row
        return array("i", [row if row >= 0 else -1 for row in out])

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
        batch of 4,000 posts took 25 ms of the window's thread a path at a time), kept as
        sorted hashes and numbers (see the module's text)."""
        import numpy as np

        end = len(table)
        if end <= start:
            return
        paths = list(map(table.path, range(start, end)))
        hashes = np.fromiter(map(hash, paths), np.int64, len(paths))
        if not self.doubled and (
            len(set(paths)) < len(paths)
            or not self._extra.keys().isdisjoint(paths)
            or self._grown_holds_any(paths, hashes)
            or self._holds_any(paths)
        ):
            self.doubled = True
        order = np.argsort(hashes, kind="stable")  # a path twice: its posts in order
        keys = hashes[order]
        rows = (order + start).astype(np.int32)
        if self._grown is None:
            self._grown = keys, rows
        else:
            old_keys, old_rows = self._grown
            at = old_keys.searchsorted(keys, side="right")
            self._grown = np.insert(old_keys, at, keys), np.insert(old_rows, at, rows)

    def _grown_holds_any(self, paths: list[str], hashes: Any) -> bool:
        """Whether a batch added before holds one of `paths` (their `hashes`)."""
        keys = self._grown[0] if self._grown is not None else _NONE
        if not len(keys):
            return False
        at = keys.searchsorted(hashes).clip(max=len(keys) - 1)
        for n in (keys[at] == hashes).nonzero()[0].tolist():
            if self._grown_get(paths[n], int(hashes[n]), self._table) >= 0:
                return True
        return False

    def _holds_any(self, paths: list[str]) -> bool:
        """Whether the hashed part holds one of `paths` (a path whose first slot is empty is
        not there: most of them, in a table two thirds full at most)."""
        rows, mask = self._rows, self._mask
        for path in paths:
            if rows[hash(path) & mask] != _EMPTY and self.get(path) is not None:
                return True
        return False

    def __len__(self) -> int:
        """The posts it was built with, and the paths added since (each once)."""
        rows = self._grown[1] if self._grown is not None else None
        if rows is None:
            return self._count + len(self._extra)
        if not self.doubled:
            return self._count + len(self._extra) + len(rows)
        path = self._table.path
        return self._count + len(set(self._extra).union(map(path, rows.tolist())))

    def renumber(
        self, new: array[int], table: PostTable, remap: Callable[[array[int]], array[int]]
    ) -> None:
        """The posts are now `table`'s: post k became `new[k]` (`index_shrink.new_numbers`;
        negative when it was removed, which leaves its slot taken but matching nothing).
        `remap(numbers)`: those numbers so renumbered, -1 and the removed kept. Each part is
        replaced whole and the table last (a thread reading meanwhile, `get`, reads a number
        in the table it took first, and only one that table has)."""
        self._rows = rows = remap(self._rows)
        self._count = len(rows) - rows.count(_EMPTY) - rows.count(REMOVED)
        self._extra = {p: new[r] for p, r in self._extra.items() if new[r] >= 0}
        if self._grown is not None:
            import numpy as np

            keys, rows = self._grown
            numbers = np.array(new, dtype=np.int64)[rows]
            kept = numbers >= 0
            self._grown = keys[kept], numbers[kept].astype(np.int32)
        self._table = table

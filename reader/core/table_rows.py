"""Some posts of a `PostTable`, by number (`TableRows`, `PostsByPath`), and what a table
holds in bytes (`kept_bytes`)."""

from __future__ import annotations

import bisect
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, overload

from reader.core.post import Post
from reader.core.table import NO_DATE, POST_ARRAYS, PostTable, columns_of


class TableRows(Sequence[Post]):
    """Some posts of a table, by number, each built when asked for (a long job over many
    posts holds its numbers, 4 bytes each, not the posts)."""

    __slots__ = ("_rows", "_table")

    def __init__(self, table: PostTable, rows: Iterable[int]) -> None:
        self._table = table
        self._rows = _int_array(rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, k: int) -> Post: ...

    @overload
    def __getitem__(self, k: slice) -> list[Post]: ...

    def __getitem__(self, k: int | slice) -> Post | list[Post]:
        if isinstance(k, slice):
            return [self._table[i] for i in self._rows[k]]
        return self._table[self._rows[k]]

    def paths(self, start: int = 0, stop: int | None = None) -> list[str]:
        """The paths of posts `start` to `stop` of these (all by default)."""
        path = self._table.path
        return [path(i) for i in self._rows[start:stop]]

    def stamps(self, undated: float, start: int = 0, stop: int | None = None) -> list[float]:
        """The timestamps of posts `start` to `stop` of these, `undated` for a post without."""
        stamp = self._table.stamp
        return [undated if (s := stamp(i)) == NO_DATE else s for i in self._rows[start:stop]]

    def reordered(self, order: Iterable[int]) -> TableRows:
        """These posts in `order` (positions in this sequence)."""
        return TableRows(self._table, map(self._rows.__getitem__, order))


_STEP = 65_536  # posts between two questions of `PostsByPath`'s `cancelled`
FileStats = tuple[str, "datetime | None", int, int]  # a post's path, date, size, mtime_ns


def _int_array(rows: Iterable[int]) -> array[int]:
    """`array("i", rows)`; a long range by numpy: `array("i", range(1_000_000))` is one call
    of 0.1 s that holds the interpreter lock (and with it the window)."""
    if isinstance(rows, range) and rows.step == 1 and len(rows) > _STEP:
        import numpy as np

        return array("i", np.arange(rows.start, rows.stop, dtype=np.int32).tobytes())
    return array("i", rows)


class PostsByPath(Mapping[str, Post]):
    """`{post.path: post}` of some posts of a table, each post built when asked for: a job
    that looks posts up by path (the duplicate finder's first pass over a cold folder) holds
    their paths, not 100,000 posts."""

    def __init__(self, rows: TableRows, cancelled: Callable[[], bool] | None = None) -> None:
        """`cancelled()` is asked every 65,536 posts (a million took 1.5 s): when it says yes,
        the rest are left out and `complete` is False."""
        self._rows = rows
        self._at: dict[str, int] = {}
        self.complete = True
        n = len(rows)
        for start in range(0, n, _STEP):
            stop = min(start + _STEP, n)
            self._at.update(zip(rows.paths(start, stop), range(start, stop), strict=True))
            if stop < n and cancelled is not None and cancelled():
                self.complete = False
                return

    def __getitem__(self, path: str) -> Post:
        return self._rows[self._at[path]]

    def file_stats(self, path: str) -> FileStats | None:
        """`path`'s post's (path, date, size, mtime_ns) from the table's columns, building no
        post (a first pass over a million stored fingerprints built a million: 3 s)."""
        k = self._at.get(path)
        if k is None:
            return None
        table, i = self._rows._table, self._rows._rows[k]
        return (path, table.date(i), *table.file_stats(i))

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, path: object) -> bool:
        return path in self._at


def kept_bytes(table: PostTable) -> int:
    """What the columns of `table` hold, in bytes (for the benchmark and the tests)."""
    c, _n = columns_of(table)
    arrays: list[Sequence[Any]] = [
        c.start, c.plen, c.tlen, c.slug_at, c.slen, c.wall, c.zone, c.stamp, c.cats, c.tags,
        c.warns, c.flags, c.size, c.mtime,
    ]  # fmt: skip
    total = len(c.text) + sum(sys.getsizeof(a) for a in arrays)
    total += sum(sys.getsizeof(t) for t in c.tuples)
    for extra in (c.excerpt, c.permalink):
        total += sys.getsizeof(extra) + sum(sys.getsizeof(v) for v in extra.values())
    return total


_AFTER_START = tuple(name for name in POST_ARRAYS if name != "start")


def without_rows(table: PostTable, rows: Iterable[int]) -> PostTable:
    """A new table of `table`'s posts but those numbered `rows`, in the same order, copied
    column by column between the rows dropped: slices copied in C, no post built (building
    every post again to drop one took 13 s at a million posts, on the window's thread).

    The text of every post is not copied: the new table shares `table`'s buffer, where bytes
    are only ever appended and each post keeps its own offsets, so those of the posts dropped
    stay there unread. A copy was half the table (78 MB at a million posts) held twice while a
    reopen of a changed folder removed its changed posts. When most posts go (a subfolder
    deleted), the text of those kept is copied instead, leaving the rest behind."""
    c, n = columns_of(table)
    drop = sorted({r for r in rows if 0 <= r < n})
    o = columns_of(PostTable())[0]
    shared = 2 * len(drop) <= n
    if shared:
        o.text = c.text
    # The same zone and tuple numbers: those columns are copied as they are.
    o.zones, o.epochs, o.zone_ids = list(c.zones), list(c.epochs), dict(c.zone_ids)
    o.tuples, o.tuple_ids = list(c.tuples), dict(c.tuple_ids)
    segments: list[tuple[int, int]] = []
    prev = 0
    for r in [*drop, n]:
        if r > prev:
            segments.append((prev, r))
        prev = r + 1
    for a, b in segments:
        if shared:  # each post's offsets into the shared text as they are
            o.start.extend(c.start[a:b])
        else:  # the text of these posts copied, their offsets moved with it
            first = c.start[a]
            end = c.start[b] if b < len(c.start) else len(c.text)
            shift = len(o.text) - first
            o.text += c.text[first:end]
            o.start.extend(map(shift.__add__, c.start[a:b]))
        for name in _AFTER_START:
            getattr(o, name).extend(getattr(c, name)[a:b])

    def kept(k: int) -> bool:
        at = bisect.bisect_left(drop, k)
        return k < n and not (at < len(drop) and drop[at] == k)

    def renumbered(k: int) -> int:
        return k - bisect.bisect_left(drop, k)

    o.excerpt = {renumbered(k): v for k, v in c.excerpt.items() if kept(k)}
    o.permalink = {renumbered(k): v for k, v in c.permalink.items() if kept(k)}
    o.odd = {renumbered(k): v for k, v in c.odd.items() if kept(k)}
    return PostTable.of_columns(o, n - len(drop))

"""Some posts of a `PostTable`, by number (`TableRows`, `PostsByPath`), and what a table
holds in bytes (`kept_bytes`)."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from reader.core.post import Post
from reader.core.table import NO_DATE, PostTable, columns_of


class TableRows(Sequence[Post]):
    """Some posts of a table, by number, each built when asked for (a long job over many
    posts holds its numbers, 4 bytes each, not the posts)."""

    __slots__ = ("_rows", "_table")

    def __init__(self, table: PostTable, rows: Iterable[int]) -> None:
        self._table = table
        self._rows = array("i", rows)

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


class PostsByPath(Mapping[str, Post]):
    """`{post.path: post}` of some posts of a table, each post built when asked for: a job
    that looks posts up by path (the duplicate finder's first pass over a cold folder) holds
    their paths, not 100,000 posts."""

    def __init__(self, rows: TableRows) -> None:
        self._rows = rows
        self._at = {path: k for k, path in enumerate(rows.paths())}

    def __getitem__(self, path: str) -> Post:
        return self._rows[self._at[path]]

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

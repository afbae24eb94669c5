"""Some posts of a `PostTable`, by number (see `TableRows`)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import overload

from reader.core.post import Post
from reader.core.table import NO_DATE, PostTable


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

    def paths(self) -> list[str]:
        return [self._table.path(i) for i in self._rows]

    def stamps(self, undated: float) -> list[float]:
        stamp = self._table.stamp
        return [undated if (s := stamp(i)) == NO_DATE else s for i in self._rows]

    def reordered(self, order: Iterable[int]) -> TableRows:
        """These posts in `order` (positions in this sequence)."""
        return TableRows(self._table, map(self._rows.__getitem__, order))

"""A library's indexes without some posts, renumbered in place (`shrink_indexes`).

Posts are numbered by their row in the table, so removing one renumbers every post after it.
The library rebuilt its indexes from scratch after each removal: at a million posts that was
4.7 s on the window's thread when a warm reopen found one file changed (a changed file is
removed and added back). Here every post number in them goes through one map from old to new
numbers (numpy's indexing over the arrays), and an order without some of its posts is still
in order.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from reader.core.path_index import REMOVED
from reader.core.post import SortKey
from reader.core.table import PostTable

_DROPPED = REMOVED  # the new number of a removed post (-1 is an empty slot of the path index)

Numbers = TypeVar("Numbers", array, list)  # type: ignore[type-arg]


def new_numbers(drop: Sequence[int], n: int) -> array[int]:
    """Each of `n` posts' number once the (sorted, distinct) `drop` are removed, `_DROPPED`
    for those; then `_DROPPED` and -1, so that -2 and -1 (indexed from the end) map to
    themselves: a removed post's slot stays removed, an empty one empty."""
    out = array("i", range(n))
    for k, (a, b) in enumerate(zip(drop, [*drop[1:], n], strict=True), start=1):
        out[a] = _DROPPED
        out[a + 1 : b] = array("i", map((-k).__add__, out[a + 1 : b]))
    out.extend((_DROPPED, -1))
    return out


def renumbered(numbers: Numbers, new: array[int], keep_dropped: bool = False) -> Numbers:
    """`numbers` (post numbers, in any order; -1 stays -1) renumbered, the dropped left out
    (or kept as `_DROPPED`), in order. By numpy's indexing: `map` over the few million numbers
    of a million posts' indexes was 0.9 s on the window's thread."""
    import numpy as np  # already there in a window (the copies of stories use it)

    table = np.frombuffer(new, dtype=np.int32)
    if isinstance(numbers, array):
        out = table[np.frombuffer(numbers, dtype=np.int32)] if len(numbers) else table[:0]
    else:
        out = table[np.array(numbers, dtype=np.int64)] if numbers else table[:0]
    if not keep_dropped:
        out = out[out != _DROPPED]
    if isinstance(numbers, array):
        result = array("i")
        result.frombytes(out.astype(np.int32).tobytes())
        return result
    return out.tolist()  # type: ignore[no-any-return]


def _without(column: array[Any], drop: Sequence[int]) -> array[Any]:
    """A per-post column without the entries of `drop`."""
    out = array(column.typecode)
    prev = 0
    for r in [*drop, len(column)]:
        out.extend(column[prev:r])
        prev = r + 1
    return out


def shrink_indexes(idx: Any, drop: Iterable[int], table: PostTable) -> None:
    """Make `idx` (a library's `_Indexes`, for the posts before) the indexes of `table`: the
    same posts but those numbered `drop`, in the same order (`without_rows`)."""
    gone = sorted(set(drop))
    if not gone:
        return
    new = new_numbers(gone, len(idx.stamps))
    first = gone[0]

    def shrunk(groups: dict[Any, Numbers]) -> dict[Any, Numbers]:
        out: dict[Any, Numbers] = {}
        for key, rows in groups.items():
            if rows and rows[-1] < first:  # ascending, all before the first removed: as it was
                out[key] = rows
            elif kept := renumbered(rows, new):
                out[key] = kept
        return out

    idx.by_category = shrunk(idx.by_category)
    idx.by_tag = shrunk(idx.by_tag)
    idx.by_month = shrunk(idx.by_month)
    idx.drafts = renumbered(idx.drafts, new)
    if idx.built_paths is not None:
        idx.built_paths.renumber(new, table, lambda rows: renumbered(rows, new, keep_dropped=True))
    idx.table = table
    idx.by_slug, idx.slug_dups, idx.titles_cf = None, {}, None
    idx.stamps = _without(idx.stamps, gone)
    idx.days = _without(idx.days, gone)
    idx.orders = {key: renumbered(order, new) for key, order in idx.orders.items()}
    idx.ranks = {}  # positions move: rebuilt from the orders on first use
    date = idx.orders.get(SortKey.DATE)
    idx.date_stamps = array("d", map(idx.stamps.__getitem__, date if date is not None else ()))

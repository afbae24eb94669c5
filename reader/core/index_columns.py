"""The library's indexes made from the table's columns a whole column at a time (numpy).

What a warm reopen builds before the list can show: each post's local day, the posts of each
month, of each category and of each tag, the drafts, the stamps in date order. As Python loops
over the posts they took 0.13 s at 100,000 posts and 2 s at a million (`PostTable.groups` and
`days` one post at a time); here a few sorts and splits in C do it. The results are the
library's own types (ascending post numbers in `array("i")`), in the same order of keys as the
loops made them (by the first post holding each).

The columns are copied first (`column[:n]`, one memcpy): a numpy view of a live `array` would
stop it from growing while the view exists.

Imported by the library when it builds indexes, not with the core (numpy is 42 ms to import).
"""

from __future__ import annotations

import bisect
from array import array
from typing import TYPE_CHECKING, Any

import numpy as np

from reader.core.months import month_of
from reader.core.post import SortKey
from reader.core.table import COLUMN_CODES, PostTable, columns_of

if TYPE_CHECKING:
    Numbers = array[int]


def _column(values: Any, n: int, dtype: Any) -> np.ndarray:
    return np.frombuffer(values[:n], dtype)


def _as_array(values: np.ndarray) -> Numbers:
    out = array("i")
    out.frombytes(values.astype(np.int32).tobytes())
    return out


# Keys spanning fewer values than this are sorted as 16-bit integers, which numpy sorts by
# radix (a million keys: 18 ms, against 84-102 ms as 32- or 64-bit ones).
_RADIX_SPAN = 1 << 16
# Day numbers spanning fewer days than this (2,870 years) are told apart through a table of
# the span (8 MB at most) instead of a sort (a million days: 5 ms, against 95 ms).
_TABLE_SPAN = 1 << 20


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """`np.argsort(keys, kind="stable")`, by radix when the keys span few values."""
    low = int(keys.min())
    if int(keys.max()) - low < _RADIX_SPAN:
        return np.argsort((keys - low).astype(np.uint16), kind="stable")
    return np.argsort(keys, kind="stable")


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(values, return_inverse=True)` for integers (the inverse flat)."""
    low = int(values.min())
    span = int(values.max()) - low + 1
    if span > _TABLE_SPAN:
        distinct, which = np.unique(values, return_inverse=True)
        return distinct, which.reshape(-1)
    offsets = values - low
    present = np.zeros(span, np.bool_)
    present[offsets] = True
    found = np.flatnonzero(present)
    rank = np.empty(span, np.int64)
    rank[found] = np.arange(len(found))
    return found + low, rank[offsets]


def _runs(keys: np.ndarray, members: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(key, its members ascending) for each distinct key, in the order of each key's first
    member; `members` ascending."""
    if not len(keys):
        return []
    order = _stable_order(keys)  # stable: each key's members stay ascending
    keys, members = keys[order], members[order]
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [len(keys)]))
    runs = [(int(keys[s]), members[s:e]) for s, e in zip(starts, ends, strict=True)]
    runs.sort(key=lambda run: int(run[1][0]))
    return runs


def days_of(table: PostTable) -> tuple[Numbers, np.ndarray]:
    """Each post's local day as `date.toordinal()`, 0 when undated (`PostTable.days`), as an
    array and as numpy's."""
    c, n = columns_of(table)
    day_us, epoch_day, dated_mask, _draft = COLUMN_CODES
    days = _column(c.wall, n, np.int64) // day_us + epoch_day
    days[(_column(c.zone, n, np.uint8) & dated_mask) == 0] = 0
    return _as_array(days), days


def by_month(days: np.ndarray) -> dict[tuple[int, int], Numbers]:
    """The posts (ascending) of each (year, month), from `days_of`."""
    dated = np.flatnonzero(days)
    if not len(dated):
        return {}
    distinct, which = _distinct(days[dated])
    codes = np.array([y * 12 + m - 1 for y, m in map(month_of, distinct.tolist())], np.int64)
    out: dict[tuple[int, int], Numbers] = {}
    for code, members in _runs(codes[which], dated):
        out[(code // 12, code % 12 + 1)] = _as_array(members)
    return out


def by_name(table: PostTable) -> tuple[dict[str, Numbers], dict[str, Numbers]]:
    """The posts (ascending) of each category, and of each tag (`PostTable.groups` merged by
    name, as the library's `_merge` did)."""
    c, n = columns_of(table)
    out: list[dict[str, Numbers]] = []
    for values in (c.cats, c.tags):
        ids = _column(values, n, np.uint32)
        holding = np.flatnonzero(ids)
        parts: dict[str, list[np.ndarray]] = {}
        for tuple_id, members in _runs(ids[holding].astype(np.int64), holding):
            for name in c.tuples[tuple_id]:
                parts.setdefault(name, []).append(members)
        out.append(
            {
                name: _as_array(found[0] if len(found) == 1 else np.sort(np.concatenate(found)))
                for name, found in parts.items()
            }
        )
    return out[0], out[1]


def drafts_of(table: PostTable) -> list[int]:
    """The drafts' post numbers, ascending."""
    c, n = columns_of(table)
    flags = _column(c.flags, n, np.uint8)
    return [int(i) for i in np.flatnonzero(flags & COLUMN_CODES[3])]


def in_order(stamps: array[float], order: array[int]) -> array[float]:
    """`stamps[i]` for each i of `order`."""
    out = array("d")
    taken = np.frombuffer(stamps[: len(stamps)], np.float64)[np.frombuffer(order[:], np.int32)]
    out.frombytes(taken.tobytes())
    return out


# --- posts added at the end of the table ----------------------------------------------------


def grow(idx: Any, posts: PostTable, start: int) -> None:
    """Add `posts[start:]` to the library's indexes `idx` (built for `posts[:start]`): the
    posts of each category, tag and month, the days, stamps and drafts, and the date order
    merged (`index_grow.extend_indexes` says when; its `_grow` is the same a post at a time).
    Keys new to a lookup come in the order of their first post, as there."""
    c, n = columns_of(posts)
    if n <= start:
        return
    for values, target in ((c.cats, idx.by_category), (c.tags, idx.by_tag)):
        ids = np.frombuffer(values[start:n], np.uint32)
        holding = np.flatnonzero(ids)
        parts: dict[str, list[np.ndarray]] = {}
        for tuple_id, members in _runs(ids[holding].astype(np.int64), holding + start):
            for name in c.tuples[tuple_id]:
                parts.setdefault(name, []).append(members)
        for name, found in parts.items():
            rows = found[0] if len(found) == 1 else np.sort(np.concatenate(found))
            target.setdefault(name, array("i")).extend(_as_array(rows))
    day_us, epoch_day, dated_mask, draft_flag = COLUMN_CODES
    days = np.frombuffer(c.wall[start:n], np.int64) // day_us + epoch_day
    days[(np.frombuffer(c.zone[start:n], np.uint8) & dated_mask) == 0] = 0
    idx.days.extend(_as_array(days))
    for month, in_month in by_month(days).items():
        shifted = _as_array(np.frombuffer(in_month, np.int32) + start)
        idx.by_month.setdefault(month, array("i")).extend(shifted)
    flags = np.frombuffer(c.flags[start:n], np.uint8)
    idx.drafts.extend((np.flatnonzero(flags & draft_flag) + start).tolist())
    stamps = idx.stamps
    stamps.extend(c.stamp[start:n])
    _merge_date_order(idx, posts, start, n)


def _merge_date_order(idx: Any, posts: PostTable, start: int, n: int) -> None:
    """The date order, (stamp, path) ascending as the library sorts it, with posts `start:n`
    merged in: placed by the stamps in C, by path (in Python) only among equal stamps."""
    stamps, path_of = idx.stamps, posts.path
    old = idx.orders.get(SortKey.DATE, array("i"))
    old_st = idx.date_stamps
    if len(old_st) != len(old):
        old_st = in_order(stamps, old)
    idx.orders.clear()
    new_st = np.frombuffer(stamps[start:n], np.float64)
    new = np.argsort(new_st, kind="stable") + start
    new_st = new_st[new - start]
    # Runs of equal stamps among the added posts: by path. With `same[k]` (posts k and k+1 of
    # `new` share a stamp), a run of k from `lo` to `hi - 1` is posts `lo` to `hi`.
    same = new_st[1:] == new_st[:-1]
    if same.any():
        edges = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))))
        by_path = new.tolist()
        for lo, hi in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            by_path[lo : hi + 1] = sorted(by_path[lo : hi + 1], key=path_of)
        new = np.array(by_path, np.int64)
    old_np = np.frombuffer(old[: len(old)], np.int32)
    old_st_np = np.frombuffer(old_st[: len(old_st)], np.float64)
    cuts = np.searchsorted(old_st_np, new_st, "left")
    ends = np.searchsorted(old_st_np, new_st, "right")
    # Equal to stamps already there: after those of a smaller or equal path.
    for k in np.flatnonzero(cuts < ends).tolist():
        lo, hi = int(cuts[k]), int(ends[k])
        cuts[k] = bisect.bisect_right(old, path_of(int(new[k])), lo, hi, key=path_of)
    idx.orders[SortKey.DATE] = _as_array(np.insert(old_np, cuts, new))
    merged_st = array("d")
    merged_st.frombytes(np.insert(old_st_np, cuts, new_st).tobytes())
    idx.date_stamps = merged_st

"""Sort orders of a library's posts: A-Z by title (Chinese by pinyin, among Latin titles) and
by category, built in slices so the GIL is never held long, and `OrderSnapshot`, which builds
them on another thread than the one that owns the library (see `Library.order_snapshot`).
Each order is ascending, ties newest first, then by post index."""

from __future__ import annotations

import heapq
import itertools
import re
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.core.events import OrdersStore
from reader.core.post import Post, SortKey
from reader.core.sources.pinyin import pinyin_sort_head, pinyin_sort_key
from reader.core.table import PostTable


def _folded(text: str) -> str:
    # CJK titles do not change when casefolded: keep one string object, not two.
    folded = text.casefold()
    return text if folded == text else folded


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _title_key(title: str) -> str:
    """A title's place in A–Z: Chinese by its pinyin (as a dictionary orders it, not by code
    point), among Latin titles alphabetically; titles without Chinese casefolded as before."""
    if _HAN.search(title) is None:
        return _folded(title)
    return pinyin_sort_key(title)[0] or _folded(title)


_SLICE = 2048
_MERGE_STEP = 65_536  # items merged between two `cancelled()`


def _build_order(
    posts: Sequence[Post],
    stamps: Sequence[float],
    key: SortKey,
    cancelled: Callable[[], bool] = lambda: False,
) -> array[int] | None:
    """The TITLE or CATEGORY order: by (key, newest first, position), ascending, as
    `storage.catalog` sorts too. Built bucket by bucket of equal first key characters (TITLE)
    or equal keys (CATEGORY): the keys of one bucket exist at a time, not 100,000 pinyin
    strings and int objects at once (13 MB), and each sort is a short C call (the window runs
    meanwhile). None when `cancelled()` (asked between buckets): closing the window must not
    wait for the A-Z order of a million posts."""
    buckets: dict[str, array[int]] = {}
    # A table's titles and categories are read from its columns, building no post.
    if isinstance(posts, PostTable):
        title_at, cats_at = posts.title, posts.categories
    else:
        title_at, cats_at = (lambda i: posts[i].title), (lambda i: posts[i].categories)
    every = range(len(posts))
    if key is SortKey.TITLE:
        heads = (_title_key_head(title_at(i)) for i in every)
    else:
        first_cat: dict[tuple[str, ...], str] = {(): "\uffff"}
        heads = (
            first_cat.get(cats) or first_cat.setdefault(cats, _folded(cats[0]))
            for cats in map(cats_at, every)
        )
    for i, head in enumerate(heads):
        if not i & 0x3FFF and cancelled():  # every few ms (a million posts take a second)
            return None
        bucket = buckets.get(head)
        if bucket is None:
            bucket = buckets[head] = array("i")
        bucket.append(i)
    out = array("i")
    for head in sorted(buckets):
        if cancelled():
            return None
        # Newest first (reverse keeps equal stamps in position order), then stably by key.
        members = _sorted_in_slices(buckets.pop(head), stamps, reverse=True)
        if key is SortKey.TITLE:
            keys = {i: _title_key(title_at(i)) for i in members}
            members = _sorted_in_slices(members, keys)
            del keys
        out.extend(members)
    return out


@dataclass(slots=True)
class OrderSnapshot:
    """See `Library.order_snapshot`: `build` fills `orders` (any thread)."""

    version: int
    posts: Sequence[Post]
    stamps: array[float] | None
    missing: tuple[SortKey, ...]
    orders: dict[SortKey, array[int]] = field(default_factory=dict)
    # Keeps what `build` built with the folder's cache (see `storage.saved_orders`).
    store: OrdersStore | None = None
    date_order: array[int] | None = None  # the library's, to be saved with the others

    def build(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        for key in self.missing:
            if cancelled() or self.stamps is None:
                return
            order = _build_order(self.posts, self.stamps, key, cancelled)
            if order is None:
                return
            self.orders[key] = order
        if self.store is not None and self.orders and not cancelled():
            # With the date order the library has: a reopen then sorts nothing.
            dated = {SortKey.DATE: self.date_order} if self.date_order is not None else {}
            self.store(self.posts, {**self.orders, **dated}, cancelled)


def _title_key_head(title: str) -> str:
    """`_title_key(title)[:1]`, without building the whole key."""
    head = pinyin_sort_head(title) if _HAN.search(title) is not None else ""
    return head or title[:1].casefold()[:1]


class SortCancelled(Exception):
    """`_sorted_in_slices` stopped because `cancelled()` said so."""


def _sorted_in_slices(
    items: Sequence[int],
    keys: Sequence[Any] | Mapping[int, Any],
    reverse: bool = False,
    cancelled: Callable[[], bool] | None = None,
) -> list[int]:
    """`sorted(items, key=keys.__getitem__, reverse=reverse)` (stable), as short C calls
    joined by a merge in Python: one sort of 100,000 strings holds the GIL for ~100 ms, and
    a slice of 8,192 still 5-10 ms, during which every call from Qt into Python waits.
    `cancelled()`, when given, is asked between slices and every 65,536 merged items (a
    million items take seconds): SortCancelled when it says so."""
    key = keys.__getitem__
    runs = []
    for i in range(0, len(items), _SLICE):
        if cancelled is not None and cancelled():
            raise SortCancelled
        runs.append(sorted(items[i : i + _SLICE], key=key, reverse=reverse))
    if len(runs) == 1:
        return runs[0]
    # heapq.merge takes equal keys from earlier runs first (reversed too): the merge is stable.
    merged = heapq.merge(*runs, key=key, reverse=reverse)
    if cancelled is None:
        return list(merged)
    out: list[int] = []
    while chunk := list(itertools.islice(merged, _MERGE_STEP)):
        out += chunk
        if cancelled():
            raise SortCancelled
    return out


def _ranks(order: Sequence[int]) -> array[int]:
    """Each post's position in `order`."""
    rank = array("i", bytes(4 * len(order)))
    for pos, i in enumerate(order):
        rank[i] = pos
    return rank

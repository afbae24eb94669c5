"""A library's indexes with posts added at the end of its table, in place (`extend_indexes`):
a cold load's batches and a refresh's new files, without building every index again.

(`index_shrink` takes posts out; the indexes themselves are the library's `_Indexes`.)
"""

from __future__ import annotations

import bisect
from array import array
from typing import Any

from reader.core.months import month_of
from reader.core.post import SortKey
from reader.core.table import PostTable

# From this many posts added at once, the indexes grow a column at a time with numpy
# (`index_columns.grow`): a cold load's batch of 4,000 posts held the window's thread about
# 100 ms in the loop below, most of it per post in Python. A refresh's few files take the loop.
COLUMNS_FROM = 256


def extend_indexes(idx: Any, posts: PostTable, start: int) -> None:
    """Add `posts[start:]` to indexes built for `posts[:start]`: O(added) for the lookups,
    one merge for the date order; the rarer orders and lookups are rebuilt on first use."""
    idx.table = posts
    # Made now when it was not (from the whole table, these posts included: a cold load's
    # first batch, a few posts), else kept up to date: never left to a first lookup that
    # would make it from a large table on the window's thread.
    kept = idx.built_paths is not None
    by_path = idx.by_path
    if kept:
        by_path.extend(posts, start)
    if len(posts) - start >= COLUMNS_FROM:
        from reader.core.index_columns import grow

        grow(idx, posts, start)
    else:
        _grow(idx, posts, start)
    idx.by_slug, idx.slug_dups, idx.titles_cf = None, {}, None
    idx.ranks.clear()


def _grow(idx: Any, posts: PostTable, start: int) -> None:
    """`index_columns.grow`, a post at a time."""
    stamps = idx.stamps
    added = range(start, len(posts))
    # From the table's columns (building each post: 0.3 s per 100,000 on the window's thread).
    path_of, cats_of, tags_of = posts.path, posts.categories, posts.tags
    day_of, stamp_of, draft_of = posts.day, posts.stamp, posts.draft
    for i in added:
        for name in cats_of(i):
            idx.by_category.setdefault(name, array("i")).append(i)
        for name in tags_of(i):
            idx.by_tag.setdefault(name, array("i")).append(i)
        stamps.append(stamp_of(i))
        day = day_of(i)
        idx.days.append(day)
        if day:
            idx.by_month.setdefault(month_of(day), array("i")).append(i)
        if draft_of(i):
            idx.drafts.append(i)
    old = idx.orders.get(SortKey.DATE, array("i"))
    old_st = idx.date_stamps
    if len(old_st) != len(old):
        old_st = array("d", map(stamps.__getitem__, old))
    idx.orders.clear()

    # The date order is (date, path) ascending, as the library sorts it. Each added post
    # is placed by bisecting the stamps (C comparisons of floats), then by path among the posts
    # of the same stamp: a key function called for every step of every bisection held the GIL
    # for 100-300 ms per batch at 100,000 posts.
    new = sorted(added, key=lambda i: (stamps[i], path_of(i)))
    merged, merged_st = array("i"), array("d")
    last = 0
    for i in new:
        s = stamps[i]
        lo = bisect.bisect_left(old_st, s, last)
        hi = bisect.bisect_right(old_st, s, lo)
        cut = bisect.bisect_right(old, path_of(i), lo, hi, key=path_of) if lo < hi else lo
        merged.extend(old[last:cut])
        merged_st.extend(old_st[last:cut])
        merged.append(i)
        merged_st.append(s)
        last = cut
    merged.extend(old[last:])
    merged_st.extend(old_st[last:])
    idx.orders[SortKey.DATE] = merged
    idx.date_stamps = merged_st

"""The loaded collection: posts and problems of one folder, with indexes for filtering by
category, tag, month and path, sort orders, counts, and link resolution between posts.

Everything the window's lists and tree show is computed here, so the GUI models never filter or
sort rows themselves. `apply(event)` is the one way a load or refresh changes a library, which
grows in place: added posts extend the indexes (the date order by merging the new posts in);
a removal rebuilds them lazily (one O(n) pass). `prepare(event)` builds a `Snapshot`'s indexes
on any thread, so the thread that owns the library only adopts them.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from reader.core.events import (
    Added,
    Done,
    FolderChanges,
    LoadEvent,
    OrdersStore,
    Removed,
    Snapshot,
)
from reader.core.index_grow import extend_indexes
from reader.core.index_shrink import shrink_indexes
from reader.core.orders import (
    OrderSnapshot,
    _build_order,
    _folded,
    _ranks,
    _title_key,
)
from reader.core.path_index import PathIndex
from reader.core.post import Post, Problem, SiteConfig, SortKey
from reader.core.table import PostTable, as_table
from reader.core.table_rows import without_rows

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Query:
    """A filter and sort over the library. Empty fields do not filter."""

    categories: tuple[str, ...] = ()  # posts must have all of them
    tags: tuple[str, ...] = ()  # posts must have all of them
    year: int | None = None
    month: int | None = None  # only with year
    drafts_only: bool = False
    paths: frozenset[str] | None = None  # only these posts (e.g. the bookmarked ones)
    exclude_paths: frozenset[str] | None = None  # never these (e.g. the read ones)
    text: str = ""  # case-insensitive substring of the title
    # Only posts dated on these days or between them (inclusive, each post's own local day).
    since: date | None = None
    until: date | None = None
    # When set, results follow this order (e.g. newest bookmark first); others keep `sort`.
    path_order: tuple[str, ...] | None = None
    sort: SortKey = SortKey.DATE
    descending: bool = True


@dataclass(slots=True)
class _Indexes:
    # Post indexes (ascending) as arrays: 4 bytes an entry, not a list's 8 plus an int object.
    by_category: dict[str, array[int]] = field(default_factory=dict)
    by_tag: dict[str, array[int]] = field(default_factory=dict)
    by_month: dict[tuple[int, int], array[int]] = field(default_factory=dict)
    # Post numbers by path (`by_path`: hashes and numbers in arrays, not a dict of 100,000
    # strings), made from `table` on first use: not before the list is first shown (0.15 s
    # at 100,000 posts, 1.5 s at a million; the loader's thread makes it right after).
    built_paths: PathIndex | None = None
    table: PostTable | None = None
    # Built on first use (following a link, filtering titles), not with every load:
    # first post of each casefolded slug, the rare slugs several posts share, folded titles.
    by_slug: dict[str, int] | None = None
    slug_dups: dict[str, list[int]] = field(default_factory=dict)
    titles_cf: list[str] | None = None
    drafts: list[int] = field(default_factory=list)
    # Post indexes in each sort order (ascending), and each post's position in that order:
    # 4 bytes an entry instead of a list's 8 plus an int object.
    # The date order comes with the indexes; the others on first use or `warm_orders` (each
    # entry is written in one assignment, so a second thread filling them in is harmless).
    orders: dict[SortKey, array[int]] = field(default_factory=dict)
    ranks: dict[SortKey, array[int]] = field(default_factory=dict)
    stamps: array[float] = field(default_factory=lambda: array("d"))
    # The stamps in date order (`stamps[i]` for each i of `orders[DATE]`): added posts are
    # merged into the date order by C-level bisection on it, not by a Python key function.
    date_stamps: array[float] = field(default_factory=lambda: array("d"))
    # Each post's local day (`date.toordinal()`), 0 when undated: timelines and day ranges.
    days: array[int] = field(default_factory=lambda: array("i"))

    @property
    def by_path(self) -> PathIndex:
        return self.paths_built()

    def paths_built(self, pause: Callable[[], object] | None = None) -> PathIndex:
        """`by_path`, made now if it was not (`pause`: see `PathIndex`)."""
        found = self.built_paths
        if found is None:  # two threads may both make it: the same, and one is kept
            found = PathIndex(self.table if self.table is not None else PostTable(), pause=pause)
            self.built_paths = found
        return found


class Library:
    """Posts and problems of one opened folder."""

    def __init__(
        self,
        root: Path,
        site: SiteConfig | None = None,
        posts: Iterable[Post] = (),
        problems: Iterable[Problem] = (),
    ) -> None:
        self.root = root
        self.site = site or SiteConfig()
        # Columns, not objects: `posts[i]` builds the Post (see `reader.core.table`).
        self.posts: PostTable = as_table(posts)
        self.problems: list[Problem] = list(problems)
        # Reads the excerpt of a post whose record came without one (from the cache).
        self.excerpt_source: Callable[[str], str] | None = None
        self._idx: _Indexes | None = None
        # Orders saved with the cache for the posts of the last Snapshot, until indexes exist.
        self._saved_orders: Mapping[SortKey, array[int]] | None = None
        # Keeps the orders built later with the cache (`storage.saved_orders`), if there is one.
        self.orders_store: OrdersStore | None = None
        # Grows with every change: a view that queried at another version must query again.
        self.version = 0

    def __len__(self) -> int:
        return len(self.posts)

    def excerpt(self, post: Post) -> str:
        """The post's excerpt, read on demand when its record came from the cache."""
        if post.excerpt or self.excerpt_source is None:
            return post.excerpt
        return self.excerpt_source(post.path)

    # --- changes ------------------------------------------------------------------------------

    def apply(self, event: LoadEvent | FolderChanges) -> None:
        """Apply one load or refresh event (see `reader.core.events`), in place."""
        if isinstance(event, Snapshot):
            self.site = event.site
            self.excerpt_source = event.excerpts
            self.posts = as_table(event.posts)
            self.problems = list(event.problems)
            self._idx = event.indexes if isinstance(event.indexes, _Indexes) else None
            # Prepared indexes took them already; otherwise the first build takes them.
            self._saved_orders = event.orders if self._idx is None else None
            self.orders_store = event.orders_store
        elif isinstance(event, Added):
            self._add(event.posts, event.problems)
        elif isinstance(event, Removed):
            self._remove(event.paths)
        elif isinstance(event, FolderChanges):
            if event.removed:
                self._remove(event.removed)
            self._add(event.posts, event.problems)
        elif isinstance(event, Done):
            self.site = event.state.site
            return
        else:  # Progress changes nothing
            return
        if not isinstance(event, Snapshot):
            # Saved for the Snapshot's posts in its order: a change (a modified post removed
            # and added back at the end, as many posts as before) makes them wrong.
            self._saved_orders = None
        self.version += 1

    def _add(self, posts: Sequence[Post], problems: Sequence[Problem]) -> None:
        start = len(self.posts)
        self.posts.extend(posts)
        self.problems.extend(problems)
        if self._idx is not None and posts:
            extend_indexes(self._idx, self.posts, start)

    def _remove(self, paths: Iterable[str]) -> None:
        gone = set(paths)
        if not gone:
            return
        idx = self._idx
        if idx is not None and not idx.by_path.doubled:  # each path once: their numbers
            rows = idx.by_path.rows_of(gone)
            self.posts = without_rows(self.posts, rows)
            shrink_indexes(idx, rows, self.posts)  # renumbered, not built again
        else:  # each path decoded to find them
            path, n = self.posts.path, len(self.posts)
            self.posts = without_rows(self.posts, (i for i in range(n) if path(i) in gone))
            self._idx = None
        self.problems = [p for p in self.problems if p.path not in gone]

    # --- indexes ------------------------------------------------------------------------------

    def warm(self) -> None:
        """Build the indexes now (e.g. on a worker thread, before handing the library over)."""
        _ = self._indexes

    def warm_orders(self) -> None:
        """Build every sort order now (the date order is built with the indexes), and keep
        those built with the cache (`orders_store`)."""
        snapshot = self.order_snapshot()
        if snapshot.missing:
            snapshot.build()
            self.adopt_orders(snapshot)
        idx = self._indexes
        for key in SortKey:
            self._rank(idx, key)

    @property
    def _indexes(self) -> _Indexes:
        if self._idx is None:
            self._idx = self._build()
        return self._idx

    def _build(self) -> _Indexes:
        idx = _build_indexes(self.posts, self._saved_orders)
        self._saved_orders = None
        return idx

    def _order(self, idx: _Indexes, key: SortKey) -> array[int]:
        order = idx.orders.get(key)
        if order is None:
            built = _build_order(self.posts, idx.stamps, key)
            assert built is not None  # nothing cancels it here
            order = idx.orders[key] = built
        return order

    def order_snapshot(self) -> OrderSnapshot:
        """What building the sort orders not built yet needs, copied now (on the thread that
        owns the library), so `OrderSnapshot.build` can run on any other; `adopt_orders` then
        takes them back if nothing changed meanwhile. The first A-Z sort after a cold load of
        100,000 posts was 0.6 s of the GUI thread."""
        idx = self._indexes
        missing = tuple(k for k in SortKey if k not in idx.orders)
        posts = self.posts.snapshot() if missing else PostTable()
        return OrderSnapshot(
            self.version,
            posts,
            array("d", idx.stamps) if missing else None,
            missing,
            store=self.orders_store,
            date_order=idx.orders.get(SortKey.DATE) if missing else None,
        )

    def adopt_orders(self, snapshot: OrderSnapshot) -> bool:
        """Take the orders `snapshot` built, unless the library changed since it was taken."""
        if snapshot.version != self.version or self._idx is None:
            return False
        for key, order in snapshot.orders.items():
            self._idx.orders.setdefault(key, order)
        return True

    def _rank(self, idx: _Indexes, key: SortKey) -> array[int]:
        """Each post's position in the `key` order: built when a filtered query first needs it
        (an O(n) pass in Python, 20-45 ms at 100,000 posts), not whenever the order changes."""
        rank = idx.ranks.get(key)
        if rank is None:
            rank = idx.ranks[key] = _ranks(self._order(idx, key))
        return rank

    # --- queries ------------------------------------------------------------------------------

    def query(self, q: Query = Query()) -> array[int]:
        """Indexes into `posts` matching `q`, in its order (an array: 4 bytes a row, where a
        list of 100,000 rows also made 100,000 int objects, 4 MB)."""
        idx = self._indexes
        lists: list[Sequence[int]] = []
        for c in q.categories:
            lists.append(idx.by_category.get(c, ()))
        for t in q.tags:
            lists.append(idx.by_tag.get(t, ()))
        if q.year is not None:
            months = [q.month] if q.month is not None else range(1, 13)
            lists.append([i for m in months for i in idx.by_month.get((q.year, m), ())])
        if q.drafts_only:
            lists.append(idx.drafts)
        # `paths` given in `path_order` (a search's answer), each once: their rows come in
        # their order, looked up together.
        order_of = q.path_order
        in_order = (
            q.paths is not None
            and order_of is not None
            and len(q.paths) == len(order_of)
            and q.paths.issuperset(order_of)
        )
        if q.paths is not None:
            rows = idx.by_path.rows_in_order(order_of if in_order else list(q.paths))  # type: ignore[arg-type]
            if in_order and len(set(rows)) != len(rows):  # a path twice in `path_order`
                in_order, rows = False, idx.by_path.rows_in_order(list(q.paths))
            lists.append(rows)
        result: Sequence[int]
        if in_order:
            ordered = lists.pop()
            if lists:
                lists.sort(key=len)
                keep = set(lists[0]).intersection(*lists[1:])
                ordered = array("i", [i for i in ordered if i in keep])
            result = ordered
        elif lists:
            lists.sort(key=len)
            allowed = set(lists[0]).intersection(*lists[1:]) if len(lists) > 1 else lists[0]
            # Sorting the few matches by their position beats walking the whole order.
            result = self.ordered(allowed, q.sort, q.descending)
        else:
            order = self._order(idx, q.sort)
            result = order[::-1] if q.descending else array("i", order)
        if q.exclude_paths:
            # The fewer lookups: the excluded paths' post numbers, or the rows' paths.
            if len(q.exclude_paths) < len(result):
                gone = idx.by_path.rows_of(q.exclude_paths)
                result = [i for i in result if i not in gone]
            else:
                path = self.posts.path
                result = [i for i in result if path(i) not in q.exclude_paths]
        if q.since is not None or q.until is not None:
            days = idx.days
            lo = q.since.toordinal() if q.since is not None else 1
            hi = q.until.toordinal() if q.until is not None else date.max.toordinal()
            result = [i for i in result if lo <= days[i] <= hi]
        needle = q.text.strip().casefold()
        if needle:
            if idx.titles_cf is None:
                idx.titles_cf = [_folded(t) for t in self.posts.titles()]
            titles = idx.titles_cf
            result = [i for i in result if needle in titles[i]]
        if q.path_order is not None and not in_order:
            by_path, last = idx.by_path, len(q.path_order)
            place = {by_path[p]: n for n, p in enumerate(q.path_order) if p in by_path}
            result = sorted(result, key=lambda i: place.get(i, last))
        return result if isinstance(result, array) else array("i", result)

    def day_numbers(self) -> array[int]:
        """Each post's local day as `date.toordinal()` (0 when undated), by post index."""
        return self._indexes.days

    def index_of(self, path: str) -> int | None:
        return self._indexes.by_path.get(path)

    def rows_at(self, paths: Sequence[str]) -> array[int]:
        """Each path's post number, -1 for a path not in the library (looked up together)."""
        return self._indexes.by_path.rows_at(paths)

    def ordered(self, rows: Iterable[int], key: SortKey, descending: bool) -> list[int]:
        """`rows` in the `key` order, as `query` orders a filter's posts."""
        ranks = self._rank(self._indexes, key)
        return sorted(rows, key=ranks.__getitem__, reverse=descending)

    def post_at(self, path: str) -> Post | None:
        i = self.index_of(path)
        return self.posts[i] if i is not None else None

    # --- counts -------------------------------------------------------------------------------

    def category_counts(self, exclude: Iterable[str] | None = None) -> list[tuple[str, int]]:
        """(category, posts), most first, then by name; `exclude`: paths not counted."""
        return _sorted_counts(self._counted(self._indexes.by_category, exclude))

    def tag_counts(self, exclude: Iterable[str] | None = None) -> list[tuple[str, int]]:
        return _sorted_counts(self._counted(self._indexes.by_tag, exclude))

    def archive_counts(self, exclude: Iterable[str] | None = None) -> list[tuple[int, int, int]]:
        """(year, month, posts), newest month first."""
        counts = self._counted(self._indexes.by_month, exclude)
        return sorted(((y, m, n) for (y, m), n in counts.items()), reverse=True)

    def year_counts(self, exclude: Iterable[str] | None = None) -> list[tuple[int, int]]:
        years: Counter[int] = Counter()
        for y, _m, n in self.archive_counts(exclude):
            years[y] += n
        return sorted(years.items(), reverse=True)

    def _counted(
        self, groups: Mapping[K, Sequence[int]], exclude: Iterable[str] | None
    ) -> dict[K, int]:
        gone: set[int] = set()
        if exclude:  # (only then the path index, not made yet when the list is first shown)
            by_path = self._indexes.by_path
            gone = {by_path[p] for p in exclude if p in by_path}
        if not gone:
            return {k: len(v) for k, v in groups.items()}
        counts = {k: sum(1 for i in v if i not in gone) for k, v in groups.items()}
        return {k: n for k, n in counts.items() if n}

    def draft_count(self) -> int:
        return len(self._indexes.drafts)

    # --- links between posts -----------------------------------------------------------------

    def resolve_link(self, href: str, from_path: str = "") -> int | None:
        """The post a link inside the folder points at, if any (see `reader.core.links`)."""
        from reader.core.links import resolve_link

        return resolve_link(self, href, from_path)

    def paths_index(self, pause: Callable[[], object] | None = None) -> PathIndex:
        """Each post's index by its path; `pause()` is called while it is made, if it is
        (a background thread's `give_way`: a million paths take 1.7 s)."""
        return self._indexes.paths_built(pause)

    def slug_index(self) -> tuple[dict[str, int], dict[str, list[int]]]:
        """The first post of each casefolded slug, and the slugs several posts share (built on
        first use: following a link)."""
        idx = self._indexes
        if idx.by_slug is None:
            slugs: dict[str, int] = {}
            slug = self.posts.slug
            for i in range(len(self.posts)):
                key = _folded(slug(i))
                if slugs.setdefault(key, i) != i:
                    idx.slug_dups.setdefault(key, [slugs[key]]).append(i)
            idx.by_slug = slugs
        return idx.by_slug, idx.slug_dups


def _sorted_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def sort_by_name(counts: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """The tree's A–Z: Chinese names by pinyin among Latin ones, as titles sort."""
    return sorted(counts, key=lambda kv: (_title_key(kv[0]), kv[0]))


def prepare(event: LoadEvent) -> LoadEvent:
    """`event` with the work `Library.apply` would do for it done now, on the calling thread:
    a `Snapshot`'s indexes (0.2 s at 100,000 posts). Other events are returned as they are."""
    if isinstance(event, Snapshot) and event.indexes is None:
        posts = as_table(event.posts)
        idx = _build_indexes(posts, event.orders)
        return dataclasses.replace(event, posts=posts, indexes=idx)
    return event


def _adopt_saved(idx: _Indexes, saved: Mapping[SortKey, array[int]] | None, count: int) -> None:
    """Take the orders saved with the cache for these posts (each checked when read)."""
    for key, order in (saved or {}).items():
        if len(order) == count:
            idx.orders[key] = order


def _build_indexes(posts: PostTable, saved: Mapping[SortKey, array[int]] | None = None) -> _Indexes:
    # Whole-column operations on the table (numpy): at 100,000 posts every per-post step in
    # Python costs about 10 ms.
    idx = _Indexes(table=posts)
    n = len(posts)
    if not n:  # (an opened folder's first, empty library: numpy is not imported for it)
        idx.orders[SortKey.DATE] = array("i")
        return idx
    from reader.core import index_columns as columns  # numpy: not imported with the core

    idx.stamps = stamps = posts.stamps()
    idx.days, days = columns.days_of(posts)
    idx.by_month = columns.by_month(days)
    idx.drafts = columns.drafts_of(posts)
    idx.by_category, idx.by_tag = columns.by_name(posts)
    _adopt_saved(idx, saved, n)  # the date order too: sorting it held the GIL 1 s at 1,000,000
    if SortKey.DATE not in idx.orders:  # two stable sorts on one plain key each, in C
        paths = posts.paths()
        idx.orders[SortKey.DATE] = array(
            "i", sorted(sorted(range(n), key=paths.__getitem__), key=stamps.__getitem__)
        )
    idx.date_stamps = columns.in_order(stamps, idx.orders[SortKey.DATE])
    return idx

"""The loaded collection: posts and problems of one folder, with indexes for filtering by
category, tag, month and path, sort orders, counts, and link resolution between posts.

Everything the window's lists and tree show is computed here, so the GUI models never filter or
sort rows themselves. Indexes are rebuilt lazily after posts change (one O(n) pass).
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .post import Post, Problem, SiteConfig, SortKey

_NO_DATE = float("-inf")


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
    # When set, results follow this order (e.g. newest bookmark first); others keep `sort`.
    path_order: tuple[str, ...] | None = None
    sort: SortKey = SortKey.DATE
    descending: bool = True


@dataclass(slots=True)
class _Indexes:
    by_category: dict[str, list[int]] = field(default_factory=dict)
    by_tag: dict[str, list[int]] = field(default_factory=dict)
    by_month: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    by_path: dict[str, int] = field(default_factory=dict)
    by_slug: dict[str, list[int]] = field(default_factory=dict)
    titles_cf: list[str] = field(default_factory=list)
    drafts: list[int] = field(default_factory=list)
    orders: dict[SortKey, list[int]] = field(default_factory=dict)


def _timestamp(post: Post) -> float:
    return post.date.timestamp() if post.date is not None else _NO_DATE


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
        self.posts: list[Post] = list(posts)
        self.problems: list[Problem] = list(problems)
        self._idx: _Indexes | None = None

    def __len__(self) -> int:
        return len(self.posts)

    # --- changes ------------------------------------------------------------------------------

    def add(self, posts: Iterable[Post], problems: Iterable[Problem] = ()) -> None:
        self.posts.extend(posts)
        self.problems.extend(problems)
        self._idx = None

    def replace_all(self, posts: Iterable[Post], problems: Iterable[Problem]) -> None:
        self.posts = list(posts)
        self.problems = list(problems)
        self._idx = None

    def remove_paths(self, paths: Iterable[str]) -> None:
        gone = set(paths)
        self.posts = [p for p in self.posts if p.path not in gone]
        self.problems = [p for p in self.problems if p.path not in gone]
        self._idx = None

    # --- indexes ------------------------------------------------------------------------------

    def warm(self) -> None:
        """Build the indexes now (e.g. on a worker thread, before handing the library over)."""
        _ = self._indexes

    @property
    def _indexes(self) -> _Indexes:
        if self._idx is None:
            self._idx = self._build()
        return self._idx

    def _build(self) -> _Indexes:
        idx = _Indexes()
        for i, post in enumerate(self.posts):
            for c in post.categories:
                idx.by_category.setdefault(c, []).append(i)
            for t in post.tags:
                idx.by_tag.setdefault(t, []).append(i)
            if post.date is not None:
                idx.by_month.setdefault((post.date.year, post.date.month), []).append(i)
            idx.by_path[post.path] = i
            idx.by_slug.setdefault(post.slug.casefold(), []).append(i)
            idx.titles_cf.append(post.title.casefold())
            if post.draft:
                idx.drafts.append(i)
        posts = self.posts
        stamps = [_timestamp(p) for p in posts]
        by_date = sorted(range(len(posts)), key=lambda i: (stamps[i], posts[i].path))
        idx.orders[SortKey.DATE] = by_date
        titles = idx.titles_cf
        idx.orders[SortKey.TITLE] = sorted(range(len(posts)), key=lambda i: (titles[i], -stamps[i]))
        idx.orders[SortKey.CATEGORY] = sorted(
            range(len(posts)),
            key=lambda i: (
                posts[i].categories[0].casefold() if posts[i].categories else "\uffff",
                -stamps[i],
            ),
        )
        return idx

    # --- queries ------------------------------------------------------------------------------

    def query(self, q: Query = Query()) -> list[int]:
        """Indexes into `posts` matching `q`, in its order."""
        idx = self._indexes
        sets: list[set[int]] = []
        for c in q.categories:
            sets.append(set(idx.by_category.get(c, ())))
        for t in q.tags:
            sets.append(set(idx.by_tag.get(t, ())))
        if q.year is not None:
            months = [q.month] if q.month is not None else range(1, 13)
            sets.append({i for m in months for i in idx.by_month.get((q.year, m), ())})
        if q.drafts_only:
            sets.append(set(idx.drafts))
        if q.paths is not None:
            sets.append({idx.by_path[p] for p in q.paths if p in idx.by_path})
        order = idx.orders[q.sort]
        if q.descending:
            order = order[::-1]
        if sets:
            sets.sort(key=len)
            allowed = sets[0].intersection(*sets[1:])
            result = [i for i in order if i in allowed]
        else:
            result = list(order)
        if q.exclude_paths:
            posts = self.posts
            result = [i for i in result if posts[i].path not in q.exclude_paths]
        needle = q.text.strip().casefold()
        if needle:
            titles = idx.titles_cf
            result = [i for i in result if needle in titles[i]]
        if q.path_order is not None:
            rank = {path: n for n, path in enumerate(q.path_order)}
            last = len(rank)
            posts = self.posts
            result.sort(key=lambda i: rank.get(posts[i].path, last))
        return result

    def index_of(self, path: str) -> int | None:
        return self._indexes.by_path.get(path)

    def post_at(self, path: str) -> Post | None:
        i = self.index_of(path)
        return self.posts[i] if i is not None else None

    # --- counts -------------------------------------------------------------------------------

    def category_counts(self) -> list[tuple[str, int]]:
        """(category, posts) pairs, most posts first, then by name."""
        return _sorted_counts({k: len(v) for k, v in self._indexes.by_category.items()})

    def tag_counts(self) -> list[tuple[str, int]]:
        return _sorted_counts({k: len(v) for k, v in self._indexes.by_tag.items()})

    def archive_counts(self) -> list[tuple[int, int, int]]:
        """(year, month, posts), newest month first."""
        return sorted(
            ((y, m, len(v)) for (y, m), v in self._indexes.by_month.items()), reverse=True
        )

    def year_counts(self) -> list[tuple[int, int]]:
        years: Counter[int] = Counter()
        for y, _m, n in self.archive_counts():
            years[y] += n
        return sorted(years.items(), reverse=True)

    def draft_count(self) -> int:
        return len(self._indexes.drafts)

    # --- links between posts -----------------------------------------------------------------

    def resolve_link(self, href: str, from_path: str = "") -> int | None:
        """The post a link inside the folder points at, if any.

        Understands paths to post files (`/_posts/x.md`, relative ones), `{% post_url %}` output
        (`/_post_url/2021-07-01-slug`), and permalinks ending in the post's slug
        (`/2021/07/01/slug.html`, `/category/slug/`).
        """
        parts = urlsplit(href)
        if parts.scheme not in ("", "file") or parts.netloc:
            return None
        path = unquote(parts.path)
        if not path:
            return None
        if not path.startswith("/") and from_path:
            path = posixpath.join(posixpath.dirname(from_path), path)
        norm = posixpath.normpath(path).lstrip("/")
        if norm.startswith("../") or norm == "..":
            return None
        base = self.site.baseurl.strip("/")
        if base and norm.startswith(base + "/"):
            norm = norm[len(base) + 1 :]
        idx = self._indexes
        if norm in idx.by_path:
            return idx.by_path[norm]
        m = re.match(r"_post_url/(\d{2,4}-\d{1,2}-\d{1,2})-(.+)$", norm)
        if m:
            return self._by_slug_and_day(m.group(2), m.group(1))
        segments = [s for s in norm.split("/") if s]
        if not segments:
            return None
        last = segments[-1]
        if last in ("index.html", "index.htm") and len(segments) > 1:
            last = segments[-2]
        slug = re.sub(r"\.(html?|md|markdown)$", "", last)
        day = None
        if len(segments) >= 4 and all(s.isdigit() for s in segments[-4:-1]):
            day = "-".join(segments[-4:-1])
        return self._by_slug_and_day(slug, day)

    def _by_slug_and_day(self, slug: str, day: str | None) -> int | None:
        hits = self._indexes.by_slug.get(slug.casefold(), [])
        if not hits:
            return None
        if day is not None and len(hits) > 1:
            y, m, d = (int(x) for x in day.split("-"))
            for i in hits:
                dt: datetime | None = self.posts[i].date
                if dt is not None and (dt.year, dt.month, dt.day) == (y, m, d):
                    return i
        return hits[0]


def _sorted_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def sort_by_name(counts: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(counts, key=lambda kv: kv[0].casefold())

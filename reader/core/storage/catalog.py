"""Answering a listing or a search from the index cache, decoding only the posts it lists.

Owns what the cache stores beside each row so it can be queried (`derived_columns`: a post's
date stamp, its local day, and its categories and tags as `file_terms` rows) and `Catalog`,
which selects posts by SQL and sorts them exactly as `Library.query` does (the same order,
ties included, the same local-day rules). The terminal lists one category of 100,000 posts
by decoding its 5,000 rows, not all 100,000. The database itself is `storage.cache`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from reader.core.library import Query
from reader.core.orders import _folded, _title_key
from reader.core.post import Post, SiteConfig, SortKey
from reader.core.storage.codec import (
    KIND_POST,
    KIND_POST_JSON,
    CacheDamaged,
    Decoded,
    Fingerprint,
    Row,
    RowDecoder,
)
from reader.core.table import as_table

TERM_CATEGORY = 1
TERM_TAG = 2
_NO_DATE = float("-inf")
# Above this many wanted paths, the rows are filtered in Python rather than by a SQL lookup
# per path (one pass over the table beats 100,000 index probes).
_PATHS_BY_SQL = 2000

# (stamp, day) of a row, and its (kind, name) terms.
Derived = tuple[float | None, int, list[tuple[int, str]]]


def derived_columns(
    rows: Sequence[Row], fingerprint: Fingerprint, posts: Sequence[Post] | None = None
) -> list[Derived]:
    """For each row: the post's date as a timestamp (None when undated), its local day as
    `date.toordinal()` (0 when undated) and its category and tag terms; what `Library` derives
    from a decoded `Post`, computed once when the row is written. `posts`: the records of the
    post rows, in order, when the caller decoded them already (a load does, for the window):
    decoding 100,000 rows a second time cost the load 1.5 s of the window's CPU."""
    post_rows = [row for row in rows if row[3] in (KIND_POST, KIND_POST_JSON)]
    if posts is None or len(posts) != len(post_rows):
        decoded = Decoded()
        RowDecoder(fingerprint.zones, keep_excerpts=False).decode(post_rows, decoded)
        posts = decoded.posts
    table = as_table(posts)  # read from its columns, building no `Post`
    # A folder repeats a few hundred (categories, tags) pairs: their terms are made once.
    terms_of: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[int, str]]] = {}
    out: list[Derived] = []
    n = 0
    for row in rows:
        if row[3] not in (KIND_POST, KIND_POST_JSON):
            out.append((None, 0, []))
            continue
        key = (table.categories(n), table.tags(n))
        terms = terms_of.get(key)
        if terms is None:
            terms = [(TERM_CATEGORY, c) for c in dict.fromkeys(key[0])]
            terms += [(TERM_TAG, t) for t in dict.fromkeys(key[1])]
            terms_of[key] = terms
        day = table.day(n)
        out.append((table.stamp(n) if day else None, day, terms))
        n += 1
    return out


def index_stamp(size: int, mtime_ns: int, stamp: float | None) -> str:
    """`search.index.post_stamp` of a post, from its cache columns (no Post needed)."""
    return f"{size}:{mtime_ns}:{stamp}"


class Catalog:
    """The cached posts of one folder, queried without decoding all of them. The cache must
    be up to date (`reading.loader.catch_up`); `conn` is its open connection."""

    def __init__(self, conn: sqlite3.Connection, fingerprint: Fingerprint, generation: str) -> None:
        self._conn = conn
        self.fingerprint = fingerprint
        # Changes with every write to the cache: the search index remembers the one it matched.
        self.generation = generation

    @property
    def site(self) -> SiteConfig:
        return self.fingerprint.site

    def count(self) -> int:
        """How many posts the folder has."""
        row = self._conn.execute(
            "SELECT count(*) FROM files WHERE kind IN (?, ?)", (KIND_POST, KIND_POST_JSON)
        ).fetchone()
        return int(row[0])

    def index_stamps(self) -> dict[str, str]:
        """{path: post_stamp} of every post, as the search index compares them."""
        rows = self._conn.execute(
            "SELECT path, size, mtime_ns, stamp FROM files WHERE kind IN (?, ?)",
            (KIND_POST, KIND_POST_JSON),
        )
        return {path: f"{size}:{mtime_ns}:{stamp}" for path, size, mtime_ns, stamp in rows}

    def posts_at(self, paths: Iterable[str]) -> list[Post]:
        """The posts at `paths` (those that are posts), in table order."""
        return self.select(Query(paths=frozenset(paths)), sort=False)

    def select(self, q: Query, *, sort: bool = True) -> list[Post]:
        """The posts matching `q`, in its order: what `Library.query(q)` gives for a library
        loaded from this cache. CacheDamaged or sqlite3.Error when the cache cannot be read."""
        if q.paths is not None and not q.paths:
            return []
        sql = ["SELECT id, stamp, path, size, mtime_ns, kind, data FROM files WHERE kind IN (?, ?)"]
        args: list[object] = [KIND_POST, KIND_POST_JSON]
        for kind, names in ((TERM_CATEGORY, q.categories), (TERM_TAG, q.tags)):
            for name in dict.fromkeys(names):
                sql.append("AND id IN (SELECT file_id FROM file_terms WHERE kind = ? AND name = ?)")
                args += [kind, name]
        if q.since is not None or q.until is not None:
            sql.append("AND day BETWEEN ? AND ?")
            args.append(q.since.toordinal() if q.since is not None else 1)
            args.append(q.until.toordinal() if q.until is not None else date.max.toordinal())
        wanted = q.paths
        if wanted is not None and len(wanted) <= _PATHS_BY_SQL:
            sql.append("AND path IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(sorted(wanted)))
            wanted = None
        cursor = self._conn.execute(" ".join(sql), args)
        rows = _kept(cursor, wanted)
        ids = [r[0] for r in rows]
        stamps = [_NO_DATE if r[1] is None else r[1] for r in rows]
        # `Post`s, not a table: every one of them is asked for below.
        posts: list[Post] = []
        RowDecoder(self.fingerprint.zones, keep_excerpts=False).decode(
            ((r[2], r[3], r[4], r[5], r[6], None) for r in rows), Decoded(posts)
        )
        if len(posts) != len(rows):
            raise CacheDamaged("a post row did not decode to a post")
        keep = _Filter(q)
        chosen = [n for n, post in enumerate(posts) if keep(post)]
        if sort:
            chosen = _ordered(chosen, posts, ids, stamps, q)
        return [posts[n] for n in chosen]


def _kept(
    cursor: Iterator[tuple[int, float | None, str, int, int, int, str | None]],
    wanted: frozenset[str] | None,
) -> list[tuple[int, float | None, str, int, int, int, str | None]]:
    if wanted is None:
        return list(cursor)
    return [r for r in cursor if r[2] in wanted]


class _Filter:
    """What SQL does not decide: month, drafts, excluded paths, the title text."""

    def __init__(self, q: Query) -> None:
        self.year, self.month = q.year, q.month
        self.drafts_only = q.drafts_only
        self.exclude = q.exclude_paths or frozenset()
        self.needle = q.text.strip().casefold()

    def __call__(self, post: Post) -> bool:
        if self.year is not None:
            when = post.date
            if when is None or when.year != self.year:
                return False
            if self.month is not None and when.month != self.month:
                return False
        if self.drafts_only and not post.draft:
            return False
        if post.path in self.exclude:
            return False
        return not self.needle or self.needle in _folded(post.title)


def _ordered(
    chosen: list[int], posts: list[Post], ids: list[int], stamps: list[float], q: Query
) -> list[int]:
    """`chosen` in `Library.query`'s order: the date order is (date, path); the others are
    (key, newest first, position in the library), where a library loaded from the cache holds
    the posts in row order; descending is the exact reverse."""
    if q.path_order is not None:
        rank = {path: n for n, path in enumerate(q.path_order)}
        ranks = [rank.get(posts[n].path) for n in chosen]
        if None not in ranks:  # (a search's hits) the given order decides alone
            return [n for _r, n in sorted(zip(ranks, chosen, strict=True))]
    if q.sort is SortKey.DATE:
        chosen.sort(key=lambda n: (stamps[n], posts[n].path))
    else:
        if q.sort is SortKey.TITLE:
            keys = {n: _title_key(posts[n].title) for n in chosen}
        else:
            keys = {
                n: _folded(posts[n].categories[0]) if posts[n].categories else "\uffff"
                for n in chosen
            }
        chosen.sort(key=lambda n: (keys[n], -stamps[n], ids[n]))
    if q.descending:
        chosen.reverse()
    if q.path_order is not None:
        rank = {path: n for n, path in enumerate(q.path_order)}
        last = len(rank)
        chosen.sort(key=lambda n: rank.get(posts[n].path, last))
    return chosen

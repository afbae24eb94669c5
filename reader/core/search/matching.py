"""Answering a search from the full-text index: one page of matching posts, newest first (in
FTS5's own descending rowid walk, exact even where rows were written out of date order) or
best first (BM25, titles weighted), optionally within a set of posts, with an exact count on
request.

Owns `Matching`, the searching half of `index.SearchIndex` (which provides the connections),
and `SearchResult`. The query language is `query.py`.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Callable, Collection
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Literal, TypeVar

from reader.core.search.query import ParsedQuery, label_key, parse_query

_T = TypeVar("_T")
TITLE_WEIGHT = 4.0  # bm25 weight of a title hit against a body hit
# A page reaching this far down (the window's "every match") reads every hit at once.
READ_ALL_FROM = 5_000
_MOST_AT_ONCE = 4096  # rows a date-ordered first page reads at once, at most


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of hits; `total` is the number of hits, or None when it was not counted."""

    paths: list[str]
    total: int | None


def terms_for_highlight(query: str) -> list[str]:
    """The positive words and phrases of `query` as typed (not excluded ones, not tag values)."""
    return parse_query(query).highlight_terms()


class Matching:
    """Searching (mixed into `SearchIndex`, which comes first and provides `_read` and the
    cache of the last `within` set)."""

    _within: tuple[frozenset[str], int, int, int] | None

    if TYPE_CHECKING:

        def _read(self, fn: Callable[[sqlite3.Connection], _T], default: _T) -> _T: ...

    def search(
        self,
        query: str,
        *,
        order: Literal["date", "relevance"] = "date",
        within: Collection[str] | None = None,
        limit: int = 200,
        offset: int = 0,
        with_total: bool = False,
    ) -> SearchResult:
        """One page of the posts matching `query` (see `query` for the language),
        newest first or best first, optionally only among the posts at `within`.
        `total` is counted when `with_total`, or when it came for free."""
        parsed = parse_query(query)
        nothing_asked = parsed.is_empty and not parsed.exclude
        if nothing_asked or limit <= 0 or (within is not None and not within):
            return SearchResult([], 0)
        offset = max(0, offset)

        def run(r: sqlite3.Connection) -> SearchResult:
            sql, args = self.select(r, parsed, within)
            if order == "relevance" and parsed.include:
                page = r.execute(
                    f"SELECT d.path {sql} ORDER BY bm25(fts, 1.0, {TITLE_WEIGHT}), d.id DESC"
                    " LIMIT ? OFFSET ?",
                    [*args, limit, offset],
                ).fetchall()
                paths, total = [p for (p,) in page], None
            else:
                found = self._newest_page(r, parsed, within, sql, args, offset + limit)
                if found is not None:
                    paths, total = found[offset:], None
                else:  # every hit is needed: read them all (and count them)
                    order_by = "fts.rowid" if parsed.include else "d.id"
                    cursor = r.execute(
                        f"SELECT d.id, d.ts, d.misplaced, d.path {sql} ORDER BY {order_by} DESC",
                        args,
                    )
                    paths, total = _newest_first(cursor, offset, limit)
            if total is None and with_total:
                total = _count(r, parsed, within, sql, args)
            return SearchResult(paths, total)

        return self._read(run, SearchResult([], None))

    def _newest_page(
        self,
        r: sqlite3.Connection,
        parsed: ParsedQuery,
        within: Collection[str] | None,
        sql: str,
        args: list[object],
        need: int,
    ) -> list[str] | None:
        """The paths of the newest `need` hits by (date, rowid), or None when that takes
        reading every hit (a page reaching `READ_ALL_FROM`, or fewer hits in date order than
        `need`). The hits in date order are read in rowid order and stop at `need`; those out
        of it (edited, back-filled) can only come before the last of them when dated from its
        day on, and are asked by date (the `docs_ts` index), each checked against the match
        by its rowid. Read in one walk, 7,000 of them at a million posts were every first
        page's toll (14-27 ms; now 2-14 ms). Not for a prefix (see below): one walk then."""
        if need >= READ_ALL_FROM:
            return None
        if any(term.fts.endswith("*") for term in (*parsed.include, *parsed.exclude)):
            # A prefix's rows are merged from every word it starts, for each row checked:
            # 'Tesla*' took 160-260 ms for 3 rows (the window's last word is a prefix).
            return None
        order_by = "fts.rowid" if parsed.include else "d.id"
        in_order = r.execute(
            f"SELECT d.id, d.ts, d.path {sql} AND NOT d.misplaced ORDER BY {order_by} DESC LIMIT ?",
            [*args, need],
        ).fetchall()
        if len(in_order) < need:
            return None
        docs_sql, docs_args = self.select(r, parsed, within, docs_first=True)
        strays = r.execute(
            f"SELECT d.id, d.ts, d.path {docs_sql} AND d.misplaced AND d.ts >= ?",
            [*docs_args, in_order[-1][1]],
        ).fetchall()
        rows = in_order + strays
        rows.sort(key=itemgetter(1, 0), reverse=True)  # (ts, rowid), newest first
        return [row[2] for row in rows[:need]]

    @staticmethod
    def terms_for_highlight(query: str) -> list[str]:
        """The words and phrases the reading pane should mark for `query` (module function)."""
        return terms_for_highlight(query)

    def count_matches(self, query: str, *, within: Collection[str] | None = None) -> int:
        """How many posts match `query` (a full count: slower than a first page)."""
        return self.search(query, within=within, limit=1, with_total=True).total or 0

    def select(
        self,
        r: sqlite3.Connection,
        q: ParsedQuery,
        within: Collection[str] | None,
        *,
        docs_first: bool = False,
    ) -> tuple[str, list[object]]:
        """The FROM/WHERE part of a search and its arguments. `docs_first`: the posts are
        walked (by a condition the caller adds on them), each checked against the match by
        its rowid, instead of the match's rowids walked."""
        where: list[str] = []
        args: list[object] = []
        match = q.match()
        if match is not None and docs_first:
            sql = "FROM docs AS d CROSS JOIN fts ON fts.rowid = d.id WHERE fts MATCH ?"
            args.append(match)
        elif match is not None:
            # CROSS JOIN keeps fts outermost, so its rowid order serves ORDER BY and LIMIT.
            sql = "FROM fts CROSS JOIN docs AS d ON d.id = fts.rowid WHERE fts MATCH ?"
            args.append(match)
        else:
            sql = "FROM docs AS d WHERE 1"
            excluded = q.excluded_match()
            if excluded is not None:
                where.append("d.id NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
                args.append(excluded)
        for values, is_tag, present in (
            (q.tags, True, True),
            (q.categories, False, True),
            (q.exclude_tags, True, False),
            (q.exclude_categories, False, False),
        ):
            for v in values:
                where.append(f"instr(d.labels, ?) {'>' if present else '='} 0")
                args.append(label_key(is_tag, v))
        if within is not None:
            low, high = self._fill_within(r, within)
            # The rowid range lets FTS5 skip straight to the selection (a year, a month).
            rowid = "fts.rowid" if match is not None else "d.id"
            where.append(f"{rowid} BETWEEN ? AND ? AND d.id IN (SELECT id FROM temp.within_ids)")
            args += [low, high]
        return " AND ".join([sql, *where]), args

    def _fill_within(self, r: sqlite3.Connection, within: Collection[str]) -> tuple[int, int]:
        """Put the rowids of the posts at `within` in temp.within_ids (unless they are there
        already); their lowest and highest rowid."""
        key = within if isinstance(within, frozenset) else frozenset(within)
        version = int(r.execute("PRAGMA data_version").fetchone()[0])
        cached = self._within
        if cached is not None and cached[1] == version and cached[0] == key:
            return cached[2], cached[3]
        r.execute("DELETE FROM temp.within_ids")
        r.execute(
            "INSERT OR IGNORE INTO temp.within_ids(id) SELECT d.id FROM json_each(?) AS j"
            " JOIN docs AS d ON d.path = j.value",
            (json.dumps(list(key)),),
        )
        low, high = r.execute("SELECT min(id), max(id) FROM temp.within_ids").fetchone()
        if low is None:
            low, high = 1, 0  # nothing indexed there: an empty range
        self._within = (key, version, int(low), int(high))
        return int(low), int(high)


def _count(
    r: sqlite3.Connection,
    q: ParsedQuery,
    within: Collection[str] | None,
    sql: str,
    args: list[object],
) -> int:
    """How many posts the search `sql` finds. Words alone, while no post's words were left
    behind in the FTS table (`dead` is empty until a post is removed or replaced), are counted
    without joining `docs`: every FTS row is then a post (at a million hits, 0.1 s of the
    0.15-0.6 s a common word's count took)."""
    match = q.match()
    labels = q.tags or q.categories or q.exclude_tags or q.exclude_categories
    words_alone = match is not None and within is None and not labels
    if words_alone and r.execute("SELECT NOT EXISTS (SELECT 1 FROM dead)").fetchone()[0]:
        found = r.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()
        return int(found[0])
    return int(r.execute(f"SELECT count(*) {sql}", args).fetchone()[0])


def _newest_first(cursor: sqlite3.Cursor, offset: int, limit: int) -> tuple[list[str], int | None]:
    """Read (id, ts, misplaced, path) rows in descending rowid order until the page
    [offset, offset + limit) by (date, rowid) descending is certain; the total if all were read.

    Rows that are not misplaced come in exact date order, and every row not read yet sorts
    after the last such row (module docstring), so reading stops there once enough rows sort
    before it. Misplaced rows are only collected and sorted in. Rows are read a batch at a
    time (the page's size first, then twice as many each time): thousands of misplaced rows
    ahead of the first in order (edited or back-filled posts) were each a Python step and an
    insertion into a sorted list, 120 ms of a common word's first page at a million posts."""
    need = offset + limit
    if need >= READ_ALL_FROM:
        # Most of the rows are wanted (the window asks for every match): read them at once and
        # sort them in C (a row at a time in Python, 100,000 hits took 0.28 s).
        every = cursor.fetchall()
        every.sort(key=itemgetter(1, 0), reverse=True)  # (ts, rowid), as below
        return [row[3] for row in every[offset:need]], len(every)
    rows: list[tuple[int, float, int, str]] = []
    strays: list[tuple[float, int]] = []  # the misplaced rows' (ts, rowid), sorted
    in_order, size = 0, need
    while batch := cursor.fetchmany(size):
        size = min(size * 2, _MOST_AT_ONCE)
        rows += batch
        strayed = [(ts, rowid) for rowid, ts, misplaced, _p in batch if misplaced]
        if strayed:
            strays += strayed
            strays.sort()  # (two sorted runs: merged in one pass)
        keys = [(ts, rowid) for rowid, ts, misplaced, _p in batch if not misplaced]
        if in_order + len(keys) + len(strays) >= need:
            # Strays of this batch read after a row sort after it: counting them changes nothing.
            for k, key in enumerate(keys, in_order + 1):
                if k + len(strays) - bisect.bisect_left(strays, key) >= need:
                    return _page(rows, offset, need), None
        in_order += len(keys)
    return _page(rows, offset, need), len(rows)


def _page(rows: list[tuple[int, float, int, str]], offset: int, need: int) -> list[str]:
    """The paths of rows [offset, need) by (date, rowid) descending."""
    rows.sort(key=itemgetter(1, 0), reverse=True)
    return [row[3] for row in rows[offset:need]]

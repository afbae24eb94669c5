"""A search answered in two steps: its first page now, every match later on any thread.

At a million posts a word found in most of them has a million hits: reading them all took
SQLite 2.4-3.4 s, and a window that waited for them stood still. `Folder.search_first` answers
with the newest (or best) `page` hits at once (a few milliseconds: the index is read in date
order and stops) and a `PendingSearch`, whose `finish()` reads every match with their count on
its own read-only connection to the index, so the window's next search never waits behind it.
Everything the library is asked (the filter's posts) is asked by `search_first`, on the caller's
thread: `finish()` reads only the index.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sqlite3
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from reader.core.errors import StorageError
from reader.core.library import Library, Query
from reader.core.post import Post, SortKey
from reader.core.search.answer import SearchOrder, SearchResult
from reader.core.search.matching import TITLE_WEIGHT, Matching, terms_for_highlight
from reader.core.search.query import parse_query
from reader.core.storage import db

log = logging.getLogger(__name__)

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search within a filter, with what the library said of the filter."""

    text: str
    node: Query  # the filter, without text and order
    order: SearchOrder
    within: frozenset[str] | None  # the filter's paths (None: every post)
    everything: int  # how many posts there are in all

    @classmethod
    def of(
        cls,
        text: str,
        filter: Query,
        order: SearchOrder,
        posts_of: Callable[[Query], Iterable[Post]],
        everything: int,
    ) -> SearchRequest:
        """The search of `text` within `filter`; `posts_of(query)` lists the filter's posts
        (asked only when the filter is more than an order), `everything` counts all posts."""
        node = dataclasses.replace(filter, text="", path_order=None)
        plain = dataclasses.replace(Query(), sort=node.sort, descending=node.descending)
        within = None if node == plain else frozenset(p.path for p in posts_of(node))
        return cls(text, node, order, within, everything)

    @property
    def most(self) -> int:
        """How many hits there can be at most."""
        return max(1, self.everything if self.within is None else len(self.within))

    def run(self, index: Matching, limit: int | None, counted: bool) -> SearchResult:
        """The search on `index`: `limit` hits (None: every one), their total if `counted`."""
        found = index.search(
            self.text,
            order=self.order,
            within=self.within,
            limit=self.most if limit is None else limit,
            with_total=counted,
        )
        return self.answered(found.paths, found.total)

    def answered(self, paths: list[str], total: int | None) -> SearchResult:
        """The hits as a `Query`: in the search's order when it is the list's (newest first,
        or best first), else in the filter's sort."""
        node, found = self.node, tuple(paths)
        keep = self.order == "relevance" or (node.sort is SortKey.DATE and node.descending)
        query = dataclasses.replace(
            node, paths=frozenset(found), path_order=found if keep else None
        )
        return SearchResult(query, found, total, tuple(terms_for_highlight(self.text)))


class _ReadOnlyIndex(Matching):
    """The index's searches on a connection of their own (read-only, any one thread)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._within = None

    def _read(self, fn: Callable[[sqlite3.Connection], _T], default: _T) -> _T:
        return fn(self._conn)


@dataclass(slots=True)
class PendingSearch:
    """See the module's text: `first` now, `finish()` (any thread, once) every match;
    `cancel()` (any thread) stops a `finish()` under way (it then answers None)."""

    request: SearchRequest
    first: SearchResult
    index_path: Path | None
    _conn: sqlite3.Connection | None = None
    _cancelled: bool = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        self._cancelled = True
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed meanwhile: done
                conn.interrupt()  # SQLite's own way to stop a query from another thread

    def finish(self) -> SearchResult | None:
        """Every match of the search, counted; None when the index cannot be read now (the
        caller keeps the first page). Opens and closes its own connection."""
        if self.first.total is not None:  # the first page was every match already
            return self.first
        request = self.request
        return self._read_rest(lambda conn: request.run(_ReadOnlyIndex(conn), None, counted=True))

    def finish_rows(self, library: Library) -> tuple[SearchResult, array[int]] | None:
        """`finish()`, answered as `library`'s rows: every match's post number, in the order
        `finish().query` would list them, and a `SearchResult` whose query lists nothing
        itself (use the rows). Each batch of hits is turned into rows as it is read: a word in
        most of a million posts was a million paths, a tuple of each hit, a tuple and a
        frozenset of the paths, and took the window from 380 to 740 MB. Call it on one thread
        while `library` does not change (the caller checks its version); None as `finish()`."""
        request = self.request
        if self.first.total is not None:  # the first page was every match already
            rows = array("i", [row for row in library.rows_at(self.first.paths) if row >= 0])
            total = self.first.total
        else:
            read = self._read_rest(
                lambda conn: _every_hit(_ReadOnlyIndex(conn), request, library.rows_at)
            )
            if read is None:
                return None
            rows, total = read
        node = request.node
        if not (request.order == "relevance" or (node.sort is SortKey.DATE and node.descending)):
            rows = array("i", library.ordered(rows, node.sort, node.descending))
        return _as_rows(request.answered([], total)), rows

    def _read_rest(self, read: Callable[[sqlite3.Connection], _T]) -> _T | None:
        """`read` on a read-only connection of its own to the index, opened and closed here
        (`cancel()` interrupts it); None when the index cannot be read now, or cancelled."""
        if self.index_path is None:
            return None
        try:
            conn = db.connect(self.index_path, read_only=True)
        except (sqlite3.Error, OSError, StorageError) as exc:
            log.info("the rest of a search was not read: %s", exc)
            return None
        self._conn = conn
        try:
            if self._cancelled:
                return None
            conn.execute("CREATE TEMP TABLE within_ids(id INTEGER PRIMARY KEY)")
            return read(conn)
        except sqlite3.Error as exc:  # stopped, busy, damaged: the first page stays
            if not self._cancelled:
                log.info("the rest of a search was not read: %s", exc)
            return None
        finally:
            self._conn = None
            conn.close()


def _as_rows(result: SearchResult) -> SearchResult:
    """`result` without its paths, its query listing nothing (its rows stand for them)."""
    query = dataclasses.replace(result.query, paths=frozenset(), path_order=None)
    return dataclasses.replace(result, query=query, paths=())


_BATCH = 8192  # hits turned into rows at a time


def _every_hit(
    index: _ReadOnlyIndex,
    request: SearchRequest,
    rows_at: Callable[[list[str]], array[int]],
) -> tuple[array[int], int]:
    """Every hit of `request` as rows (hits not in the library left out), newest first or
    best first as `Matching.search` orders them, and how many hits there are."""
    parsed = parse_query(request.text)
    within = request.within
    if (parsed.is_empty and not parsed.exclude) or (within is not None and not within):
        return array("i"), 0
    conn = index._conn
    sql, args = index.select(conn, parsed, within)
    best_first = request.order == "relevance" and bool(parsed.include)
    order_by = f" ORDER BY bm25(fts, 1.0, {TITLE_WEIGHT}), d.id DESC" if best_first else ""
    cursor = conn.execute(f"SELECT d.id, d.ts, d.path {sql}{order_by}", args)
    ids, stamps, rows = array("q"), array("d"), array("i")
    while batch := cursor.fetchmany(_BATCH):
        ids.extend([hit[0] for hit in batch])
        stamps.extend([hit[1] for hit in batch])
        rows.extend(rows_at([hit[2] for hit in batch]))
    total = len(rows)
    if not best_first and total:
        import numpy as np

        # Newest first, the later written first among equal dates: (ts, rowid) descending.
        order = np.lexsort((np.frombuffer(ids, np.int64), np.frombuffer(stamps, np.float64)))
        rows = array("i", np.frombuffer(rows, np.int32)[order[::-1]].tobytes())
    return array("i", [row for row in rows if row >= 0]), total

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from reader.core.errors import StorageError
from reader.core.library import Query
from reader.core.post import Post, SortKey
from reader.core.search.answer import SearchOrder, SearchResult
from reader.core.search.matching import Matching, terms_for_highlight
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
        request = self.request
        if self.first.total is not None:  # the first page was every match already
            return self.first
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
            return request.run(_ReadOnlyIndex(conn), None, counted=True)
        except sqlite3.Error as exc:  # stopped, busy, damaged: the first page stays
            if not self._cancelled:
                log.info("the rest of a search was not read: %s", exc)
            return None
        finally:
            self._conn = None
            conn.close()

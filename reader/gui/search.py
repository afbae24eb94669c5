"""SearchController: the search field above the list, and what it adds to the list's query.

Owns the debounce timer (a query runs once typing rests), the order of results (newest first or
best match) and the last answer, whose terms the reading pane highlights. Searching is listing
with a text condition: `list_query(filter)` hands the tree's filter to `Folder.search_first`,
which answers with a `Query` for the library; before the full-text index exists, titles are
filtered. A search is answered in two steps: its first page at once, then, from a thread reading
every match (`PendingSearch.finish`), the whole list and its count (a word in most of a million
posts has a million hits: 2-3 s of SQLite the window used to wait for).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
from array import array
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from reader.core import Query, SearchOrder, SearchResult, StorageError
from reader.gui.context import WindowContext
from reader.gui.threads import SerialCalls

if TYPE_CHECKING:
    from reader.core import Folder, PendingSearch

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 200
# The hits shown at once; the rest follow from a thread (see the module's text).
FIRST_PAGE = 200
# What the reading thread sends when the library changed under it (the answer is let go).
_STALE = "stale"
# What a whole answer is kept by: the folder (its id), the library's version, the text, the
# filter, the order.
_Key = tuple[int, int, str, Query, SearchOrder]

# The last word of the field, when it is a plain Latin word (not -excluded, not tag:/category:).
_LAST_WORD = re.compile(r"(?:^|\s)([A-Za-z0-9]+)$")


def with_prefix_last_word(text: str) -> str:
    """`text` with its last word matched as a prefix ("rub" finds "ruby"), as it is typed; a
    space after it, or a quoted phrase still open, keeps the words whole."""
    if text.count('"') % 2 or _LAST_WORD.search(text) is None:
        return text
    return text + "*"


class SearchController(QObject):
    """The search field's feature (see the module docstring)."""

    query_changed = Signal()  # the list must be queried again
    submitted = Signal()  # Return in the search field: the list may take the focus
    # From the thread reading every match: (its PendingSearch, (whole answer or None, rows)).
    _rest_read = Signal(object, object)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.result: SearchResult | None = None
        # The last search read whole, by its key (folder, library version, text, filter,
        # order), with its rows when the reading thread made them (`rows_for`: then held as
        # those rows alone, its query listing nothing); and the one being read.
        self._whole: tuple[_Key, SearchResult, array[int] | None] | None = None
        self._reading: tuple[_Key, PendingSearch] | None = None
        self._reader = SerialCalls("search-rest")  # reads every match, a search at a time
        self._rest_read.connect(self.on_rest_read)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.query_changed)
        ctx.search_edit.textChanged.connect(self.on_text_changed)
        ctx.search_edit.returnPressed.connect(self.on_search_return)

    @property
    def text(self) -> str:
        return self._ctx.search_edit.text().strip()

    @property
    def terms(self) -> tuple[str, ...]:
        """What the reading pane highlights (from the last full-text answer)."""
        return self.result.terms if self.result is not None else ()

    @property
    def total(self) -> int | None:
        """All matches of the last full-text answer (the list shows every one)."""
        return self.result.total if self.result is not None else None

    def list_query(self, filter: Query) -> Query:
        """`filter` (the tree's selection, the sort) with the search text applied."""
        self.result = None
        text = with_prefix_last_word(self._ctx.search_edit.text().lstrip())
        folder = self._ctx.folder
        if not text.strip() or folder is None:
            return filter
        if folder.has_index:
            # The list's sort (reader.gui.sort_state) says when the best match comes first.
            relevance = self._ctx.order_combo.currentData() == "relevance"
            order: SearchOrder = "relevance" if relevance else "date"
            key: _Key = (id(folder), folder.library.version, text, filter, order)
            if self._whole is not None and self._whole[0] == key:
                self.result = self._whole[1]
                return self.result.query
            try:
                pending = folder.search_first(text, filter, order, page=FIRST_PAGE)
            except StorageError as exc:  # the index went bad: titles still filter
                log.warning("search failed: %s", exc)
            else:
                self.result = pending.first
                self._read_rest(key, pending)
                return self.result.query
        # No index yet: the core filters titles.
        return dataclasses.replace(filter, text=self.text)

    @property
    def counting(self) -> bool:
        """The list shows a search's first page while every match is being read."""
        return self.result is not None and self.result.total is None and self._reading is not None

    def _read_rest(self, key: _Key, pending: PendingSearch) -> None:
        """Stop reading the last search's rest; read this one's, unless its page was all."""
        if self._reading is not None:
            self._reading[1].cancel()
            self._reading = None
        if pending.first.total is not None:
            self._whole = (key, pending.first, None)
            return
        self._reading = (key, pending)
        self._reader.call(self._finish, pending, self._ctx.folder)

    def _finish(self, pending: PendingSearch, folder: Folder) -> None:
        # On the reading thread: every match, as their rows in the list's order (a million
        # hits: seconds the window's thread need not wait for). The library may change
        # meanwhile, on the window's thread: the rows are then for another version, which
        # `rows_for` never answers (the list searches again), or their making fails.
        answer: tuple[SearchResult, array[int]] | str | None
        try:
            answer = pending.finish_rows(folder.library)
        except Exception:  # the library changed under it: the next search reads again
            log.debug("rows of a search not made on the reading thread", exc_info=True)
            answer = _STALE
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self._rest_read.emit(pending, answer)

    @Slot(object, object)
    def on_rest_read(
        self, pending: PendingSearch, answer: tuple[SearchResult, array[int]] | str | None
    ) -> None:
        if self._reading is None or self._reading[1] is not pending:
            return  # another reading since (maybe of the same search, after the index grew)
        key = self._reading[0]
        self._reading = None
        folder = self._ctx.folder
        if answer == _STALE or pending.cancelled or folder is None:
            return
        if answer is None:
            # The index could not be read from another connection (busy, or its files
            # cannot be opened read-only): every match is read here, as before, not left out.
            try:
                whole = folder.search(key[2], key[3], key[4])
            except StorageError as exc:
                log.warning("search failed: %s", exc)
                return
            self._whole = (key, whole, None)
        else:
            self._whole = (key, *answer)
        self.query_changed.emit()  # the list asks again, and gets the whole answer

    def rows_for(self, query: Query) -> array[int] | None:
        """The rows of `query` when it is the whole answer's, made on the reading thread for
        this version of the library (None: the library must be asked). The whole answer's
        query, once it has rows, lists nothing itself (`PendingSearch.finish_rows`): narrow
        these instead."""
        folder, whole = self._ctx.folder, self._whole
        if whole is None or whole[1].query is not query or folder is None:
            return None
        if whole[0][:2] != (id(folder), folder.library.version):
            return None
        return whole[2]

    @Slot(str)
    def on_text_changed(self, _text: str) -> None:
        self._timer.start()

    @Slot(int)
    def on_order_changed(self, _index: int) -> None:
        self.query_changed.emit()

    @Slot()
    def on_search_return(self) -> None:
        self._timer.stop()
        self.query_changed.emit()
        self.submitted.emit()

    @Slot()
    def on_index_finished(self) -> None:
        """The index caught up: a search on screen may have more hits now (a reading of every
        match begun before is stopped: it may have missed some)."""
        self._whole = None
        if self._reading is not None:
            self._reading[1].cancel()
            self._reading = None
        if self.text:
            self.query_changed.emit()

    @Slot()
    def focus(self) -> None:
        self._ctx.search_edit.setFocus()
        self._ctx.search_edit.selectAll()

    def clear(self) -> None:
        """Empty the field and query at once (not after the debounce)."""
        self._ctx.search_edit.clear()
        self._timer.stop()

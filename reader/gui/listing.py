"""ArticleList: the middle column, the list of articles the tree and the search select.

Owns the list's query (the tree's selection, the sort, the search, the user's marks), running it
on the core and handing the rows to `PostListModel`, keeping the current article selected across
refreshes, restoring the last opened one after a load, moving with J/K, and the status line.
The core filters, sorts and counts; nothing here walks the posts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QTableView,
    QWidget,
)

from reader.core import Query, SortKey, interacting, since_until
from reader.gui.context import WindowContext
from reader.gui.models.nav_tree import NodeKind
from reader.gui.models.post_list import Column, PostListModel
from reader.gui.widgets.nav_panel import Selection


class _ArticleTable(QTableView):
    """Getting the focus with no current row does not make the first row current, as Qt's
    views do: a current row opens its post, and which post opens is the window's choice (the
    one open before a restart, once the folder's check is done). The window, shown while a
    folder was checked, opened the newest post that way and lost the one to restore."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Override of QAbstractItemView.focusInEvent (see the class)."""
        if self.currentIndex().isValid():
            super().focusInEvent(event)
            return
        QAbstractScrollArea.focusInEvent(self, event)
        self.viewport().update()


def build_list_view(parent: QWidget, model: PostListModel) -> QTableView:
    """The article table: whole rows, fixed heights, the title column stretching."""
    view = _ArticleTable(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().hide()
    # Fixed row heights: the view never measures 100,000 rows.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(parent.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setSectionResizeMode(Column.STAR, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(Column.STAR, 28)
    header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(Column.DATE, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(Column.CATEGORY, QHeaderView.ResizeMode.Interactive)
    # A day and a time (reader.gui.models.post_list.list_date).
    date_text = "2024-12-31 23:59"
    header.resizeSection(Column.DATE, parent.fontMetrics().horizontalAdvance(date_text) + 24)
    header.resizeSection(Column.CATEGORY, 96)
    header.setMinimumSectionSize(24)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header.setHighlightSections(False)
    view.setSortingEnabled(True)
    header.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return view


class ArticleList(QObject):
    """The list's feature (see the module docstring)."""

    list_refreshed = Signal()  # the list query ran again (`view_query` is what it listed)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.selection = Selection()
        self.sort = SortKey.DATE
        self.descending = True
        self.pending_restore: str | None = None
        # The last view listed (tree node, filters, search), before the timeline's range.
        self.view_query: Query | None = None
        self.view_rows: Sequence[int] | None = None  # its rows, when no range narrowed them

    def current_query(self) -> Query:
        """The tree's selection and the sort, with the user's marks (no search text)."""
        sel, marks = self.selection, self._ctx.marks
        default_order = self.sort is SortKey.DATE and self.descending
        current = self._ctx.article.current_path
        saved = self._ctx.saved_searches.find(sel.saved) if sel.saved else None
        folder = self._ctx.folder
        if saved is not None and folder is not None:  # a saved search lists what it finds
            return dataclasses.replace(
                folder.saved_query(saved, self.sort), descending=self.descending
            )
        return Query(
            categories=sel.categories,
            tags=sel.tags,
            year=sel.year,
            month=sel.month,
            drafts_only=sel.drafts,
            paths=marks.bookmarked_paths if sel.bookmarks else None,
            # The Unread view keeps the open post, so reading it does not pull it away.
            exclude_paths=(
                ((marks.read_paths if sel.unread else frozenset()) | self._ctx.sources.excluded)
                - {current or ""}
            )
            or None,
            sort=self.sort,
            descending=self.descending,
            path_order=marks.bookmark_order if sel.bookmarks and default_order else None,
        )

    # --- refreshing ---------------------------------------------------------------------------

    @Slot()
    def refresh_views(self) -> None:
        """Rebuild the tree counts and re-run the list query (keeps the selection)."""
        if self._ctx.folder is not None:
            self.refresh_tree()
            self.refresh_list()

    def refresh_tree(self) -> None:
        """Rebuild the tree's counts (and its order, once a load has ended)."""
        folder = self._ctx.folder
        if folder is None:
            return
        session = self._ctx.session
        loading = session.loading or session.checking  # the tree keeps its order meanwhile
        self._ctx.nav.set_library(folder.library, *self._ctx.marks.counts(), loading=loading)

    @Slot()
    def refresh_list(self) -> None:
        with interacting():  # background work waits (reader.core.foreground)
            self._refresh_list()

    def _refresh_list(self) -> None:
        folder = self._ctx.folder
        if folder is None:
            return
        ctx, session = self._ctx, self._ctx.session
        terms_before = ctx.search.terms
        self.view_query = ctx.search.list_query(self.current_query())
        ranged = ctx.timeline.restrict(self.view_query)
        # A search's whole answer comes as rows, made on its reading thread (its query lists
        # nothing itself): a range chosen on the timeline narrows them.
        whole = ctx.search.rows_for(self.view_query)
        rows: Sequence[int]
        if whole is None:
            rows = folder.library.query(ranged)
        elif ranged is self.view_query:
            rows = whole
        else:
            rows = since_until(folder.library, whole, ranged.since, ranged.until)
        # The view's rows before any range narrowed them: what the timeline counts.
        self.view_rows = whole if whole is not None else rows if ranged is self.view_query else None
        current = ctx.article.current_path
        if ctx.search.terms != terms_before and current is not None:
            ctx.article.refresh_header()  # re-highlight the open post
        ctx.list_model.set_rows(folder.library, rows)
        target = current or self.pending_restore
        row = ctx.list_model.row_of(target) if target else None
        # While loading or checking, the last-opened post may still be restored: select nothing.
        # Nor while the pane says the open post's file is gone: the reader should see that.
        idle = not session.loading and not session.checking and ctx.article.gone_path is None
        if row is None and current is None and idle:
            row = 0 if rows else None
        if row is not None:
            opening = (target != current) or current is None
            self.select_row(row, open_post=opening)
            post = ctx.list_model.post_at(row)
            if opening and post is not None and ctx.article.current_path != post.path:
                # The row was current already (so selecting it opened nothing): open it.
                ctx.article.open_post(post.path)
            if target == self.pending_restore and ctx.article.current_path == target:
                self.pending_restore = None
        self.update_status()
        self.list_refreshed.emit()

    @Slot()
    def on_marks_changed(self) -> None:
        self._ctx.list_model.refresh_state()
        if self._ctx.folder is None:
            return
        self._ctx.nav.set_counts(*self._ctx.marks.counts())
        if self.selection.bookmarks or self.selection.unread:
            self.refresh_list()
        if self._ctx.article.current_path is not None:
            self._ctx.article.refresh_header()

    def update_status(self) -> None:
        ctx = self._ctx
        folder = ctx.folder
        if folder is None:
            return
        library = folder.library
        text = self.tr("{total} posts · {shown} shown").format(
            total=len(library.posts), shown=ctx.list_model.rowCount()
        )
        problems = len(library.problems)
        if problems:
            text += (
                self.tr(" · 1 problem") if problems == 1 else self.tr(" · {n} problems")
            ).format(n=problems)
        total = ctx.search.total
        if total is not None:  # every match is listed (Folder.search has no cap)
            text += (self.tr(" · 1 match") if total == 1 else self.tr(" · {n} matches")).format(
                n=total
            )
        elif ctx.search.counting:  # the first page is shown; every match follows
            text += self.tr(" · finding every match…")
        if ctx.session.loading:  # the first rows come before the folder is scanned
            text += self.tr(" · reading the folder…")
        if ctx.session.checking:
            text += self.tr(" · checking the folder for changes…")
        indexing = ctx.session.indexing
        if indexing is not None and ctx.search.text and total is None:
            # Said plainly: the list is not the search's full answer yet.
            text += self.tr(
                " · titles only for now: the search index is being built ({done}/{total}); "
                "the matches in the text follow"
            ).format(done=indexing[0], total=indexing[1])
        elif indexing is not None:
            text += self.tr(" · indexing for search {done}/{total}").format(
                done=indexing[0], total=indexing[1]
            )
        ctx.status_label.setText(text)

    # --- choosing what to list ----------------------------------------------------------------

    @Slot(Selection)
    def on_nav_selection_changed(self, selection: Selection) -> None:
        with interacting():
            self.selection = selection
            self.refresh_list()

    @Slot(SortKey, bool)
    def on_sort_requested(self, key: SortKey, descending: bool) -> None:
        with interacting():
            self.sort, self.descending = key, descending
            # An order being built in the background is waited for, not built a second time
            # here (twice the CPU and the memory, on the GUI thread); it never gives way.
            self._ctx.session.orders.finish()
            self.refresh_list()

    @Slot(str)
    def on_category_requested(self, name: str) -> None:
        self._ctx.nav.select_node(NodeKind.CATEGORY, name)

    @Slot(str)
    def on_tag_requested(self, name: str) -> None:
        self._ctx.nav.select_node(NodeKind.TAG, name)

    def show_all(self) -> None:
        """No search, no tree filter: every post listed."""
        self._ctx.search.clear()
        self._ctx.nav.select_node(NodeKind.ALL)
        self.refresh_list()

    @Slot(QModelIndex)
    def on_list_clicked(self, index: QModelIndex) -> None:
        """A click in the star column toggles the bookmark."""
        if index.column() == Column.STAR:
            post = self._ctx.list_model.post_at(index.row())
            if post is not None:
                self._ctx.marks.bookmark_with_message(post)

    @Slot()
    def on_search_submitted(self) -> None:
        if self._ctx.list_model.rowCount():
            self._ctx.list_view.setFocus()

    # --- the current row ----------------------------------------------------------------------

    def select_row(self, row: int, open_post: bool = True) -> None:
        view = self._ctx.list_view
        index = self._ctx.list_model.index(row, Column.TITLE)
        sel = view.selectionModel()
        if not open_post:
            sel.blockSignals(True)
        sel.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if not open_post:
            sel.blockSignals(False)
        view.scrollTo(index)

    def select_path(self, path: str) -> bool:
        """Select the row of `path` (opening it); False when it is not listed."""
        row = self._ctx.list_model.row_of(path)
        if row is None:
            return False
        self.select_row(row)
        return True

    @Slot()
    def select_next(self) -> None:
        self._move_selection(+1)

    @Slot()
    def select_previous(self) -> None:
        self._move_selection(-1)

    def _move_selection(self, step: int) -> None:
        rows = self._ctx.list_model.rowCount()
        if not rows:
            return
        current = self._ctx.list_view.currentIndex().row()
        row = 0 if current < 0 else max(0, min(rows - 1, current + step))
        if row != current:
            self.select_row(row)

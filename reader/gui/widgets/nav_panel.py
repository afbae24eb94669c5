"""NavPanel: the left column: a filter field and sort switch above the navigation tree.

It turns the tree's selection into a `Selection` (what the list should show) and keeps the
expansion and selection across rebuilds of the model. Problem nodes read `path: reason` (as
`post-reader problems` prints them) and offer to open their folder."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.core import (
    Library,
    Problem,
    giving_way,
    interacting,
    prepare_matching,
    problem_line,
)
from reader.gui.models.nav_tree import (
    COUNT_ROLE,
    FILTER_KINDS,
    KEY_ROLE,
    NavTreeModel,
    NodeKind,
    TreeOptions,
)
from reader.gui.threads import background_call


@dataclass(frozen=True, slots=True)
class Selection:
    """What the selected tree nodes ask the list to show."""

    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    year: int | None = None
    month: int | None = None
    drafts: bool = False
    bookmarks: bool = False
    unread: bool = False
    saved: str | None = None  # the name of a saved search


def problem_of(index: QModelIndex | QPersistentModelIndex) -> Problem | None:
    """The Problem a tree node stands for, if it is a problem node."""
    if not index.isValid():
        return None
    value = getattr(index.internalPointer(), "value", None)
    return value if isinstance(value, Problem) else None


class CountDelegate(QStyledItemDelegate):
    """Draws a node's count right-aligned and muted, like a mail client's folder list."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Override of QStyledItemDelegate.initStyleOption: a problem node reads `path: reason`,
        control characters escaped."""
        super().initStyleOption(option, index)
        problem = problem_of(index)
        if problem is not None:
            option.text = problem_line(problem)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Override of QStyledItemDelegate.paint: the label as usual, then the count at the
        right edge."""
        count = index.data(COUNT_ROLE)
        text = "" if count is None else str(count)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        # Paint the full-row background first so the count sits on the selection colour too.
        # A copy, not a second initStyleOption: that asks the model for every role again (a
        # Python call each), and a keystroke in the filter field repaints the whole tree.
        full = QStyleOptionViewItem(opt)
        full.text = ""
        metrics = opt.fontMetrics
        count_width = metrics.horizontalAdvance(text) + 12 if text else 0
        opt.rect = QRect(
            opt.rect.left(), opt.rect.top(), opt.rect.width() - count_width, opt.rect.height()
        )
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, widget)
            opt.backgroundBrush = QBrush(Qt.GlobalColor.transparent)
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if text:
            painter.save()
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            role = (
                QPalette.ColorRole.HighlightedText
                if selected
                else QPalette.ColorRole.PlaceholderText
            )
            painter.setPen(option.palette.color(role))
            rect = QRect(
                option.rect.right() - count_width,
                option.rect.top(),
                count_width - 6,
                option.rect.height(),
            )
            painter.drawText(
                rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text
            )
            painter.restore()


class NavPanel(QWidget):
    selection_changed = Signal(Selection)
    problem_activated = Signal(Problem)
    saved_search_menu_requested = Signal(str, QPoint)  # (name, global position)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = NavTreeModel(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter categories and tags"))
        self.filter_edit.setClearButtonEnabled(True)
        self.sort_button = QToolButton(self)
        self.sort_button.setCheckable(True)
        self.sort_button.setText(self.tr("A–Z"))
        self.sort_button.setToolTip(self.tr("Sort categories and tags by name (off: by count)"))
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setItemDelegate(CountDelegate(self.tree))
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setExpandsOnDoubleClick(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.filter_edit, 1)
        row.addWidget(self.sort_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)

        self._library: Library | None = None
        self._options = TreeOptions()
        self._expanded: set[str] = {NodeKind.CATEGORIES.value}
        # What was open when typing in the filter field began (opened again when it is cleared).
        self._expanded_before_filter: set[str] | None = None
        self._preparing: threading.Thread | None = None  # see `_prepare_filter`
        self._stop_preparing = threading.Event()  # the panel is gone: the thread stops
        self.destroyed.connect(self._stop_preparing.set)
        self._suppress = False
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        # Filtering 2,000 categories takes a few milliseconds: no pause, but keystrokes that
        # arrive together still filter once.
        self._filter_timer.setInterval(0)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self._filter_timer.timeout.connect(self.on_filter_changed)
        self.sort_button.toggled.connect(self.on_sort_toggled)
        self.tree.selectionModel().selectionChanged.connect(self.on_tree_selection_changed)
        self.tree.expanded.connect(lambda i: self._expanded.add(str(i.data(KEY_ROLE))))
        self.tree.collapsed.connect(lambda i: self._expanded.discard(str(i.data(KEY_ROLE))))
        self.tree.activated.connect(self.on_activated)
        self.tree.customContextMenuRequested.connect(self.on_tree_context_menu)

    # --- feeding ------------------------------------------------------------------------------

    def set_library(
        self,
        library: Library | None,
        bookmark_count: int | None = None,
        unread_count: int | None = None,
        loading: bool = False,
    ) -> None:
        """Show `library`'s counts; `loading`: a load is under way (rows keep their order)."""
        self._library = library
        self.model.set_loading(loading)
        self._options = TreeOptions(
            self._options.filter_text, self._options.sort_by_name, bookmark_count, unread_count
        )
        self._rebuild()
        if library is not None and not loading:
            self._prepare_filter()

    def _prepare_filter(self) -> None:
        """Work out what the filter field matches (each source's pinyin initials) on a thread
        of its own, now, not at the first keystroke: 0.1 s of the window's thread with 2,000
        categories and 2,000 tags. It waits while the user acts (`giving_way`) and stops when
        the panel is destroyed (a closing window)."""
        if self._preparing is not None and self._preparing.is_alive():
            return
        sources = self.model.filter_sources()
        if sources:
            stop = giving_way(self._stop_preparing.is_set)
            self._preparing = background_call("filter-prepare", prepare_matching, sources, stop)

    def set_saved_searches(self, entries: list[tuple[str, int, int]]) -> None:
        """(name, total, unread) of each saved search, shown under "Saved searches"."""
        self.model.set_saved_searches(entries)
        self._rebuild()

    def set_counts(self, bookmark_count: int | None, unread_count: int | None) -> None:
        self._options = TreeOptions(
            self._options.filter_text, self._options.sort_by_name, bookmark_count, unread_count
        )
        self._rebuild()

    def _rebuild(self) -> None:
        # Background work waits meanwhile (`interacting`): the view calls back into Python for
        # every row laid out or changed, and each call waited for the interpreter lock behind
        # a busy thread (2,000 relabelled categories: 3 ms alone, 160 ms beside the search
        # index's check of a million posts).
        with interacting(grace=0):
            self._rebuild_now()

    def _rebuild_now(self) -> None:
        selected = [str(i.data(KEY_ROLE)) for i in self.tree.selectionModel().selectedIndexes()]
        current = self.tree.currentIndex().data(KEY_ROLE)
        self._suppress = True
        try:
            # Updated in place, the view keeps its expansion and selection (new rows aside).
            reset = self.model.rebuild(self._library, self._options)
            for key in self._expanded:
                idx = self.model.index_of_key(key)
                if idx.isValid() and not self.tree.isExpanded(idx):
                    self.tree.expand(idx)
            sel = self.tree.selectionModel()
            for key in selected if reset else ():
                idx = self.model.index_of_key(key)
                if idx.isValid():
                    sel.select(idx, QItemSelectionModel.SelectionFlag.Select)
            if current and reset:
                idx = self.model.index_of_key(str(current))
                if idx.isValid():
                    sel.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._suppress = False
        if not selected:
            self.select_node(NodeKind.ALL)

    # --- selection ----------------------------------------------------------------------------

    def select_node(self, kind: NodeKind, value: object = None, add: bool = False) -> bool:
        """Select a node (adding it to the selection with `add`, like Ctrl+click)."""
        idx = self.model.find(kind, value)
        if (
            not idx.isValid()
            and kind in (NodeKind.CATEGORY, NodeKind.TAG)
            and self.filter_edit.text()
        ):
            self.filter_edit.clear()
            self.on_filter_changed()
            idx = self.model.find(kind, value)
        if not idx.isValid():
            return False
        parent = idx.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        flags = (
            QItemSelectionModel.SelectionFlag.Select
            if add
            else QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.tree.selectionModel().setCurrentIndex(idx, flags)
        self.tree.scrollTo(idx)
        return True

    def current_selection(self) -> Selection:
        cats: list[str] = []
        tags: list[str] = []
        year = month = None
        drafts = bookmarks = unread = False
        saved: str | None = None
        for idx in self.tree.selectionModel().selectedIndexes():
            node = self.model.node(idx)
            if node is None or node.kind not in FILTER_KINDS:
                continue
            if node.kind is NodeKind.CATEGORY:
                cats.append(str(node.value))
            elif node.kind is NodeKind.TAG:
                tags.append(str(node.value))
            elif node.kind is NodeKind.YEAR and isinstance(node.value, int):
                year, month = node.value, None
            elif node.kind is NodeKind.MONTH and isinstance(node.value, tuple):
                year, month = node.value
            elif node.kind is NodeKind.DRAFTS:
                drafts = True
            elif node.kind is NodeKind.BOOKMARKS:
                bookmarks = True
            elif node.kind is NodeKind.UNREAD:
                unread = True
            elif node.kind is NodeKind.SAVED_SEARCH:
                saved = str(node.value)
        return Selection(tuple(cats), tuple(tags), year, month, drafts, bookmarks, unread, saved)

    @Slot()
    def on_tree_selection_changed(self) -> None:
        if not self._suppress:
            self.selection_changed.emit(self.current_selection())

    @Slot(QModelIndex)
    def on_activated(self, index: QModelIndex) -> None:
        problem = problem_of(index)
        if problem is not None:
            self.problem_activated.emit(problem)

    def problem_menu(self, index: QModelIndex) -> QMenu | None:
        """The context menu of a problem node (None for any other node)."""
        problem = problem_of(index)
        if problem is None:
            return None
        menu = QMenu(self)
        open_folder = menu.addAction(self.tr("Open Containing Folder"))
        open_folder.triggered.connect(lambda: self.problem_activated.emit(problem))
        copy = menu.addAction(self.tr("Copy Path and Reason"))
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(problem_line(problem)))
        return menu

    @Slot(QPoint)
    def on_tree_context_menu(self, pos: QPoint) -> None:
        node = self.model.node(self.tree.indexAt(pos))
        if node is not None and node.kind is NodeKind.SAVED_SEARCH:
            self.saved_search_menu_requested.emit(
                str(node.value), self.tree.viewport().mapToGlobal(pos)
            )
            return
        menu = self.problem_menu(self.tree.indexAt(pos))
        if menu is not None:
            menu.exec(self.tree.viewport().mapToGlobal(pos))
            menu.deleteLater()

    @Slot()
    def on_filter_changed(self) -> None:
        self._options = TreeOptions(
            self.filter_edit.text(),
            self._options.sort_by_name,
            self._options.bookmark_count,
            self._options.unread_count,
        )
        if self.filter_edit.text():
            if self._expanded_before_filter is None:  # typing starts
                self._expanded_before_filter = set(self._expanded)
            self._expanded.update({NodeKind.CATEGORIES.value, NodeKind.TAGS.value})
        elif self._expanded_before_filter is not None:
            self._restore_expansion(self._expanded_before_filter)
            self._expanded_before_filter = None
        self._rebuild()

    def _restore_expansion(self, before: set[str]) -> None:
        """The filter was cleared: open again what was open before typing, and the folders of
        the selected rows (collapsed first, so the full tree lays out only what is open: with
        2,000 categories and 2,000 tags, half the rows)."""
        keep = set(before)
        for index in self.tree.selectionModel().selectedIndexes():
            parent = index.parent()
            while parent.isValid():
                keep.add(str(parent.data(KEY_ROLE)))
                parent = parent.parent()
        for key in self._expanded - keep:
            index = self.model.index_of_key(key)
            if index.isValid():
                self.tree.collapse(index)
        self._expanded = keep

    @Slot(bool)
    def on_sort_toggled(self, by_name: bool) -> None:
        self._options = TreeOptions(
            self._options.filter_text,
            by_name,
            self._options.bookmark_count,
            self._options.unread_count,
        )
        self._rebuild()

"""MainWindow: the navigation tree, the article list and the reading pane, wired to the core.

The window keeps no data logic of its own: the Library filters, sorts and counts; the loader
thread reads the folder; the pane renders what the core produced. All signal wiring is in
`_connect_signals`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QFileSystemWatcher,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader import __version__
from reader.core.library import Library, Query
from reader.core.post import Post, Problem, SortKey
from reader.core.reading.loader import FolderChanges
from reader.core.reading.parse import FileProblem, read_body
from reader.core.storage.userdata import UserStore
from reader.gui.indexer import IndexBuilder
from reader.gui.loader import FolderLoader
from reader.gui.models.nav_tree import NodeKind
from reader.gui.models.post_list import Column, PostListModel
from reader.gui.settings import AppSettings
from reader.gui.theme import LINE_WIDTHS, THEMES, ReadingStyle, apply_app_theme
from reader.gui.threads import favour_gui_thread
from reader.gui.user_state import UserState
from reader.gui.widgets.find_bar import FindBar
from reader.gui.widgets.nav_panel import NavPanel, Selection
from reader.gui.widgets.preferences import Preferences, PreferencesDialog
from reader.gui.widgets.reading_pane import DEFAULT_ZOOM_STEP, ReadingPane, header_html

if TYPE_CHECKING:  # imported where first used: not needed to show the list at start-up
    from reader.core.search.index import SearchIndex
    from reader.core.search.service import Hits

log = logging.getLogger(__name__)

# How long the window paints undisturbed after a list from the cache, before the loader checks
# the folder (its scan competes for the GIL with every paint).
SETTLE_MS = 150

SEARCH_DEBOUNCE_MS = 200
READ_AFTER_MS = 1500  # a post open this long counts as read
POSITION_SAVE_MS = 600  # save the scroll position once scrolling rests
POLL_MIN_MS = 5000  # live refresh: the slowest a change can take to show up in a small folder
WATCH_SETTLE_MS = 400
MAX_WATCHED_DIRS = 2000


class MainWindow(QMainWindow):
    """The reader window. `folder_loaded` fires when a load finishes (tests and screenshots)."""

    folder_loaded = Signal()
    post_opened = Signal(str)

    def __init__(
        self, settings: AppSettings, store: UserStore | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.user = UserState(store if store is not None else UserStore.open(), self)
        self.library: Library | None = None
        self.folder: Path | None = None
        self.loading = False
        # The list came whole from the cache and a scan is checking it against the folder.
        self.checking = False
        self._closed = False
        self._release_after_paint = False
        self._selection = Selection()
        self._sort = SortKey.DATE
        self._descending = True
        self._current_path: str | None = None
        self._pending_restore: str | None = None
        self._locale = QLocale()
        self._style = ReadingStyle()
        self.prefs = Preferences()
        self._splitter_restored = False
        self._splitter_moved = False
        self._restoring_position = False

        self.setWindowTitle("Post Reader")
        self.setAcceptDrops(True)
        self.loader = FolderLoader(self)
        self.indexer = IndexBuilder(self)
        self.index: SearchIndex | None = None
        self.hits: Hits | None = None
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(READ_AFTER_MS)
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(POSITION_SAVE_MS)
        # Live refresh: directory watches trigger it quickly, a slow poll catches the rest.
        self._watcher = QFileSystemWatcher(self)
        self._poll_timer = QTimer(self)
        self._poll_timer.setSingleShot(True)
        self.list_model.set_state_lookups(
            self.user.is_bookmarked, self.user.is_unread, self.user.note
        )
        self._connect_signals()
        self._restore_window_state()

    # --- construction -----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.nav = NavPanel(self)

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search titles and text  (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(
            self.tr(
                'Words or Chinese of any length; "exact phrase"; -exclude; tag:name; category:name'
            )
        )
        self.order_combo = QComboBox(self)
        self.order_combo.addItem(self.tr("Newest first"), "date")
        self.order_combo.addItem(self.tr("Best match"), "relevance")
        self.order_combo.setToolTip(self.tr("Order of search results"))
        self.list_model = PostListModel(self)
        self.list_view = QTableView(self)
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setShowGrid(False)
        self.list_view.setWordWrap(False)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list_view.verticalHeader().hide()
        # Fixed row heights: the view never measures 100,000 rows.
        self.list_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.list_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.list_view.horizontalHeader()
        header.setSectionResizeMode(Column.STAR, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(Column.STAR, 28)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.DATE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.CATEGORY, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(Column.DATE, self.fontMetrics().horizontalAdvance("2024-12-31") + 24)
        header.resizeSection(Column.CATEGORY, 96)
        header.setMinimumSectionSize(24)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header.setHighlightSections(False)
        self.list_view.setSortingEnabled(True)
        header.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)

        middle = QWidget(self)
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 6, 0, 0)
        mid_layout.setSpacing(6)
        search_row = QHBoxLayout()
        search_row.setContentsMargins(0, 0, 0, 0)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.order_combo)
        mid_layout.addLayout(search_row)
        mid_layout.addWidget(self.list_view, 1)

        self.pane = ReadingPane(self)
        self.find_bar = FindBar(self.pane, self)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.pane, 1)
        right_layout.addWidget(self.find_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 2)
        self._default_splitter_sizes(1280)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

    def _default_splitter_sizes(self, width: int) -> None:
        nav = max(170, int(width * 0.17))
        listing = int(width * 0.36)
        self.splitter.setSizes([nav, listing, max(200, width - nav - listing)])

    def _action(
        self, text: str, shortcuts: list[QKeySequence | str] | None = None, slot: object = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) if isinstance(s, str) else s for s in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        tr = self.tr
        self.act_open = self._action(
            tr("&Open Folder…"), [QKeySequence.StandardKey.Open], self.on_open_folder
        )
        self.act_reload = self._action(tr("&Reload"), ["F5"], self.reload)
        self.act_quit = self._action(tr("&Quit"), ["Ctrl+Q"], self.close)
        self.act_next = self._action(tr("&Next Article"), ["J", "N"], self.select_next)
        self.act_prev = self._action(tr("&Previous Article"), ["K", "P"], self.select_previous)
        self.act_space = self._action(
            tr("Scroll Down or Next Article"), ["Space"], self.pane.page_down_or_next
        )
        self.act_focus_tree = self._action(
            tr("Focus &Tree"), ["Alt+1"], lambda: self.nav.tree.setFocus()
        )
        self.act_focus_list = self._action(
            tr("Focus &List"), ["Alt+2"], lambda: self.list_view.setFocus()
        )
        self.act_focus_pane = self._action(
            tr("Focus &Pane"), ["Alt+3"], lambda: self.pane.setFocus()
        )
        self.act_search = self._action(
            tr("&Search Titles"), ["Ctrl+F", "Ctrl+K"], self.focus_search
        )
        self.act_find = self._action(
            tr("&Find in Article"), ["Ctrl+Shift+F", "/"], self.find_bar.open_bar
        )
        self.act_find_next = self._action(tr("Find Next"), ["F3"], self.find_bar.find_next)
        self.act_find_prev = self._action(
            tr("Find Previous"), ["Shift+F3"], self.find_bar.find_previous
        )
        self.act_zoom_in = self._action(tr("Zoom &In"), ["Ctrl++", "Ctrl+="], self.pane.zoom_in)
        self.act_zoom_out = self._action(tr("Zoom &Out"), ["Ctrl+-"], self.pane.zoom_out)
        self.act_zoom_reset = self._action(tr("&Actual Size"), ["Ctrl+0"], self.pane.zoom_reset)
        self.act_shortcuts = self._action(tr("&Keyboard Shortcuts"), ["F1"], self.show_shortcuts)
        self.act_about = self._action(tr("&About Post Reader"), None, self.show_about)
        self.act_cancel_load = self._action(tr("Cancel Loading"), None, self.loader.cancel)
        self.act_bookmark = self._action(tr("&Bookmark"), ["Ctrl+D"], self.toggle_bookmark)
        self.act_note = self._action(tr("Edit Bookmark &Note…"), None, self.edit_note)
        self.act_toggle_read = self._action(tr("Mark Read/&Unread"), ["U"], self.toggle_read)
        self.act_mark_all_read = self._action(
            tr("Mark &All in View as Read"), None, self.mark_all_read
        )
        self.act_export = self._action(tr("&Export Bookmarks…"), None, self.export_bookmarks)
        self.act_print = self._action(
            tr("&Print…"), [QKeySequence.StandardKey.Print], self.print_post
        )
        self.act_pdf = self._action(tr("Export Article as P&DF…"), None, self.export_pdf)
        self.act_html = self._action(tr("Export Article as &HTML…"), None, self.export_html)
        self.act_markdown = self._action(
            tr("Export Article as &Markdown…"), None, self.export_markdown
        )
        self.act_prefs = self._action(tr("&Preferences…"), ["Ctrl+,"], self.show_preferences)
        self.act_font = self._action(tr("Reading &Font…"), None, self.choose_font)
        self.theme_group = QActionGroup(self)
        theme_labels = {"system": tr("System"), "light": tr("Light"), "dark": tr("Dark")}
        self.theme_actions: dict[str, QAction] = {}
        for key in THEMES:
            act = QAction(theme_labels[key], self, checkable=True)
            act.triggered.connect(lambda _c=False, k=key: self.set_theme(k))
            self.theme_group.addAction(act)
            self.theme_actions[key] = act
        self.width_group = QActionGroup(self)
        width_labels = {"narrow": tr("Narrow"), "wide": tr("Wide"), "full": tr("Full Width")}
        self.width_actions: dict[str, QAction] = {}
        for key in LINE_WIDTHS:
            act = QAction(width_labels[key], self, checkable=True)
            act.triggered.connect(lambda _c=False, k=key: self.set_line_width(k))
            self.width_group.addAction(act)
            self.width_actions[key] = act
        self.act_import = self._action(tr("&Import Bookmarks…"), None, self.import_bookmarks)

    def _build_menus(self) -> None:
        tr = self.tr
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addAction(self.act_open)
        self.recent_menu = file_menu.addMenu(tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.act_reload)
        file_menu.addSeparator()
        file_menu.addAction(self.act_print)
        file_menu.addAction(self.act_pdf)
        file_menu.addAction(self.act_html)
        file_menu.addAction(self.act_markdown)
        file_menu.addSeparator()
        file_menu.addAction(self.act_export)
        file_menu.addAction(self.act_import)
        file_menu.addSeparator()
        file_menu.addAction(self.act_prefs)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.file_menu = file_menu

        view_menu = bar.addMenu(tr("&View"))
        view_menu.addAction(self.act_zoom_in)
        view_menu.addAction(self.act_zoom_out)
        view_menu.addAction(self.act_zoom_reset)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu(tr("&Theme"))
        for act in self.theme_actions.values():
            theme_menu.addAction(act)
        view_menu.addAction(self.act_font)
        width_menu = view_menu.addMenu(tr("&Line Width"))
        for act in self.width_actions.values():
            width_menu.addAction(act)
        view_menu.addSeparator()
        view_menu.addAction(self.act_find)
        view_menu.addAction(self.act_search)
        self.view_menu = view_menu

        article_menu = bar.addMenu(tr("&Article"))
        for act in (self.act_bookmark, self.act_note, self.act_toggle_read, self.act_mark_all_read):
            article_menu.addAction(act)
        self.article_menu = article_menu

        go_menu = bar.addMenu(tr("&Go"))
        for act in (self.act_next, self.act_prev, self.act_space):
            go_menu.addAction(act)
        go_menu.addSeparator()
        for act in (self.act_focus_tree, self.act_focus_list, self.act_focus_pane):
            go_menu.addAction(act)
        self.go_menu = go_menu

        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)
        self.help_menu = help_menu

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.status_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v / %m")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.loader.cancel)
        status.addWidget(self.status_label, 1)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

    def _connect_signals(self) -> None:
        self.loader.library_ready.connect(self.on_library_ready)
        self.loader.progress.connect(self.on_progress)
        self.loader.finished.connect(self.on_load_finished)
        self.loader.failed.connect(self.on_load_failed)
        self.loader.refreshed.connect(self.on_refreshed)
        self._poll_timer.timeout.connect(self.on_poll)
        self._watcher.directoryChanged.connect(self.on_directory_changed)
        self._search_timer.timeout.connect(self.refresh_list)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.on_search_return)
        self.order_combo.currentIndexChanged.connect(self.refresh_list)
        self.indexer.progress.connect(lambda _d, _t: self._update_status())
        self.indexer.finished.connect(self.on_index_finished)
        self.nav.selection_changed.connect(self.on_nav_selection_changed)
        self.nav.problem_activated.connect(self.on_problem_activated)
        self.list_model.sort_requested.connect(self.on_sort_requested)
        self.list_view.selectionModel().currentRowChanged.connect(self.on_current_row_changed)
        self.pane.category_requested.connect(self.on_category_link)
        self.pane.tag_requested.connect(self.on_tag_link)
        self.pane.post_link_activated.connect(self.on_post_link)
        self.pane.reached_end.connect(self.select_next)
        self.pane.zoom_changed.connect(lambda step: self.settings.set_int("reader/zoom", step))
        self.pane.bookmark_toggle_requested.connect(
            lambda: self.toggle_bookmark(self.current_post())
        )
        self.pane.note_edit_requested.connect(lambda: self.edit_note(self.current_post()))
        self.pane.verticalScrollBar().valueChanged.connect(self._position_timer.start)
        self._position_timer.timeout.connect(self.on_position_rest)
        self._read_timer.timeout.connect(self.on_read_timeout)
        self.user.changed.connect(self.on_user_state_changed)
        self.user.error.connect(lambda msg: self.statusBar().showMessage(msg, 10_000))
        self.list_view.clicked.connect(self.on_list_clicked)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.customContextMenuRequested.connect(self.on_list_context_menu)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.on_system_colors_changed)
        self.list_view.installEventFilter(self)
        self.list_view.viewport().installEventFilter(self)
        self.splitter.splitterMoved.connect(self.on_splitter_moved)

    # --- state across restarts --------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = self.settings.bytes_value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self._splitter_restored = splitter is not None
        self.pane.set_zoom_step(self.settings.int_value("reader/zoom", DEFAULT_ZOOM_STEP))
        self.prefs = self.load_preferences()
        self.apply_preferences(self.prefs)

    def save_window_state(self) -> None:
        self.settings.set_bytes("window/geometry", self.saveGeometry())
        self.settings.set_bytes("window/splitter", self.splitter.saveState())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Override: until the user moves the splitters, keep their proportions."""
        super().resizeEvent(event)
        if not self._splitter_restored and not self._splitter_moved:
            self._default_splitter_sizes(self.width())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Override: remember the window and stop the loader thread before closing."""
        if self._position_timer.isActive():
            self._position_timer.stop()
            self.on_position_rest()
        self._closed = True
        self.save_window_state()
        self.loader.close()
        self._close_index()
        super().closeEvent(event)

    # --- opening folders --------------------------------------------------------------------------

    def on_open_folder(self) -> None:
        start = str(self.folder) if self.folder else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Open a Folder of Posts"), start)
        if chosen:
            self.open_folder(Path(chosen))

    def open_folder(self, folder: Path) -> None:
        """Start loading `folder` (asynchronously); the list fills as posts arrive."""
        folder = folder.expanduser()
        self.folder = folder.resolve() if folder.exists() else folder
        self.library = Library(self.folder)
        self._current_path = None
        self._pending_restore = None
        self._unwatch_folder()
        self._close_index()
        self.user.detach()
        self.pane.set_root(self.folder if self.folder.is_dir() else None)
        self.pane.clear_post()
        self.list_model.set_rows(self.library, [])
        self.nav.set_library(self.library)
        self.setWindowTitle(f"{self.folder.name} — Post Reader")
        self.loading = True
        self.checking = False
        self._closed = False
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.status_label.setText(self.tr("Reading {folder}…").format(folder=self.folder))
        self.loader.start(self.folder, frozenset(self.prefs.skip_dirs))

    def reload(self) -> None:
        if self.folder is not None:
            self.open_folder(self.folder)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_folders()
        for folder in recent:
            act = self.recent_menu.addAction(folder)
            act.triggered.connect(lambda _checked=False, f=folder: self.open_folder(Path(f)))
        if recent:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(self.tr("Clear Recent"))
            clear.triggered.connect(self.settings.clear_recent)
        else:
            none = self.recent_menu.addAction(self.tr("No recent folders"))
            none.setEnabled(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Override: accept a dragged folder."""
        if self._dropped_folder(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Override: open a dropped folder."""
        folder = self._dropped_folder(event)
        if folder is not None:
            event.acceptProposedAction()
            self.open_folder(folder)

    @staticmethod
    def _dropped_folder(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).is_dir():
                return Path(url.toLocalFile())
        return None

    # --- loader events ----------------------------------------------------------------------------

    def on_library_ready(self, library: Library, from_cache: bool = False) -> None:
        """A copy of the loaded posts with its indexes built on the loader thread. From the
        cache it is the whole list, usable at once while the loader checks the folder."""
        if self.library is None:
            self.loader.list_shown()
            return
        self.library = library
        # From now on there are rows to paint while worker threads run (see threads.py).
        favour_gui_thread()
        if from_cache and self.loading:
            self.loading, self.checking = False, True
        self.refresh_views()
        if from_cache:
            # Once the list has been painted, the loader may check the folder (see eventFilter).
            if self.list_view.isVisible():
                self._release_after_paint = True
            else:
                self.loader.list_shown()

    def on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def on_load_finished(self, cancelled: bool) -> None:
        self.loading = self.checking = False
        self.progress.hide()
        self.cancel_button.hide()
        if self.folder is not None and not cancelled:
            self.settings.remember_folder(self.folder)
        if self.library is not None:
            self.user.attach(self.library)
            if self._current_path is None:
                self._pending_restore = self.user.last_opened()
        self.refresh_views()
        if cancelled:
            self.statusBar().showMessage(
                self.tr("Loading cancelled: showing the posts read so far."), 8000
            )
        else:
            # Each in an event-loop turn of its own, so the window paints and answers in between.
            library = self.library
            QTimer.singleShot(0, self, lambda: self._after_load(library, self._watch_folder))
            QTimer.singleShot(0, self, lambda: self._after_load(library, self._start_indexing))
        self.folder_loaded.emit()

    def _after_load(self, library: Library | None, step: Callable[[], None]) -> None:
        # Only for the library that finished loading (not one opened since, nor after closing).
        if (
            library is not None
            and library is self.library
            and not self.loading
            and not self._closed
        ):
            step()

    def on_load_failed(self, message: str) -> None:
        self.loading = self.checking = False
        self.progress.hide()
        self.cancel_button.hide()
        self.status_label.setText(message)
        QMessageBox.warning(self, self.tr("Cannot open folder"), message)
        self.folder_loaded.emit()

    # --- full-text index -----------------------------------------------------------------------

    def _start_indexing(self) -> None:
        if self.library is None or self.folder is None:
            return
        if self.index is None:
            try:
                from reader.core.search.service import open_index

                self.index = open_index(self.library.root)
            except Exception as exc:  # e.g. an unwritable cache folder: titles still filter
                log.warning("no full-text index for %s: %s", self.folder, exc)
                return
        self.indexer.start(self.library.root, list(self.library.posts), self.index)
        self._update_status()

    def on_index_finished(self, _cancelled: bool) -> None:
        if self.search_edit.text().strip():
            self.refresh_list()
        self._update_status()

    def _close_index(self) -> None:
        self.indexer.stop()
        if self.index is not None:
            self.index.close()
            self.index = None
        self.hits = None

    # --- live refresh -----------------------------------------------------------------------

    def _watch_folder(self) -> None:
        """Watch the folders that hold posts (a few for a site, capped for odd trees)."""
        self._unwatch_folder()
        if self.library is None or self.folder is None:
            return
        parents = {post.path.rpartition("/")[0] for post in self.library.posts}
        root = str(self.folder)
        dirs = sorted(f"{root}/{p}" if p else root for p in parents | {""})[:MAX_WATCHED_DIRS]
        self._watcher.addPaths(dirs)
        self._poll_timer.start(POLL_MIN_MS)

    def _unwatch_folder(self) -> None:
        self._poll_timer.stop()
        watched = self._watcher.directories() + self._watcher.files()
        if watched:
            self._watcher.removePaths(watched)

    def on_directory_changed(self, _path: str) -> None:
        # Editors write in bursts; wait for the folder to settle.
        self._poll_timer.start(WATCH_SETTLE_MS)

    def on_poll(self) -> None:
        if not self.loader.refresh():
            self._poll_timer.start(POLL_MIN_MS)

    def on_refreshed(self, changes: FolderChanges) -> None:
        # A full scan costs ~1 s per 100,000 files: poll no more often than 20x that.
        interval = max(POLL_MIN_MS, int(changes.scan_seconds * 20_000))
        self._poll_timer.start(interval)
        if changes.reload:
            self.reload()
            return
        if not changes or self.library is None:
            return
        self.library.apply(changes)
        self.refresh_views()
        self._start_indexing()
        self.statusBar().showMessage(
            self.tr("Folder changed: {added} new or updated, {removed} removed").format(
                added=len(changes.posts) + len(changes.problems),
                removed=len(set(changes.removed) - {p.path for p in changes.posts}),
            ),
            5000,
        )

    # --- filtering and the list -------------------------------------------------------------------

    def refresh_views(self) -> None:
        """Rebuild the tree counts and re-run the list query (keeps the selection)."""
        if self.library is None:
            return
        self.nav.set_library(self.library, *self._user_counts())
        self.refresh_list()

    def _user_counts(self) -> tuple[int | None, int | None]:
        if self.library is None or self.user.folder_id is None:
            return None, None
        return len(self.user.bookmarked_paths), self.user.unread_count(self.library)

    def on_user_state_changed(self) -> None:
        self.list_model.refresh_state()
        if self.library is None:
            return
        self.nav.set_counts(*self._user_counts())
        if self._selection.bookmarks or self._selection.unread:
            self.refresh_list()
        if self._current_path is not None:
            self._refresh_header()

    def current_query(self) -> Query:
        sel = self._selection
        default_order = self._sort is SortKey.DATE and self._descending
        return Query(
            categories=sel.categories,
            tags=sel.tags,
            year=sel.year,
            month=sel.month,
            drafts_only=sel.drafts,
            paths=self.user.bookmarked_paths if sel.bookmarks else None,
            # The Unread view keeps the open post, so reading it does not pull it away.
            exclude_paths=(self.user.read_paths - {self._current_path or ""})
            if sel.unread
            else None,
            text=self.search_edit.text(),
            sort=self._sort,
            descending=self._descending,
            path_order=self.user.bookmark_order if sel.bookmarks and default_order else None,
        )

    def _search_query(self) -> Query:
        """The current query, with the search text answered by the full-text index."""
        from dataclasses import replace

        query = self.current_query()
        text = self.search_edit.text().strip()
        self.hits = None
        if not text or self.index is None or self.library is None:
            return query  # no index yet: the core filters titles
        node = replace(query, text="", path_order=None)
        filtered = node != replace(Query(), sort=node.sort, descending=node.descending)
        within = (
            {self.library.posts[i].path for i in self.library.query(node)} if filtered else None
        )
        order = str(self.order_combo.currentData())
        from reader.core.search.service import search_library

        self.hits = search_library(
            self.index, text, within, "relevance" if order == "relevance" else "date"
        )
        keep_order = order == "relevance" or (self._sort is SortKey.DATE and self._descending)
        return replace(
            node,
            paths=frozenset(self.hits.paths),
            path_order=self.hits.paths if keep_order else None,
        )

    def refresh_list(self) -> None:
        if self.library is None:
            return
        terms_before = self.hits.terms if self.hits is not None else ()
        rows = self.library.query(self._search_query())
        terms_now = self.hits.terms if self.hits is not None else ()
        if terms_now != terms_before and self._current_path is not None:
            self._refresh_header()  # re-highlight the open post
        keep = self._current_path
        self.list_model.set_rows(self.library, rows)
        target = keep or self._pending_restore
        row = self.list_model.row_of(target) if target else None
        # While loading or checking, the last-opened post may still be restored: select nothing.
        if row is None and keep is None and not self.loading and not self.checking and rows:
            row = 0
        if row is not None:
            self._select_row(
                row, open_post=(target != self._current_path) or self._current_path is None
            )
            if target == self._pending_restore:
                self._pending_restore = None
        self._update_status()

    def _select_row(self, row: int, open_post: bool = True) -> None:
        index = self.list_model.index(row, Column.TITLE)
        sel = self.list_view.selectionModel()
        if not open_post:
            sel.blockSignals(True)
        sel.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if not open_post:
            sel.blockSignals(False)
        self.list_view.scrollTo(index)

    def _update_status(self) -> None:
        if self.library is None:
            return
        text = self.tr("{total} posts · {shown} shown").format(
            total=len(self.library.posts), shown=self.list_model.rowCount()
        )
        if self.library.problems:
            text += self.tr(" · {n} problems").format(n=len(self.library.problems))
        if self.hits is not None and self.hits.total is not None:
            text += self.tr(" · {n} matches").format(n=self.hits.total)
        if self.checking:
            text += self.tr(" · checking the folder for changes…")
        if self.indexer.running and self.indexer.done < self.indexer.total:
            text += self.tr(" · indexing for search {done}/{total}").format(
                done=self.indexer.done, total=self.indexer.total
            )
        self.status_label.setText(text)

    def on_nav_selection_changed(self, selection: Selection) -> None:
        self._selection = selection
        self.refresh_list()

    def on_sort_requested(self, key: SortKey, descending: bool) -> None:
        self._sort, self._descending = key, descending
        self.refresh_list()

    def on_search_return(self) -> None:
        self._search_timer.stop()
        self.refresh_list()
        if self.list_model.rowCount():
            self.list_view.setFocus()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def on_category_link(self, name: str) -> None:
        self.nav.select_node(NodeKind.CATEGORY, name)

    def on_tag_link(self, name: str) -> None:
        self.nav.select_node(NodeKind.TAG, name)

    def on_problem_activated(self, problem: Problem) -> None:
        if self.folder is None:
            return
        parent = (self.folder / problem.path).parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(parent)))

    # --- keyboard navigation ----------------------------------------------------------------------

    def select_next(self) -> None:
        self._move_selection(+1)

    def select_previous(self) -> None:
        self._move_selection(-1)

    def _move_selection(self, step: int) -> None:
        rows = self.list_model.rowCount()
        if not rows:
            return
        current = self.list_view.currentIndex().row()
        row = 0 if current < 0 else max(0, min(rows - 1, current + step))
        if row != current:
            self._select_row(row)

    def on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._splitter_moved = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Override: Enter in the list moves focus to the pane; a narrow list drops a column;
        the first paint of a list from the cache lets the loader go on."""
        if (
            self._release_after_paint
            and watched is self.list_view.viewport()
            and event.type() == QEvent.Type.Paint
        ):
            self._release_after_paint = False
            # After this paint and the rest of the window's first paints: a worker thread
            # running Python makes every call from Qt into Python wait for the GIL.
            QTimer.singleShot(SETTLE_MS, self, self.loader.list_shown)
        if watched is self.list_view.viewport() and event.type() == QEvent.Type.Resize:
            self.list_view.setColumnHidden(Column.CATEGORY, self.list_view.viewport().width() < 380)
        if watched is self.list_view and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.pane.setFocus()
                return True
        return super().eventFilter(watched, event)

    # --- the reading pane -------------------------------------------------------------------------

    def on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        post = self.list_model.post_at(current.row())
        if post is not None:
            self.open_post(post.path)

    def open_post(self, path: str) -> None:
        if self.library is None:
            return
        post = self.library.post_at(path)
        if post is None:
            return
        self._position_timer.stop()
        self._current_path = path
        self._restoring_position = True
        self.pane.show_html(self.render_post(post))
        fraction = self.user.position(path)
        # Lay the document out now, so the scroll bar has its final range.
        self.pane.document().documentLayout().documentSize()
        bar = self.pane.verticalScrollBar()
        bar.setValue(int(fraction * bar.maximum()) if fraction > 0 else 0)
        self._restoring_position = False
        self.user.set_last_opened(path)
        if self.user.is_unread(path):
            self._read_timer.start()
        self.post_opened.emit(path)

    def _header(self, post: Post) -> str:
        labels = {
            "bookmark": self.tr("Bookmark (Ctrl+D)"),
            "draft": self.tr("draft"),
            "unpublished": self.tr("unpublished"),
            "add_note": self.tr("add a note"),
            "edit_note": self.tr("Edit the bookmark's note"),
        }
        return header_html(
            post,
            self._format_date(post),
            labels,
            starred=self.user.is_bookmarked(post.path),
            note=self.user.note(post.path),
        )

    def _refresh_header(self) -> None:
        """Re-render the open post (its star or note changed), keeping the scroll position."""
        if self.library is None or self._current_path is None:
            return
        post = self.library.post_at(self._current_path)
        if post is not None:
            self.pane.show_html(self.render_post(post))

    def render_post(self, post: Post) -> str:
        assert self.library is not None
        header = self._header(post)
        try:
            body, fmt, _warnings = read_body(self.library.root, post.path)
        except FileProblem as exc:
            return (
                header
                + '<p class="notice">'
                + self.tr("This post cannot be read any more: {reason}").format(reason=exc)
                + "</p>"
            )
        # Imported on the first article (Markdown and friends): not needed to show the list.
        from reader.core.render.pipeline import RenderContext, highlight_terms, render_body

        ctx = RenderContext(
            self.library.root, post.path, self.library.site.url, self.library.site.baseurl
        )
        html = render_body(body, fmt, ctx)
        if self.hits is not None and self.hits.terms:
            html = highlight_terms(html, self.hits.terms)
        return header + html

    def _format_date(self, post: Post) -> str:
        if post.date is None:
            return ""
        from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone

        d = post.date
        offset = d.utcoffset()
        zone = QTimeZone(int(offset.total_seconds())) if offset is not None else QTimeZone.utc()
        qdt = QDateTime(QDate(d.year, d.month, d.day), QTime(d.hour, d.minute, d.second), zone)
        text = self._locale.toString(qdt, QLocale.FormatType.LongFormat)
        # Long formats carry seconds and a zone name; a reader wants the day and the time.
        short_time = self._locale.toString(qdt.time(), QLocale.FormatType.ShortFormat)
        long_date = self._locale.toString(qdt.date(), QLocale.FormatType.LongFormat)
        return f"{long_date} {short_time}" if text else ""

    def on_post_link(self, href: str) -> None:
        if self.library is None:
            return
        target = self.library.resolve_link(href, self._current_path or "")
        if target is None:
            self.statusBar().showMessage(
                self.tr("Link target is not a post in this folder: {href}").format(href=href), 6000
            )
            return
        path = self.library.posts[target].path
        row = self.list_model.row_of(path)
        if row is None:
            # Not in the current filter: show everything, then select it.
            self.search_edit.clear()
            self.nav.select_node(NodeKind.ALL)
            row = self.list_model.row_of(path)
        if row is not None:
            self._select_row(row)
        else:
            self.open_post(path)

    # --- appearance and preferences -----------------------------------------------------------

    def load_preferences(self) -> Preferences:
        get = self.settings.str_value
        theme = get("view/theme", "system")
        width = get("view/line_width", "wide")
        try:
            size = float(get("view/font_size", "12"))
            read_after = float(get("reader/read_after_s", "1.5"))
        except ValueError:
            size, read_after = 12.0, 1.5
        skips = tuple(s for s in get("scan/skip_dirs", "").split(",") if s)
        return Preferences(
            theme=theme if theme in THEMES else "system",
            font_family=get("view/font_family", ""),
            font_size_pt=min(72.0, max(6.0, size)),
            line_width=width if width in LINE_WIDTHS else "wide",
            read_after_s=max(0.0, read_after),
            skip_dirs=skips,
        )

    def save_preferences(self, prefs: Preferences) -> None:
        put = self.settings.set_str
        put("view/theme", prefs.theme)
        put("view/font_family", prefs.font_family)
        put("view/font_size", f"{prefs.font_size_pt:g}")
        put("view/line_width", prefs.line_width)
        put("reader/read_after_s", f"{prefs.read_after_s:g}")
        put("scan/skip_dirs", ",".join(prefs.skip_dirs))

    def apply_preferences(self, prefs: Preferences) -> None:
        skip_changed = prefs.skip_dirs != self.prefs.skip_dirs
        self.prefs = prefs
        dark = apply_app_theme(prefs.theme)
        self.theme_actions[prefs.theme].setChecked(True)
        self.width_actions[prefs.line_width].setChecked(True)
        self._read_timer.setInterval(int(prefs.read_after_s * 1000))
        self._style = ReadingStyle(
            dark, prefs.font_family, prefs.font_size_pt, LINE_WIDTHS[prefs.line_width]
        )
        self.pane.set_style(self._style)
        self._refresh_header()
        if skip_changed and self.folder is not None:
            self.reload()

    def _update_preferences(self, **changes: object) -> None:
        from dataclasses import replace

        prefs = replace(self.prefs, **changes)  # type: ignore[arg-type]
        self.save_preferences(prefs)
        self.apply_preferences(prefs)

    def set_theme(self, mode: str) -> None:
        if mode in THEMES:
            self._update_preferences(theme=mode)

    def set_line_width(self, width: str) -> None:
        if width in LINE_WIDTHS:
            self._update_preferences(line_width=width)

    def on_system_colors_changed(self) -> None:
        if self.prefs.theme == "system":
            self.apply_preferences(self.prefs)

    def choose_font(self) -> None:
        from PySide6.QtGui import QFont
        from PySide6.QtWidgets import QFontDialog

        current = QFont(self.prefs.font_family or self.pane.font().family())
        current.setPointSizeF(self.prefs.font_size_pt)
        ok, font = QFontDialog.getFont(current, self, self.tr("Reading Font"))
        if ok:
            self._update_preferences(font_family=font.family(), font_size_pt=font.pointSizeF())

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.prefs, self)
        if dialog.exec():
            prefs = dialog.preferences()
            self.save_preferences(prefs)
            self.apply_preferences(prefs)

    # --- printing and exporting the open article ---------------------------------------------

    def _export_path(self, title: str, suffix: str, filter_text: str) -> Path | None:
        post = self.current_post()
        if post is None:
            self.statusBar().showMessage(self.tr("Open an article first."), 4000)
            return None
        safe = "".join(ch for ch in post.title if ch not in '\\/:*?"<>|').strip()[:80] or "article"
        path, _ = QFileDialog.getSaveFileName(
            self, title, str(Path.home() / f"{safe}{suffix}"), filter_text
        )
        return Path(path) if path else None

    def print_post(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.current_post() is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec():
            self.pane.document().print_(printer)

    def export_pdf(self) -> None:
        path = self._export_path(self.tr("Export as PDF"), ".pdf", self.tr("PDF (*.pdf)"))
        if path is not None:
            self.write_pdf(path)

    def write_pdf(self, path: Path) -> bool:
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        post = self.current_post()
        if post is not None:
            printer.setDocName(post.title)
        self.pane.document().print_(printer)
        ok = path.is_file() and path.stat().st_size > 0
        self.statusBar().showMessage(
            self.tr("Saved {path}").format(path=path)
            if ok
            else self.tr("Could not write {path}").format(path=path),
            6000,
        )
        return ok

    def export_html(self) -> None:
        path = self._export_path(self.tr("Export as HTML"), ".html", self.tr("HTML (*.html)"))
        if path is not None:
            self.write_html(path)

    def write_html(self, path: Path) -> bool:
        from reader.core.export.post import standalone_html

        post = self.current_post()
        if post is None or self.library is None:
            return False
        text = standalone_html(
            post.title, self.render_post(post), self._style.css(), self.library.root
        )
        return self._write_text(path, text)

    def export_markdown(self) -> None:
        path = self._export_path(self.tr("Export as Markdown"), ".md", self.tr("Markdown (*.md)"))
        if path is not None:
            self.write_markdown(path)

    def write_markdown(self, path: Path) -> bool:
        from reader.core.export.post import markdown_export

        post = self.current_post()
        if post is None or self.library is None:
            return False
        try:
            body, _fmt, _warnings = read_body(self.library.root, post.path)
        except FileProblem as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return False
        return self._write_text(path, markdown_export(post, body))

    def _write_text(self, path: Path, text: str) -> bool:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return False
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 6000)
        return True

    # --- bookmarks, read state, position ----------------------------------------------------------

    def current_post(self) -> Post | None:
        if self.library is None or self._current_path is None:
            return None
        return self.library.post_at(self._current_path)

    def _post_for_action(self) -> Post | None:
        """The post an Article-menu action applies to: the open one, else the list's current."""
        current = self.current_post()
        if current is not None:
            return current
        row = self.list_view.currentIndex().row()
        return self.list_model.post_at(row) if row >= 0 else None

    def toggle_bookmark(self, post: Post | None = None) -> None:
        post = post if isinstance(post, Post) else self._post_for_action()
        if post is not None:
            added = self.user.toggle_bookmark(post)
            self.statusBar().showMessage(
                self.tr("Bookmarked: {title}").format(title=post.title)
                if added
                else self.tr("Bookmark removed: {title}").format(title=post.title),
                4000,
            )

    def edit_note(self, post: Post | None = None) -> None:
        post = post if isinstance(post, Post) else self._post_for_action()
        if post is None:
            return
        note, ok = QInputDialog.getText(
            self,
            self.tr("Bookmark Note"),
            self.tr("A short note for “{title}”:").format(title=post.title),
            text=self.user.note(post.path),
        )
        if ok:
            self.user.set_note(post, note.strip()[:1000])

    def toggle_read(self) -> None:
        post = self._post_for_action()
        if post is not None:
            self._read_timer.stop()
            self.user.toggle_read(post)

    def mark_all_read(self) -> None:
        if self.library is None:
            return
        posts = [p for r in range(self.list_model.rowCount()) if (p := self.list_model.post_at(r))]
        self.user.set_read(posts, read=True)
        self.statusBar().showMessage(self.tr("Marked {n} posts as read").format(n=len(posts)), 4000)

    def on_read_timeout(self) -> None:
        post = self.current_post()
        if post is not None and self.user.is_unread(post.path):
            self.user.set_read([post], read=True)

    def on_position_rest(self) -> None:
        if self._current_path is None or self._restoring_position:
            return
        bar = self.pane.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
        self.user.set_position(self._current_path, fraction)

    def on_list_clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.STAR:
            post = self.list_model.post_at(index.row())
            if post is not None:
                self.toggle_bookmark(post)

    def on_list_context_menu(self, pos: object) -> None:
        index = self.list_view.indexAt(pos)  # type: ignore[arg-type]
        post = self.list_model.post_at(index.row()) if index.isValid() else None
        menu = QMenu(self)
        if post is not None:
            starred = self.user.is_bookmarked(post.path)
            menu.addAction(
                self.tr("Remove Bookmark") if starred else self.tr("Bookmark"),
                lambda: self.toggle_bookmark(post),
            )
            menu.addAction(self.tr("Edit Bookmark Note…"), lambda: self.edit_note(post))
            unread = self.user.is_unread(post.path)
            menu.addAction(
                self.tr("Mark as Read") if unread else self.tr("Mark as Unread"),
                lambda: self.user.set_read([post], read=unread),
            )
            menu.addSeparator()
        menu.addAction(self.act_mark_all_read)
        menu.exec(self.list_view.viewport().mapToGlobal(pos))  # type: ignore[arg-type]

    def export_bookmarks(self) -> None:
        if self.library is None:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Bookmarks"),
            str(Path.home() / "bookmarks.md"),
            self.tr("Markdown (*.md);;HTML (*.html);;JSON (*.json)"),
        )
        if not path:
            return
        fmt = {".html": "html", ".htm": "html", ".json": "json"}.get(Path(path).suffix.lower())
        if fmt is None:
            fmt = (
                "json" if "json" in chosen.lower() else "html" if "html" in chosen.lower() else "md"
            )
        self.write_bookmarks_export(Path(path), fmt)

    def write_bookmarks_export(self, path: Path, fmt: str) -> bool:
        assert self.library is not None
        text = self.user.export_text(self.library, fmt)
        if text is None:
            return False
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return False
        self.statusBar().showMessage(
            self.tr("Bookmarks exported to {path}").format(path=path), 6000
        )
        return True

    def import_bookmarks(self) -> None:
        if self.library is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import Bookmarks"), str(Path.home()), self.tr("JSON export (*.json)")
        )
        if path:
            self.read_bookmarks_import(Path(path))

    def read_bookmarks_import(self, path: Path) -> None:
        assert self.library is not None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            QMessageBox.warning(self, self.tr("Import failed"), str(exc))
            return
        result = self.user.import_json(self.library, text)
        if result is not None:
            self.statusBar().showMessage(
                self.tr(
                    "Imported {added} bookmarks ({already} already there, {missing} not found)"
                ).format(
                    added=result.added,
                    already=result.already,
                    missing=len(result.unmatched),  # type: ignore[attr-defined]
                ),
                8000,
            )

    # --- dialogs ----------------------------------------------------------------------------------

    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows = []
        for act in self.actions():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()]
            if keys:
                rows.append((act.text().replace("&", ""), ", ".join(keys)))
        rows.append((self.tr("Zoom"), self.tr("Ctrl+Wheel")))
        rows.append(
            (
                self.tr("Narrow to posts with two categories or tags"),
                self.tr("Ctrl+Click in the tree"),
            )
        )
        return rows

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td>{name}</td><td><b>{keys}</b></td></tr>" for name, keys in self.shortcut_rows()
        )
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Keyboard Shortcuts"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table cellspacing='6'>{rows}</table>")
        box.exec()

    def show_about(self) -> None:
        import platform

        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        from reader.core.paths import cache_dir, config_dir, data_dir

        QMessageBox.about(
            self,
            self.tr("About Post Reader"),
            self.tr(
                "<h3>Post Reader {version}</h3><p>Read folders of Jekyll-style posts offline.</p>"
                "<p>Qt {qt} · PySide6 {pyside} · Python {python}</p>"
                "<p>Data: {data}<br>Cache: {cache}<br>Settings: {config}</p>"
            ).format(
                version=__version__,
                qt=qVersion(),
                pyside=pyside_version,
                python=platform.python_version(),
                data=data_dir(),
                cache=cache_dir(),
                config=config_dir(),
            ),
        )

"""MainWindow: the navigation tree, the article list and the reading pane, laid out and wired.

The window lays out widgets, builds actions and menus, and connects everything in one place,
`_connect_signals`. Each feature is its own QObject with its own timers and slots, handed a
`WindowContext` instead of the window: `session` (opening, loading, live refresh, the index),
`listing` (the list's query and selection), `search`, `article` (the reading pane), `marks`
(bookmarks, read state, positions), `exporter`, `appearance` (preferences) and `dialogs`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core import Library, UserStore
from reader.gui.appearance import AppearanceController
from reader.gui.article import ArticleController
from reader.gui.context import WindowContext
from reader.gui.dialogs import Dialogs
from reader.gui.empty_list import EmptyListNotice
from reader.gui.exporter import ExportController
from reader.gui.folder_status import FolderStatus
from reader.gui.following import ArticleFollower
from reader.gui.list_columns import ListColumns
from reader.gui.listing import ArticleList, build_list_view
from reader.gui.marks import MarksController
from reader.gui.models.post_list import Column, PostListModel
from reader.gui.navigation import ReadingNavigation
from reader.gui.opening import FolderOpener, dropped_folder
from reader.gui.problem_pane import ProblemDetails
from reader.gui.related import RelatedPosts
from reader.gui.saved_searches import SavedSearches
from reader.gui.search import SearchController
from reader.gui.session import FolderSession
from reader.gui.settings import AppSettings
from reader.gui.sort_state import ListSort
from reader.gui.sources import SourcesController
from reader.gui.storage_watch import StorageWatch
from reader.gui.theme import LINE_WIDTHS, THEMES
from reader.gui.timeline import TimelineController
from reader.gui.undo import MarksUndo
from reader.gui.widgets.find_bar import FindBar
from reader.gui.widgets.nav_panel import NavPanel
from reader.gui.widgets.reading_pane import DEFAULT_ZOOM_STEP, ReadingPane
from reader.gui.widgets.timeline_chart import TimelineBar

Shortcut = QKeySequence | QKeySequence.StandardKey | str


class MainWindow(QMainWindow):
    """The reader window. `folder_loaded` fires when a load ends (tests and screenshots)."""

    folder_loaded = Signal()

    def __init__(
        self, settings: AppSettings, store: UserStore | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.ctx = ctx = WindowContext(
            self, settings, store if store is not None else UserStore.open()
        )
        self._splitter_restored = False
        self._splitter_moved = False
        self.setWindowTitle("Post Reader")
        self.setAcceptDrops(True)
        self._build_widgets()
        self.session = ctx.session = FolderSession(ctx, self)
        self.marks = ctx.marks = MarksController(ctx, self)
        self.search = ctx.search = SearchController(ctx, self)
        self.listing = ctx.listing = ArticleList(ctx, self)
        self.article = ctx.article = ArticleController(ctx, self)
        self.appearance = ctx.appearance = AppearanceController(ctx, self)
        self.exporter = ExportController(ctx, self)
        self.sources = ctx.sources = SourcesController(ctx, self)
        self.dialogs = Dialogs(self)
        self.navigation = ReadingNavigation(ctx, self)
        self.list_columns = ListColumns(ctx, self)  # before the sort: both set the header
        self.list_sort = ListSort(ctx, self)
        self.follower = ArticleFollower(ctx, self)
        self.empty_notice = EmptyListNotice(ctx, self)
        self.problem_details = ProblemDetails(ctx, self)
        self.marks_undo = MarksUndo(ctx, self)
        self.timeline = ctx.timeline = TimelineController(ctx, self.timeline_bar, self)
        self.saved_searches = ctx.saved_searches = SavedSearches(ctx, self)
        self.related = RelatedPosts(ctx, self)
        self.loader = self.session.loader
        self._build_actions()
        self._build_menus()
        self.opener = FolderOpener(ctx, self.recent_menu, self)
        self.status = FolderStatus(ctx, self)
        self.status_label = self.status.label
        self.storage_watch = StorageWatch(ctx, self)
        self._connect_signals()
        self._restore_window_state()
        self.list_view.setFocus()  # J, K and Space read at once; the tree filter waits

    # --- what tests, the benchmark and screenshots read -----------------------------------------

    @property
    def library(self) -> Library | None:
        folder = self.session.folder
        return folder.library if folder is not None else None

    @property
    def loading(self) -> bool:
        return self.session.loading

    @property
    def checking(self) -> bool:
        return self.session.checking

    def open_folder(self, folder: Path) -> None:
        """Start loading `folder` (asynchronously); the list fills as posts arrive."""
        self.opener.open(folder)

    def open_post(self, path: str) -> None:
        self.article.open_post(path)

    # --- construction -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        ctx = self.ctx
        self.nav = ctx.nav = NavPanel(self)
        self.search_edit = ctx.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search titles and text  (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(
            self.tr(
                'Words or Chinese of any length; "exact phrase"; -exclude; tag:name; category:name'
            )
        )
        self.order_combo = ctx.order_combo = QComboBox(self)
        self.order_combo.addItem(self.tr("Newest first"), "date")
        self.order_combo.addItem(self.tr("Best match"), "relevance")
        self.order_combo.setToolTip(self.tr("Order of search results"))
        self.list_model = ctx.list_model = PostListModel(self)
        self.list_view = ctx.list_view = build_list_view(self, self.list_model)

        middle = QWidget(self)
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 6, 0, 0)
        mid_layout.setSpacing(6)
        search_row = QHBoxLayout()
        search_row.setContentsMargins(0, 0, 0, 0)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.order_combo)
        self.save_search_button = QToolButton(self)
        search_row.addWidget(self.save_search_button)
        mid_layout.addLayout(search_row)
        self.timeline_bar = TimelineBar(self)
        mid_layout.addWidget(self.timeline_bar)
        mid_layout.addWidget(self.list_view, 1)

        self.pane = ctx.pane = ReadingPane(self)
        self.find_bar = FindBar(self.pane, self)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.pane, 1)
        right_layout.addWidget(self.find_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for i, (widget, stretch) in enumerate(((self.nav, 0), (middle, 1), (right, 2))):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(i, stretch)
        self._default_splitter_sizes(1280)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

    def _default_splitter_sizes(self, width: int) -> None:
        nav = max(170, int(width * 0.15))
        listing = int(width * 0.40)  # titles need the room more than the article's margins
        self.splitter.setSizes([nav, listing, max(200, width - nav - listing)])

    def _action(self, text: str, shortcuts: list[Shortcut] | None = None) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        tr, act = self.tr, self._action
        self.act_open = act(tr("&Open Folder…"), [QKeySequence.StandardKey.Open])
        self.act_reload = act(tr("&Reload"), ["F5"])
        self.act_quit = act(tr("&Quit"), ["Ctrl+Q"])
        self.act_next = act(tr("&Next Article"), ["J", "N"])
        self.act_prev = act(tr("&Previous Article"), ["K", "P"])
        self.act_space = act(tr("Scroll Down or Next Article"), ["Space"])
        self.act_back = act(tr("&Back"), ["Alt+Left", QKeySequence.StandardKey.Back])
        self.act_forward = act(tr("&Forward"), ["Alt+Right", QKeySequence.StandardKey.Forward])
        self.act_back.setEnabled(False)
        self.act_forward.setEnabled(False)
        self.act_focus_tree = act(tr("Focus &Tree"), ["Alt+1"])
        self.act_focus_list = act(tr("Focus &List"), ["Alt+2"])
        self.act_focus_pane = act(tr("Focus &Pane"), ["Alt+3"])
        self.act_search = act(tr("&Search Posts"), ["Ctrl+F", "Ctrl+K"])
        self.act_find = act(tr("&Find in Article"), ["Ctrl+Shift+F", "/"])
        self.act_find_next = act(tr("Find Next"), ["F3"])
        self.act_find_prev = act(tr("Find Previous"), ["Shift+F3"])
        self.act_zoom_in = act(tr("Zoom &In"), ["Ctrl++", "Ctrl+="])
        self.act_zoom_out = act(tr("Zoom &Out"), ["Ctrl+-"])
        self.act_zoom_reset = act(tr("&Actual Size"), ["Ctrl+0"])
        self.act_shortcuts = act(tr("&Keyboard Shortcuts"), ["F1"])
        self.act_about = act(tr("&About Post Reader"))
        self.act_cancel_load = act(tr("Cancel Loading"))
        self.act_bookmark = act(tr("&Bookmark"), ["Ctrl+D"])
        self.act_note = act(tr("Edit Bookmark &Note…"))
        self.act_toggle_read = act(tr("Mark Read/&Unread"), ["U"])
        self.act_mark_all_read = act(tr("Mark &All in View as Read"))
        self.act_undo = act(tr("&Undo"), [QKeySequence.StandardKey.Undo])
        self.act_undo.setEnabled(False)
        self.act_export = act(tr("&Export Bookmarks…"))
        self.act_print = act(tr("&Print…"), [QKeySequence.StandardKey.Print])
        self.act_pdf = act(tr("Export Article as P&DF…"))
        self.act_html = act(tr("Export Article as &HTML…"))
        self.act_markdown = act(tr("Export Article as &Markdown…"))
        self.act_prefs = act(tr("&Preferences…"), ["Ctrl+,"])
        self.act_font = act(tr("Reading &Font…"))
        self.act_import = act(tr("&Import Bookmarks…"))
        self.act_hide_duplicates = act(tr("Hide &Duplicates"))
        self.act_hide_duplicates.setCheckable(True)
        self.act_hide_duplicates.setChecked(self.sources.hide_duplicates)
        self.act_hide_duplicates.setToolTip(tr("Show each re-published story once (×N)"))
        self.act_timeline = act(tr("Show &Timeline"))
        self.act_timeline.setCheckable(True)
        self.act_timeline.setChecked(self.timeline.visible)
        self.act_save_search = act(tr("Sa&ve Search…"), ["Ctrl+Shift+S"])
        self.act_save_search.setToolTip(
            tr("Save the search with the selected node and filters under Saved searches")
        )
        self.save_search_button.setDefaultAction(self.act_save_search)
        self.save_search_button.setText(tr("Save"))
        self.theme_group = QActionGroup(self)
        labels = {"system": tr("System"), "light": tr("Light"), "dark": tr("Dark")}
        self.theme_actions = {k: QAction(labels[k], self, checkable=True) for k in THEMES}
        self.width_group = QActionGroup(self)
        labels = {"narrow": tr("Narrow"), "wide": tr("Wide"), "full": tr("Full Width")}
        self.width_actions = {k: QAction(labels[k], self, checkable=True) for k in LINE_WIDTHS}
        for a in self.theme_actions.values():
            self.theme_group.addAction(a)
        for a in self.width_actions.values():
            self.width_group.addAction(a)
        self.appearance.theme_actions = self.theme_actions
        self.appearance.width_actions = self.width_actions
        self.marks.mark_all_read_action = self.act_mark_all_read

    def _build_menus(self) -> None:
        tr, bar = self.tr, self.menuBar()
        self.file_menu = bar.addMenu(tr("&File"))
        self.file_menu.addAction(self.act_open)
        self.recent_menu = self.file_menu.addMenu(tr("Open &Recent"))
        for group in (
            (self.act_reload,),
            (self.act_print, self.act_pdf, self.act_html, self.act_markdown),
            (self.act_export, self.act_import),
            (self.act_prefs,),
            (self.act_quit,),
        ):
            self.file_menu.addActions(list(group))
            if group[0] is not self.act_quit:
                self.file_menu.addSeparator()
        self.view_menu = bar.addMenu(tr("&View"))
        self.view_menu.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset])
        self.view_menu.addSeparator()
        self.view_menu.addMenu(tr("&Theme")).addActions(list(self.theme_actions.values()))
        self.view_menu.addAction(self.act_font)
        self.view_menu.addMenu(tr("&Line Width")).addActions(list(self.width_actions.values()))
        self.view_menu.addSeparator()
        self.view_menu.addActions([self.act_find, self.act_search])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.act_hide_duplicates)
        self.view_menu.addActions([self.act_find, self.act_search, self.act_save_search])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.act_timeline)
        self.article_menu = bar.addMenu(tr("&Article"))
        self.article_menu.addActions(
            [self.act_bookmark, self.act_note, self.act_toggle_read, self.act_mark_all_read]
        )
        self.article_menu.addSeparator()
        self.article_menu.addAction(self.act_undo)
        self.go_menu = bar.addMenu(tr("&Go"))
        self.go_menu.addActions([self.act_back, self.act_forward])
        self.go_menu.addSeparator()
        self.go_menu.addActions([self.act_next, self.act_prev, self.act_space])
        self.go_menu.addSeparator()
        self.go_menu.addActions([self.act_focus_tree, self.act_focus_list, self.act_focus_pane])
        self.help_menu = bar.addMenu(tr("&Help"))
        self.help_menu.addActions([self.act_shortcuts, self.act_about])

    def _connect_signals(self) -> None:
        session, listing, article, marks = self.session, self.listing, self.article, self.marks
        search, exporter, look, pane = self.search, self.exporter, self.appearance, self.pane
        # Actions.
        for action, slot in (
            (self.act_open, self.opener.on_open_folder_requested),
            (self.act_reload, self.opener.on_reload_requested),
            (self.act_quit, self.close),
            (self.act_next, listing.select_next),
            (self.act_prev, listing.select_previous),
            (self.act_space, pane.page_down_or_next),
            (self.act_focus_tree, self.nav.tree.setFocus),
            (self.act_focus_list, self.list_view.setFocus),
            (self.act_focus_pane, pane.setFocus),
            (self.act_search, search.focus),
            (self.act_find, self.find_bar.open_bar),
            (self.act_find_next, self.find_bar.find_next),
            (self.act_find_prev, self.find_bar.find_previous),
            (self.act_zoom_in, pane.zoom_in),
            (self.act_zoom_out, pane.zoom_out),
            (self.act_zoom_reset, pane.zoom_reset),
            (self.act_shortcuts, self.dialogs.show_shortcuts),
            (self.act_about, self.dialogs.show_about),
            (self.act_cancel_load, session.loader.cancel),
            (self.act_bookmark, marks.on_bookmark_requested),
            (self.act_note, marks.on_note_requested),
            (self.act_toggle_read, marks.on_toggle_read_requested),
            (self.act_mark_all_read, marks.on_mark_all_read_requested),
            (self.act_export, exporter.export_bookmarks),
            (self.act_import, exporter.import_bookmarks),
            (self.act_print, exporter.print_post),
            (self.act_pdf, exporter.export_pdf),
            (self.act_html, exporter.export_html),
            (self.act_markdown, exporter.export_markdown),
            (self.act_prefs, look.show_preferences),
            (self.act_font, look.choose_font),
            (self.act_back, self.navigation.go_back),
            (self.act_undo, self.marks_undo.undo),
            (self.act_forward, self.navigation.go_forward),
        ):
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
        for key, action in self.theme_actions.items():
            action.triggered.connect(lambda _checked=False, k=key: look.set_theme(k))
        for key, action in self.width_actions.items():
            action.triggered.connect(lambda _checked=False, k=key: look.set_line_width(k))
        self.recent_menu.aboutToShow.connect(self.opener.on_recent_menu_about_to_show)
        self.status.cancel_button.clicked.connect(session.loader.cancel)
        # The folder's life (the status first: `folder_loaded` comes when the views are done).
        session.folder_opened.connect(self.status.on_folder_opened)
        session.library_changed.connect(listing.refresh_views)
        session.progress.connect(self.status.on_load_progress)
        session.load_finished.connect(self.status.on_load_finished)
        session.load_failed.connect(self.status.on_load_failed)
        session.load_finished.connect(self.on_load_ended)
        session.load_failed.connect(self.on_load_ended)
        session.folder_changed.connect(self.status.on_folder_changed)
        session.index_changed.connect(listing.update_status)
        session.index_finished.connect(search.on_index_finished)
        # The tree, the search and the list.
        self.nav.selection_changed.connect(listing.on_nav_selection_changed)
        self.nav.problem_activated.connect(self.opener.on_problem_activated)
        search.query_changed.connect(listing.refresh_list)
        search.submitted.connect(listing.on_search_submitted)
        self.list_model.sort_requested.connect(self.list_sort.on_header_sort)
        self.list_model.set_state_lookups(marks.is_bookmarked, marks.is_unread, marks.note)
        self.list_view.selectionModel().currentRowChanged.connect(article.on_current_row_changed)
        self.list_view.clicked.connect(listing.on_list_clicked)
        self.list_view.customContextMenuRequested.connect(marks.on_list_context_menu)
        marks.changed.connect(listing.on_marks_changed)
        # Source names and re-published copies (after each load and live refresh).
        sources = self.sources
        session.folder_opened.connect(sources.on_folder_opened)
        session.load_finished.connect(sources.on_folder_loaded)
        session.folder_changed.connect(sources.on_folder_loaded)
        session.index_finished.connect(sources.on_index_finished)
        sources.changed.connect(sources.apply_to_views)
        self.act_hide_duplicates.toggled.connect(sources.set_hide_duplicates)
        self.list_model.set_source_lookups(sources.display, sources.copy_count)
        # When storage fails: the notice bar (changes that cannot be saved, a folder gone).
        watch = self.storage_watch
        session.load_finished.connect(watch.check_store)
        marks.storage_failed.connect(watch.on_write_failed)
        session.folder_gone.connect(watch.on_folder_gone)
        session.folder_opened.connect(watch.on_folder_opened)
        # The reading pane.
        pane.category_requested.connect(listing.on_category_requested)
        pane.tag_requested.connect(listing.on_tag_requested)
        pane.post_link_activated.connect(article.on_post_link)
        pane.reached_end.connect(listing.select_next)
        pane.zoom_changed.connect(self.on_zoom_changed)
        pane.bookmark_toggle_requested.connect(marks.on_pane_bookmark_requested)
        pane.note_edit_requested.connect(marks.on_pane_note_requested)
        pane.verticalScrollBar().valueChanged.connect(marks.on_pane_scrolled)
        # The window.
        QGuiApplication.styleHints().colorSchemeChanged.connect(look.on_system_colors_changed)
        self.list_view.installEventFilter(self)
        self.list_view.viewport().installEventFilter(self)
        self.splitter.splitterMoved.connect(self.on_splitter_moved)
        # Back and Forward.
        article.post_opened.connect(self.navigation.on_post_opened)
        session.folder_opened.connect(self.navigation.on_folder_opened)
        self.navigation.can_go_changed.connect(self.on_can_go_changed)
        # The open article follows its file.
        session.loader.refreshed.connect(self.follower.on_refreshed)
        # What an empty list says.
        self.list_model.modelReset.connect(self.empty_notice.update)
        # Links: the address under the mouse; a web link that could not be opened.
        pane.highlighted.connect(self.navigation.on_link_hovered)
        pane.link_failed.connect(self.navigation.on_link_failed)
        # A problem selected in the tree explains itself in the pane.
        self.nav.tree.selectionModel().currentChanged.connect(
            self.problem_details.on_tree_current_changed
        )
        pane.action_requested.connect(self.problem_details.on_action)
        self.problem_details.open_folder_requested.connect(self.opener.on_problem_activated)
        # Undo for read-state and bookmark changes.
        marks.undoable.connect(self.marks_undo.push)
        session.folder_opened.connect(self.marks_undo.clear)
        self.marks_undo.available.connect(self.on_undo_available)
        session.load_finished.connect(self.empty_notice.update)
        # The timeline, saved searches and related posts.
        timeline, saved, related = self.timeline, self.saved_searches, self.related
        self.act_timeline.toggled.connect(timeline.set_visible)
        self.act_save_search.triggered.connect(saved.on_save_requested)
        listing.list_refreshed.connect(timeline.on_list_refreshed)
        session.folder_opened.connect(timeline.on_folder_opened)
        self.nav.saved_search_menu_requested.connect(saved.on_menu_requested)
        session.library_changed.connect(saved.schedule_recount)
        session.index_finished.connect(saved.schedule_recount)
        marks.changed.connect(saved.schedule_recount)
        session.folder_opened.connect(related.on_folder_opened)
        session.index_finished.connect(related.on_index_finished)
        article.post_opened.connect(related.on_post_opened)
        pane.related_activated.connect(related.on_related_activated)

    # --- state across restarts ----------------------------------------------------------------

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
        self.appearance.apply(self.appearance.load())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Override of QWidget.resizeEvent: until the user moves the splitters, keep their
        proportions."""
        super().resizeEvent(event)
        if not self._splitter_restored and not self._splitter_moved:
            self._default_splitter_sizes(self.width())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Override of QWidget.closeEvent: remember the window, save the reading position and
        stop the worker threads before closing."""
        self.marks.save_position_now()
        self.settings.set_bytes("window/geometry", self.saveGeometry())
        self.settings.set_bytes("window/splitter", self.splitter.saveState())
        self.session.close()
        self.sources.stop()
        self.related.close()
        super().closeEvent(event)

    @Slot(int, int)
    def on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._splitter_moved = True

    @Slot(str)
    def on_undo_available(self, label: str) -> None:
        self.act_undo.setEnabled(bool(label))
        self.act_undo.setText(
            self.tr("&Undo {what}").format(what=label) if label else self.tr("&Undo")
        )

    @Slot(bool, bool)
    def on_can_go_changed(self, back: bool, forward: bool) -> None:
        self.act_back.setEnabled(back)
        self.act_forward.setEnabled(forward)

    @Slot(int)
    def on_zoom_changed(self, step: int) -> None:
        self.settings.set_int("reader/zoom", step)

    # --- dropping a folder on the window --------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Override of QWidget.dragEnterEvent: accept a dragged folder."""
        if dropped_folder(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Override of QWidget.dropEvent: open a dropped folder."""
        folder = dropped_folder(event)
        if folder is not None:
            event.acceptProposedAction()
            self.open_folder(folder)

    @Slot()
    def on_load_ended(self) -> None:
        self.folder_loaded.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Override of QObject.eventFilter: Enter in the list moves the focus to the pane; a
        narrow list drops its category column."""
        view = self.list_view
        if watched is view.viewport() and event.type() == QEvent.Type.Resize:
            fits = self.list_columns.category_fits(view.viewport().width())
            view.setColumnHidden(Column.CATEGORY, not fits)
        if (
            watched is view
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.pane.setFocus()
            return True
        return super().eventFilter(watched, event)

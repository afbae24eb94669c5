"""MainWindow: the navigation tree, the article list and the reading pane, laid out and wired.

The window lays out widgets, creates its actions (`actions.py`) and menus (`menus.py`), and
connects everything in one place, `_connect_signals`. Each feature is its own QObject with its
own timers and slots, handed a `WindowContext` instead of the window: `session` (opening,
loading, live refresh, the index), `listing` (the list's query and selection), `search`,
`article` (the reading pane), `marks` (bookmarks, read state, positions), `exporter`,
`appearance` (preferences, zoom), `navigation` (Back/Forward, keys), `dialogs` and more.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QResizeEvent
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
from reader.gui.actions import WindowActions
from reader.gui.appearance import AppearanceController
from reader.gui.article import ArticleController
from reader.gui.context import WindowContext
from reader.gui.dialogs import Dialogs
from reader.gui.empty_list import EmptyListNotice
from reader.gui.exporter import ExportController
from reader.gui.folder_status import FolderStatus
from reader.gui.following import ArticleFollower
from reader.gui.input_watch import InputWatch
from reader.gui.list_columns import ListColumns
from reader.gui.listing import ArticleList, build_list_view
from reader.gui.marks import MarksController
from reader.gui.menus import build_menus
from reader.gui.models.post_list import PostListModel
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
from reader.gui.timeline import TimelineController
from reader.gui.undo import MarksUndo
from reader.gui.widgets.find_bar import FindBar
from reader.gui.widgets.nav_panel import NavPanel
from reader.gui.widgets.reading_pane import ReadingPane
from reader.gui.widgets.timeline_chart import TimelineBar


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
        self.input_watch = InputWatch(self)  # background work gives way to the user
        self.loader = self.session.loader
        self.acts = WindowActions(self, self.sources.hide_duplicates, self.timeline.visible)
        self.menus = build_menus(self, self.acts, self.save_search_button)
        self.appearance.theme_actions = self.acts.theme_actions
        self.appearance.width_actions = self.acts.width_actions
        self.marks.mark_all_read_action = self.acts.mark_all_read
        self.opener = FolderOpener(ctx, self.menus.recent, self)
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

    if not TYPE_CHECKING:  # unseen by mypy, which goes on checking the real attributes

        def __getattr__(self, name: str) -> object:
            """`window.act_undo`, `window.theme_actions` as tests know them: in `window.acts`."""
            if "acts" in vars(self) and (name.startswith("act_") or name.endswith("_actions")):
                return getattr(self.acts, name.removeprefix("act_"))
            raise AttributeError(name)

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

    def _connect_signals(self) -> None:
        session, listing, article, marks = self.session, self.listing, self.article, self.marks
        search, exporter, look, pane = self.search, self.exporter, self.appearance, self.pane
        acts = self.acts
        # Actions.
        for action, slot in (
            (acts.open, self.opener.on_open_folder_requested),
            (acts.reload, self.opener.on_reload_requested),
            (acts.quit, self.close),
            (acts.next, listing.select_next),
            (acts.prev, listing.select_previous),
            (acts.space, pane.page_down_or_next),
            (acts.focus_tree, self.nav.tree.setFocus),
            (acts.focus_list, self.list_view.setFocus),
            (acts.focus_pane, pane.setFocus),
            (acts.search, search.focus),
            (acts.find, self.find_bar.open_bar),
            (acts.find_next, self.find_bar.find_next),
            (acts.find_prev, self.find_bar.find_previous),
            (acts.zoom_in, pane.zoom_in),
            (acts.zoom_out, pane.zoom_out),
            (acts.zoom_reset, pane.zoom_reset),
            (acts.shortcuts, self.dialogs.show_shortcuts),
            (acts.about, self.dialogs.show_about),
            (acts.cancel_load, session.loader.cancel),
            (acts.bookmark, marks.on_bookmark_requested),
            (acts.note, marks.on_note_requested),
            (acts.toggle_read, marks.on_toggle_read_requested),
            (acts.mark_all_read, marks.on_mark_all_read_requested),
            (acts.export_bookmarks, exporter.export_bookmarks),
            (acts.import_bookmarks, exporter.import_bookmarks),
            (acts.print, exporter.print_post),
            (acts.pdf, exporter.export_pdf),
            (acts.html, exporter.export_html),
            (acts.markdown, exporter.export_markdown),
            (acts.prefs, look.show_preferences),
            (acts.font, look.choose_font),
            (acts.back, self.navigation.go_back),
            (acts.undo, self.marks_undo.undo),
            (acts.forward, self.navigation.go_forward),
        ):
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
        for key, action in acts.theme_actions.items():
            action.triggered.connect(lambda _checked=False, k=key: look.set_theme(k))
        for key, action in acts.width_actions.items():
            action.triggered.connect(lambda _checked=False, k=key: look.set_line_width(k))
        self.menus.recent.aboutToShow.connect(self.opener.on_recent_menu_about_to_show)
        self.status.cancel_button.clicked.connect(session.loader.cancel)
        # The folder's life (the status first: `folder_loaded` comes when the views are done).
        session.folder_opened.connect(self.status.on_folder_opened)
        session.library_changed.connect(listing.refresh_views)
        session.progress.connect(self.status.on_load_progress)
        session.load_finished.connect(self.status.on_load_finished)
        session.load_failed.connect(self.status.on_load_failed)
        self.status.load_shown.connect(self.on_load_ended)
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
        session.settled.connect(sources.on_folder_loaded)
        session.folder_changed.connect(sources.on_folder_loaded)
        session.index_finished.connect(sources.on_index_finished)
        sources.changed.connect(sources.apply_to_views)
        acts.hide_duplicates.toggled.connect(sources.set_hide_duplicates)
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
        pane.zoom_changed.connect(look.on_zoom_changed)
        pane.bookmark_toggle_requested.connect(marks.on_pane_bookmark_requested)
        pane.note_edit_requested.connect(marks.on_pane_note_requested)
        pane.verticalScrollBar().valueChanged.connect(marks.on_pane_scrolled)
        # The window.
        QGuiApplication.styleHints().colorSchemeChanged.connect(look.on_system_colors_changed)
        self.splitter.splitterMoved.connect(self.on_splitter_moved)
        # Back and Forward.
        article.post_opened.connect(self.navigation.on_post_opened)
        session.folder_opened.connect(self.navigation.on_folder_opened)
        self.navigation.can_go_changed.connect(acts.on_can_go_changed)
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
        self.marks_undo.available.connect(acts.on_undo_available)
        self.status.load_shown.connect(self.empty_notice.update)
        # The timeline, saved searches and related posts.
        timeline, saved, related = self.timeline, self.saved_searches, self.related
        acts.timeline.toggled.connect(timeline.set_visible)
        acts.save_search.triggered.connect(saved.on_save_requested)
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
        self.appearance.restore_zoom()
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
        self.input_watch.remove()  # first: the threads stopped below must not wait for it
        self.session.close()
        self.sources.stop()
        self.related.close()
        super().closeEvent(event)

    @Slot(int, int)
    def on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._splitter_moved = True

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

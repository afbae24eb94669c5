"""WindowContext: what the window's features share, handed to each instead of the window.

In the manner of git-cola's context object: a feature (session, search, marks, list, article,
exports, appearance) receives this and reaches the widgets it works on and the other features
through it, never through the main window's attributes. The window fills it in as it builds
its widgets and features; a feature reads it when a slot runs, so the order of construction
only matters for what a constructor itself uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMainWindow, QTableView

from reader.core import Folder, UserStore
from reader.gui.models.post_list import PostListModel
from reader.gui.settings import AppSettings
from reader.gui.widgets.nav_panel import NavPanel
from reader.gui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:  # the features import this module; these names are for annotations only
    from reader.gui.appearance import AppearanceController
    from reader.gui.article import ArticleController
    from reader.gui.listing import ArticleList
    from reader.gui.marks import MarksController
    from reader.gui.saved_searches import SavedSearches
    from reader.gui.search import SearchController
    from reader.gui.session import FolderSession
    from reader.gui.sources import SourcesController
    from reader.gui.timeline import TimelineController


class WindowContext:
    """The window, its settings and user store, its widgets and its features."""

    # Widgets, set by MainWindow._build_widgets.
    nav: NavPanel
    list_model: PostListModel
    list_view: QTableView
    search_edit: QLineEdit
    order_combo: QComboBox
    pane: ReadingPane
    status_label: QLabel
    # Features, set by MainWindow.__init__.
    session: FolderSession
    marks: MarksController
    search: SearchController
    listing: ArticleList
    article: ArticleController
    appearance: AppearanceController
    sources: SourcesController
    timeline: TimelineController
    saved_searches: SavedSearches

    def __init__(self, window: QMainWindow, settings: AppSettings, store: UserStore) -> None:
        self.window = window  # the parent of dialogs, and its status bar
        self.settings = settings
        self.store = store

    @property
    def folder(self) -> Folder | None:
        """The opened folder (None before the first open, or when it could not be opened)."""
        return self.session.folder

    def show_message(self, text: str, milliseconds: int) -> None:
        """A passing message in the status bar."""
        self.window.statusBar().showMessage(text, milliseconds)

    def tr(self, text: str) -> str:
        """`text` in the interface language (translated in the MainWindow context)."""
        return self.window.tr(text)

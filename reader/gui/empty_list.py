"""EmptyListNotice: what an empty article list says instead of a blank.

An empty folder, a search without results, an empty Unread or Bookmarks view: the list shows a
short text in its middle saying what is empty and what to do. It is a label over the list's
viewport, shown while the model has no rows and a folder is open and loaded.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import QLabel

from reader.gui.context import WindowContext


class EmptyListNotice(QObject):
    """The empty list's text (see the module docstring)."""

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        viewport = ctx.list_view.viewport()
        self.label = QLabel(viewport)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setContentsMargins(24, 24, 24, 24)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.label.hide()
        viewport.installEventFilter(self)

    def text(self) -> str:
        """What to say for the list as it is now ("" when it has rows)."""
        ctx = self._ctx
        folder = ctx.folder
        if folder is None or ctx.list_model.rowCount() or ctx.session.loading:
            return ""
        if not folder.library.posts:
            return self.tr(
                "This folder has no posts. Posts are Markdown or HTML files with front matter, "
                "usually in _posts/. Open another folder with Ctrl+O."
            )
        search = ctx.search.text
        if search:
            return self.tr(
                "No posts match “{text}”. Try fewer or other words, remove a -exclusion, "
                "or choose All posts in the tree; Esc clears the search."
            ).format(text=search)
        selection = ctx.listing.selection
        if selection.unread:
            return self.tr("Everything here is read. Choose All posts in the tree to read again.")
        if selection.bookmarks:
            return self.tr("No bookmarks yet. Press Ctrl+D on an article to keep it here.")
        return self.tr("No posts in this view. Choose All posts in the tree.")

    @Slot()
    def update(self) -> None:
        text = self.text()
        self.label.setText(text)
        self.label.setVisible(bool(text))
        if text:
            self.label.resize(self._ctx.list_view.viewport().size())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Override of QObject.eventFilter: the text keeps the viewport's size."""
        if event.type() == QEvent.Type.Resize and self.label.isVisible():
            self.label.resize(self._ctx.list_view.viewport().size())
        return False

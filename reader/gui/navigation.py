"""ReadingNavigation: where the keyboard and the reader's way back go.

Owns the reading history (Back/Forward over the posts opened, as a browser keeps pages: Alt+Left,
Alt+Right, the mouse's back and forward buttons, the Go menu), and the keys the widgets do not
give the reader by themselves: Esc in the tree filter or the search field clears it and returns
to the list; Enter in the list gives the article the keyboard; Home/End in the list go to the
first/last article (a table would move to the first or last column); Ctrl+Home/Ctrl+End in the
article go to its top and bottom.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QLineEdit

from reader.gui.context import WindowContext

log = logging.getLogger(__name__)

# Enough for a reading session; older entries fall off the back.
HISTORY_LIMIT = 200


class ReadingHistory:
    """Back and forward stacks of post paths, around the one open now."""

    def __init__(self) -> None:
        self.back: list[str] = []
        self.forward: list[str] = []
        self.current: str | None = None

    def visit(self, path: str) -> None:
        """`path` was opened by the reader (not by going back or forward)."""
        if path == self.current:
            return
        if self.current is not None:
            self.back.append(self.current)
            del self.back[:-HISTORY_LIMIT]
        self.forward.clear()
        self.current = path

    def go_back(self) -> str | None:
        if not self.back:
            return None
        if self.current is not None:
            self.forward.append(self.current)
        self.current = self.back.pop()
        return self.current

    def go_forward(self) -> str | None:
        if not self.forward:
            return None
        if self.current is not None:
            self.back.append(self.current)
        self.current = self.forward.pop()
        return self.current

    def forget(self, path: str) -> None:
        """`path` is gone from the folder: it cannot be gone back to."""
        self.back = [p for p in self.back if p != path]
        self.forward = [p for p in self.forward if p != path]


class ReadingNavigation(QObject):
    """Back/Forward and the list, search and article keys (see the module docstring)."""

    can_go_changed = Signal(bool, bool)  # (back possible, forward possible)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.history = ReadingHistory()
        self._moving = False  # opening a post from the history: not a new visit
        ctx.search_edit.installEventFilter(self)
        ctx.nav.filter_edit.installEventFilter(self)
        ctx.list_view.installEventFilter(self)
        ctx.pane.installEventFilter(self)
        for widget in (ctx.list_view.viewport(), ctx.pane.viewport(), ctx.nav.tree.viewport()):
            widget.installEventFilter(self)

    # --- the history --------------------------------------------------------------------------

    @Slot(str)
    def on_post_opened(self, path: str) -> None:
        if not self._moving:
            self.history.visit(path)
        self._emit_state()

    @Slot()
    def on_folder_opened(self) -> None:
        self.history = ReadingHistory()
        self._emit_state()

    @Slot()
    def go_back(self) -> None:
        self._go(self.history.go_back())

    @Slot()
    def go_forward(self) -> None:
        self._go(self.history.go_forward())

    def _go(self, path: str | None) -> None:
        folder = self._ctx.folder
        if path is None or folder is None:
            return
        if folder.post(path) is None:  # deleted since: skip it, go on in the same direction
            self.history.forget(path)
            self._emit_state()
            return
        self._moving = True
        try:
            # Within the current view when it is listed there; else opened as it is.
            if not self._ctx.listing.select_path(path):
                self._ctx.article.open_post(path)
        finally:
            self._moving = False
        self._emit_state()

    def _emit_state(self) -> None:
        self.can_go_changed.emit(bool(self.history.back), bool(self.history.forward))

    # --- links -------------------------------------------------------------------------------

    @Slot(QUrl)
    def on_link_hovered(self, url: QUrl) -> None:
        """The address under the mouse, in the status bar (as a browser shows it)."""
        if url.isEmpty():
            self._ctx.window.statusBar().clearMessage()
            return
        if url.scheme() in ("http", "https", "mailto", "ftp", ""):
            self._ctx.show_message(url.toString(), 0)

    @Slot(str)
    def on_link_failed(self, address: str) -> None:
        self._ctx.show_message(
            self.tr("Could not open {address}: no program for it answered").format(address=address),
            8000,
        )

    # --- keys and mouse buttons ---------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Override of QObject.eventFilter: the keys and buttons of the module docstring."""
        kind = event.type()
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, mods = event.key(), event.modifiers()
        ctx = self._ctx
        if key == Qt.Key.Key_Escape and isinstance(watched, QLineEdit):
            return self._escape(watched)
        if watched is ctx.list_view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            ctx.pane.setFocus()
            return True
        if watched is ctx.list_view and key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            if mods & ~Qt.KeyboardModifier.KeypadModifier:
                return False
            rows = ctx.list_model.rowCount()
            if rows:
                ctx.listing.select_row(0 if key == Qt.Key.Key_Home else rows - 1)
            return True
        if (
            watched is ctx.pane
            and key in (Qt.Key.Key_Home, Qt.Key.Key_End)
            and mods & Qt.KeyboardModifier.ControlModifier
        ):
            bar = ctx.pane.verticalScrollBar()
            bar.setValue(bar.minimum() if key == Qt.Key.Key_Home else bar.maximum())
            return True
        return False

    def _escape(self, edit: QLineEdit) -> bool:
        """Esc in a field: clear it (the list follows) and give the list the keyboard."""
        ctx = self._ctx
        if edit is ctx.search_edit and edit.text():
            ctx.search.clear()
            ctx.listing.refresh_list()
        elif edit.text():
            edit.clear()
        ctx.list_view.setFocus()
        return True

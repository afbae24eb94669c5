"""Tells the core when the user acts in the window, so that background work gives way
(`reader.core.interacting`, `acted`, `give_way`).

An event filter on the application sees every click, key and wheel turn before the widget
it goes to; each one lets the background threads' loops wait for a moment
(`reader.core.foreground.GRACE`), so that what the user asked for gets the interpreter to
itself. The handlers of a category switch, a sort change, a list refresh and an article
opened also run inside `interacting()`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from reader.core import acted, release_background

_INPUT = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class InputWatch(QObject):
    """Installed on the application for as long as its window is open."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seen = 0  # input events seen (for tests)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        """Override of QObject.eventFilter: note the user's input, never consume it."""
        if event.type() in _INPUT:
            self.seen += 1
            acted()
        return False

    def remove(self) -> None:
        """The window is closing: stop watching, and let waiting background work end."""
        release_background()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

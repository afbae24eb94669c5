"""MarksUndo: Ctrl+Z takes back the last read-state or bookmark change the reader made.

"Mark All in View as Read" can mark thousands of posts at once; rather than ask first, the
window lets it be taken back, as any bookmark or read/unread change made by hand. Each change
the marks feature reports (`MarksController.undoable`) is pushed here with a label and the way
back; Ctrl+Z (Article › Undo) runs the last one. Posts marked read by reading them are not
recorded: that is not a change the reader made on purpose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from reader.gui.context import WindowContext

log = logging.getLogger(__name__)

UNDO_LIMIT = 50


class MarksUndo(QObject):
    """The undo steps of marks changes (see the module docstring)."""

    available = Signal(str)  # the label of the step Ctrl+Z would take back ("" when none)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._steps: list[tuple[str, Callable[[], None]]] = []

    @Slot(str, object)
    def push(self, label: str, undo: Callable[[], None]) -> None:
        self._steps.append((label, undo))
        del self._steps[:-UNDO_LIMIT]
        self.available.emit(label)

    @Slot()
    def clear(self) -> None:
        """Another folder: its steps do not apply."""
        self._steps.clear()
        self.available.emit("")

    @Slot()
    def undo(self) -> None:
        if not self._steps:
            return
        label, step = self._steps.pop()
        step()
        self._ctx.show_message(self.tr("Undone: {what}").format(what=label), 4000)
        self.available.emit(self._steps[-1][0] if self._steps else "")

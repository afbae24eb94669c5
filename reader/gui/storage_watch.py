"""StorageWatch: what the window says, in one place, when storage fails.

Owns the notice bar under the toolbar and two lasting conditions on it:
- the user's data cannot be written (a read-only file system, a full disk, a lock, no
  permission): "Changes cannot be saved: the disk is full — /path", shown when the store opens
  read-only or a write fails, re-checked after each failure and on a timer
  (`UserStore.check_writable`), and gone as soon as a change could be saved again;
- the opened folder is not there any more (an unplugged drive, a deleted or renamed folder):
  the window keeps what it loaded and the bookmarks, and the session's live refresh picks the
  folder up again when it comes back (`FolderSession.folder_gone`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QToolBar

from reader.core import StorageError
from reader.gui.context import WindowContext
from reader.gui.widgets.notice_bar import NoticeBar

log = logging.getLogger(__name__)

RECHECK_MS = 5000  # while changes cannot be saved: how often to try again
STORAGE, FOLDER = "storage", "folder"


class StorageWatch(QObject):
    """The notice bar and the conditions on it (see the module docstring)."""

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        window = ctx.window
        self.bar = NoticeBar(window)
        # A toolbar of its own, on a row of its own: under any toolbar, above the columns.
        self.toolbar = QToolBar(self.tr("Notices"), window)
        self.toolbar.setObjectName("noticeToolBar")
        self.toolbar.setMovable(False)
        self.toolbar.setFloatable(False)
        self.toolbar.toggleViewAction().setVisible(False)
        self.toolbar.addWidget(self.bar)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(RECHECK_MS)
        self.timer.timeout.connect(self.recheck)

    def _set(self, key: str, text: str | None) -> None:
        self.bar.set_notice(key, text)
        self.toolbar.setVisible(self.bar.has_notices)

    @property
    def cannot_save(self) -> bool:
        return self.bar.notice(STORAGE) is not None

    # --- the user's data ------------------------------------------------------------------------

    @Slot()
    def check_store(self) -> None:
        """A folder's marks are attached: a store opened read-only says so at once."""
        store = self._ctx.store
        if not store.writable:
            self._show_store_problem(store.read_only_reason or "", store.path)

    @Slot(object)
    def on_write_failed(self, error: StorageError) -> None:
        """A change could not be saved (the marks reverted it): say why, until it can be."""
        self._show_store_problem(error.reason or str(error), error.path or self._ctx.store.path)

    def _show_store_problem(self, reason: str, path: object) -> None:
        self._set(
            STORAGE,
            self.tr("Changes cannot be saved: {reason} — {path}").format(reason=reason, path=path),
        )
        if not self.timer.isActive():
            self.timer.start()

    @Slot()
    def recheck(self) -> None:
        """Could a change be saved now? Then the notice goes."""
        problem = self._ctx.store.check_writable()
        if problem is None:
            self.timer.stop()
            self._set(STORAGE, None)
            self._ctx.show_message(self.tr("Changes can be saved again."), 5000)
        else:
            self._show_store_problem(problem.reason or str(problem), problem.path)

    # --- the folder -----------------------------------------------------------------------------

    @Slot(bool)
    def on_folder_gone(self, gone: bool) -> None:
        path = self._ctx.session.path
        if gone:
            text = self.tr(
                "The folder {path} is not there any more (unplugged, moved or deleted?). "
                "Showing what was loaded; it is picked up again when it comes back."
            ).format(path=path)
            self._set(FOLDER, text)
        else:
            self._set(FOLDER, None)
            self._ctx.show_message(self.tr("The folder is back: {path}").format(path=path), 5000)

    @Slot()
    def on_folder_opened(self) -> None:
        self._set(FOLDER, None)

"""FolderOpener: the ways a user opens a folder, and reaches the files behind a problem.

Owns the Open Folder dialog, Reload, the Open Recent menu (filled each time it opens, from the
settings), what counts as a dropped folder, and showing the folder of a file that could not be
read in the desktop's file manager. Opening itself is `FolderSession.open`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMenu

from reader.core import Problem
from reader.gui.context import WindowContext


class FolderOpener(QObject):
    """Opening folders (see the module docstring)."""

    def __init__(self, ctx: WindowContext, recent_menu: QMenu, parent: QObject | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._recent_menu = recent_menu

    def open(self, folder: Path) -> None:
        """Start loading `folder` (asynchronously), skipping the folders the preferences name."""
        self._ctx.session.open(folder, self._ctx.appearance.skip_dirs)

    @Slot()
    def on_open_folder_requested(self) -> None:
        start = str(self._ctx.session.path or Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self._ctx.window, self.tr("Open a Folder of Posts"), start
        )
        if chosen:
            self.open(Path(chosen))

    @Slot()
    def on_reload_requested(self) -> None:
        self._ctx.session.reload(self._ctx.appearance.skip_dirs)

    @Slot()
    def on_recent_menu_about_to_show(self) -> None:
        menu, settings = self._recent_menu, self._ctx.settings
        menu.clear()
        recent = settings.recent_folders()
        for folder in recent:
            act = menu.addAction(folder)
            act.triggered.connect(lambda _checked=False, f=folder: self.open(Path(f)))
        if recent:
            menu.addSeparator()
            menu.addAction(self.tr("Clear Recent")).triggered.connect(settings.clear_recent)
        else:
            menu.addAction(self.tr("No recent folders")).setEnabled(False)

    @Slot(Problem)
    def on_problem_activated(self, problem: Problem) -> None:
        """Show the folder holding a file that could not be read."""
        folder = self._ctx.folder
        if folder is not None:
            parent = (folder.root / problem.path).parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(parent)))


def dropped_folder(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The folder dragged onto the window, if what is dragged is one."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_dir():
            return Path(url.toLocalFile())
    return None

"""Dialogs: the Help menu's keyboard shortcuts and About boxes.

Owns listing the window's shortcuts (from its actions, so the list never goes stale) and the
About box with the versions and the folders where data, cache and settings live.
"""

from __future__ import annotations

import platform
import re

from PySide6.QtCore import QObject, Qt, Slot, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from reader import __version__
from reader.core import cache_dir, config_dir, data_dir

_MNEMONIC = re.compile(r"\(&\w\)")  # the Chinese style of a menu mnemonic: 打开文件夹(&O)…


def menu_label(text: str) -> str:
    """A menu text without its mnemonic markers, for a list of shortcuts."""
    return _MNEMONIC.sub("", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


class Dialogs(QObject):
    """The Help menu's dialogs, shown over `window`."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every action with a shortcut, plus the mouse gestures."""
        rows = []
        for act in self._window.actions():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()]
            if keys:
                rows.append((menu_label(act.text()), ", ".join(keys)))
        rows.append((self.tr("Zoom"), self.tr("Ctrl+Wheel")))
        rows.append(
            (
                self.tr("Narrow to posts with two categories or tags"),
                self.tr("Ctrl+Click in the tree"),
            )
        )
        return rows

    @Slot()
    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td>{name}</td><td><b>{keys}</b></td></tr>" for name, keys in self.shortcut_rows()
        )
        box = QMessageBox(self._window)
        box.setWindowTitle(self.tr("Keyboard Shortcuts"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table cellspacing='6'>{rows}</table>")
        box.exec()

    @Slot()
    def show_about(self) -> None:
        from PySide6 import __version__ as pyside_version

        QMessageBox.about(
            self._window,
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

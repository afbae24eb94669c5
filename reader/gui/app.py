"""Starting the window: command-line options, the QApplication, logging and the first folder."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__

log = logging.getLogger(__name__)


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="post-reader",
        description="Read folders of Jekyll-style posts offline. Subcommands: list, problems, "
        "show, screenshot (see `post-reader COMMAND --help`).",
    )
    parser.add_argument("folder", nargs="?", metavar="FOLDER", help="folder of posts to open")
    parser.add_argument("--version", action="version", version=f"post-reader {__version__}")
    return parser


def initial_folder(requested: str | None, last: str | None) -> Path:
    """FOLDER if given, else the last folder opened (if it still exists), else the samples."""
    from reader.cli import bundled_sample_posts

    if requested:
        return Path(requested)
    if last and Path(last).is_dir():
        return Path(last)
    return bundled_sample_posts()


def ensure_platform() -> None:
    """Without a display, Qt's default xcb plugin aborts the process; use offscreen instead."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def create_application(argv: Sequence[str]) -> object:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *argv])
    app.setApplicationName("Post Reader")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("post-reader")
    app.setDesktopFileName("post-reader")
    from PySide6.QtGui import QIcon, QPixmap

    from reader.resources import read_bytes

    pixmap = QPixmap()
    pixmap.loadFromData(read_bytes("icons/post-reader.svg"), "SVG")
    app.setWindowIcon(QIcon(pixmap))
    return app


def run_gui(argv: Sequence[str]) -> int:
    args = _gui_parser().parse_args(list(argv))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from reader.cli import CliError

    try:
        from reader.gui.settings import AppSettings

        settings = AppSettings()
        folder = initial_folder(args.folder, settings.last_folder)
    except CliError as exc:
        print(f"post-reader: error: {exc}", file=sys.stderr)
        return 2
    if args.folder and not Path(args.folder).is_dir():
        print(f"post-reader: error: no such folder: {args.folder}", file=sys.stderr)
        return 2
    app = create_application([])
    from reader.gui.main_window import MainWindow

    window = MainWindow(settings)
    window.show()
    if window.user.store.message:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, window.tr("Your reading data"), window.user.store.message)
    window.open_folder(folder)
    return int(app.exec())  # type: ignore[attr-defined]

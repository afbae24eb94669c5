"""Starting the window: command-line options, the QApplication, logging and the first folder."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader import __version__

if TYPE_CHECKING:
    from reader.core import UserStore
    from reader.gui.main_window import MainWindow
    from reader.gui.settings import AppSettings

log = logging.getLogger(__name__)


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="post-reader",
        description="Read folders of Jekyll-style posts offline. Subcommands: list, problems, "
        "show, screenshot (see `post-reader COMMAND --help`).",
    )
    parser.add_argument("folder", nargs="?", metavar="FOLDER", help="folder of posts to open")
    add_appearance_options(parser)
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add Post Reader to the desktop's application menu (for this user) and exit",
    )
    parser.add_argument("--version", action="version", version=f"post-reader {__version__}")
    return parser


THEME_CHOICES = ("system", "light", "dark")


def add_appearance_options(parser: argparse.ArgumentParser) -> None:
    """--lang and --theme, shared by the window and `post-reader screenshot`."""
    parser.add_argument(
        "--lang",
        choices=("en", "zh_CN"),
        help="interface language (default: the system's; any Chinese locale gives zh_CN)",
    )
    parser.add_argument(
        "--theme", choices=THEME_CHOICES, help="colour theme (default: as last chosen)"
    )


def make_main_window(
    settings: AppSettings, store: UserStore | None = None, theme: str | None = None
) -> MainWindow:
    """A MainWindow in the --theme of the command line (None: the theme saved last)."""
    from reader.gui.main_window import MainWindow

    window = MainWindow(settings, store)
    if theme:
        window.appearance.set_theme(theme)
    return window


def initial_folder(requested: str | None, last: str | None) -> Path:
    """FOLDER if given, else the last folder opened (if it still exists), else the samples."""
    from reader.core import sample_folder

    if requested:
        return Path(requested)
    if last and Path(last).is_dir():
        return Path(last)
    return sample_folder()


def startup_language(settings: AppSettings, requested: str | None) -> str | None:
    """--lang when given (and remembered, as --theme is), else the language chosen last
    (Preferences or an earlier --lang), else None: the system's."""
    from reader.gui.appearance import LANGUAGE_KEY

    if requested:
        settings.set_str(LANGUAGE_KEY, requested)
        return requested
    saved = settings.str_value(LANGUAGE_KEY, "")
    return saved if saved in ("en", "zh_CN") else None


def ensure_platform() -> None:
    """Without a display, Qt's default xcb plugin aborts the process; use offscreen instead."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def create_application(argv: Sequence[str], lang: str | None = None) -> object:
    """The QApplication, with its name, icon and the interface language (`lang`, else the
    system's; see reader.gui.i18n). Call before any window is built."""
    from typing import cast

    from PySide6.QtWidgets import QApplication

    app = cast(QApplication, QApplication.instance() or QApplication([sys.argv[0], *argv]))
    app.setApplicationName("Post Reader")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("post-reader")
    app.setDesktopFileName("post-reader")
    from PySide6.QtGui import QIcon, QPixmap

    from reader.resources import read_bytes

    pixmap = QPixmap()
    pixmap.loadFromData(read_bytes("icons/post-reader.svg"), "SVG")
    app.setWindowIcon(QIcon(pixmap))
    from reader.gui.i18n import install_translator

    install_translator(app, lang)
    return app


# glibc's mallopt() parameters (malloc.h): the most arenas malloc makes; the size from which a
# block is mapped on its own (and unmapped when freed).
_M_ARENA_MAX = -8
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 256 << 10


def tune_malloc() -> tuple[bool, bool]:
    """Set glibc's malloc up for a long-lived window holding large arrays: (one arena, a fixed
    mapping threshold), each True when glibc took it. Call it before any thread starts.

    One arena for every thread, as MALLOC_ARENA_MAX=1 would: by default each thread that
    allocates gets an arena of its own (up to eight per core), and what one frees the others
    never reuse (window, 100,000 posts: warm peak 166-167 -> 162-163 MB; the interpreter lock
    serialises most allocations anyway).

    Blocks of `MMAP_THRESHOLD` and more mapped on their own, as MALLOC_MMAP_THRESHOLD_ would: by
    default glibc raises that threshold to the size of each mapped block freed (up to 32 MB),
    so after the first large array goes, the next ones come from the heap, and the heap keeps
    what they leave free. A million posts, warm window: held once loaded 494 -> 400 MB, peak
    499 -> 456 MB. Neither when the user set the variable; nothing elsewhere."""
    if not sys.platform.startswith("linux"):
        return False, False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # another C library
        return False, False
    arena = "MALLOC_ARENA_MAX" not in os.environ and bool(mallopt(_M_ARENA_MAX, 1))
    mapped = "MALLOC_MMAP_THRESHOLD_" not in os.environ and bool(
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    )
    return arena, mapped


def run_gui(argv: Sequence[str]) -> int:
    tune_malloc()  # before the first thread (look_ahead's, below)
    args = _gui_parser().parse_args(list(argv))
    if args.install_desktop_entry:
        from reader.desktop_entry import main as install_main

        return install_main()
    from reader.gui.errors import configure_logging, install_exception_hook

    configure_logging(logging.INFO)  # stderr, and post-reader.log in the user log folder
    from reader.core import InputError

    try:
        from reader.gui.settings import AppSettings

        settings = AppSettings()
        folder = initial_folder(args.folder, settings.last_folder)
    except InputError as exc:
        print(f"post-reader: error: {exc}", file=sys.stderr)
        return 2
    if args.folder and not Path(args.folder).is_dir():
        print(f"post-reader: error: no such folder: {args.folder}", file=sys.stderr)
        return 2
    if folder is not None:  # a large site's newest names, listed while the window is built
        from reader.core import look_ahead

        look_ahead(folder)
    app = create_application([], lang=startup_language(settings, args.lang))
    window = make_main_window(settings, theme=args.theme)
    # From here on an uncaught exception is logged and reported; the window carries on.
    hook = install_exception_hook(lambda: window)
    window.show()
    if window.marks.store.message:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QMessageBox

        title = QCoreApplication.translate("MainWindow", "Your reading data")
        QMessageBox.warning(window, title, window.marks.store.message)
    window.open_folder(folder)
    try:
        return int(app.exec())  # type: ignore[attr-defined]
    finally:
        hook.uninstall()

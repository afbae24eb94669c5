"""The last line of defence: errors nobody caught are logged and shown, and the window goes on.

Owns the log file (`post-reader.log` in the user log folder, rotating) and the exception hooks.
An exception that escapes a slot, a virtual method or a Python thread is written to the log with
its traceback and reported in a dialog; nothing else happens, so the window stays usable. The
dialog is shown from the event loop (queued), never from inside the hook: the hook may run in a
worker thread, or in the middle of Qt delivering an event.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from reader.core import log_dir

log = logging.getLogger(__name__)

LOG_FILE = "post-reader.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Errors arriving while a report is open are only logged: a failure repeated by every paint
# event must not bury the window under dialogs.
MAX_DETAILS_CHARS = 20_000

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_file_path() -> Path:
    return log_dir() / LOG_FILE


def configure_logging(level: int = logging.INFO) -> logging.Handler | None:
    """Log to stderr and to the rotating log file; returns the file's handler (None when the
    log folder cannot be written: the program runs on, logging to stderr only)."""
    root = logging.getLogger()
    root.setLevel(level)
    if not any(
        isinstance(h, logging.StreamHandler) and h.stream is sys.stderr for h in root.handlers
    ):
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(console)
    path = log_file_path()
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            return handler
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
        )
    except OSError as exc:
        log.warning("cannot write the log file %s: %s", path, exc)
        return None
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(file_handler)
    return file_handler


def show_error_dialog(parent: QWidget | None, summary: str, details: str) -> None:
    """The dialog that reports an unexpected error (tests replace QMessageBox)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QApplication.translate("ErrorDialog", "Unexpected error"))
    box.setText(
        QApplication.translate(
            "ErrorDialog",
            "Something went wrong: {summary}\n\nThe window keeps working. The details are in "
            "the log file:\n{path}",
        ).format(summary=summary, path=log_file_path())
    )
    box.setDetailedText(details[-MAX_DETAILS_CHARS:])
    box.exec()


class ExceptionHook(QObject):
    """Installed as sys.excepthook and threading.excepthook by `install_exception_hook`."""

    report = Signal(str, str)  # (one-line summary, traceback)

    def __init__(
        self,
        parent_getter: Callable[[], QWidget | None],
        show: Callable[[QWidget | None, str, str], None] | None = None,
    ) -> None:
        super().__init__()
        self._parent_getter = parent_getter
        self._show = show
        self._showing = False
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        # Queued even from the GUI thread: the dialog opens from the event loop, after the hook.
        self.report.connect(self._on_report, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self._handle_thread:
            threading.excepthook = self._previous_thread_hook

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal: quit as usual
            self._previous_hook(exc_type, exc, tb)
            return
        try:
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            log.error("Unexpected error\n%s", details.rstrip())
            summary = f"{exc_type.__name__}: {exc}"
            self.report.emit(summary[:500], details)
        except Exception:  # the hook itself must never raise
            sys.__excepthook__(exc_type, exc, tb)

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def _on_report(self, summary: str, details: str) -> None:
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            parent = self._parent_getter()
            (self._show or show_error_dialog)(parent, summary, details)
        except Exception:
            log.exception("could not show the error dialog")
        finally:
            self._showing = False


def install_exception_hook(
    parent_getter: Callable[[], QWidget | None],
    show: Callable[[QWidget | None, str, str], None] | None = None,
) -> ExceptionHook:
    """Log every uncaught exception (with its traceback) and report it in a dialog whose parent
    is `parent_getter()`; returns the hook (keep it: `uninstall()` restores the previous ones).
    Call after the QApplication exists."""
    hook = ExceptionHook(parent_getter, show)
    hook.install()
    return hook

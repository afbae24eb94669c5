"""Every failure is visible: an exception nobody caught is logged to the user log folder with
its traceback and shown in a dialog, and the window goes on working."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from reader.core import paths
from reader.gui import errors
from reader.gui.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]


class Boom(RuntimeError):
    """The error a test raises on purpose."""


@pytest.fixture
def log_handler() -> Iterator[logging.Handler]:
    """Logging as the application configures it; the root logger is put back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    handler = errors.configure_logging()
    assert handler is not None
    yield handler
    for added in set(root.handlers) - set(handlers):
        root.removeHandler(added)
        if added is handler:
            added.close()
    root.setLevel(level)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[QWidget | None, str, str]]:
    """The error dialogs shown (QMessageBox.exec replaced: nothing modal in tests)."""
    shown: list[tuple[QWidget | None, str, str]] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append((box.parentWidget(), box.text(), box.detailedText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.fixture
def hook(
    monkeypatch: pytest.MonkeyPatch, make_window: WindowFactory, site: Path
) -> Iterator[tuple[errors.ExceptionHook, MainWindow]]:
    # The hooks are restored by monkeypatch even if the test fails half way.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    window = make_window(site)
    installed = errors.install_exception_hook(lambda: window)
    yield installed, window
    installed.uninstall()


@pytest.mark.qt_no_exception_capture  # the hook under test replaces pytest-qt's own
def test_an_exception_in_a_slot_is_logged_and_shown_and_the_window_goes_on(
    hook: tuple[errors.ExceptionHook, MainWindow],
    log_handler: logging.Handler,
    dialogs: list[tuple[QWidget | None, str, str]],
    qtbot: QtBot,
) -> None:
    _hook, window = hook

    def failing_slot() -> None:
        raise Boom("a bug in a slot")

    QTimer.singleShot(0, failing_slot)
    qtbot.waitUntil(lambda: len(dialogs) == 1, timeout=5000)

    parent, text, details = dialogs[0]
    assert parent is window
    assert "Boom: a bug in a slot" in text
    assert str(paths.log_dir() / "post-reader.log") in text
    assert "failing_slot" in details and "Traceback" in details
    log_handler.flush()
    logged = (paths.log_dir() / errors.LOG_FILE).read_text(encoding="utf-8")
    assert "Unexpected error" in logged and "Boom: a bug in a slot" in logged
    assert 'in failing_slot\n    raise Boom("a bug in a slot")' in logged

    # The window still responds: it opens a post and shows it.
    window.open_post("_posts/2021-02-01-beta.md")
    assert "Beta body text." in window.pane.toPlainText()
    qtbot.wait(50)
    assert len(dialogs) == 1  # one error, one dialog


@pytest.mark.qt_no_exception_capture
def test_errors_while_a_report_is_open_are_only_logged(
    hook: tuple[errors.ExceptionHook, MainWindow],
    log_handler: logging.Handler,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    """A failure repeated by every paint event must not stack up dialogs."""
    shown: list[str] = []

    def exec_and_fail_again(box: QMessageBox) -> int:
        shown.append(box.text())
        QTimer.singleShot(0, lambda: (_ for _ in ()).throw(Boom("again")))
        qtbot.wait(100)  # the dialog is "open" while the second error arrives
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_and_fail_again)
    QTimer.singleShot(0, lambda: (_ for _ in ()).throw(Boom("first")))
    qtbot.waitUntil(lambda: len(shown) >= 1, timeout=5000)
    qtbot.wait(200)
    assert len(shown) == 1 and "first" in shown[0]
    log_handler.flush()
    logged = (paths.log_dir() / errors.LOG_FILE).read_text(encoding="utf-8")
    assert "Boom: first" in logged and "Boom: again" in logged


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_thread_is_reported_on_the_gui_thread(
    hook: tuple[errors.ExceptionHook, MainWindow],
    log_handler: logging.Handler,
    dialogs: list[tuple[QWidget | None, str, str]],
    qtbot: QtBot,
) -> None:
    worker = threading.Thread(target=lambda: (_ for _ in ()).throw(Boom("in a thread")))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(dialogs) == 1, timeout=5000)
    assert "Boom: in a thread" in dialogs[0][1]


def test_uninstall_restores_the_previous_hooks(
    monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    def previous(*args: object) -> None:
        pass

    monkeypatch.setattr(sys, "excepthook", previous)
    installed = errors.install_exception_hook(lambda: None)
    assert sys.excepthook == installed.handle
    installed.uninstall()
    assert sys.excepthook is previous


def test_the_log_file_rotates(log_handler: logging.Handler) -> None:
    assert isinstance(log_handler, logging.handlers.RotatingFileHandler)
    assert log_handler.maxBytes == errors.LOG_BYTES and log_handler.backupCount > 0
    assert Path(log_handler.baseFilename) == paths.log_dir() / "post-reader.log"
    assert errors.configure_logging() is log_handler  # configured once, however often asked

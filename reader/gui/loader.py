"""FolderLoader: runs the core's staged load on a worker thread and streams batches to the
window, so the event loop never waits on the disk. Cancel is checked between batches."""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.load import FolderError, iter_load, scan

log = logging.getLogger(__name__)


class _Worker(QObject):
    scanned = Signal(object, object, int)  # (root Path, SiteConfig, total candidates)
    batch_loaded = Signal(object, object, int, int)  # (posts, problems, done, total)
    finished = Signal(bool)  # cancelled?
    failed = Signal(str)

    def __init__(self, folder: Path, skip_dirs: frozenset[str]) -> None:
        super().__init__()
        self._folder = folder
        self._skip_dirs = skip_dirs
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            result = scan(self._folder, self._skip_dirs)
            self.scanned.emit(result.root, result.site, len(result.candidates))
            for batch in iter_load(result, batch_size=200, cancelled=self._cancel.is_set):
                self.batch_loaded.emit(batch.posts, batch.problems, batch.done, batch.total)
            self.finished.emit(self._cancel.is_set())
        except FolderError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must not leave the window waiting forever
            log.exception("loading %s failed", self._folder)
            self.failed.emit(f"{type(exc).__name__}: {exc}")


class FolderLoader(QObject):
    """Owns one load at a time; starting a new one cancels the old one."""

    scanned = Signal(object, object, int)
    batch_loaded = Signal(object, object, int, int)
    finished = Signal(bool)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, folder: Path, skip_dirs: frozenset[str] = frozenset()) -> None:
        self.stop()
        thread = QThread(self)
        worker = _Worker(folder, skip_dirs)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.scanned.connect(self.scanned)
        worker.batch_loaded.connect(self.batch_loaded)
        worker.finished.connect(self.finished)
        worker.failed.connect(self.failed)
        worker.finished.connect(thread.quit)
        worker.failed.connect(thread.quit)
        self._thread, self._worker = thread, worker
        thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def stop(self) -> None:
        """Cancel and wait for the current load (batches already queued are dropped)."""
        if self._worker is not None:
            self._worker.cancel()
            for signal in (
                self._worker.scanned,
                self._worker.batch_loaded,
                self._worker.finished,
                self._worker.failed,
            ):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        self._thread, self._worker = None, None

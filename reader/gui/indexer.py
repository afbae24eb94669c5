"""IndexBuilder: keeps a folder's full-text index in step on a worker thread, after the list is
up, reporting progress; a search meanwhile covers what is already indexed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core import BuildProgress, Folder, giving_way
from reader.gui.threads import end_worker, start_worker

log = logging.getLogger(__name__)


class _BuildWorker(QObject):
    progress = Signal(int, int)  # (indexed, to index)
    finished = Signal(bool)  # cancelled?

    def __init__(self, steps: Iterator[BuildProgress], cancel: threading.Event) -> None:
        super().__init__()
        self._steps = steps
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            for p in self._steps:
                self.progress.emit(p.done, p.total)
        except Exception:  # a broken index must never take the window down
            log.exception("building the search index failed")
        self.finished.emit(self._cancel.is_set())


class IndexBuilder(QObject):
    """One index build at a time; `start` cancels the one before."""

    progress = Signal(int, int)  # (indexed, to index)
    finished = Signal(bool)  # cancelled?

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _BuildWorker | None = None
        self._cancel = threading.Event()
        self.done = 0
        self.total = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, folder: Folder) -> None:
        """Index what changed in `folder`. Opens the index here, on the GUI thread: StorageError
        when it cannot be (the caller reports it; titles still filter)."""
        self.stop()
        self._cancel = threading.Event()
        posts = folder.posts.snapshot()  # a view: the library changes on this thread meanwhile
        steps = folder.index_posts(giving_way(self._cancel.is_set), posts=posts)
        self.done, self.total = 0, len(posts)
        worker = _BuildWorker(steps, self._cancel)
        thread = start_worker(self, worker, worker.run)
        worker.progress.connect(self.on_progress)
        worker.finished.connect(self.finished)
        worker.finished.connect(thread.quit)
        self._thread, self._worker = thread, worker
        thread.start()

    @Slot(int, int)
    def on_progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.progress.emit(done, total)

    def stop(self) -> None:
        """Cancel and wait for the build (progress already queued is dropped)."""
        self._cancel.set()
        end_worker(self._thread, self._worker, ("progress", "finished"))
        self._thread, self._worker = None, None

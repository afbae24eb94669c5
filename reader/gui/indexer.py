"""IndexBuilder: keeps the folder's full-text index in step on a worker thread, after the list
is up, reporting progress; a search meanwhile covers what is already indexed."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.post import Post
from reader.gui.threads import end_worker

if TYPE_CHECKING:  # the search modules load with the first index build, not at start-up
    from reader.core.search.index import SearchIndex

log = logging.getLogger(__name__)


class _BuildWorker(QObject):
    progress = Signal(int, int)  # (indexed, to index)
    finished = Signal(bool)  # cancelled?

    def __init__(self, root: Path, posts: list[Post], index: SearchIndex) -> None:
        super().__init__()
        self._root, self._posts, self._index = root, posts, index
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            from reader.core.search.build import build_index

            for p in build_index(self._root, self._posts, self._index, self._cancel.is_set):
                self.progress.emit(p.done, p.total)
        except Exception:  # a broken index must never take the window down
            log.exception("building the search index of %s failed", self._root)
        self.finished.emit(self._cancel.is_set())


class IndexBuilder(QObject):
    progress = Signal(int, int)
    finished = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _BuildWorker | None = None
        self.done = 0
        self.total = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, root: Path, posts: list[Post], index: SearchIndex) -> None:
        self.stop()
        self.done, self.total = 0, len(posts)
        thread = QThread(self)
        worker = _BuildWorker(root, posts, index)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self.finished)
        worker.finished.connect(thread.quit)
        self._thread, self._worker = thread, worker
        thread.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.progress.emit(done, total)

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        end_worker(self._thread, self._worker, ("progress", "finished"))
        self._thread, self._worker = None, None

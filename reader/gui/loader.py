"""FolderLoader: runs the core's cached, parallel load (`fastload.open_library`) and live
refreshes on a worker thread, streaming events to the window so the event loop never waits on
the disk. Cancel is checked between batches."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.fastload import (
    Added,
    Done,
    FolderState,
    Progress,
    Removed,
    Snapshot,
    open_library,
    refresh,
)
from reader.core.library import Library
from reader.core.load import FolderError
from reader.gui.threads import end_worker

log = logging.getLogger(__name__)


# The list is re-published at most this often while a cold load streams in.
PUBLISH_SECONDS = 0.4
# ...and never sooner than this many times the last publish took: a publish copies the library
# and rebuilds its indexes (O(posts)), so a fixed interval made a 100,000-post load quadratic
# (18 publishes cost 7.6 s of a 16 s load). With this, publishing takes at most a fifth of it.
PUBLISH_COST_FACTOR = 4.0


class _LoadWorker(QObject):
    """Applies the core's load events to a Library on this thread and publishes copies with
    their indexes already built, so the GUI thread never does O(posts) work for a load."""

    library_ready = Signal(object)  # Library (a copy the GUI thread owns)
    progress = Signal(int, int)
    finished = Signal(bool, object)  # (cancelled, FolderState | None)
    failed = Signal(str)

    def __init__(self, folder: Path, skip_dirs: frozenset[str]) -> None:
        super().__init__()
        self._folder = folder
        self._skip_dirs = skip_dirs
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def _publish(self, library: Library) -> float:
        """Hand a copy over; returns when the next one may go (monotonic time)."""
        started = time.monotonic()
        copy = Library(library.root, library.site, library.posts, library.problems)
        copy.warm()
        self.library_ready.emit(copy)
        now = time.monotonic()
        return now + max(PUBLISH_SECONDS, PUBLISH_COST_FACTOR * (now - started))

    @Slot()
    def run(self) -> None:
        state: FolderState | None = None
        library: Library | None = None
        dirty = False
        next_publish = 0.0
        try:
            for event in open_library(
                self._folder, cancelled=self._cancel.is_set, skip_dirs=self._skip_dirs
            ):
                if isinstance(event, Snapshot):
                    root = library.root if library is not None else self._folder.resolve()
                    library = Library(root, event.site, event.posts, event.problems)
                    dirty = True
                    if event.from_cache:  # the whole list at once
                        next_publish = self._publish(library)
                        dirty = False
                elif library is None:
                    continue
                elif isinstance(event, Added):
                    library.add(event.posts, event.problems)
                    dirty = True
                elif isinstance(event, Removed):
                    library.remove_paths(event.paths)
                    dirty = True
                elif isinstance(event, Progress):
                    self.progress.emit(event.done, event.total)
                elif isinstance(event, Done):
                    state = event.state
                    library.site = state.site
                    log.info("loaded %s: %s", self._folder, event.stats)
                if dirty and time.monotonic() >= next_publish:
                    next_publish = self._publish(library)
                    dirty = False
            if library is not None and dirty:
                self._publish(library)
            self.finished.emit(self._cancel.is_set(), state)
        except FolderError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must not leave the window waiting forever
            log.exception("loading %s failed", self._folder)
            if state is not None:
                state.close()
            self.failed.emit(f"{type(exc).__name__}: {exc}")


class _RefreshWorker(QObject):
    changed = Signal(object)  # FolderChanges
    finished = Signal()

    def __init__(self, state: FolderState) -> None:
        super().__init__()
        self._state = state

    @Slot()
    def run(self) -> None:
        try:
            self.changed.emit(refresh(self._state))
        except Exception:
            log.exception("refreshing %s failed", self._state.root)
        self.finished.emit()


class FolderLoader(QObject):
    """Owns one load (or refresh) at a time; starting a new load cancels the old one."""

    library_ready = Signal(object)
    progress = Signal(int, int)
    finished = Signal(bool)
    failed = Signal(str)
    refreshed = Signal(object)  # FolderChanges

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: QObject | None = None
        self.state: FolderState | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def _start(self, worker: QObject, run: object) -> None:
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(run)
        self._thread, self._worker = thread, worker
        thread.start()

    def start(self, folder: Path, skip_dirs: frozenset[str] = frozenset()) -> None:
        self.stop()
        self._close_state()
        worker = _LoadWorker(folder, skip_dirs)
        worker.library_ready.connect(self.library_ready)
        worker.progress.connect(self.progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self.failed)
        self._start(worker, worker.run)
        worker.finished.connect(self._quit_thread)
        worker.failed.connect(self._quit_thread)

    def refresh(self) -> bool:
        """Look for changes in the background; False when busy or nothing is loaded."""
        if self.running or self.state is None:
            return False
        worker = _RefreshWorker(self.state)
        worker.changed.connect(self.refreshed)
        worker.finished.connect(self._quit_thread)
        self._start(worker, worker.run)
        return True

    def _on_finished(self, cancelled: bool, state: FolderState | None) -> None:
        self.state = state
        self.finished.emit(cancelled)

    def _quit_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()

    def cancel(self) -> None:
        if isinstance(self._worker, _LoadWorker):
            self._worker.cancel()

    def _close_state(self) -> None:
        if self.state is not None:
            self.state.close()
            self.state = None

    def stop(self) -> None:
        """Cancel and wait for the current job (events already queued are dropped)."""
        worker = self._worker
        if isinstance(worker, _LoadWorker):
            worker.cancel()
        end_worker(
            self._thread,
            worker,
            ("library_ready", "progress", "finished", "failed", "changed"),
        )
        self._thread, self._worker = None, None

    def close(self) -> None:
        self.stop()
        self._close_state()

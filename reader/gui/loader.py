"""FolderLoader: runs the core's cached, parallel load (`fastload.open_library`) and live
refreshes on a worker thread, streaming events to the window so the event loop never waits on
the disk. Cancel is checked between batches."""

from __future__ import annotations

import gc
import importlib
import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.library import Library
from reader.core.reading.load import FolderError
from reader.core.reading.loader import (
    Added,
    Done,
    FolderState,
    Progress,
    Removed,
    Snapshot,
    open_library,
    refresh,
)
from reader.gui.threads import end_worker

log = logging.getLogger(__name__)


# The list is re-published at most this often while a cold load streams in.
PUBLISH_SECONDS = 0.4
# ...and never sooner than this many times the last publish took: a publish copies the library
# and rebuilds its indexes (O(posts)), so a fixed interval made a 100,000-post load quadratic
# (18 publishes cost 7.6 s of a 16 s load). With this, publishing takes at most a fifth of it.
PUBLISH_COST_FACTOR = 4.0
# After the cache's list is handed over, the check of the folder waits until the window has
# shown it (it would compete for the GIL with the first paint), but never longer than this.
SHOW_FIRST_SECONDS = 1.0


def _preload_modules() -> None:
    # What the window needs right after a load (rendering the first post, the search index):
    # imported here, not on the GUI thread at first use, where it stalled the window ~100 ms
    # (PySide's import hook also reads each new module's source).
    for name in ("reader.core.render.pipeline", "reader.core.search.service"):
        try:
            importlib.import_module(name)
        except Exception:  # the GUI thread will import it again and report the error
            log.exception("preloading %s failed", name)


def _freeze_heap() -> None:
    # 100,000 records (and their strings and tuples) hold no reference cycles, yet every full
    # collection of the cyclic GC walks them all: hundreds of ms with the GIL held, a frozen
    # window. Moved to the permanent generation, they are still freed by reference counting.
    gc.freeze()


class _LoadWorker(QObject):
    """Applies the core's load events to a Library on this thread and publishes copies with
    their indexes already built, so the GUI thread never does O(posts) work for a load."""

    # (Library, from_cache): a copy the GUI thread owns; from_cache: the cache gave the whole
    # list at once, complete unless the check of the folder that follows finds changes.
    library_ready = Signal(object, bool)
    progress = Signal(int, int)
    finished = Signal(bool, object)  # (cancelled, FolderState | None)
    failed = Signal(str)

    def __init__(self, folder: Path, skip_dirs: frozenset[str]) -> None:
        super().__init__()
        self._folder = folder
        self._skip_dirs = skip_dirs
        self._cancel = threading.Event()
        self._shown = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()
        self._shown.set()

    def list_shown(self) -> None:
        """The window has shown the cached list: checking the folder may start (any thread)."""
        self._shown.set()

    def _publish(self, library: Library, from_cache: bool = False) -> tuple[Library, float]:
        """Hand a copy over; returns it, and when the next one may go (monotonic time)."""
        started = time.monotonic()
        copy = Library(library.root, library.site, library.posts, library.problems)
        copy.excerpt_source = library.excerpt_source
        copy.warm()
        if not from_cache:
            copy.warm_orders()
        self.library_ready.emit(copy, from_cache)
        now = time.monotonic()
        return copy, now + max(PUBLISH_SECONDS, PUBLISH_COST_FACTOR * (now - started))

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
                    library = Library(root)
                    library.apply(event)
                    dirty = True
                    if event.from_cache:  # the whole list at once
                        _freeze_heap()
                        shown, next_publish = self._publish(library, from_cache=True)
                        dirty = False
                        self._shown.wait(SHOW_FIRST_SECONDS)
                        # The title and category orders were left out to show the list sooner.
                        shown.warm_orders()
                        del shown
                elif library is None:
                    continue
                elif isinstance(event, (Added, Removed)):
                    library.apply(event)
                    dirty = True
                elif isinstance(event, Progress):
                    self.progress.emit(event.done, event.total)
                elif isinstance(event, Done):
                    state = event.state
                    library.site = state.site
                    _freeze_heap()
                    log.info("loaded %s: %s", self._folder, event.stats)
                if dirty and time.monotonic() >= next_publish:
                    _, next_publish = self._publish(library)
                    dirty = False
                    if not library.posts and not library.problems:
                        # An empty list (a cold load's first Snapshot) costs nothing to publish:
                        # the first rows must not wait PUBLISH_SECONDS behind it (0.3 s seen).
                        next_publish = 0.0
            if library is not None and dirty:
                self._publish(library)
            _preload_modules()
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

    library_ready = Signal(object, bool)
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
        # Through a slot: a queued signal-to-signal connection drops the second argument.
        worker.library_ready.connect(self._on_library_ready)
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

    def _on_library_ready(self, library: Library, from_cache: bool) -> None:
        self.library_ready.emit(library, from_cache)

    def _on_finished(self, cancelled: bool, state: FolderState | None) -> None:
        self.state = state
        self.finished.emit(cancelled)

    def _quit_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()

    def cancel(self) -> None:
        if isinstance(self._worker, _LoadWorker):
            self._worker.cancel()

    def list_shown(self) -> None:
        """Let the load go on checking the folder (after a `library_ready` from the cache)."""
        if isinstance(self._worker, _LoadWorker):
            self._worker.list_shown()

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

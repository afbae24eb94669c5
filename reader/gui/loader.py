"""FolderLoader: runs a Folder's load (`Folder.events`) and its live refreshes on a worker thread,
and applies what they report to the Folder on the GUI thread, so the event loop never waits on
the disk and the library grows in place (no copies).

The worker prepares each event (`reader.core.prepare`: a Snapshot's indexes are built there,
not on the GUI thread) and forwards them in batches, at most every PUBLISH_SECONDS while a cold
load streams in; the first rows go at once. Cancel is checked between batches.
"""

from __future__ import annotations

import gc
import logging
import threading
import time

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core import (
    Added,
    Done,
    Folder,
    FolderChanges,
    FolderError,
    Library,
    LoadEvent,
    PostTable,
    Progress,
    Snapshot,
    give_way,
    giving_way,
    prepare,
)
from reader.gui.threads import end_worker, start_worker

log = logging.getLogger(__name__)

# Loaded events are forwarded at most this often while a cold load streams in...
PUBLISH_SECONDS = 0.4
# ...and never sooner than this many times the GUI thread took to apply the last batch (and
# refresh the views): applying costs O(posts), so a fixed interval would make a 100,000-post
# load quadratic. With this, applying takes at most a fifth of the load.
PUBLISH_COST_FACTOR = 4.0
# After the cache's list is handed over, the check of the folder waits until the window has
# shown it (it would compete for the GIL with the first paint), but never longer than this.
SHOW_FIRST_SECONDS = 1.0
# Progress is forwarded at most this often: each update repaints the progress bar at once
# (QProgressBar does not wait for the next paint), and a cold load of 100,000 posts reports
# ~400 batches, which cost the GUI thread about a second.
PROGRESS_SECONDS = 0.1


def _prepare_renderer(folder: Folder) -> None:
    # What `Folder.render` imports on the first article (Markdown, its extensions, Pygments'
    # formatters): imported on the worker after a load, not on the GUI thread at first use,
    # where it stalled the window 100-130 ms (PySide's import hook also reads each new module's
    # source). The Liquid engine only when the folder's posts use Liquid (see Folder).
    try:
        folder.prepare_renderer()
    except Exception:  # the GUI thread will meet the same error and report it
        log.exception("preparing the renderer failed")


def keep_out_of_gc() -> None:
    """Move every object alive now out of the cyclic garbage collector's reach (`gc.freeze`).

    A folder's records live as long as it is open and hold no reference cycles, yet each full
    collection walked all of them while the GIL was held: measured on a cold load of 100,000
    posts, 8 full collections took 854 ms, the longest 274 ms, each one a stall of the window.
    Frozen objects are still freed when their last reference goes; only a cycle among them
    waits until the folder is closed (`Folder.close` gives the collector everything back)."""
    gc.freeze()


def _coalesced(batch: list[LoadEvent]) -> list[LoadEvent]:
    """Runs of `Added` merged into one: one index merge on the GUI thread instead of many."""
    out: list[LoadEvent] = []
    run: list[Added] = []

    def end_run() -> None:
        if len(run) == 1:
            out.append(run[0])
        elif run:
            posts = PostTable()
            for added in run:
                posts.extend(added.posts)  # column by column when they are tables
            out.append(Added(posts, [p for added in run for p in added.problems]))
        run.clear()

    for event in batch:
        if isinstance(event, Added):
            run.append(event)
        else:
            end_run()
            out.append(event)
    end_run()
    return out


class _LoadWorker(QObject):
    """Runs `folder.events()` on its thread; forwards prepared events in throttled batches."""

    # (load number, list[LoadEvent] in load order): to apply on the GUI thread. The number lets
    # the loader drop a batch that was already queued when a newer load started.
    events_ready = Signal(int, list)
    progress = Signal(int, int)  # (files parsed, files to parse)
    finished = Signal(bool)  # cancelled?
    failed = Signal(str)

    def __init__(self, folder: Folder, number: int) -> None:
        super().__init__()
        self._folder = folder
        self._number = number
        self._cancel = threading.Event()
        self._shown = threading.Event()
        # Seconds the GUI thread took for the last batch; written there, read here.
        self.apply_seconds = 0.0

    def cancel(self) -> None:
        self._cancel.set()
        self._shown.set()

    def list_shown(self) -> None:
        """The window has shown the cached list: checking the folder may start (any thread)."""
        self._shown.set()

    def _send(self, batch: list[LoadEvent]) -> float:
        """Forward `batch`; returns when the next may go (monotonic time)."""
        self.events_ready.emit(self._number, _coalesced(batch))
        empty = all(isinstance(e, Snapshot) and not e.posts and not e.problems for e in batch)
        if empty:
            # An empty list (a cold load's first Snapshot) costs nothing to apply: the first
            # rows must not wait PUBLISH_SECONDS behind it (0.3 s seen).
            return 0.0
        wait = max(PUBLISH_SECONDS, PUBLISH_COST_FACTOR * self.apply_seconds)
        return time.monotonic() + wait

    @Slot()
    def run(self) -> None:
        batch: list[LoadEvent] = []
        next_send = next_progress = 0.0
        prepared = False
        try:
            for event in self._folder.events(self._cancel.is_set):
                if isinstance(event, Progress):
                    now = time.monotonic()
                    if now >= next_progress or event.done >= event.total:
                        self.progress.emit(event.done, event.total)
                        next_progress = now + PROGRESS_SECONDS
                    continue
                if isinstance(event, Snapshot) and event.from_cache:  # the whole list at once
                    # Frozen first: building the indexes allocates enough to start collections
                    # that would otherwise walk every record just read.
                    keep_out_of_gc()
                    event = prepare(event)
                    self._send([*batch, event])
                    batch = []
                    self._shown.wait(SHOW_FIRST_SECONDS)
                    # The title and category orders were left out to show the list sooner:
                    # built now, into the indexes the GUI thread's library shares with this one.
                    warm = Library(self._folder.root)
                    warm.apply(event)
                    # Lookups by path: made now, not before the list showed, and waiting while
                    # the user acts (a million paths: 1.7 s).
                    warm.paths_index(pause=give_way)
                    warm.warm_orders()
                    del warm
                    # Now, before the folder's check, not after the load's end: there its
                    # imports (0.2 s of held GIL) fell on the first clicks in the window.
                    _prepare_renderer(self._folder)
                    prepared = True
                    next_send = time.monotonic() + PUBLISH_SECONDS
                    continue
                event = prepare(event)
                if isinstance(event, Done):
                    keep_out_of_gc()
                    log.info("loaded %s: %s", self._folder.root, event.stats)
                batch.append(event)
                if time.monotonic() >= next_send or isinstance(event, Done):
                    next_send = self._send(batch)
                    batch = []
            if batch:
                self._send(batch)
            if not prepared:
                _prepare_renderer(self._folder)
            self.finished.emit(self._cancel.is_set())
        except FolderError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must not leave the window waiting forever
            log.exception("loading %s failed", self._folder.root)
            self.failed.emit(f"{type(exc).__name__}: {exc}")


class _RefreshWorker(QObject):
    changed = Signal(FolderChanges)
    finished = Signal()

    def __init__(self, folder: Folder) -> None:
        super().__init__()
        self._folder = folder
        self._cancel = threading.Event()
        # Asked between the scan's steps: a closing window does not wait for a million stat
        # calls, and the scan waits meanwhile while the user acts.
        self._cancelled = giving_way(self._cancel.is_set)

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            self.changed.emit(self._folder.refresh(self._cancelled))
        except Exception:
            log.exception("refreshing %s failed", self._folder.root)
        self.finished.emit()


class FolderLoader(QObject):
    """Owns one load (or refresh) of one Folder at a time; starting a new load cancels the old.
    `library_changed` fires on the GUI thread after the Folder's library changed."""

    library_changed = Signal(bool)  # from_cache: the cache gave the whole list at once
    progress = Signal(int, int)
    finished = Signal(bool)  # cancelled?
    failed = Signal(str)
    refreshed = Signal(FolderChanges)  # already applied to the Folder (unless `reload`)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _LoadWorker | _RefreshWorker | None = None
        self._folder: Folder | None = None
        self._loads = 0  # numbers the loads (see _LoadWorker.events_ready)
        self.scan_seconds = 0.0  # how long the last load's scan of its folder took

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def _start(self, worker: _LoadWorker | _RefreshWorker) -> None:
        thread = start_worker(self, worker, worker.run)
        self._thread, self._worker = thread, worker
        thread.start()

    def start(self, folder: Folder) -> None:
        """Load `folder` (its library must be empty: the events fill it)."""
        self.stop()
        self._folder = folder
        self._loads += 1
        worker = _LoadWorker(folder, self._loads)
        worker.events_ready.connect(self.on_events_ready)
        worker.progress.connect(self.progress)
        worker.finished.connect(self.finished)
        worker.failed.connect(self.failed)
        worker.finished.connect(self.on_worker_done)
        worker.failed.connect(self.on_worker_done)
        self._start(worker)

    def refresh(self) -> bool:
        """Look for changes in the background; False when busy or nothing is loaded."""
        folder = self._folder
        if self.running or folder is None or not folder.loaded:
            return False
        worker = _RefreshWorker(folder)
        worker.changed.connect(self.on_refreshed)
        worker.finished.connect(self.on_worker_done)
        self._start(worker)
        return True

    @Slot(int, list)
    def on_events_ready(self, number: int, events: list[LoadEvent]) -> None:
        """Apply a batch from the load worker to the Folder (GUI thread), then tell the views."""
        folder, worker = self._folder, self._worker
        if folder is None or not isinstance(worker, _LoadWorker) or number != self._loads:
            return
        started = time.monotonic()
        from_cache = False
        for event in events:
            folder.apply(event)
            from_cache = from_cache or (isinstance(event, Snapshot) and event.from_cache)
            if isinstance(event, Done):
                self.scan_seconds = event.stats.scan_seconds
        self.library_changed.emit(from_cache)
        worker.apply_seconds = time.monotonic() - started

    @Slot(FolderChanges)
    def on_refreshed(self, changes: FolderChanges) -> None:
        if self._folder is not None and changes and not changes.reload:
            self._folder.apply(changes)
        self.refreshed.emit(changes)

    @Slot()
    def on_worker_done(self) -> None:
        if self._thread is not None:
            self._thread.quit()

    @Slot()
    def cancel(self) -> None:
        if isinstance(self._worker, _LoadWorker):
            self._worker.cancel()

    def list_shown(self) -> None:
        """Let the load go on checking the folder (after a list from the cache was shown)."""
        if isinstance(self._worker, _LoadWorker):
            self._worker.list_shown()

    def stop(self) -> None:
        """Cancel and wait for the current job (events already queued are dropped)."""
        worker = self._worker
        if worker is not None:
            worker.cancel()
        end_worker(
            self._thread, worker, ("events_ready", "progress", "finished", "failed", "changed")
        )
        self._thread, self._worker = None, None

    def close(self) -> None:
        """Stop, and forget the folder (its owner closes it)."""
        self.stop()
        self._folder = None

"""FolderSession: the opened folder's life in the window.

Owns opening a folder (`reader.core.open_folder`), its load on the loader thread (events
applied to the Folder as they come, see loader.py), the warm start (the cache's list is shown
first, then the folder is checked once the list was painted), live refresh (a
QFileSystemWatcher on the folders that hold posts, plus a slow poll for the rest), the build of
the full-text index after a load, and closing it all. The views listen to its signals.
"""

from __future__ import annotations

import linecache
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, QTimer, Signal, Slot

from reader.core import Folder, FolderChanges, FolderError, StorageError, open_folder
from reader.gui.context import WindowContext
from reader.gui.indexer import IndexBuilder
from reader.gui.loader import FolderLoader, keep_out_of_gc
from reader.gui.orders import OrderWarmer
from reader.gui.threads import background_call, favour_gui_thread
from reader.gui.watch_warmup import WarmWatches, warm_watches

log = logging.getLogger(__name__)

# How long the window paints undisturbed after a list from the cache, before the loader checks
# the folder (its scan competes for the GIL with every paint).
SETTLE_MS = 150
# A load's background work (see `settled`) starts after the window's next paint, or this long
# after the load at the latest (a minimised window does not paint).
SETTLE_AT_LATEST_MS = 1000
POLL_MIN_MS = 5000  # live refresh: the slowest a change can take to show up in a small folder
WATCH_SETTLE_MS = 400  # editors write in bursts: wait for the folder to settle
MAX_WATCHED_DIRS = 2000


def drop_source_lines() -> None:
    """Forget the source lines Python keeps in `linecache`. PySide6's import hook reads the
    source of every module imported after PySide6 (`shibokensupport.feature` looks for
    "PySide6" in it with `inspect.getsource`), and `linecache` keeps every line: 3 MB of text
    in 200 files, about 5 MB of memory, by the time a folder is shown. Nothing reads them
    again (a traceback reads its lines anew), so they go when a load starts and ends: the
    load reuses that memory instead of adding to the window's peak."""
    linecache.clearcache()


def poll_interval_ms(scan_seconds: float) -> int:
    """When to poll the folder again after a scan that took `scan_seconds`: a full scan costs
    ~1 s per 100,000 files, so no more often than every 20 scans' time (5 s at least)."""
    return max(POLL_MIN_MS, int(scan_seconds * 20_000))


class FolderSession(QObject):
    """One opened folder at a time (see the module docstring)."""

    folder_opened = Signal()  # a new folder, still empty, is in place (or none: see load_failed)
    library_changed = Signal(bool)  # the library changed; True: the cache's whole list arrived
    progress = Signal(int, int)  # (files parsed, files to parse)
    load_finished = Signal(bool)  # cancelled?
    load_failed = Signal(str)
    folder_changed = Signal(int, int)  # a live refresh was applied: (new or updated, removed)
    index_changed = Signal()  # the index build started, moved on or ended (for the status bar)
    index_finished = Signal()
    folder_gone = Signal(bool)  # True: the folder is not there any more; False: it is back
    # A load ended and the window has painted its result: work that runs Python on a thread
    # of its own (the index build, the sources' names) may start now. Started at the end of
    # the load, it made the window's last repaint wait for the GIL: 300-500 ms at 100,000 posts.
    settled = Signal()
    # From the thread that warmed the kernel's watches (see `_watch_folder`).
    _watches_warmed = Signal(int, list, WarmWatches)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.loader = FolderLoader(self)
        self.indexer = IndexBuilder(self)
        self.orders = OrderWarmer(self)
        self.folder: Folder | None = None
        self.path: Path | None = None
        self.skip_dirs: frozenset[str] = frozenset()
        self.loading = False
        # The list came whole from the cache and a scan is checking it against the folder.
        self.checking = False
        self._closed = False
        self.gone = False  # the folder disappeared while open (what was loaded stays shown)
        self._release_after_paint = False
        self._settle_after_paint = False
        self._settle_pending = False
        self._watcher = QFileSystemWatcher(self)
        self._watch_round = 0  # which `_watch_folder` a warm-up thread's result is for
        self._stop_warming = threading.Event()
        self.destroyed.connect(self._stop_warming.set)
        self._poll_timer = QTimer(self)
        self._poll_timer.setSingleShot(True)
        self.loader.library_changed.connect(self.on_library_changed)
        self.loader.progress.connect(self.progress)
        self.loader.finished.connect(self.on_load_finished)
        self.loader.failed.connect(self.on_load_failed)
        self.loader.refreshed.connect(self.on_refreshed)
        self.indexer.progress.connect(self.index_changed)
        self.indexer.finished.connect(self.on_index_finished)
        self._poll_timer.timeout.connect(self.on_poll)
        self._watcher.directoryChanged.connect(self.on_directory_changed)
        self._watches_warmed.connect(self.on_watches_warmed)

    # --- opening and closing ------------------------------------------------------------------

    def open(self, path: Path, skip_dirs: frozenset[str] = frozenset()) -> None:
        """Start loading `path` (asynchronously); `library_changed` fires as posts arrive."""
        path = path.expanduser()
        self._close_folder()
        self.path = path.resolve() if path.exists() else path
        self.skip_dirs = skip_dirs
        self._closed = False
        self.gone = False
        try:
            folder = open_folder(
                self.path,
                store=self._ctx.store,
                skip_dirs=skip_dirs,
                naive_times_in_site_zone=self._ctx.settings.naive_times_in_site_zone(self.path),
            )
        except FolderError as exc:
            self.folder_opened.emit()
            self.load_failed.emit(str(exc))
            return
        self.folder = folder
        self.loading, self.checking = True, False
        drop_source_lines()
        self.folder_opened.emit()
        self.loader.start(folder)

    def reload(self, skip_dirs: frozenset[str] | None = None) -> None:
        """Open the folder again (with other folders to skip, when given)."""
        if self.path is not None:
            self.open(self.path, self.skip_dirs if skip_dirs is None else skip_dirs)

    def _close_folder(self) -> None:
        self._release_after_paint = self._settle_after_paint = self._settle_pending = False
        self._unwatch_folder()
        self.loader.close()
        self.indexer.stop()
        self.orders.stop()
        # The sources' worker writes the copies it found through the folder's store: it ends
        # before the folder closes that store (closed under it, SQLite crashed the process).
        sources = getattr(self._ctx, "sources", None)
        if sources is not None:
            sources.stop()
        if self.folder is not None:
            # Also gives the collector back what was kept out of its reach with the folder
            # (`keep_out_of_gc`, and the core's own freeze after a large scan).
            self.folder.close()
            self.folder = None

    def close(self) -> None:
        """Stop every thread and close the folder (the window is closing)."""
        self._closed = True
        self._close_folder()

    # --- the load -----------------------------------------------------------------------------

    @Slot(bool)
    def on_library_changed(self, from_cache: bool) -> None:
        if self.folder is None:
            self.loader.list_shown()
            return
        # From now on there are rows to paint while worker threads run (see threads.py).
        favour_gui_thread()
        keep_out_of_gc()
        if from_cache and self.loading:
            self.loading, self.checking = False, True
        self.library_changed.emit(from_cache)
        if from_cache:
            # Once the list has been painted, the loader may check the folder (see eventFilter).
            view = self._ctx.list_view
            if view.isVisible():
                self._release_after_paint = True
                view.viewport().installEventFilter(self)
            else:
                self.loader.list_shown()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Override of QObject.eventFilter: the first paint of a list from the cache lets the
        loader go on checking the folder; the first paint after a load lets the background work
        of a loaded folder start (`settled`)."""
        if event.type() == QEvent.Type.Paint:
            if self._release_after_paint:
                self._release_after_paint = False
                # After this paint and the rest of the window's first paints: a worker thread
                # running Python makes every call from Qt into Python wait for the GIL.
                QTimer.singleShot(SETTLE_MS, self, self.loader.list_shown)
            if self._settle_after_paint:
                self._settle_after_paint = False
                folder = self.folder
                QTimer.singleShot(SETTLE_MS, self, lambda: self._after_load(folder, self._settle))
            if not (self._release_after_paint or self._settle_after_paint):
                watched.removeEventFilter(self)
        return super().eventFilter(watched, event)

    @Slot(bool)
    def on_load_finished(self, cancelled: bool) -> None:
        self.loading = self.checking = False
        drop_source_lines()  # of the modules the load imported
        if self.path is not None and not cancelled:
            self._ctx.settings.remember_folder(self.path)
        self.load_finished.emit(cancelled)
        if not cancelled:
            # Each in an event-loop turn of its own, so the window paints and answers in between.
            folder = self.folder
            QTimer.singleShot(0, self, lambda: self._after_load(folder, self._watch_folder))
            self._settle_pending = True
            view = self._ctx.list_view
            if view.isVisible():
                self._settle_after_paint = True
                view.viewport().installEventFilter(self)
                view.viewport().update()  # a paint comes even when nothing in the list changed
                # ...unless the window is covered or minimised: then a little later anyway.
                wait = SETTLE_AT_LATEST_MS
            else:
                wait = 0
            QTimer.singleShot(wait, self, lambda: self._after_load(folder, self._settle))

    @property
    def settle_pending(self) -> bool:
        """A load ended and `settled` has not come yet."""
        return self._settle_pending

    def _settle(self) -> None:
        if not self._settle_pending:
            return
        self._settle_pending = False
        self.start_indexing()
        if self.folder is not None:
            self.orders.start(self.folder)
        self.settled.emit()

    def _after_load(self, folder: Folder | None, step: Callable[[], None]) -> None:
        # Only for the folder that finished loading (not one opened since, nor after closing).
        if folder is not None and folder is self.folder and not self.loading and not self._closed:
            step()

    @Slot(str)
    def on_load_failed(self, message: str) -> None:
        self.loading = self.checking = False
        self.load_failed.emit(message)

    # --- full-text index ----------------------------------------------------------------------

    def start_indexing(self) -> None:
        if self.folder is None:
            return
        try:
            self.indexer.start(self.folder)
        except StorageError as exc:  # e.g. an unwritable cache folder: titles still filter
            log.warning("no full-text index for %s: %s", self.folder.root, exc)
            return
        self.index_changed.emit()

    @Slot(bool)
    def on_index_finished(self, _cancelled: bool) -> None:
        self.index_finished.emit()
        self.index_changed.emit()

    @property
    def indexing(self) -> tuple[int, int] | None:
        """(indexed, to index) while the index build runs, else None."""
        if self.indexer.running and self.indexer.done < self.indexer.total:
            return self.indexer.done, self.indexer.total
        return None

    # --- live refresh -------------------------------------------------------------------------

    def _watch_folder(self) -> None:
        """Watch the folders that hold posts (a few for a site, capped for odd trees). The
        kernel's first watch of a directory walks its entries (61 ms for a million, with the
        interpreter lock held when Qt makes it): a thread makes that one (`warm_watches`), and
        the watcher's own is added when it is done (`on_watches_warmed`)."""
        self._unwatch_folder()
        if self.folder is None:
            return
        parents = {*self.folder.post_folders(), ""}
        root = str(self.folder.root)
        dirs = sorted(f"{root}/{p}" if p else root for p in parents)[:MAX_WATCHED_DIRS]
        background_call("watch-warmup", self._warm_watches, self._watch_round, dirs)
        # The first poll comes as late as those after a refresh (see `on_refreshed`): the load
        # has just scanned the folder (a million files: 10-40 s of a thread, no sooner again).
        self._poll_timer.start(poll_interval_ms(self.loader.scan_seconds))

    def _warm_watches(self, watch_round: int, dirs: list[str]) -> None:
        # On the warm-up thread.
        warm = warm_watches(dirs, self._stop_warming.is_set)
        try:
            self._watches_warmed.emit(watch_round, dirs, warm)
        except RuntimeError:  # the session was deleted meanwhile (the window closed)
            warm.close()

    @Slot(int, list, WarmWatches)
    def on_watches_warmed(self, watch_round: int, dirs: list[str], warm: WarmWatches) -> None:
        try:
            if watch_round == self._watch_round and self.folder is not None and not self._closed:
                self._watcher.addPaths(dirs)
        finally:
            warm.close()

    def _unwatch_folder(self) -> None:
        self._watch_round += 1  # a warm-up still under way is for watches no longer wanted
        self._poll_timer.stop()
        watched = self._watcher.directories() + self._watcher.files()
        if watched:
            self._watcher.removePaths(watched)

    @Slot(str)
    def on_directory_changed(self, _path: str) -> None:
        self._poll_timer.start(WATCH_SETTLE_MS)

    @Slot()
    def on_poll(self) -> None:
        if not self.loader.refresh():
            self._poll_timer.start(POLL_MIN_MS)

    @Slot(FolderChanges)
    def on_refreshed(self, changes: FolderChanges) -> None:
        """A refresh ended (the loader applied its changes to the folder already)."""
        self._poll_timer.start(poll_interval_ms(changes.scan_seconds))
        if changes.gone:
            # Unplugged, deleted or renamed away: keep what was loaded (and the marks), say so,
            # and keep polling until it comes back. Reopening now would show an error and nothing.
            if not self.gone:
                self.gone = True
                log.warning("the folder %s is not there any more", self.path)
                self.folder_gone.emit(True)
            return
        if self.gone:
            self.gone = False
            log.info("the folder %s is back", self.path)
            self.folder_gone.emit(False)
            self._watch_folder()  # the watches went with the folder
        if changes.reload:
            self.reload()
            return
        if not changes or self.folder is None:
            return
        self.folder_changed.emit(
            len(changes.posts) + len(changes.problems),
            len(set(changes.removed) - {p.path for p in changes.posts}),
        )
        self.start_indexing()
        self.orders.start(self.folder)  # the changes dropped the orders built before

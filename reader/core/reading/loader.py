"""Opening a folder so that 100,000 posts feel instant: the cache first, then only what changed.

Owns the order of a load and the events it reports. `open_library` shows the cached records at once
(before the folder is even scanned), then scans, diffs against the cache and parses only new and
modified files; with no usable cache it parses everything in worker processes, streaming batches,
and writes the cache as it goes, so a cancelled or killed first load resumes where it stopped.
`refresh` is the cheap re-scan a file watcher calls every few seconds.

A consumer applies events in order: `Snapshot` replaces everything; `Removed` drops records by
path (deleted files, and modified ones whose new record follows in an `Added`); `Added` adds
records whose paths are not present; `Progress` is for the progress bar; `Done` ends the load
and carries the `FolderState` that `refresh` needs.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.events import (
    Added,
    Done,
    FolderChanges,
    LoadEvent,
    LoadStats,
    OrdersStore,
    Progress,
    Removed,
    Snapshot,
)
from reader.core.post import Problem, SiteConfig
from reader.core.reading.cache_writer import FLUSH_ROWS, CacheWriter
from reader.core.reading.excerpts import excerpt_reader
from reader.core.reading.folder_state import FolderState as FolderState  # (re-exported)
from reader.core.reading.jekyll import load_site_config
from reader.core.reading.known import KnownFiles
from reader.core.reading.load_order import let_go, newest_first
from reader.core.reading.scan import ScanCancelled, ScanResult, check_folder, scan_folder
from reader.core.storage import saved_orders, saved_table
from reader.core.storage.cache import (
    Catalog,
    Fingerprint,
    FolderCache,
    diff_stats,
    fingerprint_for,
)
from reader.core.storage.db import gc_paused

if TYPE_CHECKING:
    from reader.core.reading.preview import Preview
    from reader.core.reading.workers import ParsedBatch, WorkerPool

log = logging.getLogger(__name__)


def _as_read(site: SiteConfig, naive_in_site_zone: bool) -> SiteConfig:
    """The site as this reader reads it: `_config.yml` plus the reader's own choices."""
    if site.naive_times_in_site_zone == naive_in_site_zone:
        return site
    return dataclasses.replace(site, naive_times_in_site_zone=naive_in_site_zone)


def _cached_fingerprint(root: Path, cache: FolderCache, naive: bool) -> Fingerprint | None:
    """The fingerprint the cache was written under, if the folder still gives it, found without
    scanning: the site configuration is `_config.yml`, read as the scan would read it."""
    stored = cache.stored_digest()
    if stored is None:
        return None
    site = _as_read(load_site_config(root, has_posts_dir=False), naive)
    fp = fingerprint_for(site)
    if fp.digest == stored:
        return fp
    if not site.is_site:  # a site only because it has a `_posts` folder
        fp = fingerprint_for(_as_read(load_site_config(root, has_posts_dir=True), naive))
        if fp.digest == stored:
            return fp
    return None


# From this many candidates a scan leaves them out of the cyclic collector's passes (they hold
# no cycles; see `_scan`).
SPARED_FROM = 20_000


def _scan(
    root: Path,
    skip_dirs: frozenset[str],
    known: KnownFiles,
    fp: Fingerprint | None,
    naive: bool,
) -> ScanResult:
    """Scan `root`; files found as `known` (cached under `fp`) are only counted. With nothing
    cached every file is parsed, and the parse `fstat`s each file it opens: a listing without
    a `stat` per file (5x faster) gets the first files to the workers sooner. No cyclic
    collection meanwhile: each full pass walked every candidate made so far (a million files:
    8 passes, the longest 255 ms, each a stall of the window)."""
    with gc_paused():
        if known and fp is not None:
            scan = scan_folder(root, skip_dirs, known=known, known_is_site=fp.site.is_site)
        else:
            scan = scan_folder(root, skip_dirs, stat_files=False)
        if len(scan.candidates) >= SPARED_FROM:
            # Nor after: all alive now leaves the collector's reach (the candidates are freed as
            # usual, `let_go`); the rest goes back when the folder closes (`CacheView.close`).
            gc.freeze()
    scan.site = _as_read(scan.site, naive)
    return scan


def _orders_store(cache: FolderCache) -> OrdersStore | None:
    return functools.partial(saved_orders.save, cache.path) if cache.enabled else None


# --- opening ----------------------------------------------------------------------------------


def open_library(
    folder: str | Path,
    cache_dir: Path | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    workers: int | None = None,
    use_workers: bool | None = None,
    skip_dirs: frozenset[str] = frozenset(),
    naive_times_in_site_zone: bool = False,
) -> Iterator[LoadEvent]:
    """Load a folder as events (see the module docstring). Raises FolderError (before the first
    event) when the folder cannot be opened; a broken cache is never an error.
    `naive_times_in_site_zone`: see `SiteConfig` (the choice is part of the cache's fingerprint).

    `use_workers`: None decides by the number of files to parse; True/False force it (tests).
    """
    start = time.perf_counter()
    stats = LoadStats()

    def mark(name: str) -> None:
        stats.times[name] = time.perf_counter() - start

    root = check_folder(folder)
    cache = FolderCache.open(root, cache_dir)
    stats.cache_enabled = cache.enabled
    pool: WorkerPool | None = None
    handed_over = False
    try:
        fp = _cached_fingerprint(root, cache, naive_times_in_site_zone)
        cached = cache.load(fp) if fp is not None else None
        known = KnownFiles()
        old_scan_problems: list[Problem] = []
        cold = cached is None
        if cached is not None:
            known = cached.stats
            pending = cached.posts if cached.post_stats_pending else None
            old_scan_problems = cached.scan_problems
            stats.cached = len(cached.posts) + len(cached.problems)
            mark("cache")
            yield Snapshot(
                fp.site if fp else SiteConfig(),
                cached.posts,
                cached.problems + cached.scan_problems,
                from_cache=True,
                excerpts=excerpt_reader(cache, fp.site if fp else SiteConfig()),
                orders=cached.orders,
                orders_store=_orders_store(cache),
            )
            mark("snapshot")
            del cached
            if pending is not None:  # once the list is shown: a second at a million posts
                saved_table.post_stats(pending, known)
                del pending  # the library may replace its table meanwhile
        elif use_workers is not False:
            # A first load of a big folder needs workers: they start while the folder is scanned.
            from reader.core.reading.workers import WorkerPool

            pool = WorkerPool(workers)
            pool.start_in_background()
        preview: Preview | None = None
        if cold:  # a large site's newest posts, shown before its folder is scanned
            from reader.core.reading.preview import newest_posts

            read_as = functools.partial(_as_read, naive_in_site_zone=naive_times_in_site_zone)
            preview = newest_posts(root, skip_dirs, read_as, cancelled)
        if preview is not None:
            yield Snapshot(
                preview.site,
                [],
                [],
                from_cache=False,
                excerpts=excerpt_reader(cache, preview.site),
                orders_store=_orders_store(cache),
            )
            yield Added(preview.batch.posts, preview.batch.problems)
            mark("first_batch")

        scan = _scan(root, skip_dirs, known, fp, naive_times_in_site_zone)
        mark("scan")
        new_fp = fingerprint_for(scan.site)
        if fp is not None and new_fp.digest != fp.digest:
            # The folder became (or stopped being) a site while closed: start over.
            known, old_scan_problems = KnownFiles(), []
            fp = None
            scan = _scan(root, skip_dirs, known, fp, naive_times_in_site_zone)
        stats.files = len(scan.candidates) + scan.unchanged
        if preview is not None and preview.fingerprint.digest != new_fp.digest:
            preview = None  # the scan read another site (a `_config.yml` changed): start over
        elif preview is not None:
            fp = new_fp  # the preview's Snapshot stands
        if fp is None:
            # Excerpts stay in the cache (posts parsed in workers come without them), except
            # when there is no cache to keep them.
            yield Snapshot(
                scan.site,
                [],
                [],
                from_cache=False,
                excerpts=excerpt_reader(cache, scan.site),
                orders_store=_orders_store(cache),
            )
        state = FolderState(root, scan.site, new_fp, cache, known, old_scan_problems, skip_dirs)
        state.folders = scan.folders
        yield from _apply_scan(
            state, scan, stats, cancelled, workers, use_workers, pool, mark, preview
        )
        if pool is not None:
            pool.close()
        mark("total")
        if not stats.cancelled and not cache.behind:
            state.generation = cache.generation()
        if not stats.cancelled:
            state.let_go_of_stats()  # (the cache holds them: see FolderState)
        handed_over = True
        yield Done(stats, state)
    finally:
        # Also when the consumer stopped early or the scan failed.
        if pool is not None:
            pool.close()
        if not handed_over:
            cache.close()


def _apply_scan(
    state: FolderState,
    scan: ScanResult,
    stats: LoadStats,
    cancelled: Callable[[], bool] | None,
    workers: int | None,
    use_workers: bool | None,
    pool: WorkerPool | None,
    mark: Callable[[str], None],
    preview: Preview | None = None,
) -> Iterator[LoadEvent]:
    """Diff a scan against `state`, report and parse the changes, write them to the cache
    (with the posts a `preview` showed, those the scan confirms)."""
    writer = CacheWriter(state.cache, state.fingerprint)
    taken_back = preview.settle(scan, state.fingerprint, writer) if preview else []
    with gc_paused():  # (see `_scan`)
        changes = diff_stats(state.stats, scan.candidates, scan.removed)
    if preview is not None:
        preview.know(state.stats)
    scan.candidates = []  # 100,000 of them are 25 MB; only `changes.to_parse` is needed now
    old_sp, new_sp = set(state.scan_problems), set(scan.problems)
    gone = changes.removed + changes.modified + sorted({p.path for p in old_sp - new_sp})
    gone += taken_back
    writer.removed = list(changes.removed)
    if old_sp != new_sp:
        writer.scan_problems = list(scan.problems)
        state.scan_problems = list(scan.problems)
    # A changed file is known again once parsed (`add`, below); one whose parse was cancelled
    # is new to the next scan.
    for path in changes.removed + changes.modified:
        state.stats.pop(path, None)
    stats.removed = len(gone)
    if gone:
        yield Removed(gone)
    appeared = [p for p in scan.problems if p not in old_sp]
    if appeared:
        yield Added([], appeared)
    with gc_paused():
        todo = newest_first(changes.to_parse)
    # `should_use_workers` of no files, without importing the worker machinery.
    stats.used_workers = bool(use_workers)
    first = "first_batch" not in stats.times
    try:
        # Nothing to parse (a warm reopen): multiprocessing and the parser are never imported.
        batches: Iterator[ParsedBatch] = iter(())
        if todo or pool is not None:
            from reader.core.reading.workers import (
                CRASHED,
                parse_in_workers,
                should_use_workers,
            )

            stats.used_workers = should_use_workers(len(todo), workers, use_workers)
        if todo:
            yield Progress(0, len(todo))
        if todo or pool is not None:
            batches = parse_in_workers(
                scan,
                todo,
                workers,
                cancelled,
                zones=state.fingerprint.zones,
                use_workers=stats.used_workers,
                pool=pool,
                # A cached folder's excerpts are made when asked (`reading.excerpts`).
                excerpts=not state.cache.enabled,
            )
        for batch in batches:
            stats.parsed += len(batch.rows)
            stats.crashed += sum(1 for p in batch.problems if p.reason == CRASHED)
            state.stats.add_many(
                [row[0] for row in batch.rows],
                [row[1] for row in batch.rows],
                [row[2] for row in batch.rows],
            )
            writer.add(batch.rows, batch.posts)
            if batch.posts or batch.problems:
                yield Added(batch.posts, batch.problems)
                if first:
                    mark("first_batch")
                    first = False
            yield Progress(batch.done, batch.total)
        mark("parsed")
    finally:
        # Also when cancelled or abandoned: what was parsed is kept for next time.
        writer.flush()
        if writer.written > FLUSH_ROWS:
            state.cache.checkpoint()
        mark("written")
    stats.cancelled = bool(cancelled is not None and cancelled() and stats.parsed < len(todo))
    stats.parsed += len(preview.kept) if preview is not None else 0
    let_go(todo)
    let_go(changes.to_parse)


# --- bringing the cache up to date without loading -------------------------------------------


def catch_up(
    folder: str | Path,
    cache_dir: Path | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    workers: int | None = None,
    skip_dirs: frozenset[str] = frozenset(),
    naive_times_in_site_zone: bool = False,
) -> tuple[FolderState, Catalog] | None:
    """Bring the folder's cache up to date — scan, compare with the cached (size, mtime)
    columns, parse and write only new and changed files, forget deleted ones — without decoding
    a cached post, and return it as a `Catalog` to query (with the state that holds it open:
    close it). None when there is no usable cache (the caller loads the folder instead).
    FolderError when the folder cannot be opened."""
    root = check_folder(folder)
    cache = FolderCache.open(root, cache_dir)
    done = False
    try:
        if not cache.enabled:
            return None
        fp = _cached_fingerprint(root, cache, naive_times_in_site_zone)
        known = cache.known_files() if fp is not None else None
        stats, old_problems = known if known is not None else (KnownFiles(), [])
        scan = _scan(root, skip_dirs, stats, fp, naive_times_in_site_zone)
        new_fp = fingerprint_for(scan.site)
        if fp is None or new_fp.digest != fp.digest:
            if stats:
                scan = _scan(root, skip_dirs, KnownFiles(), None, naive_times_in_site_zone)
            stats, old_problems = KnownFiles(), []
        state = FolderState(root, scan.site, new_fp, cache, stats, old_problems, skip_dirs)
        steps = _apply_scan(
            state, scan, LoadStats(), cancelled, workers, None, None, lambda _name: None
        )
        for _event in steps:
            pass
        if cancelled is not None and cancelled():
            return None
        catalog = cache.catalog(new_fp)
        if catalog is None:
            return None
        done = True
        return state, catalog
    finally:
        if not done:
            cache.close()


class CacheView:
    """A folder's cache, brought up to date (`catch_up`) on first use and then queried without
    loading the folder; `catalog()` is None when there is no usable cache. Close it."""

    def __init__(
        self,
        root: Path,
        cache_dir: Path | None,
        *,
        workers: int | None,
        skip_dirs: frozenset[str],
        naive_times_in_site_zone: bool,
    ) -> None:
        self._open = functools.partial(
            catch_up,
            root,
            cache_dir,
            workers=workers,
            skip_dirs=skip_dirs,
            naive_times_in_site_zone=naive_times_in_site_zone,
        )
        self._found: tuple[FolderState, Catalog] | None = None
        self._tried = False

    def catalog(self) -> Catalog | None:
        if not self._tried:
            self._tried = True  # once: a folder without a usable cache is loaded instead
            self._found = self._open()
        return self.current()

    def current(self) -> Catalog | None:
        """The catalog if the cache was brought up to date already (never catches up)."""
        return self._found[1] if self._found is not None else None

    def close(self) -> None:
        """Close the cache; give the collector back everything frozen meanwhile (`_scan`'s
        freeze, and any its caller made: `gc.unfreeze` is process-wide)."""
        gc.unfreeze()
        if self._found is not None:
            self._found[0].close()
            self._found = None


# --- live refresh -----------------------------------------------------------------------------


def refresh(
    state: FolderState,
    cancelled: Callable[[], bool] | None = None,
    *,
    workers: int | None = None,
    use_workers: bool | None = None,
) -> FolderChanges:
    """Re-scan an opened folder and return only what changed since `state` (which is updated,
    as is the cache). Only stat calls when nothing changed; new and modified files are parsed."""
    start = time.perf_counter()
    if not state.recall_stats():  # let go after the last scan, and the cache lost them since
        return FolderChanges(reload=True, scan_seconds=time.perf_counter() - start)
    try:
        scan = scan_folder(
            state.root,
            state.skip_dirs,
            known=state.stats,
            known_is_site=state.site.is_site,
            cancelled=cancelled,
        )
        scan.site = _as_read(scan.site, state.site.naive_times_in_site_zone)
    except ScanCancelled:  # nothing was compared yet: nothing changed as far as we know
        return FolderChanges(scan_seconds=time.perf_counter() - start)
    except OSError as exc:
        log.info("folder %s cannot be scanned any more (%s)", state.root, exc)
        gone = not state.root.is_dir()
        return FolderChanges(reload=True, scan_seconds=time.perf_counter() - start, gone=gone)
    scanned = time.perf_counter()
    changes = FolderChanges(scan_seconds=scanned - start)
    state.folders = scan.folders
    fp = fingerprint_for(scan.site)
    if fp.digest != state.fingerprint.digest:
        changes.reload = True
        return changes
    for event in _apply_scan(
        state, scan, LoadStats(), cancelled, workers, use_workers, None, lambda _name: None
    ):
        if isinstance(event, Removed):
            changes.removed.extend(event.paths)
        elif isinstance(event, Added):
            changes.posts.extend(event.posts)
            changes.problems.extend(event.problems)
    changes.parse_seconds = time.perf_counter() - scanned
    if not (cancelled is not None and cancelled()):
        state.let_go_of_stats()
    return changes

"""Worker processes: how the core starts them, in one place.

Owns the start method, what the fork server imports, the lower priority of background work,
the creation of a process-pool executor and `map_chunks`, the ordered map over chunks that
background work uses (building the search index, fingerprinting posts for duplicates): in
worker processes when there are enough items to pay for starting them, in this process
otherwise, and in this process again for what is left when a worker dies. Parsing a cold load
(`reading/workers.py`) has processes and pipes of its own, so a crash costs one chunk; it
starts them here too, so no two callers can disagree on how a process is started.

Start method: 'forkserver' where there is one, else 'spawn'; never 'fork', since the caller may
be a Qt process with threads (a forked copy of a threaded process may hold locks nobody will
release). With either, a program's main module must be importable without side effects.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# Imported once by the fork server, so each worker it forks starts ready. One list for every
# caller: the fork server is one per process and takes the list of whoever starts it first.
# Only the parser: the fork server starts while a cold load scans the folder, and the first rows
# wait for it; the index build's and the duplicate finder's workers import their modules
# themselves, after the load (preloading them, numpy included, cost the server 70 ms).
FORKSERVER_PRELOAD = ("reader.core.reading.workers",)
# How often a wait for a worker's result looks whether it was cancelled.
_POLL_SECONDS = 0.05

# How much lower background work runs (`os.nice` increment): the window comes first.
BACKGROUND_NICENESS = 10


def worker_context() -> BaseContext:
    """The multiprocessing context every worker process of the core is started with."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        # Takes effect only when this process starts its fork server.
        ctx.set_forkserver_preload(list(FORKSERVER_PRELOAD))
        return ctx
    return mp.get_context("spawn")


def lower_priority() -> None:
    """Make the calling process yield to others (a worker initializer): background work on a
    machine with two cores must not make the window stutter."""
    with contextlib.suppress(OSError, AttributeError):  # no `os.nice` (Windows), or refused
        os.nice(BACKGROUND_NICENESS)


# How often a worker looks whether the process that started it is still there.
PARENT_CHECK_SECONDS = 1.0


def _exit_when_gone(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(0)
        except OSError:  # exists, but not ours to signal: still there
            pass


def _init_worker(parent: int, background: bool) -> None:
    """A pool worker's initializer: a lower priority for background work, and an end when the
    process that started the pool is gone. Killed (SIGKILL, a crash), it closes nothing, and a
    worker writing a result into a pipe its siblings still hold open would wait forever
    (seen: index workers left behind, each holding 35-40 MB)."""
    if background:
        lower_priority()
    if os.name == "posix":  # os.kill(pid, 0) is a test only there (on Windows it terminates)
        threading.Thread(target=_exit_when_gone, args=(parent,), daemon=True).start()


def process_pool(workers: int, *, background: bool = True) -> ProcessPoolExecutor:
    """An executor of `workers` processes started the core's way; `background`: they run at a
    lower priority. OSError or ValueError when processes cannot be started (the caller falls
    back to working in-process)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_context(),
        initializer=_init_worker,
        initargs=(os.getpid(), background),
    )


# Tasks handed out per worker process: one running and one queued keeps it busy; more only piles
# finished chunks up in this process while its consumer (an index writer) catches up: at four
# per worker the window held 14 MB of tokenized text during an index build of 100,000 posts.
_IN_FLIGHT_PER_WORKER = 2


def map_chunks(
    fn: Callable[[str, T], R],
    root: str,
    chunks: Sequence[T],
    workers: int,
    *,
    in_process: bool,
    what: str,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[R]:
    """`fn(root, chunk)` for each chunk, in order. In `workers` background processes unless
    `in_process` (or none can be started); a bounded window of tasks keeps them busy without
    piling results up. A worker that dies (killed, out of memory) leaves the rest to this
    process. `what` names the work in the log ("indexing"). Ends early, without waiting for
    the task at hand, as soon as `cancelled()` (checked every 50 ms while waiting): closing
    the window must not wait for a worker's chunk at a low priority on a busy machine."""
    if in_process or workers <= 0:
        for chunk in chunks:
            yield fn(root, chunk)
        return
    try:
        pool = process_pool(workers)
    except (OSError, ValueError) as exc:
        log.warning("cannot start worker processes (%s); %s in this process", exc, what)
        yield from map_chunks(fn, root, chunks, 0, in_process=True, what=what)
        return
    submitted = yielded = 0
    try:
        pending: deque[Future[R]] = deque()
        while submitted < len(chunks) or pending:
            while submitted < len(chunks) and len(pending) < _IN_FLIGHT_PER_WORKER * workers:
                pending.append(pool.submit(fn, root, chunks[submitted]))
                submitted += 1
            head = pending[0]
            while not cancelled():
                try:
                    result = head.result(timeout=_POLL_SECONDS)
                    break
                except FutureTimeout:
                    continue
            else:
                return
            pending.popleft()
            yielded += 1
            yield result
    except BrokenProcessPool as exc:
        log.warning("%s workers stopped (%s); continuing in this process", what, exc)
        for chunk in chunks[yielded:]:
            yield fn(root, chunk)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)

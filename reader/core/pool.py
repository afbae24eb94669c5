"""Worker processes: how the core starts them, in one place.

Owns the start method, what the fork server imports, the lower priority of background work and
the creation of a process-pool executor. Two callers use it: parsing a cold load
(`reading/workers.py`, its own processes and pipes, so a crash costs one chunk) and building the
search index (`search/build.py`, a `ProcessPoolExecutor`). Each keeps its own crash handling;
what they share is here, so the two can never disagree on how a process is started.

Start method: 'forkserver' where there is one, else 'spawn'; never 'fork', since the caller may
be a Qt process with threads (a forked copy of a threaded process may hold locks nobody will
release). With either, a program's main module must be importable without side effects.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

log = logging.getLogger(__name__)

# Imported once by the fork server, so each worker it forks starts ready. One list for every
# caller: the fork server is one per process and takes the list of whoever starts it first.
FORKSERVER_PRELOAD = ("reader.core.reading.workers", "reader.core.search.build")
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


def process_pool(workers: int, *, background: bool = True) -> ProcessPoolExecutor:
    """An executor of `workers` processes started the core's way; `background`: they run at a
    lower priority. OSError or ValueError when processes cannot be started (the caller falls
    back to working in-process)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_context(),
        initializer=lower_priority if background else None,
    )

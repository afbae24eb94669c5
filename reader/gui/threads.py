"""Worker threads: the one way the window's background jobs start and stop, and how the GUI
thread gets the GIL back quickly while they run.

Two kinds: a worker on a `QThread` (`start_worker` / `end_worker`) for a job that reports as
it goes through its own signals and is stopped with the folder (the loader, the index builder,
the source names and duplicates, the sort orders); and `background_call` for one job of plain
Python that touches no widget and stops when its owner says so (an `Event`, a `cancel()`): the
tree filter's preparation, the warm-up of a folder's watches; or such jobs one after another on
one thread (`SerialCalls`): the reading of each search's every match. Such a job reports, if
at all, by emitting a signal of an object that lives on the GUI thread (delivered there,
queued)."""

from __future__ import annotations

import contextlib
import logging
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread

log = logging.getLogger(__name__)


def start_worker(owner: QObject, worker: QObject, run: Callable[[], None]) -> QThread:
    """A new thread (a child of `owner`) that calls `run`, a slot of `worker`, once started;
    `worker` is moved to it. The caller connects the worker's own signals (one of them to the
    returned thread's `quit`) before it starts the thread."""
    thread = QThread(owner)
    worker.moveToThread(thread)
    thread.started.connect(run)
    return thread


def end_worker(
    thread: QThread | None, worker: QObject | None, signal_names: tuple[str, ...]
) -> None:
    """Disconnect the worker's signals (events already queued are dropped), then wait for the
    thread to finish and schedule its deletion. The caller cancels the worker first."""
    if worker is not None:
        for name in signal_names:
            signal = getattr(worker, name, None)
            if signal is not None:
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect()
    if thread is not None:
        thread.quit()
        thread.wait()
        thread.deleteLater()


def background_call(name: str, function: Callable[..., Any], *args: Any) -> threading.Thread:
    """Start `function(*args)` on a daemon thread called `name` (see the module's text); a
    daemon, so a job still running never holds up the program's exit."""
    thread = threading.Thread(target=function, args=args, name=name, daemon=True)
    thread.start()
    return thread


class SerialCalls:
    """`background_call`s made one after another on one daemon thread, started at the first
    and ended after `idle` seconds without a call: a call waits for the one before it (whose
    owner cancels it first), but nobody waits for a thread to start. A search's every match
    was read on a new thread each time, and starting it took 0.3-4.5 ms of the first page."""

    def __init__(self, name: str, idle: float = 30.0) -> None:
        self._name, self._idle = name, idle
        self._calls: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]]]
        self._calls = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def call(self, function: Callable[..., Any], *args: Any) -> None:
        with self._lock:
            self._calls.put((function, args))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    @property
    def running(self) -> bool:
        """Whether its thread is there (busy or waiting for calls)."""
        return self._thread is not None

    def _run(self) -> None:
        while True:
            try:
                function, args = self._calls.get(timeout=self._idle)
            except queue.Empty:
                with self._lock:  # (a call put meanwhile is taken, not left without a thread)
                    if self._calls.empty():
                        self._thread = None
                        return
                continue
            try:
                function(*args)
            except Exception:  # the next call still runs
                log.exception("%s failed", self._name)


# Every call from Qt into Python (each data() of each painted cell) must take the GIL back from a
# busy worker thread, which by default gives it up only every 5 ms: a paint of a few hundred cells
# then took half a second. 0.5 ms made a paint short; 0.1 ms halves the longest stall while two
# workers run Python beside the first paints after a warm reopen of a million posts (window
# probes, 4 each alternated: 317-436 -> 136-217 ms), with no change measured at 100,000 posts
# (cold full list 12.2-13.6 s and one of 28 s / 12.7-15.4 s; warm stalls 32-40 / 38-40 ms).
# Set once there are rows to paint: before, the shorter hand-offs only slow the loader reading
# the cache (measured, at 0.5 ms: 0.54 s -> 0.8 s).
GUI_SWITCH_INTERVAL = 0.0001


def favour_gui_thread() -> None:
    """Make worker threads hand the GIL back to the GUI thread sooner (process-wide)."""
    if sys.getswitchinterval() > GUI_SWITCH_INTERVAL:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL)

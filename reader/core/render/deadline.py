"""A hard time limit for pure-Python work that cannot be bounded by inspecting its input.

Owns: `run_with_deadline`, used around Python-Markdown. Markdown has many inputs that cost
quadratic or worse time (a few KB of nested brackets take seconds, a list of definition terms
recurses until RecursionError); guessing them all in advance is a losing game, so the renderer
also gives each Markdown call a deadline.

How: one daemon watchdog thread keeps the deadlines of calls in progress and, when one passes,
raises `DeadlineExceeded` inside the calling thread with `PyThreadState_SetAsyncExc` (the
documented C API that asynchronous KeyboardInterrupt-style exceptions use). The exception
derives from BaseException so `except Exception` inside Markdown cannot swallow it; Python
itself swallows one that lands inside a gc callback or a `__del__` ("Exception ignored in"), so
a call still running a while after its deadline is interrupted again (a bounded number of
times). A call that finishes just as its deadline passes clears any exception still pending,
so none can surface later in unrelated code. Where the C API is unavailable (not CPython) the
call simply runs unbounded; the renderer's input checks still apply.

The clock is injectable (`use_clock`): tests make "the deadline passed" happen when they say so
with a fake clock, instead of timing real work on a machine whose speed they do not know.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
Clock = Callable[[], float]
# How often one deadline interrupts its call at most, and the least time between two times.
_MAX_FIRES = 3
_REFIRE_AFTER = 0.25


class DeadlineExceeded(BaseException):
    """Raised inside a call that ran past its deadline."""


_SetAsyncExc = Callable[[int, object], int]


def _load_set_async_exc() -> _SetAsyncExc | None:
    try:
        prototype = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)
        function = prototype(("PyThreadState_SetAsyncExc", ctypes.pythonapi))
    except (AttributeError, OSError):  # pragma: no cover - not CPython
        return None

    def call(ident: int, exc: object) -> int:
        # A NULL object (py_object()) clears a pending exception instead of setting one.
        return int(function(ident, exc if exc is not None else ctypes.py_object()))

    return call


_set_async_exc = _load_set_async_exc()


class _Watchdog:
    def __init__(self) -> None:
        self.clock: Clock = time.monotonic
        self._reset()

    def _reset(self) -> None:
        # The calling thread takes the bare lock, whose C-level __enter__ cannot be interrupted
        # between acquiring and the `with` taking charge of it (Condition.__enter__ is Python
        # code, so an exception arriving inside it could leave the lock held forever).
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._deadlines: dict[int, _Slot] = {}  # thread ident -> its `run_with_deadline` call
        self._slots: list[_Slot] = []  # re-armable deadlines (see `Deadline`)
        self._thread: threading.Thread | None = None
        # When the watchdog wakes next by itself: a later deadline need not wake it (parsing
        # registers one deadline per file, 100,000 times in a row).
        self._wake_at = float("inf")

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._loop, name="render-deadline-watchdog", daemon=True
            )
            self._thread.start()

    def _loop(self) -> None:
        assert _set_async_exc is not None
        with self._cond:
            while True:
                now = self.clock()
                for slot in (*self._deadlines.values(), *self._slots):
                    if slot.when <= now:
                        slot.fire(now)
                if self._deadlines or self._slots:
                    wake = [slot.when for slot in self._deadlines.values()]
                    # Arming a slot does not wake this thread (that is what makes it cheap), so
                    # slots are polled: a deadline fires at most a quarter of it late.
                    wake.extend(slot.when for slot in self._slots)
                    wake.extend(now + slot.seconds / 4 for slot in self._slots)
                    self._wake_at = min(wake)
                    self._cond.wait(max(self._wake_at - now, 0.001))
                else:
                    self._wake_at = float("inf")
                    self._cond.wait()

    def register(self, seconds: float) -> _Slot:
        token = _Slot(threading.get_ident(), seconds)
        with self._lock:
            token.when = self.clock() + seconds
            self._deadlines[token.ident] = token
            if self._thread is None or not self._thread.is_alive():
                self._ensure_thread()
            elif token.when < self._wake_at:
                self._cond.notify()
        return token

    def unregister(self, token: _Slot) -> None:
        with self._lock:
            fired = token.fired
            if self._deadlines.get(token.ident) is token:
                del self._deadlines[token.ident]
            else:
                fired = True  # replaced (a nested call): drop whatever may be pending
        if fired:
            assert _set_async_exc is not None
            _set_async_exc(token.ident, None)  # drop an exception raised too late to matter

    def add_slot(self, slot: _Slot) -> None:
        with self._lock:
            self._slots.append(slot)
            self._ensure_thread()
            self._cond.notify()

    def remove_slot(self, slot: _Slot) -> None:
        with self._lock:
            if slot in self._slots:
                self._slots.remove(slot)
            fired, slot.fired = slot.fired, False
        if fired:
            assert _set_async_exc is not None
            _set_async_exc(slot.ident, None)

    def wake(self) -> None:
        """Make the watchdog look at the clock now (it moved by other means than time)."""
        with self._lock:
            self._cond.notify()

    def after_fork(self) -> None:
        self._reset()  # the thread and any lock it held do not exist in the child


class _Slot:
    """One thread's deadline: when it passes, and whether (how often) it fired since armed."""

    __slots__ = ("fired", "fires", "ident", "seconds", "when")

    def __init__(self, ident: int, seconds: float) -> None:
        self.ident = ident
        self.seconds = seconds
        self.when = float("inf")
        self.fired = False
        self.fires = 0

    def fire(self, now: float) -> None:
        """Interrupt the thread (the watchdog's lock held). Again later while it still runs,
        since Python swallows the exception where it lands in a gc callback or a `__del__`;
        a bounded number of times, so should one escape its caller's clean-up, the strays end."""
        assert _set_async_exc is not None
        self.fired = True
        self.fires += 1
        refire = now + max(self.seconds, _REFIRE_AFTER)
        self.when = refire if self.fires < _MAX_FIRES else float("inf")
        _set_async_exc(self.ident, DeadlineExceeded)


_watchdog = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_watchdog.after_fork)


def use_clock(clock: Clock | None) -> Clock:
    """Measure every deadline with `clock` from now on (None: the real monotonic clock), and
    return the clock used before. For tests: a fake clock calls `clock_moved()` when it is
    advanced, and deadlines it passed fire at once."""
    previous = _watchdog.clock
    with _watchdog._lock:
        _watchdog.clock = clock or time.monotonic
    _watchdog.wake()
    return previous


def clock_moved() -> None:
    """Tell the watchdog that the clock of `use_clock` jumped: deadlines now passed fire."""
    _watchdog.wake()


def now() -> float:
    """The time on the deadlines' clock, for budgets that must agree with them."""
    return _watchdog.clock()


def run_with_deadline(function: Callable[[], T], seconds: float) -> T:
    """Call `function()`; raise DeadlineExceeded if it runs longer than `seconds`.

    Not reentrant within one thread: an inner call would replace the outer deadline."""
    if _set_async_exc is None:  # pragma: no cover - not CPython
        return function()
    if seconds <= 0:
        raise DeadlineExceeded
    token = None
    try:
        token = _watchdog.register(seconds)
        return function()
    finally:
        if token is not None:
            _watchdog.unregister(token)


class Deadline:
    """One thread's deadline for a series of calls, registered once: `arm()` before each call,
    `disarm()` after it (also when it raised). A call still running `seconds` after `arm()` gets
    DeadlineExceeded (at most a quarter of `seconds` late); none ever surfaces after `disarm()`.

    Costs two lock round trips a call where `run_with_deadline` registers and unregisters each
    one (measured 4 µs a call, 0.4 s of CPU on 100,000 posts). Use as a context manager on the
    thread that arms it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._slot: _Slot | None = None

    def __enter__(self) -> Deadline:
        if _set_async_exc is not None and self.seconds > 0:
            self._slot = _Slot(threading.get_ident(), self.seconds)
            _watchdog.add_slot(self._slot)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._slot is not None:
            _watchdog.remove_slot(self._slot)
            self._slot = None

    def arm(self) -> None:
        """Start the clock for the next call. Raises DeadlineExceeded for a zero budget."""
        slot = self._slot
        if slot is None:
            if self.seconds <= 0:
                raise DeadlineExceeded
            return
        with _watchdog._lock:
            slot.when = _watchdog.clock() + slot.seconds
            slot.fired = False
            slot.fires = 0

    def disarm(self) -> None:
        """Stop the clock; drops an interruption that arrived too late to matter."""
        slot = self._slot
        if slot is None:
            return
        with _watchdog._lock:
            fired = slot.fired
            slot.when = float("inf")
            slot.fired = False
        if fired:
            assert _set_async_exc is not None
            _set_async_exc(slot.ident, None)

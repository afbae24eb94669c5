"""Background work gives way while the user acts in the window.

Python runs one thread at a time (the interpreter lock). While a background loop runs (the
related posts' term sample, the sources' names, the search index's check and build, the
copies of stories), a category switch on the window's thread gets about half of the
interpreter and takes about twice as long. Measured at 100,000 posts, warm reopen: the first
category switch, sort change and article opened right after the load took 105-127 / 21-58 /
47-78 ms, the same five seconds later (that work done) 15 / 6 / 28 ms.

So the window says when the user acts (`interacting()` around a category switch, a sort
change, an article opened; `acted()` for any click, key or wheel turn), and background loops
call `give_way()` between their steps: it waits while the window is acting or acted in the
last `GRACE` seconds, at most `MAX_WAIT` at a time and then not again for `RUN_AFTER_WAIT`,
so that no work starves under a user who never stops. Only threads other than the main one
ever wait: the window's own thread, and the terminal commands, never do.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

GRACE: Final = 0.3  # seconds after an interaction in which background work still waits
MAX_WAIT: Final = 2.0  # the longest one `give_way()` waits
# After a wait that reached its limit, the thread runs this long without waiting again: a user
# who never stops (scrolling for minutes) slows the background work down, never stops it.
RUN_AFTER_WAIT: Final = 0.25
_STEP: Final = 0.01


class _State:
    __slots__ = ("acting", "lock", "until")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acting = 0  # `interacting()` blocks in progress
        self.until = 0.0  # monotonic time until which the window counts as acting


_state = _State()
_thread = threading.local()  # free_until: see RUN_AFTER_WAIT


def acted(grace: float = GRACE) -> None:
    """The user just did something (a click, a key, a wheel turn): background work waits for
    the next `grace` seconds."""
    until = time.monotonic() + grace
    with _state.lock:
        _state.until = max(_state.until, until)


@contextmanager
def interacting(grace: float = GRACE) -> Iterator[None]:
    """Around what the window does for the user (a category switch, an article opened):
    background work waits until it is done and `grace` seconds more."""
    with _state.lock:
        _state.acting += 1
    try:
        yield
    finally:
        until = time.monotonic() + grace
        with _state.lock:
            _state.acting = max(_state.acting - 1, 0)  # `release()` may have come between
            _state.until = max(_state.until, until)


def is_acting() -> bool:
    """Whether background work would wait now."""
    return _state.acting > 0 or time.monotonic() < _state.until


def give_way(max_wait: float = MAX_WAIT, cancelled: Callable[[], bool] | None = None) -> float:
    """For background loops, between steps: wait while the window is acting (at most
    `max_wait` seconds, never on the main thread, and no longer once `cancelled()`).
    Returns the seconds waited."""
    now = time.monotonic()
    if not (_state.acting > 0 or now < _state.until):
        return 0.0
    if threading.current_thread() is threading.main_thread():
        return 0.0
    if now < getattr(_thread, "free_until", 0.0):
        return 0.0
    start = now
    while is_acting() and not (cancelled is not None and cancelled()):
        waited = time.monotonic() - start
        if waited >= max_wait:
            _thread.free_until = time.monotonic() + RUN_AFTER_WAIT
            break
        time.sleep(min(_STEP, max_wait - waited))
    return time.monotonic() - start


def release() -> None:
    """Let waiting background work go on at once: the window is closing, and its threads
    must end, not wait out the user's last click (also for tests)."""
    with _state.lock:
        _state.acting = 0
        _state.until = 0.0


def giving_way(cancelled: Callable[[], bool]) -> Callable[[], bool]:
    """`cancelled`, first waiting while the window is acting: a background loop that asks
    whether it was cancelled between its steps gives way there too."""

    def check() -> bool:
        give_way(cancelled=cancelled)
        return cancelled()

    return check

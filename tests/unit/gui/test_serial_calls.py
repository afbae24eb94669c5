"""`SerialCalls`: jobs one after another on one thread, which ends when idle and comes back."""

from __future__ import annotations

import threading
import time

import pytest

from reader.gui.threads import SerialCalls


def _wait(predicate: object, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < end, "timed out"
        time.sleep(0.005)


def test_calls_run_in_turn_on_one_thread() -> None:
    calls = SerialCalls("test-serial")
    seen: list[tuple[int, str]] = []
    gate = threading.Event()
    calls.call(gate.wait)  # the next calls queue up behind this one
    for n in range(5):
        calls.call(lambda n=n: seen.append((n, threading.current_thread().name)))
    assert seen == []
    gate.set()
    _wait(lambda: len(seen) == 5)
    assert [n for n, _ in seen] == [0, 1, 2, 3, 4]
    assert {name for _, name in seen} == {"test-serial"}


def test_a_failing_call_is_logged_and_the_next_runs(caplog: pytest.LogCaptureFixture) -> None:
    calls = SerialCalls("test-serial")
    done = threading.Event()

    def fail() -> None:
        raise ValueError("boom")

    calls.call(fail)
    calls.call(done.set)
    assert done.wait(10)
    assert "test-serial failed" in caplog.text and "boom" in caplog.text


def test_the_thread_ends_when_idle_and_a_later_call_starts_another() -> None:
    calls = SerialCalls("test-serial", idle=0.05)
    ran: list[threading.Thread] = []
    calls.call(lambda: ran.append(threading.current_thread()))
    _wait(lambda: ran and not calls.running)
    ran[0].join(10)
    assert not ran[0].is_alive()
    calls.call(lambda: ran.append(threading.current_thread()))
    _wait(lambda: len(ran) == 2)
    assert ran[1] is not ran[0]

"""Background work gives way while the user acts (reader.core.foreground)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from reader.core import acted, give_way, giving_way, interacting, release_background
from reader.core.foreground import is_acting


def in_thread(work: Callable[[], float]) -> tuple[threading.Thread, list[float]]:
    out: list[float] = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    return thread, out


def test_with_nothing_going_on_background_work_never_waits() -> None:
    assert not is_acting()
    thread, waited = in_thread(give_way)
    thread.join()
    assert waited == [0.0]


def test_background_work_waits_until_an_interaction_and_its_grace_are_over() -> None:
    with interacting(grace=0.1):
        assert is_acting()
        thread, waited = in_thread(give_way)
        time.sleep(0.15)
        assert thread.is_alive()  # still acting: the loop stays where it is
    left = time.monotonic()
    thread.join(5)
    ended = time.monotonic()
    assert not thread.is_alive()
    assert waited[0] >= 0.15 + 0.09  # the interaction, then (nearly) its grace
    assert ended - left >= 0.09
    assert not is_acting()


def test_a_click_or_key_holds_background_work_for_its_grace() -> None:
    acted(grace=0.2)
    assert is_acting()
    thread, waited = in_thread(give_way)
    thread.join(5)
    assert 0.15 <= waited[0] < 1.5
    assert not is_acting()


def test_nothing_waits_longer_than_its_limit_however_long_the_user_acts() -> None:
    with interacting():
        thread, waited = in_thread(lambda: give_way(max_wait=0.1))
        thread.join(5)
        assert not thread.is_alive() and 0.1 <= waited[0] < 1.0
        assert is_acting()


def test_the_main_thread_never_waits() -> None:
    with interacting():
        start = time.monotonic()
        assert give_way() == 0.0
        assert time.monotonic() - start < 0.05


def test_a_cancelled_loop_stops_waiting_at_once() -> None:
    stop = threading.Event()
    cancelled = giving_way(stop.is_set)
    with interacting():
        thread, answers = in_thread(lambda: float(cancelled()))
        time.sleep(0.1)
        assert thread.is_alive()
        stop.set()
        thread.join(1)
        assert not thread.is_alive()
        assert answers == [1.0]  # and it says it was cancelled


def test_giving_way_answers_as_the_cancel_check_it_wraps() -> None:
    stop = threading.Event()
    cancelled = giving_way(stop.is_set)
    assert cancelled() is False
    stop.set()
    assert cancelled() is True


def test_a_closing_window_releases_what_waits() -> None:
    acted(grace=30)
    thread, waited = in_thread(give_way)
    time.sleep(0.05)
    release_background()
    thread.join(1)
    assert not thread.is_alive() and waited[0] < 1.0
    assert not is_acting()


@pytest.mark.parametrize("depth", [1, 3])
def test_nested_interactions_count_until_the_outermost_ends(depth: int) -> None:
    blocks = [interacting(grace=0) for _ in range(depth)]
    for block in blocks:
        block.__enter__()
    for block in reversed(blocks[1:]):
        block.__exit__(None, None, None)
        assert is_acting()
    blocks[0].__exit__(None, None, None)
    assert not is_acting()


def test_a_release_inside_an_interaction_does_not_leave_the_count_below_zero() -> None:
    with interacting(grace=0):
        release_background()
    with interacting(grace=0):
        assert is_acting()
    assert not is_acting()


def test_a_user_who_never_stops_slows_background_work_but_never_stops_it() -> None:
    """After a wait that reached its limit, a thread runs a while without waiting again."""
    from reader.core.foreground import RUN_AFTER_WAIT

    def work() -> float:
        steps, start = 0, time.monotonic()
        while time.monotonic() - start < 0.1 + RUN_AFTER_WAIT / 2:
            give_way(max_wait=0.1)
            steps += 1
        return float(steps)

    with interacting():  # for the whole test
        thread, steps = in_thread(work)
        thread.join(5)
    assert steps[0] > 100  # free to run between the waits, not one step per wait

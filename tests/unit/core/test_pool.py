"""The one way the core starts worker processes (`reader.core.pool`): never 'fork', background
work at a lower priority, and both callers (parsing, index building) started the same way."""

from __future__ import annotations

import os
from typing import Any

import pytest

from reader.core import pool
from reader.core.pool import BACKGROUND_NICENESS, process_pool, worker_context


def test_never_fork() -> None:
    assert worker_context().get_start_method() in ("forkserver", "spawn")


def test_fork_server_preloads_both_callers() -> None:
    # The fork server is one per process: whichever caller starts it must preload for both.
    assert set(pool.FORKSERVER_PRELOAD) == {
        "reader.core.reading.workers",
        "reader.core.search.build",
    }


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no os.nice here")
def test_background_workers_run_at_a_lower_priority() -> None:
    here = os.nice(0)
    with process_pool(1) as executor:
        background = executor.submit(os.nice, 0).result()
    with process_pool(1, background=False) as executor:
        foreground = executor.submit(os.nice, 0).result()
    assert foreground == here
    assert background == min(here + BACKGROUND_NICENESS, 19)


def test_index_building_and_parsing_use_the_same_context(monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.reading import workers
    from reader.core.search import build

    seen: list[str] = []

    def spy() -> Any:
        seen.append("called")
        return worker_context()

    monkeypatch.setattr(workers, "worker_context", spy)
    monkeypatch.setattr(pool, "worker_context", spy)
    with workers.WorkerPool(1) as parser_pool:
        parser_pool.start()
    with pool.process_pool(1):
        pass
    assert seen == ["called", "called"]
    assert build.process_pool is pool.process_pool

"""The one way the core starts worker processes (`reader.core.pool`): never 'fork', background
work at a lower priority, and both callers (parsing, index building) started the same way."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reader.core import pool
from reader.core.pool import BACKGROUND_NICENESS, process_pool, worker_context


def test_never_fork() -> None:
    assert worker_context().get_start_method() in ("forkserver", "spawn")


def test_the_fork_server_preloads_the_parser_and_other_workers_import_their_own(
    tmp_path: Path,
) -> None:
    """The fork server starts while a cold load scans, so it preloads only the parser; a worker
    forked for the index build imports the module of its task itself."""
    from reader.core.search.build import tokenize_posts

    assert pool.FORKSERVER_PRELOAD == ("reader.core.reading.workers",)
    (tmp_path / "a.md").write_text("---\ntitle: T\n---\n市场监管 body\n", encoding="utf-8")
    with process_pool(1) as executor:
        rows = executor.submit(tokenize_posts, str(tmp_path), [("a.md", "T")]).result()
    assert rows == [("a.md", *tokenize_posts(str(tmp_path), [("a.md", "T")])[0][1:])]
    assert "body" in rows[0][1]


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
    from reader.core.duplicates import fingerprint

    assert build.map_chunks is pool.map_chunks and fingerprint.map_chunks is pool.map_chunks


def _double(root: str, chunk: list[int]) -> list[int]:
    return [x * 2 for x in chunk]


def test_map_chunks_keeps_order_in_workers_and_in_process() -> None:
    chunks = [[i, i + 1] for i in range(0, 40, 2)]
    expected = [[x * 2 for x in c] for c in chunks]
    assert list(pool.map_chunks(_double, "r", chunks, 2, in_process=False, what="t")) == expected
    assert list(pool.map_chunks(_double, "r", chunks, 2, in_process=True, what="t")) == expected


def test_map_chunks_finishes_in_process_when_workers_cannot_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise OSError("no processes here")

    monkeypatch.setattr(pool, "ProcessPoolExecutor", refuse)
    out = list(pool.map_chunks(_double, "r", [[1], [2]], 2, in_process=False, what="t"))
    assert out == [[2], [4]]


def _wait_for_file(root: str, chunk: list[str]) -> list[str]:
    import time

    deadline = time.monotonic() + 60  # a cap, so a broken test cannot hang
    while not os.path.exists(os.path.join(root, chunk[0])) and time.monotonic() < deadline:
        time.sleep(0.01)
    return chunk


def test_map_chunks_stops_waiting_when_cancelled(tmp_path: Path) -> None:
    # A chunk that takes long (a worker at a low priority on a busy machine) must not hold up
    # whoever cancels: closing the window waits for this. The worker's chunk cannot end before
    # the file it waits for exists, which is made only after map_chunks has returned.
    from reader.core.pool import map_chunks

    polls = {"n": 0}

    def cancelled() -> bool:
        polls["n"] += 1
        return polls["n"] > 2

    chunks = [["go"], ["go"]]
    results = list(
        map_chunks(
            _wait_for_file,
            str(tmp_path),
            chunks,
            1,
            in_process=False,
            what="t",
            cancelled=cancelled,
        )
    )
    (tmp_path / "go").touch()  # let the worker end
    assert results == []
    assert polls["n"] == 3


def _gone(pid: int) -> bool:
    """No such process, or only its exit status left (a zombie nobody reaps)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return any(line.startswith("State:\tZ") for line in fh)
    except FileNotFoundError:
        return True


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if text.encode() in fh.read() and not _gone(int(entry)):
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_pool_workers_end_when_the_process_that_started_them_is_killed(tmp_path: Path) -> None:
    """Killed (SIGKILL), the window closes no pool. A worker then finishing a task writes its
    result into a pipe nobody reads but its sibling holds open: without a check on the parent it
    would wait there forever (index workers were seen left behind that way)."""
    import signal
    import subprocess
    import sys
    import time

    marker = tmp_path / "killed-app"
    marker.mkdir()
    script = marker / "app.py"
    script.write_text(
        "import os, time\n"
        "from reader.core.pool import process_pool\n"
        "def slow_big(n):\n"
        "    time.sleep(1.5)\n"
        "    return b'x' * n\n"
        "if __name__ == '__main__':\n"
        "    pool = process_pool(2)\n"
        "    futures = [pool.submit(slow_big, 5_000_000) for _ in range(4)]\n"
        "    print('submitted', flush=True)\n"
        "    time.sleep(120)\n",
        encoding="utf-8",
    )
    with subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the killed app's resource tracker complains there
        text=True,
        cwd=os.getcwd(),
    ) as app:
        try:
            assert app.stdout is not None
            assert app.stdout.readline().strip() == "submitted"
            time.sleep(0.5)  # the workers are in their tasks now
            assert _processes_mentioning(str(marker))  # the fork server and its workers
            app.send_signal(signal.SIGKILL)
            app.wait(timeout=30)
            deadline = time.monotonic() + 30
            while _processes_mentioning(str(marker)) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _processes_mentioning(str(marker)) == []
        finally:
            if app.poll() is None:
                app.kill()
            for pid in _processes_mentioning(str(marker)):
                os.kill(pid, signal.SIGKILL)

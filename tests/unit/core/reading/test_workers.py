"""Parsing in worker processes: the same records as in-process parsing, cancelling, and a worker
that dies on a file (a stand-in for a C-level crash in a parser) costing only that file."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from reader.core.pool import worker_context
from reader.core.post import Post, Problem
from reader.core.reading.scan import ScanResult, scan_folder
from reader.core.reading.workers import (
    _RAMP,
    CHUNK_SIZE,
    CRASH_HOOK_ENV,
    CRASHED,
    ParsedBatch,
    WorkerPool,
    _split,
    parse_in_process,
    parse_in_workers,
)
from reader.core.storage.cache import Row
from tests.conftest import write_files

CATS = ["财经", "市场监管", "news", "科技 数码"]
TAGS = ["标签一", "标签二", "食品安全", "质量", "policy"]


def make_site(root: Path, n: int, seed: int = 7) -> Path:
    """A Jekyll site of `n` varied posts, a few of them broken or odd on purpose."""
    rng = random.Random(seed)
    files: dict[str, str | bytes] = {"_config.yml": "title: 测试\ntimezone: Asia/Shanghai\n"}
    for i in range(n):
        year = 2018 + i % 5
        day = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        sub = ["", "finance/", "a/b/"][i % 3]
        name = f"{sub}_posts/{day}-post{i:05d}.md"
        kind = i % 50
        if kind == 7:
            files[name] = "---\ntitle: [unclosed\n---\nbody\n"  # a YAML problem
            continue
        if kind == 11:
            files[name] = b"\x00\x01\x02binary\xff\xfe" * 20  # not text
            continue
        if kind == 13:
            files[f"_drafts/draft{i:05d}.md"] = f"---\ntitle: 草稿 {i}\n---\n草稿正文。\n"
            continue
        date_line = [
            f"date: {day} {i % 24:02d}:{i % 60:02d}:00 +0800\n",
            f"date: {day} {i % 24:02d}:15:00\n",  # a YAML timestamp: UTC
            f"date: {day}T08:00:00+05:00\n",
            "",
        ][i % 4]
        tags = rng.sample(TAGS, rng.randint(0, 3))
        body = "".join(f"<p>第{j}段，市场监管新闻正文。</p>\n" for j in range(rng.randint(1, 6)))
        title = f'title: "新闻标题 {i}"\n' if i % 9 else ""
        files[name] = (
            f"---\nlayout: post\n{title}{date_line}categories: {rng.choice(CATS)}\n"
            f"tags: [{', '.join(tags)}]\n---\n{body}"
        )
    return write_files(root, files)


def collect(batches: Iterable[ParsedBatch]) -> tuple[list[Post], list[Problem], list[Row]]:
    posts: list[Post] = []
    problems: list[Problem] = []
    rows: list[Row] = []
    for b in batches:
        posts += b.posts
        problems += b.problems
        rows += b.rows
    return (
        sorted(posts, key=lambda p: p.path),
        sorted(problems, key=lambda p: p.path),
        sorted(rows),
    )


def exact(post: Post) -> tuple[object, ...]:
    """Everything about a post, including what `==` on datetimes ignores (the zone object)."""
    zone = post.date.tzinfo if post.date is not None else None
    return (post, post.date.isoformat() if post.date else None, str(zone), type(post.draft))


@pytest.fixture(scope="module")
def site3000(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    root = make_site(tmp_path_factory.mktemp("site3000"), 3000)
    return scan_folder(root)


def test_workers_use_forkserver_or_spawn_never_fork() -> None:
    assert worker_context().get_start_method() in ("forkserver", "spawn")


def test_workers_and_in_process_give_identical_results(site3000: ScanResult) -> None:
    in_proc = collect(parse_in_process(site3000, site3000.candidates))
    in_workers = collect(parse_in_workers(site3000, workers=2, use_workers=True))
    posts, problems, rows = in_proc
    assert len(posts) > 2500 and len(problems) >= 100  # the generator's broken files
    assert any(p.draft for p in posts)
    assert [exact(p) for p in in_workers[0]] == [exact(p) for p in posts]
    assert in_workers[1] == problems
    assert in_workers[2] == rows


def test_small_jobs_are_parsed_in_process(
    site3000: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_processes(self: WorkerPool) -> None:
        raise AssertionError("worker processes started for a small job")

    monkeypatch.setattr(WorkerPool, "start", no_processes)
    posts, _, rows = collect(parse_in_workers(site3000, site3000.candidates[:300]))
    assert len(rows) == 300 and posts


def test_batches_stream_with_progress(site3000: ScanResult) -> None:
    batches = list(parse_in_workers(site3000, workers=2, use_workers=True))
    assert len(batches) > 5
    assert [b.done for b in batches] == sorted(b.done for b in batches)
    assert batches[-1].done == batches[-1].total == len(site3000.candidates)
    # Streamed, not all at the end (how many chunks one batch drains depends on the machine's
    # load, so its exact size is not asserted here; the chunk sizes are, below).
    assert len(batches[0].rows) < len(site3000.candidates)


def test_the_first_chunks_are_small_so_rows_show_up_at_once(site3000: ScanResult) -> None:
    chunks = _split(site3000.candidates, CHUNK_SIZE)
    sizes = [len(c.cands) for c in chunks]
    assert sizes[: len(_RAMP)] == list(_RAMP)
    assert set(sizes[len(_RAMP) : -1]) == {CHUNK_SIZE}
    assert sum(sizes) == len(site3000.candidates)
    assert [c for ch in chunks for c in ch.cands] == list(site3000.candidates)


def _dead(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def test_cancel_stops_early_and_ends_the_workers(site3000: ScanResult) -> None:
    pool = WorkerPool(2)
    pool.start()
    pids = pool.pids()
    assert len(pids) == 2
    seen: list[ParsedBatch] = []
    for batch in parse_in_workers(
        site3000, cancelled=lambda: len(seen) >= 1, use_workers=True, pool=pool
    ):
        seen.append(batch)
    assert len(seen) == 1
    assert seen[0].done < len(site3000.candidates)
    if Path("/proc").is_dir():
        deadline = time.monotonic() + 5
        while not all(_dead(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_dead(p) for p in pids)


def test_in_process_cancel_stops_early(site3000: ScanResult) -> None:
    batches = list(parse_in_process(site3000, site3000.candidates, cancelled=lambda: True))
    assert batches == []


@pytest.mark.parametrize("names", [1, 2])
def test_a_worker_crash_turns_only_that_file_into_a_problem(
    site3000: ScanResult, monkeypatch: pytest.MonkeyPatch, names: int
) -> None:
    good = [c for c in site3000.candidates if "post" in c.path and c.path.endswith(".md")]
    # Far from the start (a full-size chunk), and with two: both in the same chunk.
    victims = [good[1500], good[1501]][:names]
    monkeypatch.setenv(CRASH_HOOK_ENV, ",".join(v.path.rsplit("/", 1)[-1] for v in victims))
    pool = WorkerPool(2)
    got_posts, got_problems, _ = collect(parse_in_workers(site3000, use_workers=True, pool=pool))
    assert pool.crashes == names
    monkeypatch.delenv(CRASH_HOOK_ENV)
    want_posts, want_problems, _ = collect(parse_in_process(site3000, site3000.candidates))

    victim_paths = {v.path for v in victims}
    crashed = [p for p in got_problems if p.reason == CRASHED]
    assert {p.path for p in crashed} == victim_paths
    assert [p for p in got_problems if p.reason != CRASHED] == want_problems
    assert got_posts == [p for p in want_posts if p.path not in victim_paths]


def test_the_crash_hook_needs_the_environment_variable(site3000: ScanResult) -> None:
    assert CRASH_HOOK_ENV not in os.environ
    pool = WorkerPool(2)
    _, problems, rows = collect(parse_in_workers(site3000, use_workers=True, pool=pool))
    assert pool.crashes == 0 and len(rows) == len(site3000.candidates)
    assert not [p for p in problems if p.reason == CRASHED]


def test_a_pool_started_in_the_background_parses_everything(site3000: ScanResult) -> None:
    pool = WorkerPool(2)
    pool.start_in_background()  # the caller scans meanwhile
    batches = list(pool.parse(site3000, site3000.candidates))
    assert batches[-1].done == batches[-1].total == len(site3000.candidates)
    assert sum(len(b.rows) for b in batches) == len(site3000.candidates)
    assert pool.pids() == []


def test_a_pool_closed_while_it_starts_leaves_no_process() -> None:
    pool = WorkerPool(2)
    pool.start_in_background()
    pool.close()  # waits for the start, then ends what it started
    assert pool.pids() == []
    assert pool._starter is None


def test_whole_chunks_come_decoded_and_the_parent_decodes_only_file_by_file_rows(
    site3000: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers send each whole chunk's records with its rows (the window's process then
    decodes none of them); rows sent a file at a time, after a crash, are decoded here."""
    from reader.core.storage.cache import RowDecoder

    decoded_here: list[int] = []
    decode = RowDecoder.decode

    def counting(self: RowDecoder, rows: Iterable[Row], *args: object, **kw: object) -> None:
        rows = list(rows)
        decoded_here.append(len(rows))
        decode(self, rows, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(RowDecoder, "decode", counting)  # here only: workers are processes
    collect(parse_in_workers(site3000, workers=2, use_workers=True))
    assert sum(decoded_here) == 0
    good = [c for c in site3000.candidates if "post" in c.path and c.path.endswith(".md")]
    monkeypatch.setenv(CRASH_HOOK_ENV, good[1500].path.rsplit("/", 1)[-1])
    posts, _problems, rows = collect(parse_in_workers(site3000, workers=2, use_workers=True))
    assert 0 < sum(decoded_here) < len(rows)
    assert len(posts) > 2500

"""The speed and memory benchmark: prints a table of figures, asserts nothing.

    python tests/benchmarks/bench.py --posts 100000 [--runs 3] [--dir /tmp/bench-100000]

Generates (once, reused) a synthetic archive shaped like the seeds (generate.py), then measures,
each figure the median of --runs runs, page cache warm:
  floor            reading every file's bytes (the same run's lower bound)
  cold             a fresh window process with an empty cache: first rows painted, full list
  warm             a fresh window process with the cache: process start to full list painted
  switch / sort    category switch and sort change in the window (list repainted)
  open             opening an article (render + paint)
  search           first page (50, newest first) for 1-, 2-, 4-character Chinese queries and an
                   English word, against `grep -rlF` for the same queries
  index            full-text index build (2 worker processes) and its size against the corpus
  rss              peak RSS of the window process (cold and warm)
  stall            the longest event-loop stall while loading
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
QUERIES = ["药", "监管", "市场监管", "Tesla"]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def floor_read(folder: Path) -> float:
    start = time.perf_counter()
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as fh:
                total += len(fh.read())
    return time.perf_counter() - start


def probe(folder: Path, cache: Path, repeat: int) -> dict[str, object]:
    env = {**os.environ, "POST_READER_CACHE_DIR": str(cache), "QT_QPA_PLATFORM": "offscreen"}
    env.setdefault("POST_READER_DATA_DIR", str(cache / "data"))
    # The probe ends with os._exit, which can leave multiprocessing helpers (the resource
    # tracker, indexing workers) running with its stdout: read a file, not a pipe that would
    # stay open, and end the probe's whole session afterwards.
    with tempfile.TemporaryFile("w+") as out:
        launched = time.time()
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "window_probe.py"), str(folder), "--repeat", str(repeat)],
            stdout=out,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=REPO,
            text=True,
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout=1800)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        if code != 0:
            raise SystemExit(f"window_probe.py failed with exit status {code}")
        out.seek(0)
        data: dict[str, object] = json.loads(out.read().strip().splitlines()[-1])
    data["launched"] = launched
    return data


def search_figures(folder: Path, cache: Path, runs: int) -> dict[str, object]:
    sys.path.insert(0, str(REPO))
    os.environ["POST_READER_CACHE_DIR"] = str(cache)
    from reader.core import open_folder
    from reader.core.search.build import build_index
    from reader.core.search.index import open_index

    opened = open_folder(folder).load()
    library = opened.library
    index_file = None
    build = []
    for _ in range(1):  # a build from nothing is minutes at 100k: once
        index = open_index(library.root)
        index_file = index.path
        index.clear()
        t0 = time.perf_counter()
        for _ in build_index(library.root, library.posts, index):
            pass
        build.append(time.perf_counter() - t0)
        index.close()
    assert index_file is not None
    size = sum(p.stat().st_size for p in index_file.parent.glob(index_file.name + "*"))
    index = open_index(library.root)
    result: dict[str, object] = {"index_build_s": median(build), "index_bytes": size}
    for q in QUERIES:
        times, hits = [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            r = index.search(q, limit=50)
            times.append(time.perf_counter() - t0)
            hits = len(r.paths)
        grep = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(["grep", "-rlF", q, str(folder)], capture_output=True, check=False)
            grep.append(time.perf_counter() - t0)
        result[f"search:{q}"] = (median(times), hits, median(grep))
    index.close()
    return result


def terminal_figures(folder: Path, cache: Path) -> dict[str, float]:
    """Whole-process times of terminal commands on a warm cache (the second of two runs;
    the first warms the cache and the index), and `grep -rlF` beside them."""
    env = {**os.environ, "POST_READER_CACHE_DIR": str(cache), "POST_READER_DATA_DIR": str(cache)}
    commands = {
        "list --category --json": ["list", str(folder), "--category", "category03", "--json"],
        "list --search 监管": ["list", str(folder), "--search", "监管"],
        "list --search rare phrase": ["list", str(folder), "--search", '"市场监管总局"'],
    }
    figures: dict[str, float] = {}
    for name, argv in commands.items():
        for _ in range(2):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "reader", *argv],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
            figures[name] = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(["grep", "-rlF", "监管", str(folder)], stdout=subprocess.DEVNULL, check=False)
    figures["grep -rlF 监管"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Post Reader benchmark")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.gettempdir()) / f"post-reader-bench-{args.posts}"
    stamp = folder / ".generated"
    if not stamp.exists() or stamp.read_text().strip() != str(args.posts):
        shutil.rmtree(folder, ignore_errors=True)
        sys.path.insert(0, str(REPO))
        from tests.benchmarks.generate import generate

        print(f"generating {args.posts} posts in {folder} …", file=sys.stderr)
        generate(folder, args.posts)
        stamp.write_text(str(args.posts))
    corpus = sum(p.stat().st_size for p in (folder / "_posts").iterdir())
    floor = [floor_read(folder) for _ in range(args.runs)]
    cold, warm = [], []
    for _ in range(args.runs):
        cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
        cold.append(probe(folder, cache, repeat=5))
        warm.append(probe(folder, cache, repeat=5))
        shutil.rmtree(cache, ignore_errors=True)
    cache = Path(tempfile.mkdtemp(prefix="bench-search-"))
    search = search_figures(folder, cache, args.runs)
    shutil.rmtree(cache, ignore_errors=True)
    cache = Path(tempfile.mkdtemp(prefix="bench-terminal-"))
    terminal = terminal_figures(folder, cache)
    shutil.rmtree(cache, ignore_errors=True)

    def since_launch(runs: list[dict[str, object]], key: str) -> float:
        return median([float(r[key]) - float(r["launched"]) for r in runs if key in r])  # type: ignore[arg-type]

    def field(runs: list[dict[str, object]], key: str) -> float:
        return median([float(r[key]) for r in runs if r.get(key) is not None])  # type: ignore[arg-type]

    rows = [
        (
            "machine",
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        ),
        ("posts / corpus", f"{args.posts:,} / {corpus / 1e6:.0f} MB"),
        ("floor: read every file", f"{median(floor):.2f} s"),
        ("cold: first rows painted", f"{since_launch(cold, 'first_rows_painted'):.2f} s"),
        (
            "cold: full list painted",
            f"{since_launch(cold, 'full_list_painted'):.2f} s  ({since_launch(cold, 'full_list_painted') / median(floor):.1f}x floor)",
        ),
        ("warm reopen: start to full list", f"{since_launch(warm, 'full_list_painted'):.2f} s"),
        (
            "longest event-loop stall (cold / warm)",
            f"{field(cold, 'max_stall_ms'):.0f} / {field(warm, 'max_stall_ms'):.0f} ms",
        ),
        ("category switch", f"{field(warm, 'category_switch_ms'):.1f} ms"),
        ("sort change", f"{field(warm, 'sort_change_ms'):.1f} ms"),
        ("open an article", f"{field(warm, 'open_article_ms'):.1f} ms"),
    ]
    for q in QUERIES:
        t, hits, grep = search[f"search:{q}"]  # type: ignore[misc]
        rows.append(
            (
                f"search {q!r} ({len(q)} chars), first page",
                f"{t * 1000:.1f} ms ({hits} hits); grep -rlF {grep * 1000:.0f} ms ({grep / max(t, 1e-6):.0f}x)",
            )
        )
    rows += [
        ("full-text index build (2 processes)", f"{float(search['index_build_s']):.1f} s"),  # type: ignore[arg-type]
        (
            "full-text index size",
            f"{int(search['index_bytes']) / 1e6:.0f} MB ({int(search['index_bytes']) / corpus:.2f}x corpus)",
        ),  # type: ignore[call-overload]
        (
            "peak RSS, window (cold / warm)",
            f"{field(cold, 'peak_rss_mb'):.0f} / {field(warm, 'peak_rss_mb'):.0f} MB",
        ),
    ]
    rows += [(f"terminal: {name} (warm)", f"{t:.2f} s") for name, t in terminal.items()]
    width = max(len(k) for k, _v in rows)
    print(f"| {'figure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for k, v in rows:
        print(f"| {k.ljust(width)} | {v} |")


if __name__ == "__main__":
    main()

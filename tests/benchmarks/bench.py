"""The speed and memory benchmark: prints a table of figures, asserts nothing.

    python tests/benchmarks/bench.py --posts 100000 [--runs 3] [--dir /tmp/bench-100000]
    python tests/benchmarks/bench.py --posts 1000000 --categories 2000 --dir /tmp/bench-1000000 \
        --skip-index-build

Generates (once, reused; `.generated` records posts and categories) a synthetic archive shaped
like the seeds (generate.py; with --categories N spread over N categories, a few large and many
small, with a rare word planted), then measures, each figure the median of --runs runs (3, or 1
from 500,000 posts on), page cache warm:
  floor            reading every file's bytes (the same run's lower bound)
  cold             a fresh window process with an empty cache: first rows painted, full list
  warm             a fresh window process with the cache: process start to full list painted
  switch / sort    category switch and sort change in the window (list repainted)
  open             opening an article (render + paint)
  search           first page (50, newest first) for 1-, 2-, 4-character Chinese queries and an
                   English word, alone and with the exact total of matches, against
                   `grep -rlF` for the same queries
  index            full-text index build (2 worker processes) and its size against the corpus
  rss              peak RSS of the window process (cold and warm) at the full list, and of the
                   warm one again once the work its load started has ended (index check,
                   sources' names, copies of stories, sort orders)
  stall            the longest event-loop stall while loading; and in the 3 s after the load's
                   end of a third window, warm, its folder's index complete (the watches, the
                   index's check, the work the load's end starts), which then also times the
                   window's search of QUERIES: the first page listed, then every match
  close            closing the window right after (the index is still being built)
  terminal         `python -m reader list` as whole processes, start to exit, after one run
                   that warms the cache (and builds the full-text index: timed as well):
                   `--search 监管` and `--search <rare word>` against `grep -rlF` in the same
                   run, and `--category C --json` for the largest category C
  tree             the navigation tree in a window process (window_tree.py, a cold load):
                   its build, one keystroke in its filter field, reorders of category rows
                   while the folder loads
Measured processes run from bytecode, as an installed program does (the checkout's modules are
compiled first, and PYTHONDONTWRITEBYTECODE is not passed on to them).
Parts can be left out (--skip-window, --skip-search, --skip-index-build, --skip-terminal,
--skip-tree) for partial runs; progress goes to stderr.
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
from collections.abc import Callable
from pathlib import Path
from typing import cast

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
QUERIES = ["药", "监管", "市场监管", "Tesla"]
TERMINAL_QUERY = "监管"
MANY_POSTS = 500_000  # from here on: one run unless --runs says otherwise
# A warm window then waits (at most this long) for the work its load started to end.
SETTLE_S = 300
# A third window (warm, its folder's index complete) measures its stalls this long after its
# load's end.
AFTER_S = 3


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def environment(cache: Path) -> dict[str, str]:
    """The environment of a measured process: its own cache and user data, offscreen, and
    Python's bytecode cache on, as for an installed program (see `compile_checkout`)."""
    env = {
        **os.environ,
        "POST_READER_CACHE_DIR": str(cache),
        "POST_READER_DATA_DIR": str(cache / "data"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_checkout() -> None:
    """Compile the checkout's modules to bytecode (its `__pycache__` folders, ignored by git).

    An installed Post Reader starts from bytecode (pip compiles it on install; a checkout
    writes it on its first run). Where PYTHONDONTWRITEBYTECODE is set, every measured process
    compiled the program's 140 modules from source: 0.15 s of every start, on no user's
    machine."""
    import compileall

    compileall.compile_dir(REPO / "reader", quiet=1, workers=0)


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


def probe(
    folder: Path,
    cache: Path,
    repeat: int,
    script: str = "window_probe.py",
    settle: float = 0,
    after: float = 0,
    search: list[str] | None = None,
) -> dict[str, object]:
    """Run a window process (`script`: window_probe.py or window_tree.py) on `folder` with
    `cache`; its last line of output, JSON, plus when it was launched."""
    env = environment(cache)
    # The probe ends with os._exit, which can leave multiprocessing helpers (the resource
    # tracker, indexing workers) running with its stdout: read a file, not a pipe that would
    # stay open, and end the probe's whole session afterwards.
    with tempfile.TemporaryFile("w+") as out:
        launched = time.time()
        proc = subprocess.Popen(
            [sys.executable, str(HERE / script), str(folder), "--repeat", str(repeat)]
            + (["--settle", str(settle)] if settle else [])
            + (["--after", str(after)] if after else [])
            + (["--search", *search] if search else []),
            stdout=out,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=REPO,
            text=True,
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout=7200)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        if code != 0:
            raise SystemExit(f"{script} failed with exit status {code}")
        out.seek(0)
        data: dict[str, object] = json.loads(out.read().strip().splitlines()[-1])
    data["launched"] = launched
    return data


def search_figures(folder: Path, cache: Path, runs: int, build_it: bool) -> dict[str, object]:
    """In-process: the full-text index built from nothing (when `build_it`; else the index in
    `cache` brought up to date, untimed) and the first page of each of QUERIES, without and with
    the exact count of its matches."""
    sys.path.insert(0, str(REPO))
    os.environ["POST_READER_CACHE_DIR"] = str(cache)
    from reader.core import open_folder
    from reader.core.search.build import build_index
    from reader.core.search.index import open_index

    opened = open_folder(folder).load()
    library = opened.library
    if not build_it:
        opened.update_index()
    opened.close()
    existing = open_index(library.root)
    index_file = existing.path
    existing.close()
    build = []
    for _ in range(1 if build_it else 0):  # a build from nothing is minutes at 100k: once
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
    result: dict[str, object] = {"index_build_s": median(build) if build else None}
    result["index_bytes"] = size
    for q in QUERIES:
        times, hits, counted, total = [], 0, [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            r = index.search(q, limit=50)
            times.append(time.perf_counter() - t0)
            hits = len(r.paths)
            # The same page with every match counted (the window's "N found").
            t0 = time.perf_counter()
            r = index.search(q, limit=50, with_total=True)
            counted.append(time.perf_counter() - t0)
            total = r.total or 0
        grep = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(["grep", "-rlF", q, str(folder)], capture_output=True, check=False)
            grep.append(time.perf_counter() - t0)
        result[f"search:{q}"] = (median(times), hits, median(grep), median(counted), total)
    index.close()
    return result


def prepared(folder: Path, posts: int, categories: int | None) -> None:
    """Generate the folder unless its stamp says it holds `posts` posts in `categories`."""
    sys.path.insert(0, str(REPO))
    from tests.benchmarks.generate import STAMP, generate, stamp_text, write_stamp

    stamp = folder / STAMP
    if stamp.exists() and stamp.read_text().strip() == stamp_text(posts, categories):
        return
    shutil.rmtree(folder, ignore_errors=True)
    progress(f"generating {stamp_text(posts, categories)} in {folder} …")
    t0 = time.perf_counter()
    generate(folder, posts, categories=categories)
    write_stamp(folder, posts, categories)
    progress(f"generated in {time.perf_counter() - t0:.0f} s")


def largest_category(
    folder: Path, cache: Path, posts: int, categories: int | None
) -> Callable[[], tuple[str, int]]:
    """A function giving the folder's largest category and its size: known from the generator
    with --categories, else read from the folder (with the terminal's warm cache)."""
    from tests.benchmarks.generate import category_sizes, category_sources

    def known() -> tuple[str, int]:
        assert categories is not None
        return category_sources(categories, 1)[0][1], category_sizes(posts, categories)[0]

    def loaded() -> tuple[str, int]:
        os.environ["POST_READER_CACHE_DIR"] = str(cache)
        from reader.core import open_folder

        opened = open_folder(folder).load()
        try:
            return opened.library.category_counts()[0]
        finally:
            opened.close()

    return known if categories is not None else loaded


def main() -> None:
    parser = argparse.ArgumentParser(description="Post Reader benchmark")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument(
        "--runs", type=int, default=None, help=f"3, or 1 from {MANY_POSTS:,} posts on"
    )
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument(
        "--categories", type=int, default=None, help="spread over N categories (generate.py)"
    )
    parser.add_argument("--skip-window", action="store_true", help="no cold/warm window runs")
    parser.add_argument("--skip-search", action="store_true", help="no in-process search")
    parser.add_argument(
        "--skip-index-build", action="store_true", help="no in-process index build from nothing"
    )
    parser.add_argument("--skip-terminal", action="store_true", help="no terminal figures")
    parser.add_argument("--skip-tree", action="store_true", help="no navigation-tree probe")
    args = parser.parse_args()
    runs = args.runs or (1 if args.posts >= MANY_POSTS else 3)
    name = f"post-reader-bench-{args.posts}" + (f"-c{args.categories}" if args.categories else "")
    folder = args.dir or Path(tempfile.gettempdir()) / name
    prepared(folder, args.posts, args.categories)
    compile_checkout()
    from tests.benchmarks.bench_terminal import terminal_figures
    from tests.benchmarks.generate import RARE_PHRASE

    progress("corpus size and floor")
    corpus = sum(entry.stat().st_size for entry in os.scandir(folder / "_posts"))
    floor = [floor_read(folder) for _ in range(runs)]
    cold: list[dict[str, object]] = []
    warm: list[dict[str, object]] = []
    if not args.skip_window:
        for run in range(runs):
            cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
            progress(f"window, cold {run + 1}/{runs}")
            cold.append(probe(folder, cache, repeat=5))
            progress(f"window, warm {run + 1}/{runs}")
            warm.append(probe(folder, cache, repeat=5, settle=SETTLE_S))
            progress(f"window, warm again (the seconds after the load) {run + 1}/{runs}")
            again = probe(folder, cache, repeat=3, after=AFTER_S, search=QUERIES)
            warm[-1]["max_stall_after_ms"] = again.get("max_stall_after_ms")
            warm[-1]["window_search"] = (again.get("search_ms"), again.get("search_whole_ms"))
            shutil.rmtree(cache, ignore_errors=True)
    tree: dict[str, object] | None = None
    if not args.skip_tree:
        cache = Path(tempfile.mkdtemp(prefix="bench-tree-"))
        progress("navigation tree (a cold window load)")
        tree = probe(folder, cache, repeat=5, script="window_tree.py")
        shutil.rmtree(cache, ignore_errors=True)
    cache = Path(tempfile.mkdtemp(prefix="bench-search-"))
    terminal: dict[str, object] | None = None
    if not args.skip_terminal:
        terminal = terminal_figures(
            folder,
            environment(cache),
            runs,
            TERMINAL_QUERY,
            RARE_PHRASE if args.categories else None,
            largest_category(folder, cache, args.posts, args.categories),
            progress,
        )
    search: dict[str, object] | None = None
    if not args.skip_search:
        progress("in-process search" + ("" if args.skip_index_build else " and index build"))
        search = search_figures(folder, cache, runs, build_it=not args.skip_index_build)
    shutil.rmtree(cache, ignore_errors=True)
    print_table(args, runs, corpus, floor, cold, warm, tree, terminal, search)


def window_search_rows(warm: list[dict[str, object]]) -> list[tuple[str, str]]:
    """The window's search of each of QUERIES (the third window: warm, its index complete):
    the first page listed, then every match listed (medians over the runs)."""
    rows = []
    for q in QUERIES:
        first = [r["window_search"][0][q] for r in warm if r.get("window_search")]  # type: ignore[index]
        whole = [r["window_search"][1][q] for r in warm if r.get("window_search")]  # type: ignore[index]
        if first:
            rows.append(
                (
                    f"window search {q!r}: first page / every match listed",
                    f"{median(first):.1f} / {median(whole):.0f} ms",
                )
            )
    return rows


def print_table(
    args: argparse.Namespace,
    runs: int,
    corpus: int,
    floor: list[float],
    cold: list[dict[str, object]],
    warm: list[dict[str, object]],
    tree: dict[str, object] | None,
    terminal: dict[str, object] | None,
    search: dict[str, object] | None,
) -> None:
    from tests.benchmarks.bench_terminal import rows as terminal_rows

    def since_launch(runs: list[dict[str, object]], key: str) -> float:
        return median([float(r[key]) - float(r["launched"]) for r in runs if key in r])  # type: ignore[arg-type]

    def field(runs: list[dict[str, object]], key: str) -> float:
        return median([float(r[key]) for r in runs if r.get(key) is not None])  # type: ignore[arg-type]

    spread = f" in {args.categories:,} categories" if args.categories else ""
    rows = [
        (
            "machine",
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        ),
        ("posts / corpus", f"{args.posts:,}{spread} / {corpus / 1e6:.0f} MB ({runs} run(s))"),
        ("floor: read every file", f"{median(floor):.2f} s"),
    ]
    if cold:
        rows += [
            ("cold: first rows painted", f"{since_launch(cold, 'first_rows_painted'):.2f} s"),
            (
                "cold: full list painted",
                f"{since_launch(cold, 'full_list_painted'):.2f} s  ({since_launch(cold, 'full_list_painted') / median(floor):.1f}x floor)",
            ),
            ("warm reopen: start to full list", f"{since_launch(warm, 'full_list_painted'):.2f} s"),
            (
                "longest event-loop stall (cold / warm; warm, the 3 s after the load)",
                f"{field(cold, 'max_stall_ms'):.0f} / {field(warm, 'max_stall_ms'):.0f} ms;"
                f" {field(warm, 'max_stall_after_ms'):.0f} ms",
            ),
            *window_search_rows(warm),
            ("category switch", f"{field(warm, 'category_switch_ms'):.1f} ms"),
            ("sort change", f"{field(warm, 'sort_change_ms'):.1f} ms"),
            ("open an article", f"{field(warm, 'open_article_ms'):.1f} ms"),
            (
                "close the window (cold / warm, index being built)",
                f"{field(cold, 'close_ms'):.0f} / {field(warm, 'close_ms'):.0f} ms",
            ),
        ]
    if tree is not None:
        n = f"{int(tree['categories']):,} categories"  # type: ignore[call-overload]
        rows += [
            (f"tree: build ({n})", f"{tree['build_ms']} ms"),
            (
                "tree: one filter keystroke answered",
                f"{tree['keystroke_s_ms']} ms ('s', {tree['categories_matching_s']} match;"
                f" {tree['filter_interval_ms']} ms of it the field's pause, rebuild"
                f" {tree['keystroke_s_rebuild_ms']} ms); 'sh' {tree['keystroke_sh_ms']} ms,"
                f" cleared {tree['keystroke_cleared_ms']} ms",
            ),
            (
                "tree: rebuilds during a cold load",
                f"{tree['rebuilds_during_load']} (longest {tree['longest_rebuild_during_load_ms']}"
                f" ms, total {tree['total_rebuild_during_load_ms']} ms)",
            ),
            (
                "tree: reorders during load",
                f"{tree['reorders_during_load']} (of {tree['order_samples']} orders painted)",
            ),
        ]
    if terminal is not None:
        rows += terminal_rows(terminal, TERMINAL_QUERY)
    if search is not None:
        for q in QUERIES:
            figures = cast(tuple[float, int, float, float, int], search[f"search:{q}"])
            t, hits, grep, counted, total = figures
            rows.append(
                (
                    f"search {q!r} ({len(q)} chars), first page / exact total",
                    f"{t * 1000:.1f} ms ({hits} hits) / {counted * 1000:.1f} ms ({total:,});"
                    f" grep -rlF {grep * 1000:.0f} ms ({grep / max(t, 1e-6):.0f}x)",
                )
            )
        if search["index_build_s"] is not None:
            rows.append(
                ("full-text index build (2 processes)", f"{float(search['index_build_s']):.1f} s")  # type: ignore[arg-type]
            )
        rows.append(
            (
                "full-text index size",
                f"{int(search['index_bytes']) / 1e6:.0f} MB ({int(search['index_bytes']) / corpus:.2f}x corpus)",  # type: ignore[call-overload]
            )
        )
    if cold:
        rows.append(
            (
                "peak RSS, window (cold / warm)",
                f"{field(cold, 'peak_rss_mb'):.0f} / {field(warm, 'peak_rss_mb'):.0f} MB",
            )
        )
    if warm and all("settled_peak_rss_mb" in w for w in warm):
        unsettled = sum(1 for w in warm if not w.get("settled"))
        rows.append(
            (
                "peak RSS, warm window after its background work",
                f"{field(warm, 'settled_peak_rss_mb'):.0f} MB (work ended after"
                f" {field(warm, 'settled_s'):.1f} s"
                + (f"; still running in {unsettled} run(s) at {SETTLE_S} s)" if unsettled else ")"),
            )
        )
    width = max(len(k) for k, _v in rows)
    print(f"| {'figure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for k, v in rows:
        print(f"| {k.ljust(width)} | {v} |")


if __name__ == "__main__":
    main()

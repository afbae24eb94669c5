"""Benchmark of the timeline and related posts (issue 17): the timeline recount over generated
Post records (no files), related posts by labels over the same records, and related posts with
the full-text index over a generated folder (built here when it has no index yet).

    python tests/benchmarks/bench_timeline_related.py --posts 100000 --folder /tmp/f20k
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.core.library import Library, Query
from reader.core.post import Post, SortKey
from reader.core.related import RelatedFinder
from reader.core.timeline import build_timeline, day_numbers, in_range


def timed(fn: Callable[[], object], runs: int = 7) -> str:
    # CPU time beside wall time: on a shared 2-core machine the wall time varies 3x with load.
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (
        f"median {statistics.median(times):6.1f} ms, best {min(times):6.1f} ms,"
        f" cpu median {statistics.median(cpu):6.1f} ms"
    )


def generated_posts(n: int) -> list[Post]:
    rng = random.Random(1)
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime(2019, 1, 1, tzinfo=zone)
    span = 5 * 365 * 86400
    return [
        Post(
            f"_posts/p{i:06d}.md",
            f"title {rng.randrange(10**6)}",
            start + timedelta(seconds=rng.randrange(span)) if i % 500 else None,
            (f"category{rng.randrange(20):02d}",),
            (f"标签{rng.randrange(50):02d}",),
        )
        for i in range(n)
    ]


def bench_timeline(n: int) -> None:
    posts = generated_posts(n)
    lib = Library(Path("/nowhere"), posts=posts)
    lib.warm()
    print(f"timeline, {n} posts")
    print("  day numbers (once per library version)", timed(lambda: day_numbers(lib.posts)))
    days = day_numbers(lib.posts)
    newest = lib.query(Query())
    by_title = lib.query(Query(sort=SortKey.TITLE))
    one_cat = lib.query(Query(categories=("category03",)))
    print("  whole library, date order, auto (month)", timed(lambda: build_timeline(days, newest)))
    print("  whole library, title order, auto", timed(lambda: build_timeline(days, by_title)))
    print("  whole library, by day (1826 bars)", timed(lambda: build_timeline(days, newest, "day")))
    print("  one category (5%)", timed(lambda: build_timeline(days, one_cat)))
    year = (date(2020, 1, 1), date(2020, 12, 31))
    print("  range filter, one year of all", timed(lambda: in_range(days, newest, *year)))
    finder = RelatedFinder(lib, None, text_of=lambda p: p.title)
    start = time.perf_counter()
    finder.warm()
    print(f"  related by labels: warm {time.perf_counter() - start:.2f} s")
    sample = random.Random(2).sample(posts, 30)
    print("  related by labels, 30 posts", timed(lambda: [finder.related(p) for p in sample], 3))


def bench_related(folder: Path) -> None:
    from reader.core.reading.load import load_library
    from reader.core.search.build import build_index
    from reader.core.search.index import SearchIndex

    lib = load_library(folder)
    index_path = folder.with_name(folder.name + ".sqlite3")
    with SearchIndex.open(index_path) as index:
        if index.count() != len(lib.posts):
            start = time.perf_counter()
            for _ in build_index(folder, lib.posts, index):
                pass
            print(f"  index built in {time.perf_counter() - start:.1f} s")
    finder = RelatedFinder(lib, index_path)
    start = time.perf_counter()
    finder.warm()
    print(
        f"related with the index, {len(lib.posts)} posts: warm {time.perf_counter() - start:.2f} s"
    )
    times = []
    for post in random.Random(3).sample(lib.posts, 50):
        start = time.perf_counter()
        finder.related(post)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"  per post: median {statistics.median(times):.1f} ms,"
        f" p90 {times[int(0.9 * len(times))]:.1f} ms, max {times[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument(
        "--folder", type=Path, default=None, help="a generated folder (generate.py)"
    )
    args = parser.parse_args()
    bench_timeline(args.posts)
    if args.folder is not None:
        bench_related(args.folder)


if __name__ == "__main__":
    main()

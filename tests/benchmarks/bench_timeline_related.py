"""Benchmark of the timeline and related posts (issue 17): the timeline recount over generated
Post records (no files), related posts by labels over the same records, and related posts with
the full-text index over a folder (its index is built beside it when missing).

    python tests/benchmarks/bench_timeline_related.py --posts 100000 --folder /tmp/z20k

A missing `--folder` is generated with a Zipfian vocabulary and topics (`zipf_folder`):
generate.py's archive has ~360 distinct tokens, all in most posts, so it has no distinctive
words and measures only the cheap path. The share of related posts on the same topic is printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import accumulate
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


def zipf_folder(out: Path, posts: int, seed: int = 11) -> None:
    """Posts of ~1,500-4,500 CJK characters: 3,000 characters and 50,000 words of 2-4 of them,
    both Zipfian; 2,000 topics of 30 rarer words; each post 70% common words, 30% its topic's.
    The topic is in the file name (`-tNNNN.md`) and nowhere the scoring looks."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + i * 7) for i in range(3000)]
    char_weights = list(accumulate(1 / (r + 1) for r in range(len(chars))))
    words = [
        "".join(rng.choices(chars, cum_weights=char_weights, k=rng.choice((2, 2, 2, 3, 4))))
        for _ in range(50_000)
    ]
    word_weights = list(accumulate(1 / (r + 1) for r in range(len(words))))
    topics = [rng.sample(words[1000:], 30) for _ in range(2000)]
    (out / "_posts").mkdir(parents=True, exist_ok=True)
    (out / "_config.yml").write_text("timezone: Asia/Shanghai\n", encoding="utf-8")
    for i in range(posts):
        t = rng.randrange(len(topics))
        m = rng.randint(300, 900)
        seq = rng.choices(words, cum_weights=word_weights, k=m)
        seq += rng.choices(topics[t], k=int(m * 0.43))
        rng.shuffle(seq)
        text = "".join(w + ("，" if j % 9 == 8 else "") for j, w in enumerate(seq))
        day = f"20{rng.randint(19, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        (out / "_posts" / f"{day}-z{i:06d}-t{t:04d}.md").write_text(
            f'---\ntitle: "{"".join(rng.sample(topics[t], 3))}"\ndate: {day} 10:00:00 +0800\n'
            f"categories: src{rng.randrange(20)}\ntags: tag{rng.randrange(200)}\n---\n"
            f"<p>{text}</p>\n",
            encoding="utf-8",
        )


def bench_related(folder: Path, posts: int) -> None:
    from reader.core import open_folder
    from reader.core.search.build import build_index
    from reader.core.search.index import SearchIndex

    if not folder.exists():
        start = time.perf_counter()
        zipf_folder(folder, posts)
        print(f"  generated {posts} posts in {time.perf_counter() - start:.0f} s")
    opened = open_folder(folder).load()
    lib = opened.library
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
    times, cpu, same_topic = [], [], 0
    for post in random.Random(3).sample(lib.posts, 60):
        start, start_cpu = time.perf_counter(), time.process_time()
        found = finder.related(post)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        same_topic += sum(r.path[-8:] == post.path[-8:] for r in found)
    for name, values in (("wall", sorted(times)), ("cpu", sorted(cpu))):
        print(
            f"  per post, {name}: median {statistics.median(values):.1f} ms,"
            f" p90 {values[int(0.9 * len(values))]:.1f} ms, max {values[-1]:.1f} ms"
        )
    print(f"  results on the post's own topic (zipf folders): {same_topic / (5 * 60):.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=None, help="generated when missing")
    parser.add_argument("--folder-posts", type=int, default=20_000)
    parser.add_argument("--skip-timeline", action="store_true")
    args = parser.parse_args()
    if not args.skip_timeline:
        bench_timeline(args.posts)
    if args.folder is not None:
        bench_related(args.folder, args.folder_posts)


if __name__ == "__main__":
    main()

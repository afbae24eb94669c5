"""Measure category names and duplicate groups on a folder written by `generate.py --archive`.

    python -m tests.benchmarks.generate /tmp/arch --archive --posts 20000 --categories 2000
    python -m tests.benchmarks.measure_sources /tmp/arch [--workers 2]

Prints how many names were established and how (and whether they match the planted truth), the
duplicate groups found against those planted (pair precision and recall, groups found whole, the
must-not-merge pairs merged), and the time each step took.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import time
from collections import Counter
from pathlib import Path

from reader.core import open_folder
from reader.core.duplicates.index import find_duplicates
from reader.core.sources.names import category_tags, establish_names
from reader.core.sources.site_files import read_site_names


def _pairs(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}


def _cpu() -> float:
    # CPU seconds of this process and its finished children: on a shared, loaded machine a
    # steadier figure than the wall clock.
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    truth = json.loads(args.folder.with_name(args.folder.name + ".truth.json").read_text())

    t = time.perf_counter()
    folder = open_folder(args.folder)
    folder.load()
    posts = folder.posts
    print(
        f"loaded {len(posts)} posts in {time.perf_counter() - t:.2f} s; load average {os.getloadavg()[0]:.1f}"
    )

    t = time.perf_counter()
    tags, counts = category_tags(posts)
    site = read_site_names(args.folder, tags.keys())
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    names = establish_names(tags, site.pages, site.site_map, counts)
    t_names = time.perf_counter() - t
    by_how = Counter(n.name_from for n in names.values())
    wrong = {
        s: (n.name, truth["names"].get(s))
        for s, n in names.items()
        if n.name != truth["names"].get(s)
    }
    print(
        f"names: {len(names)} categories, {sum(n.name is not None for n in names.values())} named "
        f"{dict(by_how)}; {len(wrong)} differ from the truth; "
        f"tags+pages read in {t_read:.2f} s, established in {t_names:.3f} s"
    )
    for slug, (got, want) in list(wrong.items())[:10]:
        print(f"  {slug}: got {got!r}, planted {want!r}")

    t, cpu = time.perf_counter(), _cpu()
    index = find_duplicates(posts, root=folder.root, workers=args.workers)
    t_dup, cpu_dup = time.perf_counter() - t, _cpu() - cpu
    found, planted = _pairs(index.groups()), _pairs(truth["groups"])
    # Found whole: the same posts, led by the planted original (copies are dated after it).
    found_whole = {(g[0], frozenset(g)) for g in index.groups()}
    whole = [g for g in truth["groups"] if (g[0], frozenset(g)) in found_whole]
    merged = [p for p in truth["must_not_merge"] if frozenset(p) in found]
    hit = found & planted
    print(
        f"duplicates ({args.workers} workers): {len(index.groups())} groups found, "
        f"{len(truth['groups'])} planted, {len(whole)} found whole and earliest first; "
        f"pairs precision {len(hit) / max(1, len(found)):.3f} recall {len(hit) / max(1, len(planted)):.3f}; "
        f"must-not-merge pairs merged: {len(merged)} of {len(truth['must_not_merge'])}; "
        f"{t_dup:.2f} s ({cpu_dup:.2f} s of CPU in all processes)"
    )
    missed = Counter()
    for pair in planted - found:
        for path in pair:
            missed[truth["edits"].get(path, "original")] += 1
    if missed:
        print(f"  missed pairs by edit: {dict(missed)}")
    t = time.perf_counter()
    victims = [p for p in posts[:200]]
    for post in victims:
        index.remove(post.path)
    index.update(victims, root=folder.root, workers=0)
    print(f"incremental: removed and re-added 200 posts in {time.perf_counter() - t:.2f} s")
    folder.close()


if __name__ == "__main__":
    main()

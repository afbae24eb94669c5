"""The compact LSH: band hashes, proposed pairs, and the groups they lead to."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

import numpy as np
import pytest

from reader.core.duplicates import fingerprint as fingerprint_module
from reader.core.duplicates import lsh
from reader.core.duplicates.fingerprint import NUM_PERM, similar, text_fingerprint
from reader.core.duplicates.index import DuplicateIndex
from reader.core.post import Post
from tests.benchmarks.generate import body, sentence

T0 = datetime(2021, 12, 8, 10, 0)


def story(seed: int, size: int = 2000) -> str:
    return body(random.Random(seed), size, f"{seed:018d}")


def post(path: str, minutes: int) -> Post:
    return Post(path, "标题", T0 + timedelta(minutes=minutes), ("emnews",), ())


def brute_force_groups(bodies: dict[str, str], order: dict[str, int]) -> list[list[str]]:
    """Every pair compared with `similar`, grouped the index's way (connected, earliest first)."""
    prints = {p: text_fingerprint(b) for p, b in bodies.items()}
    parent = {p: p for p in bodies}

    def find(p: str) -> str:
        while parent[p] != p:
            p = parent[p]
        return p

    for a, b in itertools.combinations(sorted(bodies), 2):
        pa, pb = prints[a], prints[b]
        if pa is not None and pb is not None and similar(pa, pb):
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for p in bodies:
        groups.setdefault(find(p), []).append(p)
    found = [sorted(g, key=lambda p: (order[p], p)) for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: (order[g[0]], g[0]))


def edited(text: str, rng: random.Random) -> str:
    """A re-published copy: one of the edits copies get."""
    kind = rng.randrange(4)
    if kind == 0:
        return "> 摘要（上海证券报）\n\n" + text
    if kind == 1:
        return text.replace("（文章来源：合成新闻网）", "（文章来源：东财）")
    if kind == 2:
        return text.replace("<p>", "<p>\n ")
    return text + f" <p>{sentence(rng)}{sentence(rng)}</p>"


def test_band_hashes_agree_exactly_where_the_bands_agree() -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2**57, NUM_PERM, dtype=np.uint64)
    b = a.copy()
    b[3 * lsh.ROWS + 2] += np.uint64(1)  # band j is slots j * ROWS to j * ROWS + ROWS - 1
    bands = lsh.band_hashes(np.stack([a, b]))
    assert bands.shape == (2, lsh.BANDS) and bands.dtype == np.uint64
    differ = np.flatnonzero(bands[0] != bands[1]).tolist()
    assert differ == [3]
    assert np.array_equal(lsh.band_hashes(a), bands[:1])  # the same slots, the same hashes


def test_only_pairs_with_a_fresh_row_are_proposed() -> None:
    bands = np.zeros((4, lsh.BANDS), dtype=np.uint64)
    bands[:, 0] = [7, 7, 7, 9]  # rows 0-2 share band 0
    bands[:, 1:] = np.arange(4 * (lsh.BANDS - 1)).reshape(4, -1) + 100  # nothing else shared
    comparable = np.ones(4, dtype=bool)
    fresh = np.array([False, False, True, False])
    pairs = lsh.candidate_pairs(bands, comparable, fresh)
    assert pairs.tolist() == [[0, 2], [1, 2]]
    assert lsh.candidate_pairs(bands, comparable, np.zeros(4, dtype=bool)).shape == (0, 2)
    comparable[0] = False  # removed rows propose nothing
    assert lsh.candidate_pairs(bands, comparable, fresh).tolist() == [[1, 2]]


def test_a_long_run_proposes_a_chain_not_every_pair() -> None:
    n = 500
    bands = np.zeros((n, lsh.BANDS), dtype=np.uint64)  # all equal in every band
    pairs = lsh.candidate_pairs(bands, np.ones(n, dtype=bool), np.ones(n, dtype=bool))
    assert len(pairs) <= lsh.CHAIN_TRIES * n  # not n * (n - 1) / 2 = 124,750
    # ...yet every row is reached from row 0 through the proposed pairs.
    reached, frontier = {0}, [0]
    neighbours: dict[int, set[int]] = {}
    for a, b in pairs.tolist():
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    while frontier:
        for other in neighbours.get(frontier.pop(), ()):
            if other not in reached:
                reached.add(other)
                frontier.append(other)
    assert len(reached) == n


def test_groups_are_those_of_comparing_every_pair() -> None:
    rng = random.Random(5)
    bodies: dict[str, str] = {}
    for i in range(60):
        original = story(i)
        bodies[f"s{i:02d}-0.md"] = original
        for k in range(rng.choice((0, 0, 1, 2, 3))):
            bodies[f"s{i:02d}-{k + 1}.md"] = edited(original, rng)
    # Near misses: the same opening over another story, and a brief of one.
    bodies["brief.md"] = story(3)[:600]
    bodies["other-end.md"] = story(4)[:1200] + story(99)[:1200]
    order = {p: rng.randrange(10_000) for p in bodies}
    index = DuplicateIndex()
    index.update([post(p, order[p]) for p in bodies], read=bodies.__getitem__)
    expected = brute_force_groups(bodies, order)
    assert len(expected) > 30  # the planted copies are there to be found
    assert index.groups() == expected


def test_many_identical_texts_are_one_group_without_quadratic_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0
    real_similar = fingerprint_module.similar

    def counting(a: fingerprint_module.Fingerprint, b: fingerprint_module.Fingerprint) -> bool:
        nonlocal calls
        calls += 1
        return real_similar(a, b)

    monkeypatch.setattr(fingerprint_module, "similar", counting)
    notice = "<p>本公司及董事会全体成员保证信息披露的内容真实、准确、完整，没有虚假记载、误导性陈述或重大遗漏。</p>"
    bodies = {f"n{i:03d}.md": notice for i in range(400)}
    bodies["story.md"] = story(1)
    index = DuplicateIndex()
    index.update([post(p, i) for i, p in enumerate(bodies)], read=bodies.__getitem__)
    groups = index.groups()
    assert groups == [[f"n{i:03d}.md" for i in range(400)]]
    assert calls <= lsh.CHAIN_TRIES * 400  # every pair would be 79,800
    # Removing one in the middle of the chain keeps the others together.
    index.remove("n200.md")
    assert index.groups() == [[f"n{i:03d}.md" for i in range(400) if i != 200]]

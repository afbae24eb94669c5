"""A load parses its files newest first (reverse path order) and lets its long lists go a
slice at a time: the same order as one sort, without one long hold of the interpreter lock."""

from __future__ import annotations

import random

import pytest

from reader.core.reading import load_order
from reader.core.reading.scan import Candidate


def _candidate(path: str) -> Candidate:
    return Candidate(path, 1, 1, False, True, (), True)


@pytest.mark.parametrize("seed", range(4))
def test_groups_give_the_order_of_one_sort(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_order, "SORT_AT_ONCE", 10)  # grouped from ten candidates on
    rng = random.Random(seed)
    heads = ["_posts/2021-01-0", "_posts/2021-01-1", "a/_posts/2020-", "_posts/", "读书/", ""]
    paths = [
        f"{rng.choice(heads)}{rng.randint(0, 40)}-{rng.choice(['x', 'y', '新闻'])}.md"
        for _ in range(rng.randint(10, 400))
    ]
    cands = [_candidate(p) for p in paths]
    rng.shuffle(cands)
    expected = sorted(cands, key=lambda c: c.path, reverse=True)
    assert [c.path for c in load_order.newest_first(cands)] == [c.path for c in expected]


def test_a_load_lets_its_candidates_go_a_slice_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A million candidates freed at once held the interpreter lock for 0.1-0.2 s at the end
    of a load: they go a slice at a time, the lock offered to other threads in between."""
    yields: list[float] = []
    monkeypatch.setattr(load_order.time, "sleep", yields.append)
    items = [_candidate(f"p{n}.md") for n in range(45_000)]
    load_order.let_go(items, step=20_000)
    assert items == [] and yields == [0, 0, 0]

"""A load parses its files newest first (reverse path order) and lets its long lists go a
slice at a time: the same order as one sort, without one long hold of the interpreter lock."""

from __future__ import annotations

import gc
import random
from pathlib import Path

import pytest

from reader.core.reading import grouped_sort, load_order
from reader.core.reading.scan import Candidate
from tests.unit.core.storage.test_cache import make_site


def _candidate(path: str) -> Candidate:
    return Candidate(path, 1, 1, False, True, (), True)


@pytest.mark.parametrize("seed", range(4))
def test_groups_give_the_order_of_one_sort(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grouped_sort, "AT_ONCE", 10)  # grouped from ten candidates on
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


def test_a_cold_loads_candidates_are_spared_the_collectors_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From `SPARED_FROM` candidates, a scan freezes what is alive (its candidates hold no
    cycles; each full collection walked a million of them, 255 ms); closing the folder gives
    the collector everything back. Below it, nothing is frozen."""
    from reader.core import open_folder
    from reader.core.reading import loader

    root = make_site(tmp_path / "site")
    monkeypatch.setattr(loader, "SPARED_FROM", 5)
    gc.unfreeze()
    try:
        folder = open_folder(root, cache_dir=tmp_path / "cache", workers=0)
        frozen_while: list[int] = []
        for event in folder.events():
            folder.apply(event)
            if isinstance(event, loader.Added) and event.posts:
                frozen_while.append(gc.get_freeze_count())
        assert len(folder.library.posts) >= 20
        assert frozen_while and min(frozen_while) > 0 and gc.get_freeze_count() > 0
        folder.close()
        assert gc.get_freeze_count() == 0
        monkeypatch.setattr(loader, "SPARED_FROM", 10**6)
        for event in loader.open_library(root, cache_dir=tmp_path / "cache2", use_workers=False):
            assert gc.get_freeze_count() == 0, event
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("reverse", [False, True])
def test_a_grouped_sort_is_one_stable_sort(reverse: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any keys (shorter than the head, equal, sharing heads, Chinese): the order of one
    stable sort, ties in their first order, both ways."""
    monkeypatch.setattr(grouped_sort, "AT_ONCE", 5)
    rng = random.Random(11)
    for _ in range(30):
        keys = [
            rng.choice(["", "a", "ab", "2021-01-01-", "2021-01-02-", "新闻", "z" * 12])
            + rng.choice(["", "x", "y", "1"])
            for _ in range(rng.randint(0, 120))
        ]
        items = list(enumerate(keys))  # (first position, key): ties are told apart by position
        got = grouped_sort.sorted_in_groups(items, lambda it: it[1], reverse=reverse, head=3)
        assert got == sorted(items, key=lambda it: it[1], reverse=reverse)


def test_a_cold_scan_lists_a_large_folder_in_name_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan's grouped sort of a folder's entries gives what one sort gave."""
    from reader.core.reading.scan import scan_folder

    root = make_site(tmp_path / "site", n=40)
    expected = [c.path for c in scan_folder(root, stat_files=False).candidates]
    monkeypatch.setattr(grouped_sort, "AT_ONCE", 3)
    assert [c.path for c in scan_folder(root, stat_files=False).candidates] == expected
    assert len(expected) >= 40

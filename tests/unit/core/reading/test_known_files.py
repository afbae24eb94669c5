"""`KnownFiles` answers what a `{path: stat}` dict answers, through any series of additions and
removals, and a scan's `Matcher` ticks files off without changing it; paths that share a hash
are told apart by the path itself."""

from __future__ import annotations

import random

import pytest

from reader.core.reading import known as known_module
from reader.core.reading.known import KnownFiles, stat_of

PATHS = [f"_posts/2021-01-{n % 28 + 1:02d}-p{n}.md" for n in range(300)] + [
    "读书/笔记.md",
    "a b/c.md",
    "x" * 300,
    "",
]


@pytest.fixture(params=["own hashes", "few hashes"])
def hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "few hashes":
        # Most paths share a hash with others: only the path itself tells them apart.
        monkeypatch.setattr(known_module, "_hash", lambda path: len(path) % 5)
    return str(request.param)


def check(known: KnownFiles, model: dict[str, int]) -> None:
    assert known.as_dict() == model
    assert len(known) == len(model) and bool(known) == bool(model)
    for path in PATHS:
        assert (path in known) == (path in model)
        assert known.get(path) == model.get(path)


def test_any_series_of_additions_and_removals_answers_as_a_dict(hashes: str) -> None:
    rng = random.Random(7)
    known, model = KnownFiles(), {}
    for step in range(3000):
        path = rng.choice(PATHS)
        size, mtime = rng.choice([(-1, -1), (0, 5), (10, 1_700_000_000_123_456_789)])
        if path in model and rng.random() < 0.5:
            assert known.pop(path) == model.pop(path)
        elif path in model:
            known.pop(path)  # a changed file: forgotten, then known again
            known.add(path, size, mtime)
            model[path] = stat_of(size, mtime)
        else:
            assert known.pop(path, -7) == -7
            if rng.random() < 0.3:
                # A parsed batch (the cold load's way), each path once.
                batch = [p for p in dict.fromkeys(rng.sample(PATHS, 20)) if p not in model]
                known.add_many(batch, [size] * len(batch), [mtime] * len(batch))
                model.update(dict.fromkeys(batch, stat_of(size, mtime)))
            else:
                known.add(path, size, mtime)
                model[path] = stat_of(size, mtime)
        if step % 97 == 0:
            check(known, model)
    check(known, model)
    assert KnownFiles.of(model).as_dict() == model


def test_a_scan_ticks_files_off_without_changing_what_is_known(hashes: str) -> None:
    known = KnownFiles((p, n, n * 1000) for n, p in enumerate(PATHS))
    before = known.as_dict()
    matcher = known.matcher()
    paths = PATHS[:200]
    sizes = list(range(200))
    mtimes = [n * 1000 if n % 10 else 1 for n in range(200)]  # every tenth file changed
    same = matcher.unchanged([*paths, "not known"], [*sizes, 0], [*mtimes, 0])
    assert same == [n % 10 != 0 for n in range(200)] + [False]
    # Found again in the same scan: no longer unchanged (each file is ticked off once).
    assert matcher.unchanged(paths[:5], sizes[:5], mtimes[:5]) == [False] * 5
    # A changed file is asked for by `pop`: its known stat, once.
    assert matcher.pop(PATHS[10]) == stat_of(10, 10_000)
    assert matcher.pop(PATHS[10]) is None
    assert matcher.pop(PATHS[11]) is None  # ticked off above
    left = matcher.left()
    assert left == [p for n, p in enumerate(PATHS) if n >= 200 or (n % 10 == 0 and n != 10)]
    assert known.as_dict() == before
    # A file forgotten meanwhile is not left over, nor unchanged, in the next scan.
    known.pop(PATHS[250])
    again = known.matcher()
    assert again.unchanged([PATHS[250]], [250], [250_000]) == [False]
    assert PATHS[250] not in again.left()


def test_a_size_that_does_not_match_is_not_unchanged_even_when_the_time_does() -> None:
    known = KnownFiles([("a.md", 5, 9), ("b.md", -1, -1)])
    assert known.matcher().unchanged(["a.md", "b.md"], [6, -1], [9, -1]) == [False, True]
    assert known.get("b.md") == stat_of(-1, -1)
    with pytest.raises(ValueError):
        known.add_many(["c.md"], [1, 2], [3, 4])


def test_sorted_hashes_are_kept_once() -> None:
    """A hash is kept beside its entry only until a lookup sorts it in: then in the sorted
    keys alone (8 bytes a file less), and lookups still find every file."""
    known = KnownFiles((p, n, n) for n, p in enumerate(PATHS))
    assert len(known._hashes) == len(PATHS)
    assert known.get(PATHS[7]) == stat_of(7, 7)
    assert len(known._hashes) == 0 and len(known._keys) == len(PATHS)
    known.add("new.md", 1, 2)
    known.add_many(["n2.md", "n3.md"], [3, 4], [5, 6])
    assert len(known._hashes) == 3
    with pytest.raises(ValueError):
        known.add_many(["n4.md", "n5.md"], [1], [1])
    assert len(known._hashes) == 3  # the failed batch left nothing behind
    assert [known.get(p) for p in ("new.md", "n3.md", PATHS[0], "n4.md")] == [
        stat_of(1, 2),
        stat_of(4, 6),
        stat_of(0, 0),
        None,
    ]
    assert len(known._hashes) == 0


def test_many_files_added_in_steps_from_a_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(known_module, "_ADD_STEP", 7)  # 8,192 in the program
    known = KnownFiles([("first.md", 1, 2)])
    paths = PATHS[:50]
    known.add_many((p for p in paths), list(range(50)), [n * 3 for n in range(50)])
    assert known.as_dict() == {"first.md": stat_of(1, 2)} | {
        p: stat_of(n, n * 3) for n, p in enumerate(paths)
    }
    before = known.as_dict()
    with pytest.raises(ValueError):  # one path more than sizes: nothing of it is kept
        known.add_many(iter(PATHS[50:61]), [0] * 10, [0] * 10)
    assert known.as_dict() == before and PATHS[55] not in known
    known.add("later.md", 5, 6)  # still whole: what follows lands where it should
    assert known.get("later.md") == stat_of(5, 6) and known.get(PATHS[49]) == stat_of(49, 147)

"""PathIndex answers as the dict of paths it replaces: found, missing, added later, merged."""

from __future__ import annotations

from reader.core import PostTable, path_index
from reader.core.path_index import PathIndex
from tests.unit.core.test_table import ODD_POSTS, _post


def test_it_answers_as_a_dict_of_the_paths() -> None:
    posts = [_post(n, path=f"_posts/2021-01-01-{n}.md") for n in range(500)] + ODD_POSTS
    table = PostTable(posts)
    index = PathIndex(table)
    expected = {p.path: i for i, p in enumerate(posts)}
    assert len(index) == len(expected)
    for path, i in expected.items():
        assert index.get(path) == index[path] == i
        assert path in index
    assert index.get("_posts/missing.md") is None
    assert index.get("_posts/missing.md", -1) == -1
    assert "_posts/missing.md" not in index
    assert 3 not in index


def test_posts_added_later_are_found_beside_those_it_was_built_with(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(path_index, "_FIRST_SIZE", 4)  # many posts for few slots at first
    table = PostTable([_post(n, path=f"a/{n}.md") for n in range(100)])
    index = PathIndex(table)
    assert len(index) * 3 <= len(index._rows) * 2  # at most two slots in three used
    for n in range(100, 200):
        table.append(_post(n, path=f"a/{n}.md"))
        index[f"a/{n}.md"] = n
    assert len(index) == 200
    assert all(index.get(f"a/{k}.md") == k for k in range(200))
    # A path added again (a post re-read after a change) gives its new number.
    table.append(_post(200, path="a/5.md"))
    index["a/5.md"] = 200
    assert index["a/5.md"] == 200


def test_a_path_held_twice_gives_its_last_post() -> None:
    table = PostTable([_post(0, path="x.md"), _post(1, path="y.md"), _post(2, path="x.md")])
    assert PathIndex(table).get("x.md") == {p.path: i for i, p in enumerate(table)}["x.md"] == 2


def test_paths_with_the_same_hash_are_told_apart(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Every path hashed alike: the index must compare the paths themselves.
    monkeypatch.setattr(path_index, "hash", lambda _s: 42, raising=False)
    table = PostTable([_post(n, path=f"b/{n}.md") for n in range(50)])
    index = PathIndex(table)
    assert [index.get(f"b/{n}.md") for n in range(50)] == list(range(50))
    assert index.get("b/50.md") is None


def test_rows_of_many_paths_at_once() -> None:
    table = PostTable([_post(n, path=f"c/{n}.md") for n in range(50)])
    index = PathIndex(table)
    table.append(_post(50, path="c/50.md"))
    index["c/50.md"] = 50
    wanted = [f"c/{n}.md" for n in (3, 17, 50)] + ["c/missing.md"]
    assert index.rows_of(wanted) == {3, 17, 50} == {index.get(p) for p in wanted} - {None}


def test_posts_added_as_a_batch_answer_as_added_one_by_one(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`extend` is `index[path] = row` for each added post: the same lookups, and `doubled`
    set exactly when a path comes again (within the batch, in an earlier batch, or among the
    posts the index was built with), also when every path shares one hash slot's chain."""
    import random

    monkeypatch.setattr(path_index, "_FIRST_SIZE", 4)
    for seed in range(8):
        rng = random.Random(seed)
        built = [_post(n, path=f"b/{rng.randint(0, 400)}.md") for n in range(rng.randint(0, 60))]
        one, batch = PostTable(built), PostTable(built)
        by_one, by_batch = PathIndex(one), PathIndex(batch)
        for _ in range(4):
            start = len(one)
            more = [_post(n, path=f"b/{rng.randint(0, 400)}.md") for n in range(rng.randint(0, 90))]
            for post in more:
                one.append(post)
                by_one[post.path] = len(one) - 1
            batch.extend(more)
            by_batch.extend(batch, start)
            assert by_batch.doubled == by_one.doubled
            assert len(by_batch) == len(by_one)
            for k in range(401):
                assert by_batch.get(f"b/{k}.md") == by_one.get(f"b/{k}.md")
    unique = PostTable([_post(n, path=f"c/{n}.md") for n in range(10)])
    index = PathIndex(unique)
    unique.extend([_post(n, path=f"c/{n}.md") for n in range(10, 20)])
    index.extend(unique, 10)
    assert not index.doubled
    unique.append(_post(20, path="c/3.md"))  # one of those it was built with
    index.extend(unique, 20)
    assert index.doubled and index["c/3.md"] == 20


def test_a_path_twice_in_one_batch_or_in_two_batches_is_seen() -> None:
    for batches in ([["d/1.md", "d/2.md", "d/1.md"]], [["d/1.md"], ["d/2.md"], ["d/1.md"]]):
        table = PostTable([_post(0, path="d/0.md")])
        index = PathIndex(table)  # 1,024 slots for one path: the others' first slots are empty
        for paths in batches:
            start = len(table)
            table.extend([_post(start + k, path=p) for k, p in enumerate(paths)])
            index.extend(table, start)
        assert index.doubled and index["d/1.md"] == len(table) - 1


def test_a_batch_added_costs_bytes_a_post_not_a_string() -> None:
    """A cold load adds every post in batches: kept as sorted hashes and numbers (12 bytes a
    post), not as a dict of path strings (about 150 bytes a post: 15 MB at 100,000)."""
    import tracemalloc

    table = PostTable([_post(n, path=f"_posts/2021-01-01-post-{n}.md") for n in range(20)])
    index = PathIndex(table)
    table.extend([_post(n, path=f"_posts/2021-01-01-post-{n}.md") for n in range(20, 20_020)])
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index.extend(table, 20)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert (after - before) / 20_000 < 40
    assert all(index.get(f"_posts/2021-01-01-post-{n}.md") == n for n in range(0, 20_020, 7))


def test_many_paths_looked_up_together_answer_as_one_at_a_time(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`rows_in_order` (numpy probes, then each hit's path compared) gives what `get` gives
    path by path: built, added in a batch, set one by one, given twice, missing, and with
    every path sharing one hash, each alone and together."""
    import itertools
    import random

    monkeypatch.setattr(path_index, "_FIRST_SIZE", 4)
    cases = itertools.product((False, True), repeat=4)  # same hash, twice, batch, set
    for seed, (same_hash, twice, batch, one_set) in enumerate(cases):
        rng = random.Random(seed)
        monkeypatch.setattr(path_index, "hash", (lambda _s: 42) if same_hash else hash, False)
        names = [rng.randint(0, 300) for _ in range(80)] if twice else rng.sample(range(300), 80)
        table = PostTable([_post(n, path=f"e/{k}.md") for n, k in enumerate(names)])
        index = PathIndex(table)
        assert index.doubled == twice
        if batch:
            start = len(table)
            table.extend([_post(n, path=f"e/{300 + n}.md") for n in range(40)])
            index.extend(table, start)
        if one_set:
            table.append(_post(0, path="e/set.md"))
            index["e/set.md"] = len(table) - 1
        asked = [f"e/{rng.randint(0, 360)}.md" for _ in range(200)] + ["e/set.md"]
        expected = [row for row in map(index.get, asked) if row is not None]
        assert index.rows_in_order(asked).tolist() == expected, (same_hash, twice, batch)
    assert PathIndex(PostTable()).rows_in_order([]).tolist() == []


def test_a_removed_posts_slot_is_passed_over_when_looked_up_together() -> None:
    from array import array

    table = PostTable([_post(n, path=f"f/{n}.md") for n in range(30)])
    index = PathIndex(table)
    kept = PostTable([p for n, p in enumerate(table) if n % 3])
    gone = path_index.REMOVED
    new = array("i", [gone if n % 3 == 0 else n - n // 3 - 1 for n in range(30)])

    def remap(numbers: array) -> array:  # type: ignore[type-arg]
        return array("i", [new[r] if r >= 0 else r for r in numbers])

    index.renumber(new, kept, remap)
    asked = [f"f/{n}.md" for n in range(30)]
    expected = [n - n // 3 - 1 for n in range(30) if n % 3]
    assert [index.get(p) for p in asked if index.get(p) is not None] == expected
    assert index.rows_in_order(asked).tolist() == expected


def test_the_build_pauses_between_steps_and_answers_the_same(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A background thread's build gives way every few paths (every 32,768 in the program).
    monkeypatch.setattr(path_index, "_PAUSE_EVERY", 7)
    posts = [_post(n, path=f"_posts/{n % 40}.md") for n in range(50)]  # 10 paths held twice
    table = PostTable(posts)
    pauses: list[int] = []
    for given in (None, table.paths()):
        pauses.clear()
        index = PathIndex(table, paths=given, pause=lambda: pauses.append(1))
        assert len(pauses) == 7  # between the 8 steps of 7 paths, not after the last
        assert len(index) == 40 and index.doubled
        assert all(
            index[p.path] == max(k for k, q in enumerate(posts) if q.path == p.path) for p in posts
        )


def test_a_lookup_survives_a_renumbering_and_more_posts_meanwhile(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Another thread (the related posts') looks a path up while the window's thread removes
    # posts (a new, shorter table) and then adds more: numbers past the end of the table the
    # lookup began with must not be read in it (this failed once in CI: IndexError).
    from datetime import UTC, datetime
    from pathlib import Path

    from reader.core.events import Added, Removed
    from reader.core.library import Library
    from reader.core.post import Post

    def post(n: int) -> Post:
        return Post(f"_posts/p{n}.md", f"p{n}", datetime(2021, 1, 1, tzinfo=UTC))

    lib = Library(Path("/nowhere"), posts=[post(n) for n in range(10)])
    index = lib.paths_index()
    lib.apply(Added([post(n) for n in range(10, 20)], []))  # a batch beside the hash table
    real_hash = hash
    raced: list[int] = []

    def racing_hash(text: str) -> int:  # the window's thread runs between two steps of `get`
        if not raced:
            raced.append(1)
            lib.apply(Removed([f"_posts/p{n}.md" for n in range(9)]))
            lib.apply(Added([post(n) for n in range(20, 60)], []))
        return real_hash(text)

    monkeypatch.setattr(path_index, "hash", racing_hash, raising=False)
    assert index.get("_posts/p45.md") in (None, *range(20))  # a post of the table it began with
    assert raced and index.get("_posts/p45.md") == lib.index_of("_posts/p45.md") == 36

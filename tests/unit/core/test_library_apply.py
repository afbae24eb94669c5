"""Library.apply: the one way load and refresh events change a library. A library grown in
place, event by event, answers every query exactly as one built from the final posts."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reader.core import (
    Added,
    FolderChanges,
    Library,
    Problem,
    Progress,
    Query,
    Removed,
    SiteConfig,
    Snapshot,
    SortKey,
    prepare,
)
from reader.core.post import Post

CATS = ("tech", "life", "旅行", "news")
TAGS = ("py", "qt", "标签", "x")


def _posts(rng: random.Random, start: int, n: int) -> list[Post]:
    out = []
    for k in range(start, start + n):
        # Few distinct dates, so ties (same date, different path) are common.
        date = (
            None
            if rng.random() < 0.1
            else datetime(2021, rng.randint(1, 3), rng.randint(1, 3), tzinfo=UTC)
        )
        cats = tuple(rng.sample(CATS, rng.randint(0, 2)))
        tags = tuple(rng.sample(TAGS, rng.randint(0, 2)))
        path = f"_posts/{rng.randint(0, 10**6):07d}-{k}.md"
        out.append(
            Post(
                path,
                f"T{rng.randint(0, 50)}",
                date,
                cats,
                tags,
                slug=f"s{k}",
                draft=rng.random() < 0.1,
            )
        )
    return out


QUERIES = [
    Query(),
    Query(descending=False),
    Query(sort=SortKey.TITLE, descending=False),
    Query(sort=SortKey.CATEGORY, descending=False),
    Query(categories=("tech",)),
    Query(categories=("tech",), tags=("py",), sort=SortKey.TITLE),
    Query(year=2021, month=2),
    Query(drafts_only=True),
    Query(text="t1"),
    Query(since=date(2021, 2, 1), until=date(2021, 2, 2)),
    Query(categories=("life",), since=date(2021, 3, 2)),
]


def _answers(lib: Library) -> list[list[str]]:
    result = [[lib.posts[i].path for i in lib.query(q)] for q in QUERIES]
    result.append([f"{c}:{n}" for c, n in lib.category_counts()])
    result.append([f"{t}:{n}" for t, n in lib.tag_counts()])
    result.append([str(x) for x in lib.archive_counts()])
    return result


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("columns", [False, True])
def test_growing_in_place_answers_like_a_fresh_build(
    seed: int, columns: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post at a time, and a column at a time (`index_columns.grow`, a cold load's batches)."""
    import reader.core.index_grow as index_grow

    monkeypatch.setattr(index_grow, "COLUMNS_FROM", 0 if columns else 10**9)
    rng = random.Random(seed)
    site = SiteConfig(is_site=True, url="https://x.org")
    lib = Library(Path("/x"))
    first = _posts(rng, 0, 40)
    lib.apply(prepare(Snapshot(site, first, [], from_cache=True)))
    everything = list(first)
    _answers(lib)  # builds every order, which the next batches must keep right
    for batch in range(5):
        more = _posts(rng, 1000 * (batch + 1), rng.randint(1, 30))
        lib.apply(Added(more, []))
        everything += more
        if batch % 2:
            _answers(lib)  # query between batches, as the window does
    lib.apply(Progress(5, 5))
    fresh = Library(Path("/x"), site, everything)
    assert lib.site == site
    assert _answers(lib) == _answers(fresh)


def test_removals_and_refresh_changes() -> None:
    rng = random.Random(7)
    posts = _posts(rng, 0, 30)
    lib = Library(Path("/x"))
    lib.apply(Snapshot(SiteConfig(), posts, [Problem("bad.md", "broken")], from_cache=False))
    _answers(lib)
    gone = [posts[3].path, posts[10].path, "bad.md"]
    lib.apply(Removed(gone))
    assert lib.problems == []
    new = _posts(rng, 500, 5)
    lib.apply(FolderChanges(posts=new, removed=[posts[0].path]))
    expected = [p for p in posts if p.path not in {*gone, posts[0].path}] + new
    assert _answers(lib) == _answers(Library(Path("/x"), posts=expected))


def test_version_counts_changes_not_progress() -> None:
    lib = Library(Path("/x"))
    lib.apply(Snapshot(SiteConfig(), [], [], from_cache=False))
    v = lib.version
    lib.apply(Progress(1, 2))
    assert lib.version == v
    lib.apply(Added(_posts(random.Random(1), 0, 2), []))
    assert lib.version == v + 1


def test_prepare_builds_a_snapshots_indexes_and_leaves_other_events() -> None:
    posts = _posts(random.Random(3), 0, 10)
    snap = Snapshot(SiteConfig(), posts, [], from_cache=True)
    ready = prepare(snap)
    assert isinstance(ready, Snapshot) and ready.indexes is not None and snap.indexes is None
    added = Added(posts, [])
    assert prepare(added) is added


@pytest.mark.parametrize("looked_up_first", [False, True])
def test_lookups_by_path_are_made_on_first_use_and_follow_additions_and_removals(
    looked_up_first: bool,
) -> None:
    """`prepare` leaves the path index out (0.15 s at 100,000 posts, before the list shows);
    made after posts were added, or before and kept up to date, it answers the same."""
    rng = random.Random(5)
    first = _posts(rng, 0, 30)
    ready = prepare(Snapshot(SiteConfig(), first, [], from_cache=True))
    assert isinstance(ready, Snapshot)
    assert ready.indexes is not None and ready.indexes.built_paths is None  # type: ignore[attr-defined]
    lib = Library(Path("/x"))
    lib.apply(ready)
    if looked_up_first:
        assert lib.index_of(first[3].path) == 3
    more = _posts(rng, 100, 10)
    lib.apply(Added(more, []))
    everything = first + more
    assert [lib.index_of(p.path) for p in everything] == list(range(40))
    assert lib.index_of("_posts/none.md") is None
    gone = {first[0].path, more[2].path}
    lib.apply(Removed(sorted(gone)))
    kept = [p.path for p in everything if p.path not in gone]
    assert [lib.index_of(p) for p in kept] == list(range(38))
    assert all(lib.index_of(p) is None for p in gone)
    assert [lib.posts[i].path for i in range(38)] == kept


def test_orders_built_from_a_snapshot_are_adopted_only_when_nothing_changed() -> None:
    """`order_snapshot` on the owner's thread, `build` on any, `adopt_orders` back on the
    owner: the orders equal those built on first use, and a library changed meanwhile keeps
    building its own."""
    rng = random.Random(11)
    everything = _posts(rng, 0, 80)
    lib = Library(Path("/x"), posts=everything)
    lib.query()
    snapshot = lib.order_snapshot()
    assert set(snapshot.missing) == {SortKey.TITLE, SortKey.CATEGORY}
    snapshot.build()
    assert lib.adopt_orders(snapshot)
    assert lib.order_snapshot().missing == ()
    fresh = Library(Path("/x"), posts=list(everything))
    assert _answers(lib) == _answers(fresh)

    stale = lib.order_snapshot()  # nothing missing now: building it does nothing
    stale.build()
    assert stale.orders == {}
    lib.apply(Added(_posts(rng, 5000, 5), []))
    changed = lib.order_snapshot()
    lib.apply(Added(_posts(rng, 6000, 5), []))
    changed.build()
    assert not lib.adopt_orders(changed)  # built for the library before the second batch
    assert _answers(lib) == _answers(Library(Path("/x"), posts=[*lib.posts]))


def test_a_cancelled_order_build_stops_and_leaves_nothing_to_adopt() -> None:
    lib = Library(Path("/x"), posts=_posts(random.Random(2), 0, 50))
    lib.query()
    snapshot = lib.order_snapshot()
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # the first question is answered "go on", then "stop"

    snapshot.build(cancelled)
    assert snapshot.orders == {} and len(asked) == 2
    assert lib.adopt_orders(snapshot)  # nothing built: the library still builds its own
    assert set(lib.order_snapshot().missing) == {SortKey.TITLE, SortKey.CATEGORY}


@pytest.mark.parametrize("prepared", [False, True])
def test_saved_orders_are_never_taken_for_a_library_changed_since_its_snapshot(
    prepared: bool,
) -> None:
    """A warm reopen with one modified file: the cached Snapshot carries the orders saved for
    its posts, then `Removed` and `Added` give back as many posts in another order. Orders
    built later must be the library's own, not the saved ones of the same length."""
    import dataclasses

    rng = random.Random(3)
    posts = _posts(rng, 0, 40)
    saved_for = Library(Path("/x"), posts=list(posts))
    saved_for.warm_orders()
    orders = {k: saved_for.query(Query(sort=k, descending=False)) for k in SortKey}
    snap = Snapshot(SiteConfig(), posts, [], from_cache=True, orders=orders)
    lib = Library(Path("/x"))
    lib.apply(prepare(snap) if prepared else snap)
    modified = dataclasses.replace(posts[3], title="AAA first now", path=posts[3].path)
    lib.apply(Removed([posts[3].path]))
    lib.apply(Added([modified], []))
    fresh = Library(Path("/x"), posts=list(lib.posts))
    assert _answers(lib) == _answers(fresh)


@pytest.mark.parametrize("twice", [False, True])
def test_removed_posts_leave_the_others_in_order_with_their_indexes(twice: bool) -> None:
    """A removal drops rows by their numbers (from the path index) without building a post;
    a path the library holds twice goes with both of its posts."""
    when = datetime(2021, 1, 1, tzinfo=UTC)
    posts = [Post(f"p{k}.md", f"T{k}", when, categories=(f"c{k % 3}",)) for k in range(30)]
    if twice:
        posts.append(Post("p4.md", "again", when))
    lib = Library(Path("."), posts=posts)
    lib.warm()
    lib.apply(Removed(["p4.md", "p7.md", "nowhere.md"]))
    kept = [p for p in posts if p.path not in ("p4.md", "p7.md")]
    assert list(lib.posts) == kept
    assert lib.post_at("p5.md") == kept[4] and lib.post_at("p4.md") is None
    assert [lib.posts[i].path for i in lib.query(Query(categories=("c1",)))] == sorted(
        (p.path for p in kept if p.categories == ("c1",)), reverse=True
    )


@pytest.mark.parametrize("seed", range(6))
def test_indexes_renumbered_after_a_removal_answer_as_indexes_built_anew(seed: int) -> None:
    """A removal renumbers the indexes in place (`index_shrink`): every count, lookup, filter
    and order then answers as a library built from the posts that are left."""
    rng = random.Random(seed)
    days = [None, *(datetime(2020 + rng.randint(0, 3), rng.randint(1, 12), 1, tzinfo=UTC)
                    for _ in range(12))]  # fmt: skip
    posts = [
        Post(
            f"_posts/p{k:03d}.md",
            rng.choice(["alpha", "Beta", "中文标题", "gamma", "δέλτα"]) + f" {k % 7}",
            rng.choice(days),
            categories=tuple(rng.sample(["a", "b", "c", "d"], rng.randint(0, 2))),
            tags=tuple(rng.sample(["x", "y", "z"], rng.randint(0, 2))),
            draft=rng.random() < 0.1,
        )
        for k in range(rng.randint(20, 120))
    ]
    lib = Library(Path("."), posts=posts)
    lib.warm_orders()
    removed: set[str] = set()

    def agree() -> None:
        fresh = Library(Path("."), posts=posts)
        assert list(lib.posts) == posts
        for name in ("category_counts", "tag_counts", "archive_counts", "year_counts"):
            assert getattr(lib, name)() == getattr(fresh, name)(), name
        assert lib.draft_count() == fresh.draft_count()
        assert len(lib.paths_index()) == len(posts)
        for p in [*posts[:20], *(Post(path, "", None) for path in sorted(removed)[:20])]:
            assert lib.index_of(p.path) == fresh.index_of(p.path)
        queries = [Query(categories=("a",)), Query(tags=("y",)), Query(year=2021)]
        queries += [Query(drafts_only=True), Query(text="beta")]
        for key in SortKey:
            for descending in (True, False):
                queries.append(Query(sort=key, descending=descending))
        for q in queries:
            assert list(lib.query(q)) == list(fresh.query(q)), q

    for turn in range(3):  # removals in turn, posts added between them
        gone = {p.path for p in rng.sample(list(lib.posts), rng.randint(1, max(1, len(lib) // 4)))}
        removed |= gone
        lib.apply(Removed(sorted(gone)))
        posts = [p for p in posts if p.path not in gone]
        agree()  # every order renumbered, none built again yet
        added = [Post(f"_posts/new{turn}-{k}.md", f"new {k}", rng.choice(days)) for k in range(3)]
        lib.apply(Added(added, []))
        posts = [*posts, *added]
        agree()

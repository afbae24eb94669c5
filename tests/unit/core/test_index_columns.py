"""The indexes made a whole column at a time are exactly what one loop over the posts makes:
the same days, months, categories, tags and drafts, the same numbers in the same order, and
the same order of keys."""

from __future__ import annotations

import random
from array import array
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.core import Library, Query, SortKey
from reader.core.events import Added
from reader.core.index_columns import by_month, by_name, days_of, drafts_of, in_order
from reader.core.months import month_of
from reader.core.post import Post
from reader.core.table import PostTable

ZONES = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)), None]


def _table(seed: int, n: int) -> PostTable:
    rng = random.Random(seed)
    posts = []
    for k in range(n):
        zone = rng.choice(ZONES)
        when = None
        if rng.random() > 0.15:
            when = datetime(
                rng.randint(1969, 2024),
                rng.randint(1, 12),
                rng.randint(1, 28),
                rng.randint(0, 23),
                rng.randint(0, 59),
                tzinfo=zone,
            )
        cats = tuple(rng.choice(["新闻", "tech", "life", "a b"]) for _ in range(rng.randint(0, 3)))
        tags = tuple(rng.sample(["py", "qt", "标签"], rng.randint(0, 2)))
        posts.append(Post(f"_posts/p{k}.md", f"T{k}", when, cats, tags, draft=rng.random() < 0.1))
    return PostTable(posts)


def _loops(table: PostTable) -> tuple[object, ...]:
    """The indexes as the library made them before, one post at a time."""
    days = table.days()
    months: dict[tuple[int, int], list[int]] = {}
    for i, day in enumerate(days):
        if day:
            months.setdefault(month_of(day), []).append(i)
    merged = []
    for names_of in (table.categories, table.tags):
        names: dict[str, list[int]] = {}
        for i in range(len(table)):
            for name in names_of(i):
                names.setdefault(name, []).append(i)
        merged.append(names)
    return days.tolist(), months, merged[0], merged[1], table.drafts()


@pytest.mark.parametrize(("seed", "n"), [(0, 0), (1, 1), (2, 7), (3, 500), (4, 3000)])
def test_whole_columns_give_what_a_loop_over_the_posts_gives(seed: int, n: int) -> None:
    table = _table(seed, n)
    days, months, cats, tags, drafts = _loops(table)
    made_days, np_days = days_of(table)
    assert made_days.tolist() == days and made_days.typecode == "i"
    made_months = by_month(np_days)
    assert list(made_months) == list(months)  # the same keys, in the same order
    assert {k: v.tolist() for k, v in made_months.items()} == months
    made_cats, made_tags = by_name(table)
    assert list(made_cats) == list(cats) and list(made_tags) == list(tags)
    assert {k: v.tolist() for k, v in made_cats.items()} == cats
    assert {k: v.tolist() for k, v in made_tags.items()} == tags
    assert drafts_of(table) == drafts
    order = array("i", random.Random(seed).sample(range(n), n))
    stamps = table.stamps()
    assert in_order(stamps, order).tolist() == [stamps[i] for i in order]


def test_keys_spread_far_apart_give_the_same_as_close_ones() -> None:
    """Days spanning thousands of years (more than a table of the span would hold) and month
    numbers spanning more than 16 bits are sorted the general way, with the same result."""
    rng = random.Random(5)
    posts = [
        Post(
            f"_posts/far{k}.md",
            f"F{k}",
            datetime(rng.choice([1, 2, 500, 1999, 2024, 9999]), rng.randint(1, 12), 1, tzinfo=UTC),
            (f"c{k % 7}",),
            (),
        )
        for k in range(400)
    ]
    table = PostTable(posts)
    days, months, cats, _tags, _drafts = _loops(table)
    made_days, np_days = days_of(table)
    assert made_days.tolist() == days
    made_months = by_month(np_days)
    assert list(made_months) == list(months)
    assert {k: v.tolist() for k, v in made_months.items()} == months
    assert {k: v.tolist() for k, v in by_name(table)[0].items()} == cats


def test_the_columns_can_still_grow_after_the_indexes_are_made() -> None:
    table = _table(9, 50)
    lib = Library(Path("/x"), posts=table)
    assert lib.query(Query(categories=("tech",)))
    lib.posts.extend(_table(10, 5))  # a view of a live column would make this a BufferError
    assert len(lib.posts) == 55
    assert lib.query(Query(sort=SortKey.DATE))


def test_an_empty_library_imports_no_numpy() -> None:
    """A folder's first library is empty, and the window asks for its counts at once, on its
    own thread: numpy (80 ms after Qt's import hook) is not imported for that."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from reader.core import Library; "
        "lib = Library(Path('/x')); lib.category_counts(); lib.query(); "
        "print(sorted(m for m in ('numpy', 'reader.core.index_columns') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _tied_posts(rng: random.Random, start: int, n: int) -> list[Post]:
    """Few distinct stamps (ties with earlier posts and among the added ones), paths in no
    order, some undated."""
    posts = []
    for k in range(start, start + n):
        when = None
        if rng.random() > 0.1:
            when = datetime(2021, 1, rng.randint(1, 4), rng.choice([0, 12]), tzinfo=UTC)
        cats = tuple(rng.sample(["新闻", f"b{start}-{k % 3}", f"c{k % 7}"], rng.randint(0, 2)))
        tags = tuple(rng.sample(["py", "qt", f"t{k % 5}"], rng.randint(0, 2)))
        path = f"_posts/{rng.randint(0, 99):02d}-{k}.md"
        posts.append(Post(path, f"T{k}", when, cats, tags, draft=rng.random() < 0.1))
    return posts


def _state(lib: Library) -> tuple[object, ...]:
    idx = lib._indexes
    return (
        [(k, v.tolist()) for k, v in idx.by_category.items()],  # keys in order, too
        [(k, v.tolist()) for k, v in idx.by_tag.items()],
        [(k, list(v)) for k, v in idx.by_month.items()],
        idx.days.tolist(),
        list(idx.drafts),
        idx.stamps.tolist(),
        idx.orders[SortKey.DATE].tolist(),
        idx.date_stamps.tolist(),
        [idx.by_path.get(p.path) for p in lib.posts],
    )


@pytest.mark.parametrize("seed", range(5))
def test_a_batch_grown_a_column_at_a_time_is_what_the_loop_grows(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`index_columns.grow` and `index_grow._grow` leave the same indexes, batch after batch
    (the date order's ties placed by path, keys new to a lookup in the order of their first
    post), and both are what a library built at once from every post has."""
    import reader.core.index_grow as index_grow

    rng = random.Random(seed)
    first = _tied_posts(rng, 0, rng.randint(0, 300))
    batches = [_tied_posts(rng, 1000 * (b + 1), rng.randint(1, 400)) for b in range(4)]
    states = []
    for columns_from in (10**9, 0):  # the loop, then numpy for every batch
        monkeypatch.setattr(index_grow, "COLUMNS_FROM", columns_from)
        lib = Library(Path("/x"), posts=first)
        lib.category_counts()  # indexes built, then grown
        for batch in batches:
            lib.apply(Added(batch, []))
        states.append(_state(lib))
        # Arrays, as a warm load makes them (a list of ints: 36 bytes a post, not 4).
        idx = lib._indexes
        assert all(type(v) is array for v in idx.by_month.values()) and idx.by_month
    assert states[0] == states[1]
    fresh = Library(Path("/x"), posts=first + [p for b in batches for p in b])
    assert _state(fresh)[6:8] == states[1][6:8]  # the date order and its stamps
    assert sorted(_state(fresh)[0]) == sorted(states[1][0])


@pytest.mark.parametrize("columns_from", [10**9, 0])
def test_months_new_to_a_grown_library_are_arrays(
    columns_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A month first seen in a batch gets an array of post numbers, as a warm load makes
    them (a list of ints costs 36 bytes a post, not 4), by the loop and by numpy alike."""
    import reader.core.index_grow as index_grow

    monkeypatch.setattr(index_grow, "COLUMNS_FROM", columns_from)
    lib = Library(Path("/x"), posts=[Post("_posts/a.md", "A", datetime(2021, 1, 5, tzinfo=UTC))])
    lib.category_counts()
    lib.apply(
        Added(
            [Post(f"_posts/b{k}.md", "B", datetime(2021, 2, 5, tzinfo=UTC)) for k in range(3)], []
        )
    )
    months = lib._indexes.by_month
    assert {k: (type(v), list(v)) for k, v in months.items()} == {
        (2021, 1): (array, [0]),
        (2021, 2): (array, [1, 2, 3]),
    }

"""PostTable: posts kept as columns give back the posts they were given, field for field."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from reader.core import Post, PostFormat, PostTable
from reader.core.table import NO_DATE
from reader.core.table_rows import kept_bytes

NY = ZoneInfo("America/New_York")
SH = ZoneInfo("Asia/Shanghai")


class _UnhashableZone(tzinfo):
    __hash__ = None  # type: ignore[assignment]

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=3)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


def _post(n: int, **fields: object) -> Post:
    values: dict[str, object] = {
        "path": f"_posts/2021-07-0{n % 9 + 1}-story-{n}.md",
        "title": f"Story {n}",
        "date": datetime(2021, 7, n % 9 + 1, 8, 30, tzinfo=SH),
        "categories": ("news",),
        "tags": ("a", "b"),
        "slug": f"story-{n}",
    }
    values.update(fields)
    return Post(**values)  # type: ignore[arg-type]


ODD_POSTS = [
    _post(0),
    # Chinese path and title; a slug that is not part of the path; no slug.
    _post(1, path="_posts/2021-07-02-监管新规.md", title="监管新规出台", slug="jian-guan"),
    _post(2, slug=""),
    # A file name that is not UTF-8 (os.fsdecode gives lone surrogates).
    _post(3, path="_posts/2021-07-03-caf\udce9.md", slug="caf\udce9"),
    # Naive, UTC, a fixed offset, undated, before 1970.
    _post(4, date=datetime(2021, 7, 4, 10, 0)),
    _post(5, date=datetime(2021, 7, 5, 10, 0, 0, 123456, tzinfo=UTC)),
    _post(6, date=datetime(2021, 7, 6, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))),
    _post(7, date=None),
    _post(8, date=datetime(1901, 1, 1, tzinfo=NY)),
    # The second 01:30 of a night the clocks go back (fold 1), and 02:30 of a night they
    # skip: both wall times kept as written, not moved by a round trip through UTC.
    _post(9, date=datetime(2021, 11, 7, 1, 30, fold=1, tzinfo=NY)),
    _post(10, date=datetime(2021, 3, 14, 2, 30, tzinfo=NY)),
    # A zone object that cannot be a dictionary key.
    _post(11, date=datetime(2021, 7, 1, tzinfo=_UnhashableZone())),
    # Every other field.
    _post(
        12,
        categories=(),
        tags=(),
        format=PostFormat.HTML,
        draft=True,
        published=False,
        warnings=("date: not a date",),
        excerpt="<p>First</p>",
        size=2**40,
        mtime_ns=1_796_470_014_273_608_299,
        permalink="/a/b/",
    ),
    _post(13, format=PostFormat.TEXT, title="", path="_posts/2021-07-05-x.txt"),
]


def _same(a: Post, b: Post) -> bool:
    # Equality ignores the excerpt, and aware dates of one zone compare by wall time only.
    return (
        a == b
        and a.excerpt == b.excerpt
        and repr(a.date) == repr(b.date)
        and (a.date is None or a.date.fold == b.date.fold)  # type: ignore[union-attr]
    )


def test_every_kind_of_field_comes_back_as_it_was_given() -> None:
    table = PostTable(ODD_POSTS)
    assert len(table) == len(ODD_POSTS)
    for given, back in zip(ODD_POSTS, table, strict=True):
        assert _same(given, back), (given, back)
        assert type(back) is Post
    assert table == ODD_POSTS
    assert ODD_POSTS == table  # noqa: SIM300 - a list compared with a table
    assert table[-1] == ODD_POSTS[-1]
    assert table[2:5] == ODD_POSTS[2:5]
    with pytest.raises(IndexError):
        table[len(ODD_POSTS)]
    with pytest.raises(IndexError):
        table[-len(ODD_POSTS) - 1]
    with pytest.raises(AttributeError):
        table[0].title = "changed"  # type: ignore[misc]


def test_columns_agree_with_the_posts() -> None:
    table = PostTable(ODD_POSTS)
    stamps, days = table.stamps(), table.days()
    for i, post in enumerate(ODD_POSTS):
        assert table.path(i) == post.path
        assert table.title(i) == post.title
        assert table.slug(i) == post.slug
        assert table.categories(i) == post.categories
        assert table.tags(i) == post.tags
        assert table.file_key(i) == (post.path, post.size, post.mtime_ns)
        if post.date is None:
            assert stamps[i] == NO_DATE
            assert days[i] == table.day(i) == 0
        else:
            assert stamps[i] == table.stamp(i) == post.date.timestamp()
            assert days[i] == table.day(i) == post.date.toordinal()
    assert table.paths() == [p.path for p in ODD_POSTS]
    assert table.titles() == [p.title for p in ODD_POSTS]
    assert table.drafts() == [i for i, p in enumerate(ODD_POSTS) if p.draft]


def test_a_snapshot_keeps_its_rows_while_the_table_grows() -> None:
    table = PostTable(ODD_POSTS[:5])
    view = table.snapshot()
    table.extend(ODD_POSTS[5:])
    assert len(view) == 5 and list(view) == ODD_POSTS[:5]
    assert len(table) == len(ODD_POSTS)
    with pytest.raises(TypeError):
        view.append(ODD_POSTS[0])
    # A table made without some posts is a new one: the old and its snapshots are unchanged.
    from reader.core.table_rows import without_rows

    smaller = without_rows(table, {1, 7})
    assert list(smaller) == [p for i, p in enumerate(ODD_POSTS) if i not in (1, 7)]
    assert table == ODD_POSTS


def test_a_table_added_to_another_is_copied_column_by_column() -> None:
    # Different tuples, zones and excerpts in each: numbers of one table mean other things
    # in the other.
    first = PostTable([_post(20, categories=("x",), date=datetime(2020, 1, 1, tzinfo=NY))])
    second = PostTable(ODD_POSTS)
    first.extend(second)
    assert first == [_post(20, categories=("x",), date=datetime(2020, 1, 1, tzinfo=NY)), *ODD_POSTS]
    for given, back in zip(ODD_POSTS, first[1:], strict=True):
        assert _same(given, back)
    # Only the rows of a snapshot are taken, not those the table got after it.
    grown = PostTable(ODD_POSTS[:3])
    view = grown.snapshot()
    grown.extend(ODD_POSTS[3:])
    copy = PostTable()
    copy.extend(view)
    assert copy == ODD_POSTS[:3]
    assert (view + ODD_POSTS[3:4]) == ODD_POSTS[:4]
    assert (ODD_POSTS[:1] + view) == ODD_POSTS[:1] + ODD_POSTS[:3]


def test_more_zones_than_a_byte_numbers_are_kept_whole() -> None:
    posts = [
        _post(n, date=datetime(2021, 1, 1, tzinfo=timezone(timedelta(minutes=n))))
        for n in range(300)
    ]
    table = PostTable(posts)
    assert table == posts
    assert all(a.date.utcoffset() == b.date.utcoffset() for a, b in zip(posts, table, strict=True))  # type: ignore[union-attr]
    again = PostTable(posts[:10])
    again.extend(table)
    assert again == posts[:10] + posts


def test_a_post_costs_a_fraction_of_its_object() -> None:
    posts = [
        _post(
            n,
            path=f"_posts/2021-07-03-2021070300000{n:05d}.md",
            title="武汉投资者表示绿色低碳行动" + str(n),
            slug=f"2021070300000{n:05d}",
            date=datetime(2021, 7, 3, 0, 37, n % 60, tzinfo=SH),
            size=4886 + n,
            mtime_ns=1_796_470_014_273_608_299 + n,
        )
        for n in range(2000)
    ]
    as_objects = sum(
        sys.getsizeof(p) + sys.getsizeof(p.path) + sys.getsizeof(p.title)
        + sys.getsizeof(p.slug) + sys.getsizeof(p.date) + sys.getsizeof(p.size)
        + sys.getsizeof(p.mtime_ns) + 8
        for p in posts
    )  # fmt: skip
    table = PostTable(posts)
    assert as_objects / len(posts) > 450
    assert kept_bytes(table) / len(posts) < 160


def test_some_rows_of_a_table_are_built_only_when_asked_for() -> None:
    from reader.core.table_rows import TableRows

    table = PostTable(ODD_POSTS)
    rows = TableRows(table, [7, 0, 3])
    assert len(rows) == 3
    assert rows[0] == ODD_POSTS[7] and rows[-1] == ODD_POSTS[3]
    assert rows[1:] == [ODD_POSTS[0], ODD_POSTS[3]]
    assert rows.paths() == [ODD_POSTS[k].path for k in (7, 0, 3)]
    undated = -1e300
    assert rows.stamps(undated) == [
        undated,
        ODD_POSTS[0].date.timestamp(),
        ODD_POSTS[3].date.timestamp(),
    ]  # type: ignore[union-attr]
    assert list(rows.reordered([2, 0])) == [ODD_POSTS[3], ODD_POSTS[7]]


def test_posts_by_path_builds_a_post_when_asked_for() -> None:
    from reader.core.table_rows import PostsByPath, TableRows

    table = PostTable(ODD_POSTS)
    by_path = PostsByPath(TableRows(table, [5, 1]))
    assert len(by_path) == 2
    assert list(by_path) == [ODD_POSTS[5].path, ODD_POSTS[1].path]
    assert by_path[ODD_POSTS[1].path] == ODD_POSTS[1]
    assert ODD_POSTS[5].path in by_path and ODD_POSTS[0].path not in by_path
    assert dict(by_path.items()) == {p.path: p for p in (ODD_POSTS[5], ODD_POSTS[1])}
    post = ODD_POSTS[5]
    assert by_path.complete
    assert by_path.file_stats(post.path) == (post.path, post.date, post.size, post.mtime_ns)
    assert by_path.file_stats(ODD_POSTS[0].path) is None


def test_posts_by_path_stops_between_steps_when_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core import table_rows
    from reader.core.table_rows import PostsByPath, TableRows

    monkeypatch.setattr(table_rows, "_STEP", 3)
    table = PostTable(ODD_POSTS)
    rows = TableRows(table, range(len(ODD_POSTS)))
    asked = iter([False, True])
    by_path = PostsByPath(rows, cancelled=lambda: next(asked))
    assert not by_path.complete and list(by_path) == [p.path for p in ODD_POSTS[:6]]
    whole = PostsByPath(rows, cancelled=lambda: False)
    assert whole.complete and len(whole) == len({p.path for p in ODD_POSTS})


@pytest.mark.parametrize(
    "drop",
    [set(), {0}, {len(ODD_POSTS) - 1}, {3, 4, 11}, set(range(0, len(ODD_POSTS), 2)),
     set(range(len(ODD_POSTS)))],
)  # fmt: skip
def test_a_table_without_some_rows_is_copied_column_by_column(drop: set[int]) -> None:
    """Dropping rows copies the columns between them: every kind of field (odd and unhashable
    zones, folds, excerpts, permalinks) comes back for the rows kept, renumbered."""
    from reader.core.table_rows import without_rows

    table = PostTable(ODD_POSTS)
    kept = [p for i, p in enumerate(ODD_POSTS) if i not in drop]
    out = without_rows(table, drop | {-1, 10**6})  # numbers outside the table: ignored
    assert out == kept
    assert [p.date for p in out] == [p.date for p in kept]
    assert [(p.date.fold if p.date else None) for p in out] == [
        (p.date.fold if p.date else None) for p in kept
    ]
    assert without_rows(out, []) == kept and without_rows(table, range(len(table))) == []
    out.append(ODD_POSTS[0])  # it grows as any table
    assert out[-1] == ODD_POSTS[0] and len(out) == len(kept) + 1
    assert table == ODD_POSTS  # the table it came from is as it was


def test_rows_dropped_from_a_snapshot_leave_out_what_came_after_it() -> None:
    from reader.core.table_rows import without_rows

    table = PostTable(ODD_POSTS[:5])
    view = table.snapshot()
    table.extend(ODD_POSTS[5:])
    assert without_rows(view, {1}) == [ODD_POSTS[i] for i in (0, 2, 3, 4)]


def test_a_path_index_says_when_a_path_was_given_twice() -> None:
    from reader.core.path_index import PathIndex

    once = PathIndex(PostTable(ODD_POSTS))
    assert not once.doubled
    once[ODD_POSTS[2].path] = 99
    assert once.doubled
    assert PathIndex(PostTable([*ODD_POSTS, ODD_POSTS[0]])).doubled


def test_label_pairs_counted_a_slice_at_a_time_are_the_pairs_of_every_post(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counted 65,536 posts at a time (by numpy, in short calls): the same counts as the
    posts' own (categories, tags), whatever the slices' edges, and again once it has grown."""
    from collections import Counter

    from reader.core import table as table_module

    labels = [(("a",), ("x",)), (("a", "b"), ()), ((), ("x", "y")), (("b",), ("x",))]
    posts = [
        Post(f"_posts/p{n}.md", f"T{n}", None, *labels[(n * 7) % 4 if n % 5 else 0])
        for n in range(101)
    ]
    expected = Counter((p.categories, p.tags) for p in posts)
    for step in (1, 7, 100, 101, 65_536):
        monkeypatch.setattr(table_module, "_PAIRS_STEP", step)
        assert PostTable(posts).label_pairs() == dict(expected), step
    table = PostTable(posts)
    table.label_pairs()
    table.append(Post("_posts/later.md", "Later", None, ("c",), ("x",)))  # no view left behind
    assert table.label_pairs() == {**expected, (("c",), ("x",)): 1}


def test_table_rows_of_a_long_range_hold_its_numbers() -> None:
    from reader.core.table_rows import TableRows

    table = PostTable(ODD_POSTS)
    rows = TableRows(table, range(3, 200_003))  # made by numpy, as array("i", range) would
    assert len(rows) == 200_000 and rows._rows.typecode == "i"
    assert rows._rows[:2].tolist() == [3, 4] and rows._rows[-1] == 200_002
    assert list(TableRows(table, range(1, 7, 2))) == [ODD_POSTS[1], ODD_POSTS[3], ODD_POSTS[5]]

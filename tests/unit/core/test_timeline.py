"""The timeline: counts per day, ISO week and month in the posts' own zone, the bucket size the
span chooses, gaps filled, undated posts apart, and a range filter that agrees with the counts
exactly (checked against the library's own month counts and against random ranges)."""

from __future__ import annotations

import random
from array import array
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import Added, InputError, Library, Query
from reader.core.post import Post
from reader.core.timeline import (
    DayIndex,
    Period,
    build_timeline,
    count_days,
    day_numbers,
    in_range,
    parse_day,
    period_for_span,
    since_until,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _post(n: int, when: datetime | None, cats: tuple[str, ...] = ()) -> Post:
    return Post(f"_posts/p{n:05d}.md", f"post {n}", when, cats)


def _at(y: int, m: int, d: int, hour: int = 12) -> datetime:
    return datetime(y, m, d, hour, tzinfo=SHANGHAI)


def _library(posts: list[Post]) -> Library:
    return Library(Path("/nowhere"), posts=posts)


def test_a_post_counts_on_the_day_its_zone_shows_not_the_utc_day() -> None:
    # 01:00 in Shanghai on the 8th is 17:00 UTC on the 7th.
    posts = [_post(0, _at(2021, 12, 8, hour=1)), _post(1, _at(2021, 12, 9, hour=23))]
    tl = build_timeline(day_numbers(posts), range(2), "day")
    assert [(b.start, b.count) for b in tl.buckets] == [
        (date(2021, 12, 8), 1),
        (date(2021, 12, 9), 1),
    ]
    assert posts[0].date is not None
    assert posts[0].date.astimezone(ZoneInfo("UTC")).day == 7


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, Period.DAY), (92, Period.DAY), (93, Period.WEEK), (732, Period.WEEK), (733, Period.MONTH)],
)
def test_the_span_chooses_the_bucket_size(days: int, expected: Period) -> None:
    first = date(2020, 1, 1)
    assert period_for_span(first, first + timedelta(days=days)) is expected
    posts = [_post(0, _at(2020, 1, 1)), _post(1, _at(2020, 1, 1) + timedelta(days=days))]
    assert build_timeline(day_numbers(posts), range(2)).period is expected


def test_empty_buckets_fill_the_gaps_and_undated_posts_are_counted_apart() -> None:
    posts = [
        _post(0, _at(2021, 1, 5)),
        _post(1, _at(2021, 1, 5)),
        _post(2, None),
        _post(3, _at(2021, 4, 20)),
    ]
    tl = build_timeline(day_numbers(posts), range(4), "month")
    assert [(b.label, b.count) for b in tl.buckets] == [
        ("2021-01", 2),
        ("2021-02", 0),
        ("2021-03", 0),
        ("2021-04", 1),
    ]
    assert (tl.undated, tl.dated, tl.total, tl.peak) == (1, 3, 4, 2)
    assert tl.buckets[1].start == date(2021, 2, 1) and tl.buckets[1].end == date(2021, 2, 28)


def test_weeks_are_iso_weeks_starting_on_monday_across_a_year_end() -> None:
    # 2020-12-31 is a Thursday in ISO week 2020-W53; 2021-01-04 is the Monday of 2021-W01.
    posts = [_post(0, _at(2020, 12, 31)), _post(1, _at(2021, 1, 3)), _post(2, _at(2021, 1, 4))]
    tl = build_timeline(day_numbers(posts), range(3), "week")
    assert [(b.label, b.start, b.end, b.count) for b in tl.buckets] == [
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3), 2),
        ("2021-W01", date(2021, 1, 4), date(2021, 1, 10), 1),
    ]
    assert all(b.start.weekday() == 0 for b in tl.buckets)


def test_months_run_across_a_year_end() -> None:
    posts = [_post(0, _at(2020, 11, 30)), _post(1, _at(2021, 2, 1))]
    tl = build_timeline(day_numbers(posts), range(2), Period.MONTH)
    assert [b.label for b in tl.buckets] == ["2020-11", "2020-12", "2021-01", "2021-02"]
    assert tl.buckets[1].end == date(2020, 12, 31)


def test_only_the_posts_of_the_view_are_counted() -> None:
    posts = [_post(n, _at(2021, 3, 1 + n % 10), ("a",) if n % 2 else ("b",)) for n in range(40)]
    lib = _library(posts)
    view = lib.query(Query(categories=("a",)))
    tl = build_timeline(day_numbers(lib.posts), view, "day")
    assert tl.total == len(view) == 20
    assert {b.start.day for b in tl.buckets if b.count} == {2, 4, 6, 8, 10}


def test_nothing_dated_gives_no_buckets() -> None:
    tl = build_timeline(day_numbers([_post(0, None)]), [0])
    assert tl.buckets == () and tl.undated == 1
    assert build_timeline(day_numbers([]), []).total == 0


def test_an_unknown_bucket_size_is_an_input_error() -> None:
    with pytest.raises(InputError, match="day, week, month"):
        build_timeline(day_numbers([_post(0, _at(2021, 1, 1))]), [0], "year")


def test_month_counts_match_the_library_archive_counts() -> None:
    rng = random.Random(7)
    start = _at(2019, 1, 1, hour=0)
    posts = [
        _post(n, start + timedelta(minutes=rng.randrange(3 * 365 * 1440)) if n % 13 else None)
        for n in range(3000)
    ]
    lib = _library(posts)
    tl = build_timeline(day_numbers(lib.posts), lib.query(), "month")
    core = {(y, m): n for y, m, n in lib.archive_counts()}
    ours = {(b.start.year, b.start.month): b.count for b in tl.buckets if b.count}
    assert ours == core
    assert tl.undated == sum(1 for p in posts if p.date is None)


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.one_of(st.none(), st.integers(0, 900 * 24)), min_size=1, max_size=120),
    by=st.sampled_from([None, "day", "week", "month"]),
    picks=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)),
)
def test_bucket_counts_summed_over_a_range_equal_the_range_filter(
    offsets: list[int | None], by: str | None, picks: tuple[int, int]
) -> None:
    base = datetime(2022, 3, 1, tzinfo=SHANGHAI)
    posts = [
        _post(n, None if h is None else base + timedelta(hours=h)) for n, h in enumerate(offsets)
    ]
    days = day_numbers(posts)
    view = list(range(len(posts)))
    random.Random(len(posts)).shuffle(view)
    tl = build_timeline(days, view, by)
    assert tl.total == len(posts)
    if not tl.buckets:
        return
    a, b = sorted(p % len(tl.buckets) for p in picks)
    chosen = tl.buckets[a : b + 1]
    inside = in_range(days, view, chosen[0].start, chosen[-1].end)
    assert sum(x.count for x in chosen) == len(inside)
    assert inside == [i for i in view if i in set(inside)]  # the view's order is kept
    for i in inside:
        d = posts[i].date
        assert d is not None and chosen[0].start <= d.date() <= chosen[-1].end


def test_count_days_agrees_with_a_plain_count_in_any_order() -> None:
    rng = random.Random(3)
    days = [rng.choice([0, 738000, 738001, 738100]) for _ in range(500)]
    view = rng.sample(range(500), 300)
    expected: dict[int, int] = {}
    for i in view:
        expected[days[i]] = expected.get(days[i], 0) + 1
    assert count_days(days, view) == expected
    assert count_days(days, iter(view)) == expected
    assert count_days(days, [view[0]]) == {days[view[0]]: 1}
    assert count_days(days, []) == {}


@pytest.mark.parametrize("spread", [400, 3_000_000])
def test_count_days_of_a_large_library_agrees_with_a_plain_count(spread: int) -> None:
    """From `_BY_COLUMN` posts on, the library's arrays are counted a whole column at a time
    (a counter a day, or a sort when the days spread over thousands of years)."""
    rng = random.Random(4)
    n = 60_000
    days = array("i", (rng.choice([0, 1 + rng.randrange(spread)]) for _ in range(n)))
    view = array("i", rng.sample(range(n), 55_000))
    expected: dict[int, int] = {}
    for i in view:
        expected[days[i]] = expected.get(days[i], 0) + 1
    assert count_days(days, view) == expected
    assert count_days(days, array("i", (i for i in view if days[i]))) == {
        d: k for d, k in expected.items() if d
    }
    days.append(5)  # the library's array still grows after being counted
    assert count_days(days, view) == expected


def test_range_filter_sides_are_inclusive_open_ended_and_skip_undated() -> None:
    posts = [_post(n, _at(2021, 5, 1 + n)) for n in range(10)] + [_post(99, None)]
    days = day_numbers(posts)
    view = list(range(len(posts)))
    assert in_range(days, view, date(2021, 5, 3), date(2021, 5, 5)) == [2, 3, 4]
    assert in_range(days, view, None, date(2021, 5, 2)) == [0, 1]
    assert in_range(days, view, date(2021, 5, 9), None) == [8, 9]
    assert in_range(days, view, None, None) == list(range(10))
    assert in_range(days, view, date(2021, 5, 5), date(2021, 5, 3)) == []


def test_since_until_uses_inclusive_days_in_the_site_zone() -> None:
    # 2021-06-01 00:30 in Shanghai is still May 31 in UTC: it belongs to June 1 here.
    posts = [
        _post(0, _at(2021, 6, 1, hour=0).replace(minute=30)),
        _post(1, _at(2021, 6, 2, hour=23)),
        _post(2, _at(2021, 6, 3, hour=0)),
        _post(3, _at(2021, 5, 31, hour=23)),
    ]
    lib = _library(posts)
    newest_first = lib.query()
    got = since_until(lib, newest_first, parse_day("2021-06-01"), parse_day(" 2021-06-02 "))
    assert [lib.posts[i].path for i in got] == [posts[1].path, posts[0].path]


@pytest.mark.parametrize("text", ["2021-13-01", "yesterday", "", "2021/06/01"])
def test_a_day_that_is_not_a_date_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_day(text, "--since")


def test_day_index_follows_the_library_as_it_grows() -> None:
    lib = _library([_post(0, _at(2021, 1, 1))])
    days = DayIndex(lib)
    assert days.timeline(lib.query()).total == 1
    lib.apply(Added([_post(1, _at(2021, 1, 2)), _post(2, None)], []))
    tl = days.timeline(lib.query(), by="day")
    assert [b.count for b in tl.buckets] == [1, 1] and tl.undated == 1
    assert days.in_range(lib.query(), date(2021, 1, 2), None) == [lib.index_of(posts_path(1))]


def posts_path(n: int) -> str:
    return f"_posts/p{n:05d}.md"


def test_printed_forms() -> None:
    posts = [_post(0, _at(2021, 12, 8)), _post(1, None)]
    tl = build_timeline(day_numbers(posts), range(2))
    assert tl.lines() == ["2021-12-08\t2021-12-08\t1", "undated\t-\t1"]
    assert tl.to_json() == {
        "by": "day",
        "total": 2,
        "undated": 1,
        "buckets": [
            {"period": "2021-12-08", "start": "2021-12-08", "end": "2021-12-08", "count": 1}
        ],
    }

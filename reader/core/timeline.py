"""Posts over time: counts per day, ISO week or month for any list of posts (the current view),
and the date-range filter that agrees with those counts exactly.

A post's day is the calendar date it shows: `post.date` is aware in the site's zone, so its own
`.date()` is the local day (a post at 2021-12-08 01:00 +08:00 belongs to the 8th, not to the
UTC 7th). Both the counts and the range filter read one array of day numbers (proleptic
Gregorian ordinals, 0 for an undated post), so a bar's count is always the number of posts its
range selects.

The bucket size follows the span of the dated posts shown, so a chart has ~20-110 bars:
up to 92 days (a quarter) → days; up to 732 days (two years) → ISO weeks (Monday first);
longer → months. `by=` overrides it. Every bucket between the first and the last is present,
empty ones with 0, so a chart has no gaps; undated posts are counted apart.

Cost at 100,000 posts (2 shared cores, CPU time): the day array 15 ms once per library version
(`DayIndex` caches it; `Library` could build it in its index pass), a recount of the whole
library 12-15 ms in date order and ~20 ms in title order, by day (1,826 bars) ~24 ms, one
category (5%) ~4 ms; the range filter over all posts ~9 ms.
"""

from __future__ import annotations

import logging
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise
from operator import itemgetter
from typing import TYPE_CHECKING

from reader.core.errors import InputError
from reader.core.table import PostTable

if TYPE_CHECKING:
    from reader.core.library import Library
    from reader.core.post import Post

log = logging.getLogger(__name__)

UNDATED = 0  # the day number of a post without a date (no real ordinal is 0)
DAY_SPAN_MAX = 92  # a span of at most this many days is shown by day
WEEK_SPAN_MAX = 732  # ... at most this many (two years) by ISO week; longer spans by month


class Period(StrEnum):
    """The size of one timeline bucket."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def day_numbers(posts: Sequence[Post]) -> array[int]:
    """Each post's local day as a proleptic ordinal (`date.toordinal()`), `UNDATED` without a
    date. One pass; the lead may build this in `Library`'s index pass instead (see report)."""
    if isinstance(posts, PostTable):  # its days: 0 (UNDATED) for a post without a date
        return posts.days()
    return array("i", [d.toordinal() if (d := p.date) is not None else UNDATED for p in posts])


def period_for_span(first: date, last: date) -> Period:
    """The bucket size for posts from `first` to `last` (see the module docstring)."""
    span = (last - first).days
    if span <= DAY_SPAN_MAX:
        return Period.DAY
    if span <= WEEK_SPAN_MAX:
        return Period.WEEK
    return Period.MONTH


def bucket_start(day: date, period: Period) -> date:
    """The first day of the bucket holding `day` (Monday for weeks, the 1st for months)."""
    if period is Period.DAY:
        return day
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_start(start: date, period: Period) -> date:
    if period is Period.DAY:
        return start + timedelta(days=1)
    if period is Period.WEEK:
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def period_label(start: date, period: Period) -> str:
    """A bucket's label, the same in every language: 2021-12-08, 2021-W49 (ISO week), 2021-12."""
    if period is Period.DAY:
        return start.isoformat()
    if period is Period.WEEK:
        iso = start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return f"{start.year:04d}-{start.month:02d}"


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bar: the posts dated `start` to `end` (both inclusive, local days)."""

    start: date
    end: date
    count: int
    label: str

    def to_json(self) -> dict[str, object]:
        return {
            "period": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "count": self.count,
        }


@dataclass(frozen=True, slots=True)
class Timeline:
    """Counts per bucket from the first dated post's bucket to the last one's, gaps included."""

    period: Period
    buckets: tuple[Bucket, ...]
    undated: int

    @property
    def dated(self) -> int:
        return sum(b.count for b in self.buckets)

    @property
    def total(self) -> int:
        return self.dated + self.undated

    @property
    def peak(self) -> int:
        """The largest count (a chart's scale); 0 when nothing is dated."""
        return max((b.count for b in self.buckets), default=0)

    def to_json(self) -> dict[str, object]:
        """What `post-reader timeline --json` prints."""
        return {
            "by": self.period.value,
            "total": self.total,
            "undated": self.undated,
            "buckets": [b.to_json() for b in self.buckets],
        }

    def lines(self) -> list[str]:
        """What `post-reader timeline` prints: one `label  start  count` line per bucket, then
        the undated posts when there are any."""
        out = [f"{b.label}\t{b.start.isoformat()}\t{b.count}" for b in self.buckets]
        if self.undated:
            out.append(f"undated\t-\t{self.undated}")
        return out


def count_days(days: Sequence[int], indexes: Iterable[int]) -> dict[int, int]:
    """Posts per day number among `indexes` (`UNDATED` counts the undated ones)."""
    wanted = indexes if isinstance(indexes, Sequence) else list(indexes)
    if isinstance(days, array) and isinstance(wanted, array) and len(wanted) >= _BY_COLUMN:
        return _count_columns(days, wanted)
    if len(wanted) < 2:
        return dict(Counter(days[i] for i in wanted))
    picked = itemgetter(*wanted)(days)  # one C call
    if not _looks_date_ordered(picked):
        # Any other order (by title, by category): a Counter, ~15-20 ms at 100,000.
        return dict(Counter(picked))
    # In date order (the usual view) a sort is O(n), and counting becomes a walk over the
    # distinct days with bisect: ~7 ms at 100,000 posts.
    ordered = sorted(picked)
    counts: dict[int, int] = {}
    i, n = 0, len(ordered)
    while i < n:
        day = ordered[i]
        j = bisect_right(ordered, day, i)
        counts[day] = j - i
        i = j
    return counts


# From this many posts on, `count_days` counts with numpy (the library's own arrays): at a
# million posts the walk below held the window's thread 100 ms before the list could show.
_BY_COLUMN = 50_000
# Dated days spanning more than this are counted by sorting, not by one counter a day.
_MAX_SPAN = 1 << 20


def _count_columns(days: array[int], wanted: array[int]) -> dict[int, int]:
    import numpy as np  # already there when a library holds this many posts (its indexes)

    # Copies (`[:]`, a memcpy): a view of the library's growing arrays would stop them growing.
    picked = np.frombuffer(days[:], np.int32)[np.frombuffer(wanted[:], np.int32)]
    dated = picked[picked != UNDATED]
    counts: dict[int, int] = {}
    if len(dated) < len(picked):
        counts[UNDATED] = len(picked) - len(dated)
    if not len(dated):
        return counts
    low = int(dated.min())
    if int(dated.max()) - low < _MAX_SPAN:
        per_day = np.bincount(dated - low)
        found = np.flatnonzero(per_day)
        values, numbers = found + low, per_day[found]
    else:
        values, numbers = np.unique(dated, return_counts=True)
    counts.update(zip(values.tolist(), numbers.tolist(), strict=True))
    return counts


def _looks_date_ordered(days: Sequence[int]) -> bool:
    """Whether ~64 evenly spaced day numbers rise or fall monotonically (undated posts, 0,
    sit at one end of a date order): a cheap guess that a sort will be one linear pass."""
    step = max(1, len(days) // 64)
    probe = [d for d in days[::step] if d != UNDATED]
    rising = all(a <= b for a, b in pairwise(probe))
    return rising or all(a >= b for a, b in pairwise(probe))


def as_period(by: Period | str) -> Period:
    """`by` as a Period; InputError for anything but day, week or month."""
    try:
        return Period(by)
    except ValueError:
        choices = ", ".join(p.value for p in Period)
        raise InputError(f"a timeline is counted by {choices}, not {by!r}") from None


def timeline_from_counts(per_day: Mapping[int, int], by: Period | str | None = None) -> Timeline:
    """The timeline for posts counted per day number (see `count_days`)."""
    undated = per_day.get(UNDATED, 0)
    dated = [d for d in per_day if d != UNDATED and per_day[d]]
    if not dated:
        return Timeline(as_period(by) if by is not None else Period.DAY, (), undated)
    first, last = date.fromordinal(min(dated)), date.fromordinal(max(dated))
    period = as_period(by) if by is not None else period_for_span(first, last)
    # Fold days into bucket starts: only the distinct days (a few thousand at most) are visited.
    per_bucket: Counter[int] = Counter()
    if period is Period.DAY:
        per_bucket.update(per_day)
    elif period is Period.WEEK:
        for d in dated:  # ordinal 1 (0001-01-01) is a Monday
            per_bucket[d - (d - 1) % 7] += per_day[d]
    else:
        for d in dated:
            day = date.fromordinal(d)
            per_bucket[d - day.day + 1] += per_day[d]
    buckets = []
    start = bucket_start(first, period)
    while start <= last:
        following = _next_start(start, period)
        count = per_bucket.get(start.toordinal(), 0)
        buckets.append(
            Bucket(start, following - timedelta(days=1), count, period_label(start, period))
        )
        start = following
    return Timeline(period, tuple(buckets), undated)


def build_timeline(
    days: Sequence[int], indexes: Iterable[int], by: Period | str | None = None
) -> Timeline:
    """The timeline of the posts at `indexes` (e.g. `Library.query(q)`), from `day_numbers`.
    `by` forces the bucket size; otherwise it follows the span (module docstring)."""
    return timeline_from_counts(count_days(days, indexes), by)


def in_range(
    days: Sequence[int], indexes: Iterable[int], start: date | None, end: date | None
) -> list[int]:
    """Those of `indexes` dated from `start` to `end`, both inclusive local days, in their
    order; None leaves that side open. Undated posts never fall inside a range. Exactly the
    posts the timeline counts in the buckets between those days."""
    low = start.toordinal() if start is not None else 1
    high = end.toordinal() if end is not None else date.max.toordinal()
    if low > high:
        return []
    return [i for i in indexes if low <= days[i] <= high]


def parse_day(text: str, what: str = "date") -> date:
    """A YYYY-MM-DD day as typed on the command line (`--since`, `--until`); InputError when it
    is not one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{what} must be a day written YYYY-MM-DD, not {text!r}") from None


class DayIndex:
    """Timelines and day ranges over one library's posts, from the day numbers its indexes
    keep (`Library.day_numbers`). Use it from the thread that applies the library's events."""

    def __init__(self, library: Library) -> None:
        self.library = library

    @property
    def days(self) -> array[int]:
        # Kept by the library's own index pass, extended in place as posts are added.
        return self.library.day_numbers()

    def timeline(self, indexes: Iterable[int], by: Period | str | None = None) -> Timeline:
        return build_timeline(self.days, indexes, by)

    def in_range(self, indexes: Iterable[int], start: date | None, end: date | None) -> list[int]:
        return in_range(self.days, indexes, start, end)


def since_until(
    library: Library, indexes: Iterable[int], since: date | None, until: date | None
) -> list[int]:
    """`list --since DATE --until DATE`: those of `indexes` dated on those days or between them
    (inclusive, in the site's zone), in their order."""
    return in_range(library.day_numbers(), indexes, since, until)

"""The (year, month) of a day, for the library's month index and the archive's counts."""

from __future__ import annotations

import functools
from datetime import date

__all__ = ["month_of"]


@functools.lru_cache(maxsize=1 << 16)
def month_of(day: int) -> tuple[int, int]:
    """(year, month) of a `date.toordinal()` day: a few thousand distinct days, not a date
    object a post."""
    when = date.fromordinal(day)
    return when.year, when.month

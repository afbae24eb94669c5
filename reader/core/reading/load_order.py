"""The order a load parses its files in, and letting a load's long lists go: both without
holding the interpreter lock for long, which the window's thread would wait on."""

from __future__ import annotations

import time
from collections.abc import Sequence

from reader.core.reading.scan import Candidate

# Candidates sorted at once below this many; above, a bucket of equal leading characters (a
# day's posts in `_posts/2021-01-01-…`) at a time.
SORT_AT_ONCE = 20_000
_HEAD = 24


def newest_first(cands: Sequence[Candidate]) -> list[Candidate]:
    """Reverse path order: names start with their date, so roughly newest first, as listed.
    One sort of a million paths is one C call that held the interpreter lock (and the window)
    0.4-0.5 s as a cold load began; grouped by their first characters in Python, each group
    is a short sort, and the order is the same."""
    if len(cands) < SORT_AT_ONCE:
        return sorted(cands, key=lambda c: c.path, reverse=True)
    groups: dict[str, list[Candidate]] = {}
    for cand in cands:
        groups.setdefault(cand.path[:_HEAD], []).append(cand)
    ordered: list[Candidate] = []
    for head in sorted(groups, reverse=True):
        ordered += sorted(groups.pop(head), key=lambda c: c.path, reverse=True)
    return ordered


def let_go(items: list[Candidate], step: int = 20_000) -> None:
    """Empty `items` a slice at a time, letting other threads run in between: a million
    candidates freed at once (when the load's locals go) held the interpreter lock, and the
    window, for 0.1-0.2 s."""
    while items:
        del items[-step:]
        time.sleep(0)

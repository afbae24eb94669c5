"""Sorting many items by a string key without one long hold of the interpreter lock.

`list.sort` of a million strings is a single C call: it held the lock, and with it the
window's thread, for 0.4-0.6 s when a cold load listed and ordered a million post files. Here
the items are grouped by the first characters of their key in Python (a loop other threads
interrupt), the groups' heads sorted, and each group sorted on its own: the same order as one
stable sort, in short holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Fewer items than this are sorted at once (a short call); more, a group at a time.
AT_ONCE = 20_000


def sorted_in_groups(
    items: Iterable[T], key: Callable[[T], str], *, reverse: bool = False, head: int = 10
) -> list[T]:
    """`sorted(items, key=key, reverse=reverse)`, grouped by `key(item)[:head]` from
    `AT_ONCE` items (see the module's text)."""
    listed = items if isinstance(items, list) else list(items)
    if len(listed) < AT_ONCE:
        return sorted(listed, key=key, reverse=reverse)
    groups: dict[str, list[T]] = {}
    for item in listed:
        groups.setdefault(key(item)[:head], []).append(item)
    ordered: list[T] = []
    for first in sorted(groups, reverse=reverse):
        ordered += sorted(groups.pop(first), key=key, reverse=reverse)
    return ordered

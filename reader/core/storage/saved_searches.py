"""Saved searches: a search text with the tree node and filters it was made in, named and kept
per folder with the user's data, in the order the user gives them.

Owns `SavedSearch` (what one saved search holds, and its JSON form for the bookmarks export)
and `SavedSearchStore`, the user store's part that reads and writes them. Turning one into the
posts it lists is `Folder.saved_query`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from reader.core.errors import InputError
from reader.core.library import Query
from reader.core.post import SortKey

T = TypeVar("T")
NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named search: `text` (the search field's language) within a tree node and filters."""

    name: str
    text: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    year: int | None = None
    month: int | None = None
    drafts: bool = False
    bookmarked: bool = False  # within the Bookmarks node
    unread: bool = False  # within the Unread node
    since: date | None = None
    until: date | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # unknown keys kept

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("name", "extra") or value in (None, False, "", ()):
                continue
            out[f.name] = (
                value.isoformat()
                if isinstance(value, date)
                else (list(value) if isinstance(value, tuple) else value)
            )
        return {**self.extra, **out}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SavedSearch:
        """Leniently: a value of the wrong type is dropped, unknown keys are kept aside;
        InputError when there is no usable name."""
        name = check_name(data.get("name"))

        def texts(key: str) -> tuple[str, ...]:
            value = data.get(key)
            return (
                tuple(str(v) for v in value if isinstance(v, str))
                if isinstance(value, list)
                else ()
            )

        def number(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def day(key: str) -> date | None:
            value = data.get(key)
            try:
                return date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                return None

        known = {f.name for f in fields(cls)}
        text = data.get("text")
        return cls(
            name=name,
            text=text if isinstance(text, str) else "",
            categories=texts("categories"),
            tags=texts("tags"),
            year=number("year"),
            month=number("month"),
            drafts=data.get("drafts") is True,
            bookmarked=data.get("bookmarked") is True,
            unread=data.get("unread") is True,
            since=day("since"),
            until=day("until"),
            extra={k: v for k, v in data.items() if k not in known},
        )


def node_query(
    saved: SavedSearch,
    bookmarked: frozenset[str] | None,
    read: frozenset[str] | None,
    sort: SortKey = SortKey.DATE,
) -> Query:
    """The `Query` of `saved`'s node and filters, without its text (`bookmarked` and `read`:
    the user's marks, needed only when `saved` asks for bookmarked or unread posts)."""
    return Query(
        categories=saved.categories,
        tags=saved.tags,
        year=saved.year,
        month=saved.month if saved.year is not None else None,
        drafts_only=saved.drafts,
        paths=bookmarked if saved.bookmarked else None,
        exclude_paths=read if saved.unread else None,
        since=saved.since,
        until=saved.until,
        sort=sort,
        descending=sort is SortKey.DATE,
    )


def check_name(name: object) -> str:
    """A saved search's name, trimmed; InputError when empty or not text."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("a saved search needs a name")
    return name.strip()[:NAME_MAX]


def _spec(search: SavedSearch) -> str:
    """What is stored beside the name: the search as JSON."""
    data = {k: v for k, v in search.to_json().items() if k != "name"}
    return json.dumps(data, ensure_ascii=False)


class SavedSearchStore:
    """The saved-search part of the user store (mixed into `UserStore`, which provides
    `_read` and `_write`: one committed transaction each)."""

    if TYPE_CHECKING:  # provided by the store's DataFile, which comes first in its bases

        def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T: ...

        def _write(self, fn: Callable[[sqlite3.Connection], T], what: str = ...) -> T: ...

    def saved_searches(self, folder_id: int) -> list[SavedSearch]:
        """The folder's saved searches, in the user's order."""

        def read(c: sqlite3.Connection) -> list[tuple[str, str]]:
            if not c.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'saved_searches'"
            ).fetchone():
                return []  # a file of version 1, opened read-only: none saved there
            return c.execute(
                "SELECT name, spec FROM saved_searches WHERE folder_id = ? ORDER BY position, name",
                (folder_id,),
            ).fetchall()

        rows = self._read(read)
        found = []
        for name, spec in rows:
            try:
                data = json.loads(spec)
            except ValueError:
                data = {}
            found.append(
                SavedSearch.from_json({**(data if isinstance(data, dict) else {}), "name": name})
            )
        return found

    def save_search(self, folder_id: int, search: SavedSearch, replaces: str | None = None) -> None:
        """Save `search` (a new name goes last); `replaces`: the name it had (rename or edit).
        InputError when another saved search already has the name."""
        name = check_name(search.name)
        spec = json.dumps(
            {k: v for k, v in search.to_json().items() if k != "name"}, ensure_ascii=False
        )

        def save(conn: sqlite3.Connection) -> None:
            old = replaces if replaces is not None else name
            row = conn.execute(
                "SELECT position FROM saved_searches WHERE folder_id = ? AND name = ?",
                (folder_id, old),
            ).fetchone()
            if (
                name != old
                and conn.execute(
                    "SELECT 1 FROM saved_searches WHERE folder_id = ? AND name = ?",
                    (folder_id, name),
                ).fetchone()
            ):
                raise InputError(f"there is a saved search named {name!r} already")
            if row is None:
                last = conn.execute(
                    "SELECT COALESCE(MAX(position), -1) FROM saved_searches WHERE folder_id = ?",
                    (folder_id,),
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO saved_searches (folder_id, name, spec, position) "
                    "VALUES (?, ?, ?, ?)",
                    (folder_id, name, spec, last + 1),
                )
            else:
                conn.execute(
                    "UPDATE saved_searches SET name = ?, spec = ? WHERE folder_id = ? AND name = ?",
                    (name, spec, folder_id, old),
                )

        self._write(save, "the saved search")

    def delete_search(self, folder_id: int, name: str) -> bool:
        """Delete a saved search; True when there was one."""
        return self._write(
            lambda c: (
                c.execute(
                    "DELETE FROM saved_searches WHERE folder_id = ? AND name = ?", (folder_id, name)
                ).rowcount
                == 1
            ),
            "the deletion of the saved search",
        )

    def move_search(self, folder_id: int, name: str, to: int) -> None:
        """Put the saved search `name` at position `to` (0 is first; clamped)."""

        def move(conn: sqlite3.Connection) -> None:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM saved_searches WHERE folder_id = ? ORDER BY position, name",
                    (folder_id,),
                )
            ]
            if name not in names:
                raise InputError(f"no saved search named {name!r}")
            names.remove(name)
            names.insert(max(0, min(to, len(names))), name)
            conn.executemany(
                "UPDATE saved_searches SET position = ? WHERE folder_id = ? AND name = ?",
                [(i, folder_id, n) for i, n in enumerate(names)],
            )

        self._write(move, "the order of the saved searches")

    def merge_searches(self, folder_id: int, searches: list[SavedSearch]) -> int:
        """Add the searches whose names are not saved yet (an import); returns how many."""
        if not searches:
            return 0

        def merge(conn: sqlite3.Connection) -> int:
            last = conn.execute(
                "SELECT COALESCE(MAX(position), -1) FROM saved_searches WHERE folder_id = ?",
                (folder_id,),
            ).fetchone()[0]
            added = 0
            for s in searches:
                spec = json.dumps(
                    {k: v for k, v in s.to_json().items() if k != "name"}, ensure_ascii=False
                )
                cur = conn.execute(
                    "INSERT OR IGNORE INTO saved_searches (folder_id, name, spec, position) "
                    "VALUES (?, ?, ?, ?)",
                    (folder_id, s.name, spec, last + 1 + added),
                )
                added += cur.rowcount
            return added

        return self._write(merge, "the imported saved searches")

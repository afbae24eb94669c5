"""Which row of the user data a folder is, across moves of the folder and renames of its files.

Owns the SQL and the rules behind `UserStore.folder_key` and `UserStore.reconcile`. A folder is
a row in `folders` holding the absolute path it was last opened at; bookmarks, read marks and
positions hang off that row by the post's path *inside* the folder. When a folder's path has not
been seen before, an existing row is adopted (and its path updated) if its old path no longer
exists or is empty, and at least half (and at least one) of the paths it holds data for are posts
of the new folder; among several such rows the best match wins. So moving or renaming the whole
folder keeps everything, while a copy (old path still there) starts out empty. Reconciling
re-attaches a bookmark or read mark whose file vanished to the one post with the same title and
date, so renaming a single file keeps its bookmark, read mark and position.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from reader.core.export.bookmarks import now_iso
from reader.core.post import Post

log = logging.getLogger(__name__)

Marked = dict[str, list[tuple[str, str, str | None]]]  # table: [(path, title, date)]
Move = tuple[str, str, Post]  # table, old path, post
Stale = tuple[str, Post]  # table, post whose stored title or date is out of date


def iso(date: datetime | None) -> str | None:
    return date.isoformat() if date is not None else None


def ident(title: str, date: str | None) -> tuple[str, str | None]:
    """What identifies a post across a rename: its title and the instant of its date (the same
    instant may be printed with another offset if the machine's time zone changed)."""
    if date is None:
        return (title, None)
    try:
        dt = datetime.fromisoformat(date)
    except ValueError:
        return (title, date)
    return (title, dt.astimezone(UTC).isoformat() if dt.tzinfo is not None else dt.isoformat())


def by_ident(posts: Iterable[Post]) -> dict[tuple[str, str | None], list[Post]]:
    out: dict[tuple[str, str | None], list[Post]] = {}
    for p in posts:
        out.setdefault(ident(p.title, iso(p.date)), []).append(p)
    return out


def gone(path: str) -> bool:
    """True if a folder's old path is missing or empty (a move); False if it cannot be told."""
    try:
        with os.scandir(path) as entries:
            return next(entries, None) is None
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False


def known_folder(conn: sqlite3.Connection, root: str) -> int | None:
    row = conn.execute("SELECT id FROM folders WHERE path = ?", (root,)).fetchone()
    return None if row is None else int(row[0])


def adoptable(conn: sqlite3.Connection, posts: Sequence[Post]) -> tuple[int, str] | None:
    """(id, old path) of the moved-away folder whose marks best match `posts`, if any."""
    folders = conn.execute("SELECT id, path, seen_at FROM folders").fetchall()
    # Looking at old paths touches the file system: a read, never inside a write transaction.
    moved_away = [row for row in folders if gone(row[1])]
    if not moved_away:
        return None
    # Only now the set of (say 100,000) paths: most folders are new, not moved.
    paths = {p.path for p in posts}
    best: tuple[float, int, str] | None = None
    chosen = None
    for fid, old, seen in moved_away:
        held = {
            r[0]
            for r in conn.execute(
                "SELECT path FROM bookmarks WHERE folder_id = ?1 UNION "
                "SELECT path FROM read_state WHERE folder_id = ?1 UNION "
                "SELECT path FROM positions WHERE folder_id = ?1",
                (fid,),
            )
        }
        hits = len(held & paths)
        if hits == 0 or hits * 2 < len(held):
            continue
        score = (hits / len(held), hits, seen)
        if best is None or score > best:
            best, chosen = score, (fid, old)
    return chosen


def register(conn: sqlite3.Connection, root: str, candidate: tuple[int, str] | None) -> int:
    """The folder's id, adopting `candidate` or adding a row when it is new (in a write)."""
    fid = known_folder(conn, root)
    if fid is not None:
        conn.execute("UPDATE folders SET seen_at = ? WHERE id = ?", (now_iso(), fid))
        return fid
    if candidate is not None:
        cur = conn.execute(
            "UPDATE folders SET path = ?, seen_at = ? WHERE id = ? AND path = ?",
            (root, now_iso(), *candidate),
        )
        if cur.rowcount == 1:
            log.info("folder %s recognised as moved from %s", root, candidate[1])
            return candidate[0]
    cur = conn.execute("INSERT INTO folders (path, seen_at) VALUES (?, ?)", (root, now_iso()))
    return int(cur.lastrowid or 0)


def marked(conn: sqlite3.Connection, folder_id: int) -> Marked:
    return {
        table: conn.execute(
            f"SELECT path, title, date FROM {table} WHERE folder_id = ?", (folder_id,)
        ).fetchall()
        for table in ("bookmarks", "read_state")
    }


def plan_reconcile(stored: Marked, posts: Iterable[Post]) -> tuple[list[Move], list[Stale]]:
    """Which marks follow a renamed file, and which stored titles and dates to refresh."""
    by_path = {p.path: p for p in posts}
    idents: dict[tuple[str, str | None], list[Post]] | None = None
    moves: list[Move] = []
    stale: list[Stale] = []
    for table, rows in stored.items():
        held = {r[0] for r in rows}
        for path, title, date in rows:
            post = by_path.get(path)
            if post is not None:
                if (post.title, iso(post.date)) != (title, date):
                    stale.append((table, post))
                continue
            if idents is None:
                idents = by_ident(by_path.values())
            same = idents.get(ident(title, date), [])
            if title and len(same) == 1 and same[0].path not in held:
                moves.append((table, path, same[0]))
                held.add(same[0].path)
    return moves, stale


def apply_reconcile(
    conn: sqlite3.Connection, folder_id: int, moves: list[Move], stale: list[Stale]
) -> int:
    """Carry out a plan (in a write); how many marks moved."""
    moved = 0
    for table, post in stale:
        conn.execute(
            f"UPDATE {table} SET title = ?, date = ? WHERE folder_id = ? AND path = ?",
            (post.title, iso(post.date), folder_id, post.path),
        )
    for table, old, post in moves:
        cur = conn.execute(
            f"UPDATE OR IGNORE {table} SET path = ?, title = ?, date = ? "
            "WHERE folder_id = ? AND path = ?",
            (post.path, post.title, iso(post.date), folder_id, old),
        )
        moved += cur.rowcount
        conn.execute(
            "UPDATE OR IGNORE positions SET path = ? WHERE folder_id = ? AND path = ?",
            (post.path, folder_id, old),
        )
        conn.execute(
            "UPDATE folders SET last_opened = ? WHERE id = ? AND last_opened = ?",
            (post.path, folder_id, old),
        )
    return moved

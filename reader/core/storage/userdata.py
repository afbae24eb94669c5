"""The user's own data about posts, which must never be lost: bookmarks (with short notes), read
marks, reading positions and the last opened post of each folder.

Everything lives in one SQLite database in the user data folder (`data_dir()` from core.paths:
platformdirs, or the environment variable POST_READER_DATA_DIR); nothing is ever written into
a posts folder, so a read-only folder works fully. The schema is defined once, in the migration
functions: the file's `PRAGMA user_version` says how many of `MIGRATIONS` have run, and each
step runs in its own transaction. Every action is its own short transaction, committed before
the method returns: nothing waits for the program to exit. WAL lets two windows (two processes)
read while one writes, and `BEGIN IMMEDIATE` plus a busy timeout makes their writes queue
instead of failing.

Folder identity. A folder is a row in `folders` holding the absolute path it was last opened at;
bookmarks, read marks and positions hang off that row by the post's path *inside* the folder.
`folder_key(root, posts)` returns the row for `root`. When `root` has not been seen before, an
existing row is adopted (and its path updated) if its old path no longer exists or is empty, and
at least half (and at least one) of the paths it holds data for are posts of the new folder; among
several such rows the best match wins. So moving or renaming the whole folder keeps everything,
while a copy (old path still there) starts out empty. `reconcile` (run by `folder_key`, and to be
run after a reload) re-attaches a bookmark or read mark whose file vanished to the one post with
the same title and date, so renaming a single file keeps its bookmark, read mark and position.

Damage. A database that cannot be opened, is not a database, or fails `PRAGMA quick_check` is
renamed (with its -wal and -shm files) to `userdata.sqlite3.damaged-YYYYMMDD-HHMMSS`, never
deleted, and a fresh one is created; `recovered_from` and `message` tell the user where it went.
The same happens when damage shows up mid-session. When no database can be written at all, the
store keeps working in memory and `persistent` is False, again with a `message`.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Literal, TypeVar
from urllib.parse import quote

from reader.core import errors
from reader.core.errors import DamagedFile, StorageError
from reader.core.library import Library
from reader.core.paths import data_dir
from reader.core.post import Post

log = logging.getLogger(__name__)

DB_NAME = "userdata.sqlite3"
NOTE_MAX = 1000
# Long enough for the other window's transaction (milliseconds each) even on a busy disk.
BUSY_TIMEOUT_S = 10.0
EXPORT_FORMATS = ("md", "html", "json")
ExportFormat = Literal["md", "html", "json"]
EXPORT_MARKER = "post_reader_bookmarks"

T = TypeVar("T")


class StoreError(StorageError):
    """The user data could not be read or saved; the message says why, in one line."""


class ImportFileError(StoreError, errors.ImportFileError):
    """A bookmarks file to import is not a Post Reader JSON export."""


class _Damaged(DamagedFile):
    """The database file is unusable and should be moved aside."""


class _NewerSchema(Exception):
    """The database was written by a newer Post Reader: leave it alone."""


@dataclass(frozen=True, slots=True)
class Bookmark:
    """One bookmark. `date` is the post's date as ISO 8601 text (None for undated posts)."""

    path: str
    title: str
    date: str | None
    note: str
    created_at: datetime  # aware, UTC


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What `import_bookmarks` did."""

    added: int
    already: int  # bookmarked before the import (an empty note is filled from the file)
    unmatched: tuple[str, ...]  # entries with no post in this folder, by title or path


# --- schema ---------------------------------------------------------------------------------


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE folders (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,  -- absolute path the folder was last opened at
            last_opened TEXT,           -- path inside the folder of the post last shown
            seen_at TEXT NOT NULL
        )"""
    )
    # title and date identify a post again after its file is renamed (see reconcile).
    conn.execute(
        """CREATE TABLE bookmarks (
            folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            PRIMARY KEY (folder_id, path)
        )"""
    )
    conn.execute("CREATE INDEX bookmarks_by_created ON bookmarks (folder_id, created_at)")
    conn.execute(
        """CREATE TABLE read_state (
            folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            read_at TEXT NOT NULL,
            PRIMARY KEY (folder_id, path)
        )"""
    )
    conn.execute(
        """CREATE TABLE positions (
            folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            fraction REAL NOT NULL CHECK (fraction BETWEEN 0.0 AND 1.0),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (folder_id, path)
        )"""
    )


# MIGRATIONS[n] takes a database from user_version n to n + 1. Append, never edit a released step.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_0_to_1]


def _migrate(conn: sqlite3.Connection) -> None:
    target = len(MIGRATIONS)
    if _user_version(conn) == target:
        return
    while True:
        # IMMEDIATE, and the version re-read inside: two processes opening a new database at
        # once must not both run the same step.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _user_version(conn)
            if version > target:
                raise _NewerSchema(f"schema version {version}, this program knows {target}")
            if version == target:
                conn.execute("COMMIT")
                return
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
            log.info("user data migrated to schema version %d", version + 1)
        except BaseException:
            _rollback(conn)
            raise


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


# --- opening, damage ------------------------------------------------------------------------


def _is_damage(exc: sqlite3.Error, path: Path | None) -> bool:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    # Cannot open a file that is there (a folder in its place, no permission): unusable as is.
    # A missing file that cannot be created is the folder's problem, not the database's.
    return code == sqlite3.SQLITE_CANTOPEN and path is not None and os.path.lexists(path)


def _check_file(path: Path) -> bool:
    """quick_check an existing file through a read-only connection; False if that could not be
    done. Read-only, because closing a read-write connection lets SQLite delete the -wal file of
    a damaged database, which must be kept with it instead."""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False  # the read-write open decides
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        if _is_damage(exc, None):
            raise _Damaged(str(exc)) from exc
        return False
    finally:
        conn.close()
    if rows != [("ok",)]:
        raise _Damaged("quick_check: " + "; ".join(str(r[0]) for r in rows[:3]))
    return True


def _journal_mode_wal(conn: sqlite3.Connection) -> str:
    """Switch to WAL, waiting for other processes as long as the busy timeout allows.

    SQLite answers "database is locked" at once here, without calling the busy handler, when
    another connection is switching the same file at the same moment: two windows started
    together on a new database (seen in 11 of 30 three-process races) would otherwise give up
    and keep their bookmarks in memory for the session."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _connect(path: Path | None) -> sqlite3.Connection:
    """A checked, migrated connection (None: in memory). Raises _Damaged for an unusable file."""
    checked = path is None or _check_file(path)
    target = ":memory:" if path is None else str(path)
    try:
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        if _is_damage(exc, path):
            raise _Damaged(str(exc)) from exc
        raise
    try:
        mode = _journal_mode_wal(conn)
        if path is not None and mode != "wal":
            log.warning("user data: WAL not available on this file system (mode %s)", mode)
        # A SIGKILL cannot lose a commit in WAL mode even with synchronous=NORMAL: COMMIT returns
        # once the WAL frames are written to the OS, which keeps them when the process dies.
        # NORMAL can lose the latest commits on power loss or an OS crash, FULL cannot (it fsyncs
        # the WAL at each commit). Actions come one click at a time and a commit with FULL costs
        # 0.4-6 ms on this machine's disk (NORMAL: ~0.05 ms), so "never lost" is worth that.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if not checked:
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:
                raise _Damaged("quick_check: " + "; ".join(str(r[0]) for r in rows[:3]))
        _migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        if _is_damage(exc, path):
            raise _Damaged(str(exc)) from exc
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm, keeping SQLite's pairing) beside itself."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while any(os.path.lexists(f"{target}{s}") for s in ("", "-wal", "-shm")):
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.rename(path, target)  # same folder: atomic, and the bytes are never copied or deleted
    for suffix in ("-wal", "-shm"):
        if os.path.lexists(f"{path}{suffix}"):
            os.rename(f"{path}{suffix}", f"{target}{suffix}")
    return target


# --- the store ------------------------------------------------------------------------------


class UserStore:
    """Bookmarks, read marks and reading positions; every method is one committed action.

    Safe to share between threads (one lock around the connection). Methods raise StoreError
    when the data cannot be read or saved (a full disk, say); damage is repaired by itself.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, *, persistent: bool = True) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        # Ids handed out this session: re-created with the same ids if the file must be replaced.
        self._folders: dict[int, str] = {}
        self.path = path
        self.persistent = persistent
        self.recovered_from: Path | None = None  # where a damaged database was moved to
        self.message: str | None = None  # for the user, when something needed telling

    @classmethod
    def open(cls, path: Path | None = None) -> UserStore:
        """The store at `path` (default: data_dir()/userdata.sqlite3). Never raises: a damaged
        file is moved aside, and a folder that cannot hold a database gives an in-memory store.
        """
        path = path if path is not None else data_dir() / DB_NAME
        moved: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            found = _file_id(path)
            try:
                return cls(_connect(path), path)
            except _Damaged as exc:
                reason = str(exc)
            if found is not None and _file_id(path) != found:
                # Another window replaced the damaged file while we looked: use its fresh one.
                return cls(_connect(path), path)
            log.error("user data %s is damaged (%s); moving it aside", path, reason)
            moved = _move_aside(path)
            store = cls(_connect(path), path)
            store.recovered_from = moved
            store.message = _recovered_message(reason, moved)
            return store
        except (sqlite3.Error, OSError, _Damaged, _NewerSchema) as exc:
            log.error("user data %s cannot be used: %s", path, exc)
            store = cls(_connect(None), path, persistent=False)
            store.recovered_from = moved
            kept = f"the damaged file was moved to {moved}" if moved else "it was left untouched"
            store.message = (
                "Bookmarks and reading state cannot be saved this session: "
                f"{path} cannot be used ({exc}); {kept}."
            )
            return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> UserStore:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- running actions --------------------------------------------------------------------

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return self._run(fn, write=False)

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return self._run(fn, write=True)

    def _run(self, fn: Callable[[sqlite3.Connection], T], *, write: bool) -> T:
        with self._lock:
            try:
                return self._attempt(fn, write)
            except sqlite3.Error as exc:
                # Only the file's own verdict counts mid-session, never a failure to open it.
                if not (self.persistent and _is_damage(exc, None)):
                    raise _store_error(exc, write) from exc
                reason = str(exc)
            try:
                self._recover(reason)
                return self._attempt(fn, write)
            except sqlite3.Error as exc:
                raise _store_error(exc, write) from exc

    def _attempt(self, fn: Callable[[sqlite3.Connection], T], write: bool) -> T:
        conn = self._conn
        if not write:
            return fn(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise
        return result

    def _recover(self, reason: str) -> None:
        """Damage found mid-session: move the file aside, carry on with a fresh one."""
        log.error("user data %s became unreadable (%s); moving it aside", self.path, reason)
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        try:
            moved = _move_aside(self.path)
            self._conn = _connect(self.path)
            self.recovered_from = moved
            self.message = _recovered_message(reason, moved)
        except (sqlite3.Error, OSError, _Damaged, _NewerSchema) as exc:
            self._conn = _connect(None)
            self.persistent = False
            self.message = (
                f"Bookmarks and reading state cannot be saved any more this session: {self.path} "
                f"became unreadable ({reason}) and could not be replaced ({exc})."
            )
        now = _now()
        for fid, root in self._folders.items():
            self._conn.execute(
                "INSERT OR IGNORE INTO folders (id, path, seen_at) VALUES (?, ?, ?)",
                (fid, root, now),
            )

    # --- folders ----------------------------------------------------------------------------

    def folder_key(self, root: Path, posts: Sequence[Post]) -> int:
        """The id of the folder at `root` (recognised after a move; see the module docstring),
        registering it when new, with its bookmarks reconciled against `posts`."""
        root_s = str(Path(root).resolve())
        known = self._read(
            lambda c: c.execute("SELECT id FROM folders WHERE path = ?", (root_s,)).fetchone()
        )
        # Looking at old paths touches the file system, so it happens outside the transaction.
        candidate = None if known is not None else self._adoptable(posts)

        def register(conn: sqlite3.Connection) -> int:
            row = conn.execute("SELECT id FROM folders WHERE path = ?", (root_s,)).fetchone()
            if row is not None:
                conn.execute("UPDATE folders SET seen_at = ? WHERE id = ?", (_now(), row[0]))
                return int(row[0])
            if candidate is not None:
                cur = conn.execute(
                    "UPDATE folders SET path = ?, seen_at = ? WHERE id = ? AND path = ?",
                    (root_s, _now(), *candidate),
                )
                if cur.rowcount == 1:
                    log.info("folder %s recognised as moved from %s", root_s, candidate[1])
                    return candidate[0]
            cur = conn.execute(
                "INSERT INTO folders (path, seen_at) VALUES (?, ?)", (root_s, _now())
            )
            return int(cur.lastrowid or 0)

        fid = self._write(register)
        self._folders[fid] = root_s
        self.reconcile(fid, posts)
        return fid

    def _adoptable(self, posts: Sequence[Post]) -> tuple[int, str] | None:
        folders = self._read(
            lambda c: c.execute("SELECT id, path, seen_at FROM folders").fetchall()
        )
        moved_away = [row for row in folders if _gone(row[1])]
        if not moved_away:
            return None
        # Only now the set of (say 100,000) paths: most folders are new, not moved.
        paths = {p.path for p in posts}

        def evidence(conn: sqlite3.Connection) -> list[tuple[int, str, str, set[str]]]:
            out = []
            for fid, old, seen in moved_away:
                held = conn.execute(
                    "SELECT path FROM bookmarks WHERE folder_id = ?1 UNION "
                    "SELECT path FROM read_state WHERE folder_id = ?1 UNION "
                    "SELECT path FROM positions WHERE folder_id = ?1",
                    (fid,),
                ).fetchall()
                out.append((fid, old, seen, {r[0] for r in held}))
            return out

        best: tuple[float, int, str] | None = None
        chosen = None
        for fid, old, seen, held in self._read(evidence):
            hits = len(held & paths)
            if hits == 0 or hits * 2 < len(held):
                continue
            score = (hits / len(held), hits, seen)
            if best is None or score > best:
                best, chosen = score, (fid, old)
        return chosen

    def reconcile(self, folder_id: int, posts: Iterable[Post]) -> int:
        """Follow renamed files: a bookmark or read mark whose path is no longer a post moves to
        the one post with the same title and date (with its position and last-opened mark);
        stored titles and dates are refreshed. Returns how many were re-attached."""

        def load(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str, str | None]]]:
            return {
                table: conn.execute(
                    f"SELECT path, title, date FROM {table} WHERE folder_id = ?", (folder_id,)
                ).fetchall()
                for table in ("bookmarks", "read_state")
            }

        stored = self._read(load)
        if not any(stored.values()):
            return 0  # nothing marked in this folder: no need to index its posts by path
        by_path = {p.path: p for p in posts}
        by_ident: dict[tuple[str, str | None], list[Post]] | None = None
        moves: list[tuple[str, str, Post]] = []  # table, old path, post
        stale: list[tuple[str, Post]] = []
        for table, rows in stored.items():
            held = {r[0] for r in rows}
            for path, title, date in rows:
                post = by_path.get(path)
                if post is not None:
                    if (post.title, _iso(post.date)) != (title, date):
                        stale.append((table, post))
                    continue
                if by_ident is None:
                    by_ident = {}
                    for p in by_path.values():
                        by_ident.setdefault(_ident(p.title, _iso(p.date)), []).append(p)
                same = by_ident.get(_ident(title, date), [])
                if title and len(same) == 1 and same[0].path not in held:
                    moves.append((table, path, same[0]))
                    held.add(same[0].path)
        if not moves and not stale:
            return 0

        def apply(conn: sqlite3.Connection) -> int:
            moved = 0
            for table, post in stale:
                conn.execute(
                    f"UPDATE {table} SET title = ?, date = ? WHERE folder_id = ? AND path = ?",
                    (post.title, _iso(post.date), folder_id, post.path),
                )
            for table, old, post in moves:
                cur = conn.execute(
                    f"UPDATE OR IGNORE {table} SET path = ?, title = ?, date = ? "
                    "WHERE folder_id = ? AND path = ?",
                    (post.path, post.title, _iso(post.date), folder_id, old),
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

        moved = self._write(apply)
        if moved:
            log.info("re-attached %d bookmarks/read marks to renamed files", moved)
        return moved

    # --- bookmarks --------------------------------------------------------------------------

    def is_bookmarked(self, folder_id: int, path: str) -> bool:
        return self._exists("bookmarks", folder_id, path)

    def bookmarked_paths(self, folder_id: int) -> set[str]:
        return self._paths("bookmarks", folder_id)

    def bookmarks(self, folder_id: int) -> list[Bookmark]:
        """All bookmarks of the folder, newest first (also those whose file is missing now)."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT path, title, date, note, created_at FROM bookmarks WHERE folder_id = ? "
                "ORDER BY created_at DESC, rowid DESC",
                (folder_id,),
            ).fetchall()
        )
        return [Bookmark(p, t, d, n, datetime.fromisoformat(c)) for p, t, d, n, c in rows]

    def add_bookmark(self, folder_id: int, post: Post, note: str = "") -> bool:
        """Bookmark a post; True if it was not bookmarked. A non-empty note replaces the old."""
        note = _check_note(note)

        def add(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "INSERT OR IGNORE INTO bookmarks (folder_id, path, title, date, note, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (folder_id, post.path, post.title, _iso(post.date), note, _now()),
            )
            if cur.rowcount == 0 and note:
                conn.execute(
                    "UPDATE bookmarks SET note = ? WHERE folder_id = ? AND path = ?",
                    (note, folder_id, post.path),
                )
            return cur.rowcount == 1

        return self._write(add)

    def remove_bookmark(self, folder_id: int, path: str) -> bool:
        """Remove a bookmark; True if there was one."""
        return self._delete("bookmarks", folder_id, path)

    def toggle_bookmark(self, folder_id: int, post: Post) -> bool:
        """Bookmark or un-bookmark in one transaction; True if the post is bookmarked now."""

        def toggle(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "DELETE FROM bookmarks WHERE folder_id = ? AND path = ?", (folder_id, post.path)
            )
            if cur.rowcount:
                return False
            conn.execute(
                "INSERT INTO bookmarks (folder_id, path, title, date, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (folder_id, post.path, post.title, _iso(post.date), _now()),
            )
            return True

        return self._write(toggle)

    def set_note(self, folder_id: int, path: str, note: str) -> bool:
        """Set a bookmark's note ('' clears it); False if the post is not bookmarked."""
        note = _check_note(note)
        return self._write(
            lambda c: (
                c.execute(
                    "UPDATE bookmarks SET note = ? WHERE folder_id = ? AND path = ?",
                    (note, folder_id, path),
                ).rowcount
                == 1
            )
        )

    # --- read marks -------------------------------------------------------------------------

    def is_read(self, folder_id: int, path: str) -> bool:
        return self._exists("read_state", folder_id, path)

    def read_paths(self, folder_id: int) -> set[str]:
        return self._paths("read_state", folder_id)

    def unread_count(self, folder_id: int, paths: Iterable[str]) -> int:
        """How many of `paths` (the folder's posts) are not marked read."""
        wanted = set(paths)
        return len(wanted - self.read_paths(folder_id))

    def set_read(self, folder_id: int, posts: Iterable[Post], read: bool = True) -> int:
        """Mark many posts read (or unread) in one transaction; returns how many changed.

        Takes posts, not paths, so a read mark can follow its file through a rename.
        """
        items = list(posts)
        now = _now()

        def mark(conn: sqlite3.Connection) -> int:
            if read:
                cur = conn.executemany(
                    "INSERT OR IGNORE INTO read_state (folder_id, path, title, date, read_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(folder_id, p.path, p.title, _iso(p.date), now) for p in items],
                )
            else:
                cur = conn.executemany(
                    "DELETE FROM read_state WHERE folder_id = ? AND path = ?",
                    [(folder_id, p.path) for p in items],
                )
            return cur.rowcount

        return self._write(mark) if items else 0

    def toggle_read(self, folder_id: int, post: Post) -> bool:
        """Flip a post's read mark in one transaction; True if it is read now."""

        def toggle(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "DELETE FROM read_state WHERE folder_id = ? AND path = ?", (folder_id, post.path)
            )
            if cur.rowcount:
                return False
            conn.execute(
                "INSERT INTO read_state (folder_id, path, title, date, read_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (folder_id, post.path, post.title, _iso(post.date), _now()),
            )
            return True

        return self._write(toggle)

    # --- positions --------------------------------------------------------------------------

    def position(self, folder_id: int, path: str) -> float:
        """The remembered scroll position (0.0 top … 1.0 bottom); 0.0 if none."""
        row = self._read(
            lambda c: c.execute(
                "SELECT fraction FROM positions WHERE folder_id = ? AND path = ?",
                (folder_id, path),
            ).fetchone()
        )
        return float(row[0]) if row is not None else 0.0

    def set_position(self, folder_id: int, path: str, fraction: float) -> None:
        """Remember a scroll position. Each call is a committed write: call it when scrolling
        rests (debounced), not for every pixel."""
        if not math.isfinite(fraction):
            raise ValueError(f"scroll position must be a number from 0 to 1, not {fraction}")
        value = min(1.0, max(0.0, float(fraction)))
        self._write(
            lambda c: c.execute(
                "INSERT INTO positions (folder_id, path, fraction, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (folder_id, path) "
                "DO UPDATE SET fraction = excluded.fraction, updated_at = excluded.updated_at",
                (folder_id, path, value, _now()),
            )
        )

    def last_opened(self, folder_id: int) -> str | None:
        row = self._read(
            lambda c: c.execute(
                "SELECT last_opened FROM folders WHERE id = ?", (folder_id,)
            ).fetchone()
        )
        return None if row is None else row[0]

    def set_last_opened(self, folder_id: int, path: str | None) -> None:
        self._write(
            lambda c: c.execute(
                "UPDATE folders SET last_opened = ? WHERE id = ?", (path, folder_id)
            )
        )

    # --- export and import ------------------------------------------------------------------

    def export_bookmarks(
        self, folder_id: int, posts: Library | Iterable[Post], fmt: ExportFormat
    ) -> str:
        """The folder's bookmarks, newest first, as Markdown, HTML or JSON text. Categories and
        tags come from the current posts; a bookmark whose file is gone keeps its stored title."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; use one of {EXPORT_FORMATS}")
        current = {p.path: p for p in (posts.posts if isinstance(posts, Library) else posts)}
        root_row = self._read(
            lambda c: c.execute("SELECT path FROM folders WHERE id = ?", (folder_id,)).fetchone()
        )
        root = Path(root_row[0]) if root_row else None
        entries: list[dict[str, object]] = []
        for b in self.bookmarks(folder_id):
            post = current.get(b.path)
            entries.append(
                {
                    "title": post.title if post else b.title,
                    "date": _iso(post.date) if post else b.date,
                    "categories": list(post.categories) if post else [],
                    "tags": list(post.tags) if post else [],
                    "path": b.path,
                    "note": b.note,
                    "bookmarked_at": b.created_at.isoformat(),
                }
            )
        if fmt == "json":
            doc = {
                EXPORT_MARKER: 1,
                "folder": str(root) if root else None,
                "exported_at": _now(),
                "bookmarks": entries,
            }
            return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        missing = {str(e["path"]) for e in entries if e["path"] not in current}
        render = _markdown if fmt == "md" else _html
        return render(entries, root, missing)

    def import_bookmarks(
        self, folder_id: int, json_text: str, posts: Iterable[Post]
    ) -> ImportResult:
        """Merge a JSON export: each entry finds its post by path, else by title and date; posts
        already bookmarked are not duplicated (their empty note is filled in). One transaction."""
        entries = _parse_export(json_text)
        by_path = {p.path: p for p in posts}
        by_ident: dict[tuple[str, str | None], list[Post]] = {}
        for p in by_path.values():
            by_ident.setdefault(_ident(p.title, _iso(p.date)), []).append(p)
        matched: list[tuple[Post, str, str]] = []
        unmatched: list[str] = []
        for e in entries:
            path, title, date = e.get("path"), e.get("title"), e.get("date")
            post = by_path.get(path) if isinstance(path, str) else None
            if post is None and isinstance(title, str) and title:
                same = by_ident.get(_ident(title, date if isinstance(date, str) else None), [])
                post = same[0] if len(same) == 1 else None
            if post is None:
                unmatched.append(str(title or path or "?"))
                continue
            note = e.get("note")
            note = note.strip()[:NOTE_MAX] if isinstance(note, str) else ""
            matched.append((post, note, _parse_time(e.get("bookmarked_at"))))

        def merge(conn: sqlite3.Connection) -> tuple[int, int]:
            added = already = 0
            for post, note, created in matched:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO bookmarks (folder_id, path, title, date, note, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (folder_id, post.path, post.title, _iso(post.date), note, created),
                )
                if cur.rowcount == 1:
                    added += 1
                    continue
                already += 1
                if note:
                    conn.execute(
                        "UPDATE bookmarks SET note = ? WHERE folder_id = ? AND path = ? "
                        "AND note = ''",
                        (note, folder_id, post.path),
                    )
            return added, already

        added, already = self._write(merge) if matched else (0, 0)
        return ImportResult(added, already, tuple(unmatched))

    # --- helpers ----------------------------------------------------------------------------

    def _exists(self, table: str, folder_id: int, path: str) -> bool:
        row = self._read(
            lambda c: c.execute(
                f"SELECT 1 FROM {table} WHERE folder_id = ? AND path = ?", (folder_id, path)
            ).fetchone()
        )
        return row is not None

    def _paths(self, table: str, folder_id: int) -> set[str]:
        rows = self._read(
            lambda c: c.execute(
                f"SELECT path FROM {table} WHERE folder_id = ?", (folder_id,)
            ).fetchall()
        )
        return {r[0] for r in rows}

    def _delete(self, table: str, folder_id: int, path: str) -> bool:
        return self._write(
            lambda c: (
                c.execute(
                    f"DELETE FROM {table} WHERE folder_id = ? AND path = ?", (folder_id, path)
                ).rowcount
                == 1
            )
        )


# --- small functions ------------------------------------------------------------------------


def _now() -> str:
    # One fixed width, so that text order is time order.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _iso(date: datetime | None) -> str | None:
    return date.isoformat() if date is not None else None


def _ident(title: str, date: str | None) -> tuple[str, str | None]:
    """What identifies a post across a rename: its title and the instant of its date (the same
    instant may be printed with another offset if the machine's time zone changed)."""
    if date is None:
        return (title, None)
    try:
        dt = datetime.fromisoformat(date)
    except ValueError:
        return (title, date)
    return (title, dt.astimezone(UTC).isoformat() if dt.tzinfo is not None else dt.isoformat())


def _parse_time(value: object) -> str:
    if isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            return _now()
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return dt.astimezone(UTC).isoformat(timespec="microseconds")
    return _now()


def _gone(path: str) -> bool:
    """True if a folder's old path is missing or empty (a move); False if it cannot be told."""
    try:
        with os.scandir(path) as entries:
            return next(entries, None) is None
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False


def _check_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValueError(f"a note is at most {NOTE_MAX} characters (this one has {len(note)})")
    return note


def _store_error(exc: sqlite3.Error, write: bool) -> StoreError:
    what = "saved" if write else "read"
    return StoreError(f"bookmarks and reading state could not be {what}: {exc}")


def _recovered_message(reason: str, moved: Path) -> str:
    return (
        f"The bookmarks database was damaged ({reason}). It was moved to {moved} and a new, "
        "empty one was started; the old file is kept so it can be recovered."
    )


def _parse_export(text: str) -> list[dict[str, object]]:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ImportFileError(f"not a JSON file: {exc}") from None
    items = doc.get("bookmarks") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise ImportFileError("not a Post Reader bookmarks export (no list of bookmarks)")
    return [e for e in items if isinstance(e, dict)]


def _link(root: Path | None, path: str) -> str:
    return (root / path).as_uri() if root is not None else quote(path)


def _md_text(text: str) -> str:
    text = " ".join(text.split())
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def _markdown(entries: list[dict[str, object]], root: Path | None, missing: set[str]) -> str:
    name = root.name if root else "folder"
    lines = [f"# Bookmarks: {_md_text(name)}", ""]
    lines += [f"{len(entries)} bookmarks, newest first, exported {_now()[:19]}Z.", ""]
    for e in entries:
        path = str(e["path"])
        gone = " (file missing)" if path in missing else ""
        lines.append(f"## [{_md_text(str(e['title']))}](<{_link(root, path)}>){gone}")
        lines.append("")
        for label, key in (("Date", "date"), ("Categories", "categories"), ("Tags", "tags")):
            value = e[key]
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value or "")
            if text:
                lines.append(f"- {label}: {_md_text(text)}")
        lines.append(f"- Path: {_md_text(path)}")
        lines.append(f"- Bookmarked: {e['bookmarked_at']}")
        if e["note"]:
            lines.append(f"- Note: {_md_text(str(e['note']))}")
        lines.append("")
    return "\n".join(lines)


def _html(entries: list[dict[str, object]], root: Path | None, missing: set[str]) -> str:
    esc = html.escape
    name = esc(root.name if root else "folder")
    out = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        f"<title>Bookmarks: {name}</title></head><body>",
        f"<h1>Bookmarks: {name}</h1>",
        f"<p>{len(entries)} bookmarks, newest first, exported {esc(_now()[:19])}Z.</p>",
        "<ol>",
    ]
    for e in entries:
        path = str(e["path"])
        gone = " <em>(file missing)</em>" if path in missing else ""
        out.append(f'<li><a href="{esc(_link(root, path))}">{esc(str(e["title"]))}</a>{gone}<ul>')
        for label, key in (("Date", "date"), ("Categories", "categories"), ("Tags", "tags")):
            value = e[key]
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value or "")
            if text:
                out.append(f"<li>{label}: {esc(text)}</li>")
        out.append(f"<li>Path: <code>{esc(path)}</code></li>")
        out.append(f"<li>Bookmarked: {esc(str(e['bookmarked_at']))}</li>")
        if e["note"]:
            out.append(f'<li>Note: <span class="note">{esc(str(e["note"]))}</span></li>')
        out.append("</ul></li>")
    out += ["</ol>", "</body></html>", ""]
    return "\n".join(out)

"""The user data database as one guarded connection: opening it (read-write, else read-only;
a damaged file moved aside, never deleted), running each action as one transaction, and saying
what went wrong (see the rules in `storage.userdata`'s docstring).

Owns `DataFile`, the base of `storage.userdata.UserStore`, and the file helpers it uses.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from reader.core.errors import DamagedFile, StorageError, StorageFull, StorageReadOnly
from reader.core.export.bookmarks import now_iso
from reader.core.paths import data_dir
from reader.core.storage import db
from reader.core.storage.userdata_schema import DB_NAME, schema

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = db.BUSY_TIMEOUT_S
# Below this much free space the disk counts as full for `check_writable` (a bookmark with its
# note and the WAL pages it touches fit in a few pages).
MIN_FREE_BYTES = 64 * 1024
T = TypeVar("T")


class DataFile:
    """One connection to the user data, shared between threads under one lock."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        persistent: bool = True,
        busy_timeout: float = BUSY_TIMEOUT_S,
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self._busy_timeout = busy_timeout
        # Ids handed out this session: re-created with the same ids if the file must be replaced.
        self._folders: dict[int, str] = {}
        self._next_provisional = -1
        self.path = path
        self.persistent = persistent
        self._cannot_write: StorageError | None = None  # why writes are refused, if they are
        self._unavailable: StorageError | None = None  # why nothing at all can be read
        self._private_copy: Path | None = None  # a folder holding the copy being read, if any
        self.recovered_from: Path | None = None  # where a damaged database was moved to
        self.message: str | None = None  # for the user, when something needed telling

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, *, busy_timeout: float = BUSY_TIMEOUT_S) -> Self:
        """The store at `path` (default: data_dir()/userdata.sqlite3). Never raises: a damaged
        file is moved aside, a file that cannot be written is opened read-only, and a folder
        that cannot hold a database gives an in-memory store (see the module docstring)."""
        path = path if path is not None else data_dir() / DB_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if not path.is_file():
                return cls._in_memory(path, busy_timeout, f"{path} cannot be used ({exc})")
        found = file_id(path)
        try:
            return cls(open_checked(path, busy_timeout), path, busy_timeout=busy_timeout)
        except DamagedFile as exc:
            reason = str(exc)
        except db.SchemaMismatch as exc:
            log.error("user data %s left alone: %s", path, exc)
            return cls._in_memory(path, busy_timeout, f"{path} cannot be used ({exc.reason})")
        except StorageError as exc:
            return cls._read_only(path, exc, busy_timeout)
        if found is not None and file_id(path) != found:
            # Another window replaced the damaged file while we looked: use its fresh one.
            with contextlib.suppress(DamagedFile, StorageError):
                return cls(open_checked(path, busy_timeout), path, busy_timeout=busy_timeout)
        return cls._replace_damaged(path, reason, busy_timeout)

    @classmethod
    def _in_memory(
        cls, path: Path, busy_timeout: float, detail: str, moved: Path | None = None
    ) -> Self:
        log.error("user data: %s", detail)
        store = cls(open_checked(None, busy_timeout), path, persistent=False)
        store.recovered_from = moved
        kept = f"the damaged file was moved to {moved}" if moved else "it was left untouched"
        store.message = (
            f"Bookmarks and reading state cannot be saved this session: {detail}; {kept}."
        )
        return store

    @classmethod
    def _replace_damaged(cls, path: Path, reason: str, busy_timeout: float) -> Self:
        log.error("user data %s is damaged (%s); moving it aside", path, reason)
        try:
            moved = move_aside(path)
        except OSError as exc:
            store = cls._in_memory(path, busy_timeout, f"{reason}; it cannot be moved ({exc})")
            store._unavailable = StorageError(
                f"bookmarks and reading state could not be read: {reason}", path, "it is damaged"
            )
            return store
        try:
            store = cls(open_checked(path, busy_timeout), path, busy_timeout=busy_timeout)
        except (DamagedFile, StorageError) as exc:
            return cls._in_memory(path, busy_timeout, f"{path} cannot be used ({exc})", moved)
        store.recovered_from = moved
        store.message = recovered_message(reason, moved)
        return store

    @classmethod
    def _read_only(cls, path: Path, cause: StorageError, busy_timeout: float) -> Self:
        """The file cannot be written: read it as it is, refuse writes, move nothing."""
        if not path.is_file():
            return cls._in_memory(path, busy_timeout, f"{path} cannot be created ({cause.reason})")
        log.info("user data %s opened read-only: %s", path, cause.reason)
        copy: Path | None = None
        try:
            try:
                conn = open_read_only(path, busy_timeout)
            except StorageError:
                if not db.wal_has_commits(path):
                    raise
                conn, copy = open_private_copy(path, busy_timeout)
        except (DamagedFile, StorageError, OSError) as exc:
            # Unreadable as well: nothing may pretend to be its content.
            store = cls._in_memory(path, busy_timeout, f"{path} cannot be read ({exc})")
            store._unavailable = StorageError(
                f"bookmarks and reading state could not be read: {exc}", path, cause.reason
            )
            return store
        store = cls(conn, path, busy_timeout=busy_timeout)
        store._private_copy = copy
        store._cannot_write = cause
        store.message = (
            f"Changes to bookmarks and reading state cannot be saved: {cause.reason} ({path}). "
            "Everything saved before can still be read."
        )
        return store

    @property
    def writable(self) -> bool:
        return self._cannot_write is None and self._unavailable is None

    @property
    def read_only_reason(self) -> str | None:
        """Why changes cannot be saved ("the file system is read-only"), or None."""
        cause = self._cannot_write or self._unavailable
        return cause.reason if cause is not None else None

    def check_writable(self) -> StorageError | None:
        """Whether a change can be saved now: None, or the error a change would raise. Writes
        the same `user_version` again (a real write, so a held lock shows) and asks for some
        free space (a WAL with room left takes a small write even on a full disk), for a window
        waiting for space to be freed or a lock to be let go."""
        if self.persistent and self.writable:
            try:
                free = shutil.disk_usage(self.path.parent).free
            except OSError:
                free = MIN_FREE_BYTES
            if free < MIN_FREE_BYTES:
                reason = "the disk is full"
                return StorageFull(f"changes could not be saved: {reason}", self.path, reason)
        try:
            self._write(
                lambda conn: conn.execute(f"PRAGMA user_version = {db.user_version(conn)}"),
                "a test change",
            )
        except StorageError as exc:
            return exc
        return None

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if self._private_copy is not None:
                shutil.rmtree(self._private_copy, ignore_errors=True)
                self._private_copy = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- running actions --------------------------------------------------------------------

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return self._run(fn, None)

    def _write(self, fn: Callable[[sqlite3.Connection], T], what: str = "the change") -> T:
        return self._run(fn, what)

    def _run(self, fn: Callable[[sqlite3.Connection], T], what: str | None) -> T:
        """`fn` on the connection: in a write transaction when `what` (what it saves) is given.
        One attempt; a damaged file is moved aside and the action run once more."""
        doing = (
            f"{what} could not be saved"
            if what
            else "bookmarks and reading state could not be read"
        )
        with self._lock:
            refusal = self._unavailable or (self._cannot_write if what else None)
            if refusal is not None:
                kind = type(refusal) if type(refusal) is not db.SchemaMismatch else StorageReadOnly
                raise kind(f"{doing}: {refusal.reason}", refusal.path, refusal.reason)
            try:
                return self._attempt(fn, what is not None)
            except sqlite3.Error as exc:
                error = db.classify(exc, self.path if self.persistent else None, doing)
                # Only the file's own verdict counts mid-session, never a failure to write it;
                # and a file that cannot be written cannot be replaced either.
                if not (isinstance(error, DamagedFile) and self.persistent and self.writable):
                    raise self._reported(error, doing, what) from exc
                reason = str(exc)
            self._recover(reason)
            try:
                return self._attempt(fn, what is not None)
            except sqlite3.Error as exc:
                error = db.classify(exc, self.path if self.persistent else None, doing)
                raise self._reported(error, doing, what) from exc

    def _reported(
        self, error: DamagedFile | StorageError, doing: str, what: str | None
    ) -> StorageError:
        if isinstance(error, DamagedFile):
            return StorageError(f"{doing}: {error}", self.path, "the file is damaged")
        if what and type(error) is StorageReadOnly:
            # The file system went read-only (or lost its permission): it stays so this session.
            log.warning("user data %s cannot be written any more: %s", self.path, error.reason)
            self._cannot_write = error
        return error

    def _attempt(self, fn: Callable[[sqlite3.Connection], T], write: bool) -> T:
        conn = self._conn
        if not write:
            return fn(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
            conn.execute("COMMIT")
        except BaseException:
            db.rollback(conn)
            raise
        return result

    def _recover(self, reason: str) -> None:
        """Damage found mid-session: move the file aside, carry on with a fresh one."""
        log.error("user data %s became unreadable (%s); moving it aside", self.path, reason)
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        try:
            moved = move_aside(self.path)
            self._conn = open_checked(self.path, self._busy_timeout)
            self.recovered_from = moved
            self.message = recovered_message(reason, moved)
        except (OSError, DamagedFile, StorageError) as exc:
            self._conn = open_checked(None, self._busy_timeout)
            self.persistent = False
            self.message = (
                f"Bookmarks and reading state cannot be saved any more this session: {self.path} "
                f"became unreadable ({reason}) and could not be replaced ({exc})."
            )
        now = now_iso()
        for fid, root in self._folders.items():
            if fid > 0:
                self._conn.execute(
                    "INSERT OR IGNORE INTO folders (id, path, seen_at) VALUES (?, ?, ?)",
                    (fid, root, now),
                )


# --- the file ---------------------------------------------------------------------------------


def open_checked(path: Path | None, busy_timeout: float) -> sqlite3.Connection:
    """A read-write, checked, migrated connection (None: in memory). Raises DamagedFile for a
    damaged file, SchemaMismatch for a newer one, a StorageError when it cannot be written."""
    if path is None:
        return db.open_database(None, schema(), busy_timeout=busy_timeout)
    checked = db.check_file(path, schema(), busy_timeout)
    conn = db.open_database(path, schema(), busy_timeout=busy_timeout, quick_check=not checked)
    try:
        _probe_writable(conn, busy_timeout)
    except sqlite3.Error as exc:
        conn.close()
        raise db.classify(exc, path, "the user data could not be opened for writing") from exc
    return conn


def _probe_writable(conn: sqlite3.Connection, busy_timeout: float) -> None:
    """Raise SQLITE_READONLY now rather than at the first click: SQLite silently opens a file it
    may not write read-only, and only a write tells. A lock held by another window
    is no answer (it is let go in milliseconds), so the probe does not wait for one."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        # A change of nothing, rolled back before it reaches the disk. BEGIN alone is not
        # enough: with a -shm file it may only read, SQLite grants the transaction and refuses
        # only the first page written.
        conn.execute(f"PRAGMA user_version = {db.user_version(conn)}")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if db.error_code(exc) not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise
    finally:
        db.rollback(conn)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")


def open_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A read-only connection to an existing file that cannot be written (see db.open_read_only),
    integrity-checked so that damage is still told from a file that is merely unwritable."""
    conn = db.open_read_only(path, schema(), busy_timeout=busy_timeout)
    try:
        db.check_integrity(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def move_aside(path: Path) -> Path:
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


def recovered_message(reason: str, moved: Path) -> str:
    return (
        f"The bookmarks database was damaged ({reason}). It was moved to {moved} and a new, "
        "empty one was started; the old file is kept so it can be recovered."
    )


def open_private_copy(path: Path, busy_timeout: float) -> tuple[sqlite3.Connection, Path]:
    """(a read-only connection, the folder holding it) to a private copy of the file and its
    -wal. For a file whose latest commits are still in its -wal, in a folder that cannot be
    written and without the -shm file SQLite needs to read them in place (a program killed
    before the disk went read-only): the copy shows them, the original stays as it is."""
    folder = Path(tempfile.mkdtemp(prefix="post-reader-userdata-"))
    try:
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{path}{suffix}", folder / f"{path.name}{suffix}")
        conn = open_read_only(folder / path.name, busy_timeout)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    log.info("user data %s is read from a private copy in %s", path, folder)
    return conn, folder

"""One way to open the program's SQLite databases: the folder cache (`storage.cache`), the search
index (`search.index`) and the user data (`storage.userdata`).

Owns connecting (WAL, busy timeout, synchronous mode), the schema steps (`PRAGMA user_version`
says how many of a `Schema`'s steps have run; each step is one function and runs in its own
transaction), the `PRAGMA application_id` that says which of our databases a file is, the file
name of a per-folder database (one hash of the folder's resolved path), and telling SQLite's
errors apart the way qutebrowser's `misc/sql.py` tells a KnownError from a BugError:

- damage: the file is not a database, fails its integrity check, is another program's database or
  a folder stands in its place → `DamagedFile`. Only this may be moved aside (user data) or
  deleted (caches).
- the environment: a read-only file system or file, a full disk, a lock held past the busy
  timeout, no permission → `StorageReadOnly`, `StorageFull`, `StorageLocked` (each with `.path`
  and a short `.reason`). The file is left alone: it is as good as it was.
- a file written by another version of the schema → `SchemaMismatch` (caches rebuild it, the
  user data leaves it alone).
- anything else SQLite reports → a plain `StorageError` carrying SQLite's words.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.core import paths
from reader.core.errors import (
    DamagedFile,
    StorageError,
    StorageFull,
    StorageLocked,
    StorageReadOnly,
)

log = logging.getLogger(__name__)

# Long enough for another window's transaction (milliseconds each) even on a busy disk.
BUSY_TIMEOUT_S = 10.0

# `PRAGMA application_id` of each kind of database ("PRC1", "PRI1", "PRU1" in ASCII): a file of
# one kind found where another belongs is not ours. 0 is a file from before ids were written.
APP_ID_CACHE = 0x50524331
APP_ID_INDEX = 0x50524931
APP_ID_USERDATA = 0x50525531

Step = Callable[[sqlite3.Connection], None]

_DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_LOCK_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_PERMISSION_CODES = frozenset({sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH})
_SIDE_FILES = ("-wal", "-shm", "-journal")


class SchemaMismatch(StorageError):
    """The file was written by another version of the program (`newer`: a later one)."""

    def __init__(self, message: str, path: Path | None, newer: bool) -> None:
        reason = "it was written by a newer Post Reader" if newer else "it has an older layout"
        super().__init__(message, path, reason)
        self.newer = newer


@dataclass(frozen=True, slots=True)
class Schema:
    """What one kind of database holds and how a file becomes it.

    `steps[n]` takes a file from user_version n to n + 1 (append, never edit a released step).
    A `disposable` database (a cache) is rebuilt when of another version, unless it is of
    `migrated_from` or later (steps that only add, so a cache of 1,000,000 rows is kept).
    `fresh_pragmas` run on a new, empty file before WAL fixes them (page size, auto_vacuum).
    """

    name: str
    application_id: int
    steps: tuple[Step, ...]
    tables: frozenset[str]
    disposable: bool
    synchronous: str = "NORMAL"
    migrated_from: int | None = None
    foreign_keys: bool = False
    fresh_pragmas: tuple[str, ...] = ()

    @property
    def version(self) -> int:
        return len(self.steps)


# --- telling errors apart -----------------------------------------------------------------------


def error_code(exc: BaseException) -> int:
    """SQLite's primary result code of `exc` (0 when it has none)."""
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def is_damage(exc: BaseException) -> bool:
    """Whether SQLite says the file itself is damaged (not the environment around it)."""
    if error_code(exc) in _DAMAGE_CODES:
        return True
    # Some damage comes without an extended code (e.g. from an FTS5 shadow table).
    text = str(exc).lower()
    return error_code(exc) == 0 and any(
        s in text for s in ("malformed", "not a database", "file is encrypted")
    )


def write_obstacle(path: Path | None) -> tuple[type[StorageError], str]:
    """Why `path` (or the folder it would be created in) cannot be written, as far as the file
    system tells: (the error class, a short reason)."""
    if path is None:
        return StorageError, "it cannot be written"
    target = path if os.path.lexists(path) else path.parent
    try:
        st = os.statvfs(target)
    except OSError:
        return StorageError, "its folder cannot be reached"
    if st.f_flag & os.ST_RDONLY:
        return StorageReadOnly, "the file system is read-only"
    # Root may still use the blocks reserved for it, others may not.
    if st.f_bfree == 0 or (st.f_bavail == 0 and os.geteuid() != 0):
        return StorageFull, "the disk is full"
    if not os.access(target, os.W_OK):
        return StorageReadOnly, "there is no permission to write it"
    if target == path and not os.access(path.parent, os.W_OK):
        return StorageReadOnly, "there is no permission to write in its folder"
    return StorageReadOnly, "it cannot be written"


def is_layout_error(exc: BaseException) -> bool:
    """Whether a statement failed because a table or column is not there: the file does not
    hold what this version wrote (for a cache, that is damage)."""
    return error_code(exc) in (0, sqlite3.SQLITE_ERROR) and "no such " in str(exc).lower()


def classify(
    exc: sqlite3.Error, path: Path | None, doing: str, *, disposable: bool = False
) -> DamagedFile | StorageError:
    """The core's error for what SQLite raised while `doing` something with the file at `path`
    (`doing` completes "… could not be …", e.g. "the bookmark could not be saved"). For a
    `disposable` file (a cache) a missing table or column counts as damage too."""
    code = error_code(exc)
    if is_damage(exc) or (disposable and is_layout_error(exc)):
        return DamagedFile(f"{path} is damaged ({exc})")
    kind: type[StorageError]
    if code == sqlite3.SQLITE_FULL:
        kind, reason = StorageFull, "the disk is full"
    elif code in _LOCK_CODES:
        kind, reason = StorageLocked, "another program holds the database locked"
    elif code in _PERMISSION_CODES:
        kind, reason = StorageReadOnly, "there is no permission to write it"
    elif code == sqlite3.SQLITE_READONLY:
        kind, reason = write_obstacle(path)
        if kind is StorageError:
            kind = StorageReadOnly
    elif code == sqlite3.SQLITE_CANTOPEN:
        if path is not None and path.is_dir():
            return DamagedFile(f"{path} is a folder, not a database")
        kind, reason = write_obstacle(path)
        if kind is StorageReadOnly and reason == "it cannot be written":
            kind, reason = StorageError, "it cannot be opened"
    elif code == sqlite3.SQLITE_IOERR:
        kind, reason = write_obstacle(path)
        if reason == "it cannot be written":
            kind, reason = StorageError, f"the disk reported an error ({exc})"
    else:
        kind, reason = StorageError, str(exc)
    return kind(f"{doing}: {reason}", path, reason)


# --- files ----------------------------------------------------------------------------------------


def folder_database_path(root: Path, kind: str, cache_dir: Path | None = None) -> Path:
    """The file of one per-folder database (`kind`: "folders" for the index cache, "search" for
    the search index), named by a hash of the folder's resolved path."""
    base = cache_dir if cache_dir is not None else paths.cache_dir()
    key = hashlib.sha256(os.fsencode(str(root.resolve()))).hexdigest()[:32]
    return base / kind / f"{key}.sqlite3"


def delete_database(path: Path) -> bool:
    """Delete a disposable database with its -wal, -shm and -journal files; False if some
    could not be deleted (the caller then works without it)."""
    ok = True
    for suffix in ("", *_SIDE_FILES):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError as exc:
            log.warning("cannot delete %s%s: %s", path, suffix, exc)
            ok = False
    return ok


def wal_has_commits(path: Path) -> bool:
    """Whether the -wal file beside `path` holds commits not yet in the database file."""
    try:
        return os.path.getsize(f"{path}-wal") > 0
    except OSError:
        return False


# --- connecting -----------------------------------------------------------------------------------


def connect(
    path: Path | None,
    *,
    busy_timeout: float = BUSY_TIMEOUT_S,
    read_only: bool = False,
    immutable: bool = False,
    doing: str = "the database could not be opened",
) -> sqlite3.Connection:
    """A bare connection (autocommit, usable from any thread) to `path` (None: in memory).
    `read_only` opens with `mode=ro`; `immutable` also tells SQLite nothing can change the file,
    so it needs no -shm (only for a file on a read-only file system with no WAL to replay)."""
    if path is None:
        target, uri = ":memory:", False
    elif read_only or immutable:
        target = f"{path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        uri = True
    else:
        target, uri = str(path), False
    try:
        conn = sqlite3.connect(
            target, timeout=busy_timeout, isolation_level=None, check_same_thread=False, uri=uri
        )
    except sqlite3.Error as exc:
        raise classify(exc, path, doing) from exc
    return conn


def open_database(
    path: Path | None,
    schema: Schema,
    *,
    busy_timeout: float = BUSY_TIMEOUT_S,
    read_only: bool = False,
    immutable: bool = False,
    quick_check: bool = False,
) -> sqlite3.Connection:
    """A connection to a file of `schema`, in WAL mode and migrated to its current version.

    Raises DamagedFile, SchemaMismatch or a StorageError subclass (see the module docstring);
    a read-only connection is never migrated (an outdated file raises StorageReadOnly)."""
    doing = f"the {schema.name} could not be opened"
    conn = connect(
        path, busy_timeout=busy_timeout, read_only=read_only, immutable=immutable, doing=doing
    )
    try:
        _prepare(conn, path, schema, busy_timeout, read_only or immutable, quick_check)
    except sqlite3.Error as exc:
        conn.close()
        raise classify(exc, path, doing) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def open_read_only(
    path: Path, schema: Schema, *, busy_timeout: float = BUSY_TIMEOUT_S
) -> sqlite3.Connection:
    """A read-only connection to an existing file that cannot be written. On a read-only folder
    SQLite cannot create the -shm file WAL needs; then the file is opened `immutable`, unless a
    -wal file holds commits that only a WAL-aware connection would see."""
    try:
        return open_database(path, schema, busy_timeout=busy_timeout, read_only=True)
    except StorageError as exc:
        if isinstance(exc, SchemaMismatch) or wal_has_commits(path):
            raise
        log.info("%s: opening %s as immutable (%s)", schema.name, path, exc.reason)
    return open_database(path, schema, busy_timeout=busy_timeout, immutable=True)


def _prepare(
    conn: sqlite3.Connection,
    path: Path | None,
    schema: Schema,
    busy_timeout: float,
    read_only: bool,
    quick_check: bool,
) -> None:
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])  # NOTADB shows here
    version = user_version(conn)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id not in (0, schema.application_id):
        raise DamagedFile(f"{path} is not a {schema.name} database (application id {app_id:#x})")
    fresh = version == 0 and not tables
    if not read_only:
        if fresh:
            for pragma in schema.fresh_pragmas:
                conn.execute(pragma)
        mode = journal_mode_wal(conn, busy_timeout)
        if path is not None and mode != "wal":
            log.warning("%s: WAL not available on this file system (mode %s)", schema.name, mode)
    conn.execute(f"PRAGMA synchronous = {schema.synchronous}")
    if schema.foreign_keys:
        conn.execute("PRAGMA foreign_keys = ON")
    if quick_check:
        check_integrity(conn, path)
    if version > schema.version:
        raise SchemaMismatch(
            f"the {schema.name} has schema version {version}, this program knows {schema.version}",
            path,
            newer=True,
        )
    if version < schema.version:
        kept = schema.migrated_from is not None and version >= schema.migrated_from
        if schema.disposable and not fresh and not kept:
            raise SchemaMismatch(f"the {schema.name} is of version {version}", path, newer=False)
        if read_only:
            # Read as it is: what it holds stays readable; what a later step adds is absent
            # (its readers check for their tables).
            log.info("%s %s is of version %d, read without upgrading", schema.name, path, version)
            return
        migrate(conn, schema)
    elif not schema.tables <= tables:
        missing = ", ".join(sorted(schema.tables - tables))
        raise DamagedFile(f"{path} lacks the tables {missing}")
    elif app_id == 0 and not read_only:
        # Written before application ids: ours by its version and tables; say so in the file.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute(f"PRAGMA application_id = {schema.application_id}")


def check_integrity(conn: sqlite3.Connection, path: Path | None) -> None:
    """Raise DamagedFile unless `PRAGMA quick_check` finds the file sound."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        raise DamagedFile(f"{path}: quick_check: " + "; ".join(str(r[0]) for r in rows[:3]))


def check_file(path: Path, schema: Schema, busy_timeout: float = BUSY_TIMEOUT_S) -> bool:
    """quick_check an existing file through a read-only connection: True when sound, False when
    it could not be checked (the read-write open decides then); DamagedFile when it is damaged.
    Read-only, because closing a read-write connection lets SQLite delete the -wal file of a
    damaged database, which must be kept with it instead."""
    if not path.is_file():
        return False
    try:
        conn = connect(path, busy_timeout=busy_timeout, read_only=True)
    except StorageError:
        return False
    try:
        check_integrity(conn, path)
    except sqlite3.Error as exc:
        if is_damage(exc):
            raise DamagedFile(f"{path} is damaged ({exc})") from exc
        return False
    finally:
        conn.close()
    return True


def journal_mode_wal(conn: sqlite3.Connection, busy_timeout: float = BUSY_TIMEOUT_S) -> str:
    """Switch to WAL, waiting for other processes as long as the busy timeout allows.

    SQLite answers "database is locked" at once here, without calling the busy handler, when
    another connection is switching the same file at the same moment: two windows started
    together on a new database (seen in 11 of 30 three-process races) would otherwise give up."""
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if error_code(exc) not in _LOCK_CODES or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


# --- schema steps ---------------------------------------------------------------------------------


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, schema: Schema) -> None:
    """Run the steps the file has not had, each in its own transaction."""
    target = schema.version
    while True:
        # IMMEDIATE, and the version re-read inside: two processes opening a new database at
        # once must not both run the same step.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(conn)
            if version > target:
                raise SchemaMismatch(
                    f"the {schema.name} has schema version {version}, this program knows {target}",
                    None,
                    newer=True,
                )
            if version == target:
                conn.execute("COMMIT")
                return
            schema.steps[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute(f"PRAGMA application_id = {schema.application_id}")
            conn.execute("COMMIT")
            log.info("%s migrated to schema version %d", schema.name, version + 1)
        except BaseException:
            rollback(conn)
            raise


def rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while many objects that hold no cycles are made (the rows
    of a large write): each pass would walk every object the process holds. The collector is
    switched back on after, if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""The index cache of one opened folder: every parsed file's result, kept in SQLite in the user
cache folder, so reopening a folder of 100,000 posts reads one database instead of every file.

Owns the database (one file per folder, named from a hash of the folder's resolved path, opened
through `storage.db`), its schema, and the diff between cached file stats and a new scan; the
row format and the fingerprint are `storage.codec` (re-exported here). Nothing is ever written
inside the posts folder. A damaged, foreign or outdated database is deleted and rebuilt; a cache
that cannot be written (a read-only or full disk, no permission) is simply not used, with one log
notice. No method raises for a cache problem, because the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.errors import DamagedFile, StorageError
from reader.core.post import Post, Problem, SortKey
from reader.core.reading.known import Changes, KnownFiles, Stat, diff_stats
from reader.core.reading.scan import ScanResult
from reader.core.storage import db, saved_orders, saved_table
from reader.core.storage.catalog import Catalog, derived_columns
from reader.core.storage.codec import (
    KIND_NOT_A_POST,
    KIND_POST,
    KIND_POST_JSON,
    KIND_PROBLEM,
    PARSER_VERSION,
    ROW_FORMAT_VERSION,
    CacheDamaged,
    Decoded,
    Fingerprint,
    Row,
    RowDecoder,
    encode_result,
    fingerprint_for,
)
from reader.core.table import PostTable

log = logging.getLogger(__name__)

__all__ = [
    "KIND_NOT_A_POST",
    "KIND_POST",
    "KIND_POST_JSON",
    "KIND_PROBLEM",
    "PARSER_VERSION",
    "ROW_FORMAT_VERSION",
    "SCHEMA",
    "CacheDamaged",
    "CachedFolder",
    "Catalog",
    "Changes",
    "Decoded",
    "Fingerprint",
    "FolderCache",
    "Row",
    "RowDecoder",
    "Stat",
    "database_path",
    "diff_stats",
    "encode_result",
    "fingerprint_for",
    "read_excerpt",
]


def _create_tables(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
    # A rowid table: rows are appended densely whatever order files are parsed in (keyed by
    # path, newest-first inserts left pages half empty: twice the size, slower to read back).
    conn.execute(
        """CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            data TEXT,
            excerpt TEXT
        )"""
    )
    conn.execute("CREATE TABLE scan_problems (path TEXT NOT NULL, reason TEXT NOT NULL)")


def _add_catalog(conn: sqlite3.Connection) -> None:
    # What `storage.catalog` queries: each post's date stamp and local day, and its categories
    # and tags as rows (kind 1 and 2), so one category is read without decoding every post.
    conn.execute("ALTER TABLE files ADD COLUMN stamp REAL")
    conn.execute("ALTER TABLE files ADD COLUMN day INTEGER NOT NULL DEFAULT 0")
    conn.execute(
        """CREATE TABLE file_terms (
            kind INTEGER NOT NULL,
            name TEXT NOT NULL,
            file_id INTEGER NOT NULL,
            PRIMARY KEY (kind, name, file_id)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX file_terms_by_file ON file_terms (file_id)")


SCHEMA = db.Schema(
    name="index cache",
    application_id=db.APP_ID_CACHE,
    # A disposable database: a file of version 1 (no catalog columns) is rebuilt, not migrated;
    # one of version 2 only gains the saved orders' table (its rows are kept).
    steps=(_create_tables, _add_catalog, saved_orders.create_table),
    migrated_from=2,
    tables=frozenset({"meta", "files", "scan_problems", "file_terms", "saved_orders"}),
    disposable=True,
    # Losing the last transactions in a power cut only costs re-parsing those files.
    synchronous="NORMAL",
    # Larger pages make reading every row back faster; set before WAL, which fixes it.
    fresh_pragmas=("PRAGMA page_size = 16384",),
)


_STATS_SQL = "SELECT path, size, mtime_ns FROM files"


# --- diffing a scan against the cache -----------------------------------------------------------


# --- the database ---------------------------------------------------------------------------------


@dataclass(slots=True)
class CachedFolder:
    """Everything the cache knows about a folder."""

    posts: PostTable
    problems: list[Problem]  # parse problems of cached files
    not_posts: list[str]
    stats: KnownFiles  # every cached file: posts, problems and not-a-post files
    scan_problems: list[Problem]  # what the last scan reported (unreadable folders, FIFOs...)
    # The sort orders saved for `posts` (see `storage.saved_orders`).
    orders: dict[SortKey, array[int]] = field(default_factory=dict)
    # The posts came from the saved table: `stats` holds only the other files' until
    # `saved_table.post_stats(posts, stats)` adds theirs (after the list is shown).
    post_stats_pending: bool = False


def database_path(root: Path, cache_dir: Path | None = None) -> Path:
    """Where the cache of the folder `root` lives."""
    return db.folder_database_path(root, "folders", cache_dir)


def read_excerpt(db_path: Path, path: str) -> str:
    """The excerpt cached for `path` in the database at `db_path`; "" when there is none or the
    database cannot be read (an excerpt only decorates a tooltip)."""
    try:
        conn = db.connect(db_path, busy_timeout=1, read_only=True)
    except (StorageError, ValueError):
        return ""
    try:
        row = conn.execute(
            "SELECT excerpt FROM files WHERE path = ? AND kind IN (?, ?)",
            (path, KIND_POST, KIND_POST_JSON),
        ).fetchone()
    except sqlite3.Error:
        return ""
    finally:
        conn.close()
    return str(row[0]) if row is not None and row[0] is not None else ""


class FolderCache:
    """The cache database of one folder. Use from one thread at a time."""

    def __init__(self, root: Path, db_path: Path) -> None:
        self.root = root
        self.path = db_path
        self._conn: sqlite3.Connection | None = None
        self._noticed = False  # an environment problem is logged once, not per batch
        self.problem: str | None = None  # why the cache is not used, if it is not
        # Some rows could not be written (or the cache was reset): it lacks files it should have.
        self.behind = False

    @classmethod
    def open(cls, root: Path, cache_dir: Path | None = None) -> FolderCache:
        """Open (or create) the cache of `root`. A cache that cannot be used is disabled."""
        root = root.resolve()
        cache = cls(root, database_path(root, cache_dir))
        cache._connect()
        return cache

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def __enter__(self) -> FolderCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- opening, and recovering from damage ------------------------------------------------------

    def _connect(self, retry: bool = True) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = db.open_database(self.path, SCHEMA)
        except OSError as exc:
            self._notice(f"its folder cannot be created ({exc})", disable=True)
            return
        except (DamagedFile, db.SchemaMismatch) as exc:
            if retry and self._delete_files(f"unusable ({exc})"):
                self._connect(retry=False)
            else:
                self._notice(str(exc), disable=True)
            return
        except StorageError as exc:
            self._notice(exc.reason, disable=True)
            return
        try:
            root = conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
        except sqlite3.Error as exc:
            conn.close()
            self._notice(str(exc), disable=True)
            return
        if root is not None and root[0] != str(self.root):
            conn.close()
            if retry and self._delete_files(f"the cache of another folder ({root[0]})"):
                self._connect(retry=False)
            return
        self._conn = conn

    def _notice(self, reason: str, disable: bool = False) -> None:
        if disable:
            self.close()
            self.problem = reason
        if not self._noticed:
            self._noticed = True
            log.warning("index cache %s not used (%s); loading without it", self.path, reason)

    def _failed(self, exc: sqlite3.Error | CacheDamaged, doing: str) -> bool:
        """Deal with an error met while `doing`; True when the cache was damaged and reset."""
        if isinstance(exc, CacheDamaged):
            error: DamagedFile | StorageError = exc
        else:
            error = db.classify(
                exc, self.path, f"the index cache could not be {doing}", disposable=True
            )
        if isinstance(error, DamagedFile):
            self._reset(f"damaged ({exc})")
            return True
        self._notice(error.reason)
        return False

    def _delete_files(self, why: str) -> bool:
        log.warning("index cache %s is %s; it is rebuilt", self.path, why)
        self.close()
        return db.delete_database(self.path)

    def _reset(self, why: str) -> None:
        """Throw the database away and start an empty one (which may leave the cache disabled)."""
        self.behind = True
        if self._delete_files(why):
            self._connect(retry=False)

    # --- reading ---------------------------------------------------------------------------------

    def stored_digest(self) -> str | None:
        """The fingerprint digest the cached rows were written under, if any."""
        if self._conn is None:
            return None
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except sqlite3.Error as exc:
            self._failed(exc, "read")
            return None
        return str(row[0]) if row is not None else None

    def generation(self) -> str:
        """The token of the last change written ("" when unknown or unreadable)."""
        if self._conn is None:
            return ""
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        except sqlite3.Error as exc:
            self._failed(exc, "read")
            return ""
        return str(row[0]) if row is not None else ""

    def load(self, fingerprint: Fingerprint) -> CachedFolder | None:
        """Every cached record, or None when there is no cache valid for `fingerprint`."""
        if self._conn is None or self.stored_digest() != fingerprint.digest:
            return None
        decoded = Decoded()
        stats = KnownFiles()
        conn = self._conn
        try:
            # One read transaction: the saved orders must be those of the rows read.
            conn.execute("BEGIN")
            # Excerpts are half of what the table holds and only a tooltip shows one: they are
            # read one at a time on demand (`read_excerpt`), not 100,000 at once here. In row
            # id order, the order `saved_orders` are saved for.
            # The posts as the table saved under this generation, when there is one.
            saved = saved_table.read(conn, stats)
            if saved is not None:
                decoded = saved
            else:
                rows: Iterator[Row] = conn.execute(
                    "SELECT path, size, mtime_ns, kind, data, NULL FROM files ORDER BY id"
                )
                RowDecoder(fingerprint.zones).decode(rows, decoded, stats)
            scan_problems = [
                Problem(str(p), str(r))
                for p, r in conn.execute("SELECT path, reason FROM scan_problems")
            ]
            orders = saved_orders.read(conn, len(decoded.posts))
            conn.execute("COMMIT")
        except (sqlite3.Error, CacheDamaged) as exc:
            db.rollback(conn)
            self._failed(exc, "read")
            return None
        assert isinstance(decoded.posts, PostTable)
        return CachedFolder(
            decoded.posts,
            decoded.problems,
            decoded.not_posts,
            stats,
            scan_problems,
            orders,
            post_stats_pending=saved is not None,
        )

    def known_files(self) -> tuple[KnownFiles, list[Problem]] | None:
        """The (size, mtime_ns) of every cached file and the last scan's problems, read from
        their columns without decoding a row; None when the cache cannot be read."""
        if self._conn is None:
            return None
        try:
            stats = KnownFiles()
            cursor = self._conn.execute(_STATS_SQL)
            while rows := cursor.fetchmany(65536):
                paths, sizes, mtimes = zip(*rows, strict=True)
                stats.add_many(paths, sizes, mtimes)
            problems = [
                Problem(str(p), str(r))
                for p, r in self._conn.execute("SELECT path, reason FROM scan_problems")
            ]
        except sqlite3.Error as exc:
            self._failed(exc, "read")
            return None
        return stats, problems

    def catalog(self, fingerprint: Fingerprint) -> Catalog | None:
        """The cached posts as a `Catalog` to query (None when the cache is not usable, was not
        written under `fingerprint`, or lacks rows it should have)."""
        if self._conn is None or self.behind or self.stored_digest() != fingerprint.digest:
            return None
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        except sqlite3.Error as exc:
            self._failed(exc, "read")
            return None
        return Catalog(self._conn, fingerprint, str(row[0]) if row is not None else "")

    def read_excerpt(self, path: str) -> str:
        """The cached excerpt of the post at `path` ("" when unknown). Opens its own read-only
        connection, so any thread may call it while the loader uses the main one."""
        return read_excerpt(self.path, path)

    def diff(self, cached_stats: KnownFiles, scan: ScanResult) -> Changes:
        return diff_stats(cached_stats, scan.candidates, scan.removed)

    # --- writing ---------------------------------------------------------------------------------

    def apply(
        self,
        fingerprint: Fingerprint,
        rows: Iterable[Row],
        removed: Iterable[str] = (),
        scan_problems: Sequence[Problem] | None = None,
        posts: Sequence[Post] | None = None,
    ) -> bool:
        """Store parsed files and forget removed ones, in one transaction. `posts`: the
        records of the post rows among `rows`, in order, when the caller has them decoded.

        Rows cached under another fingerprint are dropped first. Returns False when nothing could
        be written (the cache is then simply behind: those files are parsed again next time).
        """
        rows = list(rows)
        removed = list(removed)
        for attempt in (1, 2):
            if self._conn is None:
                return False
            try:
                with db.gc_paused():  # 100,000 rows' tuples: no collection passes meanwhile
                    self._write(self._conn, fingerprint, rows, removed, scan_problems, posts)
                return True
            except sqlite3.Error as exc:
                if not self._failed(exc, "written") or attempt == 2:
                    break
        self.behind = True
        return False

    def _write(
        self,
        conn: sqlite3.Connection,
        fingerprint: Fingerprint,
        rows: list[Row],
        removed: list[str],
        scan_problems: Sequence[Problem] | None,
        posts: Sequence[Post] | None = None,
    ) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            stored = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if stored is None or stored[0] != fingerprint.digest:
                conn.execute("DELETE FROM files")
                conn.execute("DELETE FROM file_terms")
                conn.execute("DELETE FROM scan_problems")
                conn.executemany(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    [("fingerprint", fingerprint.digest), ("root", str(self.root))],
                )
            # The terms of the files replaced or removed go first (in one statement, the paths
            # as one JSON array: no Python object a row).
            replaced = [*removed, *(r[0] for r in rows)]
            if replaced:
                conn.execute(
                    "DELETE FROM file_terms WHERE file_id IN (SELECT id FROM files"
                    " WHERE path IN (SELECT value FROM json_each(?)))",
                    (json.dumps(replaced),),
                )
            if removed:
                conn.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in removed])
            if rows:
                derived = derived_columns(rows, fingerprint, posts)
                conn.executemany(
                    "INSERT OR REPLACE INTO files"
                    " (path, size, mtime_ns, kind, data, excerpt, stamp, day)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(*row, d[0], d[1]) for row, d in zip(rows, derived, strict=True)],
                )
                conn.executemany(
                    "INSERT OR IGNORE INTO file_terms (kind, name, file_id)"
                    " SELECT ?, ?, id FROM files WHERE path = ?",
                    [
                        (k, name, r[0])
                        for r, d in zip(rows, derived, strict=True)
                        for k, name in d[2]
                    ],
                )
            if rows or removed:
                # A new token for every change: the search index compares it with its own.
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)",
                    (secrets.token_hex(8),),
                )
            if scan_problems is not None:
                conn.execute("DELETE FROM scan_problems")
                conn.executemany(
                    "INSERT INTO scan_problems (path, reason) VALUES (?, ?)",
                    [(p.path, p.reason) for p in scan_problems],
                )
            conn.execute("COMMIT")
        except BaseException:
            db.rollback(conn)
            raise

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database (after a large write: reads get faster)."""
        if self._conn is None:
            return
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            log.info("index cache checkpoint failed: %s", exc)

    def clear(self) -> None:
        """Delete this folder's cache; the next open starts empty."""
        self._reset("cleared")

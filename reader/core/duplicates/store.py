"""The fingerprints of one folder's posts, kept in SQLite in the user cache folder, so that
reopening a folder fingerprints only the posts that are new or changed since.

Owns `FingerprintStore`, its schema and `store_path`. One file per folder (named like the index
cache, by a hash of the folder's resolved path, under "duplicates"), opened through
`storage.db`. Each post's row holds its (size, mtime_ns) when fingerprinted and its band hashes
(`lsh`), in a narrow table read whole when a folder is opened; the 1 KB MinHash slots are in a
table of their own, read only for the pairs `lsh` proposes. A post too short to compare has a
row without bands or slots. The groups last found are kept too, with the index cache's
generation of the posts they were found among (`saved_groups`): reopening an unchanged folder
needs no index at all.

Disposable like the index cache: a damaged, foreign or outdated file is deleted and rebuilt,
rows written by another fingerprint method are dropped. When the file cannot be opened or
written (a read-only or full disk), fingerprints are kept in memory instead, with one log
notice; no method raises for a store problem. Nothing is written inside the posts folder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from reader.core.duplicates.fingerprint import MIN_CHARS, NUM_PERM, SHINGLE, Fingerprint
from reader.core.duplicates.lsh import BANDS, ROWS
from reader.core.errors import DamagedFile, StorageError
from reader.core.storage import db

log = logging.getLogger(__name__)

# "PRD1" in ASCII: a fingerprint store (see `db` for the other kinds).
APP_ID_FINGERPRINTS = 0x50524431

# Fingerprints made another way cannot be compared with these: rows stored under another method
# are dropped. Change NORMALISE when `normalise_text` or the hashing changes.
NORMALISE = 1
METHOD = f"minhash{NUM_PERM}-shingle{SHINGLE}-min{MIN_CHARS}-bands{BANDS}x{ROWS}-norm{NORMALISE}"

_CHUNK = 500  # paths per `IN (...)` query: below SQLite's limit on bound parameters
# The meta keys of the groups saved for one state of the folder (`saved_groups`): its
# generation, the groups, and the greatest post id stored then (`saved_state`).
_GROUP_KEYS = ("groups_generation", "groups", "groups_through")
_GROUP_MARKS = ",".join("?" * len(_GROUP_KEYS))
# A post's id: one more than any stored, or saved as compared (`saved_state`), ever was.
_NEXT_ID_SQL = (
    "SELECT max(coalesce((SELECT max(id) FROM posts), 0),"
    " coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'groups_through'), 0)) + 1"
)

# (path, size, mtime_ns, band hashes as bytes or None)
StoredRow = tuple[str, int, int, bytes | None]
# (path, size, mtime_ns, fingerprint or None, band hashes as bytes or None)
NewRow = tuple[str, int, int, Fingerprint | None, bytes | None]


def _create_tables(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
    conn.execute(
        """CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            bands BLOB
        )"""
    )
    conn.execute(
        "CREATE TABLE slots"
        " (id INTEGER PRIMARY KEY, shingles INTEGER NOT NULL, slots BLOB NOT NULL)"
    )


SCHEMA = db.Schema(
    name="fingerprint store",
    application_id=APP_ID_FINGERPRINTS,
    steps=(_create_tables,),
    tables=frozenset({"meta", "posts", "slots"}),
    disposable=True,
    # Losing the last transactions in a power cut only costs fingerprinting those posts again.
    synchronous="NORMAL",
)


def store_path(root: Path, cache_dir: Path | None = None) -> Path:
    """Where the fingerprints of the folder `root` are kept."""
    return db.folder_database_path(root, "duplicates", cache_dir)


class FingerprintStore:
    """The fingerprints of one folder: in a file when it can be written, else in memory.
    Callers serialise their use (`DuplicateIndex` holds its lock)."""

    def __init__(self, root: Path | None = None, path: Path | None = None) -> None:
        self.root = root
        self.path = path
        self._conn: sqlite3.Connection | None = None
        # Fingerprints that could not be written to the file (or all of them, without one).
        self._memory: dict[str, Fingerprint] = {}
        self.problem: str | None = None  # why the file is not (or no longer) used
        if path is not None:
            self._connect(retry=True)

    @classmethod
    def open(cls, root: Path, cache_dir: Path | None = None) -> FingerprintStore:
        """The store of the folder `root` (created when missing)."""
        root = root.resolve()
        return cls(root, store_path(root, cache_dir))

    @property
    def persistent(self) -> bool:
        """Whether fingerprints are written to the file (and found there next time)."""
        return self._conn is not None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    # --- opening, and giving up on the file -------------------------------------------------------

    def _connect(self, retry: bool) -> None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = db.open_database(self.path, SCHEMA)
        except OSError as exc:
            self._give_up(f"its folder cannot be created ({exc})")
            return
        except (DamagedFile, db.SchemaMismatch) as exc:
            if retry and self._delete(f"unusable ({exc})"):
                self._connect(retry=False)
            else:
                self._give_up(str(exc))
            return
        except StorageError as exc:
            self._give_up(exc.reason)
            return
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("root") != str(self.root) or meta.get("method") != METHOD:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("DELETE FROM posts")
                conn.execute("DELETE FROM slots")
                conn.execute(f"DELETE FROM meta WHERE key IN ({_GROUP_MARKS})", _GROUP_KEYS)
                conn.executemany(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    [("root", str(self.root)), ("method", METHOD)],
                )
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            db.rollback(conn)
            conn.close()
            error = db.classify(exc, self.path, "the fingerprint store", disposable=True)
            if retry and isinstance(error, DamagedFile) and self._delete(str(error)):
                self._connect(retry=False)
            else:
                self._give_up(getattr(error, "reason", None) or str(error))
            return
        # Reading the narrow table once on open gains nothing from a large page cache.
        conn.execute("PRAGMA cache_size = -512")
        self._conn = conn

    def _delete(self, why: str) -> bool:
        assert self.path is not None
        log.warning("fingerprint store %s is %s; it is rebuilt", self.path, why)
        return db.delete_database(self.path)

    def _give_up(self, reason: str) -> None:
        """Keep fingerprints in memory from now on (said once)."""
        self.close()
        if self.problem is None:
            self.problem = reason
            log.warning(
                "fingerprint store %s not used (%s); duplicates are found in memory",
                self.path,
                reason,
            )

    def _failed(self, exc: sqlite3.Error, doing: str) -> None:
        """A read or write failed: damage is deleted for the next session to rebuild; either
        way this session goes on in memory (what the file held is fingerprinted again)."""
        error = db.classify(
            exc, self.path, f"the fingerprint store could not be {doing}", disposable=True
        )
        self._give_up(getattr(error, "reason", None) or str(error))
        if isinstance(error, DamagedFile) and self.path is not None:
            self._delete(str(error))

    # --- reading ---------------------------------------------------------------------------------

    def rows(self) -> Iterator[list[StoredRow]]:
        """Every stored post (path, size, mtime_ns, band hashes), in batches, in one pass over
        the narrow table; nothing when there is no file."""
        yield from self._batches("SELECT path, size, mtime_ns, bands FROM posts", size=2000)

    def lookup(self, paths: Sequence[str]) -> Iterator[list[StoredRow]]:
        """The stored rows of `paths` (those that have one), in batches."""
        for chunk in _chunks(paths):
            marks = ",".join("?" * len(chunk))
            yield from self._batches(
                f"SELECT path, size, mtime_ns, bands FROM posts WHERE path IN ({marks})", chunk
            )

    def fingerprints(self, paths: Iterable[str]) -> dict[str, Fingerprint]:
        """The fingerprints of those `paths` that have one (comparable posts)."""
        found: dict[str, Fingerprint] = {}
        todo: list[str] = []
        for path in paths:
            print_ = self._memory.get(path)
            if print_ is not None:
                found[path] = print_
            else:
                todo.append(path)
        if self._conn is None or not todo:
            return found
        try:
            for chunk in _chunks(todo):
                marks = ",".join("?" * len(chunk))
                for path, shingles, slots in self._conn.execute(
                    "SELECT p.path, s.shingles, s.slots FROM posts AS p JOIN slots AS s"
                    f" ON s.id = p.id WHERE p.path IN ({marks})",
                    chunk,
                ):
                    found[path] = Fingerprint(bytes(slots), int(shingles))
        except sqlite3.Error as exc:
            self._failed(exc, "read")
        return found

    def saved_groups(self, generation: str) -> list[list[str]] | None:
        """The groups saved for the folder's posts at `generation` (the index cache's token
        for one state of the folder's files), or None: none saved for it, or not readable."""
        if not generation:
            return None
        saved = self._saved()
        if saved is None or saved[0] != generation:
            return None
        return saved[1]

    def saved_state(self) -> tuple[list[list[str]], int] | None:
        """The groups saved last, whatever the posts' generation then, and the greatest post id
        stored when they were: the posts of rows up to it had all been compared with each other
        (a row written later has a greater id, see `_write`). None when none are saved with
        that id, or they do not read."""
        saved = self._saved()
        if saved is None or saved[2] is None:
            return None
        return saved[1], saved[2]

    def _saved(self) -> tuple[str, list[list[str]], int | None] | None:
        if self._conn is None:
            return None
        try:
            meta = dict(
                self._conn.execute(
                    f"SELECT key, value FROM meta WHERE key IN ({_GROUP_MARKS})", _GROUP_KEYS
                ).fetchall()
            )
        except sqlite3.Error as exc:
            self._failed(exc, "read")
            return None
        generation, groups, through = (meta.get(key) for key in _GROUP_KEYS)
        if not generation or groups is None:
            return None
        try:
            groups = json.loads(groups)
        except ValueError:
            return None
        valid = isinstance(groups, list) and all(
            isinstance(g, list) and len(g) > 1 and all(isinstance(p, str) for p in g)
            for g in groups
        )
        if not valid:
            return None
        try:
            last = int(through) if through is not None else None
        except ValueError:
            last = None
        return str(generation), groups, last

    def stored_stats(self) -> Iterator[list[tuple[int, str, int, int]]]:
        """(id, path, size, mtime_ns) of every stored post, in batches."""
        yield from self._batches("SELECT id, path, size, mtime_ns FROM posts")

    def stored_bands(self) -> Iterator[list[tuple[int, bytes]]]:
        """(id, band hashes) of every stored post long enough to compare, in batches."""
        yield from self._batches("SELECT id, bands FROM posts WHERE bands IS NOT NULL")

    def bands_of(self, ids: Sequence[int]) -> Iterator[list[tuple[int, bytes]]]:
        """(id, band hashes) of those of the posts `ids` long enough to compare, in batches."""
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            yield from self._batches(
                f"SELECT id, bands FROM posts WHERE bands IS NOT NULL AND id IN ({marks})", chunk
            )

    def _batches(
        self, sql: str, params: Sequence[object] = (), size: int = 4096
    ) -> Iterator[list[Any]]:
        """The rows of `sql`, `size` at a time; nothing more once a read fails (the store then
        goes on in memory)."""
        if self._conn is None:
            return
        try:
            cursor = self._conn.execute(sql, params)
            while batch := cursor.fetchmany(size):
                yield batch
        except sqlite3.Error as exc:
            self._failed(exc, "read")

    # --- writing ---------------------------------------------------------------------------------

    def save_groups(self, generation: str, groups: Sequence[Sequence[str]]) -> bool:
        """Keep `groups` as those of the folder's posts at `generation` (replacing any);
        False when they could not be written."""
        if not generation:
            return False
        text = json.dumps([list(g) for g in groups])

        def save(conn: sqlite3.Connection) -> None:
            # Every stored post was among those compared: the ids up to the greatest now.
            (through,) = conn.execute("SELECT coalesce(max(id), 0) FROM posts").fetchone()
            rows = zip(_GROUP_KEYS, (generation, text, str(through)), strict=True)
            conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", rows)

        return self._in_transaction(save)

    def _in_transaction(self, work: Callable[[sqlite3.Connection], object]) -> bool:
        """Run `work` in one write transaction; False when there is no file or the write
        failed (the store then goes on in memory)."""
        conn = self._conn
        if conn is None:
            return False
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                work(conn)
                conn.execute("COMMIT")
            except BaseException:
                db.rollback(conn)
                raise
        except sqlite3.Error as exc:
            self._failed(exc, "written")
            return False
        return True

    def put(self, rows: Sequence[NewRow]) -> None:
        """Store fingerprinted posts (replacing what their paths held)."""
        if self._conn is not None:
            try:
                self._write(self._conn, rows)
                for row in rows:
                    self._memory.pop(row[0], None)
                return
            except sqlite3.Error as exc:
                self._failed(exc, "written")
        for path, _size, _mtime, print_, _bands in rows:
            if print_ is not None:
                self._memory[path] = print_
            else:
                self._memory.pop(path, None)

    def _write(self, conn: sqlite3.Connection, rows: Sequence[NewRow]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            _delete_paths(conn, [row[0] for row in rows])
            # Ids above any given before (SQLite would reuse the greatest once it is deleted).
            (next_id,) = conn.execute(_NEXT_ID_SQL).fetchone()
            for post_id, (path, size, mtime_ns, print_, bands) in enumerate(rows, next_id):
                conn.execute(
                    "INSERT INTO posts (id, path, size, mtime_ns, bands) VALUES (?, ?, ?, ?, ?)",
                    (post_id, path, size, mtime_ns, bands),
                )
                if print_ is not None:
                    conn.execute(
                        "INSERT INTO slots (id, shingles, slots) VALUES (?, ?, ?)",
                        (post_id, print_.shingles, print_.slots),
                    )
            conn.execute("COMMIT")
        except BaseException:
            db.rollback(conn)
            raise

    def forget(self, paths: Sequence[str]) -> None:
        """Drop the fingerprints of posts that are gone."""
        for path in paths:
            self._memory.pop(path, None)
        if paths:
            self._in_transaction(lambda conn: _delete_paths(conn, paths))


def _delete_paths(conn: sqlite3.Connection, paths: Sequence[str]) -> None:
    for chunk in _chunks(paths):
        marks = ",".join("?" * len(chunk))
        conn.execute(
            f"DELETE FROM slots WHERE id IN (SELECT id FROM posts WHERE path IN ({marks}))", chunk
        )
        conn.execute(f"DELETE FROM posts WHERE path IN ({marks})", chunk)


def _chunks(paths: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(paths), _CHUNK):
        yield list(paths[i : i + _CHUNK])

"""Full-text search over post titles and bodies: the index file (SQLite FTS5), searching it, and
building it from a folder's posts with worker processes.

Owns one SQLite file per opened folder (the caller puts it in the user cache folder), opened
through `storage.db`. It is a cache: a damaged file, or one written by another schema version, is
deleted and built again. A full, read-only or locked disk is not damage: it raises the matching
StorageError (StorageFull, ...) and leaves the file as it is, so a later build resumes.

Design, and the figures that chose it (2 cores, SQLite 3.40.1, 100,000 synthetic Chinese news
posts of 3-8 KB, 585 MB; the token scheme and query language are in `query.py`):

- One token per CJK character plus a marker after each CJK run; a query is the phrase of its
  characters, exact for every length (the tests compare with a brute-force scan). Measured over
  10,000 posts: this index is 0.76x the corpus and inserts in 4.9 s, overlapping bigrams with a
  run-end token 1.09x and 11.8 s, bigrams with a separate single-character column 1.65x (and
  1-character queries on bigrams alone, as prefix queries, took 10-35 ms at 10,000 posts, growing
  with the archive). Distinct terms per post cost more than positions do.
- Contentless (`content=''`): the text is not stored. SQLite before 3.43 cannot delete from such a
  table, so a removed or replaced post's rowid moves to `dead` and every hit joins `docs`, which
  hides it; its words stay until `build_index` rebuilds from scratch, once dead and misplaced
  rows pass a quarter of the live ones. Edits are rare in an archive, so that is rare too.
- Rowids follow date order, so newest-first is FTS5's own descending rowid walk, stopping after a
  page. A batch takes rowids above every live post when it is newer than all of them, below when
  older (a build goes newest first, so it fills downwards and the first page is right early), and
  otherwise above, flagged `misplaced`; the date-ordered read sorts those in and stops only at a
  row that is not misplaced, so the order is exact. Rowids stay dense: FTS5 delta-encodes them,
  and a date-derived key (seconds << 20) made the index 2x larger.
- WAL, one connection reading and one writing: a search never waits for a batch being written.

At 100,000 posts: built in 69 s on 2 processes (62 s until every post is searchable, then 8 s of
segment merging), 475 MB (0.81x the corpus). First page of 50 by date: 0.1-0.3 ms for 1-, 2-
and 4-character Chinese words and an English word, 2-7 ms for rarer phrases; the worst case is
a phrase of very common characters that almost never occurs (44 ms: every post holds each of its
characters, so all their positions are read). `grep -rlF` takes 0.7-1.2 s. Relevance order and
counts read every hit: 50-290 ms and 15-70 ms for words in most posts, so `total` is counted
only on request.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

from reader.core.errors import DamagedFile, StorageError
from reader.core.search.index_schema import SCHEMA
from reader.core.search.matching import Matching, SearchResult, terms_for_highlight
from reader.core.search.query import (
    index_tokens,
    labels_field,
)
from reader.core.search.staleness import Staleness, post_stamp
from reader.core.storage import db

log = logging.getLogger(__name__)

__all__ = [
    "Doc",
    "IndexStats",
    "SearchIndex",
    "SearchResult",
    "index_path",
    "open_index",
    "post_stamp",
    "terms_for_highlight",
]
_T = TypeVar("_T")

# Rowids of a fresh index start here, so batches older than everything indexed can go below.
_FIRST_ROWID = 1 << 32
_NO_DATE = -1e300  # undated posts sort after every dated one
# A full rebuild when dead + misplaced rows exceed this share of the live ones (and this many).
_GARBAGE_SHARE = 0.25
_GARBAGE_MIN = 1000


class Doc(NamedTuple):
    """One post as the index takes it: `text` is plain text (see `query.strip_markup`)."""

    path: str
    title: str
    text: str
    date_ts: float | None
    categories: Sequence[str] = ()
    tags: Sequence[str] = ()
    stamp: str = ""


@dataclass(frozen=True, slots=True)
class IndexStats:
    docs: int
    dead: int
    misplaced: int


class _Row(NamedTuple):
    path: str
    stamp: str
    ts: float
    labels: str
    body: str  # already tokenized
    title: str


class SearchIndex(Matching, Staleness):
    """The full-text index of one folder. Safe to share between threads: reads and writes use
    separate connections, so a search does not wait for a batch being written."""

    def __init__(self, path: Path, busy_timeout: float = db.BUSY_TIMEOUT_S) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._rlock = threading.RLock()
        self._wlock = threading.RLock()
        self._r: sqlite3.Connection | None = None
        self._w: sqlite3.Connection | None = None
        # The last `within` set, the data version it was read at, and its lowest and highest rowid.
        self._within: tuple[frozenset[str], int, int, int] | None = None

    @classmethod
    def open(cls, path: Path, busy_timeout: float = db.BUSY_TIMEOUT_S) -> SearchIndex:
        """Open or create the index at `path`; a damaged or outdated file is replaced. Raises a
        StorageError when the file cannot be opened (a read-only or full disk, a lock): that
        is no reason to delete it."""
        index = cls(path, busy_timeout)
        try:
            index._connect()
        except (DamagedFile, db.SchemaMismatch) as exc:
            log.warning("search index %s is unusable (%s); building a new one", path, exc)
            index._recreate()
        return index

    # --- connections ----------------------------------------------------------------------

    def _connect(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"the search index cannot be created: {exc.strerror}", self.path, str(exc.strerror)
            ) from exc
        w = db.open_database(self.path, SCHEMA, busy_timeout=self.busy_timeout)
        try:
            # A cheap probe of both tables: a wrong header or structure record fails here.
            w.execute("SELECT max(id) FROM docs").fetchone()
            w.execute("SELECT rowid FROM fts WHERE fts MATCH 'a' LIMIT 1").fetchall()
            r = db.connect(self.path, busy_timeout=self.busy_timeout)
            # The writer's page cache was 64 MB: building the index of 100,000 posts filled it
            # (+85 MB of RSS, kept for the session) and was no faster than with 16 MB (33-40 s
            # either way; +35 MB) or 2 MB (36 s, +20 MB).
            for conn, cache_kb in ((w, 16384), (r, 16384)):
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(f"PRAGMA cache_size = -{cache_kb}")
                conn.execute("PRAGMA temp_store = MEMORY")
            r.execute("CREATE TEMP TABLE within_ids(id INTEGER PRIMARY KEY)")
        except sqlite3.Error as exc:
            w.close()
            raise self._error(exc, "opened") from exc
        except BaseException:
            w.close()
            raise
        self._w, self._r, self._within = w, r, None

    def _error(self, exc: sqlite3.Error, doing: str) -> DamagedFile | StorageError:
        return db.classify(
            exc, self.path, f"the search index could not be {doing}", disposable=True
        )

    def _close_connections(self) -> None:
        for conn in (self._r, self._w):
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
        self._r = self._w = None

    def _recreate(self) -> None:
        with self._wlock, self._rlock:
            self._close_connections()
            if not db.delete_database(self.path):
                raise StorageError(
                    "the damaged search index could not be replaced",
                    self.path,
                    "it cannot be deleted",
                )
            self._connect()

    def close(self) -> None:
        with self._wlock, self._rlock:
            self._close_connections()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _reader(self) -> sqlite3.Connection:
        if self._r is None:
            raise sqlite3.ProgrammingError("the search index is closed")
        return self._r

    def _writer(self) -> sqlite3.Connection:
        if self._w is None:
            raise sqlite3.ProgrammingError("the search index is closed")
        return self._w

    def _recover_or_raise(self, exc: sqlite3.Error, doing: str, retry: bool) -> None:
        """A damaged index (when `retry` allows) is started afresh; anything else (a full or
        read-only disk, a lock) is raised as the StorageError it is, leaving the file as it is."""
        error = self._error(exc, doing)
        if not (retry and isinstance(error, DamagedFile)):
            if isinstance(error, DamagedFile):
                raise StorageError(str(error), self.path, "it is damaged") from exc
            raise error from exc
        log.warning("search index %s is damaged (%s); starting a new one", self.path, exc)
        self._recreate()

    # --- writing --------------------------------------------------------------------------

    def add_many(self, docs: Iterable[Doc]) -> int:
        """Index `docs` in one transaction, replacing any indexed post with the same path."""
        rows = [
            _Row(
                d.path,
                d.stamp,
                _NO_DATE if d.date_ts is None else d.date_ts,
                labels_field(d.categories, d.tags),
                index_tokens(d.text),
                index_tokens(d.title),
            )
            for d in docs
        ]
        self._write_rows(rows)
        return len(rows)

    def _write_rows(self, rows: Sequence[_Row]) -> None:
        unique = list({r.path: r for r in rows}.values())
        if not unique:
            return
        for attempt in (1, 2):
            try:
                with self._wlock:
                    self._write_transaction(self._writer(), unique)
                return
            except sqlite3.Error as exc:
                self._recover_or_raise(exc, "written", retry=attempt == 1)

    def _write_transaction(self, w: sqlite3.Connection, rows: list[_Row]) -> None:
        w.execute("BEGIN IMMEDIATE")
        try:
            self._bury(w, [r.path for r in rows])
            placed = self._place(w, rows)
            w.executemany(
                "INSERT INTO docs(id, path, stamp, ts, misplaced, labels) VALUES (?,?,?,?,?,?)",
                [(i, r.path, r.stamp, r.ts, m, r.labels) for i, m, r in placed],
            )
            # Ascending rowids: FTS5 flushes its pending terms whenever a rowid goes down.
            w.executemany(
                "INSERT INTO fts(rowid, body, title) VALUES (?, ?, ?)",
                [(i, r.body, r.title) for i, _, r in sorted(placed, key=lambda p: p[0])],
            )
            w.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                w.execute("ROLLBACK")
            raise

    @staticmethod
    def _bury(w: sqlite3.Connection, paths: list[str]) -> int:
        """Move the posts at `paths` out of sight; their rowids are never used again."""
        w.execute("DELETE FROM state WHERE key = 'synced'")  # every write: no longer in step
        ids = w.execute(
            "SELECT id FROM docs WHERE path IN (SELECT value FROM json_each(?))",
            (json.dumps(paths),),
        ).fetchall()
        if ids:
            w.executemany("INSERT OR IGNORE INTO dead(id) VALUES (?)", ids)
            w.executemany("DELETE FROM docs WHERE id = ?", ids)
        return len(ids)

    @staticmethod
    def _place(w: sqlite3.Connection, rows: list[_Row]) -> list[tuple[int, int, _Row]]:
        """Rowids for new rows: (rowid, misplaced, row). See the module docstring."""

        def one(sql: str) -> float | None:
            value: float | None = w.execute(sql).fetchone()[0]
            return value

        def ends(table: str) -> list[int]:
            # Separate queries: SQLite's min/max shortcut works for one aggregate per statement.
            row = [w.execute(f"SELECT {f}(id) FROM {table}").fetchone()[0] for f in ("min", "max")]
            return [int(v) for v in row if v is not None]

        newest, oldest = one("SELECT max(ts) FROM docs"), one("SELECT min(ts) FROM docs")
        used = ends("docs") + ends("dead")
        hi = max(used, default=_FIRST_ROWID - 1)
        lo = min(used, default=_FIRST_ROWID)
        ordered = sorted(rows, key=lambda r: (r.ts, r.path))
        if newest is None or oldest is None:
            top, bottom, middle = ordered, [], []
        else:
            top = [r for r in ordered if r.ts >= newest]
            bottom = [r for r in ordered if r.ts < newest and r.ts <= oldest]
            middle = [r for r in ordered if oldest < r.ts < newest]
        placed = [(lo - len(bottom) + k, 0, r) for k, r in enumerate(bottom)]
        placed += [(hi + 1 + k, 0, r) for k, r in enumerate(top)]
        placed += [(hi + 1 + len(top) + k, 1, r) for k, r in enumerate(middle)]
        return placed

    def remove(self, paths: Iterable[str]) -> int:
        """Take posts out of the index; returns how many were indexed."""
        wanted = list(paths)
        if not wanted:
            return 0
        for attempt in (1, 2):
            try:
                with self._wlock:
                    w = self._writer()
                    w.execute("BEGIN IMMEDIATE")
                    try:
                        n = self._bury(w, wanted)
                        w.execute("COMMIT")
                    except BaseException:
                        with contextlib.suppress(sqlite3.Error):
                            w.execute("ROLLBACK")
                        raise
                    return n
            except sqlite3.Error as exc:
                self._recover_or_raise(exc, "written", retry=attempt == 1)
        return 0

    def clear(self) -> None:
        """Empty the index (a full rebuild follows), giving the space back to the file system."""
        self._recreate()

    def optimize(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Merge the index into one segment, in steps so `cancelled` is honoured.
        True when finished. Searches keep working meanwhile (WAL)."""
        try:
            with self._wlock:
                w = self._writer()
                # 'merge' with a negative page count merges across levels like 'optimize',
                # a step at a time; total_changes growing by less than 2 means it is all done.
                while not cancelled():
                    before = w.total_changes
                    w.execute("INSERT INTO fts(fts, rank) VALUES('merge', -2000)")
                    if w.total_changes - before < 2:
                        w.execute("DELETE FROM state WHERE key = 'merge pending'")
                        # executescript steps the pragma to the end; execute() frees one page.
                        w.executescript("PRAGMA incremental_vacuum;")
                        w.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                        return True
                return False
        except sqlite3.Error as exc:
            self._recover_or_raise(exc, "merged", retry=True)
            return False

    def _mark_merge_pending(self) -> None:
        # Remembered in the file, so a merge cut short (the app closed) is finished next time.
        try:
            with self._wlock:
                self._writer().execute("INSERT OR REPLACE INTO state VALUES ('merge pending', 1)")
        except sqlite3.Error as exc:
            self._recover_or_raise(exc, "written", retry=False)

    def merge_pending(self) -> bool:
        """Whether a large build left segments that `optimize` has not merged yet."""
        sql = "SELECT count(*) FROM state WHERE key = 'merge pending'"
        return self._read(lambda r: bool(r.execute(sql).fetchone()[0]), False)

    # --- reading --------------------------------------------------------------------------

    def _read(self, fn: Callable[[sqlite3.Connection], _T], default: _T) -> _T:
        """`fn` on the reading connection; `default` when the index turned out damaged (it is
        then started afresh). Other failures raise a StorageError."""
        try:
            with self._rlock:
                return fn(self._reader())
        except sqlite3.Error as exc:
            self._recover_or_raise(exc, "read", retry=True)
        return default

    def synced_with(self) -> str | None:
        """The token `mark_synced` left, unless the index was written since."""
        sql = "SELECT value FROM state WHERE key = 'synced'"

        def get(r: sqlite3.Connection) -> str | None:
            row = r.execute(sql).fetchone()
            return str(row[0])[1:] if row is not None else None

        return self._read(get, None)

    def mark_synced(self, token: str) -> None:
        """Remember that the index matches the cache at `token` (its generation); any write
        forgets it. The prefix keeps the value text in the INTEGER column."""
        try:
            with self._wlock:
                self._writer().execute(
                    "INSERT OR REPLACE INTO state VALUES ('synced', ?)", ("g" + token,)
                )
        except sqlite3.Error as exc:
            self._recover_or_raise(exc, "written", retry=False)

    def count(self) -> int:
        """How many posts are indexed."""
        return self._read(lambda r: int(r.execute("SELECT count(*) FROM docs").fetchone()[0]), 0)

    def stats(self) -> IndexStats:
        def get(r: sqlite3.Connection) -> IndexStats:
            def one(sql: str) -> int:
                return int(r.execute(sql).fetchone()[0])

            return IndexStats(
                one("SELECT count(*) FROM docs"),
                one("SELECT count(*) FROM dead"),
                one("SELECT count(*) FROM docs WHERE misplaced"),
            )

        return self._read(get, IndexStats(0, 0, 0))

    def needs_rebuild(self) -> bool:
        """Whether removed and out-of-order rows have piled up enough to rebuild from scratch."""
        s = self.stats()
        garbage = s.dead + s.misplaced
        return garbage >= _GARBAGE_MIN and garbage > _GARBAGE_SHARE * s.docs


# --- building -------------------------------------------------------------------------------------


def index_path(root: Path, cache_dir: Path | None = None) -> Path:
    """Where the search index of the folder `root` lives (beside its metadata cache)."""
    return db.folder_database_path(root, "search", cache_dir)


def open_index(root: Path, cache_dir: Path | None = None) -> SearchIndex:
    """The folder's index (StorageError when it cannot be opened; a damaged one is rebuilt)."""
    return SearchIndex.open(index_path(root, cache_dir))

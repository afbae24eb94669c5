"""The index cache of one opened folder: every parsed file's result, kept in SQLite in the user
cache folder, so reopening a folder of 100,000 posts reads one database instead of every file.

Owns the database (one file per folder, named from a hash of the folder's resolved path), its
schema, the row format that both the cache and the worker processes use, the fingerprint of what
affects parsing, and the diff between cached file stats and a new scan. Nothing is ever written
inside the posts folder. A damaged or foreign database is deleted and rebuilt; no method raises
for a cache problem, because the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from reader.core import paths
from reader.core.errors import DamagedFile
from reader.core.post import Post, PostFormat, Problem, SiteConfig
from reader.core.reading import jekyll
from reader.core.reading.parse import ZoneRules
from reader.core.reading.records import builder_for
from reader.core.reading.scan import Candidate, ScanResult

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
# Bump when parsing changes what it produces in a way the source digest below cannot see
# (e.g. a dependency upgrade that reads YAML differently).
PARSER_VERSION = 1
# The modules whose code decides what a file parses to; editing one discards old caches.
_PARSING_MODULES = (
    "post",
    "jekyll",
    "scan",
    "parse",
    "textdecode",
    "yamlsafe",
    "yamlflat",
    "records",
    "cache",
)

KIND_POST = 0
KIND_PROBLEM = 1
KIND_NOT_A_POST = 2
KIND_POST_JSON = 3  # a post whose text holds the separators of the packed form

# (path, size, mtime_ns, kind, data, excerpt): one cached file, also the form worker processes
# send back. The excerpt, the bulk of a row, has its own column: split out of `data` it would be
# copied once more per post.
Row = tuple[str, int, int, int, str | None, str | None]
Stat = tuple[int, int]  # (size, mtime_ns)

_FS = "\x1e"  # between a post's fields
_US = "\x1f"  # between the items of a tuple field
_FORMATS = {f.value: f for f in PostFormat}
_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- A rowid table: rows are appended densely whatever order files are parsed in (keyed by path,
-- newest-first inserts left pages half empty: twice the size, slower to read back).
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    data TEXT,
    excerpt TEXT
);
CREATE TABLE scan_problems (path TEXT NOT NULL, reason TEXT NOT NULL);
PRAGMA user_version = {SCHEMA_VERSION};
"""

if [f.name for f in dataclasses.fields(Post)] != [
    "path", "title", "date", "categories", "tags", "slug", "format", "draft", "published",
    "warnings", "excerpt", "size", "mtime_ns",
]:  # fmt: skip
    # The decoder builds posts positionally (the fastest way); a new field must be cached too.
    raise ImportError(
        "reader.core.storage.cache does not know every field of Post: update its codec"
    )


# Builds a Post with plain assignments (see reading.records): 0.13 s of a 100,000-post reopen.
_PostBuilder = builder_for(Post)


class CacheDamaged(DamagedFile):
    """A cached row that cannot be decoded: the database is not what this version wrote."""


# --- fingerprint --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What parsing depends on besides a file's bytes; a cache written under another is void."""

    site: SiteConfig
    digest: str
    zones: ZoneRules


@lru_cache(maxsize=1)
def _sources_digest() -> str:
    h = hashlib.sha256()
    for name in _PARSING_MODULES:
        module = sys.modules.get(f"{__package__}.{name}")
        source = getattr(module, "__file__", None)
        h.update(name.encode())
        if source:
            with contextlib.suppress(OSError):
                h.update(Path(source).read_bytes())
    return h.hexdigest()


def _machine_zone_signature() -> str:
    # What jekyll.local_zone() reads: $TZ, else /etc/localtime (its bytes: the link target can
    # be a copy), else the C library's idea of the zone.
    h = hashlib.sha256(os.environ.get("TZ", "").encode())
    with contextlib.suppress(OSError):
        h.update(Path("/etc/localtime").read_bytes())
    h.update(repr((time.tzname, time.timezone, time.altzone, time.daylight)).encode())
    return h.hexdigest()


def fingerprint_for(site: SiteConfig) -> Fingerprint:
    """The fingerprint of parsing a folder with this site configuration, on this machine."""
    zones = ZoneRules.for_site(site)
    uses_machine_zone = not site.is_site or jekyll.resolve_zone(site.timezone) is None
    parts = {
        "schema": SCHEMA_VERSION,
        "parser": PARSER_VERSION,
        "sources": _sources_digest(),
        "yaml": [yaml.__version__, bool(getattr(yaml, "__with_libyaml__", False))],
        "site": dataclasses.asdict(site),
        "zone": _machine_zone_signature() if uses_machine_zone else None,
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return Fingerprint(site, hashlib.sha256(text.encode()).hexdigest(), zones)


# --- rows: encoding and decoding ---------------------------------------------------------------


def _zone_code(value: tzinfo | None, zones: ZoneRules) -> str:
    if value is None or isinstance(value, timezone):
        return ""  # datetime.fromisoformat rebuilds naive and fixed-offset dates exactly
    if value is zones.convert_to:
        return "c"
    if value is zones.naive:
        return "n"
    if isinstance(value, ZoneInfo) and value.key and value.key not in ("c", "n"):
        return str(value.key)
    return ""  # an unknown tzinfo: the instant and offset survive, its name does not


def _packable(texts: Iterable[str], items: Iterable[str]) -> bool:
    for text in texts:
        if _FS in text:
            return False
    return all(item and _FS not in item and _US not in item for item in items)


def encode_result(cand: Candidate, item: Post | Problem | None, zones: ZoneRules) -> Row:
    """The cache row for what parsing `cand` gave (`zones` must be the ones it was parsed with)."""
    if item is None:
        return (cand.path, cand.size, cand.mtime_ns, KIND_NOT_A_POST, None, None)
    if isinstance(item, Problem):
        return (cand.path, cand.size, cand.mtime_ns, KIND_PROBLEM, item.reason, None)
    date = item.date
    iso = date.isoformat() if date is not None else ""
    zone = _zone_code(date.tzinfo, zones) if date is not None else ""
    flags = ("1" if item.draft else "0") + ("1" if item.published else "0")
    texts = (item.title, item.slug, zone)
    if _packable(texts, (*item.categories, *item.tags, *item.warnings)):
        data = _FS.join(
            (
                item.title,
                iso,
                zone,
                _US.join(item.categories),
                _US.join(item.tags),
                item.slug,
                item.format.value,
                flags,
                _US.join(item.warnings),
            )
        )
        return (cand.path, cand.size, cand.mtime_ns, KIND_POST, data, item.excerpt)
    fields = [
        item.title,
        iso,
        zone,
        list(item.categories),
        list(item.tags),
        item.slug,
        item.format.value,
        flags,
        list(item.warnings),
    ]
    data = json.dumps(fields, ensure_ascii=False)
    return (cand.path, cand.size, cand.mtime_ns, KIND_POST_JSON, data, item.excerpt)


@dataclass(slots=True)
class Decoded:
    """Rows turned back into records."""

    posts: list[Post] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_posts: list[str] = field(default_factory=list)


class RowDecoder:
    """Turns rows back into `Post`s quickly, sharing one tuple per distinct category/tag list
    (an archive repeats a few hundred combinations 100,000 times; the names are interned)."""

    def __init__(self, zones: ZoneRules, keep_excerpts: bool = True) -> None:
        self._zones = zones
        # False: posts come without their excerpt (the cache keeps it; `Library.excerpt` reads
        # it on demand): 100,000 excerpts are about 60 MB the window need not hold.
        self.keep_excerpts = keep_excerpts
        self._tuples: dict[str, tuple[str, ...]] = {"": ()}
        self._zone_cache: dict[str, tzinfo | None] = {}

    def _tuple(self, text: str) -> tuple[str, ...]:
        value = self._tuples.get(text)
        if value is None:
            value = tuple(sys.intern(v) for v in text.split(_US))
            self._tuples[text] = value
        return value

    def _zone(self, code: str) -> tzinfo | None:
        if code == "c":
            return self._zones.convert_to
        if code == "n":
            return self._zones.naive
        if code not in self._zone_cache:
            try:
                self._zone_cache[code] = ZoneInfo(code)
            except (ValueError, KeyError, OSError):
                self._zone_cache[code] = None
        return self._zone_cache[code]

    def decode(
        self, rows: Iterable[Row], out: Decoded, stats: dict[str, Stat] | None = None
    ) -> None:
        """Append the records of `rows` to `out` (and their stats to `stats`).

        Raises CacheDamaged for a row this version did not write.
        """
        posts, problems, not_posts = out.posts, out.problems, out.not_posts
        fromiso = datetime.fromisoformat
        tuples = self._tuples
        make_tuple = self._tuple
        formats = _FORMATS
        convert = self._zones.convert_to
        new_post = _PostBuilder
        post_class = Post
        keep_excerpts = self.keep_excerpts
        # Building 100,000 objects would set off the cyclic GC again and again (each pass walking
        # everything built so far); these records hold no cycles.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            for path, size, mtime_ns, kind, data, excerpt in rows:
                if stats is not None:
                    stats[path] = (size, mtime_ns)
                if kind == KIND_POST:
                    parts = (data or "").split(_FS)
                    title, iso, zone, cats, tags, slug, fmt, flags, warns = parts
                    if iso:
                        date: datetime | None = fromiso(iso)
                        if zone:
                            target = convert if zone == "c" else self._zone(zone)
                            if target is not None:
                                date = date.astimezone(target)  # type: ignore[union-attr]
                    else:
                        date = None
                    post = new_post(
                        path,
                        title,
                        date,
                        tuples.get(cats) or make_tuple(cats),
                        tuples.get(tags) or make_tuple(tags),
                        slug,
                        formats[fmt],
                        flags[0] == "1",
                        flags[1] == "1",
                        tuples.get(warns) or make_tuple(warns),
                        (excerpt or "") if keep_excerpts else "",
                        size,
                        mtime_ns,
                    )
                    post.__class__ = post_class
                    posts.append(post)
                elif kind == KIND_PROBLEM:
                    problems.append(Problem(path, data or ""))
                elif kind == KIND_NOT_A_POST:
                    not_posts.append(path)
                elif kind == KIND_POST_JSON:
                    kept = (excerpt or "") if keep_excerpts else ""
                    posts.append(self._from_json(path, size, mtime_ns, data or "", kept))
                else:
                    raise CacheDamaged(f"unknown row kind {kind!r}")
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise CacheDamaged(f"undecodable row: {exc}") from None
        finally:
            if gc_was_enabled:
                gc.enable()

    def _from_json(self, path: str, size: int, mtime_ns: int, data: str, excerpt: str) -> Post:
        title, iso, zone, cats, tags, slug, fmt, flags, warns = json.loads(data)
        date = datetime.fromisoformat(iso) if iso else None
        if date is not None and zone:
            target = self._zone(zone)
            if target is not None:
                date = date.astimezone(target)
        return Post(
            path,
            title,
            date,
            tuple(sys.intern(c) for c in cats),
            tuple(sys.intern(t) for t in tags),
            slug,
            _FORMATS[fmt],
            flags[0] == "1",
            flags[1] == "1",
            tuple(warns),
            excerpt,
            size,
            mtime_ns,
        )


# --- diffing a scan against the cache -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Changes:
    """What a new scan says about the cached files.

    `to_parse`: new and modified files (size or mtime differs); `modified`: the paths of those that
    were cached before (their old records must go); `removed`: cached paths no longer there.
    A rename is a removal plus a new file.
    """

    to_parse: list[Candidate]
    modified: list[str]
    removed: list[str]

    def __bool__(self) -> bool:
        return bool(self.to_parse or self.removed)


def diff_stats(cached: dict[str, Stat], candidates: Sequence[Candidate]) -> Changes:
    """Compare cached stats with scanned candidates (no file is opened)."""
    to_parse: list[Candidate] = []
    modified: list[str] = []
    seen = 0
    get = cached.get
    for cand in candidates:
        old = get(cand.path)
        if old is None:
            to_parse.append(cand)
            continue
        seen += 1
        if old[0] != cand.size or old[1] != cand.mtime_ns:
            to_parse.append(cand)
            modified.append(cand.path)
    removed: list[str] = []
    if seen != len(cached):
        present = {c.path for c in candidates}
        removed = [p for p in cached if p not in present]
    return Changes(to_parse, modified, removed)


# --- the database ---------------------------------------------------------------------------------


@dataclass(slots=True)
class CachedFolder:
    """Everything the cache knows about a folder."""

    posts: list[Post]
    problems: list[Problem]  # parse problems of cached files
    not_posts: list[str]
    stats: dict[str, Stat]  # every cached file: posts, problems and not-a-post files
    scan_problems: list[Problem]  # what the last scan reported (unreadable folders, FIFOs...)


def database_path(root: Path, cache_dir: Path | None = None) -> Path:
    """Where the cache of the folder `root` lives."""
    base = cache_dir if cache_dir is not None else paths.cache_dir()
    key = hashlib.sha256(os.fsencode(str(root.resolve()))).hexdigest()[:32]
    return base / "folders" / f"{key}.sqlite3"


def read_excerpt(db_path: Path, path: str) -> str:
    """The excerpt cached for `path` in the database at `db_path`; "" when there is none or the
    database cannot be read (an excerpt only decorates a tooltip)."""
    try:
        conn = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, timeout=1)
    except (sqlite3.Error, ValueError):
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
            conn = sqlite3.connect(
                self.path, timeout=10, isolation_level=None, check_same_thread=False
            )
        except (sqlite3.Error, OSError) as exc:
            log.warning("index cache %s cannot be opened (%s); loading without it", self.path, exc)
            return
        try:
            self._prepare(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if retry and self._delete_files(f"unusable ({exc})"):
                self._connect(retry=False)
                return
            log.warning("index cache %s disabled: %s", self.path, exc)
            return
        except sqlite3.Error as exc:
            conn.close()
            log.warning("index cache %s disabled: %s", self.path, exc)
            return
        self._conn = conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == SCHEMA_VERSION and tables >= {"meta", "files", "scan_problems"}:
            conn.execute("PRAGMA journal_mode = WAL")
        elif version == 0 and not tables:
            # Larger pages make reading every row back faster; set before WAL, which fixes it.
            conn.execute("PRAGMA page_size = 16384")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(f"BEGIN; {_SCHEMA} COMMIT;")
        else:
            # An older or newer layout, or not ours: a cache is rebuilt, never migrated.
            raise sqlite3.DatabaseError(f"schema version {version}, tables {sorted(tables)}")
        # Losing the last transactions in a power cut only costs re-parsing those files.
        conn.execute("PRAGMA synchronous = NORMAL")
        root = conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
        if root is not None and root[0] != str(self.root):
            raise sqlite3.DatabaseError(f"cache of another folder ({root[0]})")

    def _delete_files(self, why: str) -> bool:
        log.warning("index cache %s is %s; it is rebuilt", self.path, why)
        self.close()
        ok = True
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError as exc:
                log.warning("cannot delete %s%s: %s", self.path, suffix, exc)
                ok = False
        return ok

    def _reset(self, why: str) -> None:
        """Throw the database away and start an empty one (which may leave the cache disabled)."""
        if self._delete_files(why):
            self._connect(retry=False)

    # --- reading ---------------------------------------------------------------------------------

    def stored_digest(self) -> str | None:
        """The fingerprint digest the cached rows were written under, if any."""
        if self._conn is None:
            return None
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except sqlite3.DatabaseError as exc:
            self._reset(f"damaged ({exc})")
            return None
        except sqlite3.Error as exc:
            log.warning("index cache %s cannot be read: %s", self.path, exc)
            return None
        return str(row[0]) if row is not None else None

    def load(self, fingerprint: Fingerprint) -> CachedFolder | None:
        """Every cached record, or None when there is no cache valid for `fingerprint`."""
        if self._conn is None or self.stored_digest() != fingerprint.digest:
            return None
        decoded = Decoded()
        stats: dict[str, Stat] = {}
        try:
            # Excerpts are half of what the table holds and only a tooltip shows one: they are
            # read one at a time on demand (`read_excerpt`), not 100,000 at once here.
            rows: Iterator[Row] = self._conn.execute(
                "SELECT path, size, mtime_ns, kind, data, NULL FROM files"
            )
            RowDecoder(fingerprint.zones).decode(rows, decoded, stats)
            scan_problems = [
                Problem(str(p), str(r))
                for p, r in self._conn.execute("SELECT path, reason FROM scan_problems")
            ]
        except (sqlite3.DatabaseError, CacheDamaged) as exc:
            self._reset(f"damaged ({exc})")
            return None
        except sqlite3.Error as exc:
            log.warning("index cache %s cannot be read: %s", self.path, exc)
            return None
        return CachedFolder(
            decoded.posts, decoded.problems, decoded.not_posts, stats, scan_problems
        )

    def read_excerpt(self, path: str) -> str:
        """The cached excerpt of the post at `path` ("" when unknown). Opens its own read-only
        connection, so any thread may call it while the loader uses the main one."""
        return read_excerpt(self.path, path)

    def diff(self, cached_stats: dict[str, Stat], scan: ScanResult) -> Changes:
        return diff_stats(cached_stats, scan.candidates)

    # --- writing ---------------------------------------------------------------------------------

    def apply(
        self,
        fingerprint: Fingerprint,
        rows: Iterable[Row],
        removed: Iterable[str] = (),
        scan_problems: Sequence[Problem] | None = None,
    ) -> bool:
        """Store parsed files and forget removed ones, in one transaction.

        Rows cached under another fingerprint are dropped first. Returns False when nothing could
        be written (the cache is then simply behind: those files are parsed again next time).
        """
        rows = list(rows)
        removed = list(removed)
        for attempt in (1, 2):
            if self._conn is None:
                return False
            try:
                self._write(self._conn, fingerprint, rows, removed, scan_problems)
                return True
            except sqlite3.DatabaseError as exc:
                if attempt == 1 and not isinstance(exc, sqlite3.OperationalError):
                    self._reset(f"damaged ({exc})")
                    continue
                log.warning("index cache %s cannot be written: %s", self.path, exc)
            except sqlite3.Error as exc:
                log.warning("index cache %s cannot be written: %s", self.path, exc)
            return False
        return False

    def _write(
        self,
        conn: sqlite3.Connection,
        fingerprint: Fingerprint,
        rows: list[Row],
        removed: list[str],
        scan_problems: Sequence[Problem] | None,
    ) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            stored = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if stored is None or stored[0] != fingerprint.digest:
                conn.execute("DELETE FROM files")
                conn.execute("DELETE FROM scan_problems")
                conn.executemany(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    [("fingerprint", fingerprint.digest), ("root", str(self.root))],
                )
            if removed:
                conn.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in removed])
            if rows:
                conn.executemany(
                    "INSERT OR REPLACE INTO files (path, size, mtime_ns, kind, data, excerpt)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
            if scan_problems is not None:
                conn.execute("DELETE FROM scan_problems")
                conn.executemany(
                    "INSERT INTO scan_problems (path, reason) VALUES (?, ?)",
                    [(p.path, p.reason) for p in scan_problems],
                )
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
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

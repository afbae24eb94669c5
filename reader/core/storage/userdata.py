"""The user's own data about posts, which must never be lost: bookmarks (with short notes), read
marks, reading positions and the last opened post of each folder.

Everything lives in one SQLite database in the user data folder (`data_dir()` from core.paths:
platformdirs, or the environment variable POST_READER_DATA_DIR); nothing is ever written into
a posts folder, so a read-only folder works fully. The file, its schema steps and moving it aside
are `storage.userdata_schema` (opened through `storage.db`); which row a folder is, across moves
and renames, is `storage.folder_identity`; export files are `export.bookmarks`. Every action is
its own short transaction, committed before the method returns: nothing waits for the program to
exit. WAL lets two windows (two processes) read while one writes, and `BEGIN IMMEDIATE` plus a
busy timeout makes their writes queue instead of failing.

Reading never needs writing. A file that cannot be written (a read-only file system, no
permission) is opened read-only (`mode=ro`; `immutable` when a read-only folder has no -shm file;
a private copy when commits a killed program left in the -wal cannot be read in place): every
read works, `writable` is False, `read_only_reason` says why, and each write raises
StorageReadOnly saying what could not be saved and why. A full disk or a lock held past the
busy timeout is taken as passing (space may be freed, the lock let go): reads keep working, and
each write that meets it raises StorageFull or StorageLocked, once per attempt. A file system
that turns read-only mid-session makes the store read-only from then on. The data is never
moved aside for any of these.

Damage. Only a file that is not a database or fails `PRAGMA quick_check` (or a folder in its
place) is renamed, with its -wal and -shm files, to `userdata.sqlite3.damaged-YYYYMMDD-HHMMSS`,
never deleted, and a fresh one is created; `recovered_from` and `message` tell the user where it
went. The same happens when damage shows up mid-session. When there is no file and none can be
created, or the file was written by a newer Post Reader, the store keeps working in memory and
`persistent` is False, again with a `message`; a file that exists but cannot be read at all makes
every action raise instead of showing less than it holds.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reader.core import errors
from reader.core.errors import StorageError
from reader.core.export import bookmarks as export
from reader.core.export.bookmarks import EXPORT_FORMATS, EXPORT_MARKER, ExportFormat
from reader.core.library import Library
from reader.core.post import Post
from reader.core.storage import folder_identity as folders
from reader.core.storage.folder_identity import ident, iso
from reader.core.storage.saved_searches import SavedSearch, SavedSearchStore
from reader.core.storage.userdata_file import BUSY_TIMEOUT_S, DataFile
from reader.core.storage.userdata_schema import DB_NAME, MIGRATIONS

log = logging.getLogger(__name__)

__all__ = [
    "BUSY_TIMEOUT_S",
    "DB_NAME",
    "EXPORT_FORMATS",
    "EXPORT_MARKER",
    "MIGRATIONS",
    "NOTE_MAX",
    "Bookmark",
    "ExportFormat",
    "ImportFileError",
    "ImportResult",
    "StoreError",
    "UserStore",
]

NOTE_MAX = 1000

# Every error the store raises on purpose is a StorageError (its subclasses say why); the old
# name stays for the callers that catch it.
StoreError = StorageError


class ImportFileError(StorageError, errors.ImportFileError):
    """A bookmarks file to import is not a Post Reader JSON export."""


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
    searches: int = 0  # saved searches added (those with a name not saved yet)


class UserStore(DataFile, SavedSearchStore):
    """Bookmarks, read marks and reading positions; every method is one committed action.

    Safe to share between threads (one lock around the connection). Methods raise a
    StorageError when the data cannot be read or saved; damage is repaired by itself.
    """

    # --- folders ----------------------------------------------------------------------------

    def folder_key(self, root: Path, posts: Sequence[Post]) -> int:
        """The id of the folder at `root` (recognised after a move; see storage.folder_identity),
        registering it when new, with its bookmarks reconciled against `posts`.

        Works on a store that cannot be written: a known (or moved) folder gets its id, a new
        one a provisional id that holds nothing; nothing is registered then."""
        root_s = str(Path(root).resolve())
        known = self._read(lambda c: folders.known_folder(c, root_s))
        candidate = None if known is not None else self._read(lambda c: folders.adoptable(c, posts))
        fid: int | None = None
        if self.writable:
            try:
                fid = self._write(lambda c: folders.register(c, root_s, candidate), "the folder")
            except StorageError as exc:
                log.warning("user data: folder %s not registered: %s", root_s, exc.reason)
        if fid is None:
            fid = known if known is not None else candidate[0] if candidate else None
        if fid is None:
            fid, self._next_provisional = self._next_provisional, self._next_provisional - 1
        self._folders[fid] = root_s
        self.reconcile(fid, posts)
        return fid

    def marked_paths(self, root: Path) -> set[str] | None:
        """The paths the folder at `root` holds bookmarks or read marks on; None when the
        folder is not known by that path (recognising it, maybe moved, needs all its posts)."""
        known = self._read(lambda c: folders.known_folder(c, str(Path(root).resolve())))
        if known is None:
            return None
        stored = self._read(lambda c: folders.marked(c, known))
        return {row[0] for rows in stored.values() for row in rows}

    def reconcile(self, folder_id: int, posts: Iterable[Post]) -> int:
        """Follow renamed files: a bookmark or read mark whose path is no longer a post moves to
        the one post with the same title and date (with its position and last-opened mark);
        stored titles and dates are refreshed. Returns how many were re-attached (0 when the
        store cannot be written: the marks stay where they are)."""
        stored = self._read(lambda c: folders.marked(c, folder_id))
        if not any(stored.values()):
            return 0  # nothing marked in this folder: no need to index its posts by path
        moves, stale = folders.plan_reconcile(stored, posts)
        if not (moves or stale) or not self.writable:
            return 0
        try:
            moved = self._write(
                lambda c: folders.apply_reconcile(c, folder_id, moves, stale), "renamed posts"
            )
        except StorageError as exc:
            log.warning("user data: renamed posts not followed: %s", exc.reason)
            return 0
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
                (folder_id, post.path, post.title, iso(post.date), note, export.now_iso()),
            )
            if cur.rowcount == 0 and note:
                conn.execute(
                    "UPDATE bookmarks SET note = ? WHERE folder_id = ? AND path = ?",
                    (note, folder_id, post.path),
                )
            return cur.rowcount == 1

        return self._write(add, "the bookmark")

    def remove_bookmark(self, folder_id: int, path: str) -> bool:
        """Remove a bookmark; True if there was one."""
        return self._delete("bookmarks", folder_id, path, "the removal of the bookmark")

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
                (folder_id, post.path, post.title, iso(post.date), export.now_iso()),
            )
            return True

        return self._write(toggle, "the bookmark")

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
            ),
            "the note",
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
        now = export.now_iso()

        def mark(conn: sqlite3.Connection) -> int:
            if read:
                cur = conn.executemany(
                    "INSERT OR IGNORE INTO read_state (folder_id, path, title, date, read_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(folder_id, p.path, p.title, iso(p.date), now) for p in items],
                )
            else:
                cur = conn.executemany(
                    "DELETE FROM read_state WHERE folder_id = ? AND path = ?",
                    [(folder_id, p.path) for p in items],
                )
            return cur.rowcount

        return self._write(mark, "the read marks") if items else 0

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
                (folder_id, post.path, post.title, iso(post.date), export.now_iso()),
            )
            return True

        return self._write(toggle, "the read mark")

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
                (folder_id, path, value, export.now_iso()),
            ),
            "the reading position",
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
            ),
            "the last opened post",
        )

    # --- export and import ------------------------------------------------------------------

    def export_bookmarks(
        self, folder_id: int, posts: Library | Iterable[Post], fmt: ExportFormat
    ) -> str:
        """The folder's bookmarks, newest first, as Markdown, HTML or JSON text (see
        export.bookmarks). Raises a StorageError when they cannot be read: an export never
        holds less than the store."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; use one of {EXPORT_FORMATS}")
        current = {p.path: p for p in (posts.posts if isinstance(posts, Library) else posts)}
        root_row = self._read(
            lambda c: c.execute("SELECT path FROM folders WHERE id = ?", (folder_id,)).fetchone()
        )
        root = Path(root_row[0]) if root_row else self._root_of(folder_id)
        entries = export.export_entries(self.bookmarks(folder_id), current)
        searches = [s.to_json() for s in self.saved_searches(folder_id)]
        return export.render_bookmarks(entries, root, fmt, current, searches)

    def _root_of(self, folder_id: int) -> Path | None:
        root = self._folders.get(folder_id)
        return Path(root) if root is not None else None

    def import_bookmarks(
        self, folder_id: int, json_text: str, posts: Iterable[Post]
    ) -> ImportResult:
        """Merge a JSON export: each entry finds its post by path, else by title and date; posts
        already bookmarked are not duplicated (their empty note is filled in). One transaction."""
        try:
            entries = export.parse_export(json_text)
        except errors.ImportFileError as exc:
            raise ImportFileError(str(exc)) from None
        searches = []
        for item in export.parse_saved_searches(json_text):
            try:
                searches.append(SavedSearch.from_json(item))
            except errors.InputError:
                continue  # a saved search without a name: nothing to list it by
        by_path = {p.path: p for p in posts}
        idents = folders.by_ident(by_path.values())
        matched: list[tuple[Post, str, str]] = []
        unmatched: list[str] = []
        for e in entries:
            path, title, date = e.get("path"), e.get("title"), e.get("date")
            post = by_path.get(path) if isinstance(path, str) else None
            if post is None and isinstance(title, str) and title:
                same = idents.get(ident(title, date if isinstance(date, str) else None), [])
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
                    (folder_id, post.path, post.title, iso(post.date), note, created),
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

        added, already = self._write(merge, "the imported bookmarks") if matched else (0, 0)
        merged = self.merge_searches(folder_id, searches)
        return ImportResult(added, already, tuple(unmatched), merged)

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

    def _delete(self, table: str, folder_id: int, path: str, what: str) -> bool:
        return self._write(
            lambda c: (
                c.execute(
                    f"DELETE FROM {table} WHERE folder_id = ? AND path = ?", (folder_id, path)
                ).rowcount
                == 1
            ),
            what,
        )


# --- small functions ------------------------------------------------------------------------


# --- small functions ------------------------------------------------------------------------


def _parse_time(value: object) -> str:
    if isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            return export.now_iso()
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return dt.astimezone(UTC).isoformat(timespec="microseconds")
    return export.now_iso()


def _check_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValueError(f"a note is at most {NOTE_MAX} characters (this one has {len(note)})")
    return note

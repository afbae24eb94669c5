"""UserState: the window's view of the user store (bookmarks, read state, reading position,
last opened post) for the opened folder. It keeps the bookmarked and read sets in memory for
painting 100,000 rows, writes every change through to SQLite at once, and reports store
errors as messages instead of raising into Qt's event loop."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from reader.core.library import Library
from reader.core.post import Post
from reader.core.storage.userdata import Bookmark, StoreError, UserStore

log = logging.getLogger(__name__)


class UserState(QObject):
    changed = Signal()  # bookmark or read sets changed (repaint list and counts)
    error = Signal(str)  # a store error, for the status bar

    def __init__(self, store: UserStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.folder_id: int | None = None
        self._bookmarks: list[Bookmark] = []
        self._bookmarked: set[str] = set()
        self._notes: dict[str, str] = {}
        self._read: set[str] = set()

    # --- attaching ----------------------------------------------------------------------------

    def attach(self, library: Library) -> None:
        """Recognise the folder (moved folders and renamed files keep their marks)."""
        try:
            self.folder_id = self.store.folder_key(library.root, library.posts)
        except StoreError as exc:
            self.folder_id = None
            self.error.emit(str(exc))
        self.reload()

    def detach(self) -> None:
        self.folder_id = None
        self._bookmarks, self._bookmarked, self._notes, self._read = [], set(), {}, set()
        self.changed.emit()

    def reload(self) -> None:
        if self.folder_id is None:
            return
        try:
            self._bookmarks = self.store.bookmarks(self.folder_id)
            self._read = self.store.read_paths(self.folder_id)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        self._bookmarked = {b.path for b in self._bookmarks}
        self._notes = {b.path: b.note for b in self._bookmarks if b.note}
        self.changed.emit()

    # --- lookups (called while painting: in-memory only) --------------------------------------

    def is_bookmarked(self, path: str) -> bool:
        return path in self._bookmarked

    def is_unread(self, path: str) -> bool:
        return self.folder_id is not None and path not in self._read

    def note(self, path: str) -> str:
        return self._notes.get(path, "")

    @property
    def bookmarked_paths(self) -> frozenset[str]:
        return frozenset(self._bookmarked)

    @property
    def bookmark_order(self) -> tuple[str, ...]:
        return tuple(b.path for b in self._bookmarks)

    @property
    def read_paths(self) -> frozenset[str]:
        return frozenset(self._read)

    def unread_count(self, library: Library) -> int | None:
        if self.folder_id is None:
            return None
        # Walk the read marks (usually few), not the 100,000 posts; paths in a library are unique.
        read_here = sum(1 for path in self._read if library.index_of(path) is not None)
        return len(library.posts) - read_here

    # --- changes (each committed by the store before it returns) ------------------------------

    def _run(self, action: str, fn: object) -> object:
        if self.folder_id is None:
            return None
        try:
            return fn()  # type: ignore[operator]
        except (StoreError, ValueError) as exc:
            log.warning("%s failed: %s", action, exc)
            self.error.emit(str(exc))
            return None

    def toggle_bookmark(self, post: Post) -> bool:
        fid = self.folder_id
        result = self._run("bookmark", lambda: self.store.toggle_bookmark(fid, post))  # type: ignore[arg-type]
        self.reload()
        return bool(result)

    def set_note(self, post: Post, note: str) -> None:
        fid = self.folder_id
        if not self.is_bookmarked(post.path):
            self._run("bookmark", lambda: self.store.add_bookmark(fid, post, note))  # type: ignore[arg-type]
        else:
            self._run("note", lambda: self.store.set_note(fid, post.path, note))  # type: ignore[arg-type]
        self.reload()

    def set_read(self, posts: Iterable[Post], read: bool = True) -> None:
        fid = self.folder_id
        posts = list(posts)
        self._run("read state", lambda: self.store.set_read(fid, posts, read))  # type: ignore[arg-type]
        if read:
            self._read.update(p.path for p in posts)
        else:
            self._read.difference_update(p.path for p in posts)
        self.changed.emit()

    def toggle_read(self, post: Post) -> None:
        self.set_read([post], read=post.path not in self._read)

    def position(self, path: str) -> float:
        fid = self.folder_id
        value = self._run("position", lambda: self.store.position(fid, path))  # type: ignore[arg-type]
        return float(value) if isinstance(value, float) else 0.0

    def set_position(self, path: str, fraction: float) -> None:
        fid = self.folder_id
        self._run("position", lambda: self.store.set_position(fid, path, fraction))  # type: ignore[arg-type]

    def last_opened(self) -> str | None:
        fid = self.folder_id
        value = self._run("last opened", lambda: self.store.last_opened(fid))  # type: ignore[arg-type]
        return value if isinstance(value, str) else None

    def set_last_opened(self, path: str | None) -> None:
        fid = self.folder_id
        self._run("last opened", lambda: self.store.set_last_opened(fid, path))  # type: ignore[arg-type]

    def export_text(self, library: Library, fmt: str) -> str | None:
        fid = self.folder_id
        value = self._run("export", lambda: self.store.export_bookmarks(fid, library, fmt))  # type: ignore[arg-type]
        return value if isinstance(value, str) else None

    def import_json(self, library: Library, text: str) -> object:
        fid = self.folder_id
        result = self._run("import", lambda: self.store.import_bookmarks(fid, text, library.posts))  # type: ignore[arg-type]
        self.reload()
        return result

"""The user's marks on one opened folder: bookmarks with notes, read state, reading positions
and the last opened post, bound to that folder.

Owns `FolderMarks`, a thin binding of the user store (`storage.userdata.UserStore`) to one
folder id, so callers never pass ids around. Every method is one committed action and raises
`StorageError` when the data cannot be read or saved (`StorageReadOnly`, `StorageFull`,
`StorageLocked` say why). When the store cannot be written at all, every read still works and
`writable` / `read_only_reason` say so before the user tries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reader.core.library import Library
from reader.core.post import Post
from reader.core.storage.saved_searches import SavedSearch
from reader.core.storage.userdata import Bookmark, ExportFormat, ImportResult, UserStore


class FolderMarks:
    """Bookmarks, read marks and positions of one folder (see the module docstring)."""

    def __init__(
        self, store: UserStore, library: Library, posts: Sequence[Post] | None = None
    ) -> None:
        self.store = store
        self._library = library
        # Recognises a moved folder and renamed files (see UserStore.folder_key) from `posts`
        # (the library's, unless the caller knows fewer are enough).
        self.folder_id = store.folder_key(library.root, library.posts if posts is None else posts)

    @property
    def writable(self) -> bool:
        """Whether changes can be saved (False: the store was opened read-only)."""
        return self.store.writable

    @property
    def read_only_reason(self) -> str | None:
        """Why changes cannot be saved ("the file system is read-only"), or None."""
        return self.store.read_only_reason

    # --- bookmarks ----------------------------------------------------------------------------

    def bookmarks(self) -> list[Bookmark]:
        """Newest bookmark first."""
        return self.store.bookmarks(self.folder_id)

    def bookmarked_paths(self) -> set[str]:
        return self.store.bookmarked_paths(self.folder_id)

    def is_bookmarked(self, path: str) -> bool:
        return self.store.is_bookmarked(self.folder_id, path)

    def add_bookmark(self, post: Post, note: str = "") -> bool:
        """Bookmark `post` (again: replaces its note); True when it was not bookmarked."""
        return self.store.add_bookmark(self.folder_id, post, note)

    def remove_bookmark(self, path: str) -> bool:
        return self.store.remove_bookmark(self.folder_id, path)

    def toggle_bookmark(self, post: Post) -> bool:
        """True when `post` is bookmarked now."""
        return self.store.toggle_bookmark(self.folder_id, post)

    def set_note(self, post: Post, note: str) -> None:
        """The bookmark's note; bookmarks the post first when it is not bookmarked."""
        if self.store.is_bookmarked(self.folder_id, post.path):
            self.store.set_note(self.folder_id, post.path, note)
        else:
            self.store.add_bookmark(self.folder_id, post, note)

    # --- read state and positions ---------------------------------------------------------------

    def read_paths(self) -> set[str]:
        return self.store.read_paths(self.folder_id)

    def set_read(self, posts: Iterable[Post], read: bool = True) -> int:
        return self.store.set_read(self.folder_id, posts, read)

    def toggle_read(self, post: Post) -> bool:
        return self.store.toggle_read(self.folder_id, post)

    def position(self, path: str) -> float:
        return self.store.position(self.folder_id, path)

    def set_position(self, path: str, fraction: float) -> None:
        self.store.set_position(self.folder_id, path, fraction)

    def last_opened(self) -> str | None:
        return self.store.last_opened(self.folder_id)

    def set_last_opened(self, path: str | None) -> None:
        self.store.set_last_opened(self.folder_id, path)

    # --- saved searches ------------------------------------------------------------------------

    def saved_searches(self) -> list[SavedSearch]:
        """In the user's order."""
        return self.store.saved_searches(self.folder_id)

    def saved_search(self, name: str) -> SavedSearch | None:
        return next((s for s in self.saved_searches() if s.name == name), None)

    def save_search(self, search: SavedSearch, replaces: str | None = None) -> None:
        """Save a new search (it goes last), or edit or rename the one named `replaces`;
        InputError when the name is taken."""
        self.store.save_search(self.folder_id, search, replaces)

    def delete_search(self, name: str) -> bool:
        return self.store.delete_search(self.folder_id, name)

    def move_search(self, name: str, to: int) -> None:
        """Reorder: put `name` at position `to` (0 is first)."""
        self.store.move_search(self.folder_id, name, to)

    # --- export and import ----------------------------------------------------------------------

    def export_bookmarks(self, fmt: ExportFormat) -> str:
        """The bookmarks as Markdown, HTML or JSON text (newest first)."""
        return self.store.export_bookmarks(self.folder_id, self._library, fmt)

    def import_bookmarks(self, json_text: str, posts: Sequence[Post] | None = None) -> ImportResult:
        """Merge a JSON export without duplicates (one transaction)."""
        return self.store.import_bookmarks(
            self.folder_id, json_text, self._library.posts if posts is None else posts
        )

"""A folder's groups of re-published copies, as `Folder.duplicates` gives them.

Owns `FolderCopies` and `SavedGroups`. The duplicate index (`index.DuplicateIndex`) holds a row
of arrays per post and numpy: at 100,000 posts it took the window from 227 to 287 MB a second
after a warm reopen. Its groups are saved in the fingerprint store with the index cache's
generation of the posts they were found among; while the folder's posts are at that generation
(a reopen of an unchanged folder, until anything changes), the saved groups answer and no index
is built. After a change they are found again from the saved ones, comparing only the posts the
change concerns (`regroup`: at a million posts the index took a minute and 760 MB). An index is
built for a first pass (nothing saved), or when the store fails midway; once it has found the
groups of posts at a known generation and saved them, it is let go again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reader.core.post import Post

if TYPE_CHECKING:
    from reader.core.duplicates.index import DuplicateIndex
    from reader.core.duplicates.store import FingerprintStore


class CopyGroups(Protocol):
    """What the groups of copies answer (`DuplicateIndex` and `SavedGroups`)."""

    def groups(self) -> list[list[str]]: ...
    def group(self, path: str) -> list[str]: ...
    def group_now(self, path: str) -> list[str]: ...
    def main_post(self, path: str) -> str: ...
    def hidden_copies(self) -> set[str]: ...


class SavedGroups:
    """Groups read back from the fingerprint store: each earliest first, as found."""

    def __init__(self, groups: list[list[str]], generation: str) -> None:
        self.generation = generation
        self._groups = groups
        self._group_of = {path: group for group in groups for path in group}

    def groups(self) -> list[list[str]]:
        return self._groups

    def group(self, path: str) -> list[str]:
        return self._group_of.get(path, [path])

    group_now = group  # (nothing to wait for)

    def main_post(self, path: str) -> str:
        return self.group(path)[0]

    def hidden_copies(self) -> set[str]:
        return {path for group in self._groups for path in group[1:]}


class FolderCopies:
    """The groups of one folder: saved ones while its posts are those they were found among,
    else the duplicate index brought in step with the posts."""

    def __init__(self, root: Path, cache_dir: Path | None) -> None:
        self._root = root
        self._cache_dir = cache_dir
        self._store: FingerprintStore | None = None
        self._index: DuplicateIndex | None = None
        self._version: int | None = None  # the library version the index is in step with
        self._saved: SavedGroups | None = None
        self._regrouped_at: int | None = None  # the library version `_saved` was found for

    def current(self) -> CopyGroups | None:
        """What answered last (None before the first call)."""
        return self._index if self._index is not None else self._saved

    def in_step(
        self,
        posts: Sequence[Post],
        version: int | None,
        generation: str,
        cancelled: Callable[[], bool],
        workers: int,
    ) -> CopyGroups:
        """The groups among `posts`. `version`: the library version they are (None: a copy
        taken on another thread, always compared); `generation`: the index cache's token of
        the folder's files when `posts` are exactly the cached ones ("" when not known)."""
        store = self._open_store()
        if self._index is None and generation:
            if self._saved is None or self._saved.generation != generation:
                groups = store.saved_groups(generation)
                self._saved = SavedGroups(groups, generation) if groups is not None else None
            if self._saved is not None:
                return self._saved
        if self._index is None:
            if version is not None and self._saved is not None and self._regrouped_at == version:
                return self._saved  # found again for this library version already
            regrouped = self._regrouped(store, posts, version, generation, cancelled, workers)
            if regrouped is not None:
                return regrouped
            from reader.core.duplicates.index import DuplicateIndex

            self._index, self._saved, self._regrouped_at = DuplicateIndex(store), None, None
        index = self._index
        if version is not None and self._version == version:
            return index  # in step with this library already
        done = index.sync(posts, root=self._root, workers=workers, cancelled=cancelled)
        self._version = version if done else None
        if done and generation:
            groups = index.groups()
            if store.save_groups(generation, groups):
                # Saved for these posts: the index (50 MB at 100,000 posts) is let go until a
                # change needs it again (it is then made from the stored fingerprints).
                from reader.core.duplicates.index import release_freed_memory

                # (Groups first: another thread may be asking `current` meanwhile.)
                self._saved = SavedGroups(groups, generation)
                self._index, self._version = None, None
                del index
                release_freed_memory()
                return self._saved
        return index

    def _regrouped(
        self,
        store: FingerprintStore,
        posts: Sequence[Post],
        version: int | None,
        generation: str,
        cancelled: Callable[[], bool],
        workers: int,
    ) -> SavedGroups | None:
        """The groups found again from those saved last (`regroup.regroup`: no index), saved
        for `generation` when it is known; None when none were saved with the ids they were
        found among, or the store failed meanwhile (an index finds them then)."""
        state = store.saved_state()
        if state is None:
            return None
        from reader.core.duplicates.regroup import regroup

        groups = regroup(store, posts, *state, self._root, workers, cancelled)
        if groups is None:
            # Stopped: the groups as last saved (a cancelled caller drops its answer).
            return SavedGroups(state[0], "") if cancelled() else None
        saved = generation and store.save_groups(generation, groups)
        self._saved = SavedGroups(groups, generation if saved else "")
        self._regrouped_at = version
        return self._saved

    def _open_store(self) -> FingerprintStore:
        if self._store is None:
            from reader.core.duplicates.store import FingerprintStore

            # Fingerprints are kept beside the folder's cache: a reopened folder reads only
            # the posts that are new or changed since.
            self._store = FingerprintStore.open(self._root, self._cache_dir)
        return self._store

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        elif self._store is not None:
            self._store.close()

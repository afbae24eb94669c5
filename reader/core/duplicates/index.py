"""The folder's groups of re-published copies, kept up to date as posts come and go.

Owns `DuplicateIndex` and `find_duplicates`. Posts are added with their fingerprints (see
`fingerprint`), which go to a `store.FingerprintStore` (a file in the user cache folder, so a
reopened folder fingerprints only new and changed posts; or memory). In memory the index keeps
a row of numpy arrays per post (`rows`, ~180 bytes); `lsh` proposes the pairs of posts that may
be copies and `fingerprint.similar`, reading the two fingerprints from the store, decides.

Copies are linked pairwise and a group is a connected set of linked posts, so removing a post (a
file deleted or changed) only drops its links; its linked copies are checked again against the
others (a long run of equal band hashes links posts in a chain, see `lsh.LARGE_RUN`, so they may
have been linked only through it). Each group lists its posts earliest first: the earliest copy
is the story's main row, the others are its copies.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.post import Post
from reader.core.table_rows import FileStats, PostsByPath, TableRows

if TYPE_CHECKING:
    from reader.core.duplicates.fingerprint import Fingerprint
    from reader.core.duplicates.store import FingerprintStore, NewRow, StoredRow

# numpy (and the modules using it) are imported when an index is made, not with `reader.core`.

log = logging.getLogger(__name__)

_CONFIRM_CHUNK = 2000  # proposed pairs whose fingerprints are read from the store at once
# After adding this many posts, freed memory is handed back (see `release_freed_memory`).
_TRIM_AFTER = 10_000


class DuplicateIndex:
    """Groups of posts that are copies of one story; grows and shrinks with the folder.
    `store`: where the fingerprints are kept (default: in memory)."""

    def __init__(self, store: FingerprintStore | None = None) -> None:
        from reader.core.duplicates.rows import PostRows
        from reader.core.duplicates.store import FingerprintStore

        # The GUI reads groups while a background thread adds posts.
        self._lock = threading.RLock()
        self._store = store if store is not None else FingerprintStore()
        self._rows = PostRows()
        self._links: dict[str, set[str]] = {}
        self._groups: list[list[str]] | None = None
        self._group_of: dict[str, list[str]] = {}
        # Where the last update read bodies: to fingerprint again a post the store lost.
        self._root: Path | None = None
        self._read: Callable[[str], str] | None = None

    def __len__(self) -> int:
        """How many posts have been compared (posts too short to compare are not counted)."""
        return self._rows.compared

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        with self._lock:
            return self._rows.contains(path)

    @property
    def store(self) -> FingerprintStore:
        return self._store

    def close(self) -> None:
        """Close the fingerprint store's file (the index keeps answering from memory)."""
        with self._lock:
            self._store.close()

    # --- adding and removing ---------------------------------------------------------------------

    def add(self, path: str, date: datetime | None, print_: Fingerprint | None) -> None:
        """Add (or replace) a post; None for a post too short or unreadable to compare, which
        is never anyone's copy. Its copies are looked for when groups are next asked for."""
        with self._lock:
            self._remove(path)
            self._add_batch([(path, date, 0, 0, print_)])

    def _add_batch(
        self, items: Sequence[tuple[str, datetime | None, int, int, Fingerprint | None]]
    ) -> None:
        """Append fingerprinted posts (path, date, size, mtime_ns, fingerprint) and store their
        fingerprints."""
        from reader.core.duplicates.rows import band_bytes, stamp

        bands = iter(band_bytes([p for *_, p in items if p is not None]))
        stored: list[NewRow] = []
        rows: list[tuple[str, datetime | None, int, bytes | None]] = []
        for path, date, size, mtime_ns, print_ in items:
            band = next(bands) if print_ is not None else None
            rows.append((path, date, stamp(size, mtime_ns), band))
            stored.append((path, size, mtime_ns, print_, band))
        self._rows.append_many(rows)
        self._store.put(stored)
        self._groups = None

    def remove(self, path: str) -> None:
        """Forget a post (deleted, or about to be re-added changed); unknown paths are ignored."""
        with self._lock:
            self._remove(path)

    def _remove(self, path: str) -> None:
        if not self._rows.remove(path):
            return
        others = self._links.pop(path, set())
        for other in others:
            links = self._links.get(other)
            if links is not None:
                links.discard(path)
                if not links:
                    del self._links[other]
        if others:
            # Its copies may have been linked to each other only through it: check them again.
            self._rows.refresh(sorted(others))
        self._groups = None

    # --- linking ---------------------------------------------------------------------------------

    def _link_fresh(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Confirm the pairs `lsh` proposes for new posts and link the copies; False when
        `cancelled()` (asked between chunks of pairs) stopped it: the posts of the pairs not
        confirmed are proposed again next time."""
        from reader.core.duplicates.fingerprint import similar

        pairs = self._rows.proposals()
        linked = 0
        for start in range(0, len(pairs), _CONFIRM_CHUNK):
            if start and cancelled():
                self._rows.refresh(sorted({p for pair in pairs[start:] for p in pair}))
                if linked:
                    self._groups = None
                return False
            chunk = [
                (a, b)
                for a, b in pairs[start : start + _CONFIRM_CHUNK]
                if b not in self._links.get(a, ())
            ]
            prints = self._fingerprints({p for pair in chunk for p in pair})
            for a, b in chunk:
                pa, pb = prints.get(a), prints.get(b)
                if pa is not None and pb is not None and similar(pa, pb):
                    self._links.setdefault(a, set()).add(b)
                    self._links.setdefault(b, set()).add(a)
                    linked += 1
        if linked:
            self._groups = None
        if pairs:
            log.debug("duplicates: %d pairs proposed, %d linked", len(pairs), linked)
        return True

    def _fingerprints(self, paths: set[str]) -> dict[str, Fingerprint]:
        """The stored fingerprints of `paths`; one the store lost (its file failed meanwhile)
        is made again from the post."""
        found = self._store.fingerprints(sorted(paths))
        for path in sorted(paths - found.keys()):
            print_ = self._fingerprint_again(path)
            if print_ is not None:
                found[path] = print_
                self._store.put([(path, 0, 0, print_, None)])
        return found

    def _fingerprint_again(self, path: str) -> Fingerprint | None:
        from reader.core.duplicates.fingerprint import text_fingerprint
        from reader.core.reading.parse import read_body

        try:
            if self._read is not None:
                return text_fingerprint(self._read(path))
            if self._root is not None:
                return text_fingerprint(read_body(self._root, path)[0])
        except Exception as exc:  # one bad file must not stop the rest
            log.info("not comparing %s with other posts: %s", path, exc)
        return None

    # --- groups ----------------------------------------------------------------------------------

    def groups(self) -> list[list[str]]:
        """Every group of two or more copies, each earliest first; groups in order of their
        earliest post."""
        with self._lock:
            self._link_fresh()
            if self._groups is None:
                self._build_groups()
            assert self._groups is not None
            return self._groups

    def group(self, path: str) -> list[str]:
        """The copies of `path`'s story, earliest first, `path` among them; [path] when alone."""
        with self._lock:
            self.groups()
            return self._group_of.get(path, [path])

    def group_now(self, path: str) -> list[str]:
        """`group`, without waiting while another thread brings the index in step (a first
        pass over a million posts takes minutes): then the group as last found."""
        if not self._lock.acquire(blocking=False):
            return self._group_of.get(path, [path])  # (replaced whole, never changed in place)
        try:
            return self.group(path)
        finally:
            self._lock.release()

    def main_post(self, path: str) -> str:
        """The story's main row: the earliest copy of `path` (`path` itself when alone)."""
        return self.group(path)[0]

    def hidden_copies(self) -> set[str]:
        """The posts Hide Duplicates hides: every copy but the earliest of its group."""
        return {path for group in self.groups() for path in group[1:]}

    def _build_groups(self) -> None:
        seen: set[str] = set()
        groups: list[list[str]] = []
        for start in self._links:
            if start in seen:
                continue
            members, stack = [], [start]
            seen.add(start)
            while stack:
                node = stack.pop()
                members.append(node)
                for other in self._links.get(node, ()):
                    if other not in seen:
                        seen.add(other)
                        stack.append(other)
            groups.append(members)
        key = self._rows.order_keys([p for g in groups for p in g])
        for members in groups:
            members.sort(key=key.__getitem__)
        groups.sort(key=lambda g: key[g[0]])
        self._groups = groups
        self._group_of = {path: group for group in groups for path in group}

    # --- bringing the index in step with a folder -----------------------------------------------

    def sync(
        self,
        posts: Sequence[Post],
        *,
        root: str | Path = "",
        read: Callable[[str], str] | None = None,
        workers: int = 2,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> bool:
        """Bring the index in step with all of a folder's `posts`: those new or changed (size
        or mtime) since they were added are (re)added, paths no longer among them removed.
        Unchanged posts cost a lookup each. Returns False when cancelled (see `update`)."""
        with self._lock:
            first = self._rows.live == 0
            added, removed = self._rows.changes(posts)
        if not added and not removed:
            return True
        return self._update(added, removed, root, read, workers, cancelled, complete=first)

    def update(
        self,
        added: Iterable[Post],
        removed: Iterable[str] = (),
        *,
        root: str | Path = "",
        read: Callable[[str], str] | None = None,
        workers: int = 2,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> bool:
        """Bring the index in step with a folder's changes: forget `removed` paths, (re)add
        `added` posts (changed ones are replaced), reading their bodies with `read` (path →
        body) in this process or from files under `root` in `workers` processes; a post whose
        stored fingerprint was made from the same file (size, mtime_ns) is not read. Returns
        False when stopped by `cancelled()` between batches (what was added so far stays)."""
        return self._update(list(added), list(removed), root, read, workers, cancelled)

    def _update(
        self,
        added: Sequence[Post],
        removed: list[str],
        root: str | Path,
        read: Callable[[str], str] | None,
        workers: int,
        cancelled: Callable[[], bool],
        complete: bool = False,
    ) -> bool:
        """`update`; `complete`: `added` is the whole folder into an empty index, so the
        store's rows of other paths are of posts gone meanwhile (forgotten)."""
        from reader.core.duplicates.fingerprint import fingerprint_paths

        by_path: Mapping[str, Post] = (
            PostsByPath(added, cancelled)
            if isinstance(added, TableRows)
            else {post.path: post for post in added}
        )
        if isinstance(by_path, PostsByPath) and not by_path.complete:
            return False
        with self._lock:
            self._root, self._read = (Path(root) if root else None), read
            for path in removed:
                self._remove(path)
            self._store.forget(removed)
            # Posts in the index were declared changed: their stored fingerprints are not reused
            # (an empty index holds none: a million paths are not looked up for nothing).
            replaced = (
                {
                    path
                    for path, there in zip(by_path, self._rows.present(list(by_path)), strict=True)
                    if there
                }
                if self._rows.live
                else set()
            )
            for path in replaced:
                self._remove(path)
            self._rows.reserve(len(by_path))
            reused = self._reuse_stored(by_path, replaced, complete, cancelled)
            if reused is None:
                self._rows.settle()
                return False
        todo = [path for path in by_path if path not in reused]
        for batch in fingerprint_paths(root, todo, workers, read):
            with self._lock:
                # The post's own path string (shared with the library), not the worker's copy.
                posts = [(by_path[path], print_) for path, print_ in batch]
                self._add_batch([(q.path, q.date, q.size, q.mtime_ns, p) for q, p in posts])
            if cancelled():
                with self._lock:
                    self._rows.settle()
                return False
        with self._lock:
            linked = self._link_fresh(cancelled)
            self._rows.settle()
        if len(by_path) >= _TRIM_AFTER:
            release_freed_memory()
        return linked

    def _reuse_stored(
        self,
        posts: Mapping[str, Post],
        replaced: set[str],
        complete: bool,
        cancelled: Callable[[], bool],
    ) -> set[str] | None:
        """Add those of `posts` (but the `replaced`) whose stored fingerprint was made from the
        same file, and return their paths. `complete`: read the whole store, and forget the
        rows of paths not among `posts`. None when `cancelled()` (asked between the store's
        batches: a million stored rows take half a minute) stopped it; what it added stays."""
        from reader.core.duplicates.rows import stamp

        known = posts.file_stats if isinstance(posts, PostsByPath) else _stats_of(posts)
        stored: Iterable[list[StoredRow]]
        if complete:  # (every post: none is built to find those worth looking up)
            stored = self._store.rows()
        else:  # (a post made without its file's stats, mtime 0, matches no stored fingerprint)
            wanted = [p for p in posts if p not in replaced and (st := known(p)) and st[3] != 0]
            if not wanted:
                return set()
            stored = self._store.lookup(wanted)
        reused: set[str] = set()
        stale: list[str] = []
        for batch in stored:
            if cancelled():
                return None
            matched: list[tuple[str, datetime | None, int, bytes | None]] = []
            for path, size, mtime_ns, bands in batch:
                found = known(path)
                if found is None:
                    stale.append(path)
                    continue
                own_path, date, own_size, own_mtime = found
                # (mtime 0: a post made without its file's stats, which nothing stored matches.)
                if own_mtime != 0 and (own_size, own_mtime) == (size, mtime_ns):
                    if path in replaced:
                        continue
                    # The post's own path string (shared with the library), not the store's.
                    matched.append((own_path, date, stamp(size, mtime_ns), bands))
                    reused.add(own_path)
            self._rows.append_many(matched)
        if complete:
            self._store.forget(stale)
        if reused:
            self._groups = None
            log.info("duplicates: %d stored fingerprints reused", len(reused))
        return reused


def _stats_of(posts: Mapping[str, Post]) -> Callable[[str], FileStats | None]:
    """`PostsByPath.file_stats` of a plain mapping of posts."""

    def stats(path: str) -> FileStats | None:
        post = posts.get(path)
        return None if post is None else (post.path, post.date, post.size, post.mtime_ns)

    return stats


def release_freed_memory() -> None:
    """Hand memory freed by a large update back to the system (glibc's `malloc_trim`).

    Adding 100,000 posts frees ~20 MB of temporary lists, dicts and arrays; glibc keeps most of
    it in the process's heap (measured: RSS +40 MB for 18 MB of rows kept, +25 MB after the
    trim). Elsewhere (no glibc) nothing happens."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # another C library (musl)
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def find_duplicates(
    posts: Iterable[Post],
    *,
    root: str | Path = "",
    read: Callable[[str], str] | None = None,
    workers: int = 2,
    store: FingerprintStore | None = None,
) -> DuplicateIndex:
    """A new index of `posts` (see `DuplicateIndex.update` for `root`, `read` and `workers`);
    `store`: where fingerprints are kept (default: in memory)."""
    index = DuplicateIndex(store)
    index.update(posts, root=root, read=read, workers=workers)
    log.info("duplicates: %d groups among %d posts", len(index.groups()), len(index))
    return index

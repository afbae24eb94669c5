"""The folder's groups of re-published copies, kept up to date as posts come and go.

Owns `DuplicateIndex` and `find_duplicates`. Posts are added with their fingerprints (see
`fingerprint`); datasketch's `MinHashLSH` proposes the posts that may be copies of a new one and
`fingerprint.similar` decides. Copies are linked pairwise and a group is a connected set of
linked posts, so removing a post (a file deleted or changed) only drops its links: nothing has to
be recomputed. Each group lists its posts earliest first: the earliest copy is the story's main
row, the others are its copies.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.post import Post

if TYPE_CHECKING:
    from reader.core.duplicates.fingerprint import Fingerprint

# numpy and datasketch are imported when an index is made, not with `reader.core`: measured
# here, datasketch (which loads scipy) takes over a second to import.

log = logging.getLogger(__name__)

# LSH proposes pairs down to this Jaccard similarity: copies with a paragraph more or less are
# near 0.8, and `similar` then decides on containment. Lower would propose more pairs to check.
_PROPOSE_AT = 0.6

_OrderKey = tuple[int, float, str]


class _Slots:
    """What `MinHashLSH` reads of a MinHash: its hash values and their number. (Its LeanMinHash
    insists on knowing which of datasketch's permutation schemes made the values; ours are
    one-permutation hashing, which is neither.)"""

    __slots__ = ("hashvalues",)

    def __init__(self, values: Any) -> None:
        self.hashvalues = values

    def __len__(self) -> int:
        return len(self.hashvalues)


def _order_key(path: str, date: datetime | None) -> _OrderKey:
    # Earliest first; posts without a date after those with one; the path breaks ties.
    if date is None:
        return (1, 0.0, path)
    return (0, date.timestamp(), path)


class DuplicateIndex:
    """Groups of posts that are copies of one story; grows and shrinks with the folder."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        from reader.core.duplicates.fingerprint import NUM_PERM

        # The GUI reads groups while a background thread adds posts.
        self._lock = threading.RLock()
        self._lsh = MinHashLSH(threshold=_PROPOSE_AT, num_perm=NUM_PERM)
        self._prints: dict[str, Fingerprint] = {}
        self._order: dict[str, _OrderKey] = {}
        self._links: dict[str, set[str]] = {}
        self._groups: list[list[str]] | None = None
        self._group_of: dict[str, list[str]] = {}

    def __len__(self) -> int:
        """How many posts have been compared (posts too short to compare are not counted)."""
        return len(self._prints)

    def __contains__(self, path: object) -> bool:
        return path in self._order

    def add(self, path: str, date: datetime | None, print_: Fingerprint | None) -> None:
        """Add (or replace) a post; None for a post too short or unreadable to compare, which
        is never anyone's copy."""
        from reader.core.duplicates.fingerprint import similar

        with self._lock:
            self._add(path, date, print_, similar)

    def _add(
        self,
        path: str,
        date: datetime | None,
        print_: Fingerprint | None,
        similar: Callable[[Fingerprint, Fingerprint], bool],
    ) -> None:
        if path in self._order:
            self._remove(path)
        self._order[path] = _order_key(path, date)
        if print_ is None:
            return
        minhash = _Slots(print_.values())
        for other in self._lsh.query(minhash):
            if similar(print_, self._prints[other]):
                self._links.setdefault(path, set()).add(other)
                self._links.setdefault(other, set()).add(path)
                self._groups = None
        self._lsh.insert(path, minhash, check_duplication=False)
        self._prints[path] = print_

    def remove(self, path: str) -> None:
        """Forget a post (deleted, or about to be re-added changed); unknown paths are ignored."""
        with self._lock:
            self._remove(path)

    def _remove(self, path: str) -> None:
        self._order.pop(path, None)
        if self._prints.pop(path, None) is not None:
            self._lsh.remove(path)
        for other in self._links.pop(path, ()):
            links = self._links.get(other)
            if links is not None:
                links.discard(path)
                if not links:
                    del self._links[other]
        self._groups = None

    def groups(self) -> list[list[str]]:
        """Every group of two or more copies, each earliest first; groups in order of their
        earliest post."""
        with self._lock:
            if self._groups is None:
                self._build_groups()
            assert self._groups is not None
            return self._groups

    def group(self, path: str) -> list[str]:
        """The copies of `path`'s story, earliest first, `path` among them; [path] when alone."""
        with self._lock:
            self.groups()
            return self._group_of.get(path, [path])

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
            members.sort(key=self._order.__getitem__)
            groups.append(members)
        groups.sort(key=lambda g: self._order[g[0]])
        self._groups = groups
        self._group_of = {path: group for group in groups for path in group}

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
        body) in this process or from files under `root` in `workers` processes. Returns False
        when stopped by `cancelled()` between batches (what was added so far stays)."""
        from reader.core.duplicates.fingerprint import fingerprint_paths

        for path in removed:
            self.remove(path)
        dates = {post.path: post.date for post in added}
        for batch in fingerprint_paths(root, list(dates), workers, read):
            for path, print_ in batch:
                self.add(path, dates[path], print_)
            if cancelled():
                return False
        return True


def find_duplicates(
    posts: Iterable[Post],
    *,
    root: str | Path = "",
    read: Callable[[str], str] | None = None,
    workers: int = 2,
) -> DuplicateIndex:
    """A new index of `posts` (see `DuplicateIndex.update` for `root`, `read` and `workers`)."""
    index = DuplicateIndex()
    index.update(posts, root=root, read=read, workers=workers)
    log.info("duplicates: %d groups among %d posts", len(index.groups()), len(index))
    return index

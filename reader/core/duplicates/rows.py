"""What the duplicate index keeps of each post in memory: one row of numpy arrays.

Owns `PostRows`: per post its band hashes (`lsh`, 18 × 8 bytes), a stamp of its file's (size,
mtime_ns) that tells a changed post, its date (the order of a group), a state (compared, too
short to compare, removed) and whether its pairs are still to be checked ("fresh"); beside them
the path (the library's own string object) and a sorted array of the paths' hashes to find a
path's row. About 180 bytes a post, where a dict from path to row alone would cost ~80 more.
Fingerprints themselves are not here: they are in the store, read only to confirm a pair.
Imported when an index is made (numpy is not imported with `reader.core`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from reader.core.duplicates import lsh
from reader.core.table import PostTable
from reader.core.table_rows import TableRows

if TYPE_CHECKING:
    from reader.core.duplicates.fingerprint import Fingerprint
    from reader.core.post import Post

_DEAD, _SHORT, _COMPARED = 0, 1, 2  # a row's state: removed, too short to compare, compared
_UNDATED = np.inf  # posts without a date sort after those with one

OrderKey = tuple[float, str]
_Array = TypeVar("_Array", bound=np.ndarray[Any, Any])


_SIZE_MIX = 0x9E3779B97F4A7C15


def stamp(size: int, mtime_ns: int) -> int:
    """One int64 standing for a file's (size, mtime_ns): what says a post changed."""
    value = (mtime_ns ^ (size * _SIZE_MIX)) & 0xFFFFFFFFFFFFFFFF
    return value - (1 << 64) if value >= 1 << 63 else value


def stamps(posts: Sequence[Post]) -> npt.NDArray[np.int64]:
    """`stamp` of each post's (size, mtime_ns), computed in numpy."""
    if isinstance(posts, PostTable):  # straight from its columns, building no post
        sizes = np.frombuffer(posts.sizes(), dtype=np.int64).astype(np.uint64)
        mtimes = np.frombuffer(posts.mtimes(), dtype=np.int64).view(np.uint64)
    else:
        sizes = np.array([p.size for p in posts], dtype=np.uint64)
        mtimes = np.array([p.mtime_ns for p in posts], dtype=np.int64).view(np.uint64)
    with np.errstate(over="ignore"):
        return (mtimes ^ (sizes * np.uint64(_SIZE_MIX))).view(np.int64)


def band_bytes(prints: Sequence[Fingerprint]) -> list[bytes]:
    """The band hashes of each fingerprint, as the bytes a row (and the store) keeps."""
    if not prints:
        return []
    slots = np.frombuffer(b"".join(p.slots for p in prints), dtype=np.uint64)
    return [row.tobytes() for row in lsh.band_hashes(slots)]


class PostRows:
    """The posts of a duplicate index as rows of arrays (see the module docstring). Not
    thread-safe: the index holds its lock around every call."""

    def __init__(self) -> None:
        self._n = 0  # rows used, live and removed
        self._paths: list[str | None] = []  # row -> path (None: removed)
        self._bands = np.zeros((0, lsh.BANDS), dtype=np.uint64)
        self._stamps = np.zeros(0, dtype=np.int64)
        self._when = np.zeros(0, dtype=np.float64)
        self._state = np.zeros(0, dtype=np.uint8)
        self._fresh = np.zeros(0, dtype=bool)
        self.live = 0  # posts in the index
        self.compared = 0  # of which long enough to compare
        # path -> row: a sorted array of the live paths' hashes, plus a dict of the rows added
        # since it was sorted (folded in when it grows). A removed row stays in the array (its
        # path is None, so it matches nothing): removing posts one by one sorts nothing.
        self._hashes = np.zeros(0, dtype=np.int64)
        self._hash_rows = np.zeros(0, dtype=np.int64)
        self._recent: dict[str, int] = {}
        self._lookup_valid = True

    # --- finding rows ----------------------------------------------------------------------------

    def _rows_of(self, paths: Sequence[str]) -> npt.NDArray[np.int64]:
        """The row of each path, -1 for those not in the index."""
        if not self._lookup_valid or len(self._recent) > max(1024, len(self._hashes) // 8):
            self._sort_lookup()
        rows = self._sorted_rows_of(paths)
        if self._recent:
            recent = self._recent
            for k in np.flatnonzero(rows < 0).tolist():
                rows[k] = recent.get(paths[k], -1)
        return rows

    def settle(self) -> None:
        """After adding many posts: fold the dict of recent rows into the sorted array (a dict
        costs ~80 bytes a row, the array 16)."""
        if len(self._recent) > 256:
            self._sort_lookup()

    def _sort_lookup(self) -> None:
        live = np.flatnonzero(self._state[: self._n] != _DEAD)
        hashes = np.fromiter(
            (hash(self._paths[r]) for r in live.tolist()), dtype=np.int64, count=len(live)
        )
        order = np.argsort(hashes)
        self._hashes, self._hash_rows = hashes[order], live[order]
        self._recent = {}
        self._lookup_valid = True

    def _sorted_rows_of(self, paths: Sequence[str]) -> npt.NDArray[np.int64]:
        """The rows of `paths` found in the sorted array (-1 for the others)."""
        rows = np.full(len(paths), -1, dtype=np.int64)
        table, table_rows, own = self._hashes, self._hash_rows, self._paths
        if not len(table):
            return rows
        wanted = np.fromiter((hash(p) for p in paths), dtype=np.int64, count=len(paths))
        at = np.searchsorted(table, wanted)
        at[at >= len(table)] = 0
        hits = np.flatnonzero(table[at] == wanted).tolist()
        matched: list[int] = []
        # The first row with the hash is almost always the path's; another path with the same
        # hash, or the removed row of a path added again, makes a search through equal hashes.
        for k, row in zip(hits, table_rows[at[hits]].tolist(), strict=True):
            path = paths[k]
            if own[row] == path:
                matched.append(k)
                continue
            pos = int(at[k]) + 1
            while pos < len(table) and table[pos] == wanted[k]:
                if own[int(table_rows[pos])] == path:
                    rows[k] = table_rows[pos]
                    break
                pos += 1
        rows[matched] = table_rows[at[matched]]
        return rows

    def contains(self, path: str) -> bool:
        return int(self._rows_of([path])[0]) >= 0

    def present(self, paths: Sequence[str]) -> list[bool]:
        return [bool(row >= 0) for row in self._rows_of(paths).tolist()]

    def changes(self, posts: Sequence[Post]) -> tuple[Sequence[Post], list[str]]:
        """Against all of a folder's `posts`: those new or changed since they were added, and
        the paths in the index no longer among them."""
        if not self._n:  # an empty index (a first pass): every post, no path looked up
            every = range(len(posts))
            return (TableRows(posts, every) if isinstance(posts, PostTable) else list(posts)), []
        rows = self._rows_of(
            posts.paths() if isinstance(posts, PostTable) else [p.path for p in posts]
        )
        now = stamps(posts)
        known = rows >= 0
        same = np.zeros(len(posts), dtype=bool)
        same[known] = self._stamps[rows[known]] == now[known]
        changed = np.flatnonzero(~same).tolist()
        # A table's posts are built when the finder gets to them, not all at once.
        added: Sequence[Post] = (
            TableRows(posts, changed)
            if isinstance(posts, PostTable)
            else [posts[k] for k in changed]
        )
        present = np.zeros(self._n, dtype=bool)
        present[rows[known]] = True
        gone = np.flatnonzero((self._state[: self._n] != _DEAD) & ~present).tolist()
        return added, [p for p in (self._paths[r] for r in gone) if p is not None]

    def order_keys(self, paths: Sequence[str]) -> dict[str, OrderKey]:
        """Each path's place in a group: earliest first, undated last, the path breaks ties."""
        when = self._when[self._rows_of(paths)].tolist()
        return {path: (t, path) for path, t in zip(paths, when, strict=True)}

    # --- adding and removing ---------------------------------------------------------------------

    def append(self, path: str, date: datetime | None, stamp: int, bands: bytes | None) -> None:
        """A new row (the path must not be in the index); `bands` None: too short to compare."""
        self.append_many([(path, date, stamp, bands)])

    def append_many(self, rows: Sequence[tuple[str, datetime | None, int, bytes | None]]) -> None:
        """New rows (path, date, stamp, bands), as `append`, in a few numpy operations."""
        if not rows:
            return
        self._grow(len(rows))
        start, end = self._n, self._n + len(rows)
        self._n = end
        compared = [k for k, row in enumerate(rows) if row[3] is not None]
        self._paths.extend(row[0] for row in rows)
        self._stamps[start:end] = [row[2] for row in rows]
        self._when[start:end] = [_UNDATED if row[1] is None else row[1].timestamp() for row in rows]
        self._state[start:end] = _SHORT
        if compared:
            at = np.asarray(compared, dtype=np.int64) + start
            blob = b"".join(rows[k][3] or b"" for k in compared)
            self._bands[at] = np.frombuffer(blob, dtype=np.uint64).reshape(-1, lsh.BANDS)
            self._state[at] = _COMPARED
            self._fresh[at] = True
        self.live += len(rows)
        self.compared += len(compared)
        self._recent.update((row[0], start + k) for k, row in enumerate(rows))

    def remove(self, path: str) -> bool:
        """Forget a post's row; False when it was not in the index."""
        row = int(self._rows_of([path])[0])
        if row < 0:
            return False
        if self._state[row] == _COMPARED:
            self.compared -= 1
        self._state[row] = _DEAD
        self._fresh[row] = False
        self._paths[row] = None
        self.live -= 1
        self._recent.pop(path, None)
        return True

    def refresh(self, paths: Sequence[str]) -> None:
        """Check these posts' pairs again at the next `proposals`."""
        rows = self._rows_of(paths)
        self._fresh[rows[rows >= 0]] = True

    def proposals(self) -> list[tuple[str, str]]:
        """The pairs of paths `lsh` proposes for the fresh rows (which are fresh no more)."""
        n = self._n
        fresh = self._fresh[:n]
        if not fresh.any():
            return []
        pairs = lsh.candidate_pairs(self._bands[:n], self._state[:n] == _COMPARED, fresh)
        fresh[:] = False
        paths = self._paths
        return [(str(paths[a]), str(paths[b])) for a, b in pairs.tolist()]

    # --- storage ---------------------------------------------------------------------------------

    def reserve(self, extra: int) -> None:
        """Make room for `extra` more rows at once: one allocation of the exact size, where
        growing row by row would leave up to half the arrays unused (and the freed copies on
        the heap)."""
        self._grow(extra, exact=True)

    def _grow(self, extra: int, exact: bool = False) -> None:
        if self._n + extra <= len(self._state):
            return
        if self.live < self._n // 2 and self._n > 1000:
            self._compact()
            if self._n + extra <= len(self._state):
                return
        size = self._n + extra if exact else max(self._n + extra, len(self._state) * 3 // 2, 1024)
        self._bands = _resized(self._bands, size)
        self._stamps = _resized(self._stamps, size)
        self._when = _resized(self._when, size)
        self._state = _resized(self._state, size)
        self._fresh = _resized(self._fresh, size)

    def _compact(self) -> None:
        """Drop removed rows (the index links posts by path, so nothing else changes)."""
        keep = np.flatnonzero(self._state[: self._n] != _DEAD)
        self._bands = _compacted(self._bands, keep)
        self._stamps = _compacted(self._stamps, keep)
        self._when = _compacted(self._when, keep)
        self._state = _compacted(self._state, keep)
        self._fresh = _compacted(self._fresh, keep)
        self._paths = [self._paths[r] for r in keep.tolist()]
        self._n = len(keep)
        self._lookup_valid = False


def _resized(array: _Array, size: int) -> _Array:
    grown = np.zeros((size, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return cast(_Array, grown)


def _compacted(array: _Array, keep: npt.NDArray[np.int64]) -> _Array:
    out = np.zeros_like(array)
    out[: len(keep)] = array[keep]
    return cast(_Array, out)

"""The groups of copies found again after a change, from those saved before, without an index.

Owns `regroup`. A `DuplicateIndex` brought in step with a folder from the store holds a row of
arrays per post and proposes every stored post's pairs again: after one new file in a million
posts, a minute on two cores and 760 MB more in the window. But the groups saved last
(`FingerprintStore.saved_state`) were found among every post stored then, each compared with
the others; after a change only the pairs with a "fresh" post need checking: a post new or
changed since, stored after those groups were saved, or left in a saved group that lost or
changed a member (its copies may have been linked through that one) — the pairs an index kept in
step would check (`lsh.candidate_pairs`, with `lsh.run_pairs` for each run of equal band hashes).
They are found in two passes over the store's narrow table, its stats and then its band hashes
compared with the fresh posts' own, holding a byte and an id per post; the pairs are confirmed
from the fingerprints. Nothing is written before both passes are done: a store that fails to
write (a full disk) is not read again, and the posts fingerprinted anew are then kept in memory.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reader.core.duplicates import lsh
from reader.core.duplicates.fingerprint import Fingerprint, fingerprint_paths, similar
from reader.core.duplicates.rows import band_bytes
from reader.core.duplicates.store import FingerprintStore, NewRow
from reader.core.path_index import PathIndex
from reader.core.post import Post
from reader.core.table import NO_DATE, PostTable

log = logging.getLogger(__name__)

# A post against the store: not in it, stored after the saved groups, compared for them, changed.
_NEW, _UNCHECKED, _CHECKED, _CHANGED = 0, 1, 2, 3
_BAND_BYTES = lsh.BANDS * 8
_CONFIRM_CHUNK = 2000  # proposed pairs whose fingerprints are read from the store at once
_STORE_CHUNK = 500  # new fingerprints stored in one transaction
# Posts fingerprinted anew that are held (about 1.2 KB each) until both passes over the store
# are done; more, and an index does it (it stores them as it goes).
HELD_AT_MOST = 50_000


class _Posts:
    """The posts by number, path and file stats, from a table's columns when they are one."""

    def __init__(self, posts: Sequence[Post]) -> None:
        self.n = len(posts)
        if isinstance(posts, PostTable):
            index = PathIndex(posts)
            self.find: Callable[[str], int | None] = index.get
            self.path: Callable[[int], str] = posts.path
            self.stats: Callable[[int], tuple[int, int]] = posts.file_stats

            def when(k: int) -> float:
                stamp = posts.stamp(k)
                return math.inf if stamp == NO_DATE else stamp

        else:
            self.find = {post.path: k for k, post in enumerate(posts)}.get
            self.path = lambda k: posts[k].path
            self.stats = lambda k: (posts[k].size, posts[k].mtime_ns)

            def when(k: int) -> float:
                date = posts[k].date
                return math.inf if date is None else date.timestamp()

        self.when = when

    def order_key(self, k: int) -> tuple[float, str]:
        """A post's place in its group: earliest first, undated last, the path breaks ties."""
        return self.when(k), self.path(k)


def regroup(
    store: FingerprintStore,
    posts: Sequence[Post],
    saved: list[list[str]],
    through: int,
    root: str | Path,
    workers: int,
    cancelled: Callable[[], bool],
) -> list[list[str]] | None:
    """The groups among all of a folder's `posts`, from `saved` (the groups found when the
    store's ids went up to `through`, see the module's text). Posts new or changed are
    fingerprinted (in `workers` processes, from files under `root`) and stored; rows of paths
    no longer among `posts` are forgotten. Each group earliest first, groups in order of their
    earliest post. None when `cancelled()` (asked between batches) or the store failed midway
    (an index does it then)."""
    own = _Posts(posts)
    found = _against_store(store, own, through, cancelled)
    if found is None:
        return None
    state, ids, stale = found
    todo = np.flatnonzero((state == _NEW) | (state == _CHANGED)).tolist()
    if len(todo) > HELD_AT_MOST:
        return None  # too many fingerprints to hold until they are stored: an index streams
    new = _fingerprint(store, own, todo, stale, root, workers, cancelled)
    if new is None:
        return None
    fresh = state == _UNCHECKED
    fresh[list(new.bands)] = True
    kept: list[list[int]] = []
    for group in saved:
        members = [own.find(path) for path in group]
        if all(k is not None and state[k] == _CHECKED for k in members):
            kept.append([k for k in members if k is not None])
        else:  # a member gone or changed: the others are compared again
            fresh[[k for k in members if k is not None and state[k] == _CHECKED]] = True
    pairs = _proposals(store, own.n, fresh, ids, new.bands, cancelled)
    if pairs is None or not store.persistent:
        return None
    links = _confirmed(store, own, pairs, new.prints, cancelled)
    if links is None:
        return None
    # Written only now: a store that fails to write (a full disk) stops being read, and both
    # passes above needed it. The fingerprints are then kept in memory (`FingerprintStore.put`).
    new.store()
    log.info(
        "duplicates: %d posts compared again after a change, %d pairs proposed, %d linked",
        int(np.count_nonzero(fresh)),
        len(pairs),
        len(links),
    )
    return _groups(own, kept, links)


def _against_store(
    store: FingerprintStore, own: _Posts, through: int, cancelled: Callable[[], bool]
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], list[str]] | None:
    """Each post's state against the store, its stored id (0: none), and the paths stored that
    are no longer posts (forgotten once both passes have read the store)."""
    state = np.full(own.n, _NEW, dtype=np.uint8)
    ids = np.zeros(own.n, dtype=np.int64)
    stale: list[str] = []
    find, stats = own.find, own.stats
    for batch in store.stored_stats():
        if cancelled():
            return None
        for post_id, path, size, mtime_ns in batch:
            k = find(path)
            if k is None:
                stale.append(path)
            # (mtime 0: a post made without its file's stats, which nothing stored matches.)
            elif mtime_ns != 0 and stats(k) == (size, mtime_ns):
                state[k] = _CHECKED if post_id <= through else _UNCHECKED
                ids[k] = post_id
            else:
                state[k] = _CHANGED
    if not store.persistent:
        return None
    return state, ids, stale


class _New:
    """The posts fingerprinted anew, held until they are stored (`store`), with the store's
    rows of paths that are no longer posts, to forget then."""

    def __init__(self, store: FingerprintStore, stale: list[str]) -> None:
        self._store, self._stale = store, stale
        self.rows: list[NewRow] = []
        self.bands: dict[int, bytes] = {}  # band hashes by post number (comparable ones)
        self.prints: dict[str, Fingerprint] = {}  # fingerprints by path (comparable ones)

    def store(self) -> None:
        for start in range(0, len(self.rows), _STORE_CHUNK):
            self._store.put(self.rows[start : start + _STORE_CHUNK])
        self._store.forget(self._stale)
        self.rows = []


def _fingerprint(
    store: FingerprintStore,
    own: _Posts,
    todo: list[int],
    stale: list[str],
    root: str | Path,
    workers: int,
    cancelled: Callable[[], bool],
) -> _New | None:
    """Fingerprint the posts numbered `todo` (new or changed); None when cancelled (what was
    fingerprinted is stored, not made again next time)."""
    new = _New(store, stale)
    paths = [own.path(k) for k in todo]
    for batch in fingerprint_paths(root, paths, workers):
        prints = iter(band_bytes([p for _path, p in batch if p is not None]))
        for path, print_ in batch:
            k = own.find(path)
            assert k is not None
            own_path = own.path(k)
            bands = next(prints) if print_ is not None else None
            new.rows.append((own_path, *own.stats(k), print_, bands))
            if print_ is not None and bands is not None:
                new.bands[k], new.prints[own_path] = bands, print_
        if cancelled():
            new.store()
            return None
    return new


def _proposals(
    store: FingerprintStore,
    n: int,
    fresh: npt.NDArray[np.bool_],
    ids: npt.NDArray[np.int64],
    new_bands: dict[int, bytes],
    cancelled: Callable[[], bool],
) -> npt.NDArray[np.int64] | None:
    """The pairs of post numbers (i < j, each once) that share a band hash with a fresh post
    in one, as `lsh.candidate_pairs` proposes them. `new_bands`: those of the posts
    fingerprinted anew, not stored yet (stored posts' bands are read from the store)."""
    bands_of = dict(new_bands)
    stored = {int(ids[k]): k for k in np.flatnonzero(fresh).tolist() if k not in bands_of}
    for batch in store.bands_of(sorted(stored)):
        bands_of.update((stored[i], b) for i, b in batch if len(b) == _BAND_BYTES)
    if not bands_of:
        return np.zeros((0, 2), dtype=np.int64)
    fresh_rows = np.frombuffer(b"".join(bands_of.values()), dtype=np.uint64)
    fresh_keys = [np.unique(col) for col in fresh_rows.reshape(-1, lsh.BANDS).T]
    # A stored id's post number, by a sorted copy of the ids of the posts.
    numbered = np.flatnonzero(ids)
    by_id = np.argsort(ids[numbered])
    sorted_ids, post_of = ids[numbered][by_id], numbered[by_id]
    keys: list[list[npt.NDArray[np.uint64]]] = [[] for _ in range(lsh.BANDS)]
    members: list[list[npt.NDArray[np.int64]]] = [[] for _ in range(lsh.BANDS)]
    if new_bands:
        new_rows = np.frombuffer(b"".join(new_bands.values()), dtype=np.uint64)
        new_posts = np.fromiter(new_bands, dtype=np.int64, count=len(new_bands))
        for band, column in enumerate(new_rows.reshape(-1, lsh.BANDS).T):
            keys[band].append(column)
            members[band].append(new_posts)
    for batch in store.stored_bands():
        if cancelled():
            return None
        rows = [(i, b) for i, b in batch if len(b) == _BAND_BYTES]
        row_ids = np.fromiter((i for i, _b in rows), dtype=np.int64, count=len(rows))
        at = np.minimum(np.searchsorted(sorted_ids, row_ids), max(len(sorted_ids) - 1, 0))
        known = sorted_ids[at] == row_ids if len(sorted_ids) else np.zeros(len(rows), bool)
        if not known.any():
            continue
        bands = np.frombuffer(b"".join(b for _i, b in rows), dtype=np.uint64)
        bands = bands.reshape(-1, lsh.BANDS)[known]
        posts_here = post_of[at[known]]
        for band, wanted in enumerate(fresh_keys):
            col = bands[:, band]
            hit = np.isin(col, wanted, assume_unique=False)
            if hit.any():
                keys[band].append(col[hit])
                members[band].append(posts_here[hit])
    found: list[npt.NDArray[np.int64]] = []
    for band in range(lsh.BANDS):
        if not keys[band]:
            continue
        band_keys, band_posts = np.concatenate(keys[band]), np.concatenate(members[band])
        order = np.lexsort((band_posts, band_keys))  # by hash, then post number (older first)
        band_keys, band_posts = band_keys[order], band_posts[order]
        starts = np.flatnonzero(np.r_[True, band_keys[1:] != band_keys[:-1]])
        ends = np.r_[starts[1:], len(band_keys)]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            if end - start > 1:
                run = band_posts[start:end]
                found.append(lsh.run_pairs(run, fresh[run]))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate([p[:, 0] * n + p[:, 1] for p in found]))
    return np.stack([codes // n, codes % n], axis=1)


def _confirmed(
    store: FingerprintStore,
    own: _Posts,
    pairs: npt.NDArray[np.int64],
    new_prints: dict[str, Fingerprint],
    cancelled: Callable[[], bool],
) -> list[tuple[int, int]] | None:
    """Those of `pairs` whose fingerprints (`new_prints`, else the stored ones) are
    `similar`."""
    links: list[tuple[int, int]] = []
    listed = pairs.tolist()
    for start in range(0, len(listed), _CONFIRM_CHUNK):
        if start and cancelled():
            return None
        chunk = listed[start : start + _CONFIRM_CHUNK]
        paths = {own.path(k) for pair in chunk for k in pair}
        prints = store.fingerprints(sorted(paths - new_prints.keys()))
        prints.update((path, new_prints[path]) for path in paths & new_prints.keys())
        for a, b in chunk:
            pa, pb = prints.get(own.path(a)), prints.get(own.path(b))
            if pa is not None and pb is not None and similar(pa, pb):
                links.append((a, b))
    return links


def _groups(own: _Posts, kept: list[list[int]], links: list[tuple[int, int]]) -> list[list[str]]:
    """The connected sets of the kept groups and the new links, as `DuplicateIndex.groups`
    gives them: each earliest first, in order of their earliest post."""
    parent: dict[int, int] = {}

    def top(k: int) -> int:
        root = k
        while (up := parent.setdefault(root, root)) != root:
            root = up
        while k != root:  # every post on the way points at the top from now on
            parent[k], k = root, parent[k]
        return root

    pairs = [(a, b) for group in kept for a, b in itertools.pairwise(group)] + links
    for a, b in pairs:
        ra, rb = top(a), top(b)
        if ra != rb:
            parent[ra] = rb
    sets: dict[int, list[int]] = {}
    for k in list(parent):
        sets.setdefault(top(k), []).append(k)
    groups = [sorted(m, key=own.order_key) for m in sets.values() if len(m) > 1]
    groups.sort(key=lambda g: own.order_key(g[0]))
    return [[own.path(k) for k in g] for g in groups]

"""Building a folder's search index: tokenizing post bodies (in worker processes when it pays)
and writing them to the index newest first, in batches a search can already use.

Owns `build_index`, `sync_index` (the same from the cache's rows), `BuildProgress`,
`post_stamp` and `tokenize_posts` (the work of one worker task).
Resumable: posts indexed with the same stamp are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from reader.core.orders import SortCancelled, _sorted_in_slices
from reader.core.path_index import PathIndex
from reader.core.pool import map_chunks
from reader.core.post import Post
from reader.core.reading.parse import read_body
from reader.core.search.index import _NO_DATE, SearchIndex, _Row, post_stamp
from reader.core.search.query import index_tokens, labels_field, strip_markup
from reader.core.storage.catalog import Catalog
from reader.core.table import NO_DATE, PostTable
from reader.core.table_rows import TableRows

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildProgress:
    """Where a build is: `done` of `total` posts (re)indexed; `phase` is "indexing",
    "optimizing", "done" or "cancelled". `skipped` were already up to date, `removed` gone."""

    done: int
    total: int
    skipped: int
    removed: int
    phase: str


# Below this many posts, tokenizing in-process is faster than starting worker processes.
IN_PROCESS_BELOW = 300
_CHUNK = 100  # posts per worker task
_WANTED_STEP = 4096  # paths decoded between two `cancelled()` (a few ms)
# The first batches are small, so the newest posts are searchable within moments.
_RAMP = (100, 300)
# Merge all segments after a build that (re)indexed at least this many posts; after a smaller one
# merging would rewrite the whole index for a few posts.
_OPTIMIZE_AFTER = 2000


def _timestamp(post: Post) -> float:
    return post.date.timestamp() if post.date is not None else _NO_DATE


def tokenize_posts(root: str, items: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(path, title) pairs to (path, body tokens, title tokens): the work of one worker task.
    A file that cannot be read any more is indexed by its title alone."""
    base = Path(root)
    out = []
    for path, title in items:
        try:
            text = strip_markup(read_body(base, path)[0])
        except Exception as exc:  # one bad file must not stop a build
            log.info("not indexing the body of %s: %s", path, exc)
            text = ""
        out.append((path, index_tokens(text), index_tokens(title)))
    return out


class _Chunks(Sequence[list[tuple[str, str]]]):
    """`todo`'s (path, title) pairs in chunks of `size`, each made when asked for: not 100,000
    tuples (6 MB) for the whole build."""

    def __init__(self, todo: Sequence[Post], size: int) -> None:
        self._todo, self._size = todo, size

    def __len__(self) -> int:
        return -(-len(self._todo) // self._size)

    @overload
    def __getitem__(self, i: int) -> list[tuple[str, str]]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[tuple[str, str]]]: ...
    def __getitem__(self, i: int | slice) -> list[tuple[str, str]] | list[list[tuple[str, str]]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if not 0 <= i < len(self):
            raise IndexError(i)
        start = i * self._size
        return [(p.path, p.title) for p in self._todo[start : start + self._size]]


def _tokenized(
    root: Path, todo: Sequence[Post], workers: int, chunk: int, cancelled: Callable[[], bool]
) -> Iterator[list[tuple[str, str, str]]]:
    """Tokenized chunks of `todo`, in order (one entry per post, in `todo`'s order); in worker
    processes when it pays; no more once `cancelled()`."""
    small = len(todo) < IN_PROCESS_BELOW
    return map_chunks(
        tokenize_posts,
        str(root),
        _Chunks(todo, chunk),
        workers,
        in_process=small,
        what="indexing",
        cancelled=cancelled,
    )


def build_index(
    root: Path,
    posts: Sequence[Post],
    index: SearchIndex,
    cancelled: Callable[[], bool] = lambda: False,
    workers: int = 2,
    batch_size: int = 500,
    generation: str = "",
) -> Iterator[BuildProgress]:
    """Bring `index` in step with `posts` (the folder's current records), yielding progress
    after each batch. Resumable: posts indexed with the same stamp are skipped, posts no longer
    present are removed. Newest posts are indexed first; each batch is one transaction, so a
    search during the build covers everything committed so far. Stops between batches when
    `cancelled()` (or when the caller stops iterating).

    `generation`: the cache generation whose posts `posts` are (see `FolderState`), if known.
    An index that matched it when last built (by this or by `sync_index`) is left as it is
    without comparing a post: at 100,000 posts that comparison was 0.3 s of Python beside
    the window after every reopen."""
    if generation and index.synced_with() == generation:
        yield BuildProgress(0, 0, len(posts), 0, "done")
        return
    finished = False
    for progress in _build(root, posts, index, cancelled, workers, batch_size):
        finished = progress.phase == "done"
        yield progress
    if finished and generation:
        index.mark_synced(generation)


def _build(
    root: Path,
    posts: Sequence[Post],
    index: SearchIndex,
    cancelled: Callable[[], bool],
    workers: int,
    batch_size: int,
) -> Iterator[BuildProgress]:
    # Closing the window cancels: each step of the preparation (seconds at 1,000,000 posts)
    # looks, so a close does not wait for the rest of it.
    if isinstance(posts, PostTable):
        found = _stale_in_table(posts, index, cancelled)
    else:
        found = _stale_in_list(posts, index, cancelled)
    if found is None:
        yield BuildProgress(0, len(posts), 0, 0, "cancelled")
        return
    rows, total, removed = found
    # The posts to index, built one at a time as they are indexed (not 100,000 at once).
    todo: Sequence[Post] = (
        TableRows(posts, rows) if isinstance(posts, PostTable) else [posts[i] for i in rows]
    )
    del rows
    yield from _write_posts(root, todo, total, removed, index, cancelled, workers, batch_size)


def _stale_in_table(
    posts: PostTable, index: SearchIndex, cancelled: Callable[[], bool]
) -> tuple[Sequence[int], int, int] | None:
    """(the numbers of the posts to index, how many posts there are to index in all, how
    many indexed ones were removed), None when cancelled. The posts are found by path in a
    `PathIndex` of the table (12 bytes a slot): a {path: number} dict and its copy took a
    window from 364 to 620 MB while it checked the index of a changed folder of a million."""
    sizes, mtimes, stamps = posts.sizes(), posts.mtimes(), posts.stamps()

    def stamp_of(i: int) -> str:  # `post_stamp` from the columns
        stamp = stamps[i]
        return f"{sizes[i]}:{mtimes[i]}:{None if stamp == NO_DATE else stamp}"

    # `pause` is the window's `giving_way`: the million paths hashed here wait while the user
    # acts.
    lookup = PathIndex(posts, pause=cancelled)
    if cancelled():
        return None
    removed = 0
    rows: Sequence[int]
    if index.needs_rebuild():
        log.info("search index %s: rebuilding to drop removed and out-of-order rows", index.path)
        index.clear()
        rows = range(len(posts))
    else:
        rows, gone = index.split_stale_rows(lookup.rows_at, len(posts), stamp_of, cancelled)
        if cancelled():
            return None
        removed = index.remove(gone)
    total = len(posts)
    if lookup.doubled:  # a path given twice: its last post only, as a {path: post} dict
        path = posts.path
        rows = [i for i in rows if lookup.get(path(i)) == i]
        total = sum(1 for i in range(len(posts)) if lookup.get(path(i)) == i)
    return rows, total, removed


def _stale_in_list(
    posts: Sequence[Post], index: SearchIndex, cancelled: Callable[[], bool]
) -> tuple[Sequence[int], int, int] | None:
    """`_stale_in_table` for posts that are not a table's."""
    wanted = {p.path: i for i, p in enumerate(posts)}
    if cancelled():
        return None
    if index.needs_rebuild():
        log.info("search index %s: rebuilding to drop removed and out-of-order rows", index.path)
        index.clear()
        return list(wanted.values()), len(wanted), 0
    pending, gone = index.split_stale(wanted, cancelled, lambda i: post_stamp(posts[i]))
    if cancelled():
        return None
    return list(pending.values()), len(wanted), index.remove(gone)


def sync_index(
    root: Path,
    catalog: Catalog,
    index: SearchIndex,
    cancelled: Callable[[], bool] = lambda: False,
    workers: int = 2,
    batch_size: int = 500,
) -> Iterator[BuildProgress]:
    """`build_index` for a folder answered from its up-to-date cache (`storage.catalog`): the
    stamps come from the cache's columns and only the posts to (re)index are decoded. When the
    cache has not changed since the index last matched it, nothing is read at all."""
    if index.synced_with() == catalog.generation and catalog.generation:
        yield BuildProgress(0, 0, 0, 0, "done")
        return
    stamps = catalog.index_stamps()
    removed = 0
    if index.needs_rebuild():
        index.clear()
        paths: list[str] = list(stamps)
    else:
        paths, gone = index.split_stale_stamps(stamps)
        removed = index.remove(gone)
    todo = catalog.posts_at(paths) if paths else []
    finished = False
    for progress in _write_posts(
        root, todo, len(stamps), removed, index, cancelled, workers, batch_size
    ):
        finished = progress.phase == "done"
        yield progress
    if finished:
        index.mark_synced(catalog.generation)


def _newest_first(todo: Sequence[Post], cancelled: Callable[[], bool]) -> Sequence[Post]:
    """`todo` newest first, then by path; SortCancelled when `cancelled()` (asked every few
    ms: at a million posts this takes seconds, and a closing window waits for it)."""
    # Two stable sorts on plain keys, not one on 100,000 new (float, str) tuples (8 MB while
    # the window is in use), each in slices: `list.sort` by path is one C call that held the
    # GIL 43 ms at 100,000 posts, as the window answered its first clicks after a load.
    n = len(todo)
    steps = range(0, n, _WANTED_STEP)
    paths: list[str] = []
    stamps: list[float] = []
    for lo in steps:
        if cancelled():
            raise SortCancelled
        hi = min(lo + _WANTED_STEP, n)
        if isinstance(todo, TableRows):
            paths += todo.paths(lo, hi)
            stamps += todo.stamps(_NO_DATE, lo, hi)
        else:
            paths += [p.path for p in todo[lo:hi]]
            stamps += [_timestamp(p) for p in todo[lo:hi]]
    by_path = _sorted_in_slices(range(n), paths, reverse=True, cancelled=cancelled)
    del paths
    order = _sorted_in_slices(by_path, stamps, reverse=True, cancelled=cancelled)
    if isinstance(todo, TableRows):
        return todo.reordered(order)
    return [todo[i] for i in order]


def _write_posts(
    root: Path,
    todo: Sequence[Post],
    wanted: int,
    removed: int,
    index: SearchIndex,
    cancelled: Callable[[], bool],
    workers: int,
    batch_size: int,
) -> Iterator[BuildProgress]:
    """Index `todo` (of `wanted` posts, the others up to date), newest first, in batches."""
    total, skipped = len(todo), wanted - len(todo)
    try:
        todo = _newest_first(todo, cancelled)
    except SortCancelled:
        yield BuildProgress(0, total, skipped, removed, "cancelled")
        return
    if total >= _OPTIMIZE_AFTER:
        index._mark_merge_pending()
    yield BuildProgress(0, total, skipped, removed, "indexing")
    done = 0
    batch: list[_Row] = []
    ramp = iter(_RAMP)
    size = min(next(ramp), batch_size)
    offset = 0  # the chunks come in `todo`'s order, one entry per post
    for chunk in _tokenized(root, todo, workers, min(_CHUNK, batch_size), cancelled):
        if cancelled():
            break
        for k, (path, body, title) in enumerate(chunk, offset):
            post = todo[k]
            assert post.path == path
            labels = labels_field(post.categories, post.tags)
            batch.append(_Row(path, post_stamp(post), _timestamp(post), labels, body, title))
        offset += len(chunk)
        while len(batch) >= size or (batch and done + len(batch) == total):
            index._write_rows(batch[:size])
            done += len(batch[:size])
            del batch[:size]
            size = min(next(ramp, batch_size), batch_size)
            if cancelled():
                yield BuildProgress(done, total, skipped, removed, "cancelled")
                return
            yield BuildProgress(done, total, skipped, removed, "indexing")
    if cancelled():  # the chunks stopped coming: what was written stays, the rest waits
        yield BuildProgress(done, total, skipped, removed, "cancelled")
        return
    if index.merge_pending():
        # Every post is searchable already; merging makes the file smaller and queries faster.
        yield BuildProgress(done, total, skipped, removed, "optimizing")
        if not index.optimize(cancelled):
            yield BuildProgress(done, total, skipped, removed, "cancelled")
            return
    yield BuildProgress(done, total, skipped, removed, "done")

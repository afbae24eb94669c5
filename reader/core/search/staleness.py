"""Which posts the full-text index holds with an older stamp, and which it holds that are gone.

Owns `Staleness`, the half of `index.SearchIndex` (which provides `_read`) that compares the
indexed rows with a folder's posts, and `post_stamp`, what says a post's indexed words are
current. The indexed rows are read as a stream, never as a {path: stamp} dict.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from reader.core.post import Post

_T = TypeVar("_T")
_W = TypeVar("_W")  # what `_split` is given per path: a Post, or its stamp
_SPLIT_BATCH = 4096  # indexed rows compared with the posts at a time (`split_stale_rows`)


def post_stamp(post: Post) -> str:
    """What says a post's indexed words are current: the file's size and mtime, and the date
    (which a site's time zone can change without touching the file)."""
    ts = post.date.timestamp() if post.date is not None else None
    return f"{post.size}:{post.mtime_ns}:{ts}"


class Staleness:
    """Comparing the index with the posts (mixed into `SearchIndex`, which provides `_read`)."""

    if TYPE_CHECKING:

        def _read(self, fn: Callable[[sqlite3.Connection], _T], default: _T) -> _T: ...

    def indexed_paths(self) -> dict[str, str]:
        """{path: stamp} of every indexed post, so a build can skip what has not changed."""
        return self._read(lambda r: dict(r.execute("SELECT path, stamp FROM docs")), {})

    def split_stale(
        self,
        wanted: dict[str, _W],
        cancelled: Callable[[], bool] = lambda: False,
        stamp_of: Callable[[_W], str] | None = None,
    ) -> tuple[dict[str, _W], list[str]]:
        """(posts of `wanted` not indexed with their current stamp, indexed paths not wanted),
        reading the indexed rows as a stream: a {path: stamp} dict of 100,000 rows was 25 MB.
        When `cancelled()` (asked every 4,096 rows, a few ms) the answer is incomplete."""
        # `stamp_of(item)`: the `post_stamp` of the post an item stands for (items are posts).
        return self._split(wanted, stamp_of or post_stamp, cancelled)  # type: ignore[arg-type]

    def split_stale_rows(
        self,
        rows_at: Callable[[list[str]], Sequence[int]],
        count: int,
        stamp_of: Callable[[int], str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> tuple[array[int], list[str]]:
        """(the numbers of posts 0 to `count` - 1 not indexed with their current stamp, the
        indexed paths that are no post's), reading the indexed rows a batch at a time and
        looking each batch's paths up together (`rows_at`: each one's post number, -1 for
        none): no {path: post} dict. When `cancelled()` (asked every batch) it is incomplete."""

        def split(conn: sqlite3.Connection) -> tuple[array[int], list[str]]:
            import numpy as np

            current = bytearray(count)  # 1: indexed with its current stamp
            gone: list[str] = []
            cursor = conn.execute("SELECT path, stamp FROM docs")
            while batch := cursor.fetchmany(_SPLIT_BATCH):
                if cancelled():
                    break
                rows = rows_at([path for path, _stamp in batch])
                for (path, stamp), row in zip(batch, rows, strict=True):
                    if row < 0:
                        gone.append(path)
                    elif stamp == stamp_of(row):
                        current[row] = 1
            stale = np.flatnonzero(np.frombuffer(current, np.uint8) == 0).astype(np.int32)
            return array("i", stale.tobytes()), gone

        nothing_gone: list[str] = []
        return self._read(split, (array("i", range(count)), nothing_gone))

    def split_stale_stamps(self, wanted: dict[str, str]) -> tuple[list[str], list[str]]:
        """(paths of `wanted` {path: post_stamp} not indexed with that stamp, indexed paths
        not wanted): `split_stale` for a caller that has stamps, not posts."""
        pending, gone = self._split(wanted, str)
        return list(pending), gone

    def _split(
        self,
        wanted: dict[str, _W],
        stamp_of: Callable[[_W], str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> tuple[dict[str, _W], list[str]]:
        def split(conn: sqlite3.Connection) -> tuple[dict[str, _W], list[str]]:
            pending = dict(wanted)
            gone: list[str] = []
            for n, (path, stamp) in enumerate(conn.execute("SELECT path, stamp FROM docs")):
                if not n & 0xFFF and cancelled():
                    break
                item = pending.get(path)
                if item is None:
                    if path not in wanted:
                        gone.append(path)
                elif stamp == stamp_of(item):
                    del pending[path]
            return pending, gone

        nothing_gone: list[str] = []
        # An unreadable index counts as empty: everything wanted is pending (not copied: the
        # caller only reads it).
        return self._read(split, (wanted, nothing_gone))

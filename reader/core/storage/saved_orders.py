"""Sort orders kept beside the cache's rows, so a warm reopen does not build them again.

The A-Z order of 100,000 titles is 0.35 s of pinyin keys and sorting on every reopen, and
3 MB more at the window's peak; at 1,000,000 posts it is seconds of background Python that
make every call from the window wait for the interpreter lock. An order saved here lists, for
each place in the order, a post's position in the library. It is valid for a library that
holds the cache's post rows in row-id order (as `FolderCache.load` reads them), at the cache
generation it was saved under, built by the same rules (`FORMAT`).

`save` checks that alignment itself, in the transaction that writes: the library's posts are
compared with the post rows (path, size and modification time, in order). A library that does
not match them (a change written to the cache but not applied yet) saves nothing. Reading
checks each order's length and bounds: a wrong blob is ignored, never trusted.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from array import array
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from reader.core.errors import StorageError
from reader.core.post import Post, SortKey
from reader.core.storage import db, saved_table
from reader.core.storage.codec import KIND_POST, KIND_POST_JSON
from reader.core.table import PostTable

log = logging.getLogger(__name__)

# Part of every saved order's name: change it with the rules of `orders._build_order` (the
# title key, pinyin included, or the category key), and orders saved before are not used.
FORMAT = "1"
SAVED = (SortKey.TITLE, SortKey.CATEGORY, SortKey.DATE)
# A save gives up rather than wait for a writer (the loader, a refresh): it is only time saved.
_BUSY_TIMEOUT_S = 1.0
_CHECK_EVERY = 0x10000


def create_table(conn: sqlite3.Connection) -> None:
    """The cache schema's step that adds the table."""
    conn.execute(
        """CREATE TABLE saved_orders (
            name TEXT PRIMARY KEY,
            generation TEXT NOT NULL,
            data BLOB NOT NULL
        )"""
    )


def _name(key: SortKey) -> str:
    return f"{key.value}:{FORMAT}"


def _to_bytes(order: array[int]) -> bytes:
    if sys.byteorder == "little":
        return order.tobytes()
    swapped = array("i", order)
    swapped.byteswap()
    return swapped.tobytes()


def _from_bytes(data: bytes) -> array[int]:
    order = array("i")
    order.frombytes(data)  # ValueError when not a whole number of items
    if sys.byteorder != "little":
        order.byteswap()
    return order


def _within(order: array[int], count: int) -> bool:
    """Whether every number of `order` names one of `count` posts (numpy: min() and max()
    over a million numbers were 0.3 s of a warm reopen)."""
    import numpy as np

    values = np.frombuffer(order, np.int32)
    return bool(values.min() >= 0 and values.max() < count)


def read(conn: sqlite3.Connection, count: int) -> dict[SortKey, array[int]]:
    """The orders saved under the cache's current generation for `count` posts (call it in
    the transaction that read the rows). An order of another length, or one naming a post
    that does not exist, is left out."""
    names = {_name(key): key for key in SAVED}
    # By name: the posts' table is saved beside them (150 MB at a million posts, which this
    # read whole and dropped, before the list could show).
    rows = conn.execute(
        "SELECT name, data FROM saved_orders"
        f" WHERE name IN ({', '.join('?' * len(names))})"
        " AND generation = (SELECT value FROM meta WHERE key = 'generation')",
        list(names),
    )
    out: dict[SortKey, array[int]] = {}
    for name, data in rows:
        key = names.get(name)
        if key is None or not isinstance(data, bytes):
            continue
        try:
            order = _from_bytes(data)
        except ValueError:
            continue
        if len(order) != count or (count and not _within(order, count)):
            log.info("saved %s order does not fit the cached posts: not used", key.value)
            continue
        out[key] = order
    return out


def _file_key(posts: Sequence[Post]) -> Callable[[int], tuple[str, int, int]]:
    def key(n: int) -> tuple[str, int, int]:
        post = posts[n]
        return post.path, post.size, post.mtime_ns

    return key


def _aligned(
    conn: sqlite3.Connection, posts: Sequence[Post], cancelled: Callable[[], bool]
) -> bool:
    rows = conn.execute(
        "SELECT path, size, mtime_ns FROM files WHERE kind IN (?, ?) ORDER BY id",
        (KIND_POST, KIND_POST_JSON),
    )
    n = 0
    total = len(posts)
    key = posts.file_key if isinstance(posts, PostTable) else _file_key(posts)
    for row in rows:
        if n >= total or key(n) != row:
            return False
        n += 1
        if not n % _CHECK_EVERY and cancelled():
            return False
    return n == total


def save(
    db_path: Path,
    posts: Sequence[Post],
    orders: Mapping[SortKey, array[int]],
    cancelled: Callable[[], bool] = lambda: False,
) -> bool:
    """Keep `orders` (built for `posts`, a library's list) in the cache at `db_path`, if the
    library matches the cache's rows now. Runs on any thread, on its own connection; True
    when saved. A cache that cannot be read or written saves nothing, and says so in the log."""
    wanted = [(key, order) for key, order in orders.items() if key in SAVED]
    if not wanted or any(len(order) != len(posts) for _, order in wanted):
        return False
    if not db_path.is_file():  # connecting would create an empty database
        return False
    try:
        conn = db.connect(db_path, busy_timeout=_BUSY_TIMEOUT_S)
    except StorageError as exc:
        log.info("sort orders not saved: %s", exc)
        return False
    try:
        # One pass over the rows needs no page cache: the default's 2 MB were at the peak.
        conn.execute("PRAGMA cache_size = -64")
        # A read transaction for the check; writing in it fails if another connection wrote
        # since it began (WAL), so what is saved always matches the rows it was checked with.
        conn.execute("BEGIN")
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        if row is None or not _aligned(conn, posts, cancelled) or cancelled():
            db.rollback(conn)
            return False
        conn.executemany(
            "INSERT OR REPLACE INTO saved_orders (name, generation, data) VALUES (?, ?, ?)",
            [(_name(key), row[0], _to_bytes(order)) for key, order in wanted],
        )
        # The posts themselves, beside their orders: a reopen reads them back whole. A table
        # that does not fit (a full disk) is given up alone; the orders are still saved.
        if isinstance(posts, PostTable):
            conn.execute("SAVEPOINT saved_table")
            try:
                saved_table.save(conn, row[0], posts)
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK TO saved_table")
                log.info("table of posts not saved: %s", exc)
            conn.execute("RELEASE saved_table")
        conn.execute("DELETE FROM saved_orders WHERE generation != ?", (row[0],))
        conn.execute("COMMIT")
        return True
    except sqlite3.Error as exc:
        db.rollback(conn)
        log.info("sort orders not saved: %s", exc)
        return False
    finally:
        conn.close()

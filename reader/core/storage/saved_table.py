"""The library's table of posts kept beside the cache's rows, as one blob.

A warm reopen decoded every post row into the library's table: splitting each row's text,
parsing its date, about 3 µs a post, 0.3 s at 100,000 posts and seconds at a million. The
table's columns are arrays and one byte buffer, so they are saved as they are
(`reader.core.table`) and read back in a few copies.

Saved under the cache's generation, with the sort orders (`saved_orders.save` checks the
table matches the post rows in row-id order in the transaction that writes), and used only
under that generation, for as many posts as there are post rows. Reading checks the blob's
shape and every offset and number in it: a damaged blob is ignored, never trusted.
A table with a date whose zone cannot be written down by name (`table.ODD` dates) or on a
big-endian machine is not saved; the rows are decoded as before.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import sqlite3
import sys
import zlib
from array import array
from collections.abc import Callable
from datetime import timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from reader.core.post import Problem
from reader.core.reading.known import KnownFiles
from reader.core.storage.codec import (
    KIND_NOT_A_POST,
    KIND_POST,
    KIND_POST_JSON,
    KIND_PROBLEM,
    Decoded,
)
from reader.core.table import EPOCH, POST_ARRAYS, PostTable, columns_of

log = logging.getLogger(__name__)

# The name the blob is kept under in the `saved_orders` table; change the number with the
# layout of the blob or of `reader.core.table`, and blobs saved before are not used.
NAME = "table:2"
_ARRAYS = POST_ARRAYS
_HEADER = 8
_TRAILER = 4  # the CRC-32 of everything after the header


def _zone_text(zone: tzinfo | None) -> object:
    if isinstance(zone, ZoneInfo) and zone.key and ZoneInfo(zone.key) is zone:
        return zone.key
    if isinstance(zone, timezone):
        offset = zone.utcoffset(None)
        if timezone(offset) == zone and repr(timezone(offset)) == repr(zone):
            return offset.total_seconds()
    return None


def _zone_of(text: object) -> tzinfo:
    if isinstance(text, str):
        return ZoneInfo(text)
    if isinstance(text, int | float) and not isinstance(text, bool):
        return timezone(timedelta(seconds=text))
    raise ValueError("not a zone")


# Text is written and checked in pieces of this size: a blob is never copied whole.
_PIECE = 1 << 20
Piece = Callable[[], bytes]


def _pieces(table: PostTable, others: list[list[object]]) -> list[tuple[int, Piece]] | None:
    """The blob of `table` (and the cache's other rows, `others`: [path, size, mtime_ns,
    kind, data] of each file that is not a post) as (size, make the bytes) pieces, in order;
    None when it cannot be written down exactly. Only one piece's bytes exist at a time while
    it is written, and the last piece is the CRC-32 of those after the header."""
    if sys.byteorder != "little":
        return None
    c, n = columns_of(table)
    if any(i < n for i in c.odd):
        return None
    zones = [_zone_text(z) for z in c.zones[2:]]
    if any(z is None for z in zones):
        return None
    end = c.start[n] if n < len(c.start) else len(c.text)
    header = json.dumps(
        {
            "n": n,
            "text": end,
            "zones": zones,
            "tuples": c.tuples,
            "excerpt": {str(k): v for k, v in c.excerpt.items() if k < n},
            "permalink": {str(k): v for k, v in c.permalink.items() if k < n},
            "others": others,
        },
        ensure_ascii=False,
    ).encode()
    text = c.text
    pieces: list[tuple[int, Piece]] = [
        (_HEADER, lambda: len(header).to_bytes(_HEADER, "little")),
        (len(header), lambda: header),
    ]
    for at in range(0, end, _PIECE):
        stop = min(at + _PIECE, end)
        pieces.append((stop - at, functools.partial(_bytes_of, text, at, stop)))
    for name in _ARRAYS:
        column = getattr(c, name)
        pieces.append((n * column.itemsize, functools.partial(_head_bytes, column, n)))
    crc = [0]

    def summed(make: Piece) -> bytes:
        data = make()
        crc[0] = zlib.crc32(data, crc[0])
        return data

    body = [(size, functools.partial(summed, make)) for size, make in pieces[2:]]
    return [*pieces[:2], *body, (_TRAILER, lambda: crc[0].to_bytes(_TRAILER, "little"))]


def _bytes_of(text: bytearray, start: int, stop: int) -> bytes:
    return bytes(text[start:stop])


def _head_bytes(column: array, n: int) -> bytes:  # type: ignore[type-arg]
    return column[:n].tobytes()


def to_bytes(table: PostTable, others: list[list[object]] | None = None) -> bytes | None:
    """The table as one blob; None when it cannot be written down exactly."""
    pieces = _pieces(table, others or [])
    return None if pieces is None else b"".join(make() for _size, make in pieces)


def from_bytes(data: bytes, count: int | None) -> PostTable:
    """The table in `data` (of `count` posts, when given). Raises ValueError when the blob is
    not one `to_bytes` wrote (for that many posts), or is damaged."""
    return _load(io.BytesIO(data).read, len(data), count)[0]


def _load(
    read: Callable[[int], bytes], total: int, count: int | None
) -> tuple[PostTable, list[Any]]:
    """The table from a blob of `total` bytes, read piece by piece with `read(size)`, and
    the other rows saved with it."""
    if sys.byteorder != "little":
        raise ValueError("saved on another kind of machine")
    size = int.from_bytes(read(_HEADER), "little")
    if not 0 < size <= total - _HEADER:
        raise ValueError("blob of the wrong size")
    try:
        header = json.loads(read(size))
        n, text_len = int(header["n"]), int(header["text"])
        zones = [_zone_of(z) for z in header["zones"]]
        tuples = [tuple(str(v) for v in t) for t in header["tuples"]]
        excerpt = {int(k): str(v) for k, v in header["excerpt"].items()}
        permalink = {int(k): str(v) for k, v in header["permalink"].items()}
        others = list(header["others"])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"unreadable header: {exc}") from None
    if count is not None and n != count:
        raise ValueError(f"{n} posts saved, {count} post rows")
    template = columns_of(PostTable())[0]
    widths = sum(array(getattr(template, name).typecode).itemsize for name in _ARRAYS)
    if n < 0 or text_len < 0 or _HEADER + size + text_len + n * widths + _TRAILER != total:
        raise ValueError("blob of the wrong size")
    crc = 0
    text = bytearray()
    # Not decoded here to see that it is UTF-8 (0.18 s at a million posts, before the window
    # could show any): the writer encodes every field from text, and the checksum below tells
    # any byte changed since.
    while len(text) < text_len:
        piece = read(min(_PIECE, text_len - len(text)))
        if not piece:
            raise ValueError("blob of the wrong size")
        crc = zlib.crc32(piece, crc)
        text += piece
    arrays: dict[str, array] = {}  # type: ignore[type-arg]
    for name in _ARRAYS:
        column = array(getattr(template, name).typecode)
        piece = read(n * column.itemsize)
        crc = zlib.crc32(piece, crc)
        column.frombytes(piece)
        if len(column) != n:
            raise ValueError(f"column {name} is short")
        arrays[name] = column
    if int.from_bytes(read(_TRAILER), "little") != crc:
        raise ValueError("the checksum does not match: damaged")
    if not tuples or tuples[0] != ():
        raise ValueError("no empty tuple first")
    _check(arrays, text_len, len(zones) + 2, len(tuples))
    if any(not 0 <= k < n for k in (*excerpt, *permalink)):
        raise ValueError("a row number out of range")
    return _table_from_columns(n, text, arrays, zones, tuples, excerpt, permalink), others


def save(conn: sqlite3.Connection, generation: str, table: PostTable) -> bool:
    """Write `table` under `generation` (in the caller's write transaction), piece by piece
    into the row's blob; False when it cannot be written down exactly (nothing written)."""
    # The files that are not posts (problems, files without front matter), few beside the
    # posts: a reopen takes them from here and reads no row.
    others = [
        list(row)
        for row in conn.execute(
            "SELECT path, size, mtime_ns, kind, data FROM files WHERE kind NOT IN (?, ?)"
            " ORDER BY id",
            (KIND_POST, KIND_POST_JSON),
        )
    ]
    pieces = _pieces(table, others)
    if pieces is None:
        return False
    conn.execute(
        "INSERT OR REPLACE INTO saved_orders (name, generation, data) VALUES (?, ?, zeroblob(?))",
        (NAME, generation, sum(size for size, _make in pieces)),
    )
    row = conn.execute("SELECT rowid FROM saved_orders WHERE name = ?", (NAME,)).fetchone()
    with conn.blobopen("saved_orders", "data", row[0]) as blob:
        for _size, make in pieces:
            blob.write(make())
    return True


def _check(arrays: dict[str, array], text_len: int, zones: int, tuples: int) -> None:  # type: ignore[type-arg]
    """Every offset inside the text, every number naming a zone, tuple or format that exists."""
    import numpy as np  # whole columns at once (a genexpr over a million rows took 0.5 s)

    def column(name: str, dtype: Any) -> Any:
        return np.frombuffer(arrays[name], dtype)

    for name in ("cats", "tags", "warns"):
        if len(arrays[name]) and int(column(name, np.uint32).max()) >= tuples:
            raise ValueError(f"column {name} names a tuple that does not exist")
    valid_zone = bytes(0 if (code & 127) < zones else 1 for code in range(256))
    if 1 in arrays["zone"].tobytes().translate(valid_zone):
        raise ValueError("a zone that does not exist")
    valid_flags = bytes(0 if code & 3 < 3 and code < 16 else 1 for code in range(256))
    if 1 in arrays["flags"].tobytes().translate(valid_flags):
        raise ValueError("a format that does not exist")
    start = column("start", np.uint64).astype(np.int64)
    plen, tlen = column("plen", np.uint32), column("tlen", np.uint32)
    slug_at, slen = column("slug_at", np.uint32), column("slen", np.uint32)
    if len(start) and (
        bool((start + plen + tlen > text_len).any())
        or bool((start + slug_at + slen > text_len).any())
    ):
        raise ValueError("a text offset outside the text")


def read(conn: sqlite3.Connection, stats: KnownFiles) -> Decoded | None:
    """The cache's records from the table saved under its current generation (call it in the
    transaction that reads the rows), with the stat of each file that is not a post in
    `stats` (those of the posts are in the table: `post_stats`); None when there is no such
    table or it is damaged.

    No row is read: the table was checked against the post rows, path for path, in the
    transaction that saved it under this generation, which every write to the rows replaces,
    and its checksum tells a damaged blob. (Reading the rows again to compare them took 3 s
    at a million posts, before the window could show any.)"""
    row = conn.execute(
        "SELECT rowid, length(data) FROM saved_orders WHERE name = ? AND typeof(data) = 'blob'"
        " AND generation = (SELECT value FROM meta WHERE key = 'generation')",
        (NAME,),
    ).fetchone()
    if row is None:
        return None
    try:
        with conn.blobopen("saved_orders", "data", row[0], readonly=True) as blob:
            table, others = _load(blob.read, row[1], None)
        out = Decoded(table)
        found: list[tuple[str, int, int]] = []
        for path, size, mtime_ns, kind, data in others:
            if not (isinstance(path, str) and isinstance(size, int) and isinstance(mtime_ns, int)):
                raise ValueError("a file that is not a post, unreadable")
            found.append((path, size, mtime_ns))
            if kind == KIND_PROBLEM:
                out.problems.append(Problem(path, str(data or "")))
            elif kind == KIND_NOT_A_POST:
                out.not_posts.append(path)
            else:
                raise ValueError("a file that is not a post, of an unknown kind")
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError, sqlite3.Error) as exc:
        log.info("saved table of posts not used: %s", exc)
        return None
    for path, size, mtime_ns in found:
        stats.add(path, size, mtime_ns)
    return out


def post_stats(table: PostTable, stats: KnownFiles) -> None:
    """Add each post's stat (from the table's columns) to `stats` (which must not know them)."""
    stats.add_many(map(table.path, range(len(table))), table.sizes(), table.mtimes())


def _table_from_columns(
    n: int,
    text: bytearray,
    arrays: dict[str, array],  # type: ignore[type-arg]
    zones: list[tzinfo],
    tuples: list[tuple[str, ...]],
    excerpt: dict[int, str],
    permalink: dict[int, str],
) -> PostTable:
    """A table of `n` posts from columns `columns_of` gave (checked by the caller)."""
    c = columns_of(PostTable())[0]
    c.text = text
    for name, column in arrays.items():
        setattr(c, name, column)
    c.zones = [None, None, *zones]
    c.epochs = [EPOCH, EPOCH, *(EPOCH.replace(tzinfo=z) for z in zones)]
    c.zone_ids = {}
    for code, zone in enumerate(zones, start=2):
        c.zone_ids.setdefault(zone, code)
    c.tuples = [tuple(sys.intern(v) for v in t) for t in tuples]
    c.tuple_ids = {}
    for code, names in enumerate(c.tuples):
        c.tuple_ids.setdefault(names, code)
    c.excerpt, c.permalink = excerpt, permalink
    return PostTable.of_columns(c, n)

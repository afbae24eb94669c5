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

import json
import logging
import sqlite3
import sys
from array import array
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from reader.core.post import Problem
from reader.core.storage.codec import (
    KIND_NOT_A_POST,
    KIND_POST,
    KIND_POST_JSON,
    KIND_PROBLEM,
    Decoded,
    Stat,
)
from reader.core.table import PostTable, columns_of, table_from_columns

log = logging.getLogger(__name__)

# The name the blob is kept under in the `saved_orders` table; change the number with the
# layout of the blob or of `reader.core.table`, and blobs saved before are not used.
NAME = "table:1"
_ARRAYS = (
    "start", "plen", "tlen", "slug_at", "slen", "wall", "zone", "stamp", "cats", "tags",
    "warns", "flags", "size", "mtime",
)  # fmt: skip
_HEADER = 8


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


def to_bytes(table: PostTable) -> bytes | None:
    """The table as one blob; None when it cannot be written down exactly."""
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
        },
        ensure_ascii=False,
    ).encode()
    parts = [len(header).to_bytes(_HEADER, "little"), header, bytes(c.text[:end])]
    parts += [getattr(c, name)[:n].tobytes() for name in _ARRAYS]
    return b"".join(parts)


def from_bytes(data: bytes, count: int | None) -> PostTable:
    """The table in `data` (of `count` posts, when given). Raises ValueError when the blob is
    not one `to_bytes` wrote (for that many posts), or is damaged."""
    if sys.byteorder != "little":
        raise ValueError("saved on another kind of machine")
    size = int.from_bytes(data[:_HEADER], "little")
    try:
        header = json.loads(data[_HEADER : _HEADER + size])
        n, text_len = int(header["n"]), int(header["text"])
        zones = [_zone_of(z) for z in header["zones"]]
        tuples = [tuple(str(v) for v in t) for t in header["tuples"]]
        excerpt = {int(k): str(v) for k, v in header["excerpt"].items()}
        permalink = {int(k): str(v) for k, v in header["permalink"].items()}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"unreadable header: {exc}") from None
    if count is not None and n != count:
        raise ValueError(f"{n} posts saved, {count} post rows")
    pos = _HEADER + size
    view = memoryview(data)  # slices of it copy nothing: the blob is the size of the table
    text = bytearray(view[pos : pos + text_len])
    pos += text_len
    arrays: dict[str, array] = {}  # type: ignore[type-arg]
    template = columns_of(PostTable())[0]
    for name in _ARRAYS:
        column = array(getattr(template, name).typecode)
        step = n * column.itemsize
        column.frombytes(view[pos : pos + step])
        if len(column) != n:
            raise ValueError(f"column {name} is short")
        arrays[name] = column
        pos += step
    if pos != len(data) or len(text) != text_len or not tuples or tuples[0] != ():
        raise ValueError("blob of the wrong size")
    _check(arrays, text_len, len(zones) + 2, len(tuples))
    text.decode("utf-8", "surrogatepass")  # UnicodeDecodeError when damaged
    if any(not 0 <= k < n for k in (*excerpt, *permalink)):
        raise ValueError("a row number out of range")
    return table_from_columns(n, text, arrays, zones, tuples, excerpt, permalink)


def _check(arrays: dict[str, array], text_len: int, zones: int, tuples: int) -> None:  # type: ignore[type-arg]
    """Every offset inside the text, every number naming a zone, tuple or format that exists."""
    for name in ("cats", "tags", "warns"):
        column = arrays[name]
        if column and max(column) >= tuples:
            raise ValueError(f"column {name} names a tuple that does not exist")
    valid_zone = bytes(0 if (code & 127) < zones else 1 for code in range(256))
    if 1 in arrays["zone"].tobytes().translate(valid_zone):
        raise ValueError("a zone that does not exist")
    valid_flags = bytes(0 if code & 3 < 3 and code < 16 else 1 for code in range(256))
    if 1 in arrays["flags"].tobytes().translate(valid_flags):
        raise ValueError("a format that does not exist")
    start, plen, tlen = arrays["start"], arrays["plen"], arrays["tlen"]
    slug_at, slen = arrays["slug_at"], arrays["slen"]
    if any(
        s + p + t > text_len or s + a + b > text_len
        for s, p, t, a, b in zip(start, plen, tlen, slug_at, slen, strict=True)
    ):
        raise ValueError("a text offset outside the text")


def read(conn: sqlite3.Connection, stats: dict[str, Stat]) -> Decoded | None:
    """The cache's records with the posts from the table saved under its current generation,
    and every row's stat in `stats`; None (and `stats` cleared) when there is no such table,
    or it does not match the post rows, path for path (call it in the transaction that reads
    the rows)."""
    row = conn.execute(
        "SELECT data FROM saved_orders WHERE name = ?"
        " AND generation = (SELECT value FROM meta WHERE key = 'generation')",
        (NAME,),
    ).fetchone()
    if row is None or not isinstance(row[0], bytes):
        return None
    try:
        table = from_bytes(row[0], None)
    except (ValueError, UnicodeDecodeError, OverflowError) as exc:
        log.info("saved table of posts not used: %s", exc)
        return None
    out = Decoded(table)
    if not _rows_match(conn, table, out, stats):
        log.info("saved table of posts does not match the cached rows: not used")
        stats.clear()
        return None
    return out


def _rows_match(
    conn: sqlite3.Connection, table: PostTable, out: Decoded, stats: dict[str, Stat]
) -> bool:
    c, n = columns_of(table)
    sizes, mtimes, path_of = c.size, c.mtime, table.path
    k = 0
    rows = conn.execute(
        "SELECT path, size, mtime_ns, kind, CASE WHEN kind = ? THEN data END FROM files"
        " ORDER BY id",
        (KIND_PROBLEM,),
    )
    for path, size, mtime_ns, kind, data in rows:
        stats[path] = (size, mtime_ns)
        if kind in (KIND_POST, KIND_POST_JSON):
            if k >= n or sizes[k] != size or mtimes[k] != mtime_ns or path_of(k) != path:
                return False
            k += 1
        elif kind == KIND_PROBLEM:
            out.problems.append(Problem(path, data or ""))
        elif kind == KIND_NOT_A_POST:
            out.not_posts.append(path)
        else:
            return False
    return k == n

"""Posts held as columns: what the window keeps of 100,000 or 1,000,000 posts.

A `Post` object with its own strings, date and numbers is about 520 bytes (the object 144,
path 88, title 103, slug 67, date 48, size and time 64, a list's pointer 8). A `PostTable` keeps
the same fields in a few growing arrays, about 150 bytes a post:

- path, title and slug as UTF-8 in one byte buffer (a slug that is part of the path, as a
  filename's slug is, costs nothing more);
- the date as its wall time in microseconds, a zone number and its fold, beside its timestamp;
- categories, tags and warnings as numbers of shared tuples (an archive has a few hundred
  combinations); format, draft and published in one byte; size and mtime as machine integers;
- excerpts and permalinks, which most posts leave empty, in dictionaries by row.

`table[i]` builds the `Post` when it is asked for (a few microseconds: the rows a list paints),
equal to the one added. The columns only grow: `snapshot()` is a read-only view of the rows
there are now, for another thread, which later additions do not change; removing posts builds
a new table (`without`). Index builders read the columns directly (`path`, `stamps`, ...).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, overload

from reader.core.post import Post, PostFormat
from reader.core.reading.records import builder_for

_PAIRS_STEP = 65_536  # posts counted a call in `label_pairs`
NO_DATE = float("-inf")
EPOCH = _EPOCH = datetime(1970, 1, 1)
# The columns that hold one entry a post, in the order a saved table writes them.
POST_ARRAYS = (
    "start", "plen", "tlen", "slug_at", "slen", "wall", "zone", "stamp", "cats", "tags",
    "warns", "flags", "size", "mtime",
)  # fmt: skip
_ONE_US = timedelta(microseconds=1)
# `date.toordinal()` of the epoch: a wall time's day is its microseconds // a day, plus this.
_EPOCH_DAY = _EPOCH.toordinal()
_DAY_US = 86_400_000_000
_FORMATS = tuple(PostFormat)
_FORMAT_CODE = {fmt: n for n, fmt in enumerate(_FORMATS)}
_DRAFT, _PUBLISHED = 4, 8
# Zone byte: 0 undated, 1 naive, 2.._ODD-1 a zone of `_zones`, `_ODD` a date kept whole (a
# zone object that cannot be a dictionary key, or more zones than fit); bit 7 the fold.
_UNDATED, _NAIVE, _ODD, _FOLD = 0, 1, 127, 128
# For readers of whole columns (`index_columns`): a day's microseconds, the epoch's day, the
# zone bits set for a dated post, the flag of a draft.
COLUMN_CODES = (_DAY_US, _EPOCH_DAY, 127, _DRAFT)
_Builder = builder_for(Post)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(data: bytearray | bytes) -> str:
    try:
        return data.decode()
    except UnicodeDecodeError:  # lone surrogates, kept by `_utf8`
        return data.decode("utf-8", "surrogatepass")


def _hashable(zone: tzinfo) -> bool:
    return type(zone).__hash__ is not None


class _Columns:
    """The arrays a table and its snapshots share (they only grow)."""

    __slots__ = (
        "cats", "epochs", "excerpt", "flags", "mtime", "odd", "permalink", "plen", "size", "slen",
        "slug_at", "stamp", "start", "tags", "text", "tlen", "tuple_ids", "tuples", "wall",
        "warns", "zone", "zone_ids", "zones",
    )  # fmt: skip

    def __init__(self) -> None:
        self.text = bytearray()
        self.start = array("Q")
        self.plen, self.tlen = array("I"), array("I")
        self.slug_at, self.slen = array("I"), array("I")
        self.wall = array("q")
        self.zone = array("B")
        self.stamp = array("d")
        self.cats, self.tags, self.warns = array("I"), array("I"), array("I")
        self.flags = array("B")
        self.size, self.mtime = array("q"), array("q")
        self.excerpt: dict[int, str] = {}
        self.permalink: dict[int, str] = {}
        self.odd: dict[int, datetime] = {}
        self.zones: list[tzinfo | None] = [None, None]
        # Each zone's 1970-01-01 00:00: a date is its zone's epoch plus its wall microseconds.
        self.epochs: list[datetime] = [_EPOCH, _EPOCH]
        self.zone_ids: dict[Any, int] = {}
        self.tuples: list[tuple[str, ...]] = [()]
        self.tuple_ids: dict[tuple[str, ...], int] = {(): 0}


class PostTable(Sequence[Post]):
    """A growing sequence of posts stored as columns (see the module's text)."""

    __slots__ = ("_c", "_frozen", "_n")

    def __init__(self, posts: Iterable[Post] = ()) -> None:
        self._c = _Columns()
        self._n = 0
        self._frozen = False
        self.extend(posts)

    # --- adding -------------------------------------------------------------------------------

    def add(
        self,
        path: str,
        title: str,
        date: datetime | None,
        categories: tuple[str, ...],
        tags: tuple[str, ...],
        slug: str,
        format: PostFormat,
        draft: bool,
        published: bool,
        warnings: tuple[str, ...],
        excerpt: str,
        size: int,
        mtime_ns: int,
        permalink: str,
    ) -> None:
        """Add one post, given its fields in `Post`'s order."""
        if self._frozen:
            raise TypeError("a snapshot of a PostTable cannot grow")
        c = self._c
        i = self._n
        text = c.text
        start = len(text)
        try:
            pb, tb = path.encode(), title.encode()
        except UnicodeEncodeError:  # lone surrogates: a file name that is not UTF-8
            pb, tb = _utf8(path), _utf8(title)
        text += pb
        text += tb
        c.start.append(start)
        c.plen.append(len(pb))
        c.tlen.append(len(tb))
        if slug:
            sb = _utf8(slug)
            at = pb.rfind(sb)
            if at < 0:
                at = len(pb) + len(tb)
                text += sb
            c.slug_at.append(at)
            c.slen.append(len(sb))
        else:
            c.slug_at.append(0)
            c.slen.append(0)
        if date is None:
            c.wall.append(0)
            c.zone.append(_UNDATED)
            c.stamp.append(NO_DATE)
        else:
            tz = date.tzinfo
            zone = _NAIVE if tz is None else c.zone_ids.get(tz) if _hashable(tz) else None
            if zone is None:
                zone = self._zone_code(tz)
            if zone == _ODD:
                c.odd[i] = date
                c.wall.append((date.replace(tzinfo=None) - _EPOCH) // _ONE_US)
            else:
                # Two datetimes of the same zone object subtract by their wall clocks.
                c.wall.append((date - c.epochs[zone]) // _ONE_US)
            c.zone.append(zone | _FOLD if date.fold else zone)
            try:
                c.stamp.append(date.timestamp())
            except (OverflowError, OSError, ValueError):  # a year the platform cannot place
                c.stamp.append(NO_DATE)
        ids = c.tuple_ids
        n = ids.get(categories)
        c.cats.append(n if n is not None else self._tuple_id(categories))
        n = ids.get(tags)
        c.tags.append(n if n is not None else self._tuple_id(tags))
        n = ids.get(warnings)
        c.warns.append(n if n is not None else self._tuple_id(warnings))
        flags = _FORMAT_CODE[format] | (_DRAFT if draft else 0)
        c.flags.append(flags | (_PUBLISHED if published else 0))
        c.size.append(size)
        c.mtime.append(mtime_ns)
        if excerpt:
            c.excerpt[i] = excerpt
        if permalink:
            c.permalink[i] = permalink
        self._n = i + 1

    def _tuple_id(self, names: tuple[str, ...]) -> int:
        c = self._c
        n = c.tuple_ids[names] = len(c.tuples)
        c.tuples.append(tuple(sys.intern(v) for v in names))
        return n

    def _zone_code(self, zone: tzinfo | None) -> int:
        if zone is None:
            return _NAIVE
        c = self._c
        try:
            code = c.zone_ids.get(zone)
            if code is None and len(c.zones) < _ODD:
                code = c.zone_ids[zone] = len(c.zones)
                c.zones.append(zone)
                c.epochs.append(_EPOCH.replace(tzinfo=zone))
        except TypeError:  # a zone object that cannot be hashed
            code = None
        return _ODD if code is None else code

    def append(self, post: Post) -> None:
        self.add(
            post.path, post.title, post.date, post.categories, post.tags, post.slug,
            post.format, post.draft, post.published, post.warnings, post.excerpt, post.size,
            post.mtime_ns, post.permalink,
        )  # fmt: skip

    def extend(self, posts: Iterable[Post]) -> None:
        if isinstance(posts, PostTable):
            self._extend_table(posts)
            return
        for post in posts:
            self.append(post)

    def _extend_table(self, other: PostTable) -> None:
        """Add `other`'s posts column by column, building none of them."""
        if self._frozen:
            raise TypeError("a snapshot of a PostTable cannot grow")
        c, o, n, base = self._c, other._c, other._n, self._n
        if not n:
            return
        first, end = o.start[0], (o.start[n] if n < len(o.start) else len(o.text))
        shift = len(c.text) - first
        c.text += o.text[first:end]
        c.start.extend(map(shift.__add__, o.start[:n]))
        for mine, theirs in (
            (c.plen, o.plen), (c.tlen, o.tlen), (c.slug_at, o.slug_at), (c.slen, o.slen),
            (c.wall, o.wall), (c.size, o.size), (c.mtime, o.mtime), (c.flags, o.flags),
        ):  # fmt: skip
            mine.extend(theirs[:n])
        c.stamp.extend(o.stamp[:n])
        # Zone and tuple numbers are each table's own: mapped, in C when they are the same.
        zone_map = [self._zone_code(z) if k > _NAIVE else k for k, z in enumerate(o.zones)]
        zone_map += [_ODD] * (_ODD + 1 - len(zone_map))
        known = len(o.zones)
        if zone_map[:known] == list(range(known)) and not o.odd:
            c.zone.extend(o.zone[:n])
        else:
            for k in range(n):
                code = o.zone[k]
                mapped = zone_map[code & 127]
                c.zone.append(mapped | (code & _FOLD))
                if mapped == _ODD:
                    c.odd[base + k] = self._date(o, k)  # type: ignore[assignment]
        ids = c.tuple_ids
        tuple_map: list[int] = []
        for names in o.tuples:
            m = ids.get(names)
            if m is None:
                m = ids[names] = len(c.tuples)
                c.tuples.append(names)
            tuple_map.append(m)
        for mine, theirs in ((c.cats, o.cats), (c.tags, o.tags), (c.warns, o.warns)):
            mine.extend(map(tuple_map.__getitem__, theirs[:n]))
        for mine_d, theirs_d in ((c.excerpt, o.excerpt), (c.permalink, o.permalink)):
            mine_d.update((base + k, v) for k, v in theirs_d.items() if k < n)
        self._n = base + n

    def __add__(self, other: Iterable[Post]) -> PostTable:
        out = PostTable()
        out.extend(self)
        out.extend(other)
        return out

    def __radd__(self, other: Iterable[Post]) -> PostTable:
        out = PostTable(other)
        out.extend(self)
        return out

    @classmethod
    def of_columns(cls, columns: _Columns, n: int) -> PostTable:
        """A table of the first `n` rows of `columns` (checked by the caller)."""
        table = cls.__new__(cls)
        table._c, table._n, table._frozen = columns, n, False
        return table

    def snapshot(self) -> PostTable:
        """A read-only view of the posts there are now: later additions do not show in it,
        and it builds nothing (another thread may read it while this table grows)."""
        view = PostTable.__new__(PostTable)
        view._c, view._n, view._frozen = self._c, self._n, True
        return view

    # --- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Post: ...

    @overload
    def __getitem__(self, i: slice) -> list[Post]: ...

    def __getitem__(self, i: int | slice) -> Post | list[Post]:
        if isinstance(i, slice):
            return [self._post(j) for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("post index out of range")
        return self._post(i)

    def __iter__(self) -> Iterator[Post]:
        post = self._post
        for i in range(self._n):
            yield post(i)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PostTable | list | tuple):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<PostTable of {self._n} posts>"

    def _post(self, i: int) -> Post:
        c = self._c
        text = c.text
        s = c.start[i]
        p_end = s + c.plen[i]
        t_end = p_end + c.tlen[i]
        sl = c.slen[i]
        if sl:
            a = s + c.slug_at[i]
            slug = _text(text[a : a + sl])
        else:
            slug = ""
        flags = c.flags[i]
        post = _Builder(
            _text(text[s:p_end]),
            _text(text[p_end:t_end]),
            self._date(c, i),
            c.tuples[c.cats[i]],
            c.tuples[c.tags[i]],
            slug,
            _FORMATS[flags & 3],
            bool(flags & _DRAFT),
            bool(flags & _PUBLISHED),
            c.tuples[c.warns[i]],
            c.excerpt.get(i, ""),
            c.size[i],
            c.mtime[i],
            c.permalink.get(i, ""),
        )
        post.__class__ = Post
        return post  # type: ignore[no-any-return]

    @staticmethod
    def _date(c: _Columns, i: int) -> datetime | None:
        zone = c.zone[i]
        code = zone & 127
        if code == _UNDATED:
            return None
        if code == _ODD:
            return c.odd[i]
        # Adding to an aware datetime moves its wall clock and keeps its zone (fold 0).
        wall = c.epochs[code] + timedelta(0, 0, c.wall[i])
        return wall.replace(fold=1) if zone & _FOLD else wall

    # --- columns, without building posts -------------------------------------------------------

    def path(self, i: int) -> str:
        c = self._c
        s = c.start[i]
        return _text(c.text[s : s + c.plen[i]])

    def has_path(self, i: int, path: str) -> bool:
        """Whether post `i`'s path is `path` (compared as bytes: nothing is decoded)."""
        c = self._c
        s = c.start[i]
        return c.text[s : s + c.plen[i]] == _utf8(path)

    def title(self, i: int) -> str:
        c = self._c
        s = c.start[i] + c.plen[i]
        return _text(c.text[s : s + c.tlen[i]])

    def slug(self, i: int) -> str:
        c = self._c
        sl = c.slen[i]
        if not sl:
            return ""
        a = c.start[i] + c.slug_at[i]
        return _text(c.text[a : a + sl])

    def date(self, i: int) -> datetime | None:
        return self._date(self._c, i)

    def stamp(self, i: int) -> float:
        return self._c.stamp[i]

    def categories(self, i: int) -> tuple[str, ...]:
        c = self._c
        return c.tuples[c.cats[i]]

    def paths(self) -> list[str]:
        return [self.path(i) for i in range(self._n)]

    def titles(self) -> list[str]:
        return [self.title(i) for i in range(self._n)]

    def sizes(self) -> array[int]:
        """Each post's file size, a copy (machine integers)."""
        return self._c.size[: self._n]

    def mtimes(self) -> array[int]:
        """Each post's file modification time in ns, a copy (machine integers)."""
        return self._c.mtime[: self._n]

    def stamps(self) -> array[float]:
        """Each post's timestamp (`NO_DATE` when undated), a copy."""
        return self._c.stamp[: self._n]

    def days(self) -> array[int]:
        """Each post's local day as `date.toordinal()` (0 when undated), a copy."""
        c = self._c
        zone, wall = c.zone, c.wall
        return array(
            "i",
            (0 if not zone[i] & 127 else wall[i] // _DAY_US + _EPOCH_DAY for i in range(self._n)),
        )

    def label_pairs(self) -> dict[tuple[tuple[str, ...], tuple[str, ...]], int]:
        """How many posts hold each distinct (categories, tags) pair, counted by numpy 65,536
        posts at a time. Counted by a `Counter` (one C call per slice, the interpreter lock held
        throughout: 169 ms in all at a million posts), each call from Qt into Python waited up
        to 16 ms for one while the sources' names were worked out after a load."""
        import numpy as np

        c, n = self._c, self._n
        counted: dict[int, int] = {}
        for lo in range(0, n, _PAIRS_STEP):
            hi = min(n, lo + _PAIRS_STEP)
            # Copies (the slices), never views: the columns may grow on another thread.
            cats = np.asarray(c.cats[lo:hi]).astype(np.uint64)
            keys = (cats << np.uint64(32)) | np.asarray(c.tags[lo:hi]).astype(np.uint64)
            found, counts = np.unique(keys, return_counts=True)
            for key, k in zip(found.tolist(), counts.tolist(), strict=True):
                counted[key] = counted.get(key, 0) + k
        tuples = c.tuples
        return {(tuples[key >> 32], tuples[key & 0xFFFFFFFF]): k for key, k in counted.items()}

    def drafts(self) -> list[int]:
        flags = self._c.flags
        return [i for i in range(self._n) if flags[i] & _DRAFT]

    def draft(self, i: int) -> bool:
        return bool(self._c.flags[i] & _DRAFT)

    def file_key(self, i: int) -> tuple[str, int, int]:
        """The post's (path, size, mtime_ns): what the cache's rows are matched by."""
        return self.path(i), *self.file_stats(i)

    def file_stats(self, i: int) -> tuple[int, int]:
        """The post's file's (size, mtime_ns)."""
        return self._c.size[i], self._c.mtime[i]

    def tags(self, i: int) -> tuple[str, ...]:
        c = self._c
        return c.tuples[c.tags[i]]

    def day(self, i: int) -> int:
        """The post's local day as `date.toordinal()`, 0 when undated."""
        c = self._c
        return c.wall[i] // _DAY_US + _EPOCH_DAY if c.zone[i] & 127 else 0


def as_table(posts: Iterable[Post]) -> PostTable:
    """`posts` as a table: itself when it is one (taken over, not copied)."""
    return posts if isinstance(posts, PostTable) else PostTable(posts)


def columns_of(table: PostTable) -> tuple[_Columns, int]:
    """The columns of `table` and how many of their rows are its posts (`storage.saved_table`
    writes them down as they are)."""
    return table._c, table._n

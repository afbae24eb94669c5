"""The size and modification time of every file a folder's last scan found, by path, in arrays.

A folder keeps one for as long as it is open, for the next scan to compare with (`scan_folder`'s
`known`): a file found with the same stat is unchanged and never read again. As a
`{path: stat}` dict it was the largest thing the core held after the posts' own table: 161 MB
at a million files (a string, an int and a dict slot a file), and each scan copied it to tick
files off. `KnownFiles` keeps the paths as UTF-8 in one buffer and the rest in arrays, about
67 bytes a file with the sorted hashes, and a scan ticks files off in a byte-per-file array of
its own (`Matcher`). A scan asks about files a listing at a time (`Matcher.unchanged`): one
numpy search for 4,096 hashes instead of 4,096 dict lookups.

Entries are appended and marked gone, never moved: a changed file is `pop`ped, then `add`ed
again once parsed. Lookups find a path by its hash (`hash(str)`, this process's) in a sorted
copy of the hashes, and compare the path itself before they answer: two paths with one hash
are told apart, never confused.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.core.reading.scan import Candidate

# A path's hash (a name of its own, so that tests can make paths share one).
_hash = hash
_SIZE_BITS = (1 << 64) - 1
# Paths `add_many` encodes at a time: their strings and bytes are the step's own memory, which
# the heap keeps once freed (65,536: a warm window of 100,000 posts peaked 6 MB higher).
_ADD_STEP = 8_192

# Known entries `Matcher.as_buffers` sorts out at a time.
_PICK_STEP = 1 << 15

# What is compared of a known file: its size and mtime (ns) as one number.
Stat = int


def _unpacked(stat: Stat) -> tuple[int, int]:
    """(size, mtime_ns) of a `stat_of`."""
    size = stat & _SIZE_BITS
    return (size - (1 << 64) if size >> 63 else size), stat >> 64


def stat_of(size: int, mtime_ns: int) -> Stat:
    """A file's size and modification time as one int, equal exactly when both are (sizes
    are below 2**63, so -1 for an unknown size stays apart)."""
    return (mtime_ns << 64) | (size & _SIZE_BITS)


class KnownFiles:
    """`{path: stat_of(size, mtime_ns)}` of a folder's files (see the module's text)."""

    __slots__ = (
        "_blob",
        "_ends",
        "_gone",
        "_hashes",
        "_keys",
        "_live",
        "_mtimes",
        "_order",
        "_sizes",
    )

    def __init__(self, items: Iterable[tuple[str, int, int]] = ()) -> None:
        """`items`: (path, size, mtime_ns) of files, each path once."""
        self._live = 0
        self._blob = bytearray()
        self._ends = array("q")
        # The hashes of the entries added since the last lookup sorted them in (`_sorted`):
        # sorted, they are kept in `_keys` only (8 MB less at a million files).
        self._hashes = array("q")
        self._sizes = array("q")
        self._mtimes = array("q")
        self._gone = bytearray()
        # The hashes of the first len(_keys) entries, sorted, and the entry of each (numpy
        # arrays, made at the first lookup: a warm load fills this before the list is shown,
        # without numpy's import); the entries added since are sorted in at the next lookup.
        self._keys: Any = None
        self._order: Any = None
        for path, size, mtime_ns in items:
            self.add(path, size, mtime_ns)

    @classmethod
    def of(cls, stats: Mapping[str, Stat]) -> KnownFiles:
        """The files of a `{path: stat_of(size, mtime_ns)}` mapping."""
        return cls((path, *_unpacked(stat)) for path, stat in stats.items())

    def as_dict(self) -> dict[str, Stat]:
        """`{path: stat}` of every known file."""
        return dict(self.items())

    # --- adding and removing ------------------------------------------------------------------

    def add(self, path: str, size: int, mtime_ns: int) -> None:
        """Record a file that is not known (a known one must be `pop`ped first)."""
        self._blob += path.encode("utf-8", "surrogateescape")
        self._ends.append(len(self._blob))
        self._hashes.append(_hash(path))
        self._sizes.append(size)
        self._mtimes.append(mtime_ns)
        self._gone.append(0)
        self._live += 1

    def add_many(self, paths: Iterable[str], sizes: Sequence[int], mtimes: Sequence[int]) -> None:
        """`add` for each path, its size and mtime (each path not known): `_ADD_STEP` paths
        at a time, their bytes joined and their ends summed at once (a path at a time, a
        million took 1.75 s; all at once, their strings and bytes held 150 MB more)."""
        if len(sizes) != len(mtimes):
            raise ValueError("as many sizes as mtimes are needed")
        blob, ends, hashes = self._blob, self._ends, self._hashes
        before = len(blob), len(ends), len(hashes)
        every, count = iter(paths), 0
        while chunk := list(islice(every, _ADD_STEP)):
            encoded = [path.encode("utf-8", "surrogateescape") for path in chunk]
            # Each path's end: the running sum of their lengths after the buffer's own (in C,
            # without numpy, which a first terminal command on a small folder never imports).
            ends.extend(islice(accumulate(map(len, encoded), initial=len(blob)), 1, None))
            blob += b"".join(encoded)
            hashes.extend(map(_hash, chunk))
            count += len(chunk)
        if count != len(sizes):
            del blob[before[0] :], ends[before[1] :], hashes[before[2] :]
            raise ValueError("as many sizes and mtimes as paths are needed")
        self._sizes.extend(sizes)
        self._mtimes.extend(mtimes)
        self._gone.extend(bytes(count))
        self._live += count

    def pop(self, path: str, default: Stat | None = None) -> Stat | None:
        """Forget `path`; its stat, or `default` when it was not known."""
        i = self.find(path)
        if i < 0:
            return default
        self._gone[i] = 1
        self._live -= 1
        return self.stat(i)

    # --- asking -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._live

    def __bool__(self) -> bool:
        return self._live > 0

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.find(path) >= 0

    def get(self, path: str, default: Stat | None = None) -> Stat | None:
        i = self.find(path)
        return self.stat(i) if i >= 0 else default

    def __iter__(self) -> Iterator[str]:
        """The known paths, in the order they were added."""
        gone = self._gone
        for i in range(len(gone)):
            if not gone[i]:
                yield self.path(i)

    def items(self) -> Iterator[tuple[str, Stat]]:
        gone = self._gone
        for i in range(len(gone)):
            if not gone[i]:
                yield self.path(i), self.stat(i)

    def path(self, i: int) -> str:
        return self._bytes(i).decode("utf-8", "surrogateescape")

    def stat(self, i: int) -> Stat:
        return stat_of(self._sizes[i], self._mtimes[i])

    def find(self, path: str) -> int:
        """The entry of `path`, or -1 when it is not known."""
        if not self._live:
            return -1
        keys, order = self._sorted()
        h = _hash(path)
        at = int(keys.searchsorted(h))
        encoded = None
        while at < len(keys) and keys[at] == h:
            i = int(order[at])
            if not self._gone[i]:
                if encoded is None:
                    encoded = path.encode("utf-8", "surrogateescape")
                if self._holds(i, encoded):
                    return i
            at += 1
        return -1

    def _bytes(self, i: int) -> bytes:
        start = self._ends[i - 1] if i else 0
        return bytes(self._blob[start : self._ends[i]])

    def _holds(self, i: int, encoded: bytes) -> bool:
        """Whether entry `i` is the path `encoded` (UTF-8, surrogates escaped)."""
        return self._blob[self._ends[i - 1] if i else 0 : self._ends[i]] == encoded

    def _sorted(self) -> tuple[Any, Any]:
        """The sorted hashes and their entries, with every entry added so far sorted in."""
        import numpy as np  # (see `_keys`)

        done = 0 if self._order is None else len(self._order)
        n = len(self._ends)
        if self._order is None or done < n:
            fresh = np.frombuffer(self._hashes, np.int64, n - done).copy()
            self._hashes = array("q")  # sorted in below: kept there only
            keys = fresh if self._keys is None else np.concatenate((self._keys, fresh))
            order = np.arange(n, dtype=np.int32 if n < 2**31 else np.int64)
            if self._order is not None:
                order[:done] = self._order
            # Stable: the sorted run first, then the new run (a merge for timsort).
            by = np.argsort(keys, kind="stable")
            self._keys, self._order = keys[by], order[by]
        return self._keys, self._order

    def matcher(self) -> Matcher:
        """A scan's view: files ticked off as they are found, without changing this."""
        return Matcher(self)


class Matcher:
    """One scan's comparison with the known files: each known file found is ticked off; what
    is left at the end (`left`) was not found. Ticking off never changes the `KnownFiles`."""

    __slots__ = ("_keys", "_known", "_order", "_seen")

    def __init__(self, known: KnownFiles) -> None:
        self._known = known
        # The entries known now (the arrays are replaced, never changed, when more are added).
        self._keys, self._order = known._sorted()
        self._seen = bytearray(len(known._ends))

    def unchanged(
        self, paths: Sequence[str], sizes: Sequence[int], mtimes: Sequence[int]
    ) -> list[bool]:
        """For each (path, size, mtime_ns): whether it is a known file with that stat, not
        found before in this scan (ticked off now)."""
        import numpy as np

        count = len(paths)
        keys, order = self._keys, self._order
        if not count or not len(keys):
            return [False] * count
        k = self._known
        hashes = np.fromiter(map(_hash, paths), np.int64, count)
        at = np.minimum(keys.searchsorted(hashes), len(keys) - 1)
        entry = order[at]
        hit = keys[at] == hashes
        # Views of the arrays, let go before this returns (an array with a view cannot grow).
        gone = np.frombuffer(k._gone, np.bool_, len(self._seen))
        seen = np.frombuffer(self._seen, np.bool_)
        ok = hit & ~gone[entry] & ~seen[entry]
        ok &= np.frombuffer(k._sizes, np.int64, len(self._seen))[entry] == np.asarray(sizes)
        ok &= np.frombuffer(k._mtimes, np.int64, len(self._seen))[entry] == np.asarray(mtimes)
        # Not only its hash: the path itself, compared as bytes (for all of them at once).
        candidates = np.flatnonzero(ok)
        same = _same_paths(k, entry[candidates], [paths[n] for n in candidates.tolist()])
        ok[candidates[~same]] = False
        seen[entry[ok]] = True
        del gone, seen
        result: list[bool] = ok.tolist()
        # A hash found, but not this path's entry with this stat: a changed file, or a path
        # sharing its hash with another; asked for the exact way.
        for n in np.flatnonzero(hit & ~ok).tolist():
            i = k.find(paths[n])
            if (
                0 <= i < len(self._seen)
                and not self._seen[i]
                and (k._sizes[i], k._mtimes[i]) == (sizes[n], mtimes[n])
            ):
                self._seen[i] = 1
                result[n] = True
        return result

    def as_buffers(self, prefix: str) -> tuple[bytes, list[memoryview]]:
        """For `stat_apart`, the known files directly in the folder whose paths begin with
        `prefix` ("" or ending in "/"), as they are held, without a copy: (a byte per entry,
        1 for those in that folder and not found yet in this scan; views of every path's end
        in the blob, size and mtime (int64), and of the blob). Release the views: the arrays
        cannot grow while they are held."""
        import numpy as np

        k, n = self._known, len(self._seen)
        if not len(k._ends) == len(k._sizes) == len(k._mtimes) == n:
            raise ValueError("the known files grew since this scan began")
        pre = prefix.encode("utf-8", "surrogateescape")
        ends = np.frombuffer(k._ends, np.int64, n)
        blob = np.frombuffer(k._blob, np.uint8)
        pick = ~(np.frombuffer(k._gone, np.bool_, n) | np.frombuffer(self._seen, np.bool_))
        for lo in range(0, n, _PICK_STEP):  # (arrays of a step's bytes, not of every path's)
            stops = ends[lo : lo + _PICK_STEP]
            starts = np.empty_like(stops)
            starts[0] = ends[lo - 1] if lo else 0
            starts[1:] = stops[:-1]
            ok = pick[lo : lo + _PICK_STEP]  # (a view: set in place)
            ok &= (stops - starts) > len(pre)
            for j, byte in enumerate(pre):
                ok[ok] = blob[starts[ok] + j] == byte
            # No "/" after the prefix: directly in the folder.
            base = int(starts[0])
            slashes = np.zeros(int(stops[-1]) - base + 1, np.int32)
            np.cumsum(blob[base : int(stops[-1])] == 47, out=slashes[1:])
            after = np.minimum(starts + len(pre), stops) - base
            ok &= slashes[stops - base] == slashes[after]
        del ends, blob  # (views: the arrays may grow again once let go)
        views = [memoryview(a) for a in (k._ends, k._sizes, k._mtimes, k._blob)]
        return pick.tobytes(), views

    def tick_off(self, entries: array[int]) -> int:
        """Tick off known `entries` found unchanged, each not found before; how many."""
        import numpy as np

        seen = np.frombuffer(self._seen, np.bool_)
        seen[np.frombuffer(entries, np.int64)] = True
        del seen  # (a view)
        return len(entries)

    def pop(self, path: str, default: Stat | None = None) -> Stat | None:
        """The known stat of `path`, ticked off; `default` when unknown or found already."""
        i = self._known.find(path)
        if i < 0 or i >= len(self._seen) or self._seen[i]:
            return default
        self._seen[i] = 1
        return self._known.stat(i)

    def left(self) -> list[str]:
        """The known paths not found (in the order they were added)."""
        import numpy as np

        k, n = self._known, len(self._seen)
        seen = np.frombuffer(self._seen, np.bool_)
        missing = np.flatnonzero(~seen & ~np.frombuffer(k._gone, np.bool_, n)).tolist()
        return [k.path(i) for i in missing]


def _same_paths(known: KnownFiles, entries: Any, paths: list[str]) -> Any:
    """Whether each known entry of `entries` is the path beside it in `paths`, compared as
    UTF-8 (surrogates escaped) by numpy: those of the same length, byte for byte."""
    import numpy as np

    encoded = [path.encode("utf-8", "surrogateescape") for path in paths]
    lengths = np.fromiter(map(len, encoded), np.int64, len(encoded))
    ends = np.frombuffer(known._ends, np.int64)  # a view: let go before this returns
    stops = ends[entries]
    starts = np.where(entries > 0, ends[entries - 1], 0)
    del ends
    same = (stops - starts) == lengths
    check = np.flatnonzero(same & (lengths > 0))  # (two empty paths are the same)
    if len(check):
        sizes = lengths[check]
        offsets = np.zeros(len(check), np.int64)
        np.cumsum(sizes[:-1], out=offsets[1:])
        within = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(offsets, sizes)
        blob = np.frombuffer(known._blob, np.uint8)  # a view, as above
        theirs = blob[np.repeat(starts[check], sizes) + within]
        del blob
        mine = np.frombuffer(b"".join([encoded[n] for n in check.tolist()]), np.uint8)
        same[check] = np.logical_and.reduceat(theirs == mine, offsets)
    return same


@dataclass(frozen=True, slots=True)
class Changes:
    """What a new scan says about the cached files.

    `to_parse`: new and modified files (size or mtime differs); `modified`: the paths of those that
    were cached before (their old records must go); `removed`: cached paths no longer there.
    A rename is a removal plus a new file.
    """

    to_parse: list[Candidate]
    modified: list[str]
    removed: list[str]

    def __bool__(self) -> bool:
        return bool(self.to_parse or self.removed)


def diff_stats(
    cached: KnownFiles,
    candidates: Sequence[Candidate],
    removed: list[str] | None = None,
) -> Changes:
    """Compare cached stats with scanned candidates (no file is opened). `removed`: the
    cached paths the scan did not find, when it compared them itself (`scan_folder(known=)`;
    its candidates are then only the new and changed files)."""
    to_parse: list[Candidate] = []
    modified: list[str] = []
    seen = 0
    get = cached.get
    for cand in candidates:
        old = get(cand.path)
        if old is None:
            to_parse.append(cand)
            continue
        seen += 1
        if old != stat_of(cand.size, cand.mtime_ns):
            to_parse.append(cand)
            modified.append(cand.path)
    if removed is None:
        removed = []
        if seen != len(cached):
            present = {c.path for c in candidates}
            removed = [p for p in cached if p not in present]
    return Changes(to_parse, modified, removed)

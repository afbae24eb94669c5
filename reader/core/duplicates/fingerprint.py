"""What makes two posts copies of one story: normalised text and its MinHash fingerprint.

Owns `normalise_text`, `Fingerprint`, `fingerprint`, `similar` and `fingerprint_files` (the work
of background worker processes). A re-published copy differs from the original by a changed
source line (`（文章来源：上海证券报）`), an added `> 摘要（…）` line, stock names wrapped in links,
a "return to" link, a paragraph more or less and whitespace; normalising removes all but the
paragraph, and the similarity rule allows for that one.

The fingerprint is a MinHash of the text's 5-character shingles (Chinese has no spaces to make
words of), computed with numpy as one-permutation hashing with rotation densification (Li, Owen
and Zhang 2012; Shrivastava and Li 2014): every shingle is hashed once and each of the 128
slots keeps the least hash that falls into it. datasketch's `MinHash.update_batch` hashes each
shingle in Python and then with all 128 permutations; measured here (a loaded machine) on
2,000-character bodies it took ~15 ms a post, one-permutation hashing ~0.15 ms. The slots are
cut into bands for locality-sensitive hashing (`lsh`) like any MinHash's hash values.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reader.core.pool import map_chunks
from reader.core.reading.parse import read_body
from reader.core.search.query import strip_markup

log = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE = 5
# Texts shorter than this (after normalising) are too short to tell a copy from a coincidence.
MIN_CHARS = 40
# Similar enough to be copies of one story: Jaccard similarity of the shingle sets at least
# SAME_JACCARD, or the shorter text at least CONTAINED inside the longer while at least
# LENGTH_RATIO of its length (a paragraph more or less).
SAME_JACCARD = 0.9
CONTAINED = 0.9
LENGTH_RATIO = 0.75

_SUMMARY_LINE = re.compile(r"^[ \t]*>[ \t]*摘要[（(][^）)\n]{0,60}[）)][ \t]*$", re.MULTILINE)
_RETURN_LINK = re.compile(r"\[返回[^\]\n]{0,80}\]\([^)\n]{0,300}\)")
_SOURCE = re.compile(r"[（(]\s*(?:文章)?来源[:：][^）)\n]{0,80}[）)]")
_SUMMARY = re.compile(r"摘要[（(][^）)\n]{0,60}[）)]")
_URL = re.compile(r"(?:https?:)?//[^\s<>)\]）]+")

_MASK64 = (1 << 64) - 1
_SLOT_BITS = 7  # 2**7 == NUM_PERM slots, chosen by a hash's top bits
_VALUE_MASK = np.uint64((1 << (64 - _SLOT_BITS)) - 1)
_EMPTY = np.uint64(_MASK64)
_ROLL = np.uint64(1_000_003)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# Rotation densification: an empty slot borrows the next filled slot's value, offset by distance.
_OFFSET = np.uint64(0x9E3779B97F4A7C15 >> _SLOT_BITS)


def normalise_text(body: str) -> str:
    """A body as its story: markup, links' targets, source and summary lines, "return to" links
    and all whitespace removed, lower-cased. Stock names wrapped in links keep only the name."""
    # Each pattern runs only where its marker occurs: most bodies have none, and a regex scan
    # of a long Chinese body costs more than the whole MinHash.
    text = body
    if "摘要" in text:
        text = _SUMMARY_LINE.sub(" ", text)
    if "[返回" in text:
        text = _RETURN_LINK.sub(" ", text)
    text = strip_markup(text)
    if "来源" in text:
        text = _SOURCE.sub(" ", text)
    if "摘要" in text:
        text = _SUMMARY.sub(" ", text)
    if "//" in text:
        text = _URL.sub(" ", text)
    return "".join(text.split()).lower()


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A post's text as MinHash slots (`NUM_PERM` uint64 values, as bytes so it pickles small),
    with its number of distinct shingles."""

    slots: bytes
    shingles: int

    def values(self) -> npt.NDArray[np.uint64]:
        return np.frombuffer(self.slots, dtype=np.uint64)


def _shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """The sorted distinct 64-bit hashes of a text's SHINGLE-character substrings."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = codes[:n].copy()
    with np.errstate(over="ignore"):
        for j in range(1, SHINGLE):
            h *= _ROLL
            h += codes[j : j + n]
        # splitmix64's finaliser: spreads the polynomial hash over all 64 bits.
        h ^= h >> np.uint64(30)
        h *= _MIX1
        h ^= h >> np.uint64(27)
        h *= _MIX2
        h ^= h >> np.uint64(31)
    h.sort()  # np.unique measured 20x slower than sorting and comparing neighbours
    keep = np.empty(len(h), dtype=bool)
    keep[:1] = True
    np.not_equal(h[1:], h[:-1], out=keep[1:])
    return h[keep]


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of a normalised text; None when it is too short to compare."""
    if len(text) < MIN_CHARS:
        return None
    hashes = _shingle_hashes(text)  # sorted, so each slot's first hash is its least
    slot_of = (hashes >> np.uint64(64 - _SLOT_BITS)).astype(np.int64)
    starts = np.searchsorted(slot_of, np.arange(NUM_PERM))
    filled = np.zeros(NUM_PERM, dtype=bool)
    inside = starts < len(hashes)
    filled[inside] = slot_of[starts[inside]] == np.arange(NUM_PERM)[inside]
    slots = np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    slots[filled] = hashes[starts[filled]] & _VALUE_MASK
    if not filled.all():
        where = np.flatnonzero(filled)
        idx = np.arange(NUM_PERM)
        # The next filled slot to the right, circularly, and how far away it is.
        nxt = where[np.searchsorted(where, idx) % len(where)]
        distance = ((nxt - idx) % NUM_PERM).astype(np.uint64)
        with np.errstate(over="ignore"):
            slots = np.where(filled, slots, slots[nxt] + distance * _OFFSET)
    return Fingerprint(slots.tobytes(), len(hashes))


def text_fingerprint(body: str) -> Fingerprint | None:
    """`fingerprint(normalise_text(body))`."""
    return fingerprint(normalise_text(body))


def similar(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether two fingerprints are copies of one story (see SAME_JACCARD and CONTAINED)."""
    jaccard = float(np.count_nonzero(a.values() == b.values())) / NUM_PERM
    if jaccard >= SAME_JACCARD:
        return True
    small, large = sorted((a.shingles, b.shingles))
    if small < LENGTH_RATIO * large:
        return False
    shared = jaccard * (small + large) / (1.0 + jaccard)  # |A∩B| from J and the set sizes
    return shared >= CONTAINED * small


def fingerprint_files(root: str, paths: Sequence[str]) -> list[tuple[str, Fingerprint | None]]:
    """The work of one worker task: read and fingerprint posts. A file that cannot be read
    any more gets None, like a text too short to compare."""
    base = Path(root)
    out: list[tuple[str, Fingerprint | None]] = []
    for path in paths:
        try:
            out.append((path, text_fingerprint(read_body(base, path)[0])))
        except Exception as exc:  # one bad file must not stop the rest
            log.info("not comparing %s with other posts: %s", path, exc)
            out.append((path, None))
    return out


# Below this many posts, starting worker processes costs more than it saves.
IN_PROCESS_BELOW = 2000
_CHUNK = 250


def fingerprint_paths(
    root: str | Path,
    paths: Sequence[str],
    workers: int = 2,
    read: Callable[[str], str] | None = None,
) -> Iterator[list[tuple[str, Fingerprint | None]]]:
    """Fingerprints of `paths`, in batches, in order: with `read` (path → body, e.g. the
    facade's `Folder.body`) in this process, else from files under `root`, in `workers`
    processes when there are enough posts to pay for starting them."""
    chunks = [list(paths[i : i + _CHUNK]) for i in range(0, len(paths), _CHUNK)]
    if read is not None:
        for chunk in chunks:
            yield [(p, _read_fingerprint(read, p)) for p in chunk]
        return
    small = len(paths) < IN_PROCESS_BELOW
    yield from map_chunks(
        fingerprint_files, str(root), chunks, workers, in_process=small, what="comparing posts"
    )


def _read_fingerprint(read: Callable[[str], str], path: str) -> Fingerprint | None:
    try:
        return text_fingerprint(read(path))
    except Exception as exc:  # one bad file must not stop the rest
        log.info("not comparing %s with other posts: %s", path, exc)
        return None

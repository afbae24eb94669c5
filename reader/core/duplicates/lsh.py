"""Locality-sensitive hashing of fingerprints in numpy: which posts may be copies of each other.

Owns `BANDS`, `ROWS`, `band_hashes` and `candidate_pairs`. A fingerprint's 128 MinHash slots
are cut into `BANDS` bands of `ROWS` slots, each band folded into one uint64; two posts whose
hashes agree in some band are proposed as a pair, and `fingerprint.similar` decides. Per post
that is BANDS × 8 bytes in one numpy array, where datasketch's `MinHashLSH` kept a bytes key and
a set per band per post (~8 KB a post at 100,000 posts).

Proposals come from sorting each band's hashes: posts with equal hashes form a run. Only runs
holding a "fresh" post (new, changed, or whose links must be checked again) propose pairs, so
adding a few posts to a large folder checks only pairs involving them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reader.core.duplicates.fingerprint import NUM_PERM

# datasketch's `_optimal_param(0.6, 128, 0.5, 0.5)` (what `MinHashLSH(threshold=0.6)` used):
# the (b, r) minimising the equally weighted areas of false positives below Jaccard 0.6 and
# false negatives above it. A pair is proposed with probability 1 - (1 - J**7)**18: 0.58 at
# J = 0.6, 0.91 at 0.7, 0.986 at 0.8 (a copy with a paragraph more), 1.0 at 0.9. Copies are
# confirmed at Jaccard 0.9 or by containment near 0.8, so keeping datasketch's choice keeps
# today's groups. 18 × 7 = 126 of the 128 slots are used.
PROPOSE_AT = 0.6
BANDS = 18
ROWS = 7

# A run of equal band hashes longer than this (hundreds of posts with one identical short text)
# is not turned into all its pairs (a run of 1,000 would be 500,000 checks). Each fresh member is
# instead proposed with the few members before it in the run (ordered by row: the older posts
# first), a chain: equal band hashes over 7 slots almost always mean near-identical texts, so a
# member similar to one neighbour joins the same group as it would through all pairs, and trying
# `CHAIN_TRIES` neighbours (not one) keeps a chain going past an odd post that only shares this
# band. Checks grow linearly with the run.
LARGE_RUN = 32
CHAIN_TRIES = 3

_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_ROLL = np.uint64(0x9E3779B97F4A7C15)

assert BANDS * ROWS <= NUM_PERM

Bands = npt.NDArray[np.uint64]
Pairs = npt.NDArray[np.int64]


def band_hashes(slots: npt.NDArray[np.uint64]) -> Bands:
    """The band hashes (n × BANDS uint64) of n fingerprints' slots (n × NUM_PERM uint64)."""
    slots = np.asarray(slots, dtype=np.uint64).reshape(-1, NUM_PERM)
    out = np.zeros((len(slots), BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(ROWS):
            out *= _ROLL
            out += slots[:, row : BANDS * ROWS : ROWS]  # slot row of every band
            # splitmix64's finaliser after each slot: bands differing in one slot differ all over.
            out ^= out >> np.uint64(30)
            out *= _MIX1
            out ^= out >> np.uint64(27)
            out *= _MIX2
            out ^= out >> np.uint64(31)
    return out


def candidate_pairs(
    bands: Bands, comparable: npt.NDArray[np.bool_], fresh: npt.NDArray[np.bool_]
) -> Pairs:
    """The pairs of rows (i < j, as an m × 2 array, each pair once) that share a band hash,
    among `comparable` rows, with at least one `fresh` row in the pair; runs longer than
    `LARGE_RUN` propose chains instead (see there)."""
    rows = np.flatnonzero(comparable)
    is_fresh = fresh[rows]
    if not is_fresh.any() or len(rows) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    found: list[Pairs] = []
    for band in range(bands.shape[1]):
        keys = bands[rows, band]
        order = np.argsort(keys)
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        lengths = np.diff(np.r_[starts, len(keys)])
        fresh_in_run = np.add.reduceat(is_fresh[order].astype(np.int64), starts)
        proposing = fresh_in_run > 0
        # Runs of two (most of them) at once; longer runs one by one.
        two = starts[proposing & (lengths == 2)]
        if len(two):
            a, b = rows[order[two]], rows[order[two + 1]]
            found.append(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1))
        for start, length in zip(
            starts[proposing & (lengths > 2)].tolist(),
            lengths[proposing & (lengths > 2)].tolist(),
            strict=True,
        ):
            members = np.sort(order[start : start + length])  # in row order: older posts first
            found.append(run_pairs(rows[members], is_fresh[members]))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    # Each pair once (a pair may share several bands): as one int64 each, i * n + j.
    n = np.int64(len(bands))
    codes = np.unique(np.concatenate([p[:, 0] * n + p[:, 1] for p in found]))
    return np.stack([codes // n, codes % n], axis=1)


def run_pairs(members: npt.NDArray[np.int64], fresh: npt.NDArray[np.bool_]) -> Pairs:
    """The pairs one run proposes: all with a fresh member, or a chain for a long run."""
    n = len(members)
    if n <= LARGE_RUN:
        i, j = np.triu_indices(n, k=1)
        keep = fresh[i] | fresh[j]
    else:
        # Each member with the CHAIN_TRIES members before it; kept where either is fresh.
        j = np.repeat(np.arange(n), CHAIN_TRIES)
        i = j - np.tile(np.arange(1, CHAIN_TRIES + 1), n)
        inside = i >= 0
        i, j = i[inside], j[inside]
        keep = fresh[i] | fresh[j]
    a, b = members[i[keep]], members[j[keep]]
    return np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1).astype(np.int64)

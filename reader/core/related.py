"""Related posts: for one post, up to five others, best first — other copies of the same story,
then the posts that share its rarer tags and categories and its distinctive words.

How "similar" is scored, and what it costs (figures in the report and `tests/benchmarks`):

- Copies come first, from an optional `duplicates_of(path) -> [path]` (the duplicates module).
- Labels: each tag and category the post has weighs log(N / posts holding it) / log(N), so a
  label on every post counts for nothing and one on two posts for nearly 1; a candidate's label
  score is the weight it shares (at most 1). The rarest labels' posts are visited first, within
  `LABEL_BUDGET` postings, so a label held by half the archive is never walked.
- Words: the post's CJK character pairs and its words of three letters or more, weighed
  tf × log(N / df), queried as one FTS5 OR query ranked by BM25 (title hits 4x) in the folder's
  full-text index. BM25 reads every hit of every term (about 4-5 µs a hit) and every posting of
  every character in a phrase (about 0.25 µs each), so terms are chosen by score within
  `HIT_BUDGET` estimated hits and `TOKEN_BUDGET` estimated postings. Document frequencies are
  estimated from a fixed sample of `SAMPLE_SIZE` posts read once per library (FTS5's own
  `fts5vocab` counts a term by reading its whole doclist: 4 ms for a common character at
  20,000 posts, too slow to ask about every term).
- A candidate's score is 0.6 × its BM25 relative to the best hit + 0.4 × its label score; ties go
  to the post nearest in time.

Measured (tests/benchmarks/bench_timeline_related.py, a Zipfian folder with 2,000 topics, 2 cores
shared with other work): 20,000 posts — median 11 ms CPU, 98% of results on the post's topic;
100,000 posts — median 18-33 ms, p90 21-44 ms, max 26-49 ms wall, 90% on topic. The budgets
trade cost for quality there: 40,000 postings gave 15 ms and 71%, 150,000 gave 56 ms and 94%.
A single term may not be capped below the budget: a topic's words often hold a common character,
and capping them dropped quality to 25-59%.

Off the GUI thread: a `RelatedFinder` opens its own read-only connection to the index file on
the thread that first uses it, and only reads the library. Use one finder per thread.
"""

from __future__ import annotations

import heapq
import logging
import math
import random
import re
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.errors import PostReaderError
from reader.core.search.query import CJK_CHARS, normalize, strip_markup
from reader.core.table import NO_DATE, PostTable, as_table

if TYPE_CHECKING:
    from reader.core.library import Library
    from reader.core.post import Post

log = logging.getLogger(__name__)

RELATED_LIMIT = 5
SAMPLE_SIZE = 300  # posts read once per library to estimate how common each term is
HIT_BUDGET = 3000  # estimated BM25 hits, summed over the chosen terms (~14 ms)
TOKEN_BUDGET = 80_000  # estimated postings of the characters/words in them (~20 ms)
LABEL_BUDGET = 30_000  # postings of labels visited for label scores (~4 ms)
MAX_TERMS = 16
_CONSIDERED = 200  # best-scored terms whose cost is weighed
TEXT_CANDIDATES = 40  # BM25 hits read back
_TEXT_WEIGHT, _LABEL_WEIGHT = 0.6, 0.4
# A term in more of the sample than this share says little about a post.
_COMMON_SHARE = 0.05
_COMMON_FLOOR = 4
_UNDATED = 1e18  # a timestamp far from every real one: undated posts are "far"

_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_WORD = re.compile(r"[^\W_]{3,}")  # unicode61 keeps letters and digits together


@dataclass(frozen=True, slots=True)
class RelatedPost:
    """One related post: `reason` is "copy" (the same story) or "similar"."""

    path: str
    title: str
    date: datetime | None
    source: str  # the post's first category, "" without one
    reason: str
    score: float

    def to_json(self) -> dict[str, object]:
        """What `post-reader related --json` prints for one post."""
        return {
            "path": self.path,
            "title": self.title,
            "date": self.date.isoformat() if self.date is not None else None,
            "source": self.source,
            "reason": self.reason,
            "score": round(self.score, 4),
        }


# --- terms --------------------------------------------------------------------------------------


def post_terms(text: str) -> Counter[str]:
    """The terms of `text` with their counts: CJK character pairs inside each run (single
    characters say too little) and words of 3+ letters or digits, casefolded (bare numbers are
    left out: dates and figures are in every news post)."""
    norm = normalize(text)
    counts: Counter[str] = Counter()
    for run in _CJK_RUN.findall(norm):
        counts.update(map(str.__add__, run[:-1], run[1:]))  # the pairs, made in C
    for word in _WORD.findall(_CJK_RUN.sub(" ", norm)):
        if not word.isdigit():
            counts[word.casefold()] += 1
    return counts


def term_tokens(term: str) -> tuple[str, ...]:
    """The index tokens of a term: a CJK pair is two (one per character), a word one."""
    return tuple(term) if _CJK_RUN.fullmatch(term) else (term,)


def _fts_term(tokens: tuple[str, ...]) -> str:
    # A CJK pair inside a run is the phrase of its two characters (see query.index_tokens);
    # a word is one FTS5 string, so nothing in it is FTS5 syntax.
    return '"' + " ".join(tokens).replace('"', '""') + '"'


class TermSample:
    """Document frequencies of terms and tokens in a fixed random sample of posts, scaled to the
    library: an estimate good enough to tell rare terms from common ones."""

    def __init__(self, docs: int, sampled: int, terms: Counter[str], tokens: Counter[str]):
        self.docs = docs
        self.sampled = max(sampled, 1)
        self._terms = terms
        self._tokens = tokens
        # A floor of a few sightings: in a small folder a topic's own words fill a few percent.
        self.common_above = max(_COMMON_SHARE * self.sampled, _COMMON_FLOOR)

    @classmethod
    def build(
        cls,
        posts: Sequence[Post],
        text_of: Callable[[Post], str],
        size: int = SAMPLE_SIZE,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> TermSample | None:
        """The sample, or None when `cancelled()` (asked before each post read)."""
        chosen = random.Random(len(posts)).sample(range(len(posts)), min(size, len(posts)))
        terms: Counter[str] = Counter()
        tokens: Counter[str] = Counter()
        read = 0
        for i in chosen:
            if cancelled():
                return None
            try:
                text = text_of(posts[i])
            except (PostReaderError, OSError) as exc:  # a file gone since: sample the rest
                log.debug("related: not sampling %s: %s", posts[i].path, exc)
                continue
            read += 1
            counts = post_terms(text)
            terms.update(counts.keys())
            tokens.update({t for term in counts for t in term_tokens(term)})
        return cls(len(posts), read, terms, tokens)

    def _scaled(self, seen: int) -> float:
        # Half a sighting for terms never seen: rare, but not free.
        return self.docs * (seen + 0.5) / (self.sampled + 1)

    def term_df(self, term: str) -> float:
        return self._scaled(self._terms.get(term, 0))

    def token_df(self, token: str) -> float:
        return self._scaled(self._tokens.get(token, 0))

    def sightings(self, term: str) -> int:
        """In how many sampled posts `term` occurs."""
        return self._terms.get(term, 0)

    def is_common(self, term: str) -> bool:
        return self.sightings(term) > self.common_above


def choose_terms(counts: Counter[str], sample: TermSample) -> list[tuple[str, float]]:
    """The post's most distinctive terms as FTS5 phrases with their tf-idf weight, best first,
    within the hit and token budgets (module docstring)."""
    n = max(sample.docs, 1)
    unit = n / (sample.sampled + 1)  # documents one sighting in the sample stands for
    common = sample.common_above
    seen_in_sample = sample._terms.get  # a bound method call per term is a fifth of the cost
    log = math.log
    # A post has a few thousand distinct terms: score them in one comprehension, then weigh
    # the costs of the best few hundred only.
    scored = [
        ((1 + log(tf)) * log(1 + n / (unit * (seen + 0.5))), seen, term)
        for term, tf in counts.items()
        if (seen := seen_in_sample(term, 0)) <= common
    ]
    chosen: list[tuple[str, float]] = []
    hits = postings = 0.0
    for weight, seen, term in heapq.nlargest(_CONSIDERED, scored):
        tokens = term_tokens(term)
        df = unit * (seen + 0.5)
        cost = sum(sample.token_df(t) for t in tokens)
        if hits + df > HIT_BUDGET or postings + cost > TOKEN_BUDGET:
            continue
        hits += df
        postings += cost
        chosen.append((_fts_term(tokens), weight))
        if len(chosen) >= MAX_TERMS:
            break
    return chosen


# --- labels -------------------------------------------------------------------------------------


class LabelIndex:
    """Posts by category and by tag (ascending post numbers in `array("i")`), of a snapshot of
    the posts. The library keeps the same lookups, but a finder runs on a worker thread while
    the window's thread extends those in place: a snapshot of its own (rebuilt when the
    library changed) is what makes reading them there safe. Made a column at a time, as the
    library's are: as lists of Python ints they held 7 MB at 100,000 posts."""

    def __init__(self, posts: Sequence[Post]) -> None:
        from reader.core.index_columns import by_name  # numpy: not with the core's import

        self.categories, self.tags = by_name(as_table(posts))


def label_scores(post: Post, labels: LabelIndex, docs: int) -> dict[int, float]:
    """Candidates sharing `post`'s labels, each scored by the weight of the labels it shares:
    log(N / posts holding the label) over log(N), so a label on every post adds nothing and one
    on two posts nearly 1 (capped at 1). Rarest labels first, within `LABEL_BUDGET` postings."""
    none: Sequence[int] = ()
    held = [labels.categories.get(c, none) for c in dict.fromkeys(post.categories)]
    held += [labels.tags.get(t, none) for t in dict.fromkeys(post.tags)]
    held = [members for members in held if members]
    if not held or docs < 2:
        return {}
    scale = math.log(docs)
    scores: dict[int, float] = {}
    budget = LABEL_BUDGET
    for members in sorted(held, key=len):
        if len(members) > budget:
            break
        budget -= len(members)
        weight = math.log(docs / len(members)) / scale
        if weight <= 0:
            break  # this label and every later (commoner) one is on every post
        get = scores.get
        for i in members:
            scores[i] = get(i, 0.0) + weight
    if any(s > 1.0 for s in scores.values()):
        return {i: min(s, 1.0) for i, s in scores.items()}
    return scores


# --- the finder ---------------------------------------------------------------------------------


class RelatedFinder:
    """Finds related posts in one library, with its full-text index at `index_path` (None: by
    labels only). `text_of(post)` gives a post's plain text (by default its body, read from the
    folder). Use one finder per thread: its connection belongs to the thread that opened it."""

    def __init__(
        self,
        library: Library,
        index_path: Path | None = None,
        text_of: Callable[[Post], str] | None = None,
        duplicates_of: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        self.library = library
        self.index_path = index_path
        self.text_of = text_of or self._body_text
        self.duplicates_of = duplicates_of
        self._conn: sqlite3.Connection | None = None
        self._sample: TermSample | None = None
        self._labels: LabelIndex | None = None
        self._stamps = array("d")
        self._posts = PostTable()
        self._key = (-1, -1)

    def _body_text(self, post: Post) -> str:
        from reader.core.reading.parse import read_body  # only when reading from the folder

        return strip_markup(read_body(self.library.root, post.path)[0])

    def warm(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Build what the first `related` call would: the label index (~0.1 s at 100,000 posts,
        again after each library change) and the term sample (300 bodies read: ~0.7 s).
        `cancelled()` is asked between the bodies (the window closing; `giving_way` makes it
        wait while the user acts); False when it stopped the sample."""
        self._refresh()
        if self._sample is None:
            self._sample = TermSample.build(
                self.library.posts, self._text_with_title, cancelled=cancelled
            )
        return self._sample is not None

    def _text_with_title(self, post: Post) -> str:
        return f"{post.title}\n{self.text_of(post)}"

    def _refresh(self) -> None:
        lib = self.library
        key = (lib.version, len(lib.posts))
        if key == self._key and self._labels is not None:
            return
        # A snapshot of the library's table: the indexes below keep pointing at the posts they
        # were built from, whatever the library's thread does next.
        posts = self._posts = lib.posts.snapshot()
        self._labels = LabelIndex(posts)
        # An array, not a list: 100,000 float objects are 3 MB.
        self._stamps = _far_undated(posts.stamps())
        # The sample stays good while the library grows by less than a fifth.
        if self._sample is not None and abs(len(posts) - self._sample.docs) > 0.2 * len(posts):
            self._sample = None
        self._key = key

    def _row_of(self, path: str) -> int | None:
        """`path`'s post in the snapshot. The library's own index by path is asked (built once
        by the loader; a second one here took 1.7 s of a million paths hashed in Python): the
        window's thread only adds to it, or renumbers it after posts are removed, so an answer
        is checked against the snapshot, and one that does not match it (a change meanwhile,
        until the next `_refresh`) is no answer."""
        row = self.library.index_of(path)
        posts = self._posts
        if row is None or row >= len(posts) or not posts.has_path(row, path):
            return None
        return row

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is None and self.index_path is not None and self.index_path.exists():
            try:
                conn = sqlite3.connect(f"{self.index_path.resolve().as_uri()}?mode=ro", uri=True)
                conn.execute("PRAGMA query_only = 1")
                self._conn = conn
            except sqlite3.Error as exc:
                log.info("related posts without the index %s: %s", self.index_path, exc)
                self.index_path = None
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def related(self, post: Post | str, limit: int = RELATED_LIMIT) -> list[RelatedPost]:
        """Up to `limit` posts related to `post` (or the post at that path), best first:
        copies of the same story, then similar posts. Never the post itself."""
        self.warm()
        posts = self._posts
        path = post if isinstance(post, str) else post.path
        i = self._row_of(path)
        if i is None:
            return []
        me = posts[i]
        out: list[RelatedPost] = []
        seen = {path}
        for other in self.duplicates_of(path) if self.duplicates_of is not None else ():
            j = self._row_of(other)
            if j is not None and other not in seen and len(out) < limit:
                seen.add(other)
                out.append(_related(posts[j], "copy", 1.0))
        if len(out) >= limit:
            return out
        assert self._labels is not None and self._sample is not None
        scores = {
            j: _LABEL_WEIGHT * s for j, s in label_scores(me, self._labels, len(posts)).items()
        }
        for j, s in self._text_scores(me).items():
            scores[j] = scores.get(j, 0.0) + _TEXT_WEIGHT * s
        for j in map(self._row_of, seen):
            if j is not None:
                scores.pop(j, None)
        if not scores:
            return out
        wanted = limit - len(out)
        # The best scores in C, then only the posts tied with the last of them ordered by
        # closeness in time: thousands can share a category and a tag, and nothing else.
        cut = heapq.nlargest(wanted, scores.values())[-1] - 1e-9
        tied = [j for j, s in scores.items() if s >= cut]
        stamps, here = self._stamps, self._stamps[i]
        tied.sort(key=lambda j: (-round(scores[j], 9), abs(stamps[j] - here)))
        out += [_related(posts[j], "similar", scores[j]) for j in tied[:wanted]]
        return out

    def _text_scores(self, me: Post) -> dict[int, float]:
        """BM25 hits for `me`'s distinctive terms, as a share of the best hit's score."""
        conn = self._connection()
        if conn is None or self._sample is None:
            return {}
        try:
            counts = post_terms(self._text_with_title(me))
        except (PostReaderError, OSError) as exc:
            log.info("related: cannot read %s: %s", me.path, exc)
            return {}
        terms = choose_terms(counts, self._sample)
        if not terms:
            return {}
        # FTS5 has no per-term weights in a query: BM25's own idf weighs the chosen terms.
        match = " OR ".join(t for t, _ in terms)
        try:
            rows = conn.execute(
                "SELECT d.path, f.score FROM (SELECT rowid, bm25(fts, 1.0, 4.0) AS score"
                " FROM fts WHERE fts MATCH ? ORDER BY score LIMIT ?) AS f"
                " JOIN docs AS d ON d.id = f.rowid",
                (match, TEXT_CANDIDATES + 1),
            ).fetchall()
        except sqlite3.Error as exc:
            log.info("related: the index cannot be read (%s); by labels only", exc)
            return {}
        row_of = self._row_of
        hits = [(j, s) for p, s in rows if p != me.path and (j := row_of(p)) is not None]
        if not hits:
            return {}
        best = min(s for _, s in hits)  # BM25 in SQLite: more negative is better
        return {j: s / best for j, s in hits} if best < 0 else {}


def _far_undated(stamps: array[float]) -> array[float]:
    """`stamps` with each `NO_DATE` made `_UNDATED`, by numpy (not a loop over every post)."""
    import numpy as np

    values = np.frombuffer(stamps, dtype=np.float64)
    return array("d", np.where(values == NO_DATE, _UNDATED, values).tobytes())


def _related(post: Post, reason: str, score: float) -> RelatedPost:
    source = post.categories[0] if post.categories else ""
    return RelatedPost(post.path, post.title, post.date, source, reason, score)

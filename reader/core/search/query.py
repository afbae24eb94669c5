"""The token scheme of the full-text index, shared by indexing and querying, and the search box's
little language (words, "phrases", -exclusions, tag:/category: terms) turned into FTS5 queries.

Token scheme (the reasons and figures are in `search.py`'s docstring): every CJK character
(Han, kana, Hangul, Bopomofo) becomes a token of its own, and each run of CJK characters is
followed by one marker token, so a phrase can never join the end of one run to the start of the
next (`市场，监管` must not match the query `市场监管`). A query of any length is then a phrase
of its characters: exact substring matching inside CJK text. Everything else is left to SQLite's
`unicode61` tokenizer (case folding, `remove_diacritics 2`), so English matches whole words.

User text never reaches FTS5 unquoted: each term is one FTS5 string ("..." with `"` doubled),
so quotes, `AND`/`OR`/`NOT`/`NEAR`, `*`, `^`, `:` and parentheses are plain text to it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Han (with extensions and compatibility forms), kana, Bopomofo, Hangul syllables, 々〆〇.
CJK_CHARS = (
    "\u3005-\u3007\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
# A private-use character: unicode61 keeps category Co as a token, and no visible text uses it
# (any in the input is removed first).
RUN_END = "\ue000"

_CJK_RUN = re.compile(f"([{CJK_CHARS}]+)")
_CJK_AT_END = re.compile(f"[{CJK_CHARS}]$")
# Control characters end an FTS5 string early (NUL) and lone surrogates cannot be encoded.
_UNSAFE = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ue000]")
# Full-width ASCII letters and digits (common in Chinese text: ２０２１年) are read as ASCII.
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FULLWIDTH_TABLE = {
    c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)
}


def normalize(text: str) -> str:
    """What both sides tokenize: unsafe characters out, full-width letters and digits as ASCII."""
    text = _UNSAFE.sub(" ", text)
    if _FULLWIDTH.search(text):
        text = text.translate(_FULLWIDTH_TABLE)
    return text


def index_tokens(text: str) -> str:
    """`text` as the string the FTS5 table stores: CJK characters spaced apart, a marker after
    each CJK run, the rest untouched for unicode61."""
    parts = _CJK_RUN.split(normalize(text))
    # Odd items are the CJK runs; a comprehension beats a re.sub callback by about a fifth.
    parts[1::2] = [f" {' '.join(run)} {RUN_END} " for run in parts[1::2]]
    return "".join(parts)


# --- markup to text, for indexing -----------------------------------------------------------------

_INLINE_TAGS = (
    "a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strike"
    "|strong|sub|sup|tt|u|var"
)
# Inline tags vanish so `<b>市场</b>监管` stays one run; every other tag separates like a space.
_DROP = re.compile(
    # Bounded lazy spans: an unclosed `<!--` or `{%` must not make every later one scan to the
    # end of a hostile body (quadratic time while holding the GIL).
    r"<!--.{0,4000}?-->|<(script|style)\b[^>]{0,1000}>.{0,20000}?</\1\s*>"
    r"|\{%.{0,300}?%\}|\{\{.{0,300}?\}\}"
    r"|<(?:https?|ftp|mailto):[^>\s]{0,2000}>",
    re.IGNORECASE | re.DOTALL,
)
_INLINE = re.compile(rf"</?(?:{_INLINE_TAGS})\b[^>]{{0,2000}}>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z!?][^>]{0,2000}>")
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
# Emphasis marks beside CJK text (`**监管**总局`) vanish for the same reason as inline tags.
_MD_MARK_RUN = re.compile("[*_~`]+")
_CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
_ANY_MARK = re.compile("[*_~`]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescape(m: re.Match[str]) -> str:
    return html.unescape(m.group())


def _drop_marks_beside_cjk(text: str) -> str:
    """Remove runs of emphasis marks that touch CJK text, in one linear pass (a lookahead after
    `[*_~`]+` would rescan long runs from every position)."""

    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if (before and _CJK_CHAR.match(before)) or (after and _CJK_CHAR.match(after)):
            return ""
        return m.group(0)

    return _MD_MARK_RUN.sub(repl, text)


def strip_markup(body: str) -> str:
    """The words of a Markdown/HTML body as a reader sees them (for indexing, not rendering):
    tags, comments, scripts, Liquid, link targets and bare autolinks removed, entities decoded."""
    text = _DROP.sub(" ", body)
    if "<" in text:
        text = _INLINE.sub("", text)
        text = _TAG.sub(" ", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if _ANY_MARK.search(text):
        text = _drop_marks_beside_cjk(text)
    if "&" in text:
        text = _ENTITY.sub(_unescape, text)
    return text


# --- the query language --------------------------------------------------------------------------

_LABEL = re.compile(r"(tags?|categor(?:y|ies))[:：]", re.IGNORECASE)  # ASCII or full-width :
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u300c": "\u300d"}  # "…", “…”, 「…」
_SPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class Term:
    """One positive or excluded word or phrase: `fts` is its FTS5 phrase, `text` what was typed."""

    fts: str
    text: str


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A search box's text, parsed. Tag and category values are casefolded."""

    include: tuple[Term, ...] = ()
    exclude: tuple[Term, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    exclude_categories: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: no positive term and no tag/category term at all."""
        return not (self.include or self.tags or self.categories)

    def match(self) -> str | None:
        """The FTS5 expression for the positive terms minus the excluded ones, if any positive."""
        if not self.include:
            return None
        expr = " AND ".join(t.fts for t in self.include)
        if self.exclude:
            expr = f"({expr}) NOT ({self.excluded_match()})"
        return expr

    def excluded_match(self) -> str | None:
        """The FTS5 expression any excluded term matches (used alone when nothing is positive)."""
        if not self.exclude:
            return None
        return " OR ".join(t.fts for t in self.exclude)

    def highlight_terms(self) -> list[str]:
        """What the reading pane should mark: positive words and phrases, as typed, once each."""
        seen: dict[str, None] = {}
        for t in self.include:
            seen.setdefault(t.text, None)
        return list(seen)


def _is_token_char(c: str) -> bool:
    # unicode61's default token characters: categories L*, N* and Co.
    cat = unicodedata.category(c)
    return cat[0] in "LN" or cat == "Co"


def _phrase(text: str, prefix: bool) -> Term | None:
    """The FTS5 phrase for one typed word or quoted phrase, or None when it holds no token."""
    norm = normalize(text).strip()
    if not any(_is_token_char(c) for c in norm):
        return None
    tokens = index_tokens(norm).split()
    if _CJK_AT_END.search(norm):
        # The text may go on after the last character typed: no run-end marker there.
        tokens.pop()
        prefix = False  # a CJK token is one character: nothing can start with it but itself
    fts = '"' + " ".join(tokens).replace('"', '""') + '"' + ("*" if prefix else "")
    return Term(fts, _strip_edges(_UNSAFE.sub(" ", text).strip()) or norm)


def _strip_edges(text: str) -> str:
    start, end = 0, len(text)
    while start < end and not _is_token_char(text[start]):
        start += 1
    while end > start and not _is_token_char(text[end - 1]):
        end -= 1
    return text[start:end]


def _read_value(q: str, i: int) -> tuple[str, int]:
    """A tag:/category: value starting at `i`: quoted, or up to the next space."""
    if i < len(q) and q[i] in _QUOTES:
        close = q.find(_QUOTES[q[i]], i + 1)
        end = len(q) if close < 0 else close
        return q[i + 1 : end], end + 1
    m = _SPACE.search(q, i)
    end = len(q) if m is None else m.start()
    return q[i:end], end


def _label_value(value: str) -> str:
    return " ".join(normalize(value).split()).casefold()


def parse_query(q: str) -> ParsedQuery:
    """Parse what the user typed. Never raises; unknown syntax is searched for as text."""
    include: list[Term] = []
    exclude: list[Term] = []
    labels: dict[tuple[bool, bool], list[str]] = {}  # (excluded, is_tag) -> values
    i, n = 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        negate = q[i] == "-" and i + 1 < n and not q[i + 1].isspace()
        if negate:
            i += 1
        m = _LABEL.match(q, i)
        if m:
            value, i = _read_value(q, m.end())
            value = _label_value(value)
            if value:
                is_tag = m.group(1).lower().startswith("tag")
                labels.setdefault((negate, is_tag), []).append(value)
            continue
        if q[i] in _QUOTES:
            close = q.find(_QUOTES[q[i]], i + 1)
            end = n if close < 0 else close
            term = _phrase(q[i + 1 : end], prefix=False)
            i = end + 1
        else:
            sp = _SPACE.search(q, i)
            end = n if sp is None else sp.start()
            word = q[i:end]
            i = end
            stem = word.rstrip("*")
            prefix = stem != word and bool(stem) and _is_token_char(stem[-1])
            term = _phrase(stem if prefix else word, prefix)
        if term is not None:
            (exclude if negate else include).append(term)
    return ParsedQuery(
        include=tuple(include),
        exclude=tuple(exclude),
        tags=tuple(labels.get((False, True), ())),
        categories=tuple(labels.get((False, False), ())),
        exclude_tags=tuple(labels.get((True, True), ())),
        exclude_categories=tuple(labels.get((True, False), ())),
    )


def label_key(is_tag: bool, value: str) -> str:
    """How one tag or category is written in the index's label column (see `labels_field`)."""
    return ("\x1ft" if is_tag else "\x1fc") + value + "\x1f"


def labels_field(categories: Iterable[str], tags: Iterable[str]) -> str:
    """All of a post's tags and categories in one column, so `instr()` finds an exact label."""
    parts = [label_key(False, _label_value(c)) for c in categories]
    parts += [label_key(True, _label_value(t)) for t in tags]
    return "".join(parts)

"""Pinyin for source names: does a name spell a slug, its initials, its sort key, filter matching.

Owns `spells_slug`, `pinyin_initials`, `pinyin_sort_key` and `matches_source`. Slugs in the first
users' archive were written by a tool that takes the FIRST reading of each character (银行 →
`yinxing`), so a name spells a slug when ANY reading of each character does: pypinyin is asked
for every reading (heteronyms) of one character at a time, never for phrases, whose readings
would follow the words' meaning instead. Lookups are cached per character: 2,000 categories have
only a few thousand distinct characters between them.

pypinyin is imported on first use, not with `reader.core`: it takes ~0.3 s to load its tables.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that take part in a spelling: ASCII letters and digits; everything else in a slug
# (spaces, parentheses, hyphens) is ignored, as are punctuation and spaces in a name.
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _is_han(ch: str) -> bool:
    # CJK Unified Ideographs and their extension A; other blocks are never in source names here.
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "〇"


def normalise_slug(slug: str) -> str:
    """The letters and digits of a slug, lower-cased: what a name's pinyin must spell."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", slug).lower())


@lru_cache(maxsize=20_000)
def readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one Han character (`行` → xing, hang, heng), `ü` written both
    `v` (as pypinyin and xpinyin write it) and `u`; () for a character pypinyin does not know."""
    from pypinyin import Style, pinyin

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    out: list[str] = []
    for reading in found[0] if found else ():
        word = reading.lower()
        if not word.isascii() or not word.isalpha():
            continue
        for variant in (word, word.replace("v", "u")):
            if variant not in out:
                out.append(variant)
    return tuple(out)


@lru_cache(maxsize=20_000)
def _units(name: str) -> tuple[tuple[str, ...], ...]:
    """A name as spelling units: each Han character its readings, each ASCII letter or digit
    itself (lower-cased); spaces, punctuation and other scripts are left out."""
    units: list[tuple[str, ...]] = []
    for ch in unicodedata.normalize("NFKC", name):
        if _is_han(ch):
            found = readings(ch)
            # An unknown character can spell nothing: the name cannot spell any slug.
            units.append(found if found else ("\x00",))
        elif ch.isascii() and ch.isalnum():
            units.append((ch.lower(),))
    return tuple(units)


def spells_slug(name: str, slug: str) -> bool:
    """Whether some reading of each character of `name` spells `slug` (case, spaces and
    punctuation ignored on both sides; Latin letters and digits must match as they are)."""
    target = normalise_slug(slug)
    units = _units(name)
    if not target or not units:
        return False
    positions = {0}
    for options in units:
        positions = {p + len(r) for p in positions for r in options if target.startswith(r, p)}
        if not positions:
            return False
    return len(target) in positions


def has_han(text: str) -> bool:
    """Whether `text` has a Han character: a name, not a re-cased slug."""
    return any(_is_han(ch) for ch in text)


@lru_cache(maxsize=20_000)
def _initial_sets(name: str) -> tuple[frozenset[str], ...]:
    # Each unit's possible first letters: 长 → {z, c}; an ASCII letter or digit stands for itself.
    return tuple(frozenset(r[0] for r in options) for options in _units(name))


def pinyin_initials(name: str) -> str:
    """The first letters of a name's syllables, by each character's most common reading
    (中国市场监管新闻网 → `zgscjgxww`); ASCII letters and digits kept, lower-cased."""
    return "".join(options[0][0] for options in _units(name) if options[0] != "\x00")


def pinyin_sort_key(name: str) -> tuple[str, str]:
    """A key that sorts Chinese names by pinyin (most common reading), Latin names among them
    alphabetically, case-insensitively; the name itself breaks ties."""
    parts: list[str] = []
    for ch in unicodedata.normalize("NFKC", name):
        if _is_han(ch):
            found = readings(ch)
            parts.append((found[0] if found else "~") + " ")
        elif ch.isascii() and ch.isalnum():
            parts.append(ch.lower())
    return ("".join(parts).strip(), name)


def _initials_match(typed: str, sets: tuple[frozenset[str], ...]) -> bool:
    n = len(typed)
    for start in range(len(sets) - n + 1):
        if all(typed[i] in sets[start + i] for i in range(n)):
            return True
    return False


def matches_source(text: str, slug: str, name: str | None) -> bool:
    """Whether a filter field's `text` finds a source: in its name, in its slug (spaces and
    punctuation ignored) or in the initials of its name's syllables, any reading of each
    character (`zgscjg` finds 中国市场监管新闻网). Case-insensitive; empty text finds all."""
    typed = unicodedata.normalize("NFKC", text).strip().lower()
    if not typed:
        return True
    if typed in slug.lower() or (name is not None and typed in name.lower()):
        return True
    compact = _NOT_ALNUM.sub("", typed)
    if not compact or compact != typed.replace(" ", ""):
        return False  # Chinese or punctuation typed: only the name and slug can match it
    if compact in normalise_slug(slug):
        return True
    return name is not None and _initials_match(compact, _initial_sets(name))

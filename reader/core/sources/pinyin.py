"""Pinyin for source names: does a name spell a slug, its initials, its sort key, filter matching.

Owns `spells_slug`, `pinyin_initials`, `pinyin_sort_key` and `matches_source`. Slugs in the first
users' archive were written by a tool that takes the FIRST reading of each character (银行 →
`yinxing`), so a name spells a slug when ANY reading of each character does: pypinyin is asked
for every reading (heteronyms) of one character at a time, never for phrases, whose readings
would follow the words' meaning instead. Lookups are cached per character: 2,000 categories have
only a few thousand distinct characters between them.

pypinyin's character table is loaded on first use, not with `reader.core` (see `_load_char_table`).
"""

from __future__ import annotations

import importlib.util
import logging
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import product
from pathlib import Path

log = logging.getLogger(__name__)

# Characters that take part in a spelling: ASCII letters and digits; everything else in a slug
# (spaces, parentheses, hyphens) is ignored, as are punctuation and spaces in a name.
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def is_han(ch: str) -> bool:
    # CJK Unified Ideographs and their extension A; other blocks are never in source names here.
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "〇"


def normalise_slug(slug: str) -> str:
    """The letters and digits of a slug, lower-cased: what a name's pinyin must spell."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", slug).lower())


class _CharTable:
    """pypinyin's table of readings by code point, as UTF-8 bytes with where each entry's
    readings start and end: loading it adds 1.5 MB, where pypinyin's dict of 42,000 code
    points and strings held 11.5 MB for as long as the window ran."""

    __slots__ = ("_codes", "_data", "_ends", "_starts")

    def __init__(self, data: bytes, codes: array[int], starts: array[int], ends: array[int]):
        self._data, self._codes, self._starts, self._ends = data, codes, starts, ends

    @classmethod
    def from_json(cls, data: bytes) -> _CharTable:
        """From `pinyin_dict.json`'s bytes, kept as they are when the entries come in code
        point order (pypinyin writes them so); else packed by `from_pairs`."""
        codes, starts, ends = array("I"), array("I"), array("I")
        for m in _JSON_ENTRY.finditer(data):
            code = int(m.group(1))
            if codes and code <= codes[-1]:
                entries = _JSON_ENTRY.finditer(data)
                return cls.from_pairs((int(e.group(1)), e.group(2).decode()) for e in entries)
            codes.append(code)
            starts.append(m.start(2))
            ends.append(m.end(2))
        return cls(data, codes, starts, ends)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, str]]) -> _CharTable:
        """From (code point, readings) pairs in any order (an older pypinyin's dict)."""
        codes, starts, ends = array("I"), array("I"), array("I")
        parts: list[bytes] = []
        offset = 0
        for code, value in sorted(pairs):
            encoded = value.encode()
            codes.append(code)
            starts.append(offset)
            offset += len(encoded)
            ends.append(offset)
            parts.append(encoded)
        return cls(b"".join(parts), codes, starts, ends)

    def __len__(self) -> int:
        return len(self._codes)

    def get(self, code: int, default: str = "") -> str:
        i = bisect_left(self._codes, code)
        if i == len(self._codes) or self._codes[i] != code:
            return default
        return self._data[self._starts[i] : self._ends[i]].decode()


# One entry of pypinyin's `pinyin_dict.json`: "12295": "líng,yuán,xīng".
_JSON_ENTRY = re.compile(rb'"(\d+)"\s*:\s*"([^"\\]*)"')


def _load_char_table() -> _CharTable | None:
    """pypinyin's table of every character's readings (code point → "xíng,háng,…"), read on
    its own: importing the package also loads its phrase table (1.1 s against 0.2 s for the
    character table alone, and 58 MB). Read from `pinyin_dict.json` entry by entry, never as
    a whole dict; from `pinyin_dict.py` where an older pypinyin keeps the table there. None
    when neither can be read (a frozen build, another layout): `readings` then asks pypinyin's
    API."""
    try:
        spec = importlib.util.find_spec("pypinyin")
        if spec is None or spec.origin is None:
            return None
        json_path = Path(spec.origin).with_name("pinyin_dict.json")
        if json_path.is_file():
            table = _CharTable.from_json(json_path.read_bytes())
            return table if len(table) > 20_000 else None  # not the layout this reads
        path = Path(spec.origin).with_name("pinyin_dict.py")
        table_spec = importlib.util.spec_from_file_location("_post_reader_pinyin_dict", path)
        if table_spec is None or table_spec.loader is None:
            return None
        module = importlib.util.module_from_spec(table_spec)
        table_spec.loader.exec_module(module)
        found = getattr(module, "pinyin_dict", None)
    except (ImportError, OSError, SyntaxError, UnicodeDecodeError) as exc:
        log.info("pypinyin's character table not loaded on its own (%s); using its API", exc)
        return None
    if not isinstance(found, dict):
        return None
    return _CharTable.from_pairs((c, v) for c, v in found.items() if isinstance(v, str))


_TABLE: list[_CharTable | None] = []


def _toneless(reading: str) -> str:
    # Tone marks are combining marks after NFD; ü (u + diaeresis) is written v, as pypinyin's
    # NORMAL style and the archive's slug tool write it.
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _raw_readings(ch: str) -> list[str]:
    if not _TABLE:
        _TABLE.append(_load_char_table())
    table = _TABLE[0]
    if table is not None:
        return [_toneless(r) for r in table.get(ord(ch), "").split(",") if r]
    from pypinyin import Style, pinyin

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return list(found[0]) if found else []


@lru_cache(maxsize=20_000)
def readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one Han character (`行` → xing, hang, heng), most common first,
    `ü` written both `v` (as pypinyin and xpinyin write it) and `u`; () for an unknown one."""
    out: list[str] = []
    for reading in _raw_readings(ch):
        word = reading.lower()
        if not word.isascii() or not word.isalpha():
            continue
        for variant in (word, word.replace("v", "u")):
            if variant not in out:
                out.append(variant)
    return tuple(out)


_UNKNOWN = ("\x00",)  # an unknown character spells nothing, so its name spells no slug


@lru_cache(maxsize=50_000)
def _char_unit(ch: str) -> tuple[str, ...]:
    """What one (NFKC) character of a name may spell: a Han character its readings, an ASCII
    letter or digit itself, lower-cased; () for spaces, punctuation and other scripts."""
    code = ord(ch)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or code == 0x3007:
        return readings(ch) or _UNKNOWN
    if code < 128 and ch.isalnum():
        return (ch.lower(),)
    return ()


@lru_cache(maxsize=20_000)
def _units(name: str) -> tuple[tuple[str, ...], ...]:
    """A name as spelling units (see `_char_unit`), the ignored characters left out."""
    return tuple(u for u in map(_char_unit, unicodedata.normalize("NFKC", name)) if u)


_normalised_slug = lru_cache(maxsize=20_000)(normalise_slug)


def spells_slug(name: str, slug: str) -> bool:
    """Whether some reading of each character of `name` spells `slug` (case, spaces and
    punctuation ignored on both sides; Latin letters and digits must match as they are)."""
    target = _normalised_slug(slug)
    if not target:
        return False
    # Character by character, so that a wrong candidate (most category pages) fails at its
    # first or second character without the rest being looked up.
    positions = {0}
    spelt = False
    for ch in unicodedata.normalize("NFKC", name):
        options = _char_unit(ch)
        if not options:
            continue
        spelt = True
        positions = {p + len(r) for p in positions for r in options if target.startswith(r, p)}
        if not positions:
            return False
    return spelt and len(target) in positions


def has_han(text: str) -> bool:
    """Whether `text` has a Han character: a name, not a re-cased slug."""
    return any(is_han(ch) for ch in text)


@lru_cache(maxsize=20_000)
def _initial_sets(name: str) -> tuple[frozenset[str], ...]:
    # Each unit's possible first letters: 长 → {z, c}; an ASCII letter or digit stands for itself.
    return tuple(frozenset(r[0] for r in options) for options in _units(name))


def pinyin_initials(name: str) -> str:
    """The first letters of a name's syllables, by each character's most common reading
    (中国市场监管新闻网 → `zgscjgxww`); ASCII letters and digits kept, lower-cased."""
    return "".join(options[0][0] for options in _units(name) if options[0] != "\x00")


class _SortUnits(dict[int, str | None]):
    """`str.translate` table for `pinyin_sort_key`, filled as characters are met: a Han
    character to its most common reading and a space ("~ " when unknown), an ASCII letter or
    digit to itself lower-cased, anything else to nothing. One C call a title instead of a
    Python loop: the A-Z order of 100,000 Chinese titles is built several times faster."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        if is_han(ch):
            found = readings(ch)
            unit: str | None = (found[0] if found else "~") + " "
        elif ch.isascii() and ch.isalnum():
            unit = ch.lower()
        else:
            unit = None
        self[code] = unit
        return unit


_SORT_UNITS = _SortUnits()


def pinyin_sort_head(name: str) -> str:
    """`pinyin_sort_key(name)[0][:1]` without building the whole key ("" when it is empty)."""
    for ch in unicodedata.normalize("NFKC", name):
        unit = _SORT_UNITS[ord(ch)]
        if unit:
            return unit[0]
    return ""


def pinyin_sort_key(name: str) -> tuple[str, str]:
    """A key that sorts Chinese names by pinyin (most common reading), Latin names among them
    alphabetically, case-insensitively; the name itself breaks ties."""
    return (unicodedata.normalize("NFKC", name).translate(_SORT_UNITS).strip(), name)


_MAX_SPELLINGS = 16  # a name's initials spelt out at most this many ways


@lru_cache(maxsize=20_000)
def _initials_of(name: str) -> tuple[str, tuple[frozenset[str], ...] | None]:
    # Every spelling of the initials, one a line, when a name has few (then a substring test
    # answers: the typed text has no line break); else the sets, for the any-reading match.
    sets = _initial_sets(name)
    variants = 1
    for options in sets:
        variants *= len(options)
    if variants > _MAX_SPELLINGS:
        return "", sets
    return "\n".join("".join(letters) for letters in product(*map(sorted, sets))), None


def _initials_match(typed: str, sets: tuple[frozenset[str], ...]) -> bool:
    n = len(typed)
    for start in range(len(sets) - n + 1):
        if all(typed[i] in sets[start + i] for i in range(n)):
            return True
    return False


class SourceMatcher:
    """`matches_source` for one typed text, tried against many sources (a filter field's
    keystroke against every category): the text is normalised once, not once per source."""

    __slots__ = ("_compact", "_typed")

    def __init__(self, text: str) -> None:
        typed = unicodedata.normalize("NFKC", text).strip().lower()
        compact = _NOT_ALNUM.sub("", typed)
        self._typed = typed
        # Chinese or punctuation typed: only the name and slug can match it.
        self._compact = compact if compact and compact == typed.replace(" ", "") else ""

    def __call__(self, slug: str, name: str | None) -> bool:
        typed = self._typed
        if not typed:
            return True
        if typed in slug.lower() or (name is not None and typed in name.lower()):
            return True
        compact = self._compact
        if not compact:
            return False
        if compact in _normalised_slug(slug):
            return True
        if name is None:
            return False
        plain, sets = _initials_of(name)
        return compact in plain if sets is None else _initials_match(compact, sets)


def prepare_matching(
    sources: Iterable[tuple[str, str | None]], cancelled: Callable[[], bool] = lambda: False
) -> int:
    """Work out now, on any thread, what `SourceMatcher` tries for each (slug, name) of
    `sources`: the slug as compared and the initials of the name's syllables (both kept). The
    first keystroke in a filter field otherwise does it for every category and tag at once
    (2,000 of each: about 0.1 s of the window's thread, the character table's load included).
    Stops when `cancelled()` (asked every 64); how many were prepared."""
    done = 0
    for slug, name in sources:
        if done % 64 == 0 and cancelled():
            break
        _normalised_slug(slug)
        if name is not None:
            _initials_of(name)
        done += 1
    return done


def matches_source(text: str, slug: str, name: str | None) -> bool:
    """Whether a filter field's `text` finds a source: in its name, in its slug (spaces and
    punctuation ignored) or in the initials of its name's syllables, any reading of each
    character (`zgscjg` finds 中国市场监管新闻网). Case-insensitive; empty text finds all."""
    return SourceMatcher(text)(slug, name)

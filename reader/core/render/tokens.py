"""A linear-time HTML tokenizer, and the plain-text and search-hit views built on it.

Owns: `tokenize`, which splits HTML into tags, text, comments and raw text the way html5ever
(the parser inside nh3) does, state for state where it matters (quoted attribute values, raw
text elements, comments, a tag left open at the end); `parse_attributes`; `html_to_text`;
`highlight_terms`; `break_long_runs`.

Every function here is one pass with bounded work per token: none of it may turn quadratic on
hostile input, since the renderer promises to finish 2 MB in well under two seconds.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Final

TEXT: Final = 0
START: Final = 1
END: Final = 2
COMMENT: Final = 3
RAWTEXT: Final = 4
BROKEN: Final = 5  # the rest of the input after a tag that never ends (html5ever drops it)

# (kind, name, attribute text, raw source); name and attribute text are "" where meaningless.
Token = tuple[int, str, str, str]

# The attribute part of a tag, state for state as the HTML tokenizer reads it: a quote only
# opens a value right after `=`, an unclosed quote runs to the end of the input. Possessive
# quantifiers keep it linear whatever the input.
_ATTRS = (
    r"""(?:[\t\n\f\r /]++"""
    r"""|[^\t\n\f\r />][^\t\n\f\r />=]*+"""
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"?|'[^']*+'?|[^\t\n\f\r >"'][^\t\n\f\r >]*+)?)?"""
    r""")*+"""
)
# One search finds the next tag-like thing: (slash, tag name, attributes, '>' or '' at the end
# of the input), or '<!--', or a bogus comment ('<!x', '<?x', '</x' with x not a letter).
TOKEN = re.compile(r"<(?:(/?)([A-Za-z][^\t\n\f\r />]*)(" + _ATTRS + r")(>?)|(!--)|([!?]|/))")
_ATTR_PAIR = re.compile(
    r"""([^\t\n\f\r />=][^\t\n\f\r />=]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]+)))?"""
)

# Elements whose content the tokenizer does not read as markup.
RAWTEXT_ELEMENTS: Final = frozenset(
    {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"}
)
VOID_ELEMENTS: Final = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image",
        "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip


@lru_cache(maxsize=32)
def rawtext_end(name: str) -> re.Pattern[str]:
    """Finds the end tag that ends raw text started by `<name>`."""
    return re.compile(r"</" + re.escape(name) + r"(?=[\t\n\f\r />])", re.IGNORECASE)


def comment_end(markup: str, i: int, comment: bool, bogus: str | None) -> int:
    """Where a comment (`<!--`) or bogus comment (`<!x`, `<?x`, `</x`) starting at i ends."""
    n = len(markup)
    if comment:
        if markup.startswith("<!-->", i):
            return i + 5
        if markup.startswith("<!--->", i):
            return i + 6
        j = markup.find("-->", i + 4)
        return n if j < 0 else j + 3
    if bogus == "/" and markup.startswith("</>", i):
        return i + 3
    j = markup.find(">", i + 2)
    return n if j < 0 else j + 1


def tokenize(markup: str) -> Iterator[Token]:
    """Yield the tokens of `markup`; concatenating their raw source gives back the input."""
    n = len(markup)
    pos = 0
    search = TOKEN.search
    while pos < n:
        m = search(markup, pos)
        if m is None:
            yield (TEXT, "", "", markup[pos:])
            return
        i = m.start()
        if i > pos:
            yield (TEXT, "", "", markup[pos:i])
        slash, tag, attrs, gt, comment, bogus = m.groups()
        if tag is not None:
            if not gt:  # the tag runs to the end of the input
                yield (BROKEN, "", "", markup[i:])
                return
            pos = m.end()
            name = tag.lower()
            if slash:
                yield (END, name, "", markup[i:pos])
                continue
            yield (START, name, attrs, markup[i:pos])
            if name in RAWTEXT_ELEMENTS:
                em = rawtext_end(name).search(markup, pos)
                stop = n if em is None else em.start()
                yield (RAWTEXT, name, "", markup[pos:stop])
                pos = stop
            elif name == "plaintext":
                yield (RAWTEXT, name, "", markup[pos:])
                return
            continue
        if bogus == "/" and i + 2 >= n:
            yield (TEXT, "", "", "</")
            return
        end = comment_end(markup, i, bool(comment), bogus)
        yield (COMMENT, "", "", markup[i:end])
        pos = end


def parse_attributes(attr_text: str) -> list[tuple[str, str]]:
    """(lower-cased name, decoded value) pairs of a tag's attribute text, first one wins."""
    seen: set[str] = set()
    result: list[tuple[str, str]] = []
    for m in _ATTR_PAIR.finditer(attr_text):
        name = m.group(1).lower()
        if name in seen:
            continue
        seen.add(name)
        value = m.group(2)
        if value is None:
            value = m.group(3)
        if value is None:
            value = m.group(4) or ""
        result.append((name, htmllib.unescape(value) if "&" in value else value))
    return result


# ---------------------------------------------------------------------------------------------
# Plain text

_BLOCKS: Final = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl",
        "table", "tr", "section", "article", "header", "footer", "figure", "figcaption",
        "details", "summary", "hr", "center", "caption", "dt", "dd", "li", "thead", "tbody",
        "tfoot", "address", "aside", "nav", "main", "form", "fieldset",
    }
)  # fmt: skip
_SKIP_TEXT_OF: Final = frozenset({"script", "style", "template", "title", "textarea", "noscript"})
_WS_RUN = re.compile(r"\s+")


class _TextWriter:
    """Collects text with pending line breaks, so block edges never stack up blank lines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0  # newlines owed before the next text: 1 = line break, 2 = blank line
        self.trim = True  # drop leading blanks of the next text (line start, after a bullet)
        self.after_prefix = False  # a bullet was just written: its item goes on the same line

    def brk(self, level: int) -> None:
        if self.parts and not self.after_prefix:
            self.pending = max(self.pending, level)
            self.trim = True

    def write(self, text: str, *, pre: bool = False) -> None:
        if not pre:
            text = _WS_RUN.sub(" ", text)
            if self.trim:
                text = text.lstrip(" ")
        if not text:
            return
        if self.pending:
            self.parts.append("\n" * self.pending)
            self.pending = 0
        self.parts.append(text)
        self.trim = text.endswith("\n")
        self.after_prefix = False

    def prefix(self, text: str) -> None:
        """A bullet or similar: what follows on the line belongs to it, without a break."""
        self.write(text, pre=True)
        self.trim = True
        self.after_prefix = True

    def result(self) -> str:
        text = "".join(self.parts)
        lines = [line.rstrip() for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


_LINE_BLOCKS: Final = frozenset({"li", "tr", "dt", "dd", "thead", "tbody", "tfoot"})


def html_to_text(markup: str) -> str:
    """Readable plain text of an HTML fragment: blocks separated by blank lines, list items
    as '- item', table cells joined with ' | ', links as 'text <url>'."""
    w = _TextWriter()
    pre_depth = 0
    list_depth = 0
    skip = ""
    links: list[tuple[str, int]] = []  # (href, index in w.parts where the link text starts)
    cells_in_row = 0
    for kind, name, attrs, raw in tokenize(markup):
        if skip:
            if kind == END and name == skip:
                skip = ""
            continue
        if kind == TEXT:
            w.write(htmllib.unescape(raw) if "&" in raw else raw, pre=pre_depth > 0)
        elif kind == START:
            if name in _SKIP_TEXT_OF:
                skip = name
            elif name == "br":
                if w.parts and not w.after_prefix:
                    w.pending = min(w.pending + 1, 2)  # two breaks in a row make a blank line
                    w.trim = True
            elif name == "li":
                w.brk(1)
                w.prefix("  " * max(list_depth - 1, 0) + "- ")
            elif name in ("td", "th"):
                if cells_in_row:
                    if w.parts:
                        w.parts[-1] = w.parts[-1].rstrip(" ")
                    w.prefix(" | ")
                cells_in_row += 1
            elif name in _BLOCKS:
                w.brk(1 if name in _LINE_BLOCKS or list_depth else 2)
                if name == "tr":
                    cells_in_row = 0
                elif name in ("ul", "ol"):
                    list_depth += 1
                elif name == "pre":
                    pre_depth += 1
                elif name == "hr":
                    w.write("----", pre=True)
                    w.brk(2)
            elif name == "img":
                alt = dict(parse_attributes(attrs)).get("alt", "").strip()
                w.write(f"[image: {alt}]" if alt else "[image]")
            elif name == "a":
                links.append((dict(parse_attributes(attrs)).get("href", ""), len(w.parts)))
        elif kind == END:
            if name == "a" and links:
                href, start = links.pop()
                shown = "".join(w.parts[start:]).strip()
                if href and not href.startswith("#") and shown != href:
                    w.write(f" <{href}>" if shown else href, pre=bool(shown))
            elif name in ("ul", "ol"):
                list_depth = max(list_depth - 1, 0)
                w.brk(1 if list_depth else 2)
            elif name == "pre":
                pre_depth = max(pre_depth - 1, 0)
                w.brk(2)
            elif name in _BLOCKS:
                w.brk(1 if name in _LINE_BLOCKS or list_depth else 2)
        elif kind == RAWTEXT and name in ("xmp", "plaintext"):
            w.write(raw, pre=True)
    return w.result().replace(ZWSP, "")


# ---------------------------------------------------------------------------------------------
# Search hits

MAX_HIGHLIGHT_TERMS: Final = 64


def highlight_terms(markup: str, terms: Sequence[str]) -> str:
    """Wrap case-insensitive occurrences of each term in text (never in tags or attribute
    values) with `<span class="hit">`; longer terms win where terms overlap."""
    cleaned = sorted(
        {t.strip() for t in terms if isinstance(t, str) and t.strip()}, key=len, reverse=True
    )[:MAX_HIGHLIGHT_TERMS]
    if not cleaned or not markup:
        return markup
    pattern = re.compile("|".join(re.escape(t) for t in cleaned), re.IGNORECASE)
    out: list[str] = []
    for kind, _name, _attrs, raw in tokenize(markup):
        if kind != TEXT:
            out.append(raw)
            continue
        text = htmllib.unescape(raw) if "&" in raw else raw
        if pattern.search(text) is None:
            out.append(raw)
            continue
        last = 0
        for m in pattern.finditer(text):
            out.append(htmllib.escape(text[last : m.start()], quote=False))
            out.append('<span class="hit">')
            out.append(htmllib.escape(m.group(0), quote=False))
            out.append("</span>")
            last = m.end()
        out.append(htmllib.escape(text[last:], quote=False))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Line-break opportunities for Qt

ZWSP: Final = "\u200b"
# Qt's line breaking is quadratic in the length of a run of text it cannot break (measured with
# offscreen Qt 6.11: 100,000 characters 1.2 s, 200,000 about 5 s, 2,000,000 about ten minutes).
# A run longer than LONG_RUN_CHARS gets a zero-width space every BREAK_EVERY characters: no
# real text has such runs, and no stretch Qt sees is then longer than 3,000 characters.
LONG_RUN_CHARS: Final = 2_000
BREAK_EVERY: Final = 1_000
_BREAK_CLASS = " \t\n\r\f\u200b"  # what Qt breaks at for sure (not U+00A0)
_BREAK_SPLIT = re.compile(f"([{_BREAK_CLASS}]+)")
# Tried only where a run starts, so the search stays linear.
_LONG_RUN = re.compile(f"(?<![^{_BREAK_CLASS}])[^{_BREAK_CLASS}]{{{LONG_RUN_CHARS}}}")
_ANY_TAG = re.compile(r"<[^<>]*>")
# Elements that start a new block (or cell) in Qt's layout, ending the run before them.
_RUN_ENDS: Final = _BLOCKS | {"br", "td", "th", "img"}


def _break_text(text: str, run: int) -> tuple[str, int, bool]:
    """`text` with zero-width spaces in runs that grow past LONG_RUN_CHARS, given `run`
    unbreakable characters before it; (text, run length after it, changed?)."""
    parts = _BREAK_SPLIT.split(text)
    changed = False
    for i in range(0, len(parts), 2):
        if i:
            run = 0  # a separator precedes this piece
        seg = parts[i]
        n = len(seg)
        if run + n <= LONG_RUN_CHARS:
            run += n
            continue
        # Cut where the run reaches a multiple of BREAK_EVERY (offset 0: before this piece).
        first = (BREAK_EVERY - run % BREAK_EVERY) % BREAK_EVERY
        cuts = range(first if first or run else BREAK_EVERY, n, BREAK_EVERY)
        pieces = []
        prev = 0
        for cut in cuts:
            pieces.append(seg[prev:cut])
            prev = cut
        pieces.append(seg[prev:])
        parts[i] = ZWSP.join(pieces)
        run = n - prev
        changed = True
    return ("".join(parts) if changed else text), run, changed


def break_long_runs(markup: str) -> str:
    """Give Qt a chance to break lines at least every few thousand characters of text (see
    LONG_RUN_CHARS); markup without such runs is returned unchanged."""
    if _LONG_RUN.search(_ANY_TAG.sub("", markup)) is None:
        return markup
    out: list[str] = []
    run = 0
    for kind, name, _attrs, raw in tokenize(markup):
        if kind == TEXT:
            text = htmllib.unescape(raw) if "&" in raw else raw
            text, run, changed = _break_text(text, run)
            out.append(htmllib.escape(text, quote=False) if changed else raw)
        else:
            if kind in (START, END) and name in _RUN_ENDS:
                run = 0
            out.append(raw)
    return "".join(out)

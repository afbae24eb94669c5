"""The shape of the HTML handed to the sanitiser and then to Qt.

Owns `shape`, one linear pass over the tokens of a body's HTML, run *before* nh3, that
- follows the tree html5ever (nh3's parser) will build, including what it closes implicitly
  (`<p>`, `<li>`, table cells ...) and the table sections it inserts, and writes every close
  out as an explicit end tag, so the HTML nh3 sees is balanced and nests exactly as modelled;
- flattens what Qt's layout cannot take: elements deeper than 32 levels (tags dropped, text
  kept) and tables inside more than 4 tables;
- drops what nh3 would drop anyway (scripts, forms, SVG ... with their content; unknown tags
  around their content; comments), so it costs nothing later;
- rewrites links and replaces images (`render_urls`) and checks attribute values.

Why before nh3: html5ever's scope checks walk the stack of open elements, so deep input is
quadratic there (100,000 nested `<div>` take it 40 s); here the stack never exceeds a few
hundred entries. `max_nesting` then checks nh3's output cheaply and `flatten` repairs it should
the model ever disagree with html5ever, so the bound holds regardless.
"""

from __future__ import annotations

import re
from typing import Final

from reader.core.render.tokens import (
    END,
    RAWTEXT_ELEMENTS,
    START,
    TOKEN,
    VOID_ELEMENTS,
    comment_end,
    rawtext_end,
    tokenize,
)
from reader.core.render.urls import UrlPolicy

MAX_DEPTH: Final = 32
MAX_TABLE_DEPTH: Final = 4
MAX_STACK: Final = 256  # open elements followed one by one; deeper ones only counted
# Start tags honoured; the rest of a body with more is shown as text (stripped of its tags):
# each tag costs microseconds of Python here, and 2 MB can hold 400,000 of them; Qt then needs
# about 25 s per million blocks to show them (200,000 one-word paragraphs took 4.8 s to open
# with 100,000 tags, 2.1 s with 50,000).
MAX_TAGS: Final = 50_000
# html5ever grows a text node quadratically in the '&' and U+00A0 it holds (400,000 '&amp;' in
# one node take nh3 1.2 s, in nodes of 1,000 0.2 s): an empty comment, which nh3 strips, ends
# the node after this many.
REFS_PER_TEXT_NODE: Final = 1000
_TEXT_SLICE: Final = 2048

ALLOWED_TAGS: Final = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li",
        "dl", "dt", "dd", "blockquote", "pre", "code", "kbd", "samp", "var", "em", "strong",
        "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "span", "div",
        "section", "article", "header", "footer", "figure", "figcaption", "table", "thead",
        "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "details", "summary",
        "center", "font", "ruby", "rt", "rp", "cite", "q", "time",
    }
)  # fmt: skip
# Dropped with everything inside them.
DROPPED_WITH_CONTENT: Final = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "form", "meta", "link", "noscript",
        "template", "svg", "math", "title", "textarea", "select", "button", "input",
        "noembed", "noframes", "applet", "frameset", "frame",
    }
)  # fmt: skip
_SKIP_NESTED: Final = DROPPED_WITH_CONTENT - RAWTEXT_ELEMENTS - VOID_ELEMENTS

_CLOSES_P: Final = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
        "div", "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "hr",
        "main", "menu", "nav", "ol", "p", "section", "summary", "table", "ul", "pre",
        "listing", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "search",
    }
)  # fmt: skip
_BUTTON_SCOPE: Final = frozenset(
    {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button"}
)
# The HTML spec's "special" elements: a new `li` closes an open one only when none of these
# (except address, div, p) lies between them. Likewise for dd/dt.
_SPECIAL: Final = frozenset(
    {
        "address", "applet", "article", "aside", "blockquote", "body", "caption", "center",
        "colgroup", "dd", "details", "dir", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "html",
        "li", "listing", "main", "marquee", "menu", "nav", "ol", "p", "plaintext", "pre",
        "search", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "ul", "xmp",
    }
)  # fmt: skip
_P: Final = frozenset({"p"})
_LI: Final = frozenset({"li"})
_DD_DT: Final = frozenset({"dd", "dt"})
_TABLE_SCOPE: Final = frozenset({"html", "table", "template"})
_LI_STOP: Final = _SPECIAL - {"address", "div", "p", "li"}
_DD_STOP: Final = _SPECIAL - {"address", "div", "p", "dd", "dt"}
_HEADINGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SECTIONS: Final = frozenset({"tbody", "thead", "tfoot"})
_CELLS: Final = frozenset({"td", "th"})
_TABLE_PARTS: Final = frozenset(
    {"tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"}
)
# What a new table part closes: the innermost open table part, while it is one of these.
_TABLE_CLOSES: Final[dict[str, frozenset[str]]] = {
    "td": _CELLS,
    "th": _CELLS,
    "tr": _CELLS | {"tr"},
    "tbody": _CELLS | {"tr"} | _SECTIONS,
    "thead": _CELLS | {"tr"} | _SECTIONS,
    "tfoot": _CELLS | {"tr"} | _SECTIONS,
    "caption": _CELLS | {"tr"} | _SECTIONS | {"caption", "colgroup"},
    "colgroup": _CELLS | {"tr"} | _SECTIONS | {"caption", "colgroup"},
}
_TABLE_STRUCTURE: Final = _TABLE_PARTS | {"table"}
# Levels an element needs below it to be worth keeping: a table with no room for its rows and
# cells would be an empty box.
_ROOM: Final[dict[str, int]] = {
    "table": 3, "thead": 2, "tbody": 2, "tfoot": 2, "tr": 1, "colgroup": 1,
    "ul": 1, "ol": 1, "dl": 1,
}  # fmt: skip
_FLATTENED_BLOCKS: Final = frozenset(
    {
        "p", "div", "li", "dt", "dd", "tr", "table", "blockquote", "pre", "h1", "h2", "h3",
        "h4", "h5", "h6", "section", "article", "header", "footer", "figure", "figcaption",
        "details", "summary", "center", "caption", "ul", "ol", "dl",
    }
)  # fmt: skip


class _Shaper:
    def __init__(self, urls: UrlPolicy) -> None:
        self.urls = urls
        self.out: list[str] = []
        self.names: list[str] = []  # open elements as the source nests them, kept or not
        self.kept: list[bool] = []
        self.counts: dict[str, int] = {}  # of each name in `names`: membership without a scan
        self.depth = 0  # kept elements open
        self.tables: list[bool] = []  # every open table: kept?
        self.kept_tables = 0
        self.links = 0  # kept <a> open
        self.ghosts: dict[str, int] = {}  # opened past MAX_STACK, by name
        self.too_many_tags = False
        self.refs = 0  # '&' and U+00A0 written since the last text-node break

    def text(self, raw: str) -> None:
        count = raw.count("&") + raw.count("\xa0")
        if count:
            self.refs += count
            if self.refs > REFS_PER_TEXT_NODE:
                self.out.append("<!---->")
                self.refs = count
                if count > REFS_PER_TEXT_NODE:
                    raw = _split_text(raw)
        self.out.append(raw)

    # -- output -------------------------------------------------------------------------------

    def separator(self, text: str) -> None:
        """What stands for a flattened block or cell, so its words do not run together."""
        if self.out and self.out[-1] not in ("<br>", " "):
            self.out.append(text)

    def close_through(self, index: int) -> None:
        names, kept, counts = self.names, self.kept, self.counts
        for k in range(len(names) - 1, index - 1, -1):
            name = names[k]
            counts[name] -= 1
            if name == "table":
                self.kept_tables -= self.tables.pop()
            if kept[k]:
                self.depth -= 1
                if name == "a":
                    self.links -= 1
                self.out.append(f"</{name}>")
            elif name in _CELLS:
                self.separator(" ")
            elif name in _FLATTENED_BLOCKS:
                self.separator("<br>")
        del names[index:]
        del kept[index:]
        self.ghosts.clear()  # they were inside what just closed

    def find_open(self, targets: frozenset[str], stop: frozenset[str]) -> int:
        names = self.names
        for k in range(len(names) - 1, -1, -1):
            if names[k] in targets:
                return k
            if names[k] in stop:
                return -1
        return -1

    # -- html5ever's implied ends -------------------------------------------------------------

    def implied_closes(self, name: str) -> None:
        """Close what html5ever closes when `name` starts, and never more: a model nesting
        less deeply than html5ever would let hostile input past the bound."""
        names = self.names
        counts = self.counts
        if name in _CLOSES_P and counts.get("p"):
            k = self.find_open(_P, _BUTTON_SCOPE)
            if k >= 0:
                self.close_through(k)
        if name == "li":
            if counts.get("li"):
                k = self.find_open(_LI, _LI_STOP)
                if k >= 0:
                    self.close_through(k)
        elif name == "dd" or name == "dt":
            if counts.get("dd") or counts.get("dt"):
                k = self.find_open(_DD_DT, _DD_STOP)
                if k >= 0:
                    self.close_through(k)
        elif name in _HEADINGS:
            if names and names[-1] in _HEADINGS:
                self.close_through(len(names) - 1)
        elif name in _TABLE_CLOSES:
            closes = _TABLE_CLOSES[name]
            # The innermost table-structure element decides (a cell closes a cell, and so on).
            for k in range(len(names) - 1, -1, -1):
                if names[k] in _TABLE_STRUCTURE:
                    if names[k] in closes:
                        self.close_through(k)
                        continue
                    break

    def insert_table_wrappers(self, name: str) -> None:
        """html5ever puts rows in a tbody and cells in a row; do it here so depth is exact."""
        if not self.names:
            return
        top = self.names[-1]
        if name in _CELLS and top in ("table", "tbody", "thead", "tfoot"):
            if top == "table":
                self.open("tbody", "")
            self.open("tr", "")
        elif name == "tr" and top == "table":
            self.open("tbody", "")
        elif name == "col" and top == "table":
            self.open("colgroup", "")

    # -- elements -----------------------------------------------------------------------------

    def open(self, name: str, attr_text: str) -> None:
        if len(self.names) >= MAX_STACK:
            self.ghosts[name] = self.ghosts.get(name, 0) + 1
            return
        keep = self.depth + 1 + _ROOM.get(name, 0) <= MAX_DEPTH
        if name == "table":
            keep = keep and self.kept_tables < MAX_TABLE_DEPTH
            self.tables.append(keep)
            self.kept_tables += keep
        elif name in _TABLE_PARTS:
            keep = keep and bool(self.tables) and self.tables[-1]
        self.names.append(name)
        self.counts[name] = self.counts.get(name, 0) + 1
        self.kept.append(keep)
        if keep:
            self.depth += 1
            if name == "a":
                self.links += 1
            attrs = self.urls.attributes(name, attr_text) if attr_text else ""
            self.out.append(f"<{name}{attrs}>")
        elif name in _CELLS:
            self.separator(" ")
        elif name in _FLATTENED_BLOCKS:
            self.separator("<br>")

    def void(self, name: str, attr_text: str) -> None:
        if name == "img":
            self.out.append(
                self.urls.image(attr_text, in_link=self.links > 0, room=self.depth < MAX_DEPTH)
            )
        elif name == "col":
            if self.tables and self.tables[-1] and self.names and self.kept[-1]:
                self.out.append(f"<col{self.urls.attributes(name, attr_text)}>")
        elif name in ("br", "hr", "wbr"):
            self.out.append(f"<{name}>")

    def end(self, name: str) -> None:
        names = self.names
        if self.ghosts:
            count = self.ghosts.get(name, 0)
            if count:
                self.ghosts[name] = count - 1
                return
        elif names and names[-1] == name and self.kept[-1] and name != "table":
            # The common case, well-formed input: close the current element.
            names.pop()
            self.kept.pop()
            self.counts[name] -= 1
            self.depth -= 1
            if name == "a":
                self.links -= 1
            self.out.append(f"</{name}>")
            return
        if not self.counts.get(name):
            return
        # Like html5ever: an end tag closes its element unless a scope boundary (a table
        # cell, say) lies in between, in which case it is ignored. Ignoring one html5ever would
        # honour is safe (the model nests deeper); the reverse is not.
        stop = _TABLE_SCOPE if name in _TABLE_STRUCTURE else _BUTTON_SCOPE
        for k in range(len(names) - 1, -1, -1):
            if names[k] == name:
                self.close_through(k)
                return
            if names[k] in stop:
                return

    def run(self, markup: str) -> str:
        # The tokenizer's loop inlined: this is the hot path for large bodies, and a generator
        # plus a tuple per token would double its cost.
        out = self.out
        search = TOKEN.search
        allowed = ALLOWED_TAGS
        n = len(markup)
        pos = 0
        tags = 0
        skip_name = ""  # inside an element dropped with its content
        skip_depth = 0
        while pos < n:
            m = search(markup, pos)
            if m is None:
                if not skip_depth:
                    self.text(markup[pos:])
                break
            i = m.start()
            if i > pos and not skip_depth:
                self.text(markup[pos:i])
            slash, tag, _attrs, gt, comment, bogus = m.groups()
            if tag is None:
                pos = comment_end(markup, i, bool(comment), bogus)
                continue
            if not gt:
                break  # html5ever drops a tag that never ends, and all after it
            pos = m.end()
            name = tag.lower()
            if not slash and name in RAWTEXT_ELEMENTS:
                em = rawtext_end(name).search(markup, pos)
                stop = n if em is None else em.start()
                if name == "xmp" and not skip_depth:
                    self.text(_escape_text(markup[pos:stop]))  # html5ever shows it as text
                pos = stop
                continue
            if skip_depth:
                if name == skip_name:
                    skip_depth += -1 if slash else 1
                continue
            if slash:
                if name in allowed:
                    self.end(name)
                continue
            if name == "plaintext":
                self.text(_escape_text(markup[pos:]))
                break
            tags += 1
            if tags > MAX_TAGS:
                self.too_many_tags = True
                self.text(_escape_text(_SIMPLE_TAG.sub("", markup[i:])))
                break
            if name not in allowed:
                if name in _SKIP_NESTED:
                    skip_name, skip_depth = name, 1
                continue  # unknown tags vanish, their content stays
            attr_text = _attrs if _attrs.strip(" \t\n\r\f/") else ""
            self.implied_closes(name)
            if name in VOID_ELEMENTS:
                if name == "col":
                    self.insert_table_wrappers(name)
                self.void(name, attr_text)
            else:
                self.insert_table_wrappers(name)
                self.open(name, attr_text)
        self.close_through(0)
        return "".join(out)


_SIMPLE_TAG = re.compile(r"<[^<>]*>")


def _split_text(text: str) -> str:
    """`text` with an empty comment every few KB, never inside a character reference."""
    parts: list[str] = []
    pos = 0
    while len(text) - pos > _TEXT_SLICE:
        cut = pos + _TEXT_SLICE
        # A reference is at most 33 characters ('&CounterClockwiseContourIntegral;'): cutting
        # just before the last '&' within reach never splits one.
        amp = text.rfind("&", cut - 40, cut)
        if amp > pos:
            cut = amp
        parts.append(text[pos:cut])
        pos = cut
    parts.append(text[pos:])
    return "<!---->".join(parts)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shape(markup: str, urls: UrlPolicy) -> tuple[str, bool]:
    """Balanced, bounded HTML with links, images and attributes settled (see module doc), and
    whether the body had more than MAX_TAGS tags (the rest is then plain text)."""
    shaper = _Shaper(urls)
    html = shaper.run(markup)
    return html, shaper.too_many_tags


# ---------------------------------------------------------------------------------------------
# Checking nh3's output

_CANONICAL_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)")


def max_nesting(markup: str) -> tuple[int, int]:
    """(deepest element nesting, deepest table nesting) of well-formed HTML such as nh3's."""
    depth = deepest = tables = deepest_tables = 0
    for closing, name in _CANONICAL_TAG.findall(markup):
        if name in VOID_ELEMENTS:
            continue
        if closing:
            depth -= 1
            if name == "table":
                tables -= 1
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
            if name == "table":
                tables += 1
                deepest_tables = max(deepest_tables, tables)
    return deepest, deepest_tables


def within_bounds(markup: str) -> bool:
    depth, tables = max_nesting(markup)
    return depth <= MAX_DEPTH and tables <= MAX_TABLE_DEPTH


def flatten(markup: str) -> str:
    """Drop the tags of nh3's output nested past the bounds, keeping all text."""
    out: list[str] = []
    kept: list[bool] = []
    tables: list[bool] = []
    depth = kept_tables = 0
    for kind, name, _attrs, raw in tokenize(markup):
        if kind == START and name not in VOID_ELEMENTS:
            keep = depth < MAX_DEPTH
            if name == "table":
                keep = keep and kept_tables < MAX_TABLE_DEPTH
                tables.append(keep)
                kept_tables += keep
            elif name in _TABLE_PARTS:
                keep = keep and bool(tables) and tables[-1]
            kept.append(keep)
            depth += keep
            out.append(raw if keep else " ")
        elif kind == END and name not in VOID_ELEMENTS:
            if not kept:
                continue
            keep = kept.pop()
            if name == "table" and tables:
                kept_tables -= tables.pop()
            depth -= keep
            out.append(raw if keep else " ")
        else:
            out.append(raw)
    return "".join(out)

"""The Python-Markdown extension for kramdown's output: heading ids by kramdown's rules
(`generate_gfm_header_id` for `input: GFM`, `generate_id` for `input: kramdown`), the `{:toc}`
table of contents, kramdown's typographic symbols and smart quotes, and tabs put back into code
(`kramdown.prepare` marks them so Python-Markdown does not expand them).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Final

from markdown import Extension, Markdown
from markdown.extensions.toc import render_inner_html, strip_tags
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from reader.core.render.kramdown import TAB_MARK, TOC_MARK, KramdownOptions

_NON_WORD_GFM = re.compile(r"[^\w\- \t]")
_LEADING_NON_ALPHA = re.compile(r"^[^a-zA-Z]+")
_NOT_ID_CHAR = re.compile(r"[^a-zA-Z0-9 \-]")


class HeaderIds:
    """kramdown's ids for one document: GFM's `generate_gfm_header_id` (non-ASCII letters
    kept, a repeat gets `-1`, `-2` …) or kramdown's `generate_id` (ASCII only, 'section' when
    nothing is left)."""

    def __init__(self, gfm: bool, prefix: str = "") -> None:
        self.gfm = gfm
        self.prefix = prefix
        self.counts: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        if self.gfm:
            result = _NON_WORD_GFM.sub("", text.lower()).replace(" ", "-").replace("\t", "-")
            n = self.counts.get(result, -1) + 1
            self.counts[result] = n
            return self.prefix + (f"{result}-{n}" if n else result)
        gen = _NOT_ID_CHAR.sub("", _LEADING_NON_ALPHA.sub("", text)).replace(" ", "-").lower()
        gen = gen or "section"
        if gen in self.counts:
            self.counts[gen] += 1
            gen = f"{gen}-{self.counts[gen]}"
        else:
            self.counts[gen] = 0
        return self.prefix + gen


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _HeadingTreeprocessor(Treeprocessor):
    """Gives each heading its id (unless an IAL gave one) and builds the `{:toc}` list."""

    def __init__(self, md: Markdown, options: KramdownOptions) -> None:
        super().__init__(md)
        self.options = options

    def run(self, root: etree.Element) -> None:
        ids = HeaderIds(self.options.gfm, self.options.auto_id_prefix)
        entries: list[tuple[int, str, str]] = []
        markers: list[tuple[etree.Element, etree.Element]] = []
        for parent in root.iter():
            for child in parent:
                if child.tag in _HEADINGS:
                    text = html.unescape(strip_tags(render_inner_html(child, self.md)).strip())
                    if "id" not in child.attrib and self.options.auto_ids:
                        child.attrib["id"] = ids(text)
                    if child.attrib.get("id"):
                        entries.append((int(child.tag[1]), child.attrib["id"], text))
                elif child.tag == "p" and (child.text or "").strip() == TOC_MARK:
                    markers.append((parent, child))
        for parent, marker in markers:
            toc = _toc_list(entries)
            index = list(parent).index(marker)
            parent.remove(marker)
            if toc is not None:
                toc.tail = marker.tail
                parent.insert(index, toc)


def _toc_list(entries: list[tuple[int, str, str]]) -> etree.Element | None:
    """kramdown's table of contents: lists of links to the headings, nested by level."""
    if not entries:
        return None
    top = etree.Element("ul", {"id": "markdown-toc"})
    stack: list[tuple[int, etree.Element]] = [(entries[0][0], top)]
    last_li: etree.Element | None = None
    for level, ident, text in entries:
        while len(stack) > 1 and level < stack[-1][0]:
            stack.pop()
        if level > stack[-1][0] and last_li is not None:
            stack.append((level, etree.SubElement(last_li, "ul")))
        li = etree.SubElement(stack[-1][1], "li")
        a = etree.SubElement(li, "a", {"href": "#" + ident, "id": "markdown-toc-" + ident})
        a.text = text
        last_li = li
    return top


_TYPOGRAPHY = re.compile(
    r"---|--|\.\.\.|<<|>>|(?<=[\w)\]}.,!?;:%\u2019\u201d])'|'(?=\d0s)|'|(?<=[\w)\]}.,!?;:%])\"|\""
)
_SYMBOLS: Final = {"---": "\u2014", "--": "\u2013", "...": "\u2026", "<<": "\u00ab", ">>": "\u00bb"}
_INLINE: Final = frozenset(
    {"a", "em", "strong", "code", "kbd", "span", "abbr", "del", "sup", "sub"}
)
_NO_TYPOGRAPHY: Final = frozenset({"code", "pre", "kbd", "samp", "script", "style"})


def _typographic(m: re.Match[str]) -> str:
    token = m.group()
    symbol = _SYMBOLS.get(token)
    if symbol is not None:
        return symbol
    if token == "'":
        # A closing quote (or apostrophe) after a word, an opening one elsewhere.
        before = m.string[m.start() - 1] if m.start() else " "
        if before.isspace() or before in "([{-\u2013\u2014":
            return "\u2018"
        return "\u2019"
    before = m.string[m.start() - 1] if m.start() else " "
    return "\u201c" if before.isspace() or before in "([{-\u2013\u2014" else "\u201d"


def typographic(text: str, after_word: bool = False) -> str:
    """kramdown's typographic symbols: -- – , --- — , ... … , << « , >> » and smart quotes.
    `after_word`: the text follows an inline element (`[@name](…)'s` takes a closing quote)."""
    if not any(c in text for c in "-.<>'\""):
        return text
    if after_word:
        return _TYPOGRAPHY.sub(_typographic, "x" + text)[1:]
    return _TYPOGRAPHY.sub(_typographic, text)


class _TypographyTreeprocessor(Treeprocessor):
    """Typographic symbols in text outside code: one substitution per text node (Python-
    Markdown's smarty adds a dozen inline patterns, doubling the cost of every paragraph)."""

    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        for child in element:
            inline = child.tag in _INLINE
            if child.tag in _NO_TYPOGRAPHY:
                if child.tail:
                    child.tail = typographic(child.tail, inline)
                continue
            if child.text and not isinstance(child.text, AtomicString):
                child.text = typographic(child.text)
            self._walk(child)
            if child.tail:
                child.tail = typographic(child.tail, inline)


class _TabPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return text.replace(TAB_MARK, "\t") if TAB_MARK in text else text


class KramdownExtension(Extension):
    """Heading ids by kramdown's rules, `{:toc}`, and tabs put back."""

    def __init__(self, options: KramdownOptions) -> None:
        super().__init__()
        self.options = options

    def extendMarkdown(self, md: Markdown) -> None:
        # After attr_list (8, ids from IALs) and smarty (6, typographic symbols in the text).
        md.treeprocessors.register(_HeadingTreeprocessor(md, self.options), "kramdown_ids", 4)
        md.postprocessors.register(_TabPostprocessor(md), "kramdown_tabs", 0)
        if self.options.smart_typography:
            md.treeprocessors.register(_TypographyTreeprocessor(md), "kramdown_typography", 6)

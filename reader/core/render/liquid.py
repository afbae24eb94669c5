"""Liquid, Jekyll's template language, reduced to what a reader of the source needs.

Owns: `{% raw %}` (kept literally), `{% highlight %}` (escaped code blocks), `{% comment %}`
(removed with its content), the URL helpers (`site.url`, `site.baseurl`, `relative_url`,
`absolute_url`, `prepend`/`append`, `post_url`, `link`), and removing every other tag and output,
since a reader has no site data to fill them with.

Every scan here is linear: block tags are paired with precomputed end positions, and tag bodies
are read by patterns that stop at the first `%` or brace, so a million unclosed `{%` cost
nothing.
"""

from __future__ import annotations

import bisect
import html as htmllib
import re
from dataclasses import dataclass, field
from typing import Final

# Markers the renderer substitutes later. Input characters in this private-use range are
# removed first (see `strip_markers`), so a post cannot forge them.
MARK_OPEN: Final = "\ue000"
MARK_CLOSE: Final = "\ue001"
_MARKER_RANGE = re.compile("[\ue000-\ue00f]")

_RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
_RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_COMMENT_OPEN = re.compile(r"\{%-?\s*comment\s*-?%\}")
_COMMENT_CLOSE = re.compile(r"\{%-?\s*endcomment\s*-?%\}")
# Possessive and unambiguous throughout: these run over whole bodies, hostile ones included.
_HIGHLIGHT_OPEN = re.compile(r"\{%-?[ \t\n]*+highlight[ \t\n]([^%]{0,200}+)%\}")
_HIGHLIGHT_CLOSE = re.compile(r"\{%-?\s*endhighlight\s*-?%\}")
_TAG_OR_OUTPUT = re.compile(
    r"\{%-?[ \t\n]*+([A-Za-z_]\w*+)([^%]{0,2000}+)%\}|\{\{([^{}]{0,2000}+)\}\}"
)
_RAW_PLACEHOLDER = re.compile(MARK_OPEN + r"R(\d+)" + MARK_CLOSE)
_LANG = re.compile(r"[\w#+.\-]{1,40}")
_STRING = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)')\s*""")
_FILTER = re.compile(r"""\s*([A-Za-z_]\w*)\s*(?::\s*(.*))?""", re.DOTALL)


def strip_markers(text: str) -> str:
    """Remove the private-use characters the renderer reserves for its own markers."""
    return _MARKER_RANGE.sub("", text) if _MARKER_RANGE.search(text) else text


def placeholder(kind: str, index: int) -> str:
    return f"{MARK_OPEN}{kind}{index}{MARK_CLOSE}"


@dataclass
class LiquidResult:
    """Text with Liquid applied; `blocks` holds HTML for the `H<n>` placeholders in it."""

    text: str
    blocks: list[str] = field(default_factory=list)


def _pair_blocks(
    text: str, opening: re.Pattern[str], closing: re.Pattern[str]
) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Non-overlapping (open, close) pairs in order; an open without a close is left alone."""
    closes = list(closing.finditer(text))
    starts = [m.start() for m in closes]
    pairs: list[tuple[re.Match[str], re.Match[str]]] = []
    pos = 0
    while True:
        m = opening.search(text, pos)
        if m is None:
            break
        k = bisect.bisect_left(starts, m.end())
        if k == len(starts):
            break
        pairs.append((m, closes[k]))
        pos = closes[k].end()
    return pairs


class _Liquid:
    def __init__(self, site_url: str, baseurl: str) -> None:
        self.site_url = site_url.strip().rstrip("/")
        base = baseurl.strip().strip("/")
        self.baseurl = "/" + base if base else ""
        self.raw: list[str] = []
        self.blocks: list[str] = []

    # -- outputs ------------------------------------------------------------------------------

    def relative_url(self, value: str) -> str:
        if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:|//", value):
            return value
        return self.baseurl + "/" + value.lstrip("/")

    def absolute_url(self, value: str) -> str:
        if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:|//", value):
            return value
        return self.site_url + self.relative_url(value)

    def operand(self, text: str) -> str | None:
        m = _STRING.fullmatch(text)
        if m:
            return m.group(1) if m.group(1) is not None else m.group(2)
        name = text.strip()
        if name == "site.url":
            return self.site_url
        if name == "site.baseurl":
            return self.baseurl
        return None

    def output(self, expression: str) -> str:
        """`{{ expression }}`: what a reader can know, else nothing."""
        parts = _split_pipes(expression)
        value = self.operand(parts[0])
        if value is None:
            return ""
        for part in parts[1:]:
            m = _FILTER.fullmatch(part)
            if m is None:
                continue
            name, arg = m.group(1), m.group(2)
            if name == "relative_url":
                value = self.relative_url(value)
            elif name == "absolute_url":
                value = self.absolute_url(value)
            elif name in ("prepend", "append") and arg is not None:
                other = self.operand(arg)
                if other is not None:
                    value = other + value if name == "prepend" else value + other
            # other filters (escape, date, upcase ...) are left out: the value is still right
        return value

    # -- tags ---------------------------------------------------------------------------------

    def tag(self, name: str, args: str) -> str:
        args = re.sub(r"\{\{.*?\}\}", "", args).strip().strip("\"'")
        if name == "post_url" and args:
            return "/_post_url/" + args.split()[0].strip("/")
        if name == "link" and args:
            return "/" + args.split()[0].lstrip("/")
        return ""

    def substitute(self, text: str) -> str:
        def replace(m: re.Match[str]) -> str:
            if m.group(1) is not None:
                return self.tag(m.group(1), m.group(2).removesuffix("-"))
            return self.output(m.group(3).removeprefix("-").removesuffix("-"))

        return _TAG_OR_OUTPUT.sub(replace, text)

    def restore_raw(self, text: str) -> str:
        if MARK_OPEN not in text:
            return text
        return _RAW_PLACEHOLDER.sub(lambda m: self.raw[int(m.group(1))], text)

    # -- the whole body -----------------------------------------------------------------------

    def run(self, text: str) -> str:
        if "{" not in text:
            return text
        # 1. raw: stash literally, so no other rule sees it.
        pieces: list[str] = []
        pos = 0
        while True:
            m = _RAW_OPEN.search(text, pos)
            if m is None:
                break
            close = _RAW_CLOSE.search(text, m.end())
            end = len(text) if close is None else close.start()
            pieces.append(text[pos : m.start()])
            pieces.append(placeholder("R", len(self.raw)))
            self.raw.append(text[m.end() : end])
            pos = len(text) if close is None else close.end()
        pieces.append(text[pos:])
        text = "".join(pieces)
        # 2. comments go, content and all.
        pairs = _pair_blocks(text, _COMMENT_OPEN, _COMMENT_CLOSE)
        if pairs:
            text = _cut(text, [(o.start(), c.end(), "") for o, c in pairs])
        # 3. highlight blocks become escaped code, Liquid inside them applied first (as Jekyll).
        pairs = _pair_blocks(text, _HIGHLIGHT_OPEN, _HIGHLIGHT_CLOSE)
        if pairs:
            cuts = []
            for o, c in pairs:
                code = self.restore_raw(self.substitute(text[o.end() : c.start()]))
                args = o.group(1).rstrip().removesuffix("-")
                cuts.append((o.start(), c.end(), self.highlight(args, code)))
            text = _cut(text, cuts)
        # 4. the remaining tags and outputs, then the raw text back.
        return self.restore_raw(self.substitute(text))

    def highlight(self, args: str, code: str) -> str:
        code = code.removeprefix("\n").removesuffix("\n")
        words = args.split()
        lang = words[0] if words and _LANG.fullmatch(words[0]) else ""
        attr = f' class="language-{htmllib.escape(lang)}"' if lang else ""
        self.blocks.append(f"<pre><code{attr}>{htmllib.escape(code, quote=False)}</code></pre>")
        return placeholder("H", len(self.blocks) - 1)


def _split_pipes(expression: str) -> list[str]:
    """Split on '|' outside quotes."""
    if '"' not in expression and "'" not in expression:
        return expression.split("|")
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in expression:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current.append(ch)
        elif ch == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _cut(text: str, cuts: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, replacement in cuts:
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def apply_liquid(text: str, site_url: str = "", baseurl: str = "") -> LiquidResult:
    """Apply the Liquid rules to a post body (markers must already be stripped)."""
    liquid = _Liquid(site_url, baseurl)
    return LiquidResult(liquid.run(text), liquid.blocks)


# An `H<n>` placeholder, alone in a paragraph (Markdown wraps it) or not.
HIGHLIGHT_PLACEHOLDER: Final = re.compile(
    rf"<p>\s*{MARK_OPEN}H(\d+){MARK_CLOSE}\s*</p>|{MARK_OPEN}H(\d+){MARK_CLOSE}"
)

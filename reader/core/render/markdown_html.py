"""Markdown to HTML at a bounded cost.

Owns: the Python-Markdown configuration; the "light" renderer used where Markdown is skipped
(paragraphs, fenced code, links; HTML blocks passed on for sanitising); and the defences
around Python-Markdown, which is quadratic or worse on many inputs (4 KB of `[` take 2 s,
`# a` lines are quadratic within a block, definition lists recurse to RecursionError):

1. whole-body checks: a line over 200,000 characters, a run of over 2,000 of `[ ( < * _ \\``,
   or over 50,000 `[` -> the body is shown with the light renderer and a notice;
2. long bodies are cut into chunks of about 32 KB at blank lines (never inside fenced code;
   reference links defined anywhere still resolve), so one bad part costs only itself;
3. cheap rewrites defuse the commonest slow inputs without changing what is shown: `[` that can
   never start a link, incomplete tags and fence lines that open no block become private-use
   characters mapped back afterwards, and blockquote markers nested deeper than the pane would
   show are dropped. The fence rewrite matters most: that slowness sits inside one regular-
   expression call, where the deadline cannot reach;
4. each chunk runs under a deadline (`render_deadline`), all chunks under a total budget; a
   chunk that runs out is shown with the light renderer and the body gets a notice.
"""

from __future__ import annotations

import bisect
import html as htmllib
import logging
import re
import threading
from dataclasses import dataclass, field
from functools import partial
from typing import Final

import markdown
from markdown.blockprocessors import ReferenceProcessor

from reader.core.render import deadline
from reader.core.render.deadline import DeadlineExceeded, run_with_deadline
from reader.core.render.kramdown import TAB_MARK, TOC_MARK, KramdownOptions, prepare
from reader.core.render.kramdown_ext import KramdownExtension

logger = logging.getLogger(__name__)

# superfences: fenced code at any depth (list items, quotes); md_in_html: kramdown's
# `<div markdown="1">`; tasklist: GFM's `[ ]`/`[x]`.
EXTENSIONS: Final = (
    "tables", "pymdownx.highlight", "pymdownx.superfences", "footnotes", "def_list",
    "attr_list", "abbr", "sane_lists", "md_in_html", "pymdownx.tasklist",
)  # fmt: skip
_EXTENSION_CONFIGS: Final[dict[str, dict[str, object]]] = {
    "pymdownx.highlight": {"use_pygments": False},  # code as text; no Pygments run
}

LONG_LINE: Final = 200_000
LONG_RUN: Final = 2_000
MAX_BRACKETS: Final = 50_000
CHUNK_CHARS: Final = 32_000
# Python-Markdown manages about 300 KB/s of ordinary text, so a chunk (a single block, since
# chunks are cut at blank lines) bigger than this could not make its deadline: not tried.
MAX_MARKDOWN_CHUNK: Final = 100_000
CHUNK_SECONDS: Final = 0.3
# All chunks together: 0.8 s, less what the rest of the pipeline will need for a body this
# long (about 0.25 us a character), so that even 2 MB finishes in about a second.
BUDGET_SECONDS: Final = 0.8
PIPELINE_SECONDS_PER_CHAR: Final = 2.5e-7
MIN_BUDGET_SECONDS: Final = 0.2
MAX_QUOTE_DEPTH: Final = 32
MAX_BRACKET_NESTING: Final = 3  # `[![alt](img)](url)` needs 2

# Stand-ins for characters Markdown must not look at; mapped back after conversion.
_OPEN_BRACKET: Final = "\ue002"
_CLOSE_BRACKET: Final = "\ue003"
_LESS_THAN: Final = "\ue004"
_BACKTICK: Final = "\ue005"
_TILDE: Final = "\ue006"
_UNMAP: Final = (
    (_OPEN_BRACKET, "["),
    (_CLOSE_BRACKET, "]"),
    (_LESS_THAN, "&lt;"),
    (_BACKTICK, "`"),
    (_TILDE, "~"),
    (TAB_MARK, "\t"),
    (TOC_MARK, ""),
)

NOTICE_SKIPPED: Final = "This post is shown without Markdown formatting because {reason}."
NOTICE_PARTIAL: Final = (
    "Part of this post is shown without Markdown formatting because formatting it took too long."
)


@dataclass
class MarkdownResult:
    html: str
    notices: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Fenced code: where it is, so chunks never split it and the light renderer can show it

_FENCE_LINE = re.compile(r"^(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
_FENCE_INFO = re.compile(
    r"""[ ]*(?:\{[^\n]*\}|\.?([\w#.+\-]*)[ ]*(?:hl_lines=(["'])[^\n]*?\2[ ]*)?)"""
)


@dataclass(frozen=True, slots=True)
class _Fence:
    start: int  # of the opening line
    end: int  # after the closing line
    lang: str
    code: str


def fence_spans(text: str) -> list[_Fence]:
    """The fenced code blocks Python-Markdown's fenced_code would find, in linear time."""
    if "```" not in text and "~~~" not in text:
        return []
    lines = list(_FENCE_LINE.finditer(text))
    closers: dict[str, list[int]] = {}
    for k, m in enumerate(lines):
        if not m.group(2).strip(" "):
            closers.setdefault(m.group(1), []).append(k)
    spans: list[_Fence] = []
    pos = 0
    for k, m in enumerate(lines):
        if m.start() < pos:
            continue
        info = _FENCE_INFO.fullmatch(m.group(2))
        if info is None:
            continue
        candidates = closers.get(m.group(1), [])
        j = bisect.bisect_right(candidates, k)
        if j == len(candidates):
            continue
        close = lines[candidates[j]]
        code_start = m.end() + 1
        code = text[code_start : close.start()] if close.start() > code_start else ""
        spans.append(_Fence(m.start(), close.end(), info.group(1) or "", code.removesuffix("\n")))
        pos = close.end()
    return spans


# ---------------------------------------------------------------------------------------------
# The light renderer

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_HTML_BLOCK = re.compile(r"\s*<(?:[A-Za-z]|!--|/[A-Za-z])")
_LIGHT_INLINE = re.compile(
    r"(!?)\[([^\[\]\n]{0,500})\]\(\s*<?([^()\s<>]{1,2000})>?(?:\s+\"[^\"\n]{0,500}\")?\s*\)"
    r"|<((?:https?|mailto):[^\s<>]{1,2000})>"
)


def _light_inline(text: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _LIGHT_INLINE.finditer(text):
        parts.append(htmllib.escape(text[pos : m.start()], quote=False))
        if m.group(4) is not None:
            url = htmllib.escape(m.group(4))
            parts.append(f'<a href="{url}">{url}</a>')
        else:
            label = htmllib.escape(m.group(2))
            url = htmllib.escape(m.group(3))
            if m.group(1):
                parts.append(f'<img src="{url}" alt="{label}">')
            else:
                parts.append(f'<a href="{url}">{label}</a>')
        pos = m.end()
    parts.append(htmllib.escape(text[pos:], quote=False))
    return "".join(parts)


def _light_blocks(segment: str, out: list[str]) -> None:
    for block in _BLANK_LINES.split(segment):
        if not block.strip():
            continue
        if _HTML_BLOCK.match(block):
            out.append(block)  # raw HTML, as Markdown would keep it; sanitised later
        else:
            out.append(f"<p>{_light_inline(block.strip())}</p>")


def render_light(text: str) -> str:
    """Paragraphs, fenced code and links only, in linear time."""
    out: list[str] = []
    pos = 0
    for fence in fence_spans(text):
        _light_blocks(text[pos : fence.start], out)
        lang = f' class="language-{htmllib.escape(fence.lang)}"' if fence.lang else ""
        out.append(f"<pre><code{lang}>{htmllib.escape(fence.code, quote=False)}</code></pre>")
        pos = fence.end
    _light_blocks(text[pos:], out)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Defusing

# Each marker takes the spaces after it, so a line splits into markers one way only (a pattern
# letting spaces belong to either neighbour backtracks exponentially on a near miss).
_QUOTE_MARKERS = re.compile(
    rf"^([ ]{{0,3}}+(?:>[ ]{{0,4}}+){{{MAX_QUOTE_DEPTH}}})(?:>[ ]{{0,4}}+)++", re.MULTILINE
)
_BRACKET_TOKEN = re.compile(r"\\.|[\[\]]|\n[ \t]*\n", re.DOTALL)
_ANGLE = re.compile(r"<[A-Za-z/!?]|>")
_FEW_BRACKETS: Final = 64  # below this, every scan together stays cheap
_FEW_BROKEN_TAGS: Final = 32


def catastrophic_reason(text: str) -> str | None:
    """Why Markdown must not even be tried on `text`, or None."""
    if text.count("[") > MAX_BRACKETS:
        return f"it contains more than {MAX_BRACKETS:,} '[' characters"
    for ch in "[(<*_`":
        if ch * (LONG_RUN + 1) in text:
            return f"it contains a run of more than {LONG_RUN:,} '{ch}' characters"
    if len(text) > LONG_LINE and max(map(len, text.split("\n"))) > LONG_LINE:
        return f"a line is longer than {LONG_LINE:,} characters"
    return None


def _defuse_brackets(text: str) -> str:
    """Hide `[` that cannot open a link (no `]` in its block) and brackets nested deeper than
    links ever are: Python-Markdown scans to the end of the block from each of them."""
    if text.count("[") < _FEW_BRACKETS:
        return text
    stack: list[int] = []
    hide_open: list[int] = []
    hide_close: list[int] = []
    for m in _BRACKET_TOKEN.finditer(text):
        token = m.group()
        if token == "[":
            stack.append(m.start())
        elif token == "]":
            if stack:
                opened = stack.pop()
                if len(stack) >= MAX_BRACKET_NESTING:
                    hide_open.append(opened)
                    hide_close.append(m.start())
        elif token[0] == "\n":
            hide_open.extend(stack)  # a paragraph ends: what is still open never closes
            stack.clear()
    hide_open.extend(stack)
    if not hide_open:
        return text
    chars = list(text)
    for i in hide_open:
        chars[i] = _OPEN_BRACKET
    for i in hide_close:
        chars[i] = _CLOSE_BRACKET
    return "".join(chars)


def _defuse_broken_tags(text: str) -> str:
    """Hide `<` starting a tag that another `<` interrupts before its `>`: Python's HTMLParser
    rescans to the end of the text for each one. Only done when there are many, since a quoted
    `<` inside an attribute value would look the same."""
    if text.count("<") < _FEW_BROKEN_TAGS:
        return text
    broken: list[int] = []
    pending = -1
    for m in _ANGLE.finditer(text):
        if m.group() == ">":
            pending = -1
        else:
            if pending >= 0:
                broken.append(pending)
            pending = m.start()
    if pending >= 0:
        broken.append(pending)
    if len(broken) < _FEW_BROKEN_TAGS:
        return text
    chars = list(text)
    for i in broken:
        chars[i] = _LESS_THAN
    return "".join(chars)


def _defuse_fences(text: str) -> str:
    """Hide the first character of fence-like lines that open no fenced block: fenced_code's
    pattern scans to the end of the text from each of them inside one regular-expression call,
    which the deadline cannot interrupt (5,000 lines of "```a" take it 3 s, 10,000 take 14 s)."""
    if "```" not in text and "~~~" not in text:
        return text
    spans = fence_spans(text)
    hide: list[int] = []
    k = 0
    for m in _FENCE_LINE.finditer(text):
        start = m.start()
        while k < len(spans) and spans[k].end <= start:
            k += 1
        if k < len(spans) and spans[k].start <= start:
            continue  # a real fence's own lines
        hide.append(start)
    if not hide:
        return text
    chars = list(text)
    for i in hide:
        chars[i] = _BACKTICK if chars[i] == "`" else _TILDE
    return "".join(chars)


def defuse(text: str) -> str:
    """Rewrite the inputs Python-Markdown is slowest on, without changing what it shows."""
    if ">" in text:
        text = _QUOTE_MARKERS.sub(r"\1", text)
    return _defuse_broken_tags(_defuse_brackets(_defuse_fences(text)))


def _unmap(html: str) -> str:
    for marker, original in _UNMAP:
        if marker in html:
            html = html.replace(marker, original)
    return html


# ---------------------------------------------------------------------------------------------
# Chunks and conversion

_CHUNK_BREAK = re.compile(r"\n[ \t]*\n(?=\S)")
_local = threading.local()


def _converter(options: KramdownOptions) -> markdown.Markdown:
    """This thread's converter for `options` (building one costs milliseconds)."""
    converters: dict[KramdownOptions, markdown.Markdown] | None = getattr(_local, "md", None)
    if converters is None:
        converters = _local.md = {}
    md = converters.get(options)
    if md is None:
        extensions: list[str | markdown.Extension] = list(EXTENSIONS)
        extensions.append(KramdownExtension(options))
        md = markdown.Markdown(
            extensions=extensions, extension_configs=_EXTENSION_CONFIGS, output_format="html"
        )
        converters[options] = md
    return md


def prepare_converter() -> None:
    """Build a converter once on this thread, so that what building one imports (the
    extensions, Pygments' formatters, the extensions' entry points: ~130 ms) is imported here
    and not on the thread that renders the first article."""
    _converter(KramdownOptions()).reset().convert("*x*")


def _discard_converter() -> None:
    _local.md = None  # interrupted mid-conversion: its state cannot be trusted


def split_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Cut `text` at blank lines followed by an unindented line (so neither an indented
    continuation nor fenced code is split), into pieces of about `size`."""
    if len(text) <= size:
        return [text]
    fences = fence_spans(text)
    fence_starts = [f.start for f in fences]
    chunks: list[str] = []
    start = 0
    while len(text) - start > size:
        m = _CHUNK_BREAK.search(text, start + size)
        while m is not None:
            k = bisect.bisect_right(fence_starts, m.start()) - 1
            if k < 0 or fences[k].end <= m.start():
                break
            m = _CHUNK_BREAK.search(text, fences[k].end)
        if m is None:
            break
        chunks.append(text[start : m.start() + 1])
        start = m.start() + 1
    chunks.append(text[start:])
    return chunks


def _references(text: str) -> dict[str, tuple[str, str]]:
    """Reference-link definitions of the whole body, for chunks that use them elsewhere."""
    refs: dict[str, tuple[str, str]] = {}
    if "]:" not in text:
        return refs
    for m in ReferenceProcessor.RE.finditer(text):
        ref_id = m.group(1).strip().lower()
        if ref_id and not ref_id.startswith("^"):  # `[^1]:` is a footnote
            title = m.group(5) or m.group(6) or ""
            refs.setdefault(ref_id, (m.group(2).lstrip("<").rstrip(">"), title))
    return refs


_CHECKBOX = re.compile(r'<input type="checkbox"([^>]*)>\s?')


def _checkboxes(html: str) -> str:
    """Task-list boxes as characters: the sanitiser drops form controls."""
    if "<input" not in html:
        return html
    return _CHECKBOX.sub(lambda m: "\u2611 " if "checked" in m.group(1) else "\u2610 ", html)


def _convert(text: str, refs: dict[str, tuple[str, str]], options: KramdownOptions) -> str:
    md = _converter(options)
    md.reset()
    if refs:
        md.references.update(refs)
    return _checkboxes(md.convert(text))


def render_markdown(text: str, options: KramdownOptions | None = None) -> MarkdownResult:
    """Markdown (kramdown's dialect, as `options` set it) to an (unsanitised) HTML fragment,
    within a bounded time."""
    options = options or KramdownOptions()
    reason = catastrophic_reason(text)
    if reason is not None:
        return MarkdownResult(_unmap(render_light(text)), [NOTICE_SKIPPED.format(reason=reason)])
    text = prepare(text, options)
    chunks = split_chunks(text)
    refs = _references(text) if len(chunks) > 1 else {}
    out: list[str] = []
    degraded = False
    budget = max(BUDGET_SECONDS - len(text) * PIPELINE_SECONDS_PER_CHAR, MIN_BUDGET_SECONDS)
    budget_end = deadline.now() + budget
    for chunk in chunks:
        remaining = budget_end - deadline.now()
        if remaining <= 0 or len(chunk) > MAX_MARKDOWN_CHUNK:
            out.append(_unmap(render_light(chunk)))
            degraded = True
            continue
        # Built (its extensions imported: 0.1-0.5 s) before the chunk's 0.3 s start to run.
        _converter(options)
        try:
            html = run_with_deadline(
                partial(_convert, defuse(chunk), refs, options), min(CHUNK_SECONDS, remaining)
            )
        except DeadlineExceeded:
            _discard_converter()
            logger.info("Markdown ran out of time on a %d-character chunk", len(chunk))
            html = render_light(chunk)
            degraded = True
        except Exception:  # Markdown's own bugs and RecursionError: show the text anyway
            _discard_converter()
            logger.warning("Markdown failed on a %d-character chunk", len(chunk), exc_info=True)
            html = render_light(chunk)
            degraded = True
        out.append(_unmap(html))
    return MarkdownResult("\n".join(out), [NOTICE_PARTIAL] if degraded else [])

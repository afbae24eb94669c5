"""Liquid as Jekyll runs it, on python-liquid, sandboxed.

Owns `LiquidSite` (what a template may see: `site`, `page`, and how `post_url`, `link` and
`include` find things), Jekyll's tags (`highlight`, `post_url`, `link`, `include`,
`include_relative`; `raw` is Liquid's) and `render_liquid`, which evaluates a post body before
Markdown as Jekyll does. Jekyll's filters live in `liquid_filters`.

Safety: templates can only read what `LiquidSite` hands them; includes are read from inside the
opened folder only (never through a symlink out of it, at most 1 MB each, nested at most 10
deep); loops, output and local variables are bounded by python-liquid's limits. A tag the
engine does not know (a plugin's) becomes a quiet note, never an error; a template Liquid
cannot parse or that hits a limit raises `LiquidFailed`, and the caller falls back to the
subset in `liquid.py`.
"""

from __future__ import annotations

import bisect
import html as htmllib
import logging
import re
from collections import ChainMap
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Final, TextIO

from liquid import BoundTemplate, Environment, Mode
from liquid.ast import BlockNode, Node
from liquid.builtin import DictLoader
from liquid.exceptions import LiquidError, TemplateNotFoundError
from liquid.loader import BaseLoader, TemplateSource
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

from reader.core.errors import FileProblem
from reader.core.reading.files import read_inside
from reader.core.render.liquid import LiquidResult, placeholder
from reader.core.render.liquid_filters import jekyll_filters
from reader.core.render.liquid_site import LiquidFailed, LiquidSite

logger = logging.getLogger(__name__)

MAX_INCLUDE_BYTES: Final = 1_000_000
MAX_INCLUDE_DEPTH: Final = 10
MAX_OUTPUT: Final = 4_000_000
MAX_LOOP_ITERATIONS: Final = 200_000
NOTE_CLASS: Final = "liquid-note"


# ---------------------------------------------------------------------------------------------
# Includes: only from inside the folder


class _FolderLoader(BaseLoader):
    """`_includes/<name>` (and `=<path>` for include_relative), inside the folder only."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get_source(
        self, env: Environment, template_name: str, *, context: Any = None, **kwargs: object
    ) -> TemplateSource:
        rel = template_name[1:] if template_name.startswith("=") else "_includes/" + template_name
        rel = rel.replace("\\", "/").strip()
        try:
            # The one way a file inside the folder is read: no link out, regular files only.
            data = read_inside(self.root, rel, MAX_INCLUDE_BYTES)
        except FileProblem as exc:
            raise TemplateNotFoundError(template_name) from exc
        text = data.decode("utf-8", "replace")
        if text.startswith("---\n"):  # an include with front matter: Jekyll drops it
            end = text.find("\n---", 4)
            if end >= 0:
                text = text[text.find("\n", end + 1) + 1 :]
        return TemplateSource(text, template_name, None)


# ---------------------------------------------------------------------------------------------
# Jekyll's tags


def _expression(stream: Any, *, eat: bool) -> str:
    """The raw text after a tag's name (python-liquid keeps it as one token). A tag without
    a block leaves it current (the parser moves on); a block tag eats it."""
    token = stream.current
    if token.kind == TOKEN_EXPRESSION:
        if eat:
            next(stream)
        return str(token.value)
    return ""


def _site(context: Any) -> LiquidSite:
    site: LiquidSite = context.env.liquid_site
    return site


class _TextNode(Node):
    """A tag whose output is known from its arguments and the site."""

    def __init__(self, token: Token, make: Callable[[Any], str]) -> None:
        super().__init__(token)
        self.make = make
        self.blank = False

    def __str__(self) -> str:
        return ""

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        return buffer.write(self.make(context))


class _PostUrlTag(Tag):
    name = "post_url"
    block = False

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        name = _expression(stream, eat=False).strip().split(" ")[0].strip("/")

        def make(context: Any) -> str:
            site = _site(context)
            url = site.post_url(name)
            return url if url is not None else "/_post_url/" + name

        return _TextNode(token, make)


class _LinkTag(Tag):
    name = "link"
    block = False

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        path = _expression(stream, eat=False).strip().split(" ")[0].lstrip("/")

        def make(context: Any) -> str:
            url = _site(context).link(path)
            return url if url is not None else "/" + path

        return _TextNode(token, make)


_PARAM = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)""")


class _IncludeNode(Node):
    def __init__(self, token: Token, name: str, params: str, relative: bool) -> None:
        super().__init__(token)
        self.name = name
        self.params = params
        self.relative = relative
        self.blank = False

    def __str__(self) -> str:
        return ""

    def _value(self, context: Any, raw: str) -> object:
        if raw[:1] in "\"'":
            return raw[1:-1]
        path: list[object] = [p for p in re.split(r"[.\[\]]", raw) if p]
        return context.get(path, token=None, default=None)

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        name = self.name
        if "{{" in name:
            name = re.sub(
                r"\{\{\s*([\w.]+)\s*\}\}",
                lambda m: str(self._value(context, m.group(1)) or ""),
                name,
            )
        if self.relative:
            site = _site(context)
            base = site.post_path.rsplit("/", 1)[0] if "/" in site.post_path else ""
            name = "=" + (f"{base}/{name}" if base else name)
        env: JekyllEnvironment = context.env
        if env.include_depth >= MAX_INCLUDE_DEPTH:
            return buffer.write(_note("includes nested too deep"))
        try:
            template = context.env.get_template(name)
        except TemplateNotFoundError:
            return buffer.write(_note(f"include {self.name.lstrip('=')} not in the folder"))
        values = {k: self._value(context, v) for k, v in _PARAM.findall(self.params)}
        env.include_depth += 1
        try:
            with context.extend({"include": values}, template=template):
                template.render_with_context(context, buffer, partial=True)
        finally:
            env.include_depth -= 1
        return True


class _IncludeTag(Tag):
    name = "include"
    block = False
    relative = False

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        text = _expression(stream, eat=False).strip()
        m = re.match(r"(\{\{.*?\}\}|\S+)\s*(.*)", text, re.S)
        name, params = (m.group(1), m.group(2)) if m else ("", "")
        return _IncludeNode(token, name, params, self.relative)


class _IncludeRelativeTag(_IncludeTag):
    name = "include_relative"
    relative = True


_LANG = re.compile(r"[\w#+.\-]{1,40}")


class _HighlightNode(Node):
    def __init__(self, token: Token, lang: str, block: BlockNode, linenos: bool) -> None:
        super().__init__(token)
        self.lang = lang
        self.block_node = block
        self.linenos = linenos
        self.blank = False

    def __str__(self) -> str:
        return ""

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        buf = context.get_buffer(buffer)
        self.block_node.render(context, buf)
        code = buf.getvalue().strip("\n")
        blocks: list[str] = context.env.highlight_blocks
        attr = f' class="language-{htmllib.escape(self.lang)}"' if self.lang else ""
        text = htmllib.escape(code, quote=False)
        if self.linenos:
            # Rouge's table: the line numbers in a gutter beside the code, as Jekyll shows it.
            numbers = "\n".join(str(n) for n in range(1, code.count("\n") + 2))
            text = (
                '<table class="rouge-table"><tbody><tr><td class="gutter gl">'
                f'<pre class="lineno">{numbers}\n</pre></td><td class="code"><pre>{text}\n</pre>'
                "</td></tr></tbody></table>"
            )
        blocks.append(f"<pre><code{attr}>{text}</code></pre>")
        return buffer.write(placeholder("H", len(blocks) - 1))


class _HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        words = _expression(stream, eat=True).split()
        lang = words[0] if words and _LANG.fullmatch(words[0]) else ""
        block = get_parser(self.env).parse_block(stream, frozenset(("endhighlight", TOKEN_EOF)))
        stream.expect(TOKEN_TAG, value="endhighlight")
        return _HighlightNode(token, lang, block, "linenos" in words[1:])


def _note(text: str) -> str:
    return f'<span class="{NOTE_CLASS}">[{htmllib.escape(text, quote=False)}]</span>'


# ---------------------------------------------------------------------------------------------
# The environment


_KNOWN_TAGS: Final = frozenset(
    {
        "assign", "capture", "endcapture", "case", "when", "endcase", "comment", "endcomment",
        "cycle", "decrement", "increment", "echo", "for", "endfor", "break", "continue",
        "if", "elsif", "else", "endif", "unless", "endunless", "ifchanged", "endifchanged",
        "include", "include_relative", "liquid", "raw", "endraw", "render", "tablerow",
        "endtablerow", "highlight", "endhighlight", "post_url", "link", "doc", "enddoc", "#",
    }
)  # fmt: skip
_TAG_NAME = re.compile(r"\{%-?\s*(end)?([A-Za-z_]\w*|#)([^%]{0,2000}?)-?%\}")
_RAW_MARK = re.compile(r"\{%-?[ \t\n]*+(end)?raw[ \t\n]*+-?%\}")
# More tags and outputs than any real post has: the body is shown by the linear subset.
MAX_MARKUP: Final = 3_000
_DELIMITER = re.compile(r"\{\{|\}\}|\{%|%\}")


def _ends_raw(text: str, span: tuple[int, int]) -> bool:
    m = _RAW_MARK.search(text, span[0] + 1)
    return m is not None and m.group(1) is not None and m.end() == span[1]


def _check_delimiters(text: str, raws: list[tuple[int, int]]) -> None:
    """LiquidFailed unless every `{{` and `{%` closes before the next one opens and every raw
    block ends: python-liquid's lexer rescans the rest of the text from each unclosed one
    (quadratic: 8,000 `{{` take it half a minute). One pass."""
    k = 0
    opened = ""
    for m in _DELIMITER.finditer(text):
        pos = m.start()
        while k < len(raws) and raws[k][1] <= pos:
            k += 1
        if k < len(raws) and raws[k][0] < pos < raws[k][1] and not opened:
            continue  # inside raw, anything goes
        token = m.group()
        if token in ("{{", "{%"):
            if opened:
                raise LiquidFailed(f"a {opened} is never closed")
            opened = token
        elif opened and (token == "}}") == (opened == "{{"):
            opened = ""
    if opened:
        raise LiquidFailed(f"a {opened} is never closed")


def _raw_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each `{% raw %}…{% endraw %}`, in one pass."""
    spans: list[tuple[int, int]] = []
    start = -1
    for m in _RAW_MARK.finditer(text):
        if m.group(1) is None and start < 0:
            start = m.start()
        elif m.group(1) is not None and start >= 0:
            spans.append((start, m.end()))
            start = -1
    if start >= 0:
        spans.append((start, len(text)))
    return spans


class JekyllEnvironment(Environment):
    """python-liquid with Jekyll's tags and filters and this reader's limits."""

    loop_iteration_limit: ClassVar[int | None] = MAX_LOOP_ITERATIONS
    output_stream_limit: ClassVar[int | None] = MAX_OUTPUT
    local_namespace_limit: ClassVar[int | None] = 8_000_000
    context_depth_limit: ClassVar[int] = 30

    def __init__(self, site: LiquidSite) -> None:
        super().__init__(
            tolerance=Mode.STRICT,
            strict_filters=False,
            loader=_FolderLoader(site.root) if site.root else DictLoader({}),
        )
        self.liquid_site = site
        self.highlight_blocks: list[str] = []
        self.include_depth = 0
        self.scope_for_filters: dict[str, object] = {}
        for tag in (_PostUrlTag, _LinkTag, _IncludeTag, _IncludeRelativeTag, _HighlightTag):
            self.add_tag(tag)
        self.filters.update(jekyll_filters(self))

    def add_tag(self, tag: type[Tag]) -> None:
        self.tags[tag.name] = tag(self)


def _quiet_unknown_tags(text: str) -> str:
    """Replace tags of plugins (and their end tags) with a note before parsing."""
    raws = _raw_spans(text)
    starts = [a for a, _ in raws]

    def in_raw(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and raws[k][0] <= pos < raws[k][1]

    def replace(m: re.Match[str]) -> str:
        name = m.group(2)
        full = ("end" + name) if m.group(1) else name
        if full in _KNOWN_TAGS or name in _KNOWN_TAGS or in_raw(m.start()):
            return m.group(0)
        if m.group(1):
            return ""
        return _note(f"{name} {m.group(3).strip()}".strip()[:200])

    return _TAG_NAME.sub(replace, text)


def render_liquid(text: str, site: LiquidSite) -> LiquidResult:
    """Evaluate `text` as Jekyll does (see the module doc); LiquidFailed when it cannot."""
    if "{" not in text:
        return LiquidResult(text)
    if text.count("{%") + text.count("{{") > MAX_MARKUP:
        raise LiquidFailed(f"more than {MAX_MARKUP:,} Liquid tags and outputs")
    raws = _raw_spans(text)
    if raws and _RAW_MARK.match(text, raws[-1][1] - 1) is None and not _ends_raw(text, raws[-1]):
        raise LiquidFailed("a raw block is never closed")
    _check_delimiters(text, raws)
    env = JekyllEnvironment(site)
    site_vars = ChainMap(site.site, {"url": site.url, "baseurl": site.baseurl})  # type: ignore[arg-type]
    env.scope_for_filters = {"site": site_vars, "page": site.page}
    try:
        template: BoundTemplate = env.from_string(_quiet_unknown_tags(text))
        context_globals = {"site": site_vars, "page": site.page}
        context = template.context_class(template, globals=template.make_globals(context_globals))
        buf = template._get_buffer()
        template.render_with_context(context, buf)
        out = buf.getvalue()
    except (LiquidError, RecursionError) as exc:
        raise LiquidFailed(str(exc)) from exc
    return LiquidResult(out, env.highlight_blocks)

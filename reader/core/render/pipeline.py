"""Post bodies to safe, offline HTML for the reading pane, and plain-text views of that HTML.

Owns the rendering API the rest of the program uses: `RenderContext`, `render_body`,
`html_to_text`, `highlight_terms`. `render_body` runs one pipeline, each step in its own module:

    normalise and truncate -> Liquid (liquid_engine, python-liquid with Jekyll's tags and
    filters, bounded in time; the linear subset in liquid.py when it cannot) -> Markdown in
    kramdown's dialect (markdown_html, kramdown, kramdown_ext), or the text as it is for
    .html and extensions Jekyll does not convert -> shape: nesting bounded, links and images
    settled, links to other posts by their URL (tree, urls) -> sanitise (nh3) -> notices

`RenderContext` carries what the site knows (Liquid's `site`/`page`, the kramdown options,
how a URL maps to a post); `render.page.render_post` fills it in from a library.

The result never makes Qt fetch anything: remote images become links the user may open,
local ones point at `postasset:/path` inside the opened folder, everything else is dropped.
Its cost is bounded: a 2 MB body of any content renders in well under two seconds.
"""

from __future__ import annotations

import html as htmllib
import logging
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import nh3

from reader.core.post import POST_EXTENSIONS, PostFormat
from reader.core.render.deadline import DeadlineExceeded, run_with_deadline
from reader.core.render.kramdown import KramdownOptions
from reader.core.render.liquid import (
    HIGHLIGHT_PLACEHOLDER,
    LiquidResult,
    apply_liquid,
    strip_markers,
)
from reader.core.render.liquid_site import LiquidFailed, LiquidSite
from reader.core.render.markdown_html import prepare_converter, render_markdown
from reader.core.render.tokens import break_long_runs
from reader.core.render.tokens import highlight_terms as _highlight_terms
from reader.core.render.tokens import html_to_text as _html_to_text
from reader.core.render.tree import (
    ALLOWED_TAGS,
    DROPPED_WITH_CONTENT,
    MAX_TAGS,
    flatten,
    shape,
    within_bounds,
)
from reader.core.render.urls import ASSET_SCHEME as _ASSET_SCHEME
from reader.core.render.urls import REMOTE_IMAGE_CLASS as _REMOTE_IMAGE_CLASS
from reader.core.render.urls import LocalResolver, UrlPolicy

logger = logging.getLogger(__name__)

ASSET_SCHEME: Final = _ASSET_SCHEME  # local images: src="postasset:/<quoted path in the folder>"
REMOTE_IMAGE_CLASS: Final = _REMOTE_IMAGE_CLASS

FALLBACK_CHARS: Final = 200_000
NOTICE_TOO_MANY_TAGS: Final = (
    f"This post has more than {MAX_TAGS:,} HTML tags; the text after them is shown without its"
    " formatting."
)


@dataclass(frozen=True, slots=True)
class RenderContext:
    """Where a post lives, which decides how its links and images resolve."""

    root: Path  # the opened folder, absolute and resolved
    post_path: str  # relative to root, '/' separators: "travel/_posts/2023-05-02-x.md"
    site_url: str = ""  # _config.yml url, e.g. "https://example.org"
    baseurl: str = ""  # _config.yml baseurl, e.g. "" or "/blog"
    max_input_chars: int = 2_000_000
    # What Liquid sees (site, page, post_url …); None: only the site's url and baseurl.
    liquid: LiquidSite | None = None
    kramdown: KramdownOptions = field(default_factory=KramdownOptions)
    # A link's href -> the folder path of the post it opens by URL (render.permalinks).
    post_link: Callable[[str], str | None] | None = None


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# No `style` (scraped pages carry display:none and the like) and no event handlers. render_tree
# has already settled every value; this is the second line of defence, should its tokenizer
# ever read a tag differently from nh3's parser.
_ATTRIBUTES: Final[dict[str, set[str]]] = {
    "*": {"title", "class", "dir", "lang"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "align"},
    "td": {"colspan", "rowspan", "align", "valign", "width"},
    "th": {"colspan", "rowspan", "align", "valign", "width"},
    "col": {"span", "width", "align"},
    "colgroup": {"span", "width", "align"},
    "table": {"align", "width"},
    "ol": {"start"},
    "time": {"datetime"},
    **{tag: {"align", "id"} for tag in _HEADINGS},
    **{tag: {"align"} for tag in ("p", "div", "tr", "thead", "tbody", "tfoot", "caption")},
    "sup": {"id"},
    "li": {"id"},
}
_ASSET_PREFIX: Final = ASSET_SCHEME + ":/"


def _only_local_images(tag: str, attribute: str, value: str) -> str | None:
    # Never raises (nh3 reports a raising filter through sys.unraisablehook).
    if tag == "img" and attribute == "src" and not value.startswith(_ASSET_PREFIX):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=_ATTRIBUTES,
    attribute_filter=_only_local_images,
    url_schemes={"http", "https", "mailto", ASSET_SCHEME},
    link_rel=None,
    strip_comments=True,
)

_SURROGATES = re.compile("[\ud800-\udfff]")


def _notice(text: str) -> str:
    return f'<p class="notice">{htmllib.escape(text, quote=False)}</p>'


def _normalise(body: object, limit: int) -> tuple[str, bool]:
    """Any body -> text without NULs, lone surrogates, CRs or marker characters; truncated?"""
    if isinstance(body, str):
        raw = body
    elif isinstance(body, bytes):
        raw = body.decode("utf-8", "replace")
    else:
        raw = "" if body is None else str(body)
    truncated = len(raw) > limit
    text = raw[:limit]
    text = _SURROGATES.sub("\ufffd", text)  # nh3 (Rust) cannot take them
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return strip_markers(text.removeprefix("\ufeff")), truncated


LIQUID_SECONDS: Final = 1.0


def _liquid(text: str, ctx: RenderContext) -> LiquidResult:
    """Liquid by the real engine, bounded in time; the old subset when it cannot."""
    if not has_liquid(text):
        return LiquidResult(text)
    # The engine is imported with the first post that holds Liquid (see `prepare_renderer`).
    from reader.core.render.liquid_engine import render_liquid

    site = ctx.liquid or LiquidSite(
        root=ctx.root, post_path=ctx.post_path, url=ctx.site_url, baseurl=ctx.baseurl
    )
    try:
        return run_with_deadline(lambda: render_liquid(text, site), LIQUID_SECONDS)
    except (LiquidFailed, DeadlineExceeded) as exc:
        logger.info("Liquid in %s shown by the subset: %s", ctx.post_path, exc)
    except Exception:  # the engine's own bugs: the post is still shown
        logger.warning("Liquid failed on %s", ctx.post_path, exc_info=True)
    return apply_liquid(text, ctx.site_url, ctx.baseurl)


def _render(body: object, fmt: PostFormat, ctx: RenderContext) -> str:
    limit = max(int(ctx.max_input_chars), 0)
    text, truncated = _normalise(body, limit)
    liquid = _liquid(text, ctx)
    text = liquid.text
    if len(text) > limit:  # Liquid outputs can make a body longer than it was
        text, truncated = text[:limit], True
    notices: list[str] = []
    ext = posixpath.splitext(ctx.post_path)[1].lower()
    if fmt == PostFormat.HTML or (fmt == PostFormat.TEXT and ext not in POST_EXTENSIONS):
        # Jekyll converts only Markdown; .html and unknown extensions (.tcl, .mc) pass through.
        markup = text
    else:
        result = render_markdown(text, ctx.kramdown)
        markup, notices = result.html, result.notices
    if liquid.blocks:
        blocks = liquid.blocks

        def block(m: re.Match[str]) -> str:
            index = int(m.group(1) or m.group(2))
            return blocks[index] if index < len(blocks) else ""

        markup = HIGHLIGHT_PLACEHOLDER.sub(block, markup)
    markup = strip_markers(markup)
    markup, too_many_tags = shape(
        markup, UrlPolicy(LocalResolver(ctx.root, ctx.post_path, ctx.baseurl), ctx.post_link)
    )
    if too_many_tags:
        notices.append(NOTICE_TOO_MANY_TAGS)
    markup = _CLEANER.clean(markup)
    if not within_bounds(markup):  # the tree model and html5ever disagreed; repair
        logger.warning("Nesting past the bounds after sanitising %s", ctx.post_path)
        markup = flatten(markup)
    markup = break_long_runs(markup)
    parts = [_notice(n) for n in notices]
    parts.append(markup)
    if truncated:
        parts.append(
            _notice(f"This post is longer than {limit:,} characters; the rest was truncated.")
        )
    return "\n".join(parts)


def has_liquid(text: str) -> bool:
    """Whether Liquid would change `text`: it acts only on `{{ }}` and `{% %}`."""
    return "{{" in text or "{%" in text


def prepare_renderer(liquid: bool = True) -> None:
    """Import what rendering a post needs, on the calling thread (e.g. a worker's, after a
    load), so the first article rendered on the window's thread imports nothing.
    `liquid=False`: leave out the Liquid engine (python-liquid: 9 MB, 0.1 s), for folders whose
    posts hold no Liquid markup; the first post that does imports it."""
    prepare_converter()
    if liquid:
        import reader.core.render.liquid_engine  # noqa: F401


def render_body(body: str, fmt: PostFormat, ctx: RenderContext) -> str:
    """Body text -> safe, offline HTML fragment for the reading pane. Never raises for bad input."""
    try:
        return _render(body, fmt, ctx)
    except (Exception, DeadlineExceeded):
        logger.exception("Could not render %s", getattr(ctx, "post_path", "?"))
        text = body if isinstance(body, str) else ""
        shown = htmllib.escape(_SURROGATES.sub("", text[:FALLBACK_CHARS]), quote=False)
        return _notice("This post could not be formatted; its text is shown as it is.") + (
            f"<pre>{break_long_runs(shown)}</pre>"
        )


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment (paragraphs separated by blank lines, list items
    with '- ', links as 'text <url>'), for the terminal `show` command and search indexing."""
    return _html_to_text(html)


def highlight_terms(html: str, terms: Sequence[str]) -> str:
    """Wrap case-insensitive occurrences of each term in text nodes (never inside
    tags/attributes) with <span class="hit">…</span>; terms may be Chinese of any length."""
    return _highlight_terms(html, terms)

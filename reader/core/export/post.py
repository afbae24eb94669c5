"""Exporting one post as written: a self-contained HTML file (local images embedded) or
Markdown — the article, never what the screen adds to it (search highlights, the bookmark star,
links that work only inside the window).

Owns `article_html` (the article's header and body for an export), `standalone_html` (a whole
HTML document), `article_markdown` (HTML bodies converted with markdownify, a maintained
HTML-to-Markdown converter) and `keep_outside_links` (links inside the folder become their
text). The body is the reading pane's rendering, so it is already sanitised and offline;
images that the pane loads through `postasset:` are embedded as data URIs, read from inside
the folder only.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote

from reader.core.errors import FileProblem
from reader.core.post import Post, PostFormat
from reader.core.reading.files import read_inside

MAX_EMBEDDED_IMAGE_BYTES = 10 * 1024 * 1024
_ASSET_SRC = re.compile(r'src="postasset:/([^"]*)"')


def _data_uri(root: Path, rel: str) -> str | None:
    """The image as a data URI, or None when `reading/files.py`'s rules refuse it (outside the
    folder, not a regular file, too large); checked on the open file, so nothing swapped in
    after a check is embedded."""
    name = unquote(rel)
    try:
        data = read_inside(root, name, MAX_EMBEDDED_IMAGE_BYTES)
    except FileProblem:
        return None
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def standalone_html(title: str, fragment: str, css: str, root: Path) -> str:
    """A complete HTML document of a rendered post, with its local images embedded."""
    root = root.resolve()

    def embed(m: re.Match[str]) -> str:
        uri = _data_uri(root, m.group(1))
        return f'src="{uri}"' if uri else 'src=""'

    body = _ASSET_SRC.sub(embed, fragment)
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n"
        "body { max-width: 46em; margin: 2em auto; padding: 0 1em; }\n"
        "img { max-width: 100%; height: auto; }\n</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S | re.I)
_HREF = re.compile(r'\bhref="([^"]*)"', re.I)
_MARK = re.compile(r"</?mark\b[^>]*>", re.I)
_OUTSIDE = ("http://", "https://", "mailto:", "ftp://")
# A Markdown file whose body is HTML (as scraped archives write them): converted like HTML.
_HTML_BODY = re.compile(
    r"\s*<(p|div|h[1-6]|table|ul|ol|section|article|blockquote|span|img)\b", re.I
)


def keep_outside_links(fragment: str) -> str:
    """`fragment` with every link that leads somewhere only the window can go (another post in
    the folder, a `pr-…:` action) replaced by its text; web links and in-page `#` links stay."""

    def one(m: re.Match[str]) -> str:
        href = _HREF.search(m.group(1))
        target = html.unescape(href.group(1)) if href else ""
        if target.startswith(_OUTSIDE) or target.startswith("#"):
            return m.group(0)
        return m.group(2)

    return _LINK.sub(one, _MARK.sub("", fragment))


def _when(post: Post) -> str:
    return post.date.strftime("%Y-%m-%d %H:%M") if post.date is not None else ""


def article_html(post: Post, body: str) -> str:
    """The article for an export: its title, date, categories and tags as text, then `body`
    (its rendering) with links that only work in the window made plain text."""
    meta = [html.escape(x) for x in (_when(post), " · ".join(post.categories)) if x]
    tags = " ".join(f"#{html.escape(tag)}" for tag in post.tags)
    if tags:
        meta.append(tags)
    header = f"<h1>{html.escape(post.title)}</h1>\n"
    if meta:
        header += f'<p class="meta">{" · ".join(meta)}</p>\n'
    return header + keep_outside_links(body)


def article_markdown(post: Post, body: str, rendered: str) -> str:
    """The post as Markdown: its title and metadata, then the body — as written when it is
    Markdown, converted from its rendering when it is HTML, also HTML in a Markdown file
    (links, emphasis, lists, tables and images kept; images by their path in the folder)."""
    lines = [f"# {post.title}", ""]
    if post.date is not None:
        lines.append(f"- Date: {_when(post)}")
    if post.categories:
        lines.append(f"- Categories: {', '.join(post.categories)}")
    if post.tags:
        lines.append(f"- Tags: {', '.join(post.tags)}")
    lines.append(f"- Source: {post.path}")
    if post.format is PostFormat.MARKDOWN and not _HTML_BODY.match(body):
        text = body.strip()
    else:
        from markdownify import markdownify  # imported on the first export only

        fragment = keep_outside_links(rendered).replace('src="postasset:/', 'src="')
        text = markdownify(fragment, heading_style="ATX", bullets="-").strip()
        text = re.sub(r"\n{3,}", "\n\n", text)
    lines.extend(["", text, ""])
    return "\n".join(lines)

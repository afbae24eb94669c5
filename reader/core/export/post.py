"""Exporting one post: a self-contained HTML file (local images embedded) or Markdown.

The HTML is the reading pane's rendering, so it is already sanitised and offline; images that
the pane loads through `postasset:` are embedded as data URIs, read from inside the folder only.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote

from reader.core.errors import FileProblem
from reader.core.post import Post
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


def markdown_export(post: Post, body: str) -> str:
    """The post as Markdown: a title and its metadata, then the body as written (an HTML body
    is valid Markdown too)."""
    lines = [f"# {post.title}", ""]
    if post.date is not None:
        lines.append(f"- Date: {post.date.isoformat()}")
    if post.categories:
        lines.append(f"- Categories: {', '.join(post.categories)}")
    if post.tags:
        lines.append(f"- Tags: {', '.join(post.tags)}")
    lines.append(f"- Source: {post.path}")
    lines.extend(["", body.strip(), ""])
    return "\n".join(lines)

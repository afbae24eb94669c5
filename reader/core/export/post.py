"""Exporting one post: a self-contained HTML file (local images embedded) or Markdown.

The HTML is the reading pane's rendering, so it is already sanitised and offline; images that
the pane loads through `postasset:` are embedded as data URIs, read from inside the folder only.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote

from reader.core.post import Post

MAX_EMBEDDED_IMAGE_BYTES = 10 * 1024 * 1024
_ASSET_SRC = re.compile(r'src="postasset:/([^"]*)"')


def _data_uri(root: Path, rel: str) -> str | None:
    real = Path(os.path.realpath(root / unquote(rel)))
    if not real.is_relative_to(root):
        return None
    try:
        st = real.stat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_EMBEDDED_IMAGE_BYTES:
            return None
        data = real.read_bytes()
    except OSError:
        return None
    mime = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
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

"""Which post a link leads to: by the URL Jekyll gives each post first, then by a post file's
path, `{% post_url %}` output, and last a URL ending in the post's slug (and its day).

Owns `resolve_link`; the URLs themselves are `render.permalinks`. `Library.resolve_link`
delegates here.
"""

from __future__ import annotations

import posixpath
import re
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from reader.core.library import Library


def resolve_link(library: Library, href: str, from_path: str = "") -> int | None:
    """The index of the post in `library` that the link `href` in the post at `from_path`
    points at, or None when it leads out of the folder.

    By the post's URL as Jekyll builds it first (root-relative, relative to the linking
    post's URL, or absolute with the site's `url`: see `render.permalinks`), then by the
    path of a post file (`/_posts/x.md`, relative ones), `{% post_url %}` output
    (`/_post_url/2021-07-01-slug`), and last by a URL ending in the post's slug.
    """
    from reader.core.render.permalinks import url_index

    by_url = url_index(library)
    by_path = library.paths_index()
    source = by_path.get(from_path)
    hit = by_url.resolve(href, by_url.urls[source] if source is not None else None)
    if hit is not None:
        return hit
    parts = urlsplit(href)
    if parts.scheme not in ("", "file") or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    if not path.startswith("/") and from_path:
        path = posixpath.join(posixpath.dirname(from_path), path)
    norm = posixpath.normpath(path).lstrip("/")
    if norm.startswith("../") or norm == "..":
        return None
    base = library.site.baseurl.strip("/")
    if base and norm.startswith(base + "/"):
        norm = norm[len(base) + 1 :]
    if norm in by_path:
        return by_path[norm]
    m = re.match(r"_post_url/(\d{2,4}-\d{1,2}-\d{1,2})-(.+)$", norm)
    if m:
        return _by_slug_and_day(library, m.group(2), m.group(1))
    segments = [s for s in norm.split("/") if s]
    if not segments:
        return None
    last = segments[-1]
    if last in ("index.html", "index.htm") and len(segments) > 1:
        last = segments[-2]
    slug = re.sub(r"\.(html?|md|markdown)$", "", last)
    day = None
    if len(segments) >= 4 and all(s.isdigit() for s in segments[-4:-1]):
        day = "-".join(segments[-4:-1])
    return _by_slug_and_day(library, slug, day)


def _by_slug_and_day(library: Library, slug: str, day: str | None) -> int | None:
    by_slug, slug_dups = library.slug_index()
    folded = slug.casefold()
    first = by_slug.get(folded)
    if first is None:
        return None
    hits = slug_dups.get(folded, [first])
    if day is not None and len(hits) > 1:
        y, m, d = (int(x) for x in day.split("-"))
        for i in hits:
            dt: datetime | None = library.posts[i].date
            if dt is not None and (dt.year, dt.month, dt.day) == (y, m, d):
                return i
    return hits[0]

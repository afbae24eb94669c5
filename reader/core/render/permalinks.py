"""Posts' URLs as Jekyll builds them, and links resolved by those URLs.

Owns `post_url` (Jekyll 4's rules: the `permalink` style or pattern of `_config.yml`, the
`defaults` for a path, a post's own `permalink`; `:categories` are the folder categories
plus the front-matter ones, lower case, joined by `/`) and `UrlIndex`, which maps a link
written in a post (root-relative, relative to the post's own URL, or absolute with the site's
`url`; with or without `baseurl`, `.html`, `index.html` or a trailing slash) to the post it
opens. On a multilingual site two posts share a date and a slug and differ only by their
folder (`en/news/_posts`, `uk/news/_posts`), hence by URL: only the URL tells them apart.
"""

from __future__ import annotations

import posixpath
import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, unquote, urlsplit

from reader.core.post import Post, PostFormat, SiteConfig

STYLES: Final = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":(\w+)")
_PRETTY = re.compile(r"[^\w._~!$&'()+,;=@]+")
_DEFAULT = re.compile(r"[^\w]+|_+")
# Jekyll's URL.escape_path keeps these as they are.
_SAFE: Final = "/-._~!$&'()*+,;=:@"


def _slugify(text: str, pattern: re.Pattern[str], cased: bool) -> str:
    slug = pattern.sub("-", text).strip("-")
    return slug if cased else slug.lower()


def pattern_for(post: Post, site: SiteConfig, front_matter: Mapping[str, Any] | None) -> str:
    """The permalink pattern that applies to `post` (its own, a default's, the site's)."""
    # A post's own permalink: from its front matter when the caller read it, else from the
    # record should it carry one.
    own = front_matter.get("permalink") if front_matter else getattr(post, "permalink", None)
    if isinstance(own, str) and own.strip():
        return STYLES.get(own.strip(), own.strip())
    best = ""
    chosen = None
    for scope, value in site.permalink_defaults:
        scope = scope.strip("/")
        if (not scope or post.path == scope or post.path.startswith(scope + "/")) and len(
            scope
        ) >= len(best):
            best, chosen = scope, value
    style = chosen if chosen is not None else (site.permalink or "date")
    return STYLES.get(style, style)


def post_url(post: Post, site: SiteConfig, front_matter: Mapping[str, Any] | None = None) -> str:
    """The post's URL as Jekyll writes it (percent-escaped, without `baseurl`)."""
    pattern = pattern_for(post, site, front_matter)
    dt = post.date
    name, ext = posixpath.splitext(posixpath.basename(post.path))
    base_slug = re.sub(r"^\d{2,4}-\d{1,2}-\d{1,2}-", "", name)
    slug = post.slug or base_slug
    cats = []
    for c in post.categories:
        c = c.lower()
        if c not in cats:
            cats.append(c)
    lang = front_matter.get("lang") if front_matter else None
    values: dict[str, str] = {
        "categories": "/".join(cats),
        "title": _slugify(slug, _PRETTY, cased=True),
        "slug": _slugify(slug, _DEFAULT, cased=False),
        "name": _slugify(base_slug, _PRETTY, cased=False),
        "path": posixpath.splitext(post.path)[0],
        # Jekyll converts Markdown and HTML to .html; other files keep their extension.
        "output_ext": ".html" if post.format != PostFormat.TEXT else ext,
        "lang": str(lang) if isinstance(lang, str) else "",
        "collection": "posts",
    }
    if dt is not None:
        values.update(
            year=f"{dt.year:04d}",
            short_year=f"{dt.year % 100:02d}",
            month=f"{dt.month:02d}",
            i_month=str(dt.month),
            short_month=dt.strftime("%b"),
            long_month=dt.strftime("%B"),
            day=f"{dt.day:02d}",
            i_day=str(dt.day),
            y_day=f"{dt.timetuple().tm_yday:03d}",
            hour=f"{dt.hour:02d}",
            minute=f"{dt.minute:02d}",
            second=f"{dt.second:02d}",
            week=f"{dt.isocalendar()[1]:02d}",
            w_year=str(dt.isocalendar()[0]),
            short_day=dt.strftime("%a"),
            long_day=dt.strftime("%A"),
        )

    def fill(m: re.Match[str]) -> str:
        key = m.group(1)
        # The longest known placeholder wins (`:title` before `:titles`, `:i_month` …).
        value = values.get(key)
        if value is None:
            return m.group(0)
        return quote(value, safe=_SAFE)

    url = _PLACEHOLDER.sub(fill, pattern)
    url = re.sub(r"/{2,}", "/", "/" + url)
    return url


# ---------------------------------------------------------------------------------------------
# Resolving links by URL


def _keys(path: str) -> list[str]:
    """The forms of a URL path a link may use for the same page."""
    path = unquote(path)
    keys = [path]
    if path.endswith("/index.html"):
        keys.append(path[: -len("index.html")])
    elif path.endswith(".html"):
        keys.append(path[: -len(".html")])
    elif path.endswith("/"):
        keys.append(path + "index.html")
        keys.append(path.rstrip("/") + ".html")
        keys.append(path.rstrip("/"))
    else:
        keys.append(path + ".html")
        keys.append(path + "/")
    return keys


@dataclass(frozen=True, slots=True)
class _Index:
    by_url: dict[str, int]
    urls: list[str]


class UrlIndex:
    """Posts by URL, for one library version (build: one pass over the posts)."""

    def __init__(self, posts: Sequence[Post], site: SiteConfig) -> None:
        self.site = site
        self.urls: list[str] = []
        self.by_url: dict[str, int] = {}
        for i, post in enumerate(posts):
            url = post_url(post, site)
            self.urls.append(url)
            for key in _keys(url):
                self.by_url.setdefault(key, i)
        base = site.baseurl.strip().strip("/")
        self.baseurl = "/" + base if base else ""
        parts = urlsplit(site.url.strip()) if site.url.strip() else None
        self.host = (parts.hostname or "").lower() if parts else ""

    def resolve(self, href: str, from_path: str = "", from_index: int | None = None) -> int | None:
        """The post `href` opens, when it is one of this site's post URLs."""
        try:
            parts = urlsplit(href.strip())
        except ValueError:
            return None
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("", "http", "https"):
                return None
            if not self.host or (parts.hostname or "").lower() != self.host:
                return None
        path = parts.path
        if not path:
            return None
        if not path.startswith("/"):
            if from_index is None or from_index >= len(self.urls):
                return None
            base = self.urls[from_index]
            base_dir = base if base.endswith("/") else posixpath.dirname(base) + "/"
            path = posixpath.normpath(posixpath.join(unquote(base_dir), unquote(path)))
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
            candidates = [path]
        else:
            candidates = [path]
            b = self.baseurl
            decoded = unquote(path)
            if b and (decoded == b or decoded.startswith(b + "/")):
                candidates.insert(0, decoded[len(b) :] or "/")
        for candidate in candidates:
            for key in _keys(candidate):
                hit = self.by_url.get(key)
                if hit is not None:
                    return hit
        return None


_CACHE: weakref.WeakKeyDictionary[Any, tuple[int, int, UrlIndex]] = weakref.WeakKeyDictionary()


def url_index(library: Any) -> UrlIndex:
    """The UrlIndex of a `Library`, rebuilt when its version or site settings change."""
    key = (library.version, hash(library.site))
    cached = _CACHE.get(library)
    if cached is not None and cached[:2] == key:
        return cached[2]
    index = UrlIndex(library.posts, library.site)
    _CACHE[library] = (*key, index)
    return index

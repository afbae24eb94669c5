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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
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


_PLAIN = re.compile(r"[A-Za-z0-9/\-._~]*")
_DATE_PREFIX = re.compile(r"^\d{2,4}-\d{1,2}-\d{1,2}-")


@lru_cache(maxsize=256)
def _parts(pattern: str) -> tuple[tuple[bool, str], ...]:
    """A pattern as (is_placeholder, text) pieces, parsed once."""
    pieces: list[tuple[bool, str]] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(pattern):
        if m.start() > pos:
            pieces.append((False, pattern[pos : m.start()]))
        pieces.append((True, m.group(1)))
        pos = m.end()
    if pos < len(pattern):
        pieces.append((False, pattern[pos:]))
    return tuple(pieces)


def _escape(value: str) -> str:
    return value if _PLAIN.fullmatch(value) else quote(value, safe=_SAFE)


_DATE_FIELDS: Final[dict[str, Callable[[Any], str]]] = {
    "year": lambda dt: f"{dt.year:04d}",
    "short_year": lambda dt: f"{dt.year % 100:02d}",
    "month": lambda dt: f"{dt.month:02d}",
    "i_month": lambda dt: str(dt.month),
    "short_month": lambda dt: dt.strftime("%b"),
    "long_month": lambda dt: dt.strftime("%B"),
    "day": lambda dt: f"{dt.day:02d}",
    "i_day": lambda dt: str(dt.day),
    "y_day": lambda dt: f"{dt.timetuple().tm_yday:03d}",
    "hour": lambda dt: f"{dt.hour:02d}",
    "minute": lambda dt: f"{dt.minute:02d}",
    "second": lambda dt: f"{dt.second:02d}",
    "week": lambda dt: f"{dt.isocalendar()[1]:02d}",
    "w_year": lambda dt: str(dt.isocalendar()[0]),
    "short_day": lambda dt: dt.strftime("%a"),
    "long_day": lambda dt: dt.strftime("%A"),
}


class _Fields:
    """The placeholder values of one post, each computed when a pattern asks for it."""

    __slots__ = ("_name", "front_matter", "post")

    def __init__(self, post: Post, front_matter: Mapping[str, Any] | None) -> None:
        self.post = post
        self.front_matter = front_matter
        self._name: tuple[str, str, str] | None = None

    def name(self) -> tuple[str, str, str]:
        """(file name without extension or date, its extension, the slug)."""
        if self._name is None:
            path = self.post.path
            base = path[path.rfind("/") + 1 :]
            dot = base.rfind(".")
            stem, ext = (base[:dot], base[dot:]) if dot > 0 else (base, "")
            stem = _DATE_PREFIX.sub("", stem)
            self._name = (stem, ext, self.post.slug or stem)
        return self._name

    def get(self, key: str) -> str | None:
        post = self.post
        if key == "categories":
            cats: list[str] = []
            for c in post.categories:
                c = c.lower()
                if c not in cats:
                    cats.append(c)
            return "/".join(cats)
        date_field = _DATE_FIELDS.get(key)
        if date_field is not None:
            return date_field(post.date) if post.date is not None else None
        if key == "title":
            return _slugify(self.name()[2], _PRETTY, cased=True)
        if key == "output_ext":
            # Jekyll converts Markdown and HTML to .html; other files keep their extension.
            return ".html" if post.format != PostFormat.TEXT else self.name()[1]
        if key == "slug":
            return _slugify(self.name()[2], _DEFAULT, cased=False)
        if key == "name":
            return _slugify(self.name()[0], _PRETTY, cased=False)
        if key == "path":
            return posixpath.splitext(post.path)[0]
        if key == "lang":
            lang = self.front_matter.get("lang") if self.front_matter else None
            return lang if isinstance(lang, str) else ""
        if key == "collection":
            return "posts"
        return None


def post_url(post: Post, site: SiteConfig, front_matter: Mapping[str, Any] | None = None) -> str:
    """The post's URL as Jekyll writes it (percent-escaped, without `baseurl`)."""
    out: list[str] = ["/"]
    fields = _Fields(post, front_matter)
    for is_placeholder, text in _parts(pattern_for(post, site, front_matter)):
        if not is_placeholder:
            out.append(text)
            continue
        value = fields.get(text)
        out.append(":" + text if value is None else _escape(value))
    return _SLASHES.sub("/", "".join(out))


_SLASHES = re.compile(r"/{2,}")


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

    def resolve(self, href: str, from_url: str | None = None) -> int | None:
        """The post `href` opens, when it is one of this site's post URLs; a relative `href`
        is read against `from_url`, the URL of the page it is written in."""
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
            if not from_url:
                return None
            base = from_url
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

"""The records the rest of the program passes around: posts, problems, and their enums.

A `Post` holds only metadata (front matter plus what the Jekyll rules derive from the path);
bodies are read on demand, so 100,000 of these stay small (slots, interned strings).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class PostFormat(StrEnum):
    """How a post's body is written, which decides how it is rendered."""

    MARKDOWN = "markdown"
    HTML = "html"
    TEXT = "text"


class SortKey(StrEnum):
    """Orders the article list can be sorted by."""

    DATE = "date"
    TITLE = "title"
    CATEGORY = "category"


MARKDOWN_EXTENSIONS = frozenset({".markdown", ".mkdown", ".mkdn", ".mkd", ".md"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
TEXT_EXTENSIONS = frozenset({".txt", ".text"})
POST_EXTENSIONS = MARKDOWN_EXTENSIONS | HTML_EXTENSIONS | TEXT_EXTENSIONS


def format_for_extension(ext: str) -> PostFormat:
    """The body format a file extension implies (`.txt` posts are treated as text)."""
    ext = ext.lower()
    if ext in MARKDOWN_EXTENSIONS:
        return PostFormat.MARKDOWN
    if ext in HTML_EXTENSIONS:
        return PostFormat.HTML
    return PostFormat.TEXT


def intern_all(values: tuple[str, ...]) -> tuple[str, ...]:
    """Intern category/tag names: an archive repeats a few thousand names 100,000 times."""
    return tuple(sys.intern(v) for v in values)


@dataclass(frozen=True, slots=True)
class Post:
    """One post's metadata. `path` is relative to the opened folder, with `/` separators."""

    path: str
    title: str
    date: datetime | None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    slug: str = ""
    format: PostFormat = PostFormat.MARKDOWN
    draft: bool = False
    published: bool = True
    warnings: tuple[str, ...] = ()
    # Posts reopened from the cache leave this empty (it is half of what the cache holds):
    # `Library.excerpt` reads it on demand. Derived text, so it takes no part in equality.
    excerpt: str = field(default="", compare=False)
    size: int = 0
    mtime_ns: int = 0
    # The post's own `permalink` from its front matter ("" when it has none): its URL.
    permalink: str = ""

    def to_json(self) -> dict[str, object]:
        """The object `post-reader list --json` prints (exactly these keys)."""
        return {
            "path": self.path,
            "title": self.title,
            "date": self.date.isoformat() if self.date is not None else None,
            "categories": list(self.categories),
            "tags": list(self.tags),
            "slug": self.slug,
            "format": self.format.value,
            "draft": self.draft,
            "published": self.published,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that looked like a post but could not be read as one, with a one-line reason."""

    path: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "problem": self.reason}


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What a site's `_config.yml` says that matters to a reader."""

    is_site: bool = False
    timezone: str | None = None
    url: str = ""
    baseurl: str = ""
    title: str = ""
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    excerpt_separator: str = "\n\n"
    warnings: tuple[str, ...] = field(default=())
    # How posts' URLs are built (reader.core.render.permalinks): the `permalink` style or
    # pattern, and the `defaults` that set one for posts under a path, as (path, permalink).
    permalink: str = "date"
    permalink_defaults: tuple[tuple[str, str], ...] = ()
    # The `markdown:` converter and the `kramdown:` options, as (key, value) text pairs.
    markdown: str = "kramdown"
    kramdown: tuple[tuple[str, str], ...] = ()
    # Not from `_config.yml`: the reader's choice to read a time written without an offset
    # (`date: 2021-12-08 10:46:18`) in the site's zone, where Jekyll reads it as UTC.
    naive_times_in_site_zone: bool = False

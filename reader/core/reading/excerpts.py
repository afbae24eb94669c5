"""A cached folder's excerpts, for the list's tooltip: as the cache holds them, else made from
the post's file when asked (a load leaves them out: a fifth of the parse, for a line in a
tooltip that few posts ever show)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from reader.core.post import SiteConfig
from reader.core.storage.cache import FolderCache, read_excerpt


def excerpt_reader(cache: FolderCache, site: SiteConfig) -> Callable[[str], str] | None:
    """What a post's excerpt is read by: the cache, where the parse left excerpts out."""
    return functools.partial(_excerpt, cache.path, cache.root, site) if cache.enabled else None


def _excerpt(db_path: Path, root: Path, site: SiteConfig, path: str) -> str:
    """The post's excerpt as cached, else made from its file now (a load leaves them out)."""
    cached = read_excerpt(db_path, path)
    if cached:
        return cached
    from reader.core.reading.parse import excerpt_from_file  # not imported by a warm reopen

    return excerpt_from_file(root, path, site)

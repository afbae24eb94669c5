"""Full-text search for an opened folder: where its index lives, keeping it in step with the
library, and answering a search within the current filter.

The index itself (FTS5, exact for Chinese queries of any length) is `search.SearchIndex`; this
module is the glue the window and the terminal commands share.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reader.core.library import Library
from reader.core.search.build import build_index
from reader.core.search.index import SearchIndex, terms_for_highlight
from reader.core.storage.db import folder_database_path

# The list shows at most this many hits (newest or best first); the status bar gives the total.
MAX_HITS = 5000

__all__ = [
    "MAX_HITS",
    "Hits",
    "ensure_index",
    "index_path",
    "open_index",
    "search_library",
    "terms_for_highlight",
]


def index_path(root: Path, cache_dir: Path | None = None) -> Path:
    """Where the search index of the folder `root` lives (beside its metadata cache)."""
    return folder_database_path(root, "search", cache_dir)


def open_index(root: Path, cache_dir: Path | None = None) -> SearchIndex:
    """The folder's index (StorageError when it cannot be opened; a damaged one is rebuilt)."""
    return SearchIndex.open(index_path(root, cache_dir))


def ensure_index(
    library: Library, index: SearchIndex, cancelled: Callable[[], bool] = lambda: False
) -> None:
    """Bring the index in step with the library (blocking; only changed posts are indexed)."""
    for _progress in build_index(library.root, library.posts, index, cancelled):
        pass


@dataclass(frozen=True, slots=True)
class Hits:
    paths: tuple[str, ...]  # in result order
    total: int | None  # all matches (None: not counted)
    terms: tuple[str, ...]  # what the reading pane should highlight


def search_library(
    index: SearchIndex,
    text: str,
    within: Collection[str] | None = None,
    order: Literal["date", "relevance"] = "date",
    limit: int = MAX_HITS,
) -> Hits:
    """Posts matching `text` (words, "phrases", -exclusions, tag:/category: terms), restricted
    to `within` when given (the posts of the selected tree node)."""
    result = index.search(text, order=order, within=within, limit=limit, with_total=True)
    return Hits(tuple(result.paths), result.total, tuple(terms_for_highlight(text)))

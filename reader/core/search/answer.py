"""What `Folder.search` answers: a search within a filter, as a `Query` the library runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reader.core.library import Query

SearchOrder = Literal["date", "relevance"]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A search answered within a filter: `query` lists the hits (run it with
    `Folder.query`), `total` counts every match, `terms` are what to highlight."""

    query: Query
    paths: tuple[str, ...]
    total: int | None
    terms: tuple[str, ...]

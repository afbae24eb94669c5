"""The Qt-free core of Post Reader, and its public API.

The window (`reader.gui`) and the terminal commands (`reader.cli`) import from here and from
nothing below it, so every feature exists once. The surface, in the manner of lemon24/reader's
`make_reader()` → `Reader`:

    folder = open_folder(path)           # FolderError when it cannot be opened
    folder.load()                        # or: for event in folder.events(): folder.apply(event)
    folder.query(Query(categories=("x",)))           -> [Post, ...]
    folder.search("监管", Query(tags=("y",)))         -> SearchResult (a Query, total, terms)
    folder.search_first("监管").first / .finish()    # its first page now, the rest on a thread
                            .finish_rows(folder.library)  # the rest as post numbers
    folder.render(post)                  # safe, offline HTML
    folder.marks.toggle_bookmark(post)   # the user's data for this folder
    folder.close()

    with interacting(): ...              # the window acting for the user: background work
                                         # that calls give_way()/giving_way() waits

Nothing here imports Qt (a test checks it in a fresh interpreter).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reader.core.errors import (
    BugError,
    DamagedFile,
    EnvironmentProblem,
    FileProblem,
    FolderError,
    ImportFileError,
    InputError,
    PostReaderError,
    StorageError,
    StorageFull,
    StorageLocked,
    StorageReadOnly,
    WorkerStartError,
)
from reader.core.events import (
    Added,
    Done,
    FolderChanges,
    LoadEvent,
    LoadStats,
    Progress,
    Removed,
    Snapshot,
)
from reader.core.folder import Folder, open_folder
from reader.core.foreground import acted, give_way, giving_way, interacting
from reader.core.foreground import release as release_background
from reader.core.library import Library, Query, prepare, sort_by_name
from reader.core.marks import FolderMarks
from reader.core.orders import OrderSnapshot
from reader.core.paths import cache_dir, config_dir, data_dir, log_dir
from reader.core.post import Post, PostFormat, Problem, SiteConfig, SortKey
from reader.core.reading.jekyll import resolve_zone
from reader.core.reading.look_ahead import look_ahead
from reader.core.reading.problems import printable, problem_line
from reader.core.sample import sample_folder
from reader.core.search.answer import SearchOrder, SearchResult
from reader.core.sources.names import (
    CategoryName,
    category_tags,
    display_name,
    establish_names,
    folder_category_names,
)
from reader.core.sources.pinyin import (
    SourceMatcher,
    matches_source,
    pinyin_initials,
    pinyin_sort_key,
    prepare_matching,
)
from reader.core.storage.saved_searches import SavedSearch
from reader.core.storage.userdata import (
    EXPORT_FORMATS,
    Bookmark,
    ExportFormat,
    ImportResult,
    UserStore,
)
from reader.core.table import PostTable
from reader.core.timeline import (
    Bucket,
    DayIndex,
    Period,
    Timeline,
    build_timeline,
    day_numbers,
    in_range,
    parse_day,
    since_until,
)

if TYPE_CHECKING:
    from reader.core.duplicates.index import DuplicateIndex, find_duplicates
    from reader.core.related import RelatedFinder, RelatedPost
    from reader.core.render.style import DARK, LIGHT, LINE_WIDTHS, THEMES, ReadingStyle
    from reader.core.render.tokens import highlight_terms, html_to_text
    from reader.core.search.build import BuildProgress
    from reader.core.search.pending import PendingSearch
    from reader.core.sources.site_files import SiteNames, read_site_names

# Imported on first use (`reader.core.html_to_text` works as before): a terminal command that
# lists posts needs none of them, and importing them all cost a tenth of its run.
_LAZY = {
    "DuplicateIndex": "reader.core.duplicates.index",
    "find_duplicates": "reader.core.duplicates.index",
    "RelatedFinder": "reader.core.related",
    "RelatedPost": "reader.core.related",
    "DARK": "reader.core.render.style",
    "LIGHT": "reader.core.render.style",
    "LINE_WIDTHS": "reader.core.render.style",
    "THEMES": "reader.core.render.style",
    "ReadingStyle": "reader.core.render.style",
    "highlight_terms": "reader.core.render.tokens",
    "html_to_text": "reader.core.render.tokens",
    "BuildProgress": "reader.core.search.build",
    "PendingSearch": "reader.core.search.pending",
    "SiteNames": "reader.core.sources.site_files",
    "read_site_names": "reader.core.sources.site_files",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later lookups do not come here
    return value


__all__ = [
    "DARK",
    "EXPORT_FORMATS",
    "LIGHT",
    "LINE_WIDTHS",
    "THEMES",
    "Added",
    "Bookmark",
    "Bucket",
    "BugError",
    "BuildProgress",
    "CategoryName",
    "DamagedFile",
    "DayIndex",
    "Done",
    "DuplicateIndex",
    "EnvironmentProblem",
    "ExportFormat",
    "FileProblem",
    "Folder",
    "FolderChanges",
    "FolderError",
    "FolderMarks",
    "ImportFileError",
    "ImportResult",
    "InputError",
    "Library",
    "LoadEvent",
    "LoadStats",
    "OrderSnapshot",
    "PendingSearch",
    "Period",
    "Post",
    "PostFormat",
    "PostReaderError",
    "PostTable",
    "Problem",
    "Progress",
    "Query",
    "ReadingStyle",
    "RelatedFinder",
    "RelatedPost",
    "Removed",
    "SavedSearch",
    "SearchOrder",
    "SearchResult",
    "SiteConfig",
    "SiteNames",
    "Snapshot",
    "SortKey",
    "SourceMatcher",
    "StorageError",
    "StorageFull",
    "StorageLocked",
    "StorageReadOnly",
    "Timeline",
    "UserStore",
    "WorkerStartError",
    "acted",
    "build_timeline",
    "cache_dir",
    "category_tags",
    "config_dir",
    "data_dir",
    "day_numbers",
    "display_name",
    "establish_names",
    "find_duplicates",
    "folder_category_names",
    "give_way",
    "giving_way",
    "highlight_terms",
    "html_to_text",
    "in_range",
    "interacting",
    "log_dir",
    "look_ahead",
    "matches_source",
    "open_folder",
    "parse_day",
    "pinyin_initials",
    "pinyin_sort_key",
    "prepare",
    "prepare_matching",
    "printable",
    "problem_line",
    "read_site_names",
    "release_background",
    "resolve_zone",
    "sample_folder",
    "since_until",
    "sort_by_name",
]

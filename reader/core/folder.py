"""One opened folder, as the window and the terminal commands use it.

Owns `Folder` and `open_folder`: a folder's library (which `apply` changes, in place), its
cache, its full-text index and the user's marks for it, each opened when first needed and
closed with the folder. Loading is a stream of events so a window can run it on a worker
thread and apply the events on its own; `load()` is the blocking form.

Searching is listing with a text condition: `search(text, filter)` takes the same `Query` as
`query(filter)` and answers with a `Query` the library can run, plus what to highlight.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.errors import StorageError
from reader.core.events import Done, FolderChanges, LoadEvent
from reader.core.library import Library, Query
from reader.core.marks import FolderMarks
from reader.core.post import Post, PostFormat, SortKey
from reader.core.reading import loader
from reader.core.reading.files import read_inside, relative_inside
from reader.core.reading.parse import read_body
from reader.core.reading.scan import check_folder
from reader.core.search.answer import SearchOrder, SearchResult
from reader.core.sources.names import CategoryName, folder_category_names
from reader.core.storage.codec import CacheDamaged
from reader.core.storage.saved_searches import SavedSearch, node_query
from reader.core.storage.userdata import UserStore
from reader.core.table import PostTable
from reader.core.timeline import Period, Timeline, build_timeline

if TYPE_CHECKING:  # the features below are imported where used: `list` needs none of them
    from reader.core.duplicates.copies import CopyGroups, FolderCopies
    from reader.core.related import RelatedFinder, RelatedPost
    from reader.core.render.page import RenderedPost
    from reader.core.search.build import BuildProgress
    from reader.core.search.index import SearchIndex
    from reader.core.search.pending import PendingSearch

log = logging.getLogger(__name__)

_ALL = Query()


class Folder:
    """An opened folder of posts (see the module docstring). Not thread-safe: one thread
    applies events and queries; `events()` and `refresh()` may run on another."""

    def __init__(
        self,
        root: Path,
        *,
        cache_dir: Path | None = None,
        store: UserStore | None = None,
        skip_dirs: frozenset[str] = frozenset(),
        workers: int | None = None,
        naive_times_in_site_zone: bool = False,
    ) -> None:
        self.root = root
        # Read `date: 2021-12-08 10:46:18` (no offset) in the site's zone, not as UTC.
        self.naive_times_in_site_zone = naive_times_in_site_zone
        self.cache_dir = cache_dir
        self.skip_dirs = skip_dirs
        self.workers = workers
        self.library = Library(root)
        self._store = store
        self._owns_store = store is None
        self._state: loader.FolderState | None = None
        self._index: SearchIndex | None = None
        self._marks: FolderMarks | None = None
        self._names: tuple[int, dict[str, CategoryName]] | None = None
        self._duplicates: FolderCopies | None = None
        self._related: RelatedFinder | None = None
        # The cache brought up to date and queried without loading (see `select`).
        self._view = loader.CacheView(
            root,
            cache_dir,
            workers=workers,
            skip_dirs=skip_dirs,
            naive_times_in_site_zone=naive_times_in_site_zone,
        )
        self.loaded = False
        self._loaded_version = -1  # the library's version when the load ended

    # --- loading ------------------------------------------------------------------------------

    def events(
        self, cancelled: Callable[[], bool] | None = None, *, use_workers: bool | None = None
    ) -> Iterator[LoadEvent]:
        """The load as events, cache first (see `reader.core.events`); does not apply them.
        Runs on any thread; FolderError before the first event when the folder is unreadable."""
        return loader.open_library(
            self.root,
            self.cache_dir,
            cancelled,
            workers=self.workers,
            use_workers=use_workers,
            skip_dirs=self.skip_dirs,
            naive_times_in_site_zone=self.naive_times_in_site_zone,
        )

    def apply(self, event: LoadEvent | FolderChanges) -> None:
        """Apply a load or refresh event to the library (the thread that queries calls this)."""
        self.library.apply(event)
        if isinstance(event, Done):
            if self._state is not None and self._state is not event.state:
                self._state.close()
            self._state = event.state
            self._loaded_version = self.library.version
            self.loaded = True

    def load(self, *, use_workers: bool | None = None) -> Folder:
        """Load the whole folder (blocking): what the terminal commands do."""
        for event in self.events(use_workers=use_workers):
            self.apply(event)
        return self

    def refresh(self, cancelled: Callable[[], bool] | None = None) -> FolderChanges:
        """What changed on disk since the load (not applied: hand it to `apply`). Runs on any
        thread. `changes.reload` means the folder must be loaded again."""
        if self._state is None:
            return FolderChanges(reload=True)
        return loader.refresh(self._state, cancelled, workers=self.workers)

    # --- posts --------------------------------------------------------------------------------

    @property
    def posts(self) -> PostTable:
        """The posts, as columns: `posts[i]` builds one; `posts.snapshot()` is a view another
        thread may read while the library grows."""
        return self.library.posts

    def post(self, path: str) -> Post | None:
        return self.library.post_at(path)

    def post_folders(self) -> list[str]:
        """The folders holding post files (relative, "" for the root), as the last scan found
        them: what a window watches. Found by the scan, not from 1,000,000 paths (0.4 s)."""
        if self._state is not None:
            return self._state.folders
        return sorted({post.path.rpartition("/")[0] for post in self.posts})

    def query(self, filter: Query = _ALL) -> list[Post]:
        """The posts matching `filter`, in its order."""
        posts = self.library.posts
        return [posts[i] for i in self.library.query(filter)]

    def select(self, filter: Query = _ALL) -> list[Post]:
        """What `load()` then `query(filter)` gives, decoded from the cache brought up to date
        (`catch_up`) without loading; a folder without a usable cache is loaded."""
        catalog = None if self.loaded else self._view.catalog()
        try:
            if catalog is not None:
                return catalog.select(filter)
        except (sqlite3.Error, CacheDamaged) as exc:
            log.warning("index cache not usable (%s); loading the folder", exc)
            self._view.close()
        return (self if self.loaded else self.load()).query(filter)

    def catch_up(self) -> bool:
        """Bring the cache up to date so that `select`, `search`, `update_index` and `marks`
        work without loading; False when there is no usable cache (they then load)."""
        return self.loaded or self._view.catalog() is not None

    def relative_path(self, path: str | Path) -> str:
        """A path given by the user, relative to the folder with '/' separators; InputError
        when it lies outside the folder."""
        return relative_inside(self.root, path)

    def body(self, path: str) -> tuple[str, PostFormat, tuple[str, ...]]:
        """A post's body (front matter removed), its format and decoding warnings; FileProblem
        when the file cannot be read any more."""
        return read_body(self.root, path)

    def read_file(self, path: str, limit: int) -> bytes:
        """The bytes of a file inside the folder (an image, say): never through a symlink out
        of it, regular files only, at most `limit` bytes; FileProblem otherwise (the rules are
        `reading/files.py`'s)."""
        return read_inside(self.root, path, limit)

    def render(self, post: Post, highlight: tuple[str, ...] = ()) -> str:
        """The post's body as the reading pane shows it: safe, offline HTML. FileProblem when
        the file cannot be read any more."""
        html = self.rendered(post).html
        if not highlight:
            return html
        from reader.core.render.tokens import highlight_terms

        return highlight_terms(html, highlight)

    def prepare_renderer(self) -> None:
        """Import what rendering needs, on this thread (a worker's, after a load)."""
        from reader.core.render.page import prepare_for

        prepare_for(self.library)

    def rendered(self, post: Post) -> RenderedPost:
        """The post as its site showed it — Liquid with the site's `_config.yml`, `_data/` and
        posts, then kramdown's Markdown — as safe, offline HTML, with where each of its links
        leads (a path in this folder, or None when it leaves it). FileProblem when the file
        cannot be read any more."""
        # Imported on the first article (Markdown, Liquid): not needed to show the list.
        from reader.core.render.page import render_post

        return render_post(self.library, post)

    def url(self, post: Post) -> str:
        """The post's URL on its site, as Jekyll builds it (permalink settings, `defaults`,
        the post's own `permalink`), without `baseurl`."""
        catalog = None if self.loaded else self._view.current()
        if catalog is not None:  # (after `select`) a URL needs only the post and the site
            from reader.core.render.permalinks import post_url

            return post_url(post, catalog.site)
        from reader.core.render.page import post_url_of

        return post_url_of(self.library, post)

    def resolve_link(self, href: str, from_path: str = "") -> Post | None:
        """The post a link in `from_path` leads to, when it is in this folder."""
        i = self.library.resolve_link(href, from_path)
        return self.library.posts[i] if i is not None else None

    # --- export -------------------------------------------------------------------------------

    def export_html(self, post: Post, css: str | None = None) -> str:
        """The article as written, as one self-contained HTML document: its title and
        metadata, its body as the site showed it, local images embedded (from inside the folder
        only); no search highlights, no controls, links that work only in the window made
        text. FileProblem when the file cannot be read any more."""
        from reader.core.export.post import standalone_html
        from reader.core.render.style import ReadingStyle

        style = css if css is not None else ReadingStyle().css()
        return standalone_html(post.title, self.article_html(post), style, self.root)

    def article_html(self, post: Post) -> str:
        """The article for an export or a printout: its title and metadata as text, then its
        body as the site showed it, with links that work only in the window made text."""
        from reader.core.export.post import article_html

        return article_html(post, self.render(post))

    def export_markdown(self, post: Post) -> str:
        """The post as Markdown (an HTML body converted, a Markdown body as written)."""
        from reader.core.export.post import article_markdown

        return article_markdown(post, self.body(post.path)[0], self.render(post))

    # --- search -------------------------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        """The folder's full-text index, opened on first use (StorageError when it cannot be)."""
        if self._index is None:
            try:
                from reader.core.search.index import open_index

                self._index = open_index(self.root, self.cache_dir)
            except StorageError:
                raise  # full, read-only, locked: already says which
            except (OSError, sqlite3.Error) as exc:  # e.g. the cache folder cannot be made
                raise StorageError(f"the search index cannot be opened: {exc}") from exc
        return self._index

    @property
    def has_index(self) -> bool:
        return self._index is not None

    def index_posts(
        self,
        cancelled: Callable[[], bool] = lambda: False,
        posts: Sequence[Post] | None = None,
        workers: int = 2,
    ) -> Iterator[BuildProgress]:
        """Bring the index in step with the posts (only changed ones are indexed); yields
        progress per batch. `posts`: a copy taken on the querying thread, when this runs on
        another while the library changes."""
        todo = self.library.posts.snapshot() if posts is None else posts
        from reader.core.search.build import build_index

        generation = self._posts_generation()
        return build_index(self.root, todo, self.index, cancelled, workers, generation=generation)

    def _posts_generation(self) -> str:
        """The index cache's generation the posts are ("" when not known): the posts are the
        cache's at the load's generation until the library changes."""
        state, loaded = self._state, self.library.version == self._loaded_version
        return state.generation if state is not None and loaded else ""

    def update_index(self) -> None:
        """`index_posts` to the end (blocking); not loaded, in step with the cache instead
        (see `select`): nothing is read when nothing changed since last time."""
        workers = self.workers if self.workers is not None else 2
        catalog = None if self.loaded else self._view.current()
        if catalog is None:
            for _ in self.index_posts(workers=workers):
                pass
            return
        from reader.core.search.build import sync_index

        for _ in sync_index(self.root, catalog, self.index, workers=workers):
            pass

    def search(
        self,
        text: str,
        filter: Query = _ALL,
        order: SearchOrder = "date",
        limit: int | None = None,
    ) -> SearchResult:
        """Posts matching `text` (words, Chinese of any length, "phrases", -exclusions, tag:,
        category:) within `filter`, as a `Query` for `query()`: newest first (or best first),
        or in `filter.sort` when that is another order. Every match unless `limit` says."""
        return self._search(text, filter, order, limit, counted=True).first

    def search_first(
        self, text: str, filter: Query = _ALL, order: SearchOrder = "date", page: int = 200
    ) -> PendingSearch:
        """`search` in two steps (`reader.core.search.pending`): its first `page` hits now, not
        counted, and every match with their count from `finish()`, on any thread."""
        return self._search(text, filter, order, page, counted=False)

    def _search(
        self, text: str, filter: Query, order: SearchOrder, limit: int | None, counted: bool
    ) -> PendingSearch:
        from reader.core.search.pending import PendingSearch, SearchRequest

        catalog = None if self.loaded else self._view.current()
        count = catalog.count() if catalog else len(self.library.posts)
        asked = SearchRequest.of(text, filter, order, self.select if catalog else self.query, count)
        return PendingSearch(asked, asked.run(self.index, limit, counted), self.index.path)

    # --- news sources and re-published copies ------------------------------------------------

    def category_names(self) -> dict[str, CategoryName]:
        """Each category's display name, established from the folder (its tags, category pages
        and `_data/` mappings; see `reader.core.sources.names`), or None where nothing
        establishes one. Recomputed when the library has changed."""
        version = self.library.version
        if self._names is None or self._names[0] != version:
            self._names = (version, folder_category_names(self.root, self.library.posts))
        return self._names[1]

    def duplicates(
        self,
        cancelled: Callable[[], bool] = lambda: False,
        posts: Sequence[Post] | None = None,
    ) -> CopyGroups:
        """The groups of re-published copies, in step with the posts: those saved for the
        posts of an unchanged folder (no index built), else the duplicate index, reading only
        the posts new or changed since it last saw them (in worker processes for many).
        `posts`: a copy taken on the querying thread, when this runs on another."""
        if self._duplicates is None:
            from reader.core.duplicates.copies import FolderCopies

            self._duplicates = FolderCopies(self.root, self.cache_dir)
        return self._duplicates.in_step(
            self.library.posts if posts is None else posts,
            self.library.version if posts is None else None,
            self._posts_generation(),
            cancelled,
            self.workers if self.workers is not None else 2,
        )

    # --- over time, and related posts --------------------------------------------------------

    def timeline(self, filter: Query = _ALL, by: Period | str | None = None) -> Timeline:
        """Posts per day, week or month (by the span, unless `by` says) of what `filter` lists;
        empty periods included, undated posts counted apart. A range chosen on it is a
        `Query(since=…, until=…)`, so the counts and the list always agree."""
        return build_timeline(self.library.day_numbers(), self.library.query(filter), by)

    def related(self, post: Post, limit: int = 5) -> list[RelatedPost]:
        """Up to `limit` posts related to `post`, best first: its other published copies, then
        posts sharing its rarer tags and categories and its distinctive words (the full-text
        index, when there is one). Not itself. Use from one thread (each finder keeps a
        read-only connection of its own: make one per thread with `related_finder`)."""
        if self._related is None:
            self._related = self.related_finder()
        return self._related.related(post, limit=limit)

    def related_finder(self) -> RelatedFinder:
        """A finder of related posts for another thread (close it when done)."""
        try:
            index_path: Path | None = self.index.path
        except StorageError as exc:
            log.info("related posts without the full-text index: %s", exc)
            index_path = None
        from reader.core.related import RelatedFinder

        return RelatedFinder(self.library, index_path=index_path, duplicates_of=self._copies_of)

    def _copies_of(self, path: str) -> list[str]:
        groups = self._duplicates.current() if self._duplicates is not None else None
        return groups.group_now(path) if groups is not None else []

    # --- saved searches -----------------------------------------------------------------------

    def saved_query(self, saved: SavedSearch, sort: SortKey = SortKey.DATE) -> Query:
        """The `Query` listing what `saved` finds now: its node and filters, with its text
        answered by the full-text index (brought up to date first by the caller)."""
        marks = self.marks if (saved.bookmarked or saved.unread) else None
        bookmarked = frozenset(marks.bookmarked_paths()) if marks and saved.bookmarked else None
        read = frozenset(marks.read_paths()) if marks and saved.unread else None
        base = node_query(saved, bookmarked, read, sort)
        return self.search(saved.text, base).query if saved.text.strip() else base

    def saved_counts(self, saved: SavedSearch, read: set[str] | None = None) -> tuple[int, int]:
        """(total, unread) of what `saved` finds now; `read`: the read paths, when the caller
        has them at hand."""
        rows = self.library.query(self.saved_query(saved))
        if read is None:
            read = self.marks.read_paths()
        posts = self.library.posts
        return len(rows), sum(1 for i in rows if posts[i].path not in read)

    # --- the user's marks ---------------------------------------------------------------------

    @property
    def store(self) -> UserStore:
        if self._store is None:
            self._store = UserStore.open()
        return self._store

    @property
    def marks(self) -> FolderMarks:
        """Bookmarks, read state and positions for this folder (recognised after a load, so
        that a moved folder keeps its marks)."""
        if self._marks is None:
            catalog, posts = None if self.loaded else self._view.current(), None
            if catalog is not None:
                # Only the marked posts, when all are still posts of a known folder (`select`
                # loads when the cache cannot be read); else every post.
                marked = self.store.marked_paths(self.root)
                posts = self.select(Query(paths=frozenset(marked))) if marked else []
                if self.loaded or marked is None or len(posts) < len(marked):
                    if not self.loaded:
                        self.load()
                    posts = None
            self._marks = FolderMarks(self.store, self.library, posts)
        return self._marks

    def forget_marks(self) -> None:
        """Recognise the folder again at the next use of `marks` (after a reload)."""
        self._marks = None

    # --- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Close cache, index, user store (if its own); unfreeze all `gc.freeze`d meanwhile."""
        self._view.close()
        if self._state is not None:
            self._state.close()
            self._state = None
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._owns_store and self._store is not None:
            self._store.close()
            self._store = None
        self._marks = None
        if self._related is not None:
            self._related.close()
            self._related = None
        if self._duplicates is not None:
            self._duplicates.close()
            self._duplicates = None

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_folder(
    path: str | Path,
    *,
    cache_dir: Path | None = None,
    store: UserStore | None = None,
    skip_dirs: frozenset[str] = frozenset(),
    workers: int | None = None,
    naive_times_in_site_zone: bool = False,
) -> Folder:
    """A `Folder` for `path` (nothing is read yet: call `load()`, or run `events()` and
    `apply` them). FolderError when the path is missing, not a folder or unreadable."""
    return Folder(
        check_folder(path),
        cache_dir=cache_dir,
        store=store,
        skip_dirs=skip_dirs,
        workers=workers,
        naive_times_in_site_zone=naive_times_in_site_zone,
    )

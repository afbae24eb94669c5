"""SourcesController: a news archive's sources by name, and its re-published copies folded.

Owns, for the opened folder, the categories' display names (`reader.core.folder_category_names`:
a name only where the folder establishes it, else the slug) and the groups of re-published
copies (`Folder.duplicates`), both computed on a worker thread after a load and again after each
live refresh (the duplicate index is incremental: only new and changed posts are read). Names
come at once; copies wait until the full-text index is built, so that search, which a reader
uses in the first minute, does not share two cores with a pass over every post. The
window asks it, while painting, for a category's name, a story's copies and, with View › Hide
Duplicates (remembered in the settings), the copies to leave out of the list and the counts.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from collections.abc import Sequence
from urllib.parse import quote

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from reader.core import (
    CategoryName,
    Folder,
    Post,
    display_name,
    folder_category_names,
    giving_way,
    interacting,
)
from reader.gui.context import WindowContext
from reader.gui.threads import end_worker, start_worker

log = logging.getLogger(__name__)

HIDE_DUPLICATES_KEY = "view/hide_duplicates"


class _SourcesWorker(QObject):
    """Names, or duplicate groups, for a copy of the posts (the library changes meanwhile)."""

    names_ready = Signal(object, float)  # ({slug: CategoryName}, seconds)
    groups_ready = Signal(object, float)  # ([[path, ...], ...] earliest first, seconds)
    finished = Signal()

    def __init__(
        self, folder: Folder, posts: Sequence[Post], cancel: threading.Event, *, groups: bool
    ) -> None:
        super().__init__()
        self._folder = folder
        self._posts = posts
        self._cancel = cancel
        # Asked between steps: waits meanwhile while the user acts in the window.
        self._cancelled = giving_way(cancel.is_set)
        self._groups = groups  # True: the groups of copies; False: the names

    @Slot()
    def run(self) -> None:
        try:
            if not self._groups:
                start = time.perf_counter()
                names = folder_category_names(self._folder.root, self._posts, self._cancelled)
                if not self._cancel.is_set():
                    self.names_ready.emit(names, time.perf_counter() - start)
                return
            start = time.perf_counter()
            index = self._folder.duplicates(self._cancelled, posts=self._posts)
            if self._cancel.is_set():  # stopped midway: its groups would be all of the rest
                return
            groups = [list(group) for group in index.groups()]
            if not self._cancel.is_set():
                self.groups_ready.emit(groups, time.perf_counter() - start)
        except Exception:  # names and folding are extras: never take the window down
            log.exception("finding source names or duplicates failed")
        finally:
            self.finished.emit()


class SourcesController(QObject):
    """Source names and folded copies of the opened folder (see the module docstring)."""

    changed = Signal()  # names, groups or Hide Duplicates changed: rebuild the tree and list
    hide_changed = Signal(bool)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.names: dict[str, CategoryName] = {}
        self.groups: list[list[str]] = []
        self._group_of: dict[str, list[str]] = {}
        self._hidden: frozenset[str] = frozenset()
        self.hide_duplicates = ctx.settings.bool_value(HIDE_DUPLICATES_KEY, False)
        self.names_seconds: float | None = None
        self.groups_seconds: float | None = None
        self._thread: QThread | None = None
        self._worker: _SourcesWorker | None = None
        self._cancel = threading.Event()
        self._again = False
        # The posts changed since copies were last found: find them once the index is built.
        self._groups_due = False
        self._index_done = False

    # --- what the views ask (in memory only) --------------------------------------------------

    def display(self, slug: str) -> str:
        """A category's name where the folder establishes one, else its slug."""
        return display_name(self.names, slug)

    def copies(self, path: str) -> list[str]:
        """Every copy of `path`'s story, earliest first (`path` among them); [] when alone."""
        return self._group_of.get(path, [])

    def copy_count(self, path: str) -> int:
        """How many copies the story whose main row is `path` has (0: not a folded story)."""
        group = self._group_of.get(path)
        return len(group) if group is not None and group[0] == path else 0

    def also_published_html(self, post: Post) -> str:
        """ "Also published by: 上海证券报, 东财滚动新闻" under an article's title, each name a
        link to that copy ("" when the story has no other copy)."""
        folder = self._ctx.folder
        others = [p for p in self.copies(post.path) if p != post.path]
        if folder is None or not others:
            return ""
        links = []
        for path in others:
            copy = folder.post(path)
            if copy is None:
                continue
            source = self.display(copy.categories[0]) if copy.categories else copy.title
            href = "/" + quote(path)  # a link to a post file of the folder (see resolve_link)
            links.append(
                f'<a href="{html.escape(href)}" title="{html.escape(path)}">'
                f"{html.escape(source)}</a>"
            )
        if not links:
            return ""
        label = html.escape(self.tr("Also published by:"))
        return f'<p class="meta">{label} {", ".join(links)}</p>'

    @property
    def excluded(self) -> frozenset[str]:
        """The posts the list and the counts leave out: the copies, with Hide Duplicates."""
        return self._hidden if self.hide_duplicates else frozenset()

    @property
    def running(self) -> bool:
        """Names or groups are being found or waiting for the index build (until their
        results have been applied)."""
        return self._thread is not None or self._groups_due

    # --- the folder's life ----------------------------------------------------------------------

    @Slot()
    def on_folder_opened(self) -> None:
        self.stop()
        self.names, self.groups, self._group_of, self._hidden = {}, [], {}, frozenset()
        self.names_seconds = self.groups_seconds = None
        self._ctx.nav.model.set_sources({}, frozenset())  # the next rebuild shows plain slugs

    @Slot()
    def on_folder_loaded(self) -> None:
        """After a load or a live refresh: names at once, copies after the index build (all
        in the background)."""
        if self._ctx.folder is None:
            return
        self._groups_due, self._index_done = True, False  # an index build follows
        if self._thread is not None:
            self._again = True  # one more pass when this one ends: the posts changed meanwhile
            return
        self._start(groups=False)

    @Slot()
    def on_index_finished(self) -> None:
        """The index build ended: the copies may be found now."""
        self._index_done = True
        self._start_groups_when_idle()

    @Slot()
    def _start_groups_when_idle(self) -> None:
        # No build at all (the index cannot be opened) counts as done.
        index_done = self._index_done or not self._ctx.session.indexer.running
        if self._groups_due and self._thread is None and index_done:
            self._start(groups=True)

    def _start(self, *, groups: bool) -> None:
        folder = self._ctx.folder
        if folder is None:
            return
        self._again = False
        if groups:
            self._groups_due = False
        self._cancel = threading.Event()
        posts = folder.posts.snapshot()  # a view: the library changes on this thread meanwhile
        worker = _SourcesWorker(folder, posts, self._cancel, groups=groups)
        thread = start_worker(self, worker, worker.run)
        worker.names_ready.connect(self.on_names_ready)
        worker.groups_ready.connect(self.on_groups_ready)
        worker.finished.connect(thread.quit)
        worker.finished.connect(self.on_worker_finished)
        self._thread, self._worker = thread, worker
        thread.start()

    @Slot(object, float)
    def on_names_ready(self, names: dict[str, CategoryName], seconds: float) -> None:
        same = names == self.names  # (after a live refresh, most often)
        self.names, self.names_seconds = names, seconds
        found = sum(1 for n in names.values() if n.name)
        log.info("%d of %d categories named in %.2f s", found, len(names), seconds)
        if not same:  # the same again: nothing to relabel (a million posts: ~100 ms)
            self.changed.emit()

    @Slot(object, float)
    def on_groups_ready(self, groups: list[list[str]], seconds: float) -> None:
        self.groups_seconds = seconds
        log.info("%d duplicate groups in %.2f s", len(groups), seconds)
        if groups == self.groups:  # found again unchanged: nothing to fold anew
            return
        self.groups = groups
        self._group_of = {path: group for group in groups for path in group}
        self._hidden = frozenset(path for group in groups for path in group[1:])
        self.changed.emit()

    @Slot()
    def on_worker_finished(self) -> None:
        if self._thread is not None:
            self._thread.wait()
            self._thread.deleteLater()
        self._thread, self._worker = None, None
        if self._again:
            self._start(groups=False)  # names again; copies stay due
        else:
            # In a turn of its own: after a load the index build is started by a timer queued
            # before this, and copies must not start ahead of it.
            QTimer.singleShot(0, self, self._start_groups_when_idle)

    @Slot()
    def apply_to_views(self) -> None:
        """Names or groups arrived, or Hide Duplicates changed: the tree, list and pane follow
        (as for a click, background work waits meanwhile: at a million posts and 2,000 sources
        the names' arrival takes 96 ms of this thread, and stalled the window 208-285 ms beside
        two busy threads)."""
        ctx = self._ctx
        with interacting():
            ctx.nav.model.set_sources(self.names, self.excluded)
            if ctx.folder is None:
                return
            ctx.listing.refresh_views()  # the tree (names, counts) and the list
            ctx.list_model.refresh_state()
            ctx.article.refresh_header()

    def set_hide_duplicates(self, hide: bool) -> None:
        """View › Hide Duplicates: remembered, and the list and counts follow at once."""
        if hide == self.hide_duplicates:
            return
        self.hide_duplicates = hide
        self._ctx.settings.set_bool(HIDE_DUPLICATES_KEY, hide)
        self.hide_changed.emit(hide)
        self.changed.emit()

    def stop(self) -> None:
        """Cancel and wait for the worker (what it already queued is dropped)."""
        self._cancel.set()
        self._again = self._groups_due = False
        end_worker(self._thread, self._worker, ("names_ready", "groups_ready", "finished"))
        self._thread, self._worker = None, None

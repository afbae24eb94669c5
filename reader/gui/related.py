"""RelatedPosts: up to five related posts under the article, found off the GUI thread.

Owns a worker thread with its own `reader.core.RelatedFinder` (each finder keeps a read-only
connection to the index for the thread that uses it), asking it for the posts related to each
opened article, and showing the answer under the article (title, date, source) when it is
still the article on screen. A click on one opens it keeping the reader's context: selected
in the list when the list holds it, else opened without changing the list.
"""

from __future__ import annotations

import html
import logging
import threading
from urllib.parse import quote

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core import Folder, PostReaderError, RelatedFinder, RelatedPost, giving_way
from reader.gui.context import WindowContext
from reader.gui.widgets.reading_pane import RELATED_SCHEME

log = logging.getLogger(__name__)

RELATED_LIMIT = 5


class RelatedWorker(QObject):
    """Lives on the worker thread: finds related posts with the finder it was handed."""

    found = Signal(str, object)  # (path, list[RelatedPost])

    def __init__(self) -> None:
        super().__init__()
        self.finder: RelatedFinder | None = None
        # Set by the GUI thread when the window closes: a warm-up under way stops.
        self.stopping = threading.Event()
        self.latest = ""  # written by the GUI thread: older requests still queued are skipped

    @Slot(object)
    def use(self, finder: RelatedFinder | None) -> None:
        if self.finder is not None:
            self.finder.close()
        self.finder = finder

    @Slot()
    def stop(self) -> None:
        """Close the finder on its own thread, then end the thread."""
        self.use(None)
        thread = self.thread()
        if thread is not None:
            thread.quit()

    @Slot()
    def warm(self) -> None:
        if self.finder is not None:
            try:
                # A background warm-up: it waits while the user acts in the window.
                self.finder.warm(giving_way(self.stopping.is_set))
            except (PostReaderError, OSError) as exc:
                log.info("related posts not warmed: %s", exc)

    @Slot(str)
    def find(self, path: str) -> None:
        if self.finder is None or path != self.latest:
            return
        try:
            related = self.finder.related(path, limit=RELATED_LIMIT)
        except (PostReaderError, OSError) as exc:  # an unreadable post or index: nothing related
            log.info("no related posts for %s: %s", path, exc)
            related = []
        self.found.emit(path, related)


class RelatedPosts(QObject):
    """The related posts' feature (see the module docstring)."""

    _use = Signal(object)
    _warm = Signal()
    _stop = Signal()
    _find = Signal(str)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.shown: tuple[str, list[RelatedPost]] | None = None  # what is under the article
        self._has_finder = False
        self._thread: QThread | None = QThread(self)
        self._thread.setObjectName("related-posts")
        self._worker: RelatedWorker | None = RelatedWorker()
        self._worker.moveToThread(self._thread)
        self._use.connect(self._worker.use)
        self._warm.connect(self._worker.warm)
        self._find.connect(self._worker.find)
        self._stop.connect(self._worker.stop)
        self._worker.found.connect(self.on_found)
        self._thread.start()

    def _folder_finder(self, folder: Folder | None) -> RelatedFinder | None:
        if folder is None:
            return None
        try:
            return folder.related_finder()
        except PostReaderError as exc:
            log.info("no related posts: %s", exc)
            return None

    @Slot()
    def on_folder_opened(self) -> None:
        self.shown = None
        self._has_finder = False
        self._use.emit(None)

    @Slot()
    def on_index_finished(self) -> None:
        """The index is up to date: the first time, a finder that reads it (asking for the
        index earlier would open it empty, and the search would answer from it), warmed."""
        if not self._has_finder:
            self._has_finder = True
            self._use.emit(self._folder_finder(self._ctx.folder))
            self._warm.emit()
        current = self._ctx.article.current_path
        if current is not None:
            self.on_post_opened(current)

    @Slot(str)
    def on_post_opened(self, path: str) -> None:
        if self._worker is None:
            return
        self._worker.latest = path
        self._find.emit(path)

    @Slot(str, object)
    def on_found(self, path: str, related: list[RelatedPost]) -> None:
        if path != self._ctx.article.current_path:
            return
        self.shown = (path, related)
        self._ctx.pane.set_footer(self.footer_html(related))

    def footer_html(self, related: list[RelatedPost]) -> str:
        if not related:
            return ""
        items = []
        same_story = html.escape(self.tr("same story"))
        for r in related:
            date = r.date.date().isoformat() if r.date is not None else ""
            meta = " · ".join(html.escape(x) for x in (date, r.source) if x)
            copy = f" · {same_story}" if r.reason == "copy" else ""
            items.append(
                f'<li><a href="{RELATED_SCHEME}:{quote(r.path)}">{html.escape(r.title)}</a>'
                f'<br/><span class="meta">{meta}{copy}</span></li>'
            )
        heading = html.escape(self.tr("Related posts"))
        return f'<hr/><h3 class="related">{heading}</h3><ul class="related">{"".join(items)}</ul>'

    @Slot(str)
    def on_related_activated(self, path: str) -> None:
        """Open a related post: selected in the list when listed, else just opened."""
        if not self._ctx.listing.select_path(path):
            self._ctx.article.open_post(path)

    def close(self) -> None:
        """Stop the worker thread (the window is closing)."""
        worker, thread = self._worker, self._thread
        self._worker = self._thread = None
        if worker is None or thread is None:
            return
        worker.latest = ""  # requests still queued are skipped
        worker.stopping.set()
        worker.found.disconnect(self.on_found)
        self._stop.emit()  # after the queued requests: closes the finder, ends the thread
        thread.wait()
        worker.deleteLater()
        thread.deleteLater()

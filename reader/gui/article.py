"""ArticleController: the article in the reading pane.

Owns which post is open, rendering it (`Folder.render`: safe, offline HTML, with the search
terms highlighted) under a header with its date, categories, tags, star and note, re-rendering
when the marks or the search change, and following links between posts of the folder.
"""

from __future__ import annotations

import dataclasses
import html

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QTime,
    QTimeZone,
    Signal,
    Slot,
)

from reader.core import FileProblem, Post, highlight_terms, interacting
from reader.gui.context import WindowContext
from reader.gui.core_text import translate_placeholders, translate_warning
from reader.gui.widgets.reading_pane import header_html


class ArticleController(QObject):
    """The reading pane's feature (see the module docstring)."""

    post_opened = Signal(str)  # the post's path

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.current_path: str | None = None
        # The open post whose file went away (the pane says so until another post is opened).
        self.gone_path: str | None = None
        self._locale = QLocale()
        # The body last rendered, by (path, size, mtime, search terms): a header that changes
        # (a star, a note, the copies of the story found later) does not render it again.
        self._body: tuple[tuple[object, ...], str] | None = None
        self._plain: tuple[tuple[object, ...], str] | None = None  # the body before marking

    def current_post(self) -> Post | None:
        folder = self._ctx.folder
        if folder is None or self.current_path is None:
            return None
        return folder.post(self.current_path)

    def post_for_action(self) -> Post | None:
        """The post an Article-menu action applies to: the open one, else the list's current."""
        current = self.current_post()
        if current is not None:
            return current
        row = self._ctx.list_view.currentIndex().row()
        return self._ctx.list_model.post_at(row) if row >= 0 else None

    def clear(self) -> None:
        """A new folder: nothing is open."""
        self.current_path = None
        self._body = self._plain = None  # the last folder's, and what it keeps alive
        self._ctx.pane.clear_post()

    # --- opening and rendering ----------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        post = self._ctx.list_model.post_at(current.row())
        if post is not None:
            self.open_post(post.path)

    def open_post(self, path: str) -> None:
        with interacting():  # background work waits (reader.core.foreground)
            self._open_post(path)

    def _open_post(self, path: str) -> None:
        folder = self._ctx.folder
        post = folder.post(path) if folder is not None else None
        if post is None:
            return
        self._ctx.marks.position_timer.stop()  # a pending save belongs to the post before
        self.current_path = path
        self.gone_path = None
        self._ctx.pane.show_html(self.render_post(post))
        self._ctx.marks.post_opened(path)
        self.post_opened.emit(path)

    def refresh_header(self) -> None:
        """Re-render the open post (its star, note or highlights changed)."""
        post = self.current_post()
        if post is not None:
            self._ctx.pane.show_html(self.render_post(post), keep_footer=True)

    def render_post(self, post: Post) -> str:
        """The header and the body, as the pane shows them."""
        folder = self._ctx.folder
        assert folder is not None
        header = self._header(post)
        terms = tuple(self._ctx.search.terms)
        file_key = (id(folder), post.path, post.size, post.mtime_ns)
        key = (*file_key, terms)
        if self._body is not None and self._body[0] == key:
            return header + self._body[1]
        try:
            # Another search marks the same post again without rendering it again (its
            # Markdown was 15-20 ms of the first page of a search that keeps it open).
            if self._plain is None or self._plain[0] != file_key:
                self._plain = (file_key, folder.render(post))
            plain = self._plain[1]
            body = translate_placeholders(highlight_terms(plain, terms) if terms else plain)
        except FileProblem as exc:
            return (
                header
                + '<p class="notice">'
                + self.tr("This post cannot be read any more: {reason}").format(reason=exc)
                + "</p>"
            )
        self._body = (key, body)
        return header + body

    def _header(self, post: Post) -> str:
        labels = {
            "bookmark": self.tr("Bookmark (Ctrl+D)"),
            "draft": self.tr("draft"),
            "unpublished": self.tr("unpublished"),
            "add_note": self.tr("add a note"),
            "edit_note": self.tr("Edit the bookmark's note"),
        }
        marks = self._ctx.marks
        warnings = tuple(translate_warning(w) for w in post.warnings)
        header = header_html(
            dataclasses.replace(post, warnings=warnings),
            self._format_date(post),
            labels,
            starred=marks.is_bookmarked(post.path),
            note=marks.note(post.path),
            category_label=self._ctx.sources.display,
            extra_html=self._ctx.sources.also_published_html(post),
        )
        terms = self._ctx.search.terms
        if not terms:
            return header
        # The title's matches are highlighted as the body's are.
        title = f"<h1>{html.escape(post.title)}</h1>"
        marked = f"<h1>{highlight_terms(html.escape(post.title), terms)}</h1>"
        return header.replace(title, marked, 1)

    def _format_date(self, post: Post) -> str:
        if post.date is None:
            return ""
        d = post.date
        offset = d.utcoffset()
        zone = QTimeZone(int(offset.total_seconds())) if offset is not None else QTimeZone.utc()
        qdt = QDateTime(QDate(d.year, d.month, d.day), QTime(d.hour, d.minute, d.second), zone)
        text = self._locale.toString(qdt, QLocale.FormatType.LongFormat)
        # Long formats carry seconds and a zone name; a reader wants the day and the time.
        short_time = self._locale.toString(qdt.time(), QLocale.FormatType.ShortFormat)
        long_date = self._locale.toString(qdt.date(), QLocale.FormatType.LongFormat)
        return f"{long_date} {short_time}" if text else ""

    # --- links --------------------------------------------------------------------------------

    @Slot(str)
    def on_post_link(self, href: str) -> None:
        """A link to another post of the folder: select it in the list (or just open it)."""
        folder = self._ctx.folder
        if folder is None:
            return
        target = folder.resolve_link(href, self.current_path or "")
        if target is None:
            self._ctx.show_message(
                self.tr("Link target is not a post in this folder: {href}").format(href=href), 6000
            )
            return
        # The reader's context stays: the target is selected when the list shows it, else
        # opened as it is (Back returns to the post the link was in).
        if not self._ctx.listing.select_path(target.path):
            self.open_post(target.path)

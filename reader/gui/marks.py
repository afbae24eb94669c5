"""MarksController: the user's marks on the opened folder, as the window shows and edits them.

Owns bookmarks (with notes), read state, the reading position and the last opened post, through
`Folder.marks` (`reader.core.FolderMarks`). Keeps the bookmarked and read sets in memory, so
painting 100,000 rows never asks SQLite; writes every change through at once; reports store
errors in the status bar instead of raising into Qt's event loop. Owns the read timer (a post
open this long counts as read) and the position timer (save the scroll position once it rests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QObject, QPoint, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu

from reader.core import (
    Bookmark,
    ExportFormat,
    Folder,
    FolderMarks,
    ImportResult,
    InputError,
    Post,
    StorageError,
)
from reader.gui.context import WindowContext

log = logging.getLogger(__name__)

READ_AFTER_MS = 1500  # a post open this long counts as read (the preferences change it)
POSITION_SAVE_MS = 600  # save the scroll position once scrolling rests

T = TypeVar("T")


class MarksController(QObject):
    """Bookmarks, read state and positions of the opened folder (see the module docstring)."""

    changed = Signal()  # the bookmark or read sets changed (repaint the list and the counts)
    undoable = Signal(str, object)  # (what was done, a callable that takes it back): MarksUndo
    storage_failed = Signal(object)  # a StorageError: a change could not be saved (or read)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.store = ctx.store
        self._marks: FolderMarks | None = None
        self._bookmarks: list[Bookmark] = []
        self._bookmarked: set[str] = set()
        self._notes: dict[str, str] = {}
        self._read: set[str] = set()
        self._restoring_position = False
        self.mark_all_read_action: QAction | None = None  # the window's, for the context menu
        self.read_timer = QTimer(self)
        self.read_timer.setSingleShot(True)
        self.read_timer.setInterval(READ_AFTER_MS)
        self.position_timer = QTimer(self)
        self.position_timer.setSingleShot(True)
        self.position_timer.setInterval(POSITION_SAVE_MS)
        self.read_timer.timeout.connect(self.on_read_timeout)
        self.position_timer.timeout.connect(self.on_position_rest)

    # --- attaching ----------------------------------------------------------------------------

    @property
    def attached(self) -> bool:
        return self._marks is not None

    def attach(self, folder: Folder) -> None:
        """Recognise the loaded folder (moved folders and renamed files keep their marks)."""
        try:
            self._marks = folder.marks
        except StorageError as exc:
            self._marks = None
            self._report(str(exc))
        self.reload()

    def detach(self) -> None:
        self.read_timer.stop()
        self.position_timer.stop()
        self._marks = None
        self._bookmarks, self._bookmarked, self._notes, self._read = [], set(), {}, set()
        self.changed.emit()

    def reload(self) -> None:
        if self._marks is None:
            return
        try:
            self._bookmarks = self._marks.bookmarks()
            self._read = self._marks.read_paths()
        except StorageError as exc:
            self._report(str(exc))
            return
        self._bookmarked = {b.path for b in self._bookmarks}
        self._notes = {b.path: b.note for b in self._bookmarks if b.note}
        self.changed.emit()

    def _report(self, message: str) -> None:
        self._ctx.show_message(message, 10_000)

    def _run(self, action: str, fn: Callable[[FolderMarks], T]) -> T | None:
        """`fn(marks)`, or None with the error in the status bar (or when nothing is attached)."""
        if self._marks is None:
            return None
        try:
            return fn(self._marks)
        except (StorageError, InputError, ValueError) as exc:
            log.warning("%s failed: %s", action, exc)
            self._report(str(exc))
            if isinstance(exc, StorageError):
                self.storage_failed.emit(exc)
            return None

    @property
    def saving(self) -> bool:
        """Whether changes can be saved (False: the store was opened read-only)."""
        return self._marks is not None and self._marks.writable

    # --- lookups (called while painting: in memory only) --------------------------------------

    def is_bookmarked(self, path: str) -> bool:
        return path in self._bookmarked

    def is_unread(self, path: str) -> bool:
        return self._marks is not None and path not in self._read

    def note(self, path: str) -> str:
        return self._notes.get(path, "")

    @property
    def bookmarked_paths(self) -> frozenset[str]:
        return frozenset(self._bookmarked)

    @property
    def bookmark_order(self) -> tuple[str, ...]:
        return tuple(b.path for b in self._bookmarks)

    @property
    def read_paths(self) -> frozenset[str]:
        return frozenset(self._read)

    def counts(self) -> tuple[int | None, int | None]:
        """(bookmarks, unread posts) for the tree; None before the folder is recognised."""
        folder = self._ctx.folder
        if self._marks is None or folder is None:
            return None, None
        # Walk the read marks (usually few), not the 100,000 posts; paths in a library are unique.
        read_here = sum(1 for path in self._read if folder.library.index_of(path) is not None)
        # View › Hide Duplicates: the hidden copies count nowhere (usually a few thousand).
        hidden = self._ctx.sources.excluded
        unread_hidden = sum(
            1
            for path in hidden
            if path not in self._read and folder.library.index_of(path) is not None
        )
        bookmarks = len(self._bookmarked - hidden) if hidden else len(self._bookmarked)
        return bookmarks, len(folder.posts) - read_here - unread_hidden

    # --- changes (each committed by the store before it returns) ------------------------------

    def toggle_bookmark(self, post: Post) -> bool | None:
        """True when `post` is bookmarked now; None when that could not be saved."""
        result = self._run("bookmark", lambda m: m.toggle_bookmark(post))
        self.reload()
        return result

    def set_note(self, post: Post, note: str) -> None:
        self._run("note", lambda m: m.set_note(post, note))
        self.reload()

    def set_read(self, posts: Iterable[Post], read: bool = True) -> None:
        posts = list(posts)
        if self._run("read state", lambda m: m.set_read(posts, read)) is None:
            # Not saved: not shown as done either (the list and the pane keep the old state).
            self.changed.emit()
            return
        if read:
            self._read.update(p.path for p in posts)
        else:
            self._read.difference_update(p.path for p in posts)
        self.changed.emit()

    def position(self, path: str) -> float:
        return self._run("position", lambda m: m.position(path)) or 0.0

    def last_opened(self) -> str | None:
        return self._run("last opened", lambda m: m.last_opened())

    def export_text(self, fmt: ExportFormat) -> str | None:
        return self._run("export", lambda m: m.export_bookmarks(fmt))

    def import_json(self, text: str) -> ImportResult | None:
        result = self._run("import", lambda m: m.import_bookmarks(text))
        self.reload()
        return result

    # --- changes that Ctrl+Z takes back (reader.gui.undo) ------------------------------------

    def set_read_undoably(self, posts: list[Post], read: bool) -> None:
        """`set_read`, recorded for Undo (only the posts whose state it changes)."""
        changed = [p for p in posts if (p.path in self._read) != read]
        self.set_read(posts, read)
        if changed:
            self.undoable.emit(
                self.tr("Mark as Read") if read else self.tr("Mark as Unread"),
                lambda: self.set_read(changed, not read),
            )

    def _restore_bookmark(self, post: Post, bookmarked: bool, note: str) -> None:
        if self.is_bookmarked(post.path) != bookmarked:
            self.toggle_bookmark(post)
        if bookmarked and note:
            self.set_note(post, note)

    # --- actions ------------------------------------------------------------------------------

    def bookmark_with_message(self, post: Post | None) -> None:
        if post is None:
            return
        note = self.note(post.path)
        added = self.toggle_bookmark(post)
        if added is None:
            return  # the error is in the status bar
        self.undoable.emit(
            self.tr("Bookmark") if added else self.tr("Remove Bookmark"),
            lambda: self._restore_bookmark(post, not added, note),
        )
        self._ctx.show_message(
            self.tr("Bookmarked: {title}").format(title=post.title)
            if added
            else self.tr("Bookmark removed: {title}").format(title=post.title),
            4000,
        )

    def edit_note(self, post: Post | None) -> None:
        if post is None:
            return
        note, ok = QInputDialog.getText(
            self._ctx.window,
            self.tr("Bookmark Note"),
            self.tr("A short note for “{title}”:").format(title=post.title),
            text=self.note(post.path),
        )
        if ok:
            self.set_note(post, note.strip()[:1000])

    @Slot()
    def on_bookmark_requested(self) -> None:
        """Ctrl+D, the Article menu: the open post, else the list's current one."""
        self.bookmark_with_message(self._ctx.article.post_for_action())

    @Slot()
    def on_note_requested(self) -> None:
        self.edit_note(self._ctx.article.post_for_action())

    @Slot()
    def on_pane_bookmark_requested(self) -> None:
        """The star in the reading pane's header: the open post."""
        self.bookmark_with_message(self._ctx.article.current_post())

    @Slot()
    def on_pane_note_requested(self) -> None:
        self.edit_note(self._ctx.article.current_post())

    @Slot()
    def on_toggle_read_requested(self) -> None:
        post = self._ctx.article.post_for_action()
        if post is not None:
            self.read_timer.stop()
            self.set_read_undoably([post], read=post.path not in self._read)

    @Slot()
    def on_mark_all_read_requested(self) -> None:
        if self._ctx.folder is None:
            return
        model = self._ctx.list_model
        posts = [p for r in range(model.rowCount()) if (p := model.post_at(r))]
        self.set_read_undoably(posts, read=True)
        self._ctx.show_message(
            self.tr("Marked {n} posts as read (Ctrl+Z takes it back)").format(n=len(posts)),
            6000,
        )

    @Slot(QPoint)
    def on_list_context_menu(self, pos: QPoint) -> None:
        """The article list's context menu at `pos` (viewport coordinates)."""
        view = self._ctx.list_view
        index = view.indexAt(pos)
        post = self._ctx.list_model.post_at(index.row()) if index.isValid() else None
        menu = QMenu(self._ctx.window)
        if post is not None:
            menu.addAction(
                self.tr("Remove Bookmark")
                if self.is_bookmarked(post.path)
                else self.tr("Bookmark"),
                lambda: self.bookmark_with_message(post),
            )
            menu.addAction(self.tr("Edit Bookmark Note…"), lambda: self.edit_note(post))
            unread = self.is_unread(post.path)
            menu.addAction(
                self.tr("Mark as Read") if unread else self.tr("Mark as Unread"),
                lambda: self.set_read_undoably([post], read=unread),
            )
            menu.addSeparator()
        if self.mark_all_read_action is not None:
            menu.addAction(self.mark_all_read_action)
        menu.exec(view.viewport().mapToGlobal(pos))

    # --- reading: read timer, position, last opened -------------------------------------------

    def set_read_after(self, seconds: float) -> None:
        self.read_timer.setInterval(int(seconds * 1000))

    def post_opened(self, path: str) -> None:
        """The pane shows `path` now: restore its position, remember it, start the read timer."""
        self.position_timer.stop()
        self._restoring_position = True
        fraction = self.position(path)
        pane = self._ctx.pane
        # Lay the document out now, so the scroll bar has its final range.
        pane.document().documentLayout().documentSize()
        bar = pane.verticalScrollBar()
        bar.setValue(int(fraction * bar.maximum()) if fraction > 0 else 0)
        self._restoring_position = False
        if self.saving:  # bookkeeping, not an action: a read-only store is not told every time
            self._run("last opened", lambda m: m.set_last_opened(path))
        if self.is_unread(path):
            self.read_timer.start()

    @Slot(int)
    def on_pane_scrolled(self, _value: int) -> None:
        if not self._restoring_position:
            self.position_timer.start()

    @Slot()
    def on_read_timeout(self) -> None:
        post = self._ctx.article.current_post()
        if post is not None and self.is_unread(post.path):
            self.set_read([post], read=True)

    @Slot()
    def on_position_rest(self) -> None:
        path = self._ctx.article.current_path
        if path is None or self._restoring_position:
            return
        bar = self._ctx.pane.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
        if self.saving:
            self._run("position", lambda m: m.set_position(path, fraction))

    def save_position_now(self) -> None:
        """Before closing: a position still waiting for its timer is saved."""
        if self.position_timer.isActive():
            self.position_timer.stop()
            self.on_position_rest()

"""SavedSearches: named searches under "Saved searches" in the tree, with live counts.

Owns saving the current view (the search text, the selected tree node, the timeline's range)
as a `reader.core.SavedSearch` in the folder's marks, renaming, editing (saving the current view
over one), deleting and reordering them (the tree's context menu), and their (total, unread)
counts, recounted once things settle after the folder, the index or the read state changed.
Selecting one lists what it finds: `ArticleList.current_query` asks `find` for it and runs
`Folder.saved_query`.
"""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import QObject, QPoint, QTimer, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QMessageBox

from reader.core import InputError, SavedSearch, StorageError
from reader.gui.context import WindowContext
from reader.gui.models.nav_tree import NodeKind

log = logging.getLogger(__name__)

RECOUNT_MS = 300  # marks and refreshes come in bursts: count once they rest


class SavedSearches(QObject):
    """The saved searches' feature (see the module docstring)."""

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.searches: list[SavedSearch] = []
        self.counts: dict[str, tuple[int, int]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOUNT_MS)
        self._timer.timeout.connect(self.recount)

    def find(self, name: str) -> SavedSearch | None:
        return next((s for s in self.searches if s.name == name), None)

    # --- keeping the tree's counts live -------------------------------------------------------

    @Slot()
    def schedule_recount(self) -> None:
        self._timer.start()

    @Slot()
    def recount(self) -> None:
        """Read the saved searches and count what each finds now; show them in the tree."""
        self._timer.stop()
        folder = self._ctx.folder
        if folder is None or not self._ctx.marks.attached:
            self.searches, self.counts = [], {}
            self._ctx.nav.set_saved_searches([])
            return
        try:
            self.searches = folder.marks.saved_searches()
            read = set(self._ctx.marks.read_paths)
            self.counts = {s.name: folder.saved_counts(s, read) for s in self.searches}
        except StorageError as exc:
            log.warning("saved searches unavailable: %s", exc)
            self._ctx.show_message(str(exc), 8000)
            return
        self._ctx.nav.set_saved_searches(
            [(s.name, *self.counts.get(s.name, (0, 0))) for s in self.searches]
        )

    # --- saving -------------------------------------------------------------------------------

    def current_view(self, name: str) -> SavedSearch:
        """The view on screen as a saved search named `name`."""
        ctx = self._ctx
        sel = ctx.listing.selection
        if sel.saved:  # saving within a saved search: refine that one
            base = self.find(sel.saved)
            if base is not None:
                text = " ".join(t for t in (base.text, ctx.search.text) if t)
                return SavedSearch(
                    name,
                    text,
                    base.categories,
                    base.tags,
                    base.year,
                    base.month,
                    base.drafts,
                    base.bookmarked,
                    base.unread,
                    ctx.timeline.since or base.since,
                    ctx.timeline.until or base.until,
                )
        return SavedSearch(
            name,
            ctx.search.text,
            sel.categories,
            sel.tags,
            sel.year,
            sel.month,
            sel.drafts,
            sel.bookmarks,
            sel.unread,
            ctx.timeline.since,
            ctx.timeline.until,
        )

    def save(self, search: SavedSearch, replaces: str | None = None) -> bool:
        """Save `search` (over `replaces`), recount and select it; False with a message when
        the name is taken or the store cannot be written."""
        folder = self._ctx.folder
        if folder is None:
            return False
        try:
            folder.marks.save_search(search, replaces=replaces)
        except (InputError, StorageError) as exc:
            QMessageBox.warning(self._ctx.window, self.tr("Saved searches"), str(exc))
            return False
        self.recount()
        self._ctx.nav.select_node(NodeKind.SAVED_SEARCH, search.name)
        return True

    def _ask_name(self, title: str, name: str = "") -> str | None:
        text, ok = QInputDialog.getText(
            self._ctx.window, title, self.tr("Name:"), QLineEdit.EchoMode.Normal, name
        )
        return text.strip() if ok and text.strip() else None

    @Slot()
    def on_save_requested(self) -> None:
        """Save Search…: the current view under a name the user gives."""
        if self._ctx.folder is None:
            return
        name = self._ask_name(self.tr("Save Search"), self._ctx.search.text)
        if name is not None:
            self.save(self.current_view(name))

    # --- the tree's context menu --------------------------------------------------------------

    @Slot(str, QPoint)
    def on_menu_requested(self, name: str, pos: QPoint) -> None:
        menu = self.menu(name)
        menu.exec(pos)
        menu.deleteLater()

    def menu(self, name: str) -> QMenu:
        menu = QMenu(self._ctx.window)
        index = next((i for i, s in enumerate(self.searches) if s.name == name), -1)
        for text, slot, enabled in (
            (self.tr("Rename…"), lambda: self.rename(name), True),
            (self.tr("Save Current View Here"), lambda: self.edit(name), True),
            (self.tr("Move Up"), lambda: self.move(name, index - 1), index > 0),
            (
                self.tr("Move Down"),
                lambda: self.move(name, index + 1),
                0 <= index < len(self.searches) - 1,
            ),
            (self.tr("Delete"), lambda: self.delete(name), True),
        ):
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _c=False, slot=slot: slot())
        return menu

    def rename(self, name: str, new_name: str | None = None) -> bool:
        old = self.find(name)
        if old is None:
            return False
        if new_name is None:
            new_name = self._ask_name(self.tr("Rename Saved Search"), name)
        if not new_name or new_name == name:
            return False
        return self.save(dataclasses.replace(old, name=new_name), replaces=name)

    def edit(self, name: str) -> bool:
        """Save the view on screen over `name` (keeping its name and place)."""
        if self.find(name) is None:
            return False
        return self.save(self.current_view(name), replaces=name)

    def delete(self, name: str) -> bool:
        folder = self._ctx.folder
        if folder is None:
            return False
        try:
            deleted = folder.marks.delete_search(name)
        except StorageError as exc:
            self._ctx.show_message(str(exc), 8000)
            return False
        self.recount()
        if self._ctx.listing.selection.saved == name:  # its node is gone: list everything
            self._ctx.nav.select_node(NodeKind.ALL)
        return deleted

    def move(self, name: str, to: int) -> None:
        folder = self._ctx.folder
        if folder is None or not 0 <= to < len(self.searches):
            return
        try:
            folder.marks.move_search(name, to)
        except (InputError, StorageError) as exc:
            self._ctx.show_message(str(exc), 8000)
            return
        self.recount()

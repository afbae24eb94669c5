"""ListColumns: the article list's column widths, remembered across restarts.

The title takes what the other columns leave (it stretches); the date, wide enough for a day and
a time, and the category can be resized with the mouse, and their widths are kept in the settings
(`list/header`, the header's own saved state) as soon as they change. A narrow list drops its
category column.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Slot

from reader.gui.context import WindowContext
from reader.gui.models.post_list import Column

log = logging.getLogger(__name__)

SETTINGS_KEY = "list/header"
# Below this list width the category column is hidden, so a title is not cut at a dozen
# Chinese characters (the tree and the article show the categories).
CATEGORY_MIN_LIST_WIDTH = 600


class ListColumns(QObject):
    """The list's column widths (see the module docstring)."""

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        header = ctx.list_view.horizontalHeader()
        saved = ctx.settings.bytes_value(SETTINGS_KEY)
        if saved is not None and not header.restoreState(saved):
            log.info("the saved list columns could not be restored")
        header.setStretchLastSection(False)
        header.sectionResized.connect(self.on_section_resized)
        ctx.list_view.viewport().installEventFilter(self)

    @Slot(int, int, int)
    def on_section_resized(self, section: int, _old: int, new: int) -> None:
        if section == Column.TITLE or new == 0:  # the stretching title follows the others
            return
        header = self._ctx.list_view.horizontalHeader()
        self._ctx.settings.set_bytes(SETTINGS_KEY, header.saveState())

    def category_fits(self, list_width: int) -> bool:
        return list_width >= CATEGORY_MIN_LIST_WIDTH

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Override of QObject.eventFilter: the category column shows when the list is wide
        enough for it."""
        # The event's type first: while the window is torn down, the view may be half gone.
        if event.type() == QEvent.Type.Resize:
            view = self._ctx.list_view
            viewport = view.viewport()
            if watched is viewport:
                view.setColumnHidden(Column.CATEGORY, not self.category_fits(viewport.width()))
        return False

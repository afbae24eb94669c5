"""ListSort: the list's one sort state, shown in both the column header and the drop-down.

The drop-down above the list offers every order (newest/oldest first, title A–Z/Z–A, category,
and best match while searching); a header click and a choice in the drop-down change the same
state, so the two always agree, and choosing an order that is already shown does nothing
surprising. The order is remembered across restarts (`list/sort` in the settings).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSignalBlocker, Qt, Slot

from reader.core import SortKey
from reader.gui.context import WindowContext
from reader.gui.models.post_list import SORT_KEYS

log = logging.getLogger(__name__)

RELEVANCE = "relevance"  # the search's best-match order (SearchController reads this data)
SETTINGS_KEY = "list/sort"
TREE_BY_NAME_KEY = "tree/sort_by_name"

# The drop-down's data -> (sort key, descending).
ORDERS: dict[str, tuple[SortKey, bool]] = {
    "date": (SortKey.DATE, True),
    "date-asc": (SortKey.DATE, False),
    "title": (SortKey.TITLE, False),
    "title-desc": (SortKey.TITLE, True),
    "category": (SortKey.CATEGORY, False),
}
_COLUMNS = {key: column for column, key in SORT_KEYS.items()}


class ListSort(QObject):
    """The sort state (see the module docstring)."""

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        combo = ctx.order_combo
        with QSignalBlocker(combo):
            combo.clear()
            for data, label in (
                ("date", self.tr("Newest first")),
                ("date-asc", self.tr("Oldest first")),
                ("title", self.tr("Title A–Z")),
                ("title-desc", self.tr("Title Z–A")),
                ("category", self.tr("Category A–Z")),
                (RELEVANCE, self.tr("Best match (when searching)")),
            ):
                combo.addItem(label, data)
        combo.setToolTip(self.tr("Order of the list (the column headers sort too)"))
        saved = ctx.settings.str_value(SETTINGS_KEY, "date")
        self._choose(saved if combo.findData(saved) >= 0 else "date", refresh=False)
        combo.currentIndexChanged.connect(self.on_combo_changed)
        # The tree's A–Z (categories and tags by name) is remembered as well.
        button = ctx.nav.sort_button
        button.setChecked(ctx.settings.bool_value(TREE_BY_NAME_KEY, False))
        button.toggled.connect(self.on_tree_by_name_toggled)

    @Slot(bool)
    def on_tree_by_name_toggled(self, by_name: bool) -> None:
        self._ctx.settings.set_bool(TREE_BY_NAME_KEY, by_name)

    @property
    def order(self) -> str:
        return str(self._ctx.order_combo.currentData())

    @Slot(int)
    def on_combo_changed(self, _index: int) -> None:
        self._choose(self.order, refresh=True)

    @Slot(SortKey, bool)
    def on_header_sort(self, key: SortKey, descending: bool) -> None:
        """A column header was clicked: the drop-down shows the same order."""
        data = next((d for d, kd in ORDERS.items() if kd == (key, descending)), None)
        combo = self._ctx.order_combo
        with QSignalBlocker(combo):
            if data is not None:
                combo.setCurrentIndex(combo.findData(data))
            else:
                combo.setCurrentIndex(-1)
        self._ctx.list_view.horizontalHeader().setSortIndicatorShown(True)
        self._ctx.settings.set_str(SETTINGS_KEY, data or "date")
        self._ctx.listing.on_sort_requested(key, descending)

    def _choose(self, data: str, refresh: bool) -> None:
        ctx = self._ctx
        combo = ctx.order_combo
        with QSignalBlocker(combo):
            combo.setCurrentIndex(combo.findData(data))
        header = ctx.list_view.horizontalHeader()
        key, descending = ORDERS.get(data, (SortKey.DATE, True))
        with QSignalBlocker(header):  # the header's own signal would sort a second time
            if data == RELEVANCE:
                header.setSortIndicatorShown(False)
            else:
                header.setSortIndicatorShown(True)
                order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
                header.setSortIndicator(_COLUMNS[key], order)
        ctx.settings.set_str(SETTINGS_KEY, data)
        ctx.listing.sort, ctx.listing.descending = key, descending
        if refresh:
            ctx.listing.refresh_list()

"""TimelineController: the timeline above the article list and the date range it chooses.

Owns the range chosen on the chart (`since`, `until`: whole local days), which the list adds
to its query (`restrict`), and the chart's counts: after each run of the list query, the
core's `Folder.timeline` counts the same view without the range (`ArticleList.view_query`), so
a bar's count is the number of rows its range lists. Whether the timeline shows is remembered
in the settings (`view/timeline`).
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date

from PySide6.QtCore import QObject, QTimer, Slot

from reader.core import Query, SortKey, build_timeline
from reader.gui.context import WindowContext
from reader.gui.widgets.timeline_chart import TimelineBar

log = logging.getLogger(__name__)

SETTING = "view/timeline"

# A view of this many rows is counted in an event-loop turn of its own, once the list has
# painted: at a million posts the count (12-35 ms) came on top of the turn that showed the
# first rows (60 ms), and the window stalled 100 ms.
COUNT_LATER_FROM = 50_000


class TimelineController(QObject):
    """The timeline's feature (see the module docstring)."""

    def __init__(self, ctx: WindowContext, bar: TimelineBar, parent: QObject | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.bar = bar
        self.since: date | None = None
        self.until: date | None = None
        self.visible = ctx.settings.bool_value(SETTING, True)
        # What the chart shows was counted for: (library, its version, the view in date order).
        self._counted: tuple[int, int, Query] | None = None
        self._count_queued = False
        bar.setVisible(self.visible)
        bar.chart.range_chosen.connect(self.on_range_chosen)
        bar.chip.clicked.connect(self.clear_range)

    @property
    def selected(self) -> tuple[date, date] | None:
        if self.since is None or self.until is None:
            return None
        return self.since, self.until

    def restrict(self, query: Query) -> Query:
        """`query` limited to the chosen range (unchanged without one)."""
        if self.selected is None:
            return query
        return dataclasses.replace(query, since=self.since, until=self.until)

    # --- following the view -------------------------------------------------------------------

    @Slot()
    def on_list_refreshed(self) -> None:
        """Recount the view the list just ran (skipped while the timeline is hidden; a long
        view in the next event-loop turn, see COUNT_LATER_FROM)."""
        self.bar.show_range(self.selected)
        self._count(now=False)

    @Slot()
    def _count_queued_view(self) -> None:
        self._count_queued = False
        self._count(now=True)  # the view the list shows by now (refreshed again, maybe)

    def _count(self, *, now: bool) -> None:
        folder, view = self._ctx.folder, self._ctx.listing.view_query
        if not self.visible or folder is None or view is None:
            return
        # The same posts in another order (a sort change) count the same: not counted again
        # (100,000 rows took 10-15 ms of every sort).
        unsorted = dataclasses.replace(
            view, since=None, until=None, sort=SortKey.DATE, descending=True, path_order=None
        )
        key = (id(folder.library), folder.library.version, unsorted)
        if key == self._counted:
            self.bar.chart.set_timeline(self.bar.chart.timeline, self.selected)
            return
        rows = self._ctx.listing.view_rows
        if not now and rows is not None and len(rows) >= COUNT_LATER_FROM:
            if not self._count_queued:
                self._count_queued = True
                QTimer.singleShot(0, self, self._count_queued_view)
            return
        if rows is not None:  # the list ran the view itself: count its rows (no second query)
            timeline = build_timeline(folder.library.day_numbers(), rows)
        else:
            timeline = folder.timeline(dataclasses.replace(view, since=None, until=None))
        self._counted = key
        self.bar.chart.set_timeline(timeline, self.selected)

    @Slot()
    def on_folder_opened(self) -> None:
        """Another folder: its dates have nothing to do with the range chosen before."""
        self.since = self.until = None
        self._counted = None
        self.bar.show_range(None)
        self.bar.chart.set_timeline(None, None)

    # --- choosing a range ---------------------------------------------------------------------

    @Slot(date, date)
    def on_range_chosen(self, since: date, until: date) -> None:
        self.since, self.until = since, until
        self._ctx.listing.refresh_list()

    @Slot()
    def clear_range(self) -> None:
        if self.selected is None:
            return
        self.since = self.until = None
        self._ctx.listing.refresh_list()

    @Slot(bool)
    def set_visible(self, visible: bool) -> None:
        """View › Show Timeline (hiding it also drops the range, so nothing hidden filters)."""
        self.visible = visible
        self._ctx.settings.set_bool(SETTING, visible)
        self.bar.setVisible(visible)
        if not visible and self.selected is not None:
            self.clear_range()
        else:
            self.on_list_refreshed()

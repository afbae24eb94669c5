"""The timeline above the list: its counts are the core's counts of the view, and a range chosen
on it filters the list exactly as `Query(since=, until=)` does (reader.core.timeline is tested
in tests/unit/core/test_timeline.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from reader.core import Query
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import NodeKind

WindowFactory = Callable[..., MainWindow]


def _listed(window: MainWindow) -> set[str]:
    model = window.list_model
    return {model.post_at(r).path for r in range(model.rowCount())}  # type: ignore[union-attr]


def _core_paths(window: MainWindow, query: Query) -> set[str]:
    folder = window.session.folder
    assert folder is not None
    return {folder.library.posts[i].path for i in folder.library.query(query)}


def test_the_timeline_counts_what_the_list_shows(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    folder = window.session.folder
    assert folder is not None
    chart = window.timeline.bar.chart
    assert window.timeline.bar.isVisible()
    assert chart.timeline == folder.timeline(Query())
    assert chart.timeline is not None and chart.timeline.total == 4
    # It follows the tree's selection.
    window.nav.select_node(NodeKind.CATEGORY, "tech")
    assert chart.timeline == folder.timeline(Query(categories=("tech",)))
    assert chart.timeline.total == 2


def test_a_chosen_range_filters_the_list_like_the_core(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    chart, chip = window.timeline.bar.chart, window.timeline.bar.chip
    timeline = chart.timeline
    assert timeline is not None
    dated = [i for i, b in enumerate(timeline.buckets) if b.count]
    first, last = dated[0], dated[1]
    chart.choose(first, last)
    since, until = timeline.buckets[first].start, timeline.buckets[last].end
    assert (window.timeline.since, window.timeline.until) == (since, until)
    assert _listed(window) == _core_paths(window, Query(since=since, until=until))
    counted = sum(b.count for b in timeline.buckets[first : last + 1])
    assert window.list_model.rowCount() == counted == 2
    # The counts still show the whole view (the range is not counted against itself).
    assert chart.timeline == timeline
    assert chip.isVisible() and since.isoformat() in chip.text()
    # The range holds within another node, and the chip clears it.
    window.nav.select_node(NodeKind.CATEGORY, "life")
    assert _listed(window) == _core_paths(
        window, Query(categories=("life",), since=since, until=until)
    )
    chip.click()
    assert window.timeline.since is None and not chip.isVisible()
    assert _listed(window) == _core_paths(window, Query(categories=("life",)))


def test_dragging_across_the_bars_chooses_them(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    chart = window.timeline.bar.chart
    y = chart.height() // 3
    QTest.mousePress(chart, Qt.MouseButton.LeftButton, pos=QPoint(5, y))
    QTest.mouseMove(chart, QPoint(chart.width() // 2, y))
    QTest.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=QPoint(chart.width() - 5, y))
    timeline = chart.timeline
    assert timeline is not None
    assert window.timeline.since == timeline.buckets[0].start
    assert window.timeline.until == timeline.buckets[-1].end
    assert window.list_model.rowCount() == timeline.dated == 4


def test_show_timeline_is_remembered(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    assert window.act_timeline.isChecked()
    window.act_timeline.trigger()
    assert not window.timeline.bar.isVisible()
    window.close()
    again = make_window(site)
    assert not again.act_timeline.isChecked()
    assert not again.timeline.bar.isVisible()
    again.act_timeline.trigger()
    assert again.timeline.bar.isVisible()
    assert again.timeline.bar.chart.timeline is not None


def test_the_chart_maps_the_pointer_to_its_bars(qtbot: QtBot) -> None:
    from datetime import date

    from reader.core import build_timeline
    from reader.gui.widgets.timeline_chart import TimelineChart

    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.resize(208, 60)
    assert chart.bucket_at(50) is None  # nothing to choose without a timeline
    days = [date(2021, 1, d).toordinal() for d in (1, 2, 2, 4)]
    chart.set_timeline(build_timeline(days, range(4)), None)
    assert chart.timeline is not None and [b.count for b in chart.timeline.buckets] == [1, 2, 0, 1]
    assert [chart.bucket_at(x) for x in (-20, 5, 60, 110, 160, 500)] == [0, 0, 1, 2, 3, 3]
    chosen: list[tuple[date, date]] = []
    chart.range_chosen.connect(lambda a, b: chosen.append((a, b)))
    chart.choose(1, 2)
    assert chosen == [(date(2021, 1, 2), date(2021, 1, 3))]
    chart.grab()  # paints without a warning


def test_a_sort_change_keeps_the_counts_without_counting_again(
    make_window: WindowFactory, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same posts in another order count the same: a sort change reuses the counts; a
    change of what is listed counts again."""
    import reader.gui.timeline as timeline_module
    from reader.core import SortKey

    window = make_window(site)
    counted: list[int] = []
    real = timeline_module.build_timeline

    def counting(*args: object, **kwargs: object) -> object:
        counted.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(timeline_module, "build_timeline", counting)
    before = window.timeline.bar.chart.timeline
    window.listing.on_sort_requested(SortKey.TITLE, False)
    window.listing.on_sort_requested(SortKey.DATE, True)
    assert counted == [] and window.timeline.bar.chart.timeline == before
    window.nav.select_node(NodeKind.CATEGORY, "tech")
    assert counted == [1]


def test_a_long_view_is_counted_in_a_turn_of_its_own(
    make_window: WindowFactory, site: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From COUNT_LATER_FROM rows the chart is counted after the list's turn, once for the
    view the list shows by then (two refreshes in one turn: one count, of the second)."""
    from reader.gui import timeline as timeline_module

    window = make_window(site)
    folder = window.session.folder
    assert folder is not None
    chart = window.timeline.bar.chart
    monkeypatch.setattr(timeline_module, "COUNT_LATER_FROM", 1)
    counted: list[int] = []
    build = timeline_module.build_timeline

    def spy(days: object, rows: list[int]) -> object:
        counted.append(len(rows))
        return build(days, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(timeline_module, "build_timeline", spy)
    before = chart.timeline
    assert window.nav.select_node(NodeKind.CATEGORY, "life")
    assert window.nav.select_node(NodeKind.CATEGORY, "tech")
    assert chart.timeline == before and counted == []  # the list's turn: nothing counted yet
    qtbot.waitUntil(lambda: counted != [], timeout=5_000)
    assert counted == [2]
    assert chart.timeline == folder.timeline(Query(categories=("tech",)))

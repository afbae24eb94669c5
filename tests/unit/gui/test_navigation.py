"""The keyboard and the way back (issue 14 #2, #8), one sort state (#6) and the open article
following its file (#3), driven through the real window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.core import SortKey
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import NodeKind
from reader.gui.models.post_list import Column
from reader.gui.navigation import ReadingHistory
from tests.unit.gui.conftest import searched_article

WindowFactory = Callable[..., MainWindow]
ALPHA = "_posts/2021-01-01-alpha.md"
BETA = "_posts/2021-02-01-beta.md"
DELTA = "_posts/2022-04-01-delta.md"


def _titles(window: MainWindow) -> list[str]:
    model = window.list_model
    return [model.post_at(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]


def test_focus_starts_on_the_list_so_j_reads(
    make_window: WindowFactory, site: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    assert QApplication.focusWidget() is window.list_view
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_J)
    assert window.nav.filter_edit.text() == ""
    assert window.list_view.currentIndex().row() == 1


def test_escape_clears_the_fields_and_returns_to_the_list(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    window.nav.filter_edit.setFocus()
    QTest.keyClicks(window.nav.filter_edit, "pyth")
    QTest.keyClick(window.nav.filter_edit, Qt.Key.Key_Escape)
    assert window.nav.filter_edit.text() == ""
    assert window.list_view.hasFocus() or QApplication.focusWidget() is window.list_view
    window.search_edit.setText("Alpha")
    window.search.on_search_return()
    assert _titles(window) == ["Alpha post"]
    QTest.keyClick(window.search_edit, Qt.Key.Key_Escape)
    assert window.search_edit.text() == ""
    assert len(_titles(window)) == 4


def test_home_and_end_in_the_list_go_to_the_first_and_last_article(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    QTest.keyClick(window.list_view, Qt.Key.Key_End)
    assert window.list_view.currentIndex().row() == 3
    assert window.article.current_path == ALPHA
    QTest.keyClick(window.list_view, Qt.Key.Key_Home)
    assert window.list_view.currentIndex().row() == 0
    assert window.article.current_path == DELTA


def test_ctrl_home_and_end_in_the_article(make_window: WindowFactory, site: Path) -> None:
    (site / "_posts/2021-01-01-alpha.md").write_text(
        "---\ntitle: Alpha post\n---\n" + "\n\n".join(f"Paragraph {i}." for i in range(300))
    )
    window = make_window(site)
    window.open_post(ALPHA)
    bar = window.pane.verticalScrollBar()
    assert bar.maximum() > 0
    QTest.keyClick(window.pane, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == bar.maximum()
    QTest.keyClick(window.pane, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0


def test_back_and_forward_return_to_the_posts_read(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.nav.select_node(NodeKind.CATEGORY, "tech")
    window.open_post(ALPHA)
    window.article.on_post_link("/2021/02/01/beta.html")
    assert window.article.current_path == BETA
    assert window.act_back.isEnabled() and not window.act_forward.isEnabled()
    window.act_back.trigger()
    assert window.article.current_path == ALPHA
    assert window.listing.selection.categories == ("tech",)
    assert window.act_forward.isEnabled()
    window.act_forward.trigger()
    assert window.article.current_path == BETA
    # The mouse's back button does the same, over the pane.
    press = QMouseEvent(
        QMouseEvent.Type.MouseButtonRelease,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.BackButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.pane.viewport(), press)
    assert window.article.current_path == ALPHA
    shortcuts = [s.toString() for s in window.act_back.shortcuts()]
    assert "Alt+Left" in shortcuts


def test_history_visits_drop_the_forward_entries() -> None:
    history = ReadingHistory()
    for path in ("a", "b", "c"):
        history.visit(path)
    assert history.go_back() == "b"
    history.visit("d")
    assert history.go_forward() is None
    assert history.go_back() == "b" and history.go_back() == "a" and history.go_back() is None


def test_after_a_search_the_open_row_is_selected(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.open_post(BETA)
    window.search_edit.setText("post")
    window.search.on_search_return()
    row = window.list_model.row_of(BETA)
    assert row is not None
    assert window.list_view.selectionModel().isRowSelected(row)


def test_one_sort_state_in_the_header_and_the_drop_down(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    header = window.list_view.horizontalHeader()
    assert window.order_combo.currentData() == "date"
    window.list_view.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    assert window.order_combo.currentData() == "title"
    assert _titles(window)[0] == "Alpha post"
    # Choosing "Newest first" now does what it says, and the header shows it.
    window.order_combo.setCurrentIndex(window.order_combo.findData("date"))
    assert _titles(window) == ["Delta post", "中文文章", "Beta post", "Alpha post"]
    assert header.sortIndicatorSection() == Column.DATE
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    window.order_combo.setCurrentIndex(window.order_combo.findData("date-asc"))
    assert _titles(window)[0] == "Alpha post"
    assert window.listing.sort is SortKey.DATE and not window.listing.descending


def test_the_sort_is_remembered(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.order_combo.setCurrentIndex(window.order_combo.findData("title"))
    window.close()
    again = make_window(site)
    assert again.order_combo.currentData() == "title"
    assert _titles(again)[0] == "Alpha post"


def test_the_open_article_follows_its_file(
    make_window: WindowFactory, site: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    window.open_post(BETA)
    (site / BETA).write_text("---\ntitle: Beta post\n---\nRewritten body.\n", encoding="utf-8")
    qtbot.waitUntil(lambda: "Rewritten body." in window.pane.toPlainText(), timeout=15_000)
    (site / BETA).unlink()
    qtbot.waitUntil(lambda: "is gone" in window.pane.toPlainText(), timeout=15_000)
    assert window.article.current_path is None
    window.act_bookmark.trigger()
    assert not window.marks.is_bookmarked(BETA)


def test_list_dates_show_the_time_in_the_site_zone_and_line_up() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QLocale

    from reader.gui.models.post_list import list_date

    shanghai = ZoneInfo("Asia/Shanghai")
    zh = QLocale("zh_CN")
    assert list_date(zh, datetime(2021, 4, 5, 1, 30, tzinfo=UTC), shanghai) == "2021/04/05 09:30"
    # A date from the file name alone (midnight in the site's zone) has no time to show.
    assert list_date(zh, datetime(2021, 4, 5, tzinfo=shanghai), shanghai) == "2021/04/05"
    assert list_date(QLocale.c(), datetime(2021, 4, 5, 23, 5, tzinfo=UTC), None) == (
        "2021-04-05 23:05"
    )


def test_column_widths_are_remembered(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    header = window.list_view.horizontalHeader()
    assert header.sectionSize(Column.TITLE) > header.sectionSize(Column.DATE)
    header.resizeSection(Column.DATE, 211)
    window.close()
    again = make_window(site)
    assert again.list_view.horizontalHeader().sectionSize(Column.DATE) == 211


def test_the_title_gets_the_room_at_1280_by_800(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site, resize=False)
    window.resize(1280, 800)
    QApplication.processEvents()
    view = window.list_view
    title = view.horizontalHeader().sectionSize(Column.TITLE)
    # 24 Chinese characters of a news headline fit in the title column.
    assert title >= view.fontMetrics().horizontalAdvance("中" * 24)


def test_empty_lists_say_what_is_empty_and_what_to_do(
    make_window: WindowFactory, site: Path, tmp_path: Path
) -> None:
    window = make_window(site)
    notice = window.empty_notice.label
    assert not notice.isVisible()
    window.search_edit.setText("nothingmatchesthisword")
    window.search.on_search_return()
    assert notice.isVisible() and "nothingmatchesthisword" in notice.text()
    window.search.clear()
    window.listing.refresh_list()
    assert not notice.isVisible()
    assert window.nav.select_node(NodeKind.BOOKMARKS)
    assert notice.isVisible() and "Ctrl+D" in notice.text()
    empty = tmp_path / "empty"
    (empty / "_posts").mkdir(parents=True)
    other = make_window(empty)
    assert other.empty_notice.label.isVisible()
    assert "no posts" in other.empty_notice.label.text()


def test_a_code_block_is_one_band_and_a_tag_one_chip(qtbot: QtBot) -> None:
    from reader.core import Post
    from reader.gui.widgets.reading_pane import ReadingPane, header_html

    pane = ReadingPane()
    qtbot.addWidget(pane)
    pane.show_html("<pre><code>a = 1\n\nb = 2\n</code></pre><p>after</p>")
    blocks = []
    block = pane.document().begin()
    while block.isValid():
        blocks.append((block.text(), block.blockFormat().lineHeight()))
        block = block.next()
    # Every line of the block at the normal line height (no gaps between their backgrounds),
    # and no empty band after the last line.
    assert blocks == [("a = 1", 100.0), ("", 100.0), ("b = 2", 100.0), ("after", 165.0)]
    post = Post("_posts/a.md", "A", None, ("新闻 中心",), ("效率",))
    html = header_html(post, "", {"bookmark": "", "draft": "", "unpublished": ""}, False, "")
    assert "#\u2060效\u2060率" in html and "新\u2060闻\u2060\u00a0\u2060中\u2060心" in html


def test_find_bar_says_which_match_of_how_many(make_window: WindowFactory, site: Path) -> None:
    (site / ALPHA).write_text(
        "---\ntitle: Alpha post\n---\nword one. word two. word three.\n", encoding="utf-8"
    )
    window = make_window(site)
    window.open_post(ALPHA)
    window.find_bar.open_bar()
    window.find_bar.edit.setText("word")
    assert window.find_bar.status.text() == "1 of 3"
    window.find_bar.find_next()
    assert window.find_bar.status.text() == "2 of 3"
    window.find_bar.find_previous()
    assert window.find_bar.status.text() == "1 of 3"


def test_search_highlights_the_title_too(
    make_window: WindowFactory, site: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    html = searched_article(window, qtbot, "Alpha", ALPHA)
    assert '<h1><span class="hit">Alpha</span> post</h1>' in html


def test_link_addresses_show_on_hover_and_a_failed_link_says_so(
    make_window: WindowFactory, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    window = make_window(site)
    window.open_post(ALPHA)
    window.pane.highlighted.emit(QUrl("https://example.org/page"))
    assert window.statusBar().currentMessage() == "https://example.org/page"
    window.pane.highlighted.emit(QUrl())
    assert window.statusBar().currentMessage() == ""
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    window.pane.anchorClicked.emit(QUrl("https://example.org/page"))
    assert "Could not open https://example.org/page" in window.statusBar().currentMessage()


def test_a_selected_problem_explains_itself_in_the_pane(
    make_window: WindowFactory, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    window = make_window(site)
    model = window.nav.model
    problems = model.find(NodeKind.PROBLEMS)
    window.nav.tree.setCurrentIndex(model.index(0, 0, problems))
    text = window.pane.toPlainText()
    assert "_posts/2022-05-01-broken.md" in text and "could not be read" in text
    assert window.article.current_path is None  # Ctrl+D has nothing hidden to bookmark
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.path()) or True)
    window.pane.anchorClicked.emit(QUrl("pr-action:problem-open-folder"))
    assert opened and opened[0].endswith("/_posts")
    window.pane.anchorClicked.emit(QUrl("pr-action:problem-copy"))
    assert "broken.md" in QApplication.clipboard().text()


def test_ctrl_z_takes_back_mark_all_read_and_bookmarks(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    marks = window.marks
    window.marks.read_timer.stop()
    before = marks.read_paths
    window.act_mark_all_read.trigger()
    assert all(not marks.is_unread(p) for p in window.list_model.paths())
    assert window.act_undo.isEnabled()
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.act_undo.trigger()
    assert marks.read_paths == before
    window.open_post(BETA)
    window.act_bookmark.trigger()
    marks.set_note(window.session.folder.post(BETA), "keep")  # type: ignore[arg-type]
    window.act_bookmark.trigger()  # removed, note and all
    assert not marks.is_bookmarked(BETA)
    window.act_undo.trigger()
    assert marks.is_bookmarked(BETA) and marks.note(BETA) == "keep"
    window.act_undo.trigger()  # the first bookmark taken back too
    assert not marks.is_bookmarked(BETA)
    assert not window.act_undo.isEnabled()
    assert window.act_undo.shortcut().toString() == "Ctrl+Z"


def test_the_trees_a_to_z_is_remembered(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.nav.sort_button.setChecked(True)
    window.close()
    assert make_window(site).nav.sort_button.isChecked()

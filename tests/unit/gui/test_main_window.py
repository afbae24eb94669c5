"""The real window, driven as a user would: tree, list, pane, links, keys, restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import NodeKind
from reader.gui.models.post_list import Column
from reader.gui.settings import AppSettings

WindowFactory = Callable[..., MainWindow]


def _titles(window: MainWindow) -> list[str]:
    model = window.list_model
    return [model.post_at(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]


def test_loads_the_folder_newest_first_with_counts(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    assert _titles(window) == ["Delta post", "中文文章", "Beta post", "Alpha post"]
    assert "4 posts · 4 shown · 1 problem" in window.status_label.text()
    problems = window.nav.model.find(NodeKind.PROBLEMS)
    assert window.nav.model.rowCount(problems) == 1


def test_choosing_a_category_shows_exactly_its_posts(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    assert window.nav.select_node(NodeKind.CATEGORY, "tech")
    assert _titles(window) == ["Beta post", "Alpha post"]
    # Ctrl+click a second node narrows to posts that have both.
    assert window.nav.select_node(NodeKind.CATEGORY, "life", add=True)
    assert _titles(window) == ["Beta post"]
    assert window.nav.select_node(NodeKind.TAG, "中文")
    assert _titles(window) == ["中文文章"]


def test_choosing_a_post_shows_its_title_and_body(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    row = window.list_model.row_of("_posts/2022-03-01-gamma.html")
    assert row is not None
    window.list_view.setCurrentIndex(window.list_model.index(row, Column.TITLE))
    text = window.pane.toPlainText()
    assert "中文文章" in text and "这是正文。" in text


def test_tag_link_in_the_pane_filters_the_list(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.open_post("_posts/2021-01-01-alpha.md")
    window.pane.anchorClicked.emit(QUrl("pr-tag:qt"))
    assert _titles(window) == ["Alpha post"]
    window.pane.anchorClicked.emit(QUrl("pr-category:life"))
    assert _titles(window) == ["中文文章", "Beta post"]


def test_external_link_goes_to_the_browser_not_the_pane(
    make_window: WindowFactory, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True
    )
    window = make_window(site)
    window.open_post("_posts/2021-01-01-alpha.md")
    before = window.pane.toHtml()
    window.pane.anchorClicked.emit(QUrl("https://example.org/page"))
    assert opened == ["https://example.org/page"]
    assert window.pane.toHtml() == before
    assert window.pane.source().isEmpty()


def test_link_to_another_post_opens_it_in_the_pane(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.open_post("_posts/2021-01-01-alpha.md")
    window.pane.anchorClicked.emit(QUrl("/2021/02/01/beta.html"))
    assert "Beta body text." in window.pane.toPlainText()
    assert window.list_model.post_at(window.list_view.currentIndex().row()).title == "Beta post"  # type: ignore[union-attr]


def test_keyboard_moves_the_selection(make_window: WindowFactory, site: Path, qtbot: QtBot) -> None:
    window = make_window(site)
    window.list_view.setFocus()
    window.activateWindow()
    first = window.list_view.currentIndex().row()
    assert first == 0
    QTest.keyClick(window.list_view, Qt.Key.Key_J)
    assert window.list_view.currentIndex().row() == 1
    assert "中文文章" in window.pane.toPlainText()
    QTest.keyClick(window.list_view, Qt.Key.Key_N)
    assert window.list_view.currentIndex().row() == 2
    QTest.keyClick(window.list_view, Qt.Key.Key_K)
    assert window.list_view.currentIndex().row() == 1
    # Letters typed into the search field are text, not navigation.
    window.search_edit.setFocus()
    QTest.keyClicks(window.search_edit, "j")
    assert window.search_edit.text() == "j"
    assert window.list_view.currentIndex().row() in (-1, 0, 1)


def test_title_search_filters_as_you_type(
    make_window: WindowFactory, site: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    QTest.keyClicks(window.search_edit, "post")
    qtbot.waitUntil(
        lambda: _titles(window) == ["Delta post", "Beta post", "Alpha post"], timeout=3000
    )
    window.search_edit.setText("中文")
    qtbot.waitUntil(lambda: _titles(window) == ["中文文章"], timeout=3000)


def test_sorting_by_title_asks_the_core(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.list_view.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    assert _titles(window) == ["Alpha post", "Beta post", "Delta post", "中文文章"]


def test_zoom_is_remembered(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    step = window.pane.zoom_step
    window.act_zoom_in.trigger()
    assert window.pane.zoom_step == step + 1
    assert window.settings.int_value("reader/zoom", -1) == step + 1


def test_window_state_survives_a_restart(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    # within the offscreen screen (800x600), so restoreGeometry need not clamp it
    window.resize(780, 560)
    window.splitter.setSizes([180, 250, 330])
    sizes = window.splitter.sizes()
    window.open_post("_posts/2021-02-01-beta.md")
    window.close()

    again = make_window(site, resize=False)
    assert again.settings.last_folder == str(site.resolve())
    assert (again.width(), again.height()) == (780, 560)
    assert again.splitter.sizes() == sizes
    current = again.list_model.post_at(again.list_view.currentIndex().row())
    assert current is not None and current.path == "_posts/2021-02-01-beta.md"
    assert "Beta body text." in again.pane.toPlainText()


def test_find_in_article(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.open_post("_posts/2021-01-01-alpha.md")
    window.act_find.trigger()
    window.find_bar.edit.setText("body")
    assert window.pane.textCursor().selectedText() == "body"
    window.find_bar.edit.setText("no such words")
    assert window.find_bar.status.text() == "Not found"


def test_shortcuts_dialog_lists_every_shortcut(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    rows = dict(window.dialogs.shortcut_rows())
    for name in (
        "Next Article",
        "Previous Article",
        "Open Folder…",
        "Reload",
        "Quit",
        "Find in Article",
    ):
        assert name in rows, rows
    assert "J" in rows["Next Article"] and "F5" in rows["Reload"]


def test_opening_a_missing_folder_reports_it(
    make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(str(a[2])))
    window = make_window(tmp_path / "missing")
    assert shown and "no such folder" in shown[0]
    assert window.list_model.rowCount() == 0


def test_posts_added_changed_and_removed_while_open_show_up(
    make_window: WindowFactory, site: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    (site / "_posts/2023-01-01-new.md").write_text(
        "---\ntitle: Fresh post\n---\nnew\n", encoding="utf-8"
    )
    qtbot.waitUntil(lambda: "Fresh post" in _titles(window), timeout=15_000)
    (site / "_posts/2022-04-01-delta.md").unlink()
    qtbot.waitUntil(lambda: "Delta post" not in _titles(window), timeout=15_000)
    (site / "_posts/2021-02-01-beta.md").write_text(
        "---\ntitle: Beta renamed title\ncategories: [tech]\n---\nchanged body, longer than before\n",
        encoding="utf-8",
    )
    qtbot.waitUntil(lambda: "Beta renamed title" in _titles(window), timeout=15_000)
    assert "Beta post" not in _titles(window)


def test_a_reopened_folder_is_usable_from_the_cache_while_it_is_checked(
    make_window: WindowFactory, site: Path, settings_path: Path, qtbot: QtBot
) -> None:
    make_window(site).close()  # the first open writes the cache
    (site / "_posts" / "2022-06-01-new.md").write_text("---\ntitle: New post\n---\nNew.\n")
    window = MainWindow(AppSettings(settings_path))
    qtbot.addWidget(window)
    window.show()
    states: list[tuple[bool, bool, int]] = []

    def on_ready(from_cache: bool) -> None:
        if from_cache:
            states.append((window.loading, window.checking, window.list_model.rowCount()))

    window.session.library_changed.connect(on_ready)
    with qtbot.waitSignal(window.folder_loaded, timeout=20_000):
        window.open_folder(site)
    # The cached list was shown whole and usable (not "loading") while the folder was checked...
    assert states and states[0] == (False, True, 4)
    # ...and the check then found the new file.
    assert not window.loading and not window.checking
    assert "New post" in _titles(window)
    window.loader.stop()


def test_a_loaded_folders_records_are_kept_out_of_the_collectors_walks(
    make_window: WindowFactory, site: Path
) -> None:
    # Full collections walked every record of the folder with the GIL held (stalls of the
    # window); while a folder is open they are frozen, and closing it lets them be collected.
    import gc

    window = make_window(site)
    post = window.library.posts[0]  # type: ignore[union-attr]
    assert gc.get_freeze_count() > 0
    assert gc.is_tracked(post)  # still tracked: freezing moves, it does not untrack
    window.session.close()
    assert gc.get_freeze_count() == 0


def test_a_load_forgets_the_source_lines_pyside_had_python_keep(
    qtbot: QtBot, settings_path: Path, site: Path
) -> None:
    """PySide's import hook makes `linecache` keep the source of every module imported after
    it (megabytes): the lines known when a folder starts loading, and those read during the
    load, are forgotten by its end."""
    import linecache

    def remember(name: str) -> None:
        linecache.cache[name] = (2, None, ["x = 1\n"], name)

    window = MainWindow(AppSettings(settings_path))
    qtbot.addWidget(window)
    window.show()
    at_open: list[bool] = []

    def opened() -> None:
        at_open.append("<before the load>" in linecache.cache)
        remember("<during the load>")

    window.session.folder_opened.connect(opened)
    remember("<before the load>")
    with qtbot.waitSignal(window.folder_loaded, timeout=60_000):
        window.open_folder(site)
    assert at_open == [False]
    assert "<during the load>" not in linecache.cache
    window.loader.stop()


def test_a_folder_opened_as_the_last_load_ends_shows_only_its_own_posts(
    qtbot: QtBot, settings_path: Path, site: Path, tmp_path: Path
) -> None:
    """The list shows a load's end an event-loop turn after the tree (`load_shown`). Another
    folder opened in between is not given the first folder's list, nor its first post."""
    other = tmp_path / "other"
    (other / "_posts").mkdir(parents=True)
    (other / "_posts" / "2020-01-01-only.md").write_text("---\ntitle: The only post\n---\nHi.\n")
    window = MainWindow(AppSettings(settings_path))
    qtbot.addWidget(window)
    window.show()
    switched: list[bool] = []

    def open_other(_cancelled: bool) -> None:
        if not switched:
            switched.append(True)
            window.open_folder(other)

    window.session.load_finished.connect(open_other)
    shown: list[list[str]] = []
    window.folder_loaded.connect(lambda: shown.append(_titles(window)))
    with qtbot.waitSignal(window.folder_loaded, timeout=60_000):
        window.open_folder(site)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=60_000)
    # The first load's turn came while the second folder was loading: nothing listed.
    assert shown == [[], ["The only post"]]
    assert window.article.current_path == "_posts/2020-01-01-only.md"
    window.loader.stop()


def test_the_first_poll_after_a_load_waits_as_long_as_the_polls_after_a_refresh(
    make_window: WindowFactory, site: Path
) -> None:
    """A load has just scanned the folder: the first poll comes no sooner than the polls after
    a refresh do (20 scans' time, 5 s at least), not 5 s after a million files were scanned."""
    from reader.gui.session import POLL_MIN_MS, poll_interval_ms

    window = make_window(site)
    session = window.session
    assert 0 < session.loader.scan_seconds < 1  # four posts
    assert session._poll_timer.isActive()
    assert session._poll_timer.interval() == POLL_MIN_MS == poll_interval_ms(0.01)
    session.loader.scan_seconds = 12.5  # as long as a million files take
    session._watch_folder()
    assert session._poll_timer.interval() == poll_interval_ms(12.5) == 250_000
    window.loader.stop()

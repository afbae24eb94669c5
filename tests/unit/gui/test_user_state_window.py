"""Bookmarks, read state and reading position in the window (the store itself is tested in
tests/unit/core/storage/test_userdata.py and tests/integration/test_store_crash.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import COUNT_ROLE, NodeKind
from reader.gui.models.post_list import Column
from tests.conftest import write_files

WindowFactory = Callable[..., MainWindow]
ALPHA = "_posts/2021-01-01-alpha.md"
BETA = "_posts/2021-02-01-beta.md"


def _titles(window: MainWindow) -> list[str]:
    model = window.list_model
    return [model.post_at(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]


def _count(window: MainWindow, kind: NodeKind) -> int:
    return int(window.nav.model.find(kind).data(COUNT_ROLE))


def _select(window: MainWindow, path: str) -> None:
    row = window.list_model.row_of(path)
    assert row is not None
    window.list_view.setCurrentIndex(window.list_model.index(row, Column.TITLE))


def test_ctrl_d_bookmarks_and_the_node_lists_newest_first(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    _select(window, ALPHA)
    window.list_view.setFocus()
    QTest.keyClick(window.list_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    _select(window, BETA)
    window.act_bookmark.trigger()
    assert _count(window, NodeKind.BOOKMARKS) == 2
    assert window.list_model.index(window.list_model.row_of(BETA), Column.STAR).data() == "★"  # type: ignore[arg-type]
    window.nav.select_node(NodeKind.BOOKMARKS)
    assert _titles(window) == ["Beta post", "Alpha post"]  # newest bookmark first
    # Toggling again removes it, from the node too.
    _select(window, BETA)
    window.act_bookmark.trigger()
    assert _titles(window) == ["Alpha post"]
    assert _count(window, NodeKind.BOOKMARKS) == 1


def test_star_column_and_pane_star_toggle(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    row = window.list_model.row_of(ALPHA)
    assert row is not None
    window.listing.on_list_clicked(window.list_model.index(row, Column.STAR))
    assert window.marks.is_bookmarked(ALPHA)
    window.open_post(ALPHA)
    assert "★" in window.pane.toPlainText()
    window.pane.anchorClicked.emit(QUrl("pr-action:bookmark"))
    assert not window.marks.is_bookmarked(ALPHA)
    assert "☆" in window.pane.toPlainText()


def test_note_shows_in_tooltip_pane_and_export(
    make_window: WindowFactory, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(site)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  read again  ", True))
    _select(window, ALPHA)
    window.act_note.trigger()  # a note on a post that was not bookmarked bookmarks it
    assert window.marks.is_bookmarked(ALPHA) and window.marks.note(ALPHA) == "read again"
    row = window.list_model.row_of(ALPHA)
    tooltip = window.list_model.index(row, Column.TITLE).data(Qt.ItemDataRole.ToolTipRole)  # type: ignore[arg-type]
    assert "read again" in tooltip
    assert "read again" in window.pane.toPlainText()
    out = tmp_path / "marks.json"
    assert window.exporter.write_bookmarks_export(out, "json")
    data = json.loads(out.read_text())
    assert [(b["path"], b["note"]) for b in data["bookmarks"]] == [(ALPHA, "read again")]


def test_import_merges_without_duplicates(
    make_window: WindowFactory, site: Path, tmp_path: Path
) -> None:
    window = make_window(site)
    window.marks.toggle_bookmark(window.library.post_at(ALPHA))  # type: ignore[union-attr, arg-type]
    window.marks.toggle_bookmark(window.library.post_at(BETA))  # type: ignore[union-attr, arg-type]
    export = tmp_path / "marks.json"
    assert window.exporter.write_bookmarks_export(export, "json")
    window.marks.toggle_bookmark(window.library.post_at(BETA))  # type: ignore[union-attr, arg-type]
    window.exporter.read_bookmarks_import(export)
    assert window.statusBar().currentMessage().startswith("Imported 1 bookmark (")
    window.exporter.read_bookmarks_import(export)
    assert window.marks.bookmarked_paths == {ALPHA, BETA}


def test_a_post_open_for_a_moment_becomes_read(
    make_window: WindowFactory, site: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    window.marks.read_timer.setInterval(50)
    unread_before = _count(window, NodeKind.UNREAD)
    assert unread_before == 4
    _select(window, ALPHA)
    row = window.list_model.row_of(ALPHA)
    assert isinstance(
        window.list_model.index(row, Column.TITLE).data(Qt.ItemDataRole.FontRole), QFont
    )  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: not window.marks.is_unread(ALPHA), timeout=3000)
    assert window.list_model.index(row, Column.TITLE).data(Qt.ItemDataRole.FontRole) is None  # type: ignore[arg-type]
    # One read by opening, plus the post that was open when the folder loaded.
    assert _count(window, NodeKind.UNREAD) <= unread_before - 1
    window.act_toggle_read.trigger()  # `u`
    assert window.marks.is_unread(ALPHA)


def test_unread_node_and_mark_all_in_view(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.marks.read_timer.stop()
    window.nav.select_node(NodeKind.CATEGORY, "tech")
    window.act_mark_all_read.trigger()
    assert not window.marks.is_unread(ALPHA) and not window.marks.is_unread(BETA)
    window.nav.select_node(NodeKind.UNREAD)
    assert set(_titles(window)) <= {"Delta post", "中文文章"}
    assert "Alpha post" not in _titles(window)


def test_reading_position_is_restored(make_window: WindowFactory, tmp_path: Path) -> None:
    long_body = "\n\n".join(f"Paragraph {i} " + "word " * 60 for i in range(120))
    folder = write_files(
        tmp_path / "long",
        {
            "_posts/2021-01-01-long.md": f"---\ntitle: Long\n---\n{long_body}\n",
            "_posts/2021-01-02-short.md": "---\ntitle: Short\n---\nshort\n",
        },
    )
    window = make_window(folder)
    window.open_post("_posts/2021-01-01-long.md")
    bar = window.pane.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    window.marks.position_timer.stop()
    window.marks.on_position_rest()
    window.open_post("_posts/2021-01-02-short.md")
    window.open_post("_posts/2021-01-01-long.md")
    assert abs(bar.value() - bar.maximum() // 2) <= max(2, bar.maximum() // 50)


def test_bookmarks_survive_a_restart_and_nothing_is_written_into_the_folder(
    make_window: WindowFactory, site: Path
) -> None:
    before = sorted(str(p) for p in site.rglob("*"))
    window = make_window(site)
    window.marks.toggle_bookmark(window.library.post_at(BETA))  # type: ignore[union-attr, arg-type]
    window.close()
    again = make_window(site, resize=False)
    assert again.marks.is_bookmarked(BETA)
    assert _count(again, NodeKind.BOOKMARKS) == 1
    assert sorted(str(p) for p in site.rglob("*")) == before


def test_a_damaged_database_is_reported_and_replaced(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.paths import data_dir
    from reader.gui.settings import AppSettings

    data_dir().mkdir(parents=True, exist_ok=True)
    (data_dir() / "userdata.sqlite3").write_bytes(b"this is not a database" * 100)
    window = MainWindow(AppSettings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    assert window.marks.store.message and "moved" in window.marks.store.message
    assert (
        window.marks.store.recovered_from is not None and window.marks.store.recovered_from.exists()
    )

"""The window's feature objects driven directly: session, search, marks, list, article."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core import FolderMarks, Query, StorageError
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import NodeKind

WindowFactory = Callable[..., MainWindow]
ALPHA = "_posts/2021-01-01-alpha.md"
BETA = "_posts/2021-02-01-beta.md"


def test_session_reports_a_folder_that_cannot_be_opened(
    make_window: WindowFactory, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    window = make_window(site)
    failed: list[str] = []
    window.session.load_failed.connect(failed.append)
    window.open_folder(tmp_path / "nowhere")
    assert failed and "no such folder" in failed[0]
    assert window.session.folder is None and window.library is None
    assert window.status_label.text() == failed[0]


def test_search_without_an_index_filters_titles(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.session.indexer.stop()
    assert window.session.folder is not None and not window.session.folder.has_index
    window.search_edit.setText("  beta ")
    query = window.search.list_query(Query(categories=("tech",)))
    assert query.text == "beta" and query.categories == ("tech",)
    assert window.search.result is None and window.search.terms == ()


def test_search_with_the_index_answers_with_paths_and_terms(
    make_window: WindowFactory, site: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    folder = window.session.folder
    assert folder is not None
    qtbot.waitUntil(lambda: folder.has_index and not window.session.indexer.running, timeout=20_000)
    window.search_edit.setText("body")
    query = window.search.list_query(Query(categories=("tech",)))
    assert query.paths == frozenset({ALPHA, BETA}) and query.text == ""
    assert window.search.total == 2 and "body" in window.search.terms
    window.search_edit.clear()
    assert window.search.list_query(Query()) == Query()


def test_marks_keep_sets_in_memory_and_count_for_the_tree(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    marks = window.marks
    window.marks.read_timer.stop()
    alpha = window.session.folder.post(ALPHA)  # type: ignore[union-attr]
    assert alpha is not None
    bookmarks_before, unread_before = marks.counts()
    assert bookmarks_before == 0 and unread_before is not None
    assert marks.toggle_bookmark(alpha)
    was_unread = marks.is_unread(ALPHA)
    marks.set_read([alpha], read=True)
    assert not marks.is_unread(ALPHA) and ALPHA in marks.read_paths
    assert marks.bookmarked_paths == {ALPHA} and marks.bookmark_order == (ALPHA,)
    assert marks.counts() == (1, unread_before - was_unread)
    assert window.session.folder.marks.is_bookmarked(ALPHA)  # type: ignore[union-attr]


def test_a_store_error_is_shown_and_the_window_goes_on(
    make_window: WindowFactory, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(site)

    def fail(self: FolderMarks, post: object) -> bool:
        raise StorageError("the disk is full")

    monkeypatch.setattr(FolderMarks, "toggle_bookmark", fail)
    window.open_post(ALPHA)
    window.act_bookmark.trigger()
    assert "the disk is full" in window.statusBar().currentMessage()
    assert not window.marks.is_bookmarked(ALPHA)


def test_a_link_outside_the_filter_opens_the_post_and_keeps_the_view(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    window.nav.select_node(NodeKind.CATEGORY, "misc")
    window.open_post(ALPHA)
    window.article.on_post_link("/2021/02/01/beta.html")
    assert window.article.current_path == BETA
    assert window.listing.selection.categories == ("misc",)  # the reader's context stays
    assert window.list_model.row_of(BETA) is None


def test_a_link_inside_the_filter_selects_its_row(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.nav.select_node(NodeKind.CATEGORY, "tech")
    window.open_post(ALPHA)
    window.article.on_post_link("/2021/02/01/beta.html")
    assert window.listing.selection.categories == ("tech",)
    row = window.list_model.row_of(BETA)
    assert row is not None and window.list_view.currentIndex().row() == row


def test_article_renders_a_post_that_vanished_as_a_notice(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    beta = window.session.folder.post(BETA)  # type: ignore[union-attr]
    assert beta is not None
    (site / BETA).unlink()
    html = window.article.render_post(beta)
    assert "Beta post" in html and 'class="notice"' in html

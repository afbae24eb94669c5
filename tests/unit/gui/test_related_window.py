"""Related posts under the article (found on a worker thread) on the folder with known
neighbours of tests/unit/core/test_related.py, and the per-folder choice of reading times
written without an offset in the site's zone."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from reader.gui.main_window import MainWindow
from reader.gui.widgets.reading_pane import RELATED_SCHEME
from tests.conftest import write_files
from tests.unit.core.test_related import _files

WindowFactory = Callable[..., MainWindow]


def _path(window: MainWindow, slug: str) -> str:
    folder = window.session.folder
    assert folder is not None
    return next(p.path for p in folder.posts if p.path.endswith(f"-{slug}.md"))


def test_related_posts_show_under_the_article_and_open(
    make_window: WindowFactory, tmp_path: Path, qtbot: QtBot
) -> None:
    window = make_window(write_files(tmp_path / "news", _files()))
    window.marks.set_read_after(600)
    me = _path(window, "volcano0")
    window.open_post(me)
    qtbot.waitUntil(
        lambda: window.related.shown is not None and window.related.shown[0] == me,
        timeout=30_000,
    )
    assert window.related.shown is not None
    related = window.related.shown[1]
    assert 0 < len(related) <= 5
    siblings = {_path(window, "volcano1"), _path(window, "volcano2")}
    assert {r.path for r in related[:2]} == siblings
    assert me not in {r.path for r in related}
    text = window.pane.toPlainText()
    assert "Related posts" in text
    assert text.index(related[0].title) < text.index(related[1].title)  # best first
    # A click opens it and keeps the list as it was.
    rows = window.list_model.rowCount()
    window.pane.on_anchor_clicked(QUrl(f"{RELATED_SCHEME}:{related[0].path}"))
    assert window.article.current_path == related[0].path
    assert window.list_model.rowCount() == rows
    # The next article gets its own related posts, never the previous one's.
    qtbot.waitUntil(
        lambda: window.related.shown is not None and window.related.shown[0] == related[0].path,
        timeout=30_000,
    )
    assert related[0].path not in {r.path for r in window.related.shown[1]}


SITE = {
    "_config.yml": "timezone: Asia/Shanghai\n",
    "_posts/2021-12-08-scraped.md": "---\ntitle: Scraped\ndate: 2021-12-08 10:46:18\n---\nx\n",
}


def test_naive_times_in_the_site_zone_is_a_per_folder_choice(
    make_window: WindowFactory, tmp_path: Path, qtbot: QtBot
) -> None:
    site = write_files(tmp_path / "site", SITE)
    window = make_window(site)

    def hour() -> int:
        folder = window.session.folder
        assert folder is not None and folder.posts[0].date is not None
        return folder.posts[0].date.hour

    assert hour() == 18  # Jekyll's reading: UTC, shown in the site's zone
    look = window.appearance
    prefs = dataclasses.replace(look.prefs, naive_times_in_site_zone=True)
    with qtbot.waitSignal(window.folder_loaded, timeout=30_000):
        look.save(prefs)
        look.apply(prefs)  # the folder is opened again
    assert hour() == 10
    assert window.settings.naive_times_in_site_zone(window.session.path)  # type: ignore[arg-type]
    # A theme change later does not touch the folder's choice.
    look.set_theme("dark")
    assert window.settings.naive_times_in_site_zone(window.session.path)  # type: ignore[arg-type]
    window.close()
    again = make_window(site)
    folder = again.session.folder
    assert folder is not None and folder.posts[0].date is not None
    assert folder.posts[0].date.hour == 10
    other = make_window(write_files(tmp_path / "other", SITE))
    folder = other.session.folder
    assert folder is not None and folder.posts[0].date is not None
    assert folder.posts[0].date.hour == 18  # another folder keeps Jekyll's reading

"""Full-text search in the window: any Chinese query length, combined with the tree, with the
matches highlighted in the pane (the index itself is tested in tests/unit/core/search/test_index.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core import Query
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import NodeKind
from reader.gui.search import FIRST_PAGE
from tests.conftest import write_files

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return write_files(
        tmp_path / "news",
        {
            "_config.yml": "timezone: Asia/Shanghai\n",
            "_posts/2021-01-01-a.md": "---\ntitle: 一\ncategories: [市场]\ntags: [监管]\n---\n市场监管部门发布通知。\n",
            "_posts/2021-02-01-b.md": "---\ntitle: 二\ncategories: [市场]\n---\n市场很好，监督管理到位。\n",
            "_posts/2021-03-01-c.md": "---\ntitle: 三\ncategories: [科技]\ntags: [监管]\n---\n药品安全 and Jekyll release notes.\n",
            "_posts/2021-04-01-d.md": "---\ntitle: 四\ncategories: [科技]\n---\nNothing here but English words.\n",
        },
    )


def _wait_for_the_index(window: MainWindow, qtbot: QtBot) -> None:
    def indexed() -> bool:
        folder = window.session.folder
        return folder is not None and folder.has_index and not window.session.indexer.running

    qtbot.waitUntil(indexed, timeout=20_000)


def _search(window: MainWindow, qtbot: QtBot, text: str) -> list[str]:
    _wait_for_the_index(window, qtbot)
    window.search_edit.setText(text)
    window.search.on_search_return()
    # The first page comes at once, every match from a thread (a few milliseconds here).
    qtbot.waitUntil(lambda: not window.search.counting, timeout=20_000)
    model = window.list_model
    return [model.post_at(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]


def test_chinese_queries_of_any_length(
    make_window: WindowFactory, news: Path, qtbot: QtBot
) -> None:
    window = make_window(news)
    assert _search(window, qtbot, "药") == ["三"]
    assert _search(window, qtbot, "监管") == ["一"]  # 监督管理 has both characters, not the word
    assert _search(window, qtbot, "市场监管") == ["一"]
    assert _search(window, qtbot, "市场") == ["二", "一"]
    assert _search(window, qtbot, "不存在的词") == []
    assert "1 match" in _search_status(window, qtbot, "药")
    assert "1 matches" not in window.status_label.text()
    assert "2 matches" in _search_status(window, qtbot, "市场")


def _search_status(window: MainWindow, qtbot: QtBot, text: str) -> str:
    _search(window, qtbot, text)
    return window.status_label.text()


def test_english_phrases_exclusion_and_terms(
    make_window: WindowFactory, news: Path, qtbot: QtBot
) -> None:
    window = make_window(news)
    assert _search(window, qtbot, "jekyll") == ["三"]
    assert _search(window, qtbot, '"release notes"') == ["三"]
    assert _search(window, qtbot, '"notes release"') == []
    assert _search(window, qtbot, "市场 -监管") == ["二"]
    assert _search(window, qtbot, "tag:监管") == ["三", "一"]
    assert _search(window, qtbot, "category:科技 -jekyll") == ["四"]


def test_search_combines_with_the_tree_and_highlights(
    make_window: WindowFactory, news: Path, qtbot: QtBot
) -> None:
    window = make_window(news)
    window.nav.select_node(NodeKind.CATEGORY, "科技")
    assert _search(window, qtbot, "监管") == []
    assert _search(window, qtbot, "药品") == ["三"]
    window.open_post("_posts/2021-03-01-c.md")
    assert 'class="hit"' in window.article.render_post(window.article.current_post())  # type: ignore[arg-type]
    window.search_edit.clear()
    window.search.on_search_return()
    assert 'class="hit"' not in window.article.render_post(window.article.current_post())  # type: ignore[arg-type]


def test_another_search_marks_the_open_post_again_without_rendering_it_again(
    make_window: WindowFactory, news: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open post stays open through searches that list it: each marks its own words in
    the body rendered once, exactly as a render with those words would."""
    window = make_window(news)
    folder = window.session.folder
    assert folder is not None
    path = "_posts/2021-01-01-a.md"
    renders: list[tuple[str, tuple[str, ...]]] = []
    render = folder.render

    def counted(post: object, highlight: tuple[str, ...] = ()) -> str:
        renders.append((post.path, tuple(highlight)))  # type: ignore[attr-defined]
        return render(post, highlight)  # type: ignore[arg-type]

    monkeypatch.setattr(folder, "render", counted)
    window.open_post(path)
    for words in ("市场", "监管", "部门 通知", ""):
        _search(window, qtbot, words)
        assert window.article.current_path == path
        post = folder.post(path)
        assert post is not None
        terms = tuple(window.search.terms)
        shown = window.article.render_post(post)
        assert shown.endswith(render(post, terms))  # the header, then the body as marked
        assert ('class="hit"' in shown) == bool(terms)
    assert renders == [(path, ())]  # rendered once, marked four times


def test_every_match_is_listed_and_sorted_past_five_thousand(
    make_window: WindowFactory, tmp_path: Path, qtbot: QtBot
) -> None:
    """Issue 14 #1: the list once stopped at 5,000 matches without saying so."""
    files = {"_config.yml": "timezone: Asia/Shanghai\n"}
    for i in range(5_010):
        day = (date(2000, 1, 1) + timedelta(days=i)).isoformat()  # one post a day
        files[f"_posts/{day}-p{i}.md"] = f"---\ntitle: 帖子{i:05d}\n---\n市场监管 {i}\n"
    window = make_window(write_files(tmp_path / "many", files))
    _wait_for_the_index(window, qtbot)
    window.search_edit.setText("监管")
    window.search.on_search_return()
    # The first page at once, counting meanwhile; then every match and their count.
    assert window.list_model.rowCount() == FIRST_PAGE and window.search.counting
    assert "matches" not in window.status_label.text()
    assert "finding every match" in window.status_label.text()
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 5_010, timeout=20_000)
    assert not window.search.counting
    assert "5010 matches" in window.status_label.text()
    # Its rows were made on the reading thread, for this library: the library's own answer.
    library, query, folder = window.library, window.listing.view_query, window.session.folder
    made = window.search.rows_for(query)
    assert made is not None and library is not None and folder is not None and query is not None
    assert list(made) == list(library.query(folder.search("监管").query))
    assert window.search.rows_for(dataclasses.replace(query)) is None  # only that Query
    # Held as those rows alone: not 5,010 paths twice over (a million at a million posts).
    assert query.paths == frozenset() and window.search.result is not None
    assert window.search.result.paths == () and window.search.total == 5_010
    # A range chosen on the timeline narrows them as the core narrows the search.
    since, until = date(2005, 1, 1), date(2005, 12, 31)
    window.timeline.since, window.timeline.until = since, until
    window.listing.refresh_list()
    narrowed = folder.search("监管", Query(since=since, until=until)).query
    assert window.list_model.rowCount() == 365
    listed = [window.list_model.post_at(r).path for r in range(365)]  # type: ignore[union-attr]
    assert listed == [library.posts[i].path for i in library.query(narrowed)]
    window.timeline.since = window.timeline.until = None
    window.listing.refresh_list()
    assert window.list_model.rowCount() == 5_010
    # Newest first over every match: the last row is the oldest post, p0.
    assert window.list_model.post_at(5_009).title == "帖子00000"  # type: ignore[union-attr]
    window.order_combo.setCurrentIndex(window.order_combo.findData("title"))
    qtbot.waitUntil(lambda: not window.search.counting, timeout=20_000)
    assert window.list_model.rowCount() == 5_010
    assert window.list_model.post_at(0).title == "帖子00000"  # type: ignore[union-attr]
    assert window.list_model.post_at(5_009).title == "帖子05009"  # type: ignore[union-attr]


def test_the_status_says_when_only_titles_are_searched(
    make_window: WindowFactory, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the index builds, the list is the titles' answer: the status bar says so."""
    from reader.core import Folder
    from reader.gui.session import FolderSession

    window = make_window(news)
    monkeypatch.setattr(Folder, "has_index", property(lambda _self: False))
    monkeypatch.setattr(FolderSession, "indexing", property(lambda _self: (3, 10)))
    window.search_edit.setText("一")
    window.search.on_search_return()
    text = window.status_label.text()
    assert "titles only for now" in text and "3/10" in text
    assert "match" not in text.replace("matches in the text", "")


def test_the_last_word_typed_matches_as_a_prefix(
    make_window: WindowFactory, news: Path, qtbot: QtBot
) -> None:
    """Issue 14: "rub" found 1 post while "rub*" found thousands; typing is a prefix search."""
    from reader.gui.search import with_prefix_last_word

    assert with_prefix_last_word("rub") == "rub*"
    assert with_prefix_last_word("ruby ") == "ruby "
    assert with_prefix_last_word('"release no') == '"release no'
    assert with_prefix_last_word("-rub") == "-rub"
    assert with_prefix_last_word("tag:py") == "tag:py"
    assert with_prefix_last_word("监管") == "监管"
    window = make_window(news)
    assert _search(window, qtbot, "Jek") == ["三"]
    assert _search(window, qtbot, "Engl") == ["四"]


def test_a_reading_begun_before_the_index_caught_up_is_stopped_and_read_again(
    make_window: WindowFactory, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from reader.core import PendingSearch

    files = {
        f"_posts/2020-01-{1 + i % 28:02d}-p{i}.md": f"---\ntitle: t{i}\n---\n监管 {i}\n"
        for i in range(260)
    }
    window = make_window(write_files(tmp_path / "some", files))
    _wait_for_the_index(window, qtbot)
    release, started = threading.Event(), []
    finish = PendingSearch.finish_rows

    def held(self: PendingSearch, library: object) -> object:
        started.append(self)
        release.wait(10)
        return finish(self, library)  # type: ignore[arg-type]

    monkeypatch.setattr(PendingSearch, "finish_rows", held)
    window.search_edit.setText("监管")
    window.search.on_search_return()
    qtbot.waitUntil(lambda: bool(started), timeout=5_000)
    assert window.search.counting
    window.search.on_index_finished()  # the index caught up meanwhile
    assert started[0]._cancelled  # the first reading is stopped...
    release.set()
    # ...and the list asked again: a new reading gives every match.
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 260, timeout=20_000)
    assert len(started) >= 2 and not window.search.counting


def test_every_match_is_read_here_when_another_connection_cannot_read_the_index(
    make_window: WindowFactory, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading thread's own connection failing (the index busy, or its files not
    openable read-only) must not leave the list at its first page without a word."""
    from reader.core import PendingSearch

    files = {
        f"_posts/2020-01-{1 + i % 28:02d}-p{i}.md": f"---\ntitle: t{i}\n---\n监管 {i}\n"
        for i in range(260)
    }
    window = make_window(write_files(tmp_path / "some", files))
    _wait_for_the_index(window, qtbot)
    monkeypatch.setattr(PendingSearch, "finish_rows", lambda _self, _library: None)
    window.search_edit.setText("监管")
    window.search.on_search_return()
    assert window.list_model.rowCount() == FIRST_PAGE
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 260, timeout=20_000)
    assert not window.search.counting and "260 matches" in window.status_label.text()

"""A news archive in the window: categories by their sources' names (tree, list, chips,
filter, pinyin order) and re-published copies folded (×N, "Also published by", Hide Duplicates
counts included, remembered). On a small folder shaped like the users' archive
(tests/benchmarks/generate_archive.py: pinyin slugs, source-name tags, re-published copies)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core import pinyin_sort_key
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import COUNT_ROLE, NodeKind
from reader.gui.models.post_list import Column
from reader.gui.settings import AppSettings
from tests.benchmarks.generate_archive import Truth, generate_archive

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Path, Truth]:
    root = tmp_path / "archive"
    return root, generate_archive(root, posts=80, categories=10, seed=3)


def _ready(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: not window.sources.running and bool(window.sources.groups), timeout=60_000
    )


def _count(window: MainWindow, kind: NodeKind) -> int:
    return int(window.nav.model.find(kind).data(COUNT_ROLE))


def _labels(window: MainWindow, kind: NodeKind) -> list[tuple[str, str, int]]:
    model = window.nav.model
    parent = model.find(kind)
    out = []
    for row in range(model.rowCount(parent)):
        node = model.node(model.index(row, 0, parent))
        assert node is not None
        out.append((node.label, str(node.value), int(node.count or 0)))
    return out


def test_the_tree_list_and_chips_show_the_sources_names(
    qtbot: QtBot, make_window: WindowFactory, archive: tuple[Path, Truth]
) -> None:
    root, truth = archive
    window = make_window(root)
    _ready(qtbot, window)
    cats = {slug: label for label, slug, _n in _labels(window, NodeKind.CATEGORIES)}
    assert cats == truth.names  # every established name, by slug
    index = window.nav.model.find(NodeKind.CATEGORY, "emnews")
    assert "emnews" in index.data(0x03)  # ToolTipRole: the slug stays in the tooltip

    # The list's Category column and the article's chips.
    window.nav.select_node(NodeKind.CATEGORY, "emnews")
    model = window.list_model
    assert model.rowCount() > 0
    assert {model.index(r, Column.CATEGORY).data() for r in range(model.rowCount())} == {
        "东财滚动新闻"
    }
    window.open_post(model.post_at(0).path)  # type: ignore[union-attr]
    # (A chip never breaks: word joiners hold its characters together.)
    assert "东财滚动新闻" in window.pane.toPlainText().replace("\u2060", "")

    # A–Z sorts the names by pinyin; the filter finds pinyin initials, names and slugs.
    window.nav.sort_button.setChecked(True)
    labels = [label for label, _slug, _n in _labels(window, NodeKind.CATEGORIES)]
    assert labels == sorted(labels, key=pinyin_sort_key)
    assert labels.index("东财滚动新闻") < labels.index("山西日报 / 陕西日报")
    for typed, slug in (("dcgd", "emnews"), ("财经", "CCTVcaijing"), ("36ke", "36ke")):
        window.nav.filter_edit.setText(typed)
        window.nav.on_filter_changed()
        assert slug in {s for _label, s, _n in _labels(window, NodeKind.CATEGORIES)}, typed
    window.nav.filter_edit.setText("zzzzqq")
    window.nav.on_filter_changed()
    assert _labels(window, NodeKind.CATEGORIES) == []


def test_copies_fold_into_one_story(
    qtbot: QtBot,
    make_window: WindowFactory,
    archive: tuple[Path, Truth],
    settings_path: Path,
) -> None:
    root, truth = archive
    window = make_window(root)
    _ready(qtbot, window)
    found = {(g[0], frozenset(g)) for g in window.sources.groups}
    assert found == {(g[0], frozenset(g)) for g in truth.groups}  # earliest copy first
    story = max(window.sources.groups, key=len)
    main, copies = story[0], story[1:]
    model = window.list_model

    # The main row carries ×N; a copy does not.
    title = model.index(model.row_of(main), Column.TITLE).data()  # type: ignore[arg-type]
    assert title.endswith(f"×{len(story)}")
    assert "×" not in model.index(model.row_of(copies[0]), Column.TITLE).data()  # type: ignore[arg-type]

    # The article names the other sources and links to each copy.
    window.open_post(main)
    assert "Also published by:" in window.pane.toPlainText()
    html = window.pane.toHtml()
    assert all(f"/{c}" in html for c in copies)
    window.article.on_post_link("/" + copies[0])
    assert window.article.current_path == copies[0]

    # Hide Duplicates: the copies leave the list and every count, and it is remembered.
    total = len(window.library.posts)  # type: ignore[union-attr]
    hidden = sum(len(g) - 1 for g in truth.groups)
    window.open_post(main)
    window.act_hide_duplicates.trigger()
    assert _count(window, NodeKind.ALL) == total - hidden
    assert _count(window, NodeKind.UNREAD) == total - hidden  # nothing read yet here
    window.nav.select_node(NodeKind.ALL)
    paths = set(model.paths())
    assert main in paths and not paths & set(copies)
    counted = sum(n for _l, _s, n in _labels(window, NodeKind.CATEGORIES))
    shown = [p for p in window.library.posts if p.path not in window.sources.excluded]  # type: ignore[union-attr]
    assert counted == sum(len(p.categories) for p in shown) < total
    assert AppSettings(settings_path).bool_value("view/hide_duplicates", False) is True
    window.act_hide_duplicates.trigger()
    assert _count(window, NodeKind.ALL) == total
    assert set(copies) <= set(model.paths())


def test_copies_are_found_after_the_index_is_built(
    qtbot: QtBot,
    make_window: WindowFactory,
    archive: tuple[Path, Truth],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Search comes first: the pass over every post for copies waits for the index build, so the
    # two never share the machine's cores in the first minute after opening a folder.
    from reader.core import Folder

    windows: list[MainWindow] = []
    index_states: list[tuple[int, int]] = []  # (indexed, to index) when copies were sought
    find = Folder.duplicates

    def recorded(self: Folder, *args: object, **kwargs: object) -> object:
        indexer = windows[0].session.indexer
        index_states.append((indexer.done, indexer.total))
        return find(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Folder, "duplicates", recorded)
    root, _truth = archive
    windows.append(make_window(root))
    _ready(qtbot, windows[0])
    assert windows[0].sources.groups  # the copies were found
    done, total = index_states[0]
    assert total == len(windows[0].library.posts) and done == total  # ... after the build


def test_names_and_copies_found_again_unchanged_relabel_nothing(
    qtbot: QtBot,
    make_window: WindowFactory,
    archive: tuple[Path, Truth],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # After a live refresh both are found again, most often the same: at a million posts
    # each relabelling of the tree and the list took ~100 ms of the window's thread.
    root, _truth = archive
    window = make_window(root)
    _ready(qtbot, window)
    sources = window.sources
    refreshed: list[int] = []
    monkeypatch.setattr(window.listing, "refresh_views", lambda: refreshed.append(1))
    sources.on_names_ready(dict(sources.names), 0.1)
    sources.on_groups_ready([list(g) for g in sources.groups], 0.1)
    assert refreshed == []
    fewer = [list(g) for g in sources.groups[1:]]
    sources.on_groups_ready(fewer, 0.1)  # one story's copies no longer found
    assert refreshed == [1] and sources.groups == fewer
    names = dict(sources.names)
    names.pop(next(iter(names)))
    sources.on_names_ready(names, 0.1)
    assert refreshed == [1, 1]

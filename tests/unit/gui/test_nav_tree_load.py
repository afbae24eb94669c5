"""The navigation tree while a folder loads batch by batch: rows never change places relative to
each other until the load ends (then the order by count settles), the view keeps its scroll
position and selection (rows are updated in place, not reset), and the filter still finds a
category by its source's name, its slug and the pinyin initials of its name."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reader.core import Added, CategoryName, Library, Post
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import (
    COUNT_ROLE,
    KEY_ROLE,
    NavTreeModel,
    Node,
    NodeKind,
    TreeOptions,
)
from reader.gui.widgets.nav_panel import NavPanel

WindowFactory = Callable[..., MainWindow]

_serial = iter(range(1_000_000))


def _posts(category: str, n: int, tag: str = "t", month: int = 1) -> list[Post]:
    out = []
    for _ in range(n):
        i = next(_serial)
        out.append(
            Post(
                f"_posts/2021-{month:02d}-01-p{i}.md",
                f"Post {i}",
                datetime(2021, month, 1, tzinfo=UTC),
                (category,),
                (tag,),
                slug=f"p{i}",
            )
        )
    return out


def _children(model: NavTreeModel, kind: NodeKind) -> list[str]:
    parent = model.find(kind)
    return [
        str(model.index(r, 0, parent).data(KEY_ROLE)).partition(":")[2].strip("'")
        for r in range(model.rowCount(parent))
    ]


def _in_same_order(before: list[str], after: list[str]) -> bool:
    """Whether the rows present in both lists are in the same order in both."""
    kept = set(after)
    common = [key for key in before if key in kept]
    where = {key: i for i, key in enumerate(after)}
    return all(where[a] < where[b] for a, b in itertools.pairwise(common))


# Batches of (category, posts): counts grow so that the order by count changes every batch.
BATCHES = [
    [("gamma", 3), ("beta", 2), ("alpha", 1)],
    [("alpha", 4), ("delta", 2)],
    [("beta", 5), ("epsilon", 1), ("alpha", 1)],
    [("delta", 9), ("zeta", 3)],
]


def _load_in_steps(qtbot: QtBot, by_name: bool) -> tuple[NavPanel, list[list[str]]]:
    panel = NavPanel()
    qtbot.addWidget(panel)
    panel.sort_button.setChecked(by_name)
    panel.resize(300, 600)
    panel.show()
    library = Library(Path("/nowhere"))
    panel.set_library(library, loading=True)  # the folder was just opened: still empty
    model = panel.model
    seen: list[list[str]] = []

    def sample(*_args: object) -> None:
        seen.append(_children(model, NodeKind.CATEGORIES))

    for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
        signal.connect(sample)
    for batch in BATCHES:
        library.apply(Added([p for name, n in batch for p in _posts(name, n)], []))
        panel.set_library(library, loading=True)
        seen.append(_children(model, NodeKind.CATEGORIES))
    for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
        signal.disconnect(sample)
    return panel, seen


def test_rows_sorted_by_count_keep_their_places_until_the_load_ends(qtbot: QtBot) -> None:
    panel, seen = _load_in_steps(qtbot, by_name=False)
    for before, after in itertools.pairwise(seen):
        assert _in_same_order(before, after), (before, after)
    # The first batch's order (by count), the rest after it as they came.
    assert seen[-1] == ["gamma", "beta", "alpha", "delta", "epsilon", "zeta"]
    library = panel._library
    panel.set_library(library, loading=False)  # the load ended: the order by count settles
    # delta 11, beta 7, alpha 6, gamma 3, zeta 3 (then by name), epsilon 1
    assert _children(panel.model, NodeKind.CATEGORIES) == [
        "delta",
        "beta",
        "alpha",
        "gamma",
        "zeta",
        "epsilon",
    ]


def test_rows_sorted_by_name_go_straight_to_their_places(qtbot: QtBot) -> None:
    panel, seen = _load_in_steps(qtbot, by_name=True)
    for before, after in itertools.pairwise(seen):
        assert _in_same_order(before, after), (before, after)
    expected = ["alpha", "beta", "delta", "epsilon", "gamma", "zeta"]
    assert seen[-1] == expected
    panel.set_library(panel._library, loading=False)
    assert _children(panel.model, NodeKind.CATEGORIES) == expected


def test_a_load_batch_keeps_the_selection_and_the_scroll_position(qtbot: QtBot) -> None:
    panel = NavPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 300)
    panel.show()
    library = Library(Path("/nowhere"))
    library.apply(Added([p for i in range(80) for p in _posts(f"c{i:02d}", 1 + i % 7)], []))
    panel.set_library(library, loading=True)
    assert panel.select_node(NodeKind.CATEGORY, "c40")
    bar = panel.tree.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    resets: list[bool] = []
    panel.model.modelReset.connect(lambda: resets.append(True))
    library.apply(Added(_posts("c40", 9) + _posts("new", 2), []))
    panel.set_library(library, loading=True)
    assert not resets  # updated in place
    assert bar.value() == bar.maximum() // 2  # a reset would scroll to the top
    assert panel.current_selection().categories == ("c40",)
    assert "new" in _children(panel.model, NodeKind.CATEGORIES)
    assert panel.tree.isExpanded(panel.model.find(NodeKind.CATEGORIES))


def test_updates_in_place_read_like_a_tree_built_afresh(qtmodeltester: ModelTester) -> None:
    """Random batches, filters and sort switches: the model (watched by the model tester
    for consistent row signals) always reads like a new model built from the same state."""
    rng = random.Random(7)
    model = NavTreeModel()
    library = Library(Path("/nowhere"))
    model.rebuild(library, TreeOptions())
    qtmodeltester.check(model)
    names = [f"n{i}" for i in range(40)]
    for step in range(40):
        batch = [
            p
            for _ in range(rng.randint(1, 6))
            for p in _posts(
                rng.choice(names), rng.randint(1, 3), rng.choice(names[:8]), 1 + step % 12
            )
        ]
        library.apply(Added(batch, []))
        options = TreeOptions(
            filter_text=rng.choice(["", "", "n1", "n2", "3"]), sort_by_name=rng.random() < 0.3
        )
        model.set_loading(False)
        model.set_saved_searches([])
        model.rebuild(library, options)
        fresh = NavTreeModel()
        fresh.rebuild(library, options)
        assert _dump(model) == _dump(fresh)
        # The same library: other saved searches and counts, or another filter or sort.
        searches = [(f"s{k}", k, rng.randint(0, k)) for k in range(rng.randint(0, 3))]
        options = TreeOptions(
            filter_text=rng.choice([options.filter_text, "n1"]),
            sort_by_name=rng.choice([options.sort_by_name, not options.sort_by_name]),
            bookmark_count=rng.randint(0, 9),
            unread_count=rng.choice([None, 3]),
        )
        for tree in (model, fresh := NavTreeModel()):
            tree.set_saved_searches(searches)
            tree.rebuild(library, options)
        assert _dump(model) == _dump(fresh)


def _builds(model: NavTreeModel) -> list[Node]:
    """The trees `model` builds from now on (its `_build` watched), the last one last."""
    built: list[Node] = []
    build = model._build

    def spy(*args: object, **kwargs: object) -> Node:
        built.append(build(*args, **kwargs))  # type: ignore[arg-type]
        return built[-1]

    model._build = spy  # type: ignore[method-assign]
    return built


def test_a_count_outside_the_categories_leaves_their_rows_alone(
    qtmodeltester: ModelTester,
) -> None:
    """A saved search's or the bookmarks' count changes without a change to the categories
    and tags: their rows are neither rebuilt nor compared (the rebuilt tree carries them as
    `kept`), and the model still reads like one built afresh."""
    model = NavTreeModel()
    library = Library(Path("/nowhere"))
    library.apply(Added(_posts("alpha", 3) + _posts("beta", 2, tag="u"), []))
    model.rebuild(library, TreeOptions(bookmark_count=1))
    qtmodeltester.check(model)
    built = _builds(model)
    model.set_saved_searches([("mine", 4, 1)])
    model.rebuild(library, TreeOptions(bookmark_count=2))
    kinds = {node.kind: node for node in built[-1].children}
    assert kinds[NodeKind.CATEGORIES].kept and not kinds[NodeKind.CATEGORIES].children
    assert kinds[NodeKind.TAGS].kept
    fresh = NavTreeModel()
    fresh.set_saved_searches([("mine", 4, 1)])
    fresh.rebuild(library, TreeOptions(bookmark_count=2))
    assert _dump(model) == _dump(fresh)
    assert _children(model, NodeKind.CATEGORIES) == ["alpha", "beta"]
    # Another filter is another set of rows: built again.
    model.rebuild(library, TreeOptions(filter_text="al", bookmark_count=2))
    assert not {n.kind: n for n in built[-1].children}[NodeKind.CATEGORIES].kept
    assert _children(model, NodeKind.CATEGORIES) == ["alpha"]


def test_names_arriving_relabel_the_categories_and_leave_the_tags_alone(
    qtmodeltester: ModelTester,
) -> None:
    """The sources' names change the categories' labels only. The posts left out of the counts
    come again as an equal set, often another object (`frozenset()` is no singleton): the
    counts made for them still hold, so the tags are carried as `kept` (at 2,000 categories
    and 2,000 tags, rebuilding them was half of the names' arrival)."""
    model = NavTreeModel()
    library = Library(Path("/nowhere"))
    library.apply(Added(_posts("renmin", 3) + _posts("xinhua", 2, tag="u"), []))
    model.set_sources({}, frozenset())
    model.rebuild(library)
    counted = model._counts
    built = _builds(model)
    names = {"renmin": CategoryName("人民日报", "test")}
    model.set_sources(names, frozenset(set()))
    model.rebuild(library)
    kinds = {node.kind: node for node in built[-1].children}
    assert kinds[NodeKind.TAGS].kept
    assert not kinds[NodeKind.CATEGORIES].kept
    assert model._counts is counted
    labels = [model.index(r, 0, model.find(NodeKind.CATEGORIES)).data() for r in range(2)]
    assert labels == ["人民日报", "xinhua"]
    qtmodeltester.check(model)
    # Other posts left out: other counts, and the tags are made again.
    model.set_sources(names, frozenset({library.posts[0].path}))
    model.rebuild(library)
    assert model._counts is not counted
    assert not {n.kind: n for n in built[-1].children}[NodeKind.TAGS].kept
    fresh = NavTreeModel()
    fresh.set_sources(names, frozenset({library.posts[0].path}))
    fresh.rebuild(library)
    assert _dump(model) == _dump(fresh)


def _dump(model: NavTreeModel) -> list[tuple[int, str, object]]:
    out: list[tuple[int, str, object]] = []

    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            out.append((depth, str(index.data()), index.data(COUNT_ROLE)))
            walk(index, depth + 1)

    walk(QModelIndex(), 0)
    return out


def test_the_filter_finds_a_source_by_name_slug_and_pinyin_initials(qtbot: QtBot) -> None:
    panel = NavPanel()
    qtbot.addWidget(panel)
    library = Library(Path("/nowhere"))
    library.apply(Added(_posts("emnews", 2) + _posts("zgscjgxww", 1) + _posts("xinhua", 3), []))
    panel.model.set_sources(
        {
            "emnews": CategoryName("东财滚动新闻", "tags"),
            "zgscjgxww": CategoryName("中国市场监管新闻网", "pinyin"),
        },
        frozenset(),
    )
    panel.set_library(library)
    for typed, expected in (
        ("东财", {"emnews"}),  # the source's name
        ("EMNE", {"emnews"}),  # the slug, any case
        ("dcgd", {"emnews"}),  # pinyin initials of the name
        ("zgscjg", {"zgscjgxww"}),  # initials, 市 read shi (the slug spells it too)
        ("gdxw", {"emnews"}),  # initials inside the name (滚动新闻), not in the slug
        ("xin", {"xinhua"}),  # initials are not syllables: 新闻网's are xww
        ("新闻", {"emnews", "zgscjgxww"}),
        ("qqqq", set()),
    ):
        panel.filter_edit.setText(typed)
        panel.on_filter_changed()
        assert set(_children(panel.model, NodeKind.CATEGORIES)) == expected, typed
    panel.filter_edit.clear()
    panel.on_filter_changed()
    labels = [
        panel.model.index(r, 0, panel.model.find(NodeKind.CATEGORIES)).data() for r in range(3)
    ]
    assert set(labels) == {"东财滚动新闻", "中国市场监管新闻网", "xinhua"}


def test_the_window_keeps_the_order_while_its_folder_loads(
    qtbot: QtBot, make_window: WindowFactory, site: Path
) -> None:
    """Through the window: the session says a load is under way, batches are applied to the
    folder and the views refreshed as the loader does; the order settles when it ends."""
    window = make_window(site)
    folder = window.session.folder
    assert folder is not None
    before = _children(window.nav.model, NodeKind.CATEGORIES)  # by count: life, tech 2; misc 1
    window.session.loading = True
    folder.apply(Added(_posts("misc", 5), []))
    window.listing.refresh_views()
    during = _children(window.nav.model, NodeKind.CATEGORIES)
    assert during == before
    window.session.loading = False
    window.listing.refresh_views()
    assert _children(window.nav.model, NodeKind.CATEGORIES)[0] == "misc"


def test_clearing_the_filter_opens_again_what_was_open_before_typing(qtbot: QtBot) -> None:
    """Typing opens the categories and the tags (matches show in both); clearing the field
    closes again what the user had closed, except where a row chosen meanwhile lies."""
    panel = NavPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 600)
    panel.show()
    library = Library(Path("/nowhere"))
    library.apply(Added(_posts("alpha", 2, tag="xray") + _posts("beta", 1, tag="yank"), []))
    panel.set_library(library)
    tree, model = panel.tree, panel.model

    def opened(kind: NodeKind) -> bool:
        return tree.isExpanded(model.find(kind))

    assert opened(NodeKind.CATEGORIES) and not opened(NodeKind.TAGS)
    for text in ("a", "al", ""):
        panel.filter_edit.setText(text)
        panel.on_filter_changed()
        assert opened(NodeKind.TAGS) == bool(text), text
        assert opened(NodeKind.CATEGORIES)
    # Closed by the user before typing: stays closed after, unless a row in it was chosen.
    tree.collapse(model.find(NodeKind.CATEGORIES))
    panel.filter_edit.setText("y")
    panel.on_filter_changed()
    assert opened(NodeKind.CATEGORIES) and opened(NodeKind.TAGS)
    assert panel.select_node(NodeKind.TAG, "yank")
    panel.filter_edit.setText("")
    panel.on_filter_changed()
    assert opened(NodeKind.TAGS) and not opened(NodeKind.CATEGORIES)
    selected = tree.selectionModel().selectedIndexes()
    assert [i.data(KEY_ROLE) for i in selected] == ["tag:'yank'"]


def test_the_filter_is_prepared_once_a_load_ends(qtbot: QtBot) -> None:
    """When the tree shows a loaded folder, a thread works out what the filter matches (the
    sources' pinyin initials): the first keystroke finds it done. Not while loading."""
    from reader.core.sources import pinyin

    panel = NavPanel()
    qtbot.addWidget(panel)
    library = Library(Path("/nowhere"))
    library.apply(Added(_posts("zgscjgxww", 1) + _posts("dcgdxw", 2), []))
    panel.model.set_sources(
        {
            "zgscjgxww": CategoryName("中国市场监管新闻网", "pinyin"),
            "dcgdxw": CategoryName("东财滚动新闻", "pinyin"),
        },
        frozenset(),
    )
    pinyin._initials_of.cache_clear()
    panel.set_library(library, loading=True)
    assert panel._preparing is None
    panel.set_library(library)
    assert panel._preparing is not None
    panel._preparing.join(10)
    misses = pinyin._initials_of.cache_info().misses
    assert misses >= 2
    panel.filter_edit.setText("zgsc")
    panel.on_filter_changed()
    assert set(_children(panel.model, NodeKind.CATEGORIES)) == {"zgscjgxww"}
    assert pinyin._initials_of.cache_info().misses == misses


def test_background_work_gives_way_while_the_tree_is_rebuilt(qtbot: QtBot) -> None:
    """The view calls back into Python for every row a rebuild lays out or changes; a busy
    background thread made each call wait for the interpreter lock. Background loops wait
    (`give_way`) while the tree is rebuilt, and not after it."""
    from reader.core.foreground import is_acting

    panel = NavPanel()
    qtbot.addWidget(panel)
    library = Library(Path("/nowhere"))
    library.apply(Added(_posts("alpha", 2), []))
    seen: list[bool] = []
    rebuild = panel.model.rebuild

    def spy(*args: object, **kwargs: object) -> bool:
        seen.append(is_acting())
        return rebuild(*args, **kwargs)  # type: ignore[arg-type]

    panel.model.rebuild = spy  # type: ignore[method-assign]
    panel.set_library(library)
    panel.filter_edit.setText("al")
    panel.on_filter_changed()
    assert seen == [True, True]
    assert not is_acting()


def test_the_filters_preparation_stops_when_the_panel_goes(qtbot: QtBot) -> None:
    """A closing window destroys the panel: its preparing thread is told to stop."""
    from PySide6.QtCore import QCoreApplication, QEvent

    panel = NavPanel()
    stop = panel._stop_preparing
    assert not stop.is_set()
    panel.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(stop.is_set, timeout=5_000)

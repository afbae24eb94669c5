"""Both item models pass pytest-qt's model tester and show what the core says."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from reader.core.library import Library, Query
from reader.core.post import Post, Problem
from reader.gui.models.nav_tree import COUNT_ROLE, NavTreeModel, NodeKind, TreeOptions
from reader.gui.models.post_list import Column, PostListModel


def _library() -> Library:
    def post(i: int, cats: tuple[str, ...], tags: tuple[str, ...], draft: bool = False) -> Post:
        return Post(
            f"_posts/2021-0{i}-01-p{i}.md",
            f"Post {i}",
            datetime(2021, i, 1, tzinfo=UTC),
            cats,
            tags,
            slug=f"p{i}",
            draft=draft,
        )

    return Library(
        Path("/nowhere"),
        posts=[
            post(1, ("a",), ("x",)),
            post(2, ("a", "b"), ("y",)),
            post(3, ("b",), ("x", "y"), draft=True),
        ],
        problems=[Problem("_posts/bad.md", "invalid YAML front matter")],
    )


def test_post_list_model_passes_model_tester(qtmodeltester: ModelTester) -> None:
    lib = _library()
    model = PostListModel()
    model.set_rows(lib, lib.query(Query()))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.index(0, Column.TITLE).data() == "Post 3  [draft]"
    assert model.index(2, Column.CATEGORY).data() == "a"
    model.set_rows(lib, lib.query(Query(categories=("b",))))
    qtmodeltester.check(model)
    assert [model.post_at(r).title for r in range(model.rowCount())] == ["Post 3", "Post 2"]  # type: ignore[union-attr]


def test_post_list_model_marks_bookmarks_and_unread(qtmodeltester: ModelTester) -> None:
    lib = _library()
    model = PostListModel()
    model.set_rows(lib, lib.query(Query()))
    model.set_state_lookups(lambda p: p.endswith("p2.md"), lambda p: p.endswith("p1.md"))
    qtmodeltester.check(model)
    stars = [model.index(r, Column.STAR).data() for r in range(3)]
    assert stars == ["", "★", ""]
    assert model.index(2, Column.TITLE).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, Column.TITLE).data(Qt.ItemDataRole.FontRole) is None


def test_nav_tree_model_passes_model_tester(qtmodeltester: ModelTester) -> None:
    model = NavTreeModel()
    model.rebuild(_library(), TreeOptions(bookmark_count=1, unread_count=2))
    qtmodeltester.check(model)
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert labels == [
        "All posts",
        "Bookmarks",
        "Unread",
        "Categories",
        "Tags",
        "Archive",
        "Drafts",
        "Problems",
    ]
    cats = model.find(NodeKind.CATEGORIES)
    assert [
        (model.index(r, 0, cats).data(), model.index(r, 0, cats).data(COUNT_ROLE)) for r in range(2)
    ] == [
        ("a", 2),
        ("b", 2),
    ]
    problems = model.find(NodeKind.PROBLEMS)
    assert "invalid YAML" in model.index(0, 0, problems).data(Qt.ItemDataRole.ToolTipRole)


def test_nav_tree_filter_and_sort(qtmodeltester: ModelTester) -> None:
    model = NavTreeModel()
    model.rebuild(_library(), TreeOptions(filter_text="B"))
    qtmodeltester.check(model)
    cats = model.find(NodeKind.CATEGORIES)
    assert [model.index(r, 0, cats).data() for r in range(model.rowCount(cats))] == ["b"]
    tags = model.find(NodeKind.TAGS)
    assert model.rowCount(tags) == 0
    model.rebuild(_library(), TreeOptions(sort_by_name=True))
    tags = model.find(NodeKind.TAGS)
    assert [model.index(r, 0, tags).data() for r in range(2)] == ["x", "y"]
    assert not model.index(99, 0, QModelIndex()).isValid()


def test_every_node_is_selectable_and_says_whether_it_has_children() -> None:
    """Qt's own flags (enabled, selectable, never editable) for every node, and `hasChildren`
    true exactly for the nodes with rows under them: the tree view asks it for every row it
    lays out, and draws an expand arrow from it."""
    model = NavTreeModel()
    model.rebuild(_library(), TreeOptions(bookmark_count=1, unread_count=2))
    seen = 0
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        assert model.hasChildren(parent) == (model.rowCount(parent) > 0)
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            assert model.flags(index) == Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            stack.append(index)
            seen += 1
    assert seen > 12  # headers, categories, tags, years, months, the problem
    assert not model.hasChildren(model.index(0, 0, model.find(NodeKind.CATEGORIES)))
    assert model.hasChildren(model.find(NodeKind.ARCHIVE))


def test_a_list_row_is_selectable_and_never_editable() -> None:
    model = PostListModel()
    library = _library()
    model.set_rows(library, library.query(Query()))
    for column in Column:
        flags = model.flags(model.index(0, column))
        assert flags & Qt.ItemFlag.ItemIsSelectable and flags & Qt.ItemFlag.ItemIsEnabled
        assert not flags & Qt.ItemFlag.ItemIsEditable

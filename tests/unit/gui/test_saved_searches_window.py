"""Saved searches in the tree: saving the view, counts kept live, surviving a restart and a
bookmarks export/import, rename, reorder, delete (the store itself is tested in
tests/unit/core/storage/test_saved_searches.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core import SavedSearch
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import COUNT_ROLE, NodeKind

WindowFactory = Callable[..., MainWindow]


def _listed(window: MainWindow) -> set[str]:
    model = window.list_model
    return {model.post_at(r).path for r in range(model.rowCount())}  # type: ignore[union-attr]


def _saved_nodes(window: MainWindow) -> list[tuple[str, object]]:
    header = window.nav.model.find(NodeKind.SAVED_SEARCHES)
    model = window.nav.model
    return [
        (str(model.index(r, 0, header).data()), model.index(r, 0, header).data(COUNT_ROLE))
        for r in range(model.rowCount(header))
    ]


def _save_as(window: MainWindow, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(
        "reader.gui.saved_searches.QInputDialog.getText", lambda *a, **k: (name, True)
    )
    window.act_save_search.trigger()


def _indexed(window: MainWindow, qtbot: QtBot) -> None:
    """Wait for the full-text index (two bodies say "body")."""

    def ready() -> bool:
        folder = window.session.folder
        return (
            folder is not None
            and folder.has_index
            and not window.session.indexer.running
            and folder.search("body").total == 2
        )

    qtbot.waitUntil(ready, timeout=30_000)


def test_save_the_view_and_its_counts_follow_the_read_state(
    make_window: WindowFactory, site: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    window = make_window(site)
    window.marks.set_read_after(600)  # nothing is read by merely being open
    _indexed(window, qtbot)
    window.nav.select_node(NodeKind.CATEGORY, "tech")
    window.search_edit.setText("alpha")
    window.search.on_search_return()
    assert _listed(window) == {"_posts/2021-01-01-alpha.md"}
    _save_as(window, monkeypatch, "Tech alpha")
    saved = window.saved_searches.find("Tech alpha")
    assert saved == SavedSearch("Tech alpha", "alpha", categories=("tech",))
    assert _saved_nodes(window) == [("Tech alpha", "1/1")]
    # Selecting it lists what it finds (the search field emptied: the saved text does it).
    window.search_edit.clear()
    window.search.on_search_return()
    window.nav.select_node(NodeKind.SAVED_SEARCH, "Tech alpha")
    assert _listed(window) == {"_posts/2021-01-01-alpha.md"}
    # Reading the post updates the unread count.
    folder = window.session.folder
    assert folder is not None
    post = folder.post("_posts/2021-01-01-alpha.md")
    assert post is not None
    window.marks.set_read([post])
    qtbot.waitUntil(lambda: _saved_nodes(window) == [("Tech alpha", "1")])
    assert folder.saved_counts(saved) == (1, 0)


def test_saved_searches_survive_a_restart_and_an_export_import(
    make_window: WindowFactory, site: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    assert window.saved_searches.save(SavedSearch("Life", categories=("life",)))
    assert window.saved_searches.save(SavedSearch("Python", tags=("python",)))
    export = tmp_path / "marks.json"
    assert window.exporter.write_bookmarks_export(export, "json")
    window.close()

    again = make_window(site)
    qtbot.waitUntil(lambda: [n for n, _ in _saved_nodes(again)] == ["Life", "Python"])
    assert dict(_saved_nodes(again))["Life"] in ("2", "2/2", "1/2")
    # Delete both, then import the export: they come back.
    assert again.saved_searches.delete("Life") and again.saved_searches.delete("Python")
    assert again.nav.model.find(NodeKind.SAVED_SEARCHES).isValid() is False
    again.exporter.read_bookmarks_import(export)
    qtbot.waitUntil(lambda: [n for n, _ in _saved_nodes(again)] == ["Life", "Python"])


def test_rename_reorder_edit_and_delete(
    make_window: WindowFactory, site: Path, qtbot: QtBot
) -> None:
    window = make_window(site)
    saved = window.saved_searches
    saved.save(SavedSearch("A", categories=("tech",)))
    saved.save(SavedSearch("B", categories=("life",)))
    saved.move("B", 0)
    assert [n for n, _ in _saved_nodes(window)] == ["B", "A"]
    menu = saved.menu("B")
    enabled = {a.text(): a.isEnabled() for a in menu.actions()}
    assert enabled["Move Up"] is False and enabled["Move Down"] is True
    assert saved.rename("A", "Tech")
    assert [n for n, _ in _saved_nodes(window)] == ["B", "Tech"]
    assert window.listing.selection.saved == "Tech"  # the renamed one is selected
    # Edit: the view on screen (the Misc category) replaces what "Tech" holds.
    window.nav.select_node(NodeKind.CATEGORY, "misc")
    assert saved.edit("Tech")
    assert saved.find("Tech") == SavedSearch("Tech", categories=("misc",))
    assert _listed(window) == {"_posts/2022-04-01-delta.md"}
    assert saved.delete("B")
    assert [n for n, _ in _saved_nodes(window)] == ["Tech"]
    # Deleting the selected one lists everything again.
    assert window.listing.selection.saved == "Tech"
    assert saved.delete("Tech")
    assert window.listing.selection.saved is None
    assert window.list_model.rowCount() == 4

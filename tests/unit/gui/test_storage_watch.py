"""When storage fails, in the window: the user's data on a read-only or full file system (the
stars and read state still shown, the notice bar under the toolbar, an action that could not be
saved not shown as done) and the opened folder renamed away and back while the window is open.
The store itself is tested in tests/unit/core/storage/test_failures.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.core import UserStore, open_folder
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import COUNT_ROLE, NodeKind
from reader.gui.models.post_list import Column
from reader.gui.settings import AppSettings
from tests.fixtures.mounts import Tmpfs

WindowFactory = Callable[..., MainWindow]
ALPHA = "_posts/2021-01-01-alpha.md"
BETA = "_posts/2021-02-01-beta.md"
DELTA = "_posts/2022-04-01-delta.md"


def _window(qtbot: QtBot, settings_path: Path, store: UserStore, site: Path) -> MainWindow:
    window = MainWindow(AppSettings(settings_path), store)
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    with qtbot.waitSignal(window.folder_loaded, timeout=60_000):
        window.open_folder(site)
    return window


def _star(window: MainWindow, path: str) -> str:
    row = window.list_model.row_of(path)
    assert row is not None
    return str(window.list_model.index(row, Column.STAR).data())


def _bold(window: MainWindow, path: str) -> bool:
    row = window.list_model.row_of(path)
    assert row is not None
    font = window.list_model.index(row, Column.TITLE).data(0x06)  # FontRole
    return font is not None and font.bold()


def _save_marks(store_path: Path, site: Path) -> None:
    with UserStore.open(store_path) as store, open_folder(site, store=store) as folder:
        folder.load()
        alpha = folder.post(ALPHA)
        assert alpha is not None
        folder.marks.toggle_bookmark(alpha)
        folder.marks.set_read([alpha])


def test_a_read_only_store_shows_the_marks_and_says_changes_cannot_be_saved(
    qtbot: QtBot, tmpfs: Callable[[str], Tmpfs], site: Path, settings_path: Path
) -> None:
    fs = tmpfs("4m")
    path = fs.path / "data" / "userdata.sqlite3"
    path.parent.mkdir()
    _save_marks(path, site)
    fs.remount("ro")
    store = UserStore.open(path)
    window = _window(qtbot, settings_path, store, site)
    assert _star(window, ALPHA) == "★" and _star(window, BETA) == ""
    assert not _bold(window, ALPHA) and _bold(window, BETA)  # read / unread
    assert int(window.nav.model.find(NodeKind.BOOKMARKS).data(COUNT_ROLE)) == 1
    bar = window.storage_watch.bar
    assert bar.isVisible()
    assert bar.text() == f"Changes cannot be saved: the file system is read-only — {path}"

    # A change that cannot be saved is not shown as done.
    beta = window.library.post_at(BETA)  # type: ignore[union-attr]
    assert beta is not None
    assert window.marks.toggle_bookmark(beta) is None
    window.marks.set_read([beta])
    assert _star(window, BETA) == "" and _bold(window, BETA)
    assert window.marks.bookmarked_paths == {ALPHA}
    window.storage_watch.recheck()
    assert bar.isVisible()  # still read-only
    window.close()
    store.close()


def test_a_full_disk_is_reported_until_space_is_freed(
    qtbot: QtBot, tmpfs: Callable[[str], Tmpfs], site: Path, settings_path: Path
) -> None:
    fs = tmpfs("2m")
    path = fs.path / "data" / "userdata.sqlite3"
    path.parent.mkdir()
    _save_marks(path, site)
    store = UserStore.open(path)
    window = _window(qtbot, settings_path, store, site)
    bar = window.storage_watch.bar
    assert not bar.isVisible()
    with sqlite3.connect(path) as conn:  # an empty WAL: the next change needs new space
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = fs.fill()
    beta = window.library.post_at(BETA)  # type: ignore[union-attr]
    assert beta is not None
    assert window.marks.toggle_bookmark(beta) is None
    window.marks.set_read([beta])
    assert _star(window, BETA) == "" and _bold(window, BETA)  # neither shown as done
    assert _star(window, ALPHA) == "★" and not _bold(window, ALPHA)
    assert bar.isVisible() and bar.text().startswith("Changes cannot be saved: the disk is full")
    window.storage_watch.recheck()
    assert bar.isVisible()
    filler.unlink()
    window.storage_watch.recheck()
    assert not bar.isVisible() and not window.storage_watch.timer.isActive()
    assert window.marks.toggle_bookmark(beta) is True
    assert _star(window, BETA) == "★"
    window.close()
    store.close()


def test_the_folder_renamed_away_and_back_while_open(
    qtbot: QtBot, make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    alpha = window.library.post_at(ALPHA)  # type: ignore[union-attr]
    assert alpha is not None
    window.marks.toggle_bookmark(alpha)
    shown = window.list_model.paths()
    bar = window.storage_watch.bar
    away = site.with_name("site-unplugged")
    site.rename(away)
    with qtbot.waitSignal(window.session.folder_gone, timeout=30_000) as gone:
        window.session.on_poll()
    assert gone.args == [True]
    assert bar.isVisible() and str(site) in bar.text() and "not there any more" in bar.text()
    assert window.list_model.paths() == shown  # what was loaded stays shown
    assert window.marks.bookmarked_paths == {ALPHA}
    # Polling on while it is away changes nothing.
    with qtbot.waitSignal(window.session.loader.refreshed, timeout=30_000):
        window.session.on_poll()
    assert window.session.gone and window.list_model.paths() == shown

    away.rename(site)
    with qtbot.waitSignal(window.session.folder_gone, timeout=30_000) as back:
        window.session.on_poll()
    assert back.args == [False]
    assert not bar.isVisible() and not window.session.gone
    assert window.list_model.paths() == shown
    assert window.marks.bookmarked_paths == {ALPHA} and _star(window, ALPHA) == "★"
    # Live refresh works again: a new post shows up.
    (site / "_posts" / "2023-01-01-new.md").write_text("---\ntitle: New\n---\nNew.\n")
    with qtbot.waitSignal(window.session.folder_changed, timeout=30_000):
        window.session.on_poll()
    assert "_posts/2023-01-01-new.md" in window.list_model.paths()

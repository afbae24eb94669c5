"""The kernel's watch of a folder made from a thread before the window's own (watch_warmup.py),
and the window watching the folders that hold posts once it is done (session.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.gui import session as session_module
from reader.gui.main_window import MainWindow
from reader.gui.watch_warmup import WarmWatches, warm_watches

WindowFactory = Callable[..., MainWindow]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


def _inotify_fds() -> set[int]:
    found = set()
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}") == "anon_inode:inotify":
                found.add(int(name))
        except OSError:
            continue  # the listing's own descriptor, closed meanwhile
    return found


@linux_only
def test_each_directory_is_watched_by_one_inotify_instance_until_closed(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = _inotify_fds()
    warm = warm_watches([str(tmp_path / "a"), str(tmp_path / "missing"), str(tmp_path / "b")])
    new = _inotify_fds() - before
    assert warm.warmed == (str(tmp_path / "a"), str(tmp_path / "b"))  # the missing one left out
    assert len(new) == 1
    # The instance really watches: a file created in a warmed directory is an event on it.
    (tmp_path / "a" / "x.md").write_text("x")
    fd = new.pop()
    assert len(os.read(fd, 4096)) > 0
    warm.close()
    warm.close()  # twice is harmless
    assert fd not in _inotify_fds()


@linux_only
def test_a_cancelled_warm_up_watches_nothing(tmp_path: Path) -> None:
    warm = warm_watches([str(tmp_path)], cancelled=lambda: True)
    assert warm.warmed == ()
    warm.close()


def test_without_inotify_nothing_is_warmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_linux = sys.platform.startswith("linux")
    before = _inotify_fds() if on_linux else set()
    monkeypatch.setattr(sys, "platform", "darwin")  # as watch_warmup reads it
    warm = warm_watches([str(tmp_path)])
    assert warm.warmed == ()
    if on_linux:
        assert _inotify_fds() == before
    warm.close()


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[WarmWatches]:
    made: list[WarmWatches] = []

    def recorded(dirs: list[str], cancelled: Callable[[], bool] = lambda: False) -> WarmWatches:
        warm = warm_watches(dirs, cancelled)
        made.append(warm)
        return warm

    monkeypatch.setattr(session_module, "warm_watches", recorded)
    return made


def test_the_window_watches_the_post_folders_once_warmed_and_closes_the_warm_up(
    make_window: WindowFactory, site: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _recording(monkeypatch)
    window = make_window(site)
    watcher = window.session._watcher
    wanted = sorted([str(site.resolve()), str(site.resolve() / "_posts")])
    qtbot.waitUntil(lambda: sorted(watcher.directories()) == wanted, timeout=15_000)
    assert len(made) == 1
    if sys.platform.startswith("linux"):
        assert sorted(made[0].warmed) == wanted
    qtbot.waitUntil(lambda: made[0]._fd is None, timeout=5_000)  # closed once Qt's is there
    # The watcher is the one that noticed: a new post is reported as a change of its folder.
    with qtbot.waitSignal(watcher.directoryChanged, timeout=15_000):
        (site / "_posts/2023-01-01-new.md").write_text("---\ntitle: New\n---\nnew\n")


def test_a_warm_up_for_watches_no_longer_wanted_adds_none(
    make_window: WindowFactory, site: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(site)
    session = window.session
    qtbot.waitUntil(lambda: bool(session._watcher.directories()), timeout=15_000)
    session._unwatch_folder()
    stale = session._watch_round - 1
    warm = warm_watches([str(site)])
    session.on_watches_warmed(stale, [str(site)], warm)
    assert session._watcher.directories() == []
    assert warm._fd is None  # closed all the same
    # The current round's are added.
    current = warm_watches([str(site)])
    session.on_watches_warmed(session._watch_round, [str(site)], current)
    assert session._watcher.directories() == [str(site)]
    assert current._fd is None

"""Test-wide settings: offscreen Qt, and user data, cache and settings kept in temporary folders
so no test touches the real user's bookmarks or preferences."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Fixtures shared by the storage-failure tests of the core and of the terminal commands.
from tests.fixtures.mounts import mount_allowed, tmpfs  # noqa: F401

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from reader.core import Library

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE_POSTS = REPO / "sample_posts"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("POST_READER_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("POST_READER_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("POST_READER_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("POST_READER_LOG_DIR", str(base / "log"))
    yield
    # A window test's last click must not hold the next test's background work back.
    from reader.core.foreground import release

    release()


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create a folder of posts from {relative path: text or bytes}."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def load_cached(root: Path | str) -> Library:
    """The library of `root` loaded as the program loads it, through the test's cache folder
    (POST_READER_CACHE_DIR): a second call reopens from what the first one cached."""
    from reader.core import open_folder

    with open_folder(root) as folder:
        return folder.load().library


def load_folder(root: Path | str, skip_dirs: frozenset[str] = frozenset()) -> Library:
    """The library of `root` loaded the way the program loads it (`open_folder(...).load()`),
    cold: each call has a cache of its own, so no load in a test reads an earlier one's."""
    from reader.core import open_folder

    with (
        tempfile.TemporaryDirectory(prefix="post-reader-test-cache-") as cache,
        open_folder(root, cache_dir=Path(cache), skip_dirs=skip_dirs) as folder,
    ):
        return folder.load().library


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (the project's shared test material)")
    return path


class FakeClock:
    """The deadlines' clock in a test (`reader.core.render.deadline.use_clock`): it moves only
    when the test says, so "the deadline passed" is a fact of the test, not of the machine."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        from reader.core.render import deadline

        self.now += seconds
        deadline.clock_moved()

    def stall(self, seconds: float) -> None:
        """Work that takes `seconds` on this clock: the clock jumps, then this waits for the
        deadline's interruption (which the watchdog delivers at once); returns after about
        30 real seconds if none comes, so a missing deadline fails the test instead of hanging."""
        self.advance(seconds)
        for _ in range(3000):
            time.sleep(0.01)


@pytest.fixture
def fake_clock() -> Iterator[FakeClock]:
    """Every deadline measured with a FakeClock for the test's duration."""
    from reader.core.render import deadline

    clock = FakeClock()
    previous = deadline.use_clock(clock)
    yield clock
    deadline.use_clock(previous)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.ini"


@pytest.fixture
def make_window(qtbot: QtBot, settings_path: Path) -> Iterator[Callable[..., Any]]:
    """`make_window(folder)`: a MainWindow opened on `folder`, shown, and fully loaded; its
    loader is stopped when the test ends. (Qt is imported here, not by every test module.)"""
    from reader.gui.main_window import MainWindow
    from reader.gui.settings import AppSettings

    windows: list[MainWindow] = []

    def make(folder: Path, resize: bool = True) -> MainWindow:
        window = MainWindow(AppSettings(settings_path))
        qtbot.addWidget(window)
        if resize:
            window.resize(1200, 760)
        window.show()
        with qtbot.waitSignal(window.folder_loaded, timeout=60_000):
            window.open_folder(folder)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.loader.stop()

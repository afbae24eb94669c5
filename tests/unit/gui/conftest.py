"""GUI test fixtures: a small site on disk and a window opened on it, fully loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.gui.main_window import MainWindow
from reader.gui.settings import AppSettings
from tests.conftest import write_files

SITE = {
    "_config.yml": "timezone: Asia/Shanghai\nurl: https://example.org\n",
    "_posts/2021-01-01-alpha.md": (
        "---\ntitle: Alpha post\ncategories: [tech]\ntags: [python, qt]\n---\n"
        "Alpha body text. See [beta](/2021/02/01/beta.html) and "
        "[the web](https://example.org/page).\n"
    ),
    "_posts/2021-02-01-beta.md": (
        "---\ntitle: Beta post\ncategories: [tech, life]\ntags: [python]\n---\nBeta body text.\n"
    ),
    "_posts/2022-03-01-gamma.html": (
        "---\ntitle: 中文文章\ncategories: [life]\ntags: [中文]\n---\n<p>这是正文。</p>\n"
    ),
    "_posts/2022-04-01-delta.md": "---\ntitle: Delta post\ncategories: [misc]\n---\nDelta.\n",
    "_posts/2022-05-01-broken.md": "---\ntitle: [unclosed\n---\nbody\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", SITE)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.ini"


@pytest.fixture
def make_window(qtbot: QtBot, settings_path: Path) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def make(folder: Path, resize: bool = True) -> MainWindow:
        window = MainWindow(AppSettings(settings_path))
        qtbot.addWidget(window)
        if resize:
            window.resize(1200, 760)
        window.show()
        with qtbot.waitSignal(window.folder_loaded, timeout=20_000):
            window.open_folder(folder)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.loader.stop()

"""GUI test fixtures: a small site on disk (the window itself comes from tests/conftest.py's
make_window)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


def searched_article(window: Any, qtbot: Any, text: str, path: str) -> str:
    """`text` searched once the window's index is built, then `path` opened: the article's
    HTML as the pane shows it (with the search's highlights)."""
    qtbot.waitUntil(
        lambda: window.session.folder is not None and window.session.folder.has_index,
        timeout=20_000,
    )
    window.search_edit.setText(text)
    window.search.on_search_return()
    window.open_post(path)
    return str(window.article.render_post(window.session.folder.post(path)))

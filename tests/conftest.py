"""Test-wide settings: offscreen Qt, and user data, cache and settings kept in temporary folders
so no test touches the real user's bookmarks or preferences."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (the project's shared test material)")
    return path

"""The terminal when the user data cannot be written: reads and exports still give everything
that was saved, a change fails with one line saying why and a non-zero status, and nothing is
moved aside (issue: storage failures must not make data unreadable or make commands lie)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import SAMPLE_POSTS
from tests.fixtures.mounts import Tmpfs

POSTS = (
    "_posts/2021-03-14-markdown-cheat-sheet.md",
    "travel/_posts/2023-05-02-hangzhou-west-lake.md",
)


def _bookmark_two(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POST_READER_DATA_DIR", str(data))
    for i, path in enumerate(POSTS):
        assert main(["bookmarks", str(SAMPLE_POSTS), "add", path, "--note", f"n{i}"]) == 0


def _check_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["bookmarks", str(SAMPLE_POSTS), "list"]) == 0
    listed = capsys.readouterr().out
    assert all(path in listed for path in POSTS) and "n0" in listed and "n1" in listed
    out = tmp_path / "backup.json"
    assert main(["bookmarks", str(SAMPLE_POSTS), "export", str(out)]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))["bookmarks"]
    assert sorted(b["path"] for b in exported) == sorted(POSTS)
    assert main(["list", str(SAMPLE_POSTS), "--bookmarked", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["path"] for r in rows) == sorted(POSTS)


def test_read_only_file_system(
    tmpfs: Callable[[str], Tmpfs],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fs = tmpfs("4m")
    _bookmark_two(fs.path / "data", monkeypatch)
    before = sorted(p.name for p in (fs.path / "data").iterdir())
    fs.remount("ro")
    _check_reads(tmp_path, capsys)
    status = main(["bookmarks", str(SAMPLE_POSTS), "remove", POSTS[0]])
    err = capsys.readouterr().err
    assert status != 0
    assert "nothing was changed: the file system is read-only" in err
    assert sorted(p.name for p in (fs.path / "data").iterdir()) == before  # nothing moved aside


def test_full_disk(
    tmpfs: Callable[[str], Tmpfs],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fs = tmpfs("4m")
    _bookmark_two(fs.path / "data", monkeypatch)
    filler = fs.fill()
    status = main(["bookmarks", str(SAMPLE_POSTS), "add", "_posts/2020-05-20-pathlib-habits.md"])
    err = capsys.readouterr().err
    assert status != 0 and "full" in err
    _check_reads(tmp_path, capsys)
    filler.unlink()
    assert main(["bookmarks", str(SAMPLE_POSTS), "add", "_posts/2020-05-20-pathlib-habits.md"]) == 0

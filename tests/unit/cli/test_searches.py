"""`post-reader searches` and `list --saved`: a saved search lists what the same search lists,
with counts, and keeps its place in the user's order."""

from __future__ import annotations

import json

import pytest

from reader.cli import main
from tests.conftest import SAMPLE_POSTS


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_save_list_move_delete(capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(SAMPLE_POSTS)
    _out(capsys, "searches", folder, "save", "上海", "--search", "上海")
    _out(
        capsys, "searches", folder, "save", "travel", "--category", "旅行", "--since", "2023-01-01"
    )
    _out(capsys, "searches", folder, "move", "travel", "1")
    rows = json.loads(_out(capsys, "searches", folder, "list", "--json"))
    assert [r["name"] for r in rows] == ["travel", "上海"]
    by_search = json.loads(_out(capsys, "list", folder, "--search", "上海", "--json"))
    assert rows[1]["total"] == len(by_search) and rows[1]["unread"] == len(by_search)
    saved = json.loads(_out(capsys, "list", folder, "--saved", "上海", "--json"))
    assert [r["path"] for r in saved] == [r["path"] for r in by_search]
    travel = json.loads(_out(capsys, "list", folder, "--saved", "travel", "--json"))
    expected = json.loads(
        _out(capsys, "list", folder, "--category", "旅行", "--since", "2023-01-01", "--json")
    )
    assert travel == expected and rows[0]["total"] == len(expected)
    _out(capsys, "searches", folder, "delete", "travel")
    assert main(["list", folder, "--saved", "travel"]) == 2
    assert "no saved search named 'travel'" in capsys.readouterr().err

"""`list` answers from the cache (Folder.select) with exactly the output the full load gave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.cli.commands import format_line, json_rows
from reader.core import Query, SortKey, open_folder, parse_day
from tests.conftest import SAMPLE_POSTS
from tests.unit.core.storage.test_catalog import tricky  # noqa: F401  (a fixture)


def _reference(root: Path, args: list[str], as_json: bool) -> str:
    """What `list` printed before it used the cache: load everything, query, format."""
    opts = dict(zip(args[::2], args[1::2], strict=True))
    sort = SortKey(opts.get("--sort", "date"))
    q = Query(
        categories=tuple(
            v for k, v in zip(args[::2], args[1::2], strict=True) if k == "--category"
        ),
        tags=tuple(v for k, v in zip(args[::2], args[1::2], strict=True) if k == "--tag"),
        sort=sort,
        descending=sort is SortKey.DATE,
        since=parse_day(opts["--since"], "--since") if "--since" in opts else None,
        until=parse_day(opts["--until"], "--until") if "--until" in opts else None,
    )
    with open_folder(root) as folder:
        folder.load()
        if "--search" in opts:
            folder.update_index()
            q = folder.search(opts["--search"], q).query
        posts = folder.query(q)
        if as_json:
            rows = [{**p.to_json(), "url": folder.url(p), "bookmarked": False} for p in posts]
            return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        return "".join(format_line(p) + "\n" for p in posts)


CASES = [
    [],
    ["--sort", "title"],
    ["--category", "News"],
    ["--category", "news", "--tag", "a"],
    ["--since", "2021-03-02", "--until", "2021-03-03"],
    ["--search", "监管"],
    ["--search", "alpha", "--sort", "title"],
    ["--search", "Body", "--category", "体育"],
]


@pytest.mark.parametrize("args", CASES)
@pytest.mark.parametrize("as_json", [False, True])
def test_list_output_is_the_full_loads(
    tricky: Path,  # noqa: F811
    args: list[str],
    as_json: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = _reference(tricky, args, as_json)
    assert main(["list", str(tricky), *args, *(["--json"] if as_json else [])]) == 0
    out = capsys.readouterr().out
    assert out == expected
    assert out.strip() not in ("", "[]") or "--category" in args


@pytest.mark.parametrize("as_json", [False, True])
def test_sample_posts_listed_as_before(as_json: bool, capsys: pytest.CaptureFixture[str]) -> None:
    expected = _reference(SAMPLE_POSTS, [], as_json)
    assert main(["list", str(SAMPLE_POSTS), *(["--json"] if as_json else [])]) == 0
    assert capsys.readouterr().out == expected


def test_json_rows_is_json_dump_with_an_indent() -> None:
    rows: list[dict[str, object]] = [
        {"a": '中文\u2028"q"', "b": [], "c": ["x", "y"], "d": None, "e": True, "f": 1.5},
        {"g": ["only"], "h": False, "i": -7, "j": 2**70, "k": float("inf"), "l": "\x00\\"},
        {"a": "", "c": [1, None, "z"]},
    ]
    assert json_rows(rows) == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    assert json_rows([]) == "[]\n"

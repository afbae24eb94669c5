"""`post-reader bookmarks FOLDER list|add|remove|export|import`, and the marks `list` uses."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import reader.cli
from reader.cli import CliError
from reader.cli_bookmarks import add_bookmarks_parser, bookmarked_paths_for
from reader.core.paths import data_dir
from reader.core.reading.load import load_library
from tests.conftest import REPO, write_files

A = "_posts/2021-12-08-market.md"
B = "_posts/2022-01-02-second.md"
POSTS: dict[str, str | bytes] = {
    "_config.yml": "timezone: Asia/Shanghai\n",
    A: "---\ntitle: 市场监管新闻\ndate: 2021-12-08 12:45:50 +0800\n"
    "categories: 新闻\ntags: 中文\n---\nx\n",
    B: "---\ntitle: Second post\ncategories: [notes]\n---\nx\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", POSTS)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The subcommand as `reader.cli.main` runs it: CliError becomes status 2 and one line."""
    parser = argparse.ArgumentParser(prog="post-reader")
    add_bookmarks_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    try:
        code = int(args.func(args))
    except CliError as exc:
        print(f"post-reader: error: {exc}", file=sys.stderr)
        code = 2
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_add_list_remove(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    s = str(site)
    assert run(capsys, "bookmarks", s, "add", A, "--note", "read again") == (
        0,
        f"bookmarked: {A}\n",
        "",
    )
    code, out, _ = run(capsys, "bookmarks", s, "add", str(site / B))  # absolute path too
    assert (code, out) == (0, f"bookmarked: {B}\n")
    code, out, err = run(capsys, "bookmarks", s, "list")
    lines = out.splitlines()
    assert code == 0 and err == "2 bookmarks\n"
    assert lines[0].endswith(f"Second post  ({B})")  # newest first
    assert lines[1].endswith(f"市场监管新闻  ({A})") and lines[2].strip() == "note: read again"
    code, out, _ = run(capsys, "bookmarks", s, "add", A, "--note", "changed")
    assert (code, out) == (0, f"already bookmarked: {A} (note replaced)\n")
    assert "note: changed" in run(capsys, "bookmarks", s, "list")[1]
    assert run(capsys, "bookmarks", s, "remove", A) == (0, f"removed bookmark: {A}\n", "")
    code, _, err = run(capsys, "bookmarks", s, "remove", A)
    assert (code, err) == (2, f"post-reader: error: not bookmarked: {A}\n")
    assert run(capsys, "bookmarks", s, "list")[2] == "1 bookmarks\n"


def test_user_errors(capsys: pytest.CaptureFixture[str], site: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "bookmarks", str(site), "add", "_posts/nope.md")
    assert code == 2 and "not a post in" in err
    code, _, err = run(capsys, "bookmarks", str(site), "add", "../outside.md")
    assert code == 2 and "outside the folder" in err
    code, _, err = run(capsys, "bookmarks", str(tmp_path / "missing"), "list")
    assert code == 2 and "no such folder" in err
    code, _, err = run(capsys, "bookmarks", str(site), "import", str(tmp_path / "none.json"))
    assert code == 2 and "cannot read" in err
    bad = tmp_path / "bad.json"
    bad.write_text("[not json", encoding="utf-8")
    code, _, err = run(capsys, "bookmarks", str(site), "import", str(bad))
    assert code == 2 and "not a JSON file" in err
    too_long = "x" * 1001
    code, _, err = run(capsys, "bookmarks", str(site), "add", A, "--note", too_long)
    assert code == 2 and "at most 1000" in err
    with pytest.raises(SystemExit):
        run(capsys, "bookmarks", str(site), "export", "x", "--format", "pdf")


def test_a_bookmark_whose_file_is_gone_is_listed_and_removable(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    run(capsys, "bookmarks", str(site), "add", A)
    (site / A).unlink()
    out = run(capsys, "bookmarks", str(site), "list")[1]
    assert out.rstrip().endswith(f"({A})  [file missing]")
    assert run(capsys, "bookmarks", str(site), "remove", A)[0] == 0


@pytest.mark.parametrize(
    ("name", "option", "marker"),
    [
        ("b.md", None, "# Bookmarks: site"),
        ("b.markdown", None, "# Bookmarks: site"),
        ("b.html", None, "<!DOCTYPE html>"),
        ("b.json", None, '"post_reader_bookmarks": 1'),
        ("b.txt", None, '"post_reader_bookmarks": 1'),
        ("b.txt", "md", "# Bookmarks: site"),
        ("b.json", "html", "<!DOCTYPE html>"),
    ],
)
def test_export_formats(
    capsys: pytest.CaptureFixture[str],
    site: Path,
    tmp_path: Path,
    name: str,
    option: str | None,
    marker: str,
) -> None:
    run(capsys, "bookmarks", str(site), "add", A, "--note", "my note")
    target = tmp_path / "out" / name
    target.parent.mkdir()
    argv = ["bookmarks", str(site), "export", str(target)]
    code, _, err = run(capsys, *argv, *(["--format", option] if option else []))
    assert code == 0 and "exported 1 bookmarks" in err
    text = target.read_text(encoding="utf-8")
    assert marker in text
    for value in ("市场监管新闻", "2021-12-08T12:45:50+08:00", "新闻", "中文", "my note"):
        assert value in text
    assert [p.name for p in target.parent.iterdir()] == [name]  # no temporary file left


def test_export_to_stdout_and_import_back(
    capsys: pytest.CaptureFixture[str], site: Path, tmp_path: Path
) -> None:
    s = str(site)
    run(capsys, "bookmarks", s, "add", A, "--note", "first")
    run(capsys, "bookmarks", s, "add", B)
    code, out, _ = run(capsys, "bookmarks", s, "export", "-", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [e["path"] for e in doc["bookmarks"]] == [B, A]
    doc["bookmarks"].append({"title": "Elsewhere", "path": "_posts/2000-01-01-x.md"})
    export = tmp_path / "bookmarks.json"
    export.write_text(json.dumps(doc), encoding="utf-8")

    run(capsys, "bookmarks", s, "remove", A)
    code, out, err = run(capsys, "bookmarks", s, "import", str(export))
    assert code == 0
    assert out == "imported 1 bookmarks (1 were already bookmarked)\n"
    assert "1 not found in this folder" in err and "Elsewhere" in err
    code, out, _ = run(capsys, "bookmarks", s, "import", str(export))
    assert out.startswith("imported 0 bookmarks (2 were already bookmarked)")
    listing = run(capsys, "bookmarks", s, "list")[1]
    assert listing.count(A) == 1 and listing.count(B) == 1 and "note: first" in listing


def test_bookmarked_paths_for(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    library = load_library(site)
    assert bookmarked_paths_for(library) == set()
    run(capsys, "bookmarks", str(site), "add", B)
    assert bookmarked_paths_for(library) == {B}


def test_nothing_is_written_into_the_posts_folder(
    capsys: pytest.CaptureFixture[str], site: Path, tmp_path: Path
) -> None:
    before = sorted((p, p.stat().st_mtime_ns) for p in [site, *site.rglob("*")])
    s = str(site)
    run(capsys, "bookmarks", s, "add", A, "--note", "n")
    run(capsys, "bookmarks", s, "export", str(tmp_path / "e.json"))
    run(capsys, "bookmarks", s, "remove", A)
    run(capsys, "bookmarks", s, "import", str(tmp_path / "e.json"))
    run(capsys, "bookmarks", s, "list")
    bookmarked_paths_for(load_library(site))
    assert sorted((p, p.stat().st_mtime_ns) for p in [site, *site.rglob("*")]) == before
    assert (data_dir() / "userdata.sqlite3").is_file()


def test_a_damaged_database_is_reported_and_work_goes_on(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    db = data_dir() / "userdata.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"\x00garbage" * 500)
    code, out, err = run(capsys, "bookmarks", str(site), "add", A)
    assert code == 0 and out == f"bookmarked: {A}\n"
    assert "warning: The bookmarks database was damaged" in err
    moved = [p for p in db.parent.iterdir() if ".damaged-" in p.name]
    assert len(moved) == 1 and str(moved[0]) in err
    assert moved[0].read_bytes() == b"\x00garbage" * 500
    code, _, err = run(capsys, "bookmarks", str(site), "list")
    assert (code, err) == (0, "1 bookmarks\n")  # told once, not again


def test_an_unusable_data_folder_refuses_changes_but_lists(
    capsys: pytest.CaptureFixture[str], site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("POST_READER_DATA_DIR", str(blocker / "data"))
    code, _, err = run(capsys, "bookmarks", str(site), "add", A)
    assert code == 2 and "cannot be saved" in err and "nothing was changed" in err
    code, _, err = run(capsys, "bookmarks", str(site), "list")
    assert code == 0 and "warning:" in err and err.endswith("0 bookmarks\n")


@pytest.mark.skipif(
    "bookmarks" not in reader.cli.SUBCOMMANDS, reason="not wired into reader.cli yet"
)
def test_the_installed_command_end_to_end(site: Path) -> None:
    def post_reader(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reader", *argv],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )

    assert post_reader("bookmarks", str(site), "add", B).returncode == 0
    listed = json.loads(post_reader("list", str(site), "--json").stdout)
    assert {p["path"]: p["bookmarked"] for p in listed} == {A: False, B: True}
    only = post_reader("list", str(site), "--bookmarked")
    assert only.returncode == 0 and "Second post" in only.stdout and "市场" not in only.stdout
    assert (data_dir() / "userdata.sqlite3").is_file()

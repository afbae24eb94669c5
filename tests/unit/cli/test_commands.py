"""The terminal commands, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_POSTS, write_files


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "TZ": "UTC"},
        check=check,
        timeout=120,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "_config.yml": "timezone: Asia/Shanghai\n",
            "_posts/2021-01-01-b.md": "---\ntitle: Bravo\ncategories: [x]\ntags: [t1]\n---\nB **text**.",
            "_posts/2022-01-01-a.md": "---\ntitle: Alpha\ncategories: [y]\ntags: [t1, t2]\n---\nA text.",
            "_posts/2023-01-01-bad.md": "---\n- not a mapping\n---\n",
        },
    )


def test_list_text_is_newest_first(site: Path) -> None:
    out = run("list", str(site))
    lines = out.stdout.splitlines()
    assert [line.split("  ")[1] for line in lines] == ["Alpha", "Bravo"]
    assert lines[0].startswith("2022-01-01 00:00")
    assert "2 posts" in out.stderr


def test_list_filters_and_sorts(site: Path) -> None:
    def titles(*args: str) -> list[str]:
        return [p["title"] for p in json.loads(run("list", str(site), "--json", *args).stdout)]

    assert titles("--category", "x") == ["Bravo"]
    assert titles("--tag", "t1") == ["Alpha", "Bravo"]
    assert titles("--tag", "t1", "--tag", "t2") == ["Alpha"]
    assert titles("--sort", "title") == ["Alpha", "Bravo"]
    assert titles("--search", "bravo") == ["Bravo"]
    assert titles("--search", "text") == ["Alpha", "Bravo"]
    assert titles("--search", "text", "--category", "y") == ["Alpha"]
    assert titles("--search", "text -bravo") == ["Alpha"]
    assert titles("--category", "nope") == []


def test_list_json_shape(site: Path) -> None:
    posts = json.loads(run("list", str(site), "--json").stdout)
    assert posts[0] == {
        "path": "_posts/2022-01-01-a.md",
        "title": "Alpha",
        "date": "2022-01-01T00:00:00+08:00",
        "categories": ["y"],
        "tags": ["t1", "t2"],
        "slug": "a",
        "format": "markdown",
        "draft": False,
        "published": True,
        "warnings": [],
        "url": "/y/2022/01/01/a.html",
        "bookmarked": False,
    }


def test_show_json_renders_several_posts_with_their_links(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "_config.yml": "permalink: /:year/:title/\n",
            "_posts/2022-01-01-a.md": "---\ntitle: A\n---\nSee [b](/2022/b/) and [out](https://example.org/).\n",
            "_posts/2022-02-01-b.md": "---\ntitle: B\n---\n## Usage\n\nBack to [a]({% post_url 2022-01-01-a %}).\n",
        },
    )
    out = run(
        "show", str(site), "_posts/2022-01-01-a.md", "_posts/2022-02-01-b.md", "--json"
    ).stdout
    a, b = (json.loads(line) for line in out.splitlines())
    assert (a["path"], a["title"], b["path"]) == (
        "_posts/2022-01-01-a.md",
        "A",
        "_posts/2022-02-01-b.md",
    )
    # Each link with the post it opens (its href as the pane has it), or None: it leaves.
    assert [link["target"] for link in a["links"]] == ["_posts/2022-02-01-b.md", None]
    assert a["links"][1]["href"] == "https://example.org/"
    assert '<h2 id="usage">Usage</h2>' in b["html"]
    assert [link["target"] for link in b["links"]] == ["_posts/2022-01-01-a.md"]


def test_problems(site: Path) -> None:
    assert json.loads(run("problems", str(site), "--json").stdout) == [
        {
            "path": "_posts/2023-01-01-bad.md",
            "problem": "front matter is a list, not a mapping of keys",
        }
    ]
    out = run("problems", str(site))
    assert out.stdout.startswith("_posts/2023-01-01-bad.md: front matter is a list")


def test_show_text_and_html(site: Path) -> None:
    text = run("show", str(site), "_posts/2021-01-01-b.md").stdout
    assert text.startswith("Bravo\n")
    assert "Categories: x" in text and "B text." in text
    html = run("show", str(site), str(site / "_posts/2021-01-01-b.md"), "--html").stdout
    assert "<strong>text</strong>" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "/no/such/folder"), "no such folder"),
        (("show", "{site}", "../../etc/passwd"), "outside the folder"),
        (("show", "{site}", "/etc/passwd"), "outside the folder"),
        (("show", "{site}", "_posts/missing.md"), "not a post"),
        (("show", "{site}", "_posts/2023-01-01-bad.md"), "could not be loaded"),
    ],
)
def test_errors_are_one_line_and_non_zero(site: Path, args: tuple[str, ...], message: str) -> None:
    out = run(*(a.format(site=site) for a in args), check=False)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and message in out.stderr


def test_sample_posts_list_and_python_m(tmp_path: Path) -> None:
    posts = json.loads(run("list", str(SAMPLE_POSTS), "--json").stdout)
    assert len(posts) >= 30
    assert any(p["draft"] for p in posts)
    assert any(
        p["path"].startswith("travel/_posts/") and p["categories"][0] == "travel" for p in posts
    )
    assert sum(1 for p in posts if any("\u4e00" <= ch <= "\u9fff" for ch in p["title"])) >= 15


def test_show_a_post_that_can_no_longer_be_read(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Loaded, then unreadable when `show` renders it: one line naming the file, status 2."""
    from reader.cli import main
    from reader.core import FileProblem, Folder

    def unreadable(self: Folder, post: object, highlight: tuple[str, ...] = ()) -> str:
        raise FileProblem("permission denied")

    monkeypatch.setattr(Folder, "render", unreadable)
    assert main(["show", str(site), "_posts/2021-01-01-b.md"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "post-reader: error: _posts/2021-01-01-b.md: permission denied\n"


def test_search_does_not_write_into_the_folder(site: Path) -> None:
    before = sorted((p, p.stat().st_mtime_ns) for p in [site, *site.rglob("*")])
    assert run("list", str(site), "--search", "text").returncode == 0
    assert sorted((p, p.stat().st_mtime_ns) for p in [site, *site.rglob("*")]) == before

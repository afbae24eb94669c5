"""Exporting one post as written: no search highlights, no window controls, links that only
work inside the window made text, local images embedded; an HTML post (also HTML in a .md
file, as the first users' archive writes them) converted to Markdown with its links, emphasis,
lists, tables and images."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core import open_folder
from reader.core.export.post import article_html, keep_outside_links
from reader.core.post import Post
from tests.conftest import REPO, write_files

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
HTML_BODY = (
    '<p>监管 <strong>加强</strong>，见 <a href="/_posts/2021-01-01-other.md">另一篇</a> 和 '
    '<a href="https://example.org/x">外链</a>。</p>\n'
    "<ul><li>一</li><li>二</li></ul>\n"
    "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>\n"
    '<p><img src="pic.png" alt="图"></p>\n'
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = write_files(
        tmp_path / "site",
        {
            "_posts/2021-01-01-other.md": "---\ntitle: Other\n---\ntext\n",
            "_posts/2021-02-02-html.md": "---\ntitle: 标题\ncategories: [新闻]\ntags: [监管]\n---\n"
            + HTML_BODY,
        },
    )
    (root / "_posts" / "pic.png").write_bytes(PNG)
    return root


def test_html_export_is_the_article_as_written(site: Path, tmp_path: Path) -> None:
    with open_folder(site, cache_dir=tmp_path / "c") as folder:
        folder.load()
        post = folder.post("_posts/2021-02-02-html.md")
        assert post is not None
        page = folder.export_html(post)
    assert page.startswith("<!DOCTYPE html>") and "<h1>标题</h1>" in page
    assert "新闻" in page and "#监管" in page
    assert "<mark" not in page and "pr-" not in page and "☆" not in page
    assert "另一篇" in page and "_posts/2021-01-01-other.md" not in page  # internal: text
    assert 'href="https://example.org/x"' in page  # a web link stays a link
    assert "data:image/png;base64," in page  # the image is embedded


def test_highlights_and_window_links_are_dropped() -> None:
    fragment = (
        '<p><mark class="hit">监管</mark> <a href="pr-tag:%E7%9B%91">#监</a> '
        '<a href="#fn:1">1</a> <a href="mailto:a@b.c">mail</a></p>'
    )
    out = keep_outside_links(fragment)
    assert out == '<p>监管 #监 <a href="#fn:1">1</a> <a href="mailto:a@b.c">mail</a></p>'
    head = article_html(Post("p.md", "T <x>", None, tags=("a&b",)), "<p>x</p>")
    assert "<h1>T &lt;x&gt;</h1>" in head and "#a&amp;b" in head


def test_markdown_export_converts_an_html_body(site: Path, tmp_path: Path) -> None:
    with open_folder(site, cache_dir=tmp_path / "c") as folder:
        folder.load()
        post = folder.post("_posts/2021-02-02-html.md")
        assert post is not None
        text = folder.export_markdown(post)
    assert text.startswith("# 标题\n") and "- Categories: 新闻" in text
    assert "**加强**" in text  # emphasis
    assert "[外链](https://example.org/x)" in text  # a web link
    assert "另一篇" in text and "](/_posts" not in text  # an internal link as text
    assert "- 一" in text and "- 二" in text  # a list
    assert "| A | B |" in text and "| 1 | 2 |" in text  # a table
    assert "![图](_posts/pic.png)" in text  # an image, by its path in the folder
    assert "<p>" not in text


def test_terminal_export_writes_each_format_and_never_into_the_folder(
    site: Path, tmp_path: Path
) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "reader",
                "export",
                str(site),
                "_posts/2021-02-02-html.md",
                *args,
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )

    for name in ("a.html", "a.md"):
        done = run(str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        assert "标题" in (tmp_path / name).read_text(encoding="utf-8")
    refused = run(str(site / "out.md"))
    assert refused.returncode == 2 and "never writes into the folder" in refused.stderr
    assert not (site / "out.md").exists()
    unknown = run(str(tmp_path / "a.docx"))
    assert unknown.returncode == 2 and "--format" in unknown.stderr

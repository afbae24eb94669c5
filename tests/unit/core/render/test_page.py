"""One post rendered with its site (issue 15): Liquid with site data, links and their targets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core import open_folder
from reader.core.render.page import load_data, post_url_of, render_post
from tests.conftest import write_files
from tests.fixtures.jekyll_sites import ISSUE_15, MULTILINGUAL


def _open(tmp_path: Path, files: dict[str, str]) -> Iterator[Any]:
    root = write_files(tmp_path / "site", files)
    folder = open_folder(root, cache_dir=tmp_path / "cache")
    folder.load(use_workers=False)
    yield folder
    folder.close()


@pytest.fixture
def issue_site(tmp_path: Path) -> Iterator[Any]:
    yield from _open(tmp_path, ISSUE_15)


@pytest.fixture
def multilingual(tmp_path: Path) -> Iterator[Any]:
    yield from _open(tmp_path, MULTILINGUAL)


def html_of(folder: Any, path: str) -> str:
    return render_post(folder.library, folder.library.post_at(path)).html


def test_item1_code_nested_in_list_items(issue_site: Any) -> None:
    out = html_of(issue_site, "_posts/2025-01-01-nested-code.md")
    assert re.search(r'<code class="language-sh">gem install jekyll\s*</code>', out)
    assert re.search(r"<code>jekyll build\s*</code>", out)
    assert re.search(r'<code class="language-ruby">puts 1\s*</code>', out)
    assert "```" not in out


def test_item2_liquid_with_site_data(issue_site: Any) -> None:
    out = html_of(issue_site, "_posts/2025-01-02-liquid.md")
    assert "https://dl.example/2.0.tgz" in out and "SIZE: 12 MB" in out
    assert '<h1 id="liquid">Liquid</h1>' in out  # {{ page.title }} above ====
    assert '<a href="https://docs.example/faq/">faq</a>' in out  # refs written by a for loop
    assert "[home]" not in out
    assert "Ada (lead), Lin (docs)" in out  # CSV
    assert "<p>Note: included</p>" in out
    assert '<span class="liquid-note">[gallery id=' in out  # a plugin's tag: a quiet note
    assert "Posts: 4" in out


def test_item4_and_5_ids_toc_and_kramdown_syntax(issue_site: Any) -> None:
    out = html_of(issue_site, "_posts/2025-01-03-ids.md")
    assert '<h2 id="usage">' in out and '<h2 id="usage-1">' in out
    assert '<h2 id="피터모빌의-ux">' in out
    assert 'href="#usage"' in out and 'id="markdown-toc"' not in out  # id dropped, list kept
    assert "{:" not in out and "TOC" not in out
    assert "\u2610 open" in out and "\u2611 done" in out
    assert "-----" not in out and "<td>3</td>" in out


def test_item6_to_8_rules_typography_tabs(issue_site: Any) -> None:
    out = html_of(issue_site, "_posts/2025-01-04-rules.md")
    # Both nested items sit past the text of "one" and before that of "two spaces".
    assert re.search(r"<li>one<ul>\s*<li>two spaces</li>\s*<li>three spaces</li>", out)
    assert "<h5" not in out and "#####NotAHeading" in out and "<h1" not in out
    assert "Dashes \u2013 and \u2014 and dots\u2026" in out
    assert "\techo hi" in out


def test_links_and_their_targets(multilingual: Any) -> None:
    lib = multilingual.library
    rendered = render_post(lib, lib.post_at("en/news/_posts/2025-01-10-release.md"))
    targets = dict(rendered.links)
    assert targets["/uk/news/_posts/2025-01-10-release.md"] == (
        "uk/news/_posts/2025-01-10-release.md"
    )
    assert targets["/zh_tw/news/_posts/2025-01-10-release.md"] == (
        "zh_tw/news/_posts/2025-01-10-release.md"
    )
    assert targets["/en/news/_posts/2024-05-01-old-release.md"] == (
        "en/news/_posts/2024-05-01-old-release.md"
    )
    assert targets["https://other.example/uk/news/2025/01/10/release/"] is None
    assert rendered.to_json()["path"] == "en/news/_posts/2025-01-10-release.md"


def test_post_url_tag_and_urls_for_list_json(multilingual: Any) -> None:
    lib = multilingual.library
    rendered = render_post(lib, lib.post_at("uk/news/_posts/2025-01-10-release.md"))
    assert dict(rendered.links)["/en/news/_posts/2024-05-01-old-release.md"] == (
        "en/news/_posts/2024-05-01-old-release.md"
    )
    zh = lib.post_at("zh_tw/news/_posts/2025-01-10-release.md")
    assert post_url_of(lib, zh) == "/zh_tw/news/2025/01/release.html"


def test_data_is_read_from_inside_the_folder_only(tmp_path: Path) -> None:
    outside = write_files(tmp_path / "outside", {"secret.yml": "key: secret\n"})
    root = write_files(tmp_path / "site", {"_data/ok.json": '{"a": 1}'})
    (root / "_data" / "link.yml").symlink_to(outside / "secret.yml")
    data = load_data(root.resolve())
    assert data == {"ok": {"a": 1}}


def test_site_markdown_settings_are_followed(tmp_path: Path) -> None:
    files = {
        "_config.yml": "kramdown:\n  input: kramdown\n  auto_id_prefix: h-\n",
        "_posts/2025-01-01-a.md": "---\ntitle: A\n---\n## 1. Über uns\n\nx -- y\n",
    }
    for folder in _open(tmp_path, files):
        out = html_of(folder, "_posts/2025-01-01-a.md")
        assert '<h2 id="h-ber-uns">' in out  # generate_id: ASCII only, leading digits dropped
        assert "x \u2013 y" in out
    files["_config.yml"] = "markdown: CommonMarkGhPages\n"
    for folder in _open(tmp_path / "cm", files):
        out = html_of(folder, "_posts/2025-01-01-a.md")
        assert "x -- y" in out

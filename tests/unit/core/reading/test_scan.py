"""Finding posts: site mode vs plain folder mode, symlinks, special files."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.errors import FolderError
from reader.core.reading import scan as scan_module
from reader.core.reading.scan import check_folder, scan_folder
from tests.conftest import load_folder, write_files

FM = "---\ntitle: {t}\n---\nbody\n"


def test_plain_folder_mode_reads_post_like_files_with_front_matter(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "news/a.txt": FM.format(t="A"),
            "news/2021/b.html": FM.format(t="B"),
            "c.md": "# C without front matter\n\ntext",
            "d.html": "<p>html without front matter is not a post</p>",
            "e.txt": "plain text without front matter is not a post",
            "f.py": FM.format(t="not a post extension"),
            ".hidden/g.md": FM.format(t="hidden"),
        },
    )
    result = scan_folder(check_folder(tmp_path))
    assert not result.site.is_site
    lib = load_folder(tmp_path)
    assert sorted(p.title for p in lib.posts) == ["A", "B", "C without front matter"]
    assert all(p.categories == () for p in lib.posts)


def test_any_posts_folder_makes_a_site(tmp_path: Path) -> None:
    write_files(tmp_path, {"blog/_posts/2020-01-01-x.md": FM.format(t="X"), "notes.md": "# n"})
    result = scan_folder(check_folder(tmp_path))
    assert result.site.is_site
    assert [c.path for c in result.candidates] == ["blog/_posts/2020-01-01-x.md"]


def test_config_alone_makes_a_site(tmp_path: Path) -> None:
    write_files(tmp_path, {"_config.yml": "title: t\n", "page.md": FM.format(t="page")})
    assert scan_folder(check_folder(tmp_path)).site.is_site
    assert load_folder(tmp_path).posts == []


def test_date_named_files_of_other_extensions_in_posts(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "_posts/2020-01-01-a.tcl": FM.format(t="tcl"),
            "_posts/2020-01-01-pic.png": b"\x89PNG\r\n\x1a\n",
            "_posts/readme.json": "{}",
        },
    )
    assert [p.title for p in load_folder(tmp_path).posts] == ["tcl"]


def test_symlinks_inside_are_followed_outside_and_loops_are_not(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    site = tmp_path / "site"
    write_files(outside, {"secret.md": FM.format(t="SECRET")})
    write_files(site, {"_posts/2020-01-01-real.md": FM.format(t="Real")})
    (site / "_posts/2020-01-02-inside-link.md").symlink_to(site / "_posts/2020-01-01-real.md")
    (site / "_posts/2020-01-03-outside-link.md").symlink_to(outside / "secret.md")
    (site / "_posts/outdir").symlink_to(outside, target_is_directory=True)
    (site / "_posts/loop").symlink_to(site / "_posts", target_is_directory=True)
    (site / "_posts/2020-01-04-dangling.md").symlink_to(site / "missing.md")
    lib = load_folder(site)
    assert sorted(p.title for p in lib.posts) == ["Real", "Real"]
    reasons = {p.path: p.reason for p in lib.problems}
    assert "outside the folder" in reasons["_posts/2020-01-03-outside-link.md"]
    assert "outside the folder" in reasons["_posts/outdir"]
    assert "broken symbolic link" in reasons["_posts/2020-01-04-dangling.md"]
    assert all("SECRET" not in p.title for p in lib.posts)


def test_fifo_and_socket_named_like_posts_are_never_opened(tmp_path: Path) -> None:
    write_files(tmp_path, {"_posts/2020-01-01-ok.md": FM.format(t="ok")})
    os.mkfifo(tmp_path / "_posts/2020-01-02-fifo.md")
    sock_path = tmp_path / "_posts/2020-01-03-sock.md"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(sock_path))
        lib = load_folder(tmp_path)  # would block forever if the FIFO were opened
    finally:
        sock.close()
    reasons = {p.path: p.reason for p in lib.problems}
    assert "FIFO" in reasons["_posts/2020-01-02-fifo.md"]
    assert "socket" in reasons["_posts/2020-01-03-sock.md"]
    assert [p.title for p in lib.posts] == ["ok"]


def test_missing_or_non_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FolderError, match="no such folder"):
        scan_folder(check_folder(tmp_path / "nope"))
    (tmp_path / "file.md").write_text("x")
    with pytest.raises(FolderError, match="not a folder"):
        scan_folder(check_folder(tmp_path / "file.md"))


def test_scanning_writes_nothing_into_the_folder(tmp_path: Path) -> None:
    write_files(tmp_path, {"_posts/2020-01-01-a.md": FM.format(t="a")})
    before = sorted(p for p in tmp_path.rglob("*"))
    load_folder(tmp_path)
    assert sorted(p for p in tmp_path.rglob("*")) == before


@given(st.text(alphabet=".aM中_-~ #", max_size=8))
def test_extension_is_splitexts(name: str) -> None:
    assert scan_module._extension(name) == os.path.splitext(name)[1].lower()

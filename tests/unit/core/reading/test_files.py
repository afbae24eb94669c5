"""Reading files inside the opened folder (`reader.core.reading.files`): each refusal, the
links that are allowed, and the callers that go through it (parsing, Folder.read_file, export)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reader.core.errors import FileProblem
from reader.core.export.post import standalone_html
from reader.core.reading import files
from reader.core.reading.files import FolderReader, read_inside
from reader.core.reading.parse import read_body
from tests.conftest import write_files

SECRET = b"secret outside the folder"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = write_files(
        tmp_path / "site",
        {
            "_posts/2021-01-01-a.md": "---\ntitle: A\n---\nbody of a\n",
            "assets/pic.png": b"\x89PNG inside",
        },
    )
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_bytes(SECRET)
    return root


def _refusal(root: Path, rel: str, limit: int = 1 << 20) -> str:
    with pytest.raises(FileProblem) as info:
        read_inside(root, rel, limit)
    return str(info.value)


def test_reads_a_regular_file(site: Path) -> None:
    assert read_inside(site, "assets/pic.png", 100) == b"\x89PNG inside"


def test_symlinked_file_out_of_the_folder_is_refused(site: Path) -> None:
    (site / "_posts" / "2021-01-02-out.md").symlink_to(site.parent / "outside" / "secret.md")
    assert "outside the folder" in _refusal(site, "_posts/2021-01-02-out.md")


def test_symlinked_folder_out_of_the_folder_is_refused(site: Path) -> None:
    (site / "linked").symlink_to(site.parent / "outside")
    assert "outside the folder" in _refusal(site, "linked/secret.md")


def test_dot_dot_and_absolute_paths_are_refused(site: Path) -> None:
    assert "outside the folder" in _refusal(site, "../outside/secret.md")
    assert "outside the folder" in _refusal(site, str(site.parent / "outside" / "secret.md"))


def test_symlinks_inside_the_folder_are_followed(site: Path) -> None:
    # Decided: a link whose target stays inside is read, as Jekyll would build it.
    (site / "_posts" / "2021-01-03-alias.md").symlink_to("2021-01-01-a.md")
    (site / "images").symlink_to("assets")
    assert read_inside(site, "_posts/2021-01-03-alias.md", 100).endswith(b"body of a\n")
    assert read_inside(site, "images/pic.png", 100) == b"\x89PNG inside"


def test_a_fifo_is_refused_without_blocking(site: Path) -> None:
    os.mkfifo(site / "_posts" / "2021-01-04-fifo.md")
    outcome: list[str] = []

    def read() -> None:
        outcome.append(_refusal(site, "_posts/2021-01-04-fifo.md"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(60)  # a hang guard: an open that blocks never returns at all
    assert outcome == ["not a regular file; never read"]


def test_a_device_is_refused() -> None:
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    # "/" as the folder makes /dev/null a device inside it (creating one needs root).
    assert _refusal(Path("/"), "dev/null") == "not a regular file; never read"


def test_a_folder_is_refused(site: Path) -> None:
    assert _refusal(site, "assets") == "not a regular file; never read"
    assert _refusal(site, ".") == "not a regular file; never read"


def test_oversize_is_refused_and_the_limit_itself_is_read(site: Path) -> None:
    size = len(b"\x89PNG inside")
    assert read_inside(site, "assets/pic.png", size) == b"\x89PNG inside"
    assert _refusal(site, "assets/pic.png", size - 1).startswith("too large")


def test_missing_file_is_a_problem(site: Path) -> None:
    assert _refusal(site, "assets/none.png").startswith("cannot be opened")
    assert _refusal(site, "assets/pic.png\0.md").startswith("cannot be opened")


def test_a_file_swapped_after_the_check_is_not_read(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The checks are made on the open descriptor: a path swapped for a link out of the folder
    # (or a FIFO) right after them changes nothing about what is read.
    target = site / "assets" / "pic.png"
    real_fstat = os.fstat

    def fstat_then_swap(fd: int) -> os.stat_result:
        result = real_fstat(fd)
        target.rename(site / "assets" / "moved.png")
        target.symlink_to(site.parent / "outside" / "secret.md")
        return result

    monkeypatch.setattr(files.os, "fstat", fstat_then_swap)
    assert read_inside(site, "assets/pic.png", 100) == b"\x89PNG inside"
    monkeypatch.setattr(files.os, "fstat", real_fstat)
    assert "outside the folder" in _refusal(site, "assets/pic.png")


def test_a_file_that_grows_past_the_limit_after_fstat_is_refused(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fstat = os.fstat

    def fstat_then_grow(fd: int) -> os.stat_result:
        result = real_fstat(fd)
        with open(site / "assets" / "pic.png", "ab") as f:
            f.write(b"x" * 100)
        return result

    monkeypatch.setattr(files.os, "fstat", fstat_then_grow)
    assert _refusal(site, "assets/pic.png", 50).startswith("too large")


def test_a_folder_swapped_for_a_link_out_is_refused_on_the_next_read(site: Path) -> None:
    with FolderReader(site) as reader:
        assert reader.read("_posts/2021-01-01-a.md", 100).endswith(b"body of a\n")
        assert reader.last_stat is not None and reader.last_stat.st_size > 0
    (site / "_posts").rename(site / "old_posts")
    (site / "_posts").symlink_to(site.parent / "outside")
    (site.parent / "outside" / "2021-01-01-a.md").write_bytes(SECRET)
    assert "outside the folder" in _refusal(site, "_posts/2021-01-01-a.md")


def test_many_folders_do_not_exhaust_descriptors(site: Path) -> None:
    for i in range(files._MAX_OPEN_DIRS * 3):
        write_files(site, {f"d{i}/x.md": str(i)})
    with FolderReader(site) as reader:
        texts = [reader.read(f"d{i}/x.md", 10) for i in range(files._MAX_OPEN_DIRS * 3)]
        assert len(reader._dirs) <= files._MAX_OPEN_DIRS
    assert texts[-1] == str(files._MAX_OPEN_DIRS * 3 - 1).encode()


# --- the callers ------------------------------------------------------------------------------


def test_read_body_refuses_a_link_out(site: Path) -> None:
    (site / "_posts" / "2021-01-02-out.md").symlink_to(site.parent / "outside" / "secret.md")
    assert read_body(site, "_posts/2021-01-01-a.md")[0] == "body of a\n"
    with pytest.raises(FileProblem, match="outside the folder"):
        read_body(site, "_posts/2021-01-02-out.md")


def test_folder_read_file_uses_the_same_rules(site: Path, tmp_path: Path) -> None:
    from reader.core import open_folder

    (site / "assets" / "out.png").symlink_to(site.parent / "outside" / "secret.md")
    with open_folder(site, cache_dir=tmp_path / "cache") as folder:
        assert folder.read_file("assets/pic.png", 100) == b"\x89PNG inside"
        with pytest.raises(FileProblem, match="outside the folder"):
            folder.read_file("assets/out.png", 100)
        with pytest.raises(FileProblem, match="too large"):
            folder.read_file("assets/pic.png", 3)


def test_export_embeds_only_what_the_rules_allow(site: Path) -> None:
    (site / "assets" / "out.png").symlink_to(site.parent / "outside" / "secret.md")
    os.mkfifo(site / "assets" / "fifo.png")
    fragment = "".join(
        f'<img src="postasset:/assets/{name}">' for name in ("pic.png", "out.png", "fifo.png")
    )
    page = standalone_html("T", fragment, "", site)
    assert page.count('src="data:image/png;base64,') == 1
    assert page.count('src=""') == 2

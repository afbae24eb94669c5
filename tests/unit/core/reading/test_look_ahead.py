"""A large `_posts` folder is listed ahead by a child process (`look_ahead._listed_apart`),
which gives exactly what listing it here gives (`_listed`), names of any kind included, and
gives way to listing it here whenever it cannot be done so."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from reader.core.reading import look_ahead as ahead


@pytest.fixture
def any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead, "_CHILD_FROM", 0)  # every folder counts as large


def _folder(root: Path, names: list[bytes]) -> str:
    root.mkdir(parents=True)
    for name in names:
        with open(os.path.join(os.fsencode(root), name), "wb") as fh:
            fh.write(b"---\n---\n")
    return str(root)


NAMES = [
    b"2021-01-01-a.md",
    b"2024-12-31-z.md",
    "2023-05-05-中文.md".encode(),
    b"2022-02-02-new\nline.md",  # a name may hold a newline
    b"2020-03-03-\xff\xfe-not-utf8.md",  # nor be UTF-8 at all
    b"9999-not-a-date.md",
]


@pytest.mark.parametrize("count", [0, 1, 3, 6, 50])
def test_a_child_lists_what_listing_here_gives(tmp_path: Path, any_size: None, count: int) -> None:
    folder = _folder(tmp_path / "_posts", NAMES)
    apart = ahead._listed_apart(folder, count)
    assert apart is not None
    assert apart == ahead._listed(folder, count)
    assert apart[0] == len(NAMES) and len(apart[1]) == min(count, len(NAMES))


def test_a_small_folder_is_listed_here(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "_posts", NAMES[:2])
    assert ahead._listed_apart(folder, 5) is None  # below _CHILD_FROM


def test_without_a_child_it_is_listed_here(
    tmp_path: Path, any_size: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path / "_posts", NAMES)
    monkeypatch.setattr(sys, "executable", "")  # an embedded interpreter: none to start
    assert ahead._listed_apart(folder, 3) is None
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    assert ahead._listed_apart(folder, 3) is None
    monkeypatch.setattr(sys, "executable", "/bin/false")  # starts, then fails
    assert ahead._listed_apart(folder, 3) is None


def test_a_link_or_a_missing_folder_is_not_listed_apart(tmp_path: Path, any_size: None) -> None:
    real = _folder(tmp_path / "elsewhere", NAMES[:2])
    (tmp_path / "_posts").symlink_to(real, target_is_directory=True)
    assert ahead._listed_apart(str(tmp_path / "_posts"), 3) is None  # the scan decides
    assert ahead._listed_apart(str(tmp_path / "missing"), 3) is None


def test_the_look_ahead_thread_takes_the_childs_listing(
    tmp_path: Path, any_size: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    _folder(site / "_posts", NAMES)
    asked: list[str] = []
    apart = ahead._listed_apart

    def spy(folder: str, count: int) -> ahead.Listing | None:
        found = apart(folder, count)
        asked.append("apart" if found is not None else "none")
        return found

    monkeypatch.setattr(ahead, "_listed_apart", spy)
    ahead.look_ahead(site, count=2)
    assert ahead.greatest_names(site.resolve(), "_posts", 2) == ahead._listed(
        str(site / "_posts"), 2
    )
    assert asked == ["apart"]

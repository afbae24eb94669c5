"""A scan given the stats an earlier one found (a warm reopen, a refresh) keeps only new and
changed files as candidates and lists the known paths it did not find: the same changes as
comparing a full scan, every scan rule kept, in either mode."""

from __future__ import annotations

import os
import random
import socket
from pathlib import Path

import pytest

from reader.core.reading.known import KnownFiles
from reader.core.reading.scan import UNKNOWN, ScanResult, scan_folder, stat_of
from reader.core.storage.cache import diff_stats
from tests.conftest import write_files
from tests.unit.core.reading.test_cold_scan import tricky_site

FM = "---\ntitle: {t}\n---\nbody\n"


def stats_of(scan: ScanResult) -> KnownFiles:
    return KnownFiles((c.path, c.size, c.mtime_ns) for c in scan.candidates)


def changes(known: KnownFiles, scan: ScanResult) -> tuple[list[str], ...]:
    found = diff_stats(known, scan.candidates, scan.removed)
    return (
        sorted(c.path for c in found.to_parse),
        sorted(found.modified),
        sorted(found.removed),
    )


def test_an_unchanged_folder_gives_no_candidates(tmp_path: Path) -> None:
    site = tricky_site(tmp_path)
    full = scan_folder(site)
    known = stats_of(full)
    again = scan_folder(site, known=known, known_is_site=True)
    assert again.candidates == [] and again.removed == []
    assert again.unchanged == len(full.candidates) > 5
    # Every other finding is the full scan's: problems, in path order, and the site.
    assert again.problems == full.problems
    assert [p.path for p in full.problems] == sorted(p.path for p in full.problems)
    assert again.site == full.site


def random_site(
    root: Path, rnd: random.Random, count: int, folders: list[str], name: str = ""
) -> tuple[Path, KnownFiles, list[str]]:
    """A site of `count` posts in `folders` picked by `rnd` (`name` ending their names), the
    known files of a full scan of it, and their paths in order."""
    files: dict[str, str | bytes] = {"_config.yml": "title: t\n"}
    for i in range(count):
        files[f"{rnd.choice(folders)}/2021-01-{1 + i % 28:02d}-p{i}{name}.md"] = FM.format(t=i)
    site = write_files(root / "site", files)
    known = stats_of(scan_folder(site))
    return site, known, sorted(known)


@pytest.mark.parametrize("seed", range(8))
def test_the_same_changes_as_a_full_scan(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    folders = ["_posts", "_posts/sub", "news/_posts", "_drafts"]
    site, known, paths = random_site(tmp_path, rnd, 40, folders)
    for path in rnd.sample(paths, 5):  # modified: another size, or only another time
        target = site / path
        if rnd.random() < 0.5:
            target.write_text(FM.format(t="changed, longer"), encoding="utf-8")
        else:
            os.utime(target, ns=(1, 1_000_000_000 + rnd.randrange(10**9)))
    for path in rnd.sample(paths, 4):  # removed (some of them perhaps modified first)
        (site / path).unlink()
    write_files(site, {f"_posts/2022-02-0{i}-new{i}.md": FM.format(t=i) for i in range(1, 4)})
    os.mkfifo(site / "_posts" / "2022-03-01-fifo.md")  # a problem, not a candidate
    full = scan_folder(site)
    filtered = scan_folder(site, known=known, known_is_site=True)
    assert changes(known, filtered) == changes(known, full)
    assert changes(known, filtered)[2]  # something was removed
    assert filtered.unchanged == len(full.candidates) - len(filtered.candidates)
    assert filtered.problems == full.problems


def test_a_scan_in_the_other_mode_compares_nothing(tmp_path: Path) -> None:
    """Known stats of a site, and the folder is now plain (its `_posts` and config gone): the
    candidates are complete and nothing is listed as removed by the scan itself."""
    site = write_files(
        tmp_path / "f", {"_posts/2020-01-01-a.md": FM.format(t="a"), "b.md": FM.format(t="b")}
    )
    known = stats_of(scan_folder(site))
    (site / "_posts" / "2020-01-01-a.md").rename(site / "a.md")
    (site / "_posts").rmdir()
    plain = scan_folder(site, known=known, known_is_site=True)
    assert plain.removed is None and plain.unchanged == 0
    assert sorted(c.path for c in plain.candidates) == ["a.md", "b.md"]
    # Known stats of a plain folder that became a site: its `_posts` is not compared either.
    plain_known = stats_of(plain)
    (site / "_posts").mkdir()
    (site / "a.md").rename(site / "_posts" / "2020-01-01-a.md")
    became = scan_folder(site, known=plain_known, known_is_site=False)
    assert became.removed is None
    assert [c.path for c in became.candidates] == ["_posts/2020-01-01-a.md"]


def test_a_socket_or_fifo_that_replaced_a_known_post_is_removed(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "s", {f"_posts/2020-01-0{i}-p.md": FM.format(t=i) for i in (1, 2)}
    )
    known = stats_of(scan_folder(site))
    (site / "_posts" / "2020-01-01-p.md").unlink()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(site / "_posts" / "2020-01-01-p.md"))
        scan = scan_folder(site, known=known, known_is_site=True)
    finally:
        sock.close()
    assert scan.removed == ["_posts/2020-01-01-p.md"]
    assert [p.path for p in scan.problems] == ["_posts/2020-01-01-p.md"]
    assert scan.candidates == [] and scan.unchanged == 1


class _BreaksOff:
    """A listing of `_posts` that fails after two entries (an I/O error, a vanished disk)."""

    def __init__(self, real: os._ScandirIterator[str]) -> None:
        self.real = real
        self.given = 0

    def __enter__(self) -> _BreaksOff:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()

    def __iter__(self) -> _BreaksOff:
        return self

    def __next__(self) -> os.DirEntry[str]:
        if self.given == 2:
            raise OSError(5, "Input/output error")
        self.given += 1
        return next(self.real)


def test_a_listing_that_breaks_off_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_files(
        tmp_path / "s", {f"_posts/2020-01-0{i}-p.md": FM.format(t=i) for i in range(1, 6)}
    )
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        it = real_scandir(path)
        return _BreaksOff(it) if str(path).endswith("_posts") else it

    monkeypatch.setattr(os, "scandir", scandir)
    scan = scan_folder(site)
    assert len(scan.candidates) == 2
    assert [(p.path, p.reason) for p in scan.problems] == [
        ("_posts", "folder cannot be read: Input/output error")
    ]


def test_the_scan_names_the_folders_that_hold_posts(tmp_path: Path) -> None:
    """What the window watches, from the scan (known or not), not from every post's path."""
    from reader.core import open_folder

    site = write_files(
        tmp_path / "s",
        {
            "_posts/2020-01-01-a.md": FM.format(t="a"),
            "_posts/sub/2020-01-02-b.md": FM.format(t="b"),
            "news/_posts/2020-01-03-c.md": FM.format(t="c"),
            "notes/readme.md": FM.format(t="not a post of a site"),
        },
    )
    full = scan_folder(site)
    want = ["_posts", "_posts/sub", "news/_posts"]
    assert full.folders == want
    assert scan_folder(site, known=stats_of(full), known_is_site=True).folders == want
    with open_folder(site, cache_dir=tmp_path / "cache") as folder:
        folder.load(use_workers=False)
        assert folder.post_folders() == want
        (site / "more").mkdir()
        write_files(site, {"more/_posts/2020-01-04-d.md": FM.format(t="d")})
        folder.apply(folder.refresh())
        assert folder.post_folders() == sorted([*want, "more/_posts"])
    plain = write_files(tmp_path / "p", {"a.md": FM.format(t="a"), "x/b.md": FM.format(t="b")})
    assert scan_folder(plain).folders == ["", "x"]


@pytest.mark.parametrize("replacement", ["link inside", "link outside", "folder", "unreadable"])
def test_a_known_post_replaced_keeps_its_stat_but_not_its_place(
    tmp_path: Path, replacement: str
) -> None:
    """A known path is judged on its stat alone only when it is still a regular file: a link,
    a folder or an entry that cannot be read in its place, even with the same size and
    time, takes every rule of the full scan (the same changes and problems as a full one)."""
    site = write_files(
        tmp_path / "s",
        {
            "_posts/2020-01-01-p.md": FM.format(t=1),
            "_posts/2020-01-02-p.md": FM.format(t=2),
            "elsewhere/2020-01-01-p.md": FM.format(t=1),
        },
    )
    outside = write_files(tmp_path / "out", {"2020-01-01-p.md": FM.format(t=1)})
    known = stats_of(scan_folder(site))
    post = site / "_posts" / "2020-01-01-p.md"
    size, mtime_ns = post.stat().st_size, post.stat().st_mtime_ns
    post.unlink()
    if replacement == "link inside":
        # A link whose own size (the length of what it points to) and time are the known
        # file's, to a file that is not: read through the link, the post was modified.
        name = "../elsewhere/" + "x" * (size - len("../elsewhere/"))
        write_files(site / "elsewhere", {name.rsplit("/", 1)[1]: FM.format(t="other, longer")})
        post.symlink_to(name)
        os.utime(post, ns=(mtime_ns, mtime_ns), follow_symlinks=False)
        assert post.lstat().st_size == size and post.lstat().st_mtime_ns == mtime_ns
    elif replacement == "link outside":
        post.symlink_to(outside / "2020-01-01-p.md")
    elif replacement == "folder":
        post.mkdir()
        write_files(post, {"2020-01-03-inner.md": FM.format(t=3)})
    else:
        post.symlink_to(post)  # a link to itself: its stat fails when followed
    full = scan_folder(site)
    filtered = scan_folder(site, known=known, known_is_site=True)
    assert changes(known, filtered) == changes(known, full)
    assert filtered.problems == full.problems
    assert filtered.unchanged == len(full.candidates) - len(filtered.candidates)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((10, 5), (10, 6)),
        ((10, 5), (11, 5)),
        ((0, 0), (0, -1)),
        ((1, -1), (2, -1)),
        ((5, -(10**18)), (5, -(10**18) + 1)),
        ((2**63 - 1, 7), (2**63 - 2, 7)),
        ((UNKNOWN, UNKNOWN), (2**63 - 1, -1)),
        ((UNKNOWN, UNKNOWN), (0, 0)),
    ],
)
def test_a_stat_is_equal_exactly_when_its_size_and_time_are(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    assert stat_of(*a) == stat_of(*a) and stat_of(*b) == stat_of(*b)
    assert stat_of(*a) != stat_of(*b)


def test_a_refresh_of_a_big_folder_stops_when_cancelled(tmp_path: Path) -> None:
    """A closing window must not wait for a million `stat` calls: the scan asks every 4,096
    entries, and a refresh it stops reports no change (the state is as it was)."""
    from reader.core.reading.loader import open_library, refresh
    from reader.core.reading.scan import ScanCancelled
    from tests.unit.core.storage.test_cache import Model

    site = write_files(
        tmp_path / "s", {f"_posts/2020-01-01-p{i}.md": FM.format(t=i) for i in range(3)}
    )
    (site / "images").mkdir()
    for i in range(5000):
        (site / "images" / f"x{i}.png").touch()  # not posts, but listed all the same
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return True

    with pytest.raises(ScanCancelled):
        scan_folder(site, cancelled=cancelled)
    assert len(asked) == 1
    assert len(scan_folder(site, cancelled=lambda: False).candidates) == 3
    model = Model().apply(open_library(site, cache_dir=tmp_path / "cache", use_workers=False))
    assert model.state is not None
    before = model.state.stats.as_dict()
    (site / "_posts" / "2020-01-02-new.md").write_text(FM.format(t="new"), encoding="utf-8")
    changes = refresh(model.state, cancelled, use_workers=False)
    assert not changes and not changes.reload
    assert model.state.stats.as_dict() == before
    changes = refresh(model.state, lambda: False, use_workers=False)
    assert [p.path for p in changes.posts] == ["_posts/2020-01-02-new.md"]
    model.close()

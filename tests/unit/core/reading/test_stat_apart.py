"""A large folder's files judged by child processes (`stat_apart.judged_apart`): the scan finds
exactly what it finds listing the folder itself, every scan rule kept; when the children cannot
answer, the scan lists the folder itself; a cancel stops them."""

from __future__ import annotations

import os
import random
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.reading import stat_apart
from reader.core.reading.known import KnownFiles
from reader.core.reading.scan import ScanCancelled, ScanResult, scan_folder
from tests.conftest import write_files
from tests.unit.core.reading.test_cold_scan import tricky_site
from tests.unit.core.reading.test_known_scan import random_site, stats_of

FM = "---\ntitle: {t}\n---\nbody {t}\n"


@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every folder judged by children (whatever its size); the folders they judged, each with
    how many files the children found unchanged there ("_posts 3")."""
    judged: list[str] = []
    real = stat_apart.judged_apart

    def spy(folder: str, *args: object, **kwargs: object) -> stat_apart.Judged | None:
        found = real(folder, *args, **kwargs)  # type: ignore[arg-type]
        if found is not None:
            judged.append(f"{os.path.basename(folder)} {found.unchanged}")
        return found

    monkeypatch.setattr(stat_apart, "APART_FROM", 0)
    monkeypatch.setattr(stat_apart, "KNOWN_AT_LEAST", 0)
    monkeypatch.setattr("reader.core.reading.scan.judged_apart", spy)
    yield judged


def shape(scan: ScanResult) -> tuple[object, ...]:
    """Everything a scan found, candidates in the order they came."""
    return (
        [
            (c.path, c.size, c.mtime_ns, c.draft, c.in_posts_dir, c.path_categories, c.markdown)
            for c in scan.candidates
        ],
        scan.problems,
        sorted(scan.removed or []),
        scan.unchanged,
        scan.folders,
        scan.site,
    )


def scan_both_ways(site: Path, known: KnownFiles, apart: list[str]) -> tuple[ScanResult, ...]:
    """The scan with children (checked to have judged `_posts`) and without."""
    with_children = scan_folder(site, known=known, known_is_site=True)
    assert any(folder.startswith("_posts ") for folder in apart)
    apart.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(stat_apart, "APART_FROM", 1 << 62)
        alone = scan_folder(site, known=known, known_is_site=True)
    assert apart == []
    return with_children, alone


def test_an_unchanged_tricky_site(tmp_path: Path, apart: list[str]) -> None:
    """Links in and out, loops, a dangling link, a FIFO, a name that is not UTF-8, hidden and
    excluded files: nothing changed, the same findings as a listing here."""
    site = tricky_site(tmp_path)
    known = stats_of(scan_folder(site))
    in_posts = [p for p in known if p.count("/") == 1 and p.startswith("_posts/")]
    with_children = scan_folder(site, known=known, known_is_site=True)
    # The regular files directly in `_posts` were found unchanged by the children (links and
    # the rest were left to the scan).
    regular = [p for p in in_posts if (site / p).is_file() and not (site / p).is_symlink()]
    assert f"_posts {len(regular)}" in apart and len(regular) >= 3
    apart.clear()
    with_children, alone = scan_both_ways(site, known, apart)
    assert shape(with_children) == shape(alone)
    assert with_children.candidates == [] and with_children.unchanged == len(known) > 5


@pytest.mark.parametrize("seed", range(6))
def test_the_same_changes_as_a_listing_here(tmp_path: Path, seed: int, apart: list[str]) -> None:
    rnd = random.Random(seed)
    folders = ["_posts", "_posts", "_posts/sub", "news/_posts", "_drafts"]
    site, known, paths = random_site(tmp_path, rnd, 60, folders, "-新闻")
    for path in rnd.sample(paths, 6):  # modified: another size, or only another time
        target = site / path
        if rnd.random() < 0.5:
            target.write_text(target.read_text() + "more\n")
        else:
            st = target.stat()
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    for path in rnd.sample(paths, 4):  # removed (or replaced by a folder)
        target = site / path
        if target.exists():
            target.unlink()
            if rnd.random() < 0.3:
                target.mkdir()
    for i in range(3):  # new, one hidden, one named with a newline
        write_files(site, {f"_posts/2022-02-0{i + 1}-new{i}.md": FM.format(t=f"n{i}")})
    write_files(site, {"_posts/.2022-03-01-hidden.md": FM.format(t="h")})
    write_files(site, {"_posts/2022-03-02-two\nlines.md": FM.format(t="nl")})
    (site / "_posts" / "2022-03-03-link.md").symlink_to(site / paths[0])
    with_children, alone = scan_both_ways(site, known, apart)
    assert shape(with_children) == shape(alone)
    assert with_children.candidates and with_children.removed


def test_known_files_already_gone_or_elsewhere_are_not_found_here(
    tmp_path: Path, apart: list[str]
) -> None:
    """A known file forgotten since (`pop`) is new again; one of another folder with the same
    name is not this one."""
    site = write_files(
        tmp_path / "s",
        {
            "_posts/2020-01-01-a.md": FM.format(t="a"),
            "_posts/2020-01-02-b.md": FM.format(t="b"),
            "news/_posts/2020-01-01-a.md": FM.format(t="a"),
            "_posts/sub/2020-01-01-a.md": FM.format(t="a"),
        },
    )
    known = stats_of(scan_folder(site))
    known.pop("_posts/2020-01-02-b.md")
    with_children, alone = scan_both_ways(site, known, apart)
    assert shape(with_children) == shape(alone)
    assert [c.path for c in with_children.candidates] == ["_posts/2020-01-02-b.md"]
    assert with_children.unchanged == 3
    scan_folder(site, known=known, known_is_site=True)
    assert "_posts 1" in apart  # by the children (the other folders': their own)
    known.add("_posts/2020-01-03-c.md", 1, 2)  # the views of its arrays were let go


@pytest.mark.parametrize(
    "breakage", ["no interpreter", "a child fails", "another listing", "unreadable answer"]
)
def test_children_that_cannot_answer_leave_the_listing_here(
    tmp_path: Path, apart: list[str], monkeypatch: pytest.MonkeyPatch, breakage: str
) -> None:
    site = tricky_site(tmp_path)
    known = stats_of(scan_folder(site))
    write_files(site, {"_posts/2022-02-01-new.md": FM.format(t="new")})
    if breakage == "no interpreter":
        monkeypatch.setattr(sys, "executable", "")
    elif breakage == "a child fails":
        monkeypatch.setattr(stat_apart, "_CHILD_CODE", "import sys; sys.exit(3)")
    elif breakage == "another listing":  # the folder changed between the two listings
        code = stat_apart._CHILD_CODE.replace("names = os.listdir(folder)", "names = [b'x'] * part")
        monkeypatch.setattr(stat_apart, "_CHILD_CODE", code)
    else:
        monkeypatch.setattr(stat_apart, "_CHILD_CODE", "import sys; sys.stdout.write('x' * 50)")
    scan = scan_folder(site, known=known, known_is_site=True)
    assert apart == []
    monkeypatch.undo()
    alone = scan_folder(site, known=known, known_is_site=True)
    assert shape(scan) == shape(alone)
    assert [c.path for c in scan.candidates] == ["_posts/2022-02-01-new.md"]


def test_a_cancel_stops_the_children(
    tmp_path: Path, apart: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_files(tmp_path / "s", {"_posts/2020-01-01-a.md": FM.format(t="a")})
    known = stats_of(scan_folder(site))
    started: list[int] = []
    real_popen = stat_apart.subprocess.Popen

    def slow_popen(args: list[str], **kwargs: object) -> object:
        proc = real_popen([*args[:-1], "import time; time.sleep(60)"], **kwargs)  # type: ignore[call-overload]
        started.append(proc.pid)
        return proc

    monkeypatch.setattr(stat_apart.subprocess, "Popen", slow_popen)
    asked = threading.Event()

    def cancelled() -> bool:
        if started:
            asked.set()
        return asked.is_set()

    t0 = time.monotonic()
    with pytest.raises(ScanCancelled):
        scan_folder(site, known=known, known_is_site=True, cancelled=cancelled)
    assert time.monotonic() - t0 < 30
    assert len(started) == 2
    known.add("_posts/2020-01-03-c.md", 1, 2)  # the views of its arrays were let go
    for pid in started:  # killed and waited for
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.parametrize("step", [1, 3, 7, 1 << 15])
def test_the_known_files_of_one_folder(monkeypatch: pytest.MonkeyPatch, step: int) -> None:
    """`Matcher.as_buffers` marks exactly the known files directly in the folder, not gone nor
    found yet, whatever its steps, and hands over the arrays as they are."""
    monkeypatch.setattr("reader.core.reading.known._PICK_STEP", step)
    rnd = random.Random(step)
    folders = ["", "_posts/", "_posts/sub/", "news/_posts/", "_post/", "_posts_x/"]
    names = ["a.md", "长名字.md", os.fsdecode(b"bad\xff.md"), "x", "2020-01-01-p.md"]
    known = KnownFiles()
    for n in range(40):
        known.add(f"{rnd.choice(folders)}{n}{rnd.choice(names)}", n, 1000 + n)
    known.pop(next(p for p in known if p.startswith("_posts/") and "/" not in p[7:]))
    matcher = known.matcher()
    first = next(p for p in known if p.startswith("_posts/") and "/" not in p[7:])
    assert matcher.pop(first) is not None  # found already in this scan
    every = [known.path(i) for i in range(40)]  # (the one popped too: its entry stays)
    total = 0
    for prefix in ("", "_posts/", "_posts/sub/", "missing/"):
        pick, views = matcher.as_buffers(prefix)
        try:
            marked = {every[i] for i in range(40) if pick[i]}
            assert [v.tobytes() for v in views[:3]] == [
                a.tobytes() for a in (known._ends, known._sizes, known._mtimes)
            ]
            assert views[3].tobytes() == bytes(known._blob)
        finally:
            for view in views:
                view.release()
        assert marked == {
            p for p in known if p.startswith(prefix) and "/" not in p[len(prefix) :] and p != first
        }
        total += len(marked)
    assert total >= 10


def test_no_known_files_at_all(tmp_path: Path, apart: list[str]) -> None:
    """A refresh whose known files are all gone: the children find nothing unchanged, and the
    scan finds every file, as without them."""
    site = write_files(tmp_path / "s", {"_posts/2020-01-01-a.md": FM.format(t="a")})
    with_children, alone = scan_both_ways(site, KnownFiles(), apart)
    assert shape(with_children) == shape(alone)
    assert [c.path for c in with_children.candidates] == ["_posts/2020-01-01-a.md"]


def test_a_folder_with_few_known_files_is_listed_here(
    tmp_path: Path, apart: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Children send every entry they did not find unchanged back at once: a folder of new or
    unrelated files (fewer known ones than `KNOWN_AT_LEAST`) is listed here, a batch at a
    time, and its known files' arrays can grow again."""
    site = write_files(
        tmp_path / "s", {f"_posts/2020-01-0{i}-p.md": FM.format(t=i) for i in (1, 2)}
    )
    known = stats_of(scan_folder(site))
    write_files(site, {f"_posts/2021-01-01-new{i}.md": FM.format(t=i) for i in range(5)})
    monkeypatch.setattr(stat_apart, "KNOWN_AT_LEAST", 3)
    scan = scan_folder(site, known=known, known_is_site=True)
    assert apart == [] and scan.unchanged == 2 and len(scan.candidates) == 5
    known.add("_posts/2020-01-03-c.md", 1, 2)
    monkeypatch.setattr(stat_apart, "KNOWN_AT_LEAST", 2)
    scan_folder(site, known=known, known_is_site=True)
    assert apart == ["_posts 2"]

"""A cold load lists names without a `stat` per file and takes each file's stat from the parse:
the same candidates and problems as a full scan, and the real stat in the cache."""

from __future__ import annotations

import dataclasses
import os
import socket
from pathlib import Path

import pytest

from reader.core.reading import loader as loader_module
from reader.core.reading.loader import open_library
from reader.core.reading.scan import UNKNOWN, Candidate, ScanResult, scan_folder, stat_of
from tests.conftest import write_files
from tests.unit.core.storage.test_cache import Model, exact, open_, reference

FM = "---\ntitle: {t}\n---\nbody\n"


def tricky_site(root: Path) -> Path:
    outside = root / "outside"
    site = root / "site"
    write_files(outside, {"secret.md": FM.format(t="SECRET")})
    write_files(
        site,
        {
            "_config.yml": "exclude: [skipme]\n",
            "_posts/2020-01-01-real.md": FM.format(t="Real"),
            "_posts/sub/2020-01-05-nested.md": FM.format(t="Nested"),
            "_posts/2020-01-06-notes.tcl": FM.format(t="tcl"),
            "_posts/_hidden.md": FM.format(t="hidden"),
            "_posts/image.png": "png",
            "_drafts/a-draft.md": FM.format(t="Draft"),
            "movies/horror/_posts/2020-02-01-film.md": FM.format(t="Film"),
            "skipme/_posts/2020-03-01-excluded.md": FM.format(t="Excluded"),
            "_posts/2020-01-07-broken.md": "---\ntitle: [unclosed\n---\n",
        },
    )
    posts = site / "_posts"
    (posts / "2020-01-02-inside-link.md").symlink_to(posts / "2020-01-01-real.md")
    (posts / "2020-01-03-outside-link.md").symlink_to(outside / "secret.md")
    (posts / "outdir").symlink_to(outside, target_is_directory=True)
    (posts / "loop").symlink_to(posts, target_is_directory=True)
    (posts / "2020-01-04-dangling.md").symlink_to(site / "missing.md")
    os.mkfifo(posts / "2020-01-08-fifo.md")
    (posts / os.fsdecode(b"2020-01-09-bad\xff.md")).write_text(FM.format(t="bad"))
    return site


def test_a_listing_without_stat_keeps_every_scan_rule(tmp_path: Path) -> None:
    site = tricky_site(tmp_path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(site / "_posts/2020-01-10-sock.md"))
        full = scan_folder(site)
        listed = scan_folder(site, stat_files=False)
    finally:
        sock.close()
    shape = [
        (c.path, c.draft, c.in_posts_dir, c.path_categories, c.markdown) for c in full.candidates
    ]
    assert [
        (c.path, c.draft, c.in_posts_dir, c.path_categories, c.markdown) for c in listed.candidates
    ] == shape
    assert listed.problems == full.problems and listed.site == full.site
    reasons = {p.path: p.reason for p in listed.problems}
    assert "FIFO" in reasons["_posts/2020-01-08-fifo.md"]
    assert "socket" in reasons["_posts/2020-01-10-sock.md"]
    assert "outside the folder" in reasons["_posts/2020-01-03-outside-link.md"]
    assert "broken symbolic link" in reasons["_posts/2020-01-04-dangling.md"]
    assert any("valid UTF-8" in r for r in reasons.values())
    paths = {c.path for c in listed.candidates}
    assert "movies/horror/_posts/2020-02-01-film.md" in paths
    assert not any("excluded" in p or "hidden" in p or "SECRET" in p for p in paths)
    by_path = {c.path: c for c in full.candidates}
    for c in listed.candidates:
        if os.path.islink(site / c.path):  # links are still stat'ed (their target's stat)
            assert (c.size, c.mtime_ns) == (by_path[c.path].size, by_path[c.path].mtime_ns)
        else:
            assert c.size == c.mtime_ns == UNKNOWN


@pytest.mark.parametrize("use_workers", [False, True])
def test_a_cold_load_caches_each_files_real_stat(tmp_path: Path, use_workers: bool) -> None:
    site = tricky_site(tmp_path)
    cold = open_(site, cache_dir=tmp_path / "cache", use_workers=use_workers)
    assert cold.state is not None
    full = scan_folder(site)
    assert cold.state.stats.as_dict() == {
        c.path: stat_of(c.size, c.mtime_ns) for c in full.candidates
    }
    assert all(p.size >= 0 and p.mtime_ns > 0 for p in cold.posts.values())
    want_posts, want_problems = reference(site)
    assert exact(cold.posts) == exact(want_posts)
    assert cold.problems == want_problems
    warm = open_(site, cache_dir=tmp_path / "cache", use_workers=use_workers)
    assert warm.stats is not None and warm.stats.parsed == 0
    assert exact(warm.posts) == exact(want_posts)


@pytest.mark.parametrize("use_workers", [False, True])
def test_a_file_changed_between_listing_and_parsing_caches_its_real_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_workers: bool
) -> None:
    site = write_files(
        tmp_path / "site", {f"_posts/2020-01-{i:02d}-p.md": FM.format(t=f"old {i}") for i in (1, 2)}
    )
    changed = site / "_posts/2020-01-02-p.md"
    real_scan = scan_folder

    def scan_then_change(*args: object, **kwargs: object) -> ScanResult:
        result = real_scan(*args, **kwargs)  # type: ignore[arg-type]
        changed.write_text(FM.format(t="new and longer") + "more body\n")
        os.utime(changed, ns=(1_600_000_000_123_456_789, 1_600_000_000_123_456_789))
        return result

    monkeypatch.setattr(loader_module, "scan_folder", scan_then_change)
    model = Model().apply(open_library(site, cache_dir=tmp_path / "cache", use_workers=use_workers))
    model.close()
    st = changed.stat()
    assert model.state is not None
    assert model.state.stats.get("_posts/2020-01-02-p.md") == stat_of(st.st_size, st.st_mtime_ns)
    post = model.posts["_posts/2020-01-02-p.md"]
    assert (post.title, post.size, post.mtime_ns) == ("new and longer", st.st_size, st.st_mtime_ns)
    monkeypatch.setattr(loader_module, "scan_folder", real_scan)
    warm = open_(site, cache_dir=tmp_path / "cache", use_workers=use_workers)
    assert warm.stats is not None and warm.stats.parsed == 0
    assert warm.posts["_posts/2020-01-02-p.md"].title == "new and longer"


def test_a_cancelled_cold_load_resumes_with_real_stats(tmp_path: Path) -> None:
    files = {f"_posts/2020-01-01-p{i:04d}.md": FM.format(t=f"t{i}") for i in range(2500)}
    site = write_files(tmp_path / "site", files)
    batches = 0

    def cancelled() -> bool:
        return batches >= 2

    model = Model()
    for ev in open_library(site, tmp_path / "cache", cancelled, use_workers=True):
        model.apply([ev])
        if isinstance(ev, loader_module.Added) and ev.posts:
            batches += 1
    model.close()
    assert model.stats is not None and model.stats.cancelled
    done = model.stats.parsed
    assert 0 < done < 2500
    resumed = open_(site, cache_dir=tmp_path / "cache", use_workers=False)
    assert resumed.stats is not None
    assert (resumed.stats.cached, resumed.stats.parsed) == (done, 2500 - done)


@pytest.mark.parametrize("stat_files", [False, True])
def test_scanned_candidates_are_ordinary_frozen_candidates(
    tmp_path: Path, stat_files: bool
) -> None:
    site = tricky_site(tmp_path)
    for c in scan_folder(site, stat_files=stat_files).candidates:
        same = Candidate(
            c.path, c.size, c.mtime_ns, c.draft, c.in_posts_dir, c.path_categories, c.markdown
        )
        assert type(c) is Candidate and c == same and hash(c) == hash(same)
        with pytest.raises(dataclasses.FrozenInstanceError):
            c.size = 1  # type: ignore[misc]

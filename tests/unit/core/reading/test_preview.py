"""A first load of a large site shows its newest posts before the folder is scanned
(`reading.preview`); the scan has the last word: the load ends with exactly what it ends with
without the preview, with every file parsed once and cached."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.events import Added, Removed, Snapshot
from reader.core.reading import loader as loader_module
from reader.core.reading import preview as preview_module
from reader.core.reading.loader import open_library, refresh
from reader.core.reading.scan import POSTS_DIR
from tests.conftest import write_files
from tests.unit.core.reading.test_cold_scan import tricky_site
from tests.unit.core.storage.test_cache import Model, exact, make_site, open_, reference


@pytest.fixture
def small_preview(monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview for any folder with a `_posts` folder, of at most 5 posts."""
    monkeypatch.setattr(preview_module, "PREVIEW_FROM", 1)
    monkeypatch.setattr(preview_module, "PREVIEW_POSTS", 5)


def first_added(model: Model) -> Added:
    assert isinstance(model.events[0], Snapshot) and not model.events[0].from_cache
    added = model.events[1]
    assert isinstance(added, Added)
    return added


def test_the_newest_posts_come_first_and_the_load_ends_as_without_them(
    tmp_path: Path, small_preview: None
) -> None:
    root = make_site(tmp_path / "site", n=40)
    # Names greater than any date: not posts for Jekyll, and not what the list shows first.
    write_files(root, {f"_posts/zz-notes-{i}.md": "---\ntitle: notes\n---\nx\n" for i in range(4)})
    model = Model().apply(open_library(root, use_workers=False))
    try:
        # The load's state knows the previewed files: a refresh finds nothing new.
        assert model.state is not None and not refresh(model.state, use_workers=False)
    finally:
        model.close()
    added = first_added(model)
    names = sorted(p.path for p in model.posts.values() if p.path.startswith("_posts/2"))
    # The five greatest date-named files of `_posts` (the broken post's is among the least).
    assert sorted(p.path for p in added.posts) == names[-5:] and not added.problems
    want_posts, want_problems = reference(root)
    assert exact(model.posts) == exact(want_posts)
    assert model.problems.keys() == want_problems.keys()
    assert not any(isinstance(ev, Removed) for ev in model.events)
    assert model.stats is not None and model.stats.parsed == len(want_posts) + len(want_problems)
    assert model.stats.files == model.stats.parsed
    # All of it cached, the previewed posts with the stats their parse read.
    again = open_(root, use_workers=False)
    assert again.stats is not None and again.stats.parsed == 0
    assert exact(again.posts) == exact(want_posts)
    assert again.state is not None
    for path in added_paths(added):
        st = os.stat(root / path)
        post = again.library.post_at(path)
        assert post is not None and (post.size, post.mtime_ns) == (st.st_size, st.st_mtime_ns)
        assert again.state.stats.get(path) is not None


def added_paths(added: Added) -> list[str]:
    return [p.path for p in added.posts]


def test_the_preview_keeps_every_rule_of_the_scan(tmp_path: Path, small_preview: None) -> None:
    """Links, FIFOs, asset files, hidden and undecodable names, nested folders and a broken post:
    the preview takes only regular, date-named files the scan would take; the load's end is the
    same as a load's without preview."""
    site = tricky_site(tmp_path)
    model = open_(site, use_workers=False)
    added = first_added(model)
    shown = {p.path for p in added.posts} | {p.path for p in added.problems}
    assert shown == {
        "_posts/2020-01-01-real.md",
        "_posts/2020-01-06-notes.tcl",
        "_posts/2020-01-07-broken.md",
    }
    assert "_posts/2020-01-07-broken.md" in {p.path for p in added.problems}
    with pytest.MonkeyPatch.context() as monkey:
        monkey.setattr(preview_module, "PREVIEW_FROM", 10**9)
        plain = open_(site, use_workers=False, cache_dir=tmp_path / "other-cache")
    assert sum(1 for ev in plain.events if isinstance(ev, Snapshot)) == 1
    assert not any(isinstance(ev, Added) and ev.posts for ev in plain.events[:2])
    assert exact(model.posts) == exact(plain.posts)
    assert model.problems == plain.problems
    assert not any(isinstance(ev, Removed) for ev in model.events)


def test_a_previewed_file_the_scan_does_not_find_is_taken_back(
    tmp_path: Path, small_preview: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site(tmp_path / "site", n=10)
    newest = sorted((root / POSTS_DIR).iterdir())[-1]
    scan = loader_module._scan

    def delete_then_scan(*args: object, **kwargs: object) -> object:
        newest.unlink(missing_ok=True)
        return scan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader_module, "_scan", delete_then_scan)
    model = open_(root, use_workers=False)
    rel = f"{POSTS_DIR}/{newest.name}"
    assert rel in added_paths(first_added(model))
    removed = [ev for ev in model.events if isinstance(ev, Removed)]
    assert removed and rel in removed[0].paths
    assert rel not in model.posts
    monkeypatch.setattr(loader_module, "_scan", scan)
    again = open_(root, use_workers=False)
    assert again.stats is not None and again.stats.parsed == 0 and rel not in again.posts
    want_posts, _ = reference(root)
    assert exact(again.posts) == exact(want_posts)


def test_a_site_that_changes_between_preview_and_scan_starts_over(
    tmp_path: Path, small_preview: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site(tmp_path / "site", n=10)
    scan = loader_module._scan

    def retime_then_scan(*args: object, **kwargs: object) -> object:
        (root / "_config.yml").write_text("title: 测试\ntimezone: America/New_York\n")
        return scan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader_module, "_scan", retime_then_scan)
    model = open_(root, use_workers=False)
    snapshots = [ev for ev in model.events if isinstance(ev, Snapshot)]
    assert len(snapshots) == 2  # the preview's, then the scanned site's (empty) one
    assert str(snapshots[-1].site.timezone) == "America/New_York"
    monkeypatch.setattr(loader_module, "_scan", scan)
    want_posts, want_problems = reference(root)
    assert exact(model.posts) == exact(want_posts)
    assert model.problems.keys() == want_problems.keys()


@pytest.mark.parametrize(
    "layout",
    ["small", "skipped", "plain", "link"],
)
def test_no_preview_where_it_does_not_apply(
    tmp_path: Path, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    files = {f"2022-01-{d:02d}-p.md": "---\ntitle: t\n---\nx\n" for d in range(1, 21)}
    skip: frozenset[str] = frozenset()
    monkeypatch.setattr(preview_module, "PREVIEW_FROM", 10)
    if layout == "small":  # fewer names than PREVIEW_FROM
        monkeypatch.setattr(preview_module, "PREVIEW_FROM", 21)
        write_files(root, {f"_posts/{k}": v for k, v in files.items()})
    elif layout == "skipped":
        write_files(root, {f"_posts/{k}": v for k, v in files.items()})
        skip = frozenset({POSTS_DIR})
    elif layout == "plain":  # no `_posts`: a plain folder's mode is known only after its scan
        write_files(root, files)
    else:  # `_posts` is a link: the scan decides where it leads
        write_files(tmp_path / "elsewhere", files)
        root.mkdir()
        (root / POSTS_DIR).symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert preview_module.newest_posts(root, skip, lambda site: site) is None


def test_a_listing_looked_ahead_is_what_the_preview_uses(
    tmp_path: Path, small_preview: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`look_ahead` lists `_posts` on a thread while the window is built; the load's preview
    takes that listing (once, waiting for it if need be) and shows the same posts."""
    import threading
    import time

    from reader.core import look_ahead
    from reader.core.reading import look_ahead as ahead_module

    root = make_site(tmp_path / "site", n=30)
    plain = open_(root, use_workers=False, cache_dir=tmp_path / "c1")
    listed = ahead_module._listed
    threads: list[str] = []

    def slow_listing(folder: str, count: int) -> object:
        threads.append(threading.current_thread().name)
        time.sleep(0.2)  # still listing when the load asks: it waits
        return listed(folder, count)

    monkeypatch.setattr(ahead_module, "_listed", slow_listing)
    look_ahead(str(root / ".." / "site"))  # the same folder, written otherwise
    model = open_(root, use_workers=False, cache_dir=tmp_path / "c2")
    assert threads == ["post-reader-look-ahead"]  # listed once, on its thread
    assert added_paths(first_added(model)) == added_paths(first_added(plain))
    assert exact(model.posts) == exact(plain.posts)
    # Used once: the next preview lists the folder itself.
    assert ahead_module.greatest_names(root, POSTS_DIR, 3) is not None
    assert threads == ["post-reader-look-ahead", "MainThread"]


def test_looking_ahead_at_what_cannot_be_listed_is_no_error(tmp_path: Path) -> None:
    from reader.core import look_ahead
    from reader.core.reading.look_ahead import greatest_names

    for folder in (tmp_path / "missing", tmp_path, "\0bad"):
        look_ahead(folder)
    assert greatest_names(tmp_path, POSTS_DIR, 3) is None  # no `_posts` here
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / POSTS_DIR).symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    look_ahead(tmp_path)
    assert greatest_names(tmp_path, POSTS_DIR, 3) is None  # a link: the scan decides


def test_no_look_ahead_for_a_folder_opened_before(tmp_path: Path, small_preview: None) -> None:
    """A folder with a cache is opened from it, without a preview: its names are not listed."""
    from reader.core import look_ahead
    from reader.core.reading import look_ahead as ahead_module

    root = make_site(tmp_path / "site", n=12)
    look_ahead(root)
    assert str(root.resolve()) in ahead_module._ahead
    open_(root, use_workers=False)  # the first open takes the listing and writes the cache
    assert not ahead_module._ahead
    look_ahead(root)
    assert not ahead_module._ahead

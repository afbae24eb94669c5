"""The known files between scans (`FolderState`): let go after a load or refresh that ended
complete with the cache holding them, read back from the cache by the next refresh, and kept in
memory when nothing else holds them (no cache, a write that failed, a cancelled load)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.reading.loader import open_library, refresh
from reader.core.reading.scan import scan_folder, stat_of
from tests.unit.core.storage.test_cache import Model, make_site, open_cancelled, post_text


def _folder_stats(root: Path) -> dict[str, int]:
    return {c.path: stat_of(c.size, c.mtime_ns) for c in scan_folder(root).candidates}


def test_a_complete_load_lets_them_go_and_each_refresh_reads_them_back(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    model = Model().apply(open_library(root, cache_dir=tmp_path / "cache"))
    state = model.state
    assert state is not None
    try:
        assert state.known is None
        (root / "_posts/2022-03-01-post000.md").unlink()
        (root / "_posts/2022-03-02-post001.md").write_text(post_text("改过的标题"), "utf-8")
        (root / "_posts/2022-06-01-fresh.md").write_text(post_text("新"), encoding="utf-8")
        changes = refresh(state)
        # The removed and the modified file go, the modified and the new one come: exactly.
        assert sorted(changes.removed) == [
            "_posts/2022-03-01-post000.md",
            "_posts/2022-03-02-post001.md",
        ]
        assert sorted(p.path for p in changes.posts) == [
            "_posts/2022-03-02-post001.md",
            "_posts/2022-06-01-fresh.md",
        ]
        assert state.known is None  # let go again: the cache has the refresh's changes
        assert not refresh(state)  # read back once more: nothing changed
        assert state.stats.as_dict() == _folder_stats(root)
    finally:
        state.close()


@pytest.mark.parametrize("why", ["no cache", "a write that failed"])
def test_what_only_memory_holds_stays_in_memory(tmp_path: Path, why: str) -> None:
    root = make_site(tmp_path / "site", n=5)
    if why == "no cache":
        cache_dir = tmp_path / "a-file-not-a-folder"
        cache_dir.write_text("")
    else:
        cache_dir = tmp_path / "cache"
    model = Model().apply(open_library(root, cache_dir=cache_dir))
    state = model.state
    assert state is not None and model.stats is not None
    assert model.stats.cache_enabled == (why != "no cache")
    try:
        if why == "no cache":
            assert state.known is not None and state.known.as_dict() == _folder_stats(root)
        else:
            assert state.known is None
            state.cache.behind = True  # (set by a write that failed, or a cache reset)
        (root / "_posts/2022-06-01-fresh.md").write_text(post_text("新"), encoding="utf-8")
        assert [p.path for p in refresh(state).posts] == ["_posts/2022-06-01-fresh.md"]
        assert state.known is not None and state.known.as_dict() == _folder_stats(root)
    finally:
        state.close()


def test_a_cache_that_cannot_give_them_back_asks_for_a_reload(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=5)
    model = Model().apply(open_library(root, cache_dir=tmp_path / "cache"))
    state = model.state
    assert state is not None and state.known is None
    state.cache.close()  # (the database went away meanwhile)
    changes = refresh(state)
    # Not "every file is new" (a scan against nothing known): the folder is read again.
    assert changes.reload and not changes.posts and not changes.removed


def test_a_cancelled_load_keeps_them(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=2500)
    model = open_cancelled(root, batches=2, cache_dir=tmp_path / "cache", use_workers=False)
    state = model.state
    assert state is not None and model.stats is not None and model.stats.cancelled
    try:
        assert state.known is not None and 0 < len(state.known) < 2502
    finally:
        state.close()


def test_a_loads_scan_is_timed_from_what_it_showed_first() -> None:
    from reader.core.events import LoadStats

    # A warm reopen: the cached list, then the scan.
    assert LoadStats(times={"cache": 0.2, "snapshot": 0.25, "scan": 2.25}).scan_seconds == 2.0
    # A cold load with a preview: its newest posts, then the scan.
    assert LoadStats(times={"first_batch": 0.5, "scan": 1.5}).scan_seconds == 1.0
    # A cold load without one: its first batch comes after the scan.
    assert LoadStats(times={"scan": 1.5, "first_batch": 2.0}).scan_seconds == 1.5
    assert LoadStats().scan_seconds == 0.0


def test_a_real_load_times_its_scan(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=5)
    for _ in range(2):  # cold, then warm
        model = Model().apply(open_library(root, cache_dir=tmp_path / "cache"))
        assert model.stats is not None
        assert 0 < model.stats.scan_seconds <= model.stats.times["total"]
        model.close()


def test_a_cache_another_process_wrote_meanwhile_asks_for_a_reload(tmp_path: Path) -> None:
    """Two opened states of one folder share its cache (a window and a terminal command, two
    windows). The first to refresh after a change writes it to the cache; the second must not
    take the cache's files as what it has read (it would never see the change): it reloads."""
    root = make_site(tmp_path / "site", n=5)
    first = Model().apply(open_library(root, cache_dir=tmp_path / "cache")).state
    second = Model().apply(open_library(root, cache_dir=tmp_path / "cache")).state
    assert first is not None and second is not None
    try:
        assert first.known is None and second.known is None
        changed = "_posts/2022-03-02-post001.md"
        (root / changed).write_text(post_text("改过的标题"), encoding="utf-8")
        assert [p.path for p in refresh(first).posts] == [changed]  # written to the cache
        assert refresh(second).reload
        assert not refresh(first)  # its own write: the files read back are its own
    finally:
        first.close()
        second.close()

"""FolderLoader: a Folder's load on a worker thread, applied in place on the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core import Added, Folder, Post, Query, Removed, open_folder
from reader.gui.loader import FolderLoader, _coalesced


def _post(path: str) -> Post:
    return Post(path, path, None)


def test_runs_of_added_are_merged_in_order() -> None:
    a, b, c = _post("a.md"), _post("b.md"), _post("c.md")
    merged = _coalesced([Added([a], []), Added([b], []), Removed(["a.md"]), Added([c], [])])
    assert [type(e).__name__ for e in merged] == ["Added", "Removed", "Added"]
    assert merged[0].posts == [a, b]  # type: ignore[union-attr]
    assert merged[2].posts == [c]  # type: ignore[union-attr]


def _load(qtbot: QtBot, loader: FolderLoader, folder_path: Path) -> tuple[Folder, list[bool]]:
    folder = open_folder(folder_path)
    library = folder.library
    seen: list[bool] = []
    loader.library_changed.connect(seen.append)
    with qtbot.waitSignal(loader.finished, timeout=30_000) as blocker:
        loader.start(folder)
    assert blocker.args == [False]  # not cancelled
    assert folder.library is library  # grown in place, never replaced by a copy
    loader.library_changed.disconnect(seen.append)
    return folder, seen


def test_the_library_grows_in_place_and_a_reopen_comes_from_the_cache(
    qtbot: QtBot, site: Path
) -> None:
    loader = FolderLoader()
    folder, seen = _load(qtbot, loader, site)
    assert folder.loaded
    assert sorted(p.title for p in folder.posts) == [
        "Alpha post",
        "Beta post",
        "Delta post",
        "中文文章",
    ]
    assert seen and not any(seen)  # nothing cached the first time
    loader.close()
    folder.close()

    again, seen = _load(qtbot, loader, site)
    assert seen[0] is True  # the cache's whole list came first
    assert len(again.posts) == 4
    loader.close()
    again.close()


def test_a_refresh_applies_the_changes_to_the_folder(qtbot: QtBot, site: Path) -> None:
    loader = FolderLoader()
    folder, _seen = _load(qtbot, loader, site)
    (site / "_posts/2023-01-01-new.md").write_text("---\ntitle: Fresh\n---\nx\n", "utf-8")
    (site / "_posts/2022-04-01-delta.md").unlink()
    qtbot.waitUntil(lambda: not loader.running, timeout=10_000)
    with qtbot.waitSignal(loader.refreshed, timeout=30_000):
        assert loader.refresh()
    titles = {p.title for p in folder.posts}
    assert "Fresh" in titles and "Delta post" not in titles
    loader.close()
    folder.close()


def test_a_batch_from_an_earlier_load_is_dropped(qtbot: QtBot, site: Path) -> None:
    loader = FolderLoader()
    folder, _seen = _load(qtbot, loader, site)
    before = list(folder.posts)
    loader.start(folder)  # load number 2
    loader.on_events_ready(1, [Added([_post("_posts/stale.md")], [])])
    assert folder.posts == before
    loader.close()
    folder.close()


def _many_posts(root: Path, n: int) -> Path:
    posts = root / "_posts"
    posts.mkdir(parents=True)
    for k in range(n):
        (posts / f"2020-01-01-p{k:04d}.md").write_text(f"---\ntitle: P{k}\n---\nbody\n")
    return root


def test_progress_is_forwarded_at_most_every_progress_seconds_and_always_at_the_end(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each progress update repaints the bar at once: a load of many batches must not send
    one per batch. With an interval no load reaches, only the first and the last go."""
    import reader.gui.loader as loader_module

    root = _many_posts(tmp_path / "site", 1000)

    def progress_of_a_load(seconds: float, cache: str) -> list[tuple[int, int]]:
        monkeypatch.setattr(loader_module, "PROGRESS_SECONDS", seconds)
        monkeypatch.setenv("POST_READER_CACHE_DIR", str(tmp_path / cache))
        loader = FolderLoader()
        seen: list[tuple[int, int]] = []
        loader.progress.connect(lambda done, total: seen.append((done, total)))
        folder, _changed = _load(qtbot, loader, root)
        assert len(folder.posts) == 1000
        loader.close()
        folder.close()
        return seen

    every = progress_of_a_load(0.0, "c1")
    assert len(every) > 2  # several batches, each reported when nothing holds them back
    assert every[-1] == (1000, 1000)
    assert progress_of_a_load(3600.0, "c2") == [(0, 1000), (1000, 1000)]


def test_the_order_warmer_builds_the_missing_orders_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """After a cold load only the date order exists; the A-Z and category orders are built on
    a worker and adopted, so the first click on a column header sorts at once."""
    from reader.core import SortKey
    from reader.gui.orders import OrderWarmer

    folder = open_folder(_many_posts(tmp_path / "site", 300)).load()
    assert set(folder.library.order_snapshot().missing) == {SortKey.TITLE, SortKey.CATEGORY}
    warmer = OrderWarmer()
    assert not warmer.running
    warmer.start(folder)
    qtbot.waitUntil(lambda: folder.library.order_snapshot().missing == (), timeout=30_000)
    # Ended, though its thread is kept until the next start or stop (the bench waits on this).
    qtbot.waitUntil(lambda: not warmer.running, timeout=30_000)
    warmer.stop()
    assert not warmer.running
    folder.close()


def test_a_sort_asked_for_while_the_orders_are_built_waits_for_them(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from reader.core import SortKey
    from reader.gui.orders import OrderWarmer

    folder = open_folder(_many_posts(tmp_path / "site", 300)).load()
    warmer = OrderWarmer()
    warmer.start(folder)
    warmer.finish()  # at once: the build may be under way or done
    assert folder.library.order_snapshot().missing == ()
    titles = [folder.posts[i].title for i in folder.library.query(Query(sort=SortKey.TITLE))]
    assert titles == sorted(titles, reverse=True)
    warmer.finish()  # nothing under way: returns
    folder.close()


def test_the_orders_give_way_to_the_user_but_not_to_a_sort_that_waits_for_them(
    qtbot: QtBot, tmp_path: Path
) -> None:
    import time

    from reader.core import SortKey, acted, interacting, release_background
    from reader.gui.orders import OrderWarmer

    folder = open_folder(_many_posts(tmp_path / "site", 300)).load()
    acted(grace=60)  # the user keeps acting: the build waits (2 s at a time at most)
    warmer = OrderWarmer()
    warmer.start(folder)
    time.sleep(0.5)
    assert set(folder.library.order_snapshot().missing) == {SortKey.TITLE, SortKey.CATEGORY}
    start = time.monotonic()
    with interacting():  # a sort change: it waits for the build, which stops giving way
        warmer.finish()
    assert time.monotonic() - start < 1.5
    assert folder.library.order_snapshot().missing == ()
    release_background()
    folder.close()

"""Bringing the index in step from the cache's stamps (search.build.sync_index) and the
index's memory of the cache generation it matched."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.post import Post
from reader.core.search.build import build_index, sync_index
from reader.core.search.index import SearchIndex, post_stamp
from reader.core.storage.catalog import index_stamp
from tests.conftest import write_files


def _index(tmp_path: Path) -> SearchIndex:
    return SearchIndex.open(tmp_path / "index.sqlite3")


def test_index_stamp_from_columns_is_post_stamp() -> None:
    from datetime import UTC, datetime

    dated = Post("a.md", "A", datetime(2021, 1, 2, 3, 4, 5, 600000, tzinfo=UTC), size=7, mtime_ns=9)
    undated = Post("b.md", "B", None, size=1, mtime_ns=2)
    assert index_stamp(7, 9, dated.date.timestamp()) == post_stamp(dated)  # type: ignore[union-attr]
    assert index_stamp(1, 2, None) == post_stamp(undated)


def test_split_stale_stamps(tmp_path: Path) -> None:
    root = write_files(tmp_path / "f", {"a.md": "alpha", "b.md": "beta"})
    posts = [Post("a.md", "A", None, size=1, mtime_ns=1), Post("b.md", "B", None, size=1)]
    index = _index(tmp_path)
    for _ in build_index(root, posts, index, workers=1):
        pass
    wanted = {"a.md": post_stamp(posts[0]), "c.md": "1:1:None"}
    pending, gone = index.split_stale_stamps(wanted)
    assert pending == ["c.md"]
    assert gone == ["b.md"]
    index.close()


class _FakeCatalog:
    def __init__(self, posts: list[Post], generation: str) -> None:
        self.posts = posts
        self.generation = generation
        self.decoded: list[str] = []

    def index_stamps(self) -> dict[str, str]:
        return {p.path: post_stamp(p) for p in self.posts}

    def posts_at(self, paths: list[str]) -> list[Post]:
        self.decoded += paths
        return [p for p in self.posts if p.path in set(paths)]


def test_sync_index_reads_only_what_changed(tmp_path: Path) -> None:
    root = write_files(tmp_path / "f", {"a.md": "alpha words", "b.md": "beta words"})
    posts = [Post("a.md", "A", None, size=1), Post("b.md", "B", None, size=2)]
    index = _index(tmp_path)
    first = _FakeCatalog(posts, "g1")
    for _ in sync_index(root, first, index, workers=1):  # type: ignore[arg-type]
        pass
    assert sorted(first.decoded) == ["a.md", "b.md"]
    assert index.synced_with() == "g1"
    assert index.search("alpha").paths == ["a.md"]
    # The same generation: nothing is read, not even the stamps.
    again = _FakeCatalog([], "g1")
    for _ in sync_index(root, again, index, workers=1):  # type: ignore[arg-type]
        pass
    assert again.decoded == []
    assert index.count() == 2
    # A new generation with one post changed and one gone: only that one is decoded.
    changed = [Post("a.md", "A", None, size=5)]
    third = _FakeCatalog(changed, "g2")
    for _ in sync_index(root, third, index, workers=1):  # type: ignore[arg-type]
        pass
    assert third.decoded == ["a.md"]
    assert index.search("beta").paths == []
    assert index.synced_with() == "g2"


def test_any_write_forgets_the_generation(tmp_path: Path) -> None:
    root = write_files(tmp_path / "f", {"a.md": "alpha"})
    index = _index(tmp_path)
    index.mark_synced("0123")  # digits only: still read back as the same text
    assert index.synced_with() == "0123"
    for _ in build_index(root, [Post("a.md", "A", None)], index, workers=1):
        pass
    assert index.synced_with() is None
    index.mark_synced("g")
    index.remove(["a.md"])
    assert index.synced_with() is None


def test_posts_are_indexed_newest_first_then_by_path_descending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search during the build covers the newest posts first: the order is (date, path)
    descending, undated posts last."""
    import random
    from datetime import UTC, datetime

    import reader.core.search.build as build_module

    rng = random.Random(5)
    days = [None, *(datetime(2021, 1, d, tzinfo=UTC) for d in (1, 2, 3))]
    posts = [Post(f"p{k:03d}.md", "T", rng.choice(days)) for k in range(60)]
    rng.shuffle(posts)
    root = write_files(tmp_path / "f", {p.path: "text" for p in posts})
    seen: list[str] = []
    real = build_module._tokenized

    def spy(root: Path, todo: list[Post], *args: object, **kwargs: object) -> object:
        seen.extend(p.path for p in todo)
        return real(root, todo, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "_tokenized", spy)
    index = _index(tmp_path)
    for _ in build_index(root, list(posts), index, workers=1):
        pass
    index.close()

    def when(p: Post) -> float:
        return p.date.timestamp() if p.date is not None else float("-inf")

    assert seen == [p.path for p in sorted(posts, key=lambda p: (when(p), p.path), reverse=True)]


def _site(root: Path, n: int = 6) -> Path:
    return write_files(
        root,
        {
            f"_posts/2021-01-0{i + 1}-p{i}.md": f"---\ntitle: T{i}\n---\nword{i} 正文{i}\n"
            for i in range(n)
        },
    )


def _steps(folder: object) -> list[tuple[int, int, int, str]]:
    from reader.core import Folder

    assert isinstance(folder, Folder)
    return [(p.done, p.total, p.skipped, p.phase) for p in folder.index_posts(workers=1)]


def test_a_reopened_folder_whose_index_matched_its_cache_compares_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's build after a reopen: the posts are the cache's at the generation the index
    matched, so the index is not compared post by post (0.3 s at 100,000 posts)."""
    from reader.core import open_folder

    root, cache = _site(tmp_path / "site"), tmp_path / "cache"
    with open_folder(root, cache_dir=cache) as folder:
        folder.load(use_workers=False)
        assert _steps(folder)[-1] == (6, 6, 0, "done")
    with open_folder(root, cache_dir=cache) as folder:
        folder.load(use_workers=False)
        with monkeypatch.context() as m:
            m.setattr(SearchIndex, "split_stale", lambda *a: pytest.fail("compared"))
            assert _steps(folder) == [(0, 0, 6, "done")]
        assert folder.search("word3").total == 1
    # A change while closed: a new generation, so the index is compared and brought in step.
    (root / "_posts" / "2021-01-07-p6.md").write_text("---\ntitle: T6\n---\nnewword\n")
    with open_folder(root, cache_dir=cache) as folder:
        folder.load(use_workers=False)
        assert _steps(folder)[-1] == (1, 1, 6, "done")
        assert folder.search("newword").total == 1
    with open_folder(root, cache_dir=cache) as folder:
        folder.load(use_workers=False)
        assert _steps(folder) == [(0, 0, 7, "done")]


def test_a_library_changed_since_its_load_is_compared(tmp_path: Path) -> None:
    from reader.core import open_folder

    root, cache = _site(tmp_path / "site"), tmp_path / "cache"
    with open_folder(root, cache_dir=cache) as folder:
        folder.load(use_workers=False)
        _steps(folder)
    with open_folder(root, cache_dir=cache) as folder:
        folder.load(use_workers=False)
        (root / "_posts" / "2021-01-01-p0.md").unlink()
        folder.apply(folder.refresh())
        # Not the load's posts any more: compared, and the removed post leaves the index.
        assert _steps(folder)[-1][3] == "done"
        assert folder.search("word0").total == 0


def test_a_cancelled_load_claims_no_generation(tmp_path: Path) -> None:
    from reader.core.events import Done
    from reader.core.reading.loader import open_library

    root = _site(tmp_path / "site", n=3)
    done = [
        e
        for e in open_library(root, tmp_path / "cache", lambda: True, use_workers=False)
        if isinstance(e, Done)
    ]
    assert done[0].stats.cancelled and done[0].state.generation == ""
    done[0].state.close()
    complete = [
        e for e in open_library(root, tmp_path / "c2", use_workers=False) if isinstance(e, Done)
    ]
    assert complete[0].state.generation != ""
    complete[0].state.close()


@pytest.mark.parametrize("after", range(1, 8))  # every question before the first write
def test_a_build_cancelled_while_preparing_stops_and_writes_nothing(
    tmp_path: Path, after: int
) -> None:
    """Closing the window during the preparation of a big build: each step asks, and nothing
    is written or removed after the answer is yes."""
    root = write_files(tmp_path / "f", {f"{c}.md": c for c in "abc"})
    posts = [Post(f"{c}.md", c, None, size=1, mtime_ns=1) for c in "abc"]
    index = _index(tmp_path)
    for _ in build_index(root, [*posts[:1], Post("gone.md", "g", None)], index, workers=1):
        pass
    asked = iter(range(100))
    steps = list(build_index(root, posts, index, lambda: next(asked) >= after - 1, workers=1))
    assert steps[-1].phase == "cancelled"
    assert steps[-1].done == 0
    # Nothing written: "b" and "c" not indexed; "gone.md" still there unless its removal ran.
    assert index.count() in (1, 2)
    pending, _ = index.split_stale({p.path: p for p in posts})
    assert sorted(pending) == ["b.md", "c.md"]
    index.close()


def _written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the index writes from now on."""
    paths: list[str] = []
    real = SearchIndex._write_rows

    def spy(self: SearchIndex, rows: list[object]) -> None:
        paths.extend(r.path for r in rows)  # type: ignore[attr-defined]
        real(self, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "_write_rows", spy)
    return paths


def test_a_table_is_compared_by_path_without_a_dict_and_only_the_stale_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library's table: its posts found by path in a `PathIndex`; changed, new and removed
    posts are the only ones written or removed, a path given twice is indexed once (its last
    post), and the index then holds exactly the posts' current stamps."""
    from reader.core.table import PostTable

    names = [f"p{n}.md" for n in range(40)]
    root = write_files(tmp_path / "f", {name: f"words {name}" for name in [*names, "x.md"]})
    first = [Post(name, name, None, size=n, mtime_ns=1) for n, name in enumerate(names)]
    index = _index(tmp_path)
    written = _written(monkeypatch)
    for _ in build_index(root, PostTable(first), index, workers=1):
        pass
    assert sorted(written) == sorted(names)
    written.clear()
    changed = Post("p3.md", "p3", None, size=999, mtime_ns=2)
    later = [p for p in first if p.path not in ("p3.md", "p7.md")]  # p7 removed, p3 changed
    again = Post("p5.md", "p5 again", None, size=5, mtime_ns=7)  # a second post at p5
    now = [*later, changed, Post("x.md", "x", None, size=1, mtime_ns=1), again]
    steps = list(build_index(root, PostTable(now), index, workers=1))
    last = steps[-1]
    assert (last.phase, last.done, last.skipped, last.removed) == ("done", 3, len(now) - 4, 1)
    assert sorted(written) == ["p3.md", "p5.md", "x.md"]
    latest = {p.path: post_stamp(p) for p in now}  # the last post of a path counts
    assert index.split_stale_stamps(latest) == ([], [])
    index.close()


@pytest.mark.parametrize("after", range(1, 6))
def test_a_table_build_cancelled_while_preparing_writes_nothing(
    tmp_path: Path, after: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.table import PostTable

    root = write_files(tmp_path / "f", {f"{c}.md": c for c in "abc"})
    posts = [Post(f"{c}.md", c, None, size=1, mtime_ns=1) for c in "abc"]
    index = _index(tmp_path)
    for _ in build_index(root, PostTable(posts[:1]), index, workers=1):
        pass
    written = _written(monkeypatch)
    asked = iter(range(100))
    steps = list(build_index(root, PostTable(posts), index, lambda: next(asked) >= after - 1))
    assert steps[-1].phase == "cancelled" and written == []
    index.close()

"""After a change, the groups of copies are found again from the saved ones, without an index,
comparing only the posts the change concerns: the same groups as a first pass over the folder."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import open_folder
from reader.core.duplicates import fingerprint as fingerprint_module
from reader.core.duplicates.fingerprint import text_fingerprint
from reader.core.duplicates.index import DuplicateIndex
from reader.core.duplicates.store import FingerprintStore, store_path
from tests.benchmarks.generate import body
from tests.conftest import write_files


def story(seed: int) -> str:
    return body(random.Random(seed), 1500, f"{seed:018d}")


def copy_of(text: str, how: int) -> str:
    """A re-published copy of `text`: a summary line before it, or the source named."""
    if how % 2:
        return "> 摘要（上海证券报）\n\n" + text
    return text.replace("（文章来源：合成新闻网）", "（文章来源：东财）")


def post_file(minute: int, text: str) -> str:
    return f"---\ntitle: t\ndate: 2021-12-08 {10 + minute // 60}:{minute % 60:02d}:00 +0800\n---\n{text}"


def a_story_and_its_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of two posts, a story and a copy of it (a and b), and a cache folder."""
    root = write_files(
        tmp_path / "posts",
        {
            "_posts/2021-12-08-a.md": post_file(1, story(1)),
            "_posts/2021-12-08-b.md": post_file(2, copy_of(story(1), 1)),
        },
    )
    return root, tmp_path / "cache"


THREE_COPIES = [f"_posts/2021-12-08-{x}.md" for x in "abc"]


def a_third_copy_since(tmp_path: Path) -> tuple[Path, Path]:
    """`a_story_and_its_copy`, its groups found and saved, then a third copy (c) written."""
    root, cache = a_story_and_its_copy(tmp_path)
    groups_in(root, cache)
    write_files(root, {"_posts/2021-12-08-c.md": post_file(3, copy_of(story(1), 0))})
    return root, cache


def groups_in(root: Path, cache: Path) -> list[list[str]]:
    with open_folder(root, cache_dir=cache) as folder:
        folder.load()
        return folder.duplicates().groups()


@pytest.fixture
def indexes() -> Iterator[list[object]]:
    """The duplicate indexes made while the test runs."""
    made: list[object] = []
    real = DuplicateIndex.__init__

    def counting(self: DuplicateIndex, *args: object, **kwargs: object) -> None:
        made.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DuplicateIndex, "__init__", counting)
        yield made


class Site:
    """A folder of stories with their copies, and the changes made to it."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.minute = 0
        self.seed = 1000
        files: dict[str, str | bytes] = {}
        for s in range(14):
            for c in range(rng.choice([1, 1, 2, 3, 4])):
                files[self.name()] = post_file(self.tick(), copy_of(story(s), c) if c else story(s))
        for _ in range(3):
            files[self.name()] = post_file(self.tick(), "见原文。")  # too short to compare
        write_files(root, files)

    def name(self) -> str:
        self.seed += 1
        return f"_posts/2021-12-08-p{self.seed}.md"

    def tick(self) -> int:
        self.minute += 1
        return self.minute

    def paths(self) -> list[str]:
        return sorted(str(p.relative_to(self.root)) for p in (self.root / "_posts").iterdir())

    def change(self) -> str:
        """One random change; what it was."""
        paths, rng = self.paths(), self.rng
        what = rng.choice(["remove", "rewrite", "copy", "new", "touch", "into-copy"])
        path = self.root / rng.choice(paths)
        if what == "remove":
            path.unlink()
        elif what in ("rewrite", "into-copy"):
            seed = rng.randrange(14) if what == "into-copy" else rng.randrange(100, 10**6)
            path.write_text(post_file(self.tick(), copy_of(story(seed), 1)), encoding="utf-8")
            os.utime(path, ns=(10**18 + self.minute, 10**18 + self.minute))
        elif what == "touch":
            os.utime(path, ns=(10**18 + self.tick(), 10**18 + self.minute))
        else:
            seed = rng.randrange(14) if what == "copy" else rng.randrange(100, 10**6)
            text = copy_of(story(seed), rng.randrange(2)) if what == "copy" else story(seed)
            write_files(self.root, {self.name(): post_file(self.tick(), text)})
        return what


@pytest.mark.parametrize("seed", range(6))
def test_groups_found_again_equal_a_first_pass(
    tmp_path: Path, seed: int, indexes: list[object]
) -> None:
    site = Site(tmp_path / "posts", random.Random(seed))
    cache = tmp_path / "cache"
    first = groups_in(site.root, cache)
    assert any(len(g) > 2 for g in first)  # the site has copies to find
    assert len(indexes) == 1  # a first pass: an index
    for step in range(4):
        done = [site.change() for _ in range(site.rng.randrange(1, 4))]
        again = groups_in(site.root, cache)
        expected = groups_in(site.root, tmp_path / f"fresh-{step}")  # a first pass again
        assert again == expected, done
    assert len(indexes) == 1 + 4  # only the first passes from nothing


def test_only_the_posts_a_change_concerns_are_read(
    tmp_path: Path, fingerprinted: list[str], indexes: list[object]
) -> None:
    root = write_files(
        tmp_path / "posts",
        {
            "_posts/2021-12-08-a.md": post_file(1, story(1)),
            "_posts/2021-12-08-b.md": post_file(2, copy_of(story(1), 1)),
            "_posts/2021-12-08-c.md": post_file(3, story(2)),
        },
    )
    assert groups_in(root, tmp_path / "cache") == [
        ["_posts/2021-12-08-a.md", "_posts/2021-12-08-b.md"]
    ]
    fingerprinted.clear()
    write_files(root, {"_posts/2021-12-08-d.md": post_file(4, copy_of(story(2), 0))})
    assert groups_in(root, tmp_path / "cache") == [
        ["_posts/2021-12-08-a.md", "_posts/2021-12-08-b.md"],
        ["_posts/2021-12-08-c.md", "_posts/2021-12-08-d.md"],
    ]
    assert len(fingerprinted) == 1 and len(indexes) == 1
    # Saved for this state: the next reopen reads nothing and compares nothing.
    fingerprinted.clear()
    assert len(groups_in(root, tmp_path / "cache")) == 2
    assert fingerprinted == [] and len(indexes) == 1


def test_a_group_that_lost_its_middle_post_is_compared_again(tmp_path: Path) -> None:
    """A and C are each a copy of B but not of each other: linked only through B, they are
    no longer one story once B is gone."""
    b = story(7)
    a, c = b[: len(b) * 4 // 5], b[len(b) // 5 :]  # each 4/5 of it, sharing 3/5
    root = write_files(
        tmp_path / "posts",
        {
            "_posts/2021-12-08-a.md": post_file(1, a),
            "_posts/2021-12-08-b.md": post_file(2, b),
            "_posts/2021-12-08-c.md": post_file(3, c),
        },
    )
    fa, fb, fc = (text_fingerprint(t) for t in (a, b, c))
    assert fa and fb and fc and not fingerprint_module.similar(fa, fc)
    cache = tmp_path / "cache"
    assert groups_in(root, cache) == [THREE_COPIES]
    (root / "_posts/2021-12-08-b.md").unlink()
    assert groups_in(root, cache) == []


def test_ids_are_never_given_again(tmp_path: Path) -> None:
    """A post stored after the groups were saved must not pass for one compared for them,
    even where SQLite would give the greatest id again once its row is deleted."""
    store = FingerprintStore.open(tmp_path, tmp_path / "cache")
    try:
        store.put([("a.md", 1, 1, None, None), ("b.md", 1, 1, None, None)])
        assert store.save_groups("g1", [["a.md", "b.md"]])
        assert store.saved_state() == ([["a.md", "b.md"]], 2)
        store.forget(["b.md"])
        store.put([("c.md", 1, 1, None, None)])
        ids = {path: i for batch in store.stored_stats() for i, path, _s, _m in batch}
        assert ids == {"a.md": 1, "c.md": 3}
    finally:
        store.close()


def test_a_cancel_answers_the_groups_last_saved_and_the_next_call_finishes(
    tmp_path: Path,
) -> None:
    root, cache = a_story_and_its_copy(tmp_path)
    before = groups_in(root, cache)
    write_files(root, {"_posts/2021-12-08-c.md": post_file(3, copy_of(story(1), 0))})
    with open_folder(root, cache_dir=cache) as folder:
        folder.load()
        assert folder.duplicates(lambda: True).groups() == before
        assert folder.duplicates().groups() == [[*before[0], "_posts/2021-12-08-c.md"]]


def test_a_store_saved_before_ids_were_kept_builds_an_index_once(
    tmp_path: Path, indexes: list[object]
) -> None:
    root, cache = a_story_and_its_copy(tmp_path)
    groups_in(root, cache)
    conn = sqlite3.connect(store_path(root.resolve(), cache))
    with conn:
        conn.execute("DELETE FROM meta WHERE key = 'groups_through'")
    conn.close()
    write_files(root, {"_posts/2021-12-08-c.md": post_file(3, story(2))})
    assert len(groups_in(root, cache)) == 1
    assert len(indexes) == 2  # no saved ids to start from
    write_files(root, {"_posts/2021-12-08-d.md": post_file(4, story(3))})
    assert len(groups_in(root, cache)) == 1
    assert len(indexes) == 2  # saved with them since


def test_a_store_failing_midway_leaves_it_to_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexes: list[object]
) -> None:
    root, cache = a_third_copy_since(tmp_path)

    def failing(self: FingerprintStore) -> object:
        self._failed(sqlite3.OperationalError("disk I/O error"), "read")
        return iter(())

    monkeypatch.setattr(FingerprintStore, "stored_bands", failing)
    assert groups_in(root, cache) == [THREE_COPIES]
    assert len(indexes) == 2


def test_a_full_disk_when_the_new_fingerprints_are_stored_still_finds_the_groups(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    indexes: list[object],
    fingerprinted: list[str],
) -> None:
    """Writing comes last: a store that cannot be written (it is not read again) leaves the
    groups found, the new posts' fingerprints in memory, nothing fingerprinted twice."""
    from reader.core.storage import db

    root, cache = a_third_copy_since(tmp_path)
    fingerprinted.clear()

    def full(self: FingerprintStore, conn: sqlite3.Connection, rows: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(FingerprintStore, "_write", full)
    monkeypatch.setattr(db, "classify", lambda exc, path, doing, **kw: exc)
    assert groups_in(root, cache) == [THREE_COPIES]
    assert len(fingerprinted) == 1 and len(indexes) == 1


def test_more_new_posts_than_can_be_held_are_left_to_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexes: list[object]
) -> None:
    from reader.core.duplicates import regroup

    root, cache = a_third_copy_since(tmp_path)
    monkeypatch.setattr(regroup, "HELD_AT_MOST", 0)
    assert groups_in(root, cache) == [THREE_COPIES]
    assert len(indexes) == 2


def test_a_live_change_in_an_open_folder_is_found_without_an_index(
    tmp_path: Path, indexes: list[object]
) -> None:
    root = write_files(
        tmp_path / "posts",
        {
            "_posts/2021-12-08-a.md": post_file(1, story(1)),
            "_posts/2021-12-08-b.md": post_file(2, story(2)),
        },
    )
    cache = tmp_path / "cache"
    copies = [["_posts/2021-12-08-b.md", "_posts/2021-12-08-c.md"]]
    with open_folder(root, cache_dir=cache) as folder:
        folder.load()
        assert folder.duplicates().groups() == []
        write_files(root, {"_posts/2021-12-08-c.md": post_file(3, copy_of(story(2), 1))})
        folder.apply(folder.refresh())
        # Found, but not saved: the posts of a live refresh are at no generation of the cache.
        assert folder.duplicates().groups() == copies
    # Stored meanwhile, c is not among the posts the saved groups were found among.
    assert groups_in(root, cache) == copies
    with open_folder(root, cache_dir=cache) as folder:
        folder.load()
        (root / "_posts/2021-12-08-b.md").unlink()
        folder.apply(folder.refresh())
        assert folder.duplicates().groups() == []
    assert len(indexes) == 1

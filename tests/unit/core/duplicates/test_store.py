"""Fingerprints kept in the user cache folder: reused, refreshed, forgotten, rebuilt, or in
memory when the cache cannot be written."""

from __future__ import annotations

import gc
import logging
import os
import random
import sqlite3
import weakref
from pathlib import Path

import pytest

from reader.core import open_folder
from reader.core.duplicates.store import FingerprintStore, store_path
from reader.core.errors import StorageFull
from reader.core.paths import cache_dir
from reader.core.storage import db
from tests.benchmarks.generate import body
from tests.conftest import write_files


def story(seed: int) -> str:
    return body(random.Random(seed), 2000, f"{seed:018d}")


def post_file(minute: int, text: str) -> str:
    return f"---\ntitle: t\ndate: 2021-12-08 10:{minute:02d}:00 +0800\n---\n{text}"


def make_folder(root: Path) -> Path:
    files = {}
    for i in range(9):
        files[f"_posts/2021-12-08-p{i}.md"] = post_file(i, story(i // 3))
    files["_posts/2021-12-08-short.md"] = post_file(30, "见原文。")
    return write_files(root, files)


EXPECTED = [
    [f"_posts/2021-12-08-p{i}.md" for i in range(0, 3)],
    [f"_posts/2021-12-08-p{i}.md" for i in range(3, 6)],
    [f"_posts/2021-12-08-p{i}.md" for i in range(6, 9)],
]


def groups_of(root: Path) -> list[list[str]]:
    """The groups as a freshly opened folder finds them (as a new window would)."""
    with open_folder(root) as folder:
        folder.load()
        return folder.duplicates().groups()


def errors_read_as_a_full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SQLite error is classified as a full disk (its one-line notice is counted)."""
    monkeypatch.setattr(
        db, "classify", lambda exc, path, doing, **kw: StorageFull(doing, path, "the disk is full")
    )


def test_fingerprints_are_kept_and_reused_when_nothing_changed(
    tmp_path: Path, fingerprinted: list[str]
) -> None:
    root = make_folder(tmp_path / "posts")
    assert groups_of(root) == EXPECTED
    assert len(fingerprinted) == 10
    assert store_path(root).is_file()
    assert store_path(root).is_relative_to(cache_dir())
    assert sorted(os.listdir(root)) == ["_posts"]  # nothing written into the posts folder
    fingerprinted.clear()
    assert groups_of(root) == EXPECTED
    assert fingerprinted == []  # a warm reopen reads no post


def test_a_second_call_with_no_changes_reads_nothing(
    tmp_path: Path, fingerprinted: list[str]
) -> None:
    root = make_folder(tmp_path / "posts")
    with open_folder(root) as folder:
        folder.load()
        first = folder.duplicates()
        fingerprinted.clear()
        assert folder.duplicates() is first
        assert fingerprinted == []
        assert first.groups() == EXPECTED


def test_a_changed_file_is_fingerprinted_again(tmp_path: Path, fingerprinted: list[str]) -> None:
    root = make_folder(tmp_path / "posts")
    groups_of(root)
    changed = root / "_posts/2021-12-08-p2.md"
    changed.write_text(post_file(2, story(50)), encoding="utf-8")
    os.utime(changed, ns=(10**18, 10**18))  # a new mtime, whatever the clock's resolution
    fingerprinted.clear()
    assert groups_of(root) == [EXPECTED[0][:2], *EXPECTED[1:]]
    assert len(fingerprinted) == 1


def test_removed_posts_are_forgotten(tmp_path: Path, fingerprinted: list[str]) -> None:
    root = make_folder(tmp_path / "posts")
    groups_of(root)
    (root / "_posts/2021-12-08-p0.md").unlink()
    (root / "_posts/2021-12-08-p3.md").unlink()
    fingerprinted.clear()
    assert groups_of(root) == [EXPECTED[0][1:], EXPECTED[1][1:], EXPECTED[2]]
    assert fingerprinted == []
    kept = stored_paths(root)
    assert "_posts/2021-12-08-p0.md" not in kept and "_posts/2021-12-08-p3.md" not in kept
    assert len(kept) == 8


def test_removing_a_post_in_an_open_folder_updates_groups_and_store(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "posts")
    with open_folder(root) as folder:
        folder.load()
        assert folder.duplicates().groups() == EXPECTED
        (root / "_posts/2021-12-08-p4.md").unlink()
        folder.apply(folder.refresh())
        index = folder.duplicates()
        assert index.groups() == [
            EXPECTED[0],
            ["_posts/2021-12-08-p3.md", EXPECTED[1][2]],
            EXPECTED[2],
        ]
    assert "_posts/2021-12-08-p4.md" not in stored_paths(root)


def stored_paths(root: Path) -> set[str]:
    store = FingerprintStore.open(root)
    try:
        return {row[0] for batch in store.rows() for row in batch}
    finally:
        store.close()


def test_a_damaged_store_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_folder(tmp_path / "posts")
    groups_of(root)
    path = store_path(root)
    db.delete_database(path)
    path.write_bytes(b"this is not a database" * 1000)
    with caplog.at_level(logging.WARNING):
        assert groups_of(root) == EXPECTED
    assert "rebuilt" in caplog.text
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 10
    finally:
        conn.close()


def test_an_unwritable_cache_works_in_memory_with_the_same_groups(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_folder(tmp_path / "posts")
    # A file where the store's folder belongs: it cannot be created (tests run as root, so a
    # read-only mode would not stop them).
    store_path(root).parent.parent.mkdir(parents=True, exist_ok=True)
    store_path(root).parent.write_text("in the way")
    with caplog.at_level(logging.WARNING), open_folder(root) as folder:
        folder.load()
        index = folder.duplicates()
        assert index.groups() == EXPECTED
        assert not index.store.persistent
    assert caplog.text.count("fingerprint store") == 1


def test_a_store_that_fails_to_write_goes_on_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_folder(tmp_path / "posts")

    def full(self: FingerprintStore, conn: sqlite3.Connection, rows: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(FingerprintStore, "_write", full)
    errors_read_as_a_full_disk(monkeypatch)
    with caplog.at_level(logging.WARNING), open_folder(root) as folder:
        folder.load()
        index = folder.duplicates()
        assert index.groups() == EXPECTED
        assert not index.store.persistent
    assert caplog.text.count("the disk is full") == 1


def _index_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.duplicates.index import DuplicateIndex

    def no_index(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a duplicate index was built")

    monkeypatch.setattr(DuplicateIndex, "__init__", no_index)


def test_an_unchanged_folder_answers_from_the_saved_groups_without_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_folder(tmp_path / "posts")
    with open_folder(root) as folder:
        folder.load()
        index = folder.duplicates()
        answers = (
            index.groups(),
            [index.group(f"_posts/2021-12-08-p{i}.md") for i in range(9)],
            index.main_post("_posts/2021-12-08-p5.md"),
            index.hidden_copies(),
            index.group("_posts/2021-12-08-short.md"),
        )
    assert answers[0] == EXPECTED
    _index_forbidden(monkeypatch)
    with open_folder(root) as folder:
        folder.load()
        saved = folder.duplicates()
        assert (
            saved.groups(),
            [saved.group(f"_posts/2021-12-08-p{i}.md") for i in range(9)],
            saved.main_post("_posts/2021-12-08-p5.md"),
            saved.hidden_copies(),
            saved.group("_posts/2021-12-08-short.md"),
        ) == answers
        assert folder.duplicates(posts=list(folder.posts)) is saved  # a copy, as the window's


@pytest.fixture
def indexes_made(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[object]]:
    """The duplicate indexes made from now on (weak references: whether they were let go)."""
    from reader.core.duplicates.index import DuplicateIndex

    made: list[weakref.ref[object]] = []
    real = DuplicateIndex.__init__

    def counting(self: DuplicateIndex, *args: object, **kwargs: object) -> None:
        made.append(weakref.ref(self))
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DuplicateIndex, "__init__", counting)
    return made


def test_after_a_change_the_groups_are_found_again(
    tmp_path: Path, indexes_made: list[weakref.ref[object]]
) -> None:
    """The saved groups are those of the posts at one generation of the cache: a change made
    while the folder was closed, or while it is open, is never answered from them. They are
    found again from them (`regroup`) without an index."""
    root = make_folder(tmp_path / "posts")
    groups_of(root)
    (root / "_posts/2021-12-08-p0.md").unlink()
    indexes_made.clear()
    with open_folder(root) as folder:
        folder.load()
        assert folder.duplicates().groups() == [EXPECTED[0][1:], *EXPECTED[1:]]
    with open_folder(root) as folder:
        folder.load()
        unchanged = folder.duplicates()
        assert folder.duplicates() is unchanged  # unchanged since: the saved groups
        (root / "_posts/2021-12-08-p3.md").unlink()
        folder.apply(folder.refresh())
        changed = folder.duplicates()
        assert changed.groups() == [EXPECTED[0][1:], EXPECTED[1][1:], EXPECTED[2]]
        assert folder.duplicates() is changed  # found for this version of the posts already
    assert indexes_made == []


def test_the_index_is_let_go_once_its_groups_are_saved(
    tmp_path: Path, indexes_made: list[weakref.ref[object]]
) -> None:
    """A first load builds the index, saves its groups and answers from them from then on:
    the index's rows are not kept for a folder that does not change."""
    root = make_folder(tmp_path / "posts")
    with open_folder(root) as folder:
        folder.load()
        answer = folder.duplicates()
        assert answer.groups() == EXPECTED
        assert folder.duplicates() is answer
        gc.collect()
        assert len(indexes_made) == 1 and indexes_made[0]() is None
        assert answer.group(EXPECTED[1][2]) == EXPECTED[1]  # the groups themselves stay


@pytest.mark.parametrize("value", ["not json", '{"a": 1}', '[["only one"]]', "[[1, 2]]"])
def test_saved_groups_that_do_not_read_are_found_again(
    tmp_path: Path, value: str, indexes_made: list[weakref.ref[object]]
) -> None:
    root = make_folder(tmp_path / "posts")
    groups_of(root)
    conn = sqlite3.connect(store_path(root))
    try:
        with conn:
            assert conn.execute("UPDATE meta SET value = ? WHERE key = 'groups'", (value,)).rowcount
    finally:
        conn.close()
    with open_folder(root) as folder:
        folder.load()
        made = len(indexes_made)
        assert folder.duplicates().groups() == EXPECTED
        assert len(indexes_made) == made + 1


def test_fingerprints_made_another_way_drop_the_saved_groups(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "posts")
    groups_of(root)
    conn = sqlite3.connect(store_path(root))
    try:
        with conn:
            conn.execute("UPDATE meta SET value = 'another method' WHERE key = 'method'")
    finally:
        conn.close()
    store = FingerprintStore.open(root)
    try:
        assert store.persistent
        keys = {k for (k,) in store._conn.execute("SELECT key FROM meta")}  # type: ignore[union-attr]
        assert "groups" not in keys and "groups_generation" not in keys
    finally:
        store.close()
    assert groups_of(root) == EXPECTED


def test_groups_that_cannot_be_saved_keep_the_index(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    indexes_made: list[weakref.ref[object]],
) -> None:
    """A full disk when the groups are saved: the index answers and is kept, nothing claims
    the groups were saved, and the next reopen finds them again."""
    root = make_folder(tmp_path / "posts")

    def full(self: FingerprintStore, generation: str, groups: object) -> bool:
        def work(conn: sqlite3.Connection) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        return self._in_transaction(work)

    monkeypatch.setattr(FingerprintStore, "save_groups", full)
    errors_read_as_a_full_disk(monkeypatch)
    with caplog.at_level(logging.WARNING), open_folder(root) as folder:
        folder.load()
        index = folder.duplicates()
        assert index.groups() == EXPECTED
        assert folder.duplicates() is index and indexes_made[0]() is index
        assert not index.store.persistent  # type: ignore[attr-defined]
    assert caplog.text.count("the disk is full") == 1
    monkeypatch.undo()
    assert groups_of(root) == EXPECTED

"""Saved searches in the user data: saved, edited, renamed, reordered and deleted per folder;
kept across a restart; carried by the JSON export and merged back by an import without
duplicates; and still readable from a file written before they existed."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from reader.core import InputError, Query, SavedSearch, UserStore, open_folder
from reader.core.post import Post
from reader.core.storage import userdata_schema
from tests.conftest import SAMPLE_POSTS

ROOT = Path("/nowhere/site")
A = Post("_posts/a.md", "A", None)


def _store(path: Path) -> tuple[UserStore, int]:
    store = UserStore.open(path)
    return store, store.folder_key(ROOT, [A])


def test_saved_edited_renamed_reordered_deleted_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "u.sqlite3"
    store, fid = _store(db)
    store.save_search(fid, SavedSearch("监管", text="监管", categories=("news",)))
    store.save_search(fid, SavedSearch("2023", since=date(2023, 1, 1), until=date(2023, 12, 31)))
    store.save_search(fid, SavedSearch("unread tech", tags=("tech",), unread=True))
    with pytest.raises(InputError):
        store.save_search(fid, SavedSearch("2023", text="x"), replaces="监管")  # name taken
    store.save_search(fid, SavedSearch("市场监管", text="市场监管"), replaces="监管")  # rename+edit
    store.move_search(fid, "unread tech", 0)
    assert store.delete_search(fid, "2023") and not store.delete_search(fid, "2023")
    store.close()
    store, fid = _store(db)  # a restart
    saved = store.saved_searches(fid)
    assert [s.name for s in saved] == ["unread tech", "市场监管"]
    assert saved[0] == SavedSearch("unread tech", tags=("tech",), unread=True)
    assert saved[1].text == "市场监管" and saved[1].categories == ()
    other = store.folder_key(Path("/elsewhere"), [A])
    assert store.saved_searches(other) == []  # per folder
    store.close()


def test_export_and_import_carry_them_without_duplicates(tmp_path: Path) -> None:
    store, fid = _store(tmp_path / "one.sqlite3")
    store.save_search(fid, SavedSearch("a", text="上海", since=date(2022, 5, 1)))
    store.save_search(fid, SavedSearch("b", tags=("t",)))
    exported = store.export_bookmarks(fid, [A], "json")
    assert [s["name"] for s in json.loads(exported)["saved_searches"]] == ["a", "b"]
    other, ofid = _store(tmp_path / "two.sqlite3")
    other.save_search(ofid, SavedSearch("b", text="kept as it was"))
    result = other.import_bookmarks(ofid, exported, [A])
    assert result.searches == 1  # "a" is new, "b" existed
    assert [(s.name, s.text) for s in other.saved_searches(ofid)] == [
        ("b", "kept as it was"),
        ("a", "上海"),
    ]
    assert other.saved_searches(ofid)[1].since == date(2022, 5, 1)
    again = other.import_bookmarks(ofid, exported, [A])
    assert again.searches == 0 and len(other.saved_searches(ofid)) == 2
    store.close()
    other.close()


def test_a_file_from_before_saved_searches_is_upgraded_or_read_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    store, fid = _store(db)
    store.add_bookmark(fid, A, note="kept")
    store.close()
    conn = sqlite3.connect(db)  # make it a version-1 file, as an older Post Reader left it
    conn.execute("DROP TABLE saved_searches")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store, fid = _store(db)
    assert store.saved_searches(fid) == [] and store.bookmarks(fid)[0].note == "kept"
    store.save_search(fid, SavedSearch("new"))
    assert [s.name for s in store.saved_searches(fid)] == ["new"]
    assert len(userdata_schema.MIGRATIONS) == 2
    store.close()


def test_from_json_is_lenient_and_keeps_unknown_keys() -> None:
    s = SavedSearch.from_json(
        {"name": " x ", "text": 3, "tags": ["a", 1], "since": "nope", "year": 2021, "future": 1}
    )
    assert (s.name, s.text, s.tags, s.since, s.year) == ("x", "", ("a",), None, 2021)
    assert s.to_json()["future"] == 1
    with pytest.raises(InputError):
        SavedSearch.from_json({"text": "no name"})


def test_the_folder_answers_a_saved_search_like_the_same_search(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "u.sqlite3")
    with open_folder(SAMPLE_POSTS, cache_dir=tmp_path / "cache", store=store) as folder:
        folder.load()
        folder.update_index()
        saved = SavedSearch("上海 in 生活", text="上海", categories=("生活",))
        folder.marks.save_search(saved)
        direct = folder.query(folder.search("上海", Query(categories=("生活",))).query)
        assert direct and folder.query(folder.saved_query(saved)) == direct
        total, unread = folder.saved_counts(saved)
        assert (total, unread) == (len(direct), len(direct))
        folder.marks.set_read(direct[:1])
        assert folder.saved_counts(saved) == (len(direct), len(direct) - 1)
        unread_only = SavedSearch("unread", text="上海", unread=True)
        assert direct[0] not in folder.query(folder.saved_query(unread_only))
    store.close()

"""The user store: bookmarks, read marks, positions; schema versions, WAL, immediate commits,
folder identity across moves and renames, export/import, and damaged databases."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.core.library import Library
from reader.core.paths import data_dir
from reader.core.post import Post
from reader.core.storage import db, userdata_schema
from reader.core.storage import userdata as store_mod
from reader.core.storage.userdata import ImportFileError, StoreError, UserStore
from tests.conftest import load_folder, write_files

MARKET = "_posts/2021-12-08-market.md"
SECOND = "_posts/2022-01-02-second.md"
THIRD = "_posts/2022-03-04-third.md"
FOURTH = "_posts/2023-05-06-fourth.md"
POSTS: dict[str, str | bytes] = {
    "_config.yml": "timezone: Asia/Shanghai\n",
    MARKET: "---\ntitle: 市场监管新闻\ndate: 2021-12-08 12:45:50 +0800\n"
    "categories: 新闻\ntags: 中文 监管\n---\n正文\n",
    SECOND: "---\ntitle: Second <post> & [more]\ncategories: [notes]\ntags: [a, b]\n---\nbody\n",
    THIRD: "---\ntitle: Third *one*\n---\nbody\n",
    FOURTH: "---\ntitle: Fourth\n---\nbody\n",
}
DAMAGED_NAME = re.compile(r"^userdata\.sqlite3\.damaged-\d{8}-\d{6}(-\d+)?$")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", POSTS)


@pytest.fixture
def store() -> Iterator[UserStore]:
    s = UserStore.open()
    yield s
    s.close()


def _folder(store: UserStore, root: Path) -> tuple[Library, int]:
    library = load_folder(root)
    return library, store.folder_key(library.root, library.posts)


def _raw(store: UserStore) -> sqlite3.Connection:
    """A second, independent connection: sees only what has been committed."""
    return sqlite3.connect(store.path)


def _post(lib: Library, path: str) -> Post:
    post = lib.post_at(path)
    assert post is not None
    return post


# --- the file, schema and settings ----------------------------------------------------------


def test_default_database_is_in_the_user_data_dir(store: UserStore) -> None:
    assert os.environ["POST_READER_DATA_DIR"]
    assert store.path == data_dir() / "userdata.sqlite3"
    assert store.path.parent == Path(os.environ["POST_READER_DATA_DIR"])
    assert store.path.is_file() and store.persistent and store.message is None


def test_version_0_database_is_migrated_and_keeps_other_content(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE unrelated (x)")
        conn.execute("INSERT INTO unrelated VALUES (42)")
        assert conn.execute("PRAGMA user_version").fetchone() == (0,)
    conn.close()
    UserStore.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (len(store_mod.MIGRATIONS),)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"folders", "bookmarks", "read_state", "positions", "unrelated"} <= tables
    assert conn.execute("SELECT x FROM unrelated").fetchall() == [(42,)]


def test_each_migration_step_runs_once_in_order(
    store: UserStore, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, fid = _folder(store, site)
    store.add_bookmark(fid, _post(lib, MARKET), note="keep me")
    store.close()
    ran: list[int] = []

    def step_1_to_2(conn: sqlite3.Connection) -> None:
        ran.append(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute("ALTER TABLE bookmarks ADD COLUMN colour TEXT NOT NULL DEFAULT 'red'")

    released = len(userdata_schema.MIGRATIONS)
    monkeypatch.setattr(userdata_schema, "MIGRATIONS", [*userdata_schema.MIGRATIONS, step_1_to_2])
    for _ in range(2):
        reopened = UserStore.open(store.path)
        assert reopened.persistent
        assert [b.note for b in reopened.bookmarks(fid)] == ["keep me"]
        reopened.close()
    assert ran == [released]
    conn = _raw(store)
    assert conn.execute("PRAGMA user_version").fetchone() == (released + 1,)
    assert conn.execute("SELECT colour FROM bookmarks").fetchall() == [("red",)]


def test_a_failing_migration_step_changes_nothing(
    store: UserStore, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, fid = _folder(store, site)
    store.add_bookmark(fid, _post(lib, MARKET), note="keep me")
    store.close()
    before = store.path.read_bytes()
    released = len(userdata_schema.MIGRATIONS)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        if conn.execute("PRAGMA database_list").fetchone()[2]:  # the file, not the memory fallback
            raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(userdata_schema, "MIGRATIONS", [*userdata_schema.MIGRATIONS, broken])
    reopened = UserStore.open(store.path)
    # The file is read as it is: everything saved stays readable, changes are refused.
    assert not reopened.writable and reopened.message
    assert [b.note for b in reopened.bookmarks(fid)] == ["keep me"]
    reopened.close()
    conn = _raw(store)
    assert conn.execute("PRAGMA user_version").fetchone() == (released,)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall() == []
    assert store.path.read_bytes() == before


def test_a_newer_schema_is_left_untouched(store: UserStore, site: Path) -> None:
    store.close()
    with sqlite3.connect(store.path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = store.path.read_bytes()
    newer = UserStore.open(store.path)
    assert not newer.persistent and newer.recovered_from is None
    assert newer.message and "cannot be saved" in newer.message
    lib, fid = _folder(newer, site)  # still usable, in memory
    assert newer.add_bookmark(fid, _post(lib, MARKET))
    newer.close()
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.path.parent.iterdir() if "damaged" in p.name) == []


def test_wal_and_full_sync(store: UserStore) -> None:
    assert _raw(store).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store._conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_every_action_is_committed_when_it_happens(store: UserStore, site: Path) -> None:
    lib, fid = _folder(store, site)
    raw = _raw(store)

    def one(sql: str) -> object:
        row = raw.execute(sql).fetchone()
        return row[0] if row else None

    assert one("SELECT count(*) FROM folders") == 1
    store.add_bookmark(fid, _post(lib, MARKET), note="n1")
    assert one("SELECT note FROM bookmarks") == "n1"
    store.set_note(fid, MARKET, "n2")
    assert one("SELECT note FROM bookmarks") == "n2"
    store.toggle_bookmark(fid, _post(lib, SECOND))
    assert one("SELECT count(*) FROM bookmarks") == 2
    store.remove_bookmark(fid, MARKET)
    assert one("SELECT path FROM bookmarks") == SECOND
    store.set_read(fid, lib.posts)
    assert one("SELECT count(*) FROM read_state") == 4
    store.toggle_read(fid, _post(lib, THIRD))
    assert one("SELECT count(*) FROM read_state") == 3
    store.set_position(fid, THIRD, 0.25)
    assert one("SELECT fraction FROM positions") == 0.25
    store.set_last_opened(fid, THIRD)
    assert one("SELECT last_opened FROM folders") == THIRD
    assert not store._conn.in_transaction


# --- bookmarks, read marks, positions -------------------------------------------------------


def test_bookmarks_toggle_and_list_newest_first(store: UserStore, site: Path) -> None:
    lib, fid = _folder(store, site)
    assert store.bookmarks(fid) == [] and store.bookmarked_paths(fid) == set()
    for path in (MARKET, SECOND, THIRD):
        assert store.toggle_bookmark(fid, _post(lib, path)) is True
    assert [b.path for b in store.bookmarks(fid)] == [THIRD, SECOND, MARKET]
    assert len(store.bookmarks(fid)) == 3
    assert store.toggle_bookmark(fid, _post(lib, SECOND)) is False
    assert store.bookmarked_paths(fid) == {MARKET, THIRD}
    assert store.is_bookmarked(fid, MARKET) and not store.is_bookmarked(fid, SECOND)
    assert store.add_bookmark(fid, _post(lib, MARKET)) is False  # no duplicate
    assert store.remove_bookmark(fid, MARKET) is True
    assert store.remove_bookmark(fid, MARKET) is False
    b = store.bookmarks(fid)[0]
    post = _post(lib, THIRD)
    assert (b.path, b.title, b.note) == (THIRD, "Third *one*", "")
    assert post.date is not None and b.date == post.date.isoformat()
    assert b.created_at.tzinfo is not None
    assert abs((datetime.now(UTC) - b.created_at).total_seconds()) < 60


def test_notes(store: UserStore, site: Path) -> None:
    lib, fid = _folder(store, site)
    store.add_bookmark(fid, _post(lib, MARKET), note="  first  ")
    assert store.bookmarks(fid)[0].note == "first"
    store.add_bookmark(fid, _post(lib, MARKET))  # no note given: keeps the old one
    assert store.bookmarks(fid)[0].note == "first"
    store.add_bookmark(fid, _post(lib, MARKET), note="second")
    assert store.bookmarks(fid)[0].note == "second"
    assert store.set_note(fid, MARKET, "第三 note")
    assert store.bookmarks(fid)[0].note == "第三 note"
    assert store.set_note(fid, SECOND, "x") is False  # not bookmarked
    with pytest.raises(ValueError, match="at most"):
        store.set_note(fid, MARKET, "x" * (store_mod.NOTE_MAX + 1))
    assert store.bookmarks(fid)[0].note == "第三 note"


def test_read_state(store: UserStore, site: Path) -> None:
    lib, fid = _folder(store, site)
    all_paths = [p.path for p in lib.posts]
    assert store.unread_count(fid, all_paths) == 4 and store.read_paths(fid) == set()
    assert store.toggle_read(fid, _post(lib, MARKET)) is True
    assert store.is_read(fid, MARKET) and store.unread_count(fid, all_paths) == 3
    assert store.set_read(fid, lib.posts) == 3  # one transaction, only the changes counted
    assert store.read_paths(fid) == set(all_paths) and store.unread_count(fid, all_paths) == 0
    assert store.set_read(fid, [_post(lib, SECOND), _post(lib, THIRD)], read=False) == 2
    assert store.read_paths(fid) == {MARKET, FOURTH}
    assert store.toggle_read(fid, _post(lib, MARKET)) is False
    assert store.set_read(fid, []) == 0


def test_positions_and_last_opened(store: UserStore, site: Path) -> None:
    _lib, fid = _folder(store, site)
    assert store.position(fid, MARKET) == 0.0 and store.last_opened(fid) is None
    store.set_position(fid, MARKET, 0.42)
    store.set_position(fid, SECOND, 1.5)
    store.set_position(fid, THIRD, -0.1)
    assert (store.position(fid, MARKET), store.position(fid, SECOND)) == (0.42, 1.0)
    assert store.position(fid, THIRD) == 0.0
    store.set_position(fid, MARKET, 0.9)
    assert store.position(fid, MARKET) == 0.9
    with pytest.raises(ValueError):
        store.set_position(fid, MARKET, float("nan"))
    store.set_last_opened(fid, SECOND)
    assert store.last_opened(fid) == SECOND
    reopened = UserStore.open()
    assert reopened.position(fid, MARKET) == 0.9 and reopened.last_opened(fid) == SECOND
    reopened.close()


def test_two_folders_are_kept_apart(store: UserStore, site: Path, tmp_path: Path) -> None:
    other = write_files(tmp_path / "other", {"_posts/2020-01-01-x.md": "---\ntitle: X\n---\n"})
    _lib, fid = _folder(store, site)
    lib2, fid2 = _folder(store, other)
    assert fid != fid2
    store.add_bookmark(fid2, lib2.posts[0])
    assert store.bookmarked_paths(fid) == set()
    assert _folder(store, site)[1] == fid  # same path, same folder


# --- folder identity ------------------------------------------------------------------------


def _mark_some(store: UserStore, lib: Library, fid: int) -> None:
    store.add_bookmark(fid, _post(lib, MARKET), note="moved with me")
    store.add_bookmark(fid, _post(lib, SECOND))
    store.set_read(fid, [_post(lib, THIRD)])
    store.set_position(fid, THIRD, 0.5)
    store.set_last_opened(fid, THIRD)


def test_moving_the_folder_keeps_everything(store: UserStore, site: Path, tmp_path: Path) -> None:
    lib, fid = _folder(store, site)
    _mark_some(store, lib, fid)
    moved = tmp_path / "elsewhere" / "renamed-site"
    moved.parent.mkdir()
    site.rename(moved)
    lib2, fid2 = _folder(store, moved)
    assert fid2 == fid
    assert store.bookmarked_paths(fid) == {MARKET, SECOND}
    assert store.bookmarks(fid)[1].note == "moved with me"
    assert store.read_paths(fid) == {THIRD} and store.position(fid, THIRD) == 0.5
    assert store.last_opened(fid) == THIRD
    path = _raw(store).execute("SELECT path FROM folders WHERE id = ?", (fid,)).fetchone()[0]
    assert path == str(lib2.root)


def test_an_emptied_old_path_counts_as_moved(store: UserStore, site: Path, tmp_path: Path) -> None:
    lib, fid = _folder(store, site)
    _mark_some(store, lib, fid)
    moved = tmp_path / "moved"
    site.rename(moved)
    site.mkdir()  # e.g. an unmounted drive's mount point
    assert _folder(store, moved)[1] == fid


def test_a_copy_is_a_new_folder(store: UserStore, site: Path, tmp_path: Path) -> None:
    lib, fid = _folder(store, site)
    _mark_some(store, lib, fid)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    _lib2, fid2 = _folder(store, copy)
    assert fid2 != fid and store.bookmarked_paths(fid2) == set()
    assert store.bookmarked_paths(fid) == {MARKET, SECOND}


def test_an_unrelated_folder_does_not_adopt_a_vanished_one(
    store: UserStore, site: Path, tmp_path: Path
) -> None:
    lib, fid = _folder(store, site)
    _mark_some(store, lib, fid)  # data for MARKET, SECOND, THIRD
    shutil.rmtree(site)
    # Only one of the three paths exists here: below half, so not the same folder.
    other = write_files(tmp_path / "other", {MARKET: POSTS[MARKET], "_posts/2020-01-01-z.md": ""})
    _lib2, fid2 = _folder(store, other)
    assert fid2 != fid and store.bookmarked_paths(fid2) == set()


def test_half_of_the_paths_is_enough_to_adopt(store: UserStore, site: Path, tmp_path: Path) -> None:
    lib, fid = _folder(store, site)
    store.add_bookmark(fid, _post(lib, MARKET))
    store.add_bookmark(fid, _post(lib, SECOND))
    shutil.rmtree(site)
    other = write_files(tmp_path / "other", {MARKET: POSTS[MARKET]})
    assert _folder(store, other)[1] == fid


def test_a_folder_with_no_marks_is_never_adopted(
    store: UserStore, site: Path, tmp_path: Path
) -> None:
    _lib, fid = _folder(store, site)
    moved = tmp_path / "moved"
    site.rename(moved)
    assert _folder(store, moved)[1] != fid  # no evidence at all: at least one path must match


# --- renamed files --------------------------------------------------------------------------


def test_a_renamed_file_keeps_its_bookmark_read_mark_and_position(
    store: UserStore, site: Path
) -> None:
    lib, fid = _folder(store, site)
    _mark_some(store, lib, fid)
    store.add_bookmark(fid, _post(lib, THIRD))
    created = {b.path: b.created_at for b in store.bookmarks(fid)}
    (site / MARKET).rename(site / "_posts/2021-12-08-market-news.md")
    (site / THIRD).rename(site / "_posts/2022-03-04-third-renamed.md")
    lib2, fid2 = _folder(store, site)  # folder_key reconciles
    assert fid2 == fid
    assert store.bookmarked_paths(fid) == {
        "_posts/2021-12-08-market-news.md",
        SECOND,
        "_posts/2022-03-04-third-renamed.md",
    }
    by_path = {b.path: b for b in store.bookmarks(fid)}
    assert by_path["_posts/2021-12-08-market-news.md"].note == "moved with me"
    assert by_path["_posts/2021-12-08-market-news.md"].created_at == created[MARKET]
    assert store.read_paths(fid) == {"_posts/2022-03-04-third-renamed.md"}
    assert store.position(fid, "_posts/2022-03-04-third-renamed.md") == 0.5
    assert store.last_opened(fid) == "_posts/2022-03-04-third-renamed.md"
    assert store.reconcile(fid, lib2.posts) == 0  # nothing left to do


def test_a_rename_that_changes_the_date_or_is_ambiguous_is_not_guessed(
    store: UserStore, site: Path
) -> None:
    lib, fid = _folder(store, site)
    store.add_bookmark(fid, _post(lib, THIRD))
    store.add_bookmark(fid, _post(lib, FOURTH))
    # THIRD's date comes from its file name: a new name with a new date is another post.
    (site / THIRD).rename(site / "_posts/2024-01-01-third.md")
    # FOURTH becomes two posts with its title and date: which one is meant cannot be told.
    (site / FOURTH).rename(site / "_posts/2023-05-06-fourth-a.md")
    shutil.copy(site / "_posts/2023-05-06-fourth-a.md", site / "_posts/2023-05-06-fourth-b.md")
    _folder(store, site)
    # Never dropped: the bookmarks wait under their old paths (listed as missing by the CLI).
    assert store.bookmarked_paths(fid) == {THIRD, FOURTH}


def test_an_edited_title_is_refreshed_so_a_later_rename_still_matches(
    store: UserStore, site: Path
) -> None:
    lib, fid = _folder(store, site)
    store.add_bookmark(fid, _post(lib, THIRD))
    (site / THIRD).write_text("---\ntitle: Third, edited\n---\nbody\n", encoding="utf-8")
    _folder(store, site)
    assert store.bookmarks(fid)[0].title == "Third, edited"
    (site / THIRD).rename(site / "_posts/2022-03-04-third-edited.md")
    _folder(store, site)
    assert store.bookmarked_paths(fid) == {"_posts/2022-03-04-third-edited.md"}


# --- the posts folder is never written ------------------------------------------------------


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames, "."]:
            p = Path(dirpath, name)
            st = p.stat()
            out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return out


def test_a_read_only_posts_folder_works_and_is_never_written(
    store: UserStore, site: Path, tmp_path: Path
) -> None:
    modes = {}
    for p in [site, *site.rglob("*")]:
        modes[p] = p.stat().st_mode
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        before = _snapshot(site)
        lib, fid = _folder(store, site)
        _mark_some(store, lib, fid)
        store.toggle_bookmark(fid, _post(lib, FOURTH))
        store.set_read(fid, lib.posts)
        store.set_note(fid, MARKET, "read-only is fine")
        exported = store.export_bookmarks(fid, lib, "json")
        store.remove_bookmark(fid, MARKET)
        assert store.import_bookmarks(fid, exported, lib.posts).added == 1
        store.reconcile(fid, lib.posts)
        assert _snapshot(site) == before
        assert not store.path.is_relative_to(site)
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


# --- export and import ----------------------------------------------------------------------


@pytest.fixture
def marked(store: UserStore, site: Path) -> tuple[Library, int]:
    lib, fid = _folder(store, site)
    store.add_bookmark(fid, _post(lib, MARKET), note="监管 <note> & *stars*")
    store.add_bookmark(fid, _post(lib, SECOND), note="")
    return lib, fid


def test_export_json_has_every_field(store: UserStore, marked: tuple[Library, int]) -> None:
    lib, fid = marked
    doc = json.loads(store.export_bookmarks(fid, lib, "json"))
    assert doc["folder"] == str(lib.root)
    entries = doc["bookmarks"]
    assert [e["path"] for e in entries] == [SECOND, MARKET]  # newest first
    keys = {"title", "date", "categories", "tags", "path", "note", "bookmarked_at"}
    assert all(set(e) == keys for e in entries)
    market = entries[1]
    assert market["title"] == "市场监管新闻"
    assert market["date"] == "2021-12-08T12:45:50+08:00"
    assert market["categories"] == ["新闻"] and market["tags"] == ["中文", "监管"]
    assert market["note"] == "监管 <note> & *stars*"
    assert datetime.fromisoformat(market["bookmarked_at"]) == store.bookmarks(fid)[1].created_at
    assert entries[0]["categories"] == ["notes"] and entries[0]["tags"] == ["a", "b"]


def test_export_markdown_has_every_field_escaped(
    store: UserStore, marked: tuple[Library, int]
) -> None:
    lib, fid = marked
    md = store.export_bookmarks(fid, lib, "md")
    b = store.bookmarks(fid)
    assert "## [市场监管新闻](<" + (lib.root / MARKET).as_uri() + ">)" in md
    assert r"Second <post> & \[more\]".replace("<", "\\<").replace(">", "\\>") in md
    for text in ("2021-12-08T12:45:50+08:00", "Categories: 新闻", "Tags: 中文, 监管"):
        assert text in md
    assert r"Path: \_posts/2021-12-08-market.md" in md
    assert r"Note: 监管 \<note\> & \*stars\*" in md
    assert f"Bookmarked: {b[1].created_at.isoformat()}" in md
    assert md.index("Second") < md.index("市场监管新闻")  # newest first
    assert "2 bookmarks" in md


def test_export_html_has_every_field_escaped(store: UserStore, marked: tuple[Library, int]) -> None:
    lib, fid = marked
    page = store.export_bookmarks(fid, lib, "html")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "Second &lt;post&gt; &amp; [more]" in page and "<post>" not in page
    assert "监管 &lt;note&gt; &amp; *stars*" in page
    assert f'href="{(lib.root / MARKET).as_uri()}"' in page
    for text in ("2021-12-08T12:45:50+08:00", "新闻", "中文, 监管", MARKET):
        assert text in page
    assert store.bookmarks(fid)[1].created_at.isoformat() in page


def test_export_of_a_bookmark_whose_file_is_gone(
    store: UserStore, marked: tuple[Library, int], site: Path
) -> None:
    _lib, fid = marked
    (site / MARKET).unlink()
    lib2, _ = _folder(store, site)
    assert "(file missing)" in store.export_bookmarks(fid, lib2, "md")
    entry = json.loads(store.export_bookmarks(fid, lib2, "json"))["bookmarks"][1]
    assert (entry["title"], entry["path"], entry["categories"]) == ("市场监管新闻", MARKET, [])
    with pytest.raises(ValueError):
        store.export_bookmarks(fid, lib2, "pdf")  # type: ignore[arg-type]


def test_import_merges_without_duplicates(store: UserStore, marked: tuple[Library, int]) -> None:
    lib, fid = marked
    store.add_bookmark(fid, _post(lib, THIRD), note="third's note")
    exported = store.export_bookmarks(fid, lib, "json")
    before = {b.path: b for b in store.bookmarks(fid)}
    store.remove_bookmark(fid, MARKET)
    store.set_note(fid, THIRD, "")
    store.add_bookmark(fid, _post(lib, FOURTH), note="only here")

    result = store.import_bookmarks(fid, exported, lib.posts)
    assert (result.added, result.already, result.unmatched) == (1, 2, ())
    after = {b.path: b for b in store.bookmarks(fid)}
    assert set(after) == {MARKET, SECOND, THIRD, FOURTH}
    assert after[MARKET] == before[MARKET]  # note and bookmarked-at come back as exported
    assert after[THIRD].note == "third's note"  # an empty note is filled in
    assert after[FOURTH].note == "only here"
    assert _raw(store).execute("SELECT count(*) FROM bookmarks").fetchone() == (4,)
    again = store.import_bookmarks(fid, exported, lib.posts)
    assert (again.added, again.already) == (0, 3)
    assert _raw(store).execute("SELECT count(*) FROM bookmarks").fetchone() == (4,)


def test_import_finds_renamed_posts_and_reports_unknown_ones(
    store: UserStore, marked: tuple[Library, int], site: Path, tmp_path: Path
) -> None:
    lib, fid = marked
    doc = json.loads(store.export_bookmarks(fid, lib, "json"))
    doc["bookmarks"].append({"title": "Not here", "path": "_posts/2000-01-01-gone.md"})
    doc["bookmarks"].append("not an object")
    # Into another user data folder, with one file renamed meanwhile.
    os.environ["POST_READER_DATA_DIR"] = str(tmp_path / "other-data")
    (site / MARKET).rename(site / "_posts/2021-12-08-renamed.md")
    other = UserStore.open()
    lib2, fid2 = _folder(other, site)
    result = other.import_bookmarks(fid2, json.dumps(doc), lib2.posts)
    assert (result.added, result.already, result.unmatched) == (2, 0, ("Not here",))
    got = {b.path: b.note for b in other.bookmarks(fid2)}
    assert got == {"_posts/2021-12-08-renamed.md": "监管 <note> & *stars*", SECOND: ""}
    other.close()


@pytest.mark.parametrize("text", ["", "{not json", '{"bookmarks": 3}', '"just a string"'])
def test_import_rejects_what_is_not_an_export(
    store: UserStore, marked: tuple[Library, int], text: str
) -> None:
    lib, fid = marked
    with pytest.raises(ImportFileError):
        store.import_bookmarks(fid, text, lib.posts)
    assert len(store.bookmarks(fid)) == 2


# --- damaged databases ----------------------------------------------------------------------


def _aside(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".damaged-" in p.name)


def _check_recovered(store: UserStore, site: Path) -> Path:
    assert store.persistent
    moved = store.recovered_from
    assert moved is not None and moved.exists() and moved.parent == store.path.parent
    assert DAMAGED_NAME.match(moved.name), moved.name
    assert store.message and str(moved) in store.message
    lib, fid = _folder(store, site)  # the fresh database works
    store.add_bookmark(fid, _post(lib, MARKET))
    assert _raw(store).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _raw(store).execute("SELECT path FROM bookmarks").fetchall() == [(MARKET,)]
    return moved


def test_a_file_of_garbage_is_moved_aside(site: Path) -> None:
    path = data_dir() / "userdata.sqlite3"
    path.parent.mkdir(parents=True)
    garbage = random.Random(7).randbytes(20_000)
    path.write_bytes(garbage)
    Path(f"{path}-wal").write_bytes(b"wal bytes")
    Path(f"{path}-shm").write_bytes(b"shm bytes")
    store = UserStore.open()
    moved = _check_recovered(store, site)
    assert moved.read_bytes() == garbage  # kept byte for byte
    assert Path(f"{moved}-wal").read_bytes() == b"wal bytes"
    assert Path(f"{moved}-shm").exists()  # only an index SQLite rebuilds from the WAL
    store.close()


def test_a_truncated_database_is_moved_aside(site: Path) -> None:
    first = UserStore.open()
    _lib, fid = _folder(first, site)
    for i in range(300):
        first.add_bookmark(fid, Post(f"_posts/p{i}.md", f"title {i}", None), note="x" * 100)
    first.close()  # the last connection checkpoints the WAL into the file
    path = first.path
    assert not Path(f"{path}-wal").exists()
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)
    truncated = path.read_bytes()
    store = UserStore.open()
    moved = _check_recovered(store, site)
    assert moved.read_bytes() == truncated
    store.close()


def test_a_folder_in_place_of_the_database_is_moved_aside(site: Path) -> None:
    path = data_dir() / "userdata.sqlite3"
    (path / "inside").mkdir(parents=True)
    store = UserStore.open()
    assert store.recovered_from is not None and (store.recovered_from / "inside").is_dir()
    _check_recovered(store, site)
    store.close()


def test_repeated_damage_never_overwrites_an_earlier_copy(site: Path) -> None:
    path = data_dir() / "userdata.sqlite3"
    path.parent.mkdir(parents=True)
    for n in range(3):
        path.write_bytes(b"garbage %d" % n * 100)
        UserStore.open().close()
    kept = _aside(path.parent)
    assert len(kept) == 3
    assert sorted(p.read_bytes()[:9] for p in kept) == [b"garbage 0", b"garbage 1", b"garbage 2"]


def test_damage_found_mid_session_is_moved_aside_and_ids_stay_valid(
    store: UserStore, site: Path
) -> None:
    lib, fid = _folder(store, site)
    store.add_bookmark(fid, _post(lib, MARKET))

    class Failing:
        """Passes calls through, but its first statement finds the file malformed."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn, self.failed = conn, False

        def __getattr__(self, name: str) -> object:
            return getattr(self.conn, name)

        def execute(self, *args: object) -> object:
            if not self.failed:
                self.failed = True
                exc = sqlite3.DatabaseError("database disk image is malformed")
                exc.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
                raise exc
            return self.conn.execute(*args)  # type: ignore[arg-type]

    store._conn = Failing(store._conn)  # type: ignore[assignment]
    assert store.add_bookmark(fid, _post(lib, SECOND))  # retried on the fresh database
    assert store.recovered_from is not None and DAMAGED_NAME.match(store.recovered_from.name)
    assert store.message and str(store.recovered_from) in store.message
    assert store.bookmarked_paths(fid) == {SECOND}
    kept = sqlite3.connect(store.recovered_from)
    assert kept.execute("SELECT path FROM bookmarks").fetchall() == [(MARKET,)]


def test_a_data_folder_that_cannot_exist_gives_a_working_memory_store(
    tmp_path: Path, site: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = UserStore.open(blocker / "data" / "userdata.sqlite3")
    assert not store.persistent and store.recovered_from is None
    assert store.message and "cannot be saved" in store.message
    lib, fid = _folder(store, site)
    assert store.toggle_bookmark(fid, _post(lib, MARKET))
    assert store.bookmarked_paths(fid) == {MARKET}
    assert blocker.read_text() == "not a folder"


def test_errors_in_actions_are_store_errors(store: UserStore, site: Path) -> None:
    lib, _fid = _folder(store, site)
    with pytest.raises(StoreError):
        store.add_bookmark(12345, _post(lib, MARKET))  # no such folder: foreign key


class _BusyThenFree:
    """A connection whose switch to WAL finds the file busy `busy` times, as when another window
    is switching the same new database at that moment (SQLite then skips its busy handler)."""

    def __init__(self, busy: int, code: int = sqlite3.SQLITE_BUSY) -> None:
        self.busy, self.code, self.calls = busy, code, 0

    def execute(self, sql: str) -> sqlite3.Cursor:
        assert sql == "PRAGMA journal_mode = WAL"
        self.calls += 1
        if self.calls <= self.busy:
            exc = sqlite3.OperationalError("database is locked")
            exc.sqlite_errorcode = self.code  # type: ignore[attr-defined]
            raise exc
        return sqlite3.connect(":memory:").execute("SELECT 'wal'")


def test_switching_to_wal_waits_while_another_window_switches() -> None:
    conn = _BusyThenFree(busy=3)
    assert db.journal_mode_wal(conn) == "wal"  # type: ignore[arg-type]
    assert conn.calls == 4


def test_switching_to_wal_gives_up_after_the_busy_timeout() -> None:
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        db.journal_mode_wal(_BusyThenFree(busy=10**6), busy_timeout=0.1)  # type: ignore[arg-type]


def test_switching_to_wal_does_not_retry_other_errors() -> None:
    conn = _BusyThenFree(busy=1, code=sqlite3.SQLITE_IOERR)
    with pytest.raises(sqlite3.OperationalError):
        db.journal_mode_wal(conn)  # type: ignore[arg-type]
    assert conn.calls == 1

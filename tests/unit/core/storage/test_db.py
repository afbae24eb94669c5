"""The one SQLite helper: schema steps and application ids, the per-folder file name, and which
SQLite errors are damage and which are the environment."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from reader.core.errors import DamagedFile, StorageError, StorageFull, StorageLocked
from reader.core.search.index import index_path
from reader.core.storage import db
from reader.core.storage.cache import database_path
from reader.core.storage.userdata import UserStore


def _schema(*steps: db.Step, disposable: bool = False) -> db.Schema:
    return db.Schema(
        name="test data",
        application_id=0x54455354,
        steps=steps,
        tables=frozenset({"t"}),
        disposable=disposable,
    )


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE t (x)")


def _add_column(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE t ADD COLUMN y DEFAULT 7")


def _error(code: int, text: str = "x") -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


def test_a_new_file_gets_every_step_its_version_and_application_id(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    conn = db.open_database(path, _schema(_create, _add_column))
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.user_version(conn) == 2
    assert conn.execute("PRAGMA application_id").fetchone() == (0x54455354,)
    conn.execute("INSERT INTO t (x) VALUES (1)")
    assert conn.execute("SELECT y FROM t").fetchall() == [(7,)]
    conn.close()


def test_an_older_file_runs_only_the_missing_steps(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    db.open_database(path, _schema(_create)).close()
    ran: list[int] = []

    def step(conn: sqlite3.Connection) -> None:
        ran.append(db.user_version(conn))
        _add_column(conn)

    db.open_database(path, _schema(_create, step)).close()
    db.open_database(path, _schema(_create, step)).close()
    assert ran == [1]


def test_a_disposable_file_of_another_version_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    db.open_database(path, _schema(_create, disposable=True)).close()
    with pytest.raises(db.SchemaMismatch) as older:
        db.open_database(path, _schema(_create, _add_column, disposable=True))
    assert not older.value.newer
    with pytest.raises(db.SchemaMismatch) as newer:
        db.open_database(path, db.Schema("x", 0x54455354, (), frozenset(), disposable=True))
    assert newer.value.newer


def test_a_disposable_file_from_a_kept_version_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    conn = db.open_database(path, _schema(_create, disposable=True))
    conn.execute("INSERT INTO t (x) VALUES (1)")
    conn.close()
    schema = dataclasses.replace(_schema(_create, _add_column, disposable=True), migrated_from=1)
    conn = db.open_database(path, schema)
    assert conn.execute("SELECT x, y FROM t").fetchall() == [(1, 7)]
    conn.close()
    # One from before `migrated_from` is still rebuilt.
    path.unlink()
    db.open_database(path, _schema(_create, disposable=True)).close()
    later = dataclasses.replace(
        _schema(_create, _add_column, _add_column, disposable=True), migrated_from=2
    )
    with pytest.raises(db.SchemaMismatch):
        db.open_database(path, later)


def test_a_cache_of_the_version_before_saved_orders_keeps_its_rows(tmp_path: Path) -> None:
    """Adding the saved orders' table must not cost a user a full parse of their folder."""
    from reader.core.storage import saved_orders
    from reader.core.storage.cache import SCHEMA

    path = tmp_path / "cache.sqlite3"
    v2 = dataclasses.replace(SCHEMA, steps=SCHEMA.steps[:2], migrated_from=None)
    conn = db.open_database(path, v2)
    conn.execute("INSERT INTO meta (key, value) VALUES ('fingerprint', 'f')")
    conn.close()
    conn = db.open_database(path, SCHEMA)
    assert conn.execute("SELECT value FROM meta").fetchall() == [("f",)]
    assert saved_orders.read(conn, 0) == {}
    conn.close()


def test_another_kind_of_database_is_damage_for_this_one(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite3"
    db.open_database(index, _schema(_create)).close()
    user_data = db.Schema("user data", db.APP_ID_USERDATA, (_create,), frozenset({"t"}), False)
    with pytest.raises(DamagedFile, match="not a user data database"):
        db.open_database(index, user_data)


def test_a_file_from_before_application_ids_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (42)")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    conn = db.open_database(path, _schema(_create))
    assert conn.execute("SELECT x FROM t").fetchall() == [(42,)]
    assert conn.execute("PRAGMA application_id").fetchone() == (0x54455354,)
    conn.close()


def test_a_user_data_file_of_another_kind_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "userdata.sqlite3"
    db.open_database(path, _schema(_create)).close()  # some other database of ours
    store = UserStore.open(path)
    assert store.recovered_from is not None and store.recovered_from.exists()
    assert store.writable and store.persistent
    store.close()


def test_the_cache_and_the_index_are_named_by_the_same_folder_hash(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    cache, index = database_path(site, tmp_path), index_path(site, tmp_path)
    assert cache.name == index.name and cache.parent != index.parent
    assert database_path(tmp_path / "site" / ".." / "site", tmp_path) == cache
    assert database_path(tmp_path, tmp_path).name != cache.name


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (sqlite3.SQLITE_FULL, StorageFull),
        (sqlite3.SQLITE_BUSY, StorageLocked),
        (sqlite3.SQLITE_LOCKED, StorageLocked),
        (sqlite3.SQLITE_CORRUPT, DamagedFile),
        (sqlite3.SQLITE_NOTADB, DamagedFile),
        (sqlite3.SQLITE_CONSTRAINT, StorageError),
    ],
)
def test_errors_are_told_apart(tmp_path: Path, code: int, kind: type[Exception]) -> None:
    error = db.classify(_error(code), tmp_path / "f.sqlite3", "the thing could not be saved")
    assert type(error) is kind
    if isinstance(error, StorageError):
        assert str(error).startswith("the thing could not be saved: ")
        assert error.path == tmp_path / "f.sqlite3" and error.reason


def test_a_folder_in_place_of_a_database_is_damage_a_missing_folder_is_not(tmp_path: Path) -> None:
    (tmp_path / "f.sqlite3").mkdir()
    cant_open = _error(sqlite3.SQLITE_CANTOPEN, "unable to open database file")
    assert isinstance(db.classify(cant_open, tmp_path / "f.sqlite3", "x"), DamagedFile)
    missing = db.classify(cant_open, tmp_path / "gone" / "f.sqlite3", "x")
    assert isinstance(missing, StorageError)


def test_a_missing_table_is_damage_only_for_a_cache() -> None:
    exc = _error(sqlite3.SQLITE_ERROR, "no such column: path")
    assert isinstance(db.classify(exc, None, "x", disposable=True), DamagedFile)
    assert not isinstance(db.classify(exc, None, "x"), DamagedFile)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_during_a_large_write_and_left_as_it_was(enabled: bool) -> None:
    import gc

    from reader.core.storage.db import gc_paused

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with pytest.raises(RuntimeError), gc_paused():
            assert not gc.isenabled()
            raise RuntimeError  # an error in the write leaves it as it was too
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()


def test_a_cache_write_runs_with_the_collector_paused(tmp_path: Path) -> None:
    import gc

    from reader.core.storage.cache import FolderCache

    seen: list[bool] = []
    cache = FolderCache.open(tmp_path, tmp_path / "cache")
    real = FolderCache._write

    def spy(self: FolderCache, *args: object) -> None:
        seen.append(gc.isenabled())
        real(self, *args)  # type: ignore[arg-type]

    try:
        FolderCache._write = spy  # type: ignore[method-assign]
        from reader.core.post import SiteConfig
        from reader.core.storage.cache import fingerprint_for

        assert cache.apply(fingerprint_for(SiteConfig()), [], ["gone.md"])
    finally:
        FolderCache._write = real  # type: ignore[method-assign]
        cache.close()
    assert seen == [False] and gc.isenabled()

"""The schema of the user data database, defined once, in its migration steps.

Owns `MIGRATIONS` (`PRAGMA user_version` says how many have run; `storage.db` runs each in its
own transaction) and `schema()`. Opening the file is `storage.userdata_file`, the store itself
`storage.userdata.UserStore`.
"""

from __future__ import annotations

import sqlite3

from reader.core.storage import db

DB_NAME = "userdata.sqlite3"


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE folders (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,  -- absolute path the folder was last opened at
            last_opened TEXT,           -- path inside the folder of the post last shown
            seen_at TEXT NOT NULL
        )"""
    )
    # title and date identify a post again after its file is renamed (see reconcile).
    conn.execute(
        """CREATE TABLE bookmarks (
            folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            PRIMARY KEY (folder_id, path)
        )"""
    )
    conn.execute("CREATE INDEX bookmarks_by_created ON bookmarks (folder_id, created_at)")
    conn.execute(
        """CREATE TABLE read_state (
            folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            read_at TEXT NOT NULL,
            PRIMARY KEY (folder_id, path)
        )"""
    )
    conn.execute(
        """CREATE TABLE positions (
            folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            fraction REAL NOT NULL CHECK (fraction BETWEEN 0.0 AND 1.0),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (folder_id, path)
        )"""
    )


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    # Saved searches (see storage.saved_searches): `spec` is the search as JSON, so a later
    # version can add fields without a migration.
    conn.execute(
        """CREATE TABLE saved_searches (
            folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            spec TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (folder_id, name)
        )"""
    )


# MIGRATIONS[n] takes a database from user_version n to n + 1. Append, never edit a released step.
MIGRATIONS: list[db.Step] = [_migrate_0_to_1, _migrate_1_to_2]


def schema() -> db.Schema:
    """The user data schema (built on each open, so a test can append a step)."""
    return db.Schema(
        name="user data",
        application_id=db.APP_ID_USERDATA,
        steps=tuple(MIGRATIONS),
        tables=frozenset({"folders", "bookmarks", "read_state", "positions", "saved_searches"}),
        disposable=False,
        # A SIGKILL cannot lose a commit in WAL mode even with synchronous=NORMAL: COMMIT returns
        # once the WAL frames are written to the OS, which keeps them when the process dies.
        # NORMAL can lose the latest commits on power loss or an OS crash, FULL cannot (it fsyncs
        # the WAL at each commit). Actions come one click at a time and a commit with FULL costs
        # 0.4-6 ms on this machine's disk (NORMAL: ~0.05 ms), so "never lost" is worth that.
        synchronous="FULL",
        foreign_keys=True,
    )

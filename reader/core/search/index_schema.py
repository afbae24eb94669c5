"""The layout of the search index file, in schema steps (see `storage.db`): the documents
table whose ids are the FTS rowids, the rowids still to purge, the state table and the
contentless FTS5 table. The index itself is `search.index`.
"""

from __future__ import annotations

import sqlite3

from reader.core.storage import db

__all__ = ["SCHEMA", "SCHEMA_VERSION"]


def _create_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE docs(
            id INTEGER PRIMARY KEY,  -- the FTS rowid; follows date order (see the docstring)
            path TEXT NOT NULL UNIQUE,
            stamp TEXT NOT NULL,     -- the caller's change stamp (size, mtime, date)
            ts REAL NOT NULL,        -- date as a timestamp, -1e300 when undated
            misplaced INTEGER NOT NULL DEFAULT 0,
            labels TEXT NOT NULL     -- tags and categories, see query.labels_field
        )"""
    )
    conn.execute("CREATE INDEX docs_ts ON docs(ts)")
    conn.execute("CREATE TABLE dead(id INTEGER PRIMARY KEY)")  # rowids whose words are in fts
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5("
        "body, title, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    conn.execute(f"INSERT INTO fts(fts, rank) VALUES('hashsize', {32 * 1024 * 1024})")
    # Fewer merges while a build runs (it ends with a full merge): a quarter less writer time.
    conn.execute("INSERT INTO fts(fts, rank) VALUES('automerge', 16)")


def _add_state_table(conn: sqlite3.Connection) -> None:
    # Remembers a merge still to do ('merge pending'), so one cut short is finished next time.
    conn.execute("CREATE TABLE state(key TEXT PRIMARY KEY, value INTEGER NOT NULL)")


SCHEMA = db.Schema(
    name="search index",
    application_id=db.APP_ID_INDEX,
    steps=(_create_tables, _add_state_table),
    tables=frozenset({"docs", "dead", "state", "fts"}),
    disposable=True,
    synchronous="NORMAL",
    fresh_pragmas=("PRAGMA auto_vacuum = INCREMENTAL",),  # before any table exists
)
SCHEMA_VERSION = SCHEMA.version

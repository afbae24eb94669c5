"""Sort orders saved beside the cache: a warm reopen takes them instead of building them, they
give the same lists as orders built anew, and they are never used for rows they were not
saved for (a change, another order of posts, a damaged or foreign blob)."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from array import array
from pathlib import Path

import pytest

from reader.core import open_folder
from reader.core.events import Snapshot
from reader.core.library import Library, Query
from reader.core.post import SortKey
from reader.core.storage import saved_orders
from reader.core.storage.cache import database_path
from tests.conftest import write_files

TITLES = ["北京新闻", "apple pie", "Zebra", "上海快讯", "重庆", "长沙", "Éclair", "阿里", "7 days"]


def make_site(root: Path) -> Path:
    files: dict[str, str | bytes] = {"_config.yml": "title: t\ntimezone: Asia/Shanghai\n"}
    for i, title in enumerate(TITLES * 3):
        cat = ["xinhua", "renmin", "Zhongguo"][i % 3]
        files[f"_posts/2022-03-{1 + i % 9:02d}-p{i:02d}.md"] = (
            f'---\ntitle: "{title}"\ndate: 2022-03-{1 + i % 9:02d} 10:00:00\n'
            f"categories: {cat}\n---\nbody {i}\n"
        )
    return write_files(root, files)


def first_snapshot(root: Path, cache: Path) -> Snapshot:
    with open_folder(root, cache_dir=cache) as folder:
        for event in folder.events(use_workers=False):
            if isinstance(event, Snapshot):
                return event
    raise AssertionError("no snapshot")


def load_and_warm(root: Path, cache: Path) -> Library:
    with open_folder(root, cache_dir=cache) as folder:
        library = folder.load(use_workers=False).library
        library.warm_orders()
        return library


def listing(library: Library, key: SortKey) -> list[str]:
    return [library.posts[i].path for i in library.query(Query(sort=key, descending=False))]


def built_anew(library: Library, key: SortKey) -> list[str]:
    fresh = Library(library.root, library.site, library.posts, library.problems)
    return listing(fresh, key)


def test_a_warm_reopen_takes_the_saved_orders(tmp_path: Path) -> None:
    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    cold = load_and_warm(root, cache)
    snapshot = first_snapshot(root, cache)
    assert snapshot.from_cache
    assert snapshot.orders is not None and set(snapshot.orders) == set(SortKey)
    with open_folder(root, cache_dir=cache) as folder:
        warm = folder.load(use_workers=False).library
        # Nothing left to build, the date order not even sorted: the library came with them.
        assert warm.order_snapshot().missing == ()
        for key in SortKey:
            assert listing(warm, key) == built_anew(warm, key) == listing(cold, key)


def test_orders_are_not_used_after_a_change_and_saved_again(tmp_path: Path) -> None:
    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    load_and_warm(root, cache)
    changed = root / "_posts" / "2022-03-02-p01.md"
    changed.write_text('---\ntitle: "0 first"\n---\nnew\n', encoding="utf-8")
    os.utime(changed, ns=(1, 1))
    (root / "_posts" / "2022-03-03-p02.md").unlink()
    # The change is written to the cache (a new generation): the saved orders do not apply.
    library = load_and_warm(root, cache)
    assert listing(library, SortKey.TITLE)[0].endswith("p01.md")  # "0 first" first
    snapshot = first_snapshot(root, cache)
    assert snapshot.orders is not None and set(snapshot.orders) == set(SortKey)
    with open_folder(root, cache_dir=cache) as folder:
        warm = folder.load(use_workers=False).library
        assert warm.order_snapshot().missing == ()
        for key in SortKey:
            assert listing(warm, key) == built_anew(warm, key)


def test_a_library_that_does_not_match_the_rows_saves_nothing(tmp_path: Path) -> None:
    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    with open_folder(root, cache_dir=cache) as folder:
        library = folder.load(use_workers=False).library
    db_path = database_path(root.resolve(), cache)
    posts = list(library.posts)
    order = array("i", range(len(posts)))
    # Another order of the same posts, one post fewer, one with another modification time.
    assert not saved_orders.save(db_path, posts[::-1], {SortKey.TITLE: order})
    assert not saved_orders.save(db_path, posts[:-1], {SortKey.TITLE: order[:-1]})
    touched = [*posts[:-1], dataclasses.replace(posts[-1], mtime_ns=posts[-1].mtime_ns + 1)]
    assert not saved_orders.save(db_path, touched, {SortKey.TITLE: order})
    # An order of the wrong length.
    assert not saved_orders.save(db_path, posts, {SortKey.TITLE: order[:-1]})
    # Cancelled while checking (the window closed).
    assert not saved_orders.save(db_path, posts, {SortKey.TITLE: order}, lambda: True)
    assert first_snapshot(root, cache).orders == {}
    assert saved_orders.save(db_path, posts, {SortKey.TITLE: order})
    assert first_snapshot(root, cache).orders == {SortKey.TITLE: order}


def test_no_cache_file_is_created_by_saving(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "cache.sqlite3"
    assert not saved_orders.save(missing, [], {SortKey.TITLE: array("i")})
    assert not missing.exists() and not missing.parent.exists()


@pytest.mark.parametrize(
    "name, data",
    [
        ("title:1", b"\x00\x00\x00"),  # not whole items
        ("title:1", array("i", [0]).tobytes()),  # too short
        ("title:1", array("i", [10_000] * 27).tobytes()),  # names posts that do not exist
        ("title:0", None),  # saved by other rules
        ("relevance:1", None),  # not an order that is saved
    ],
)
def test_a_saved_order_that_does_not_fit_is_not_used(
    tmp_path: Path, name: str, data: bytes | None
) -> None:
    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    load_and_warm(root, cache)
    db_path = database_path(root.resolve(), cache)
    conn = sqlite3.connect(db_path)
    with conn:
        if data is None:
            conn.execute("UPDATE saved_orders SET name = ? WHERE name = 'title:1'", (name,))
        else:
            conn.execute("UPDATE saved_orders SET data = ? WHERE name = ?", (data, name))
    conn.close()
    snapshot = first_snapshot(root, cache)
    assert snapshot.orders is not None and SortKey.TITLE not in snapshot.orders
    assert SortKey.CATEGORY in snapshot.orders
    # The order left out is built again, the same as ever.
    with open_folder(root, cache_dir=cache) as folder:
        library = folder.load(use_workers=False).library
        assert listing(library, SortKey.TITLE) == built_anew(library, SortKey.TITLE)


def test_a_cache_file_that_cannot_be_read_saves_nothing_and_raises_nothing(
    tmp_path: Path,
) -> None:
    """Saving is only time saved: a damaged file, or one without the table, answers False."""
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    assert not saved_orders.save(garbage, [], {SortKey.TITLE: array("i")})
    assert garbage.read_bytes() == b"this is not a database" * 100
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    assert not saved_orders.save(empty, [], {SortKey.TITLE: array("i")})


def test_a_warm_reopen_sorts_nothing_when_the_date_order_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The date order is saved with the others: sorting every path and stamp again at each
    reopen held the interpreter a second at a million posts (the longest stall)."""
    import builtins

    from reader.core import library as library_module

    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    cold = load_and_warm(root, cache)
    sorts: list[int] = []
    real_sorted = builtins.sorted

    def counting(*args: object, **kwargs: object) -> object:
        if isinstance(args[0], range):  # every post, by path then by stamp: the date order
            sorts.append(1)
        return real_sorted(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(library_module, "sorted", counting, raising=False)
    with open_folder(root, cache_dir=cache) as folder:
        warm = folder.load(use_workers=False).library
        assert listing(warm, SortKey.DATE) == listing(cold, SortKey.DATE)
    assert sorts == []
    monkeypatch.undo()
    assert listing(warm, SortKey.DATE) == built_anew(warm, SortKey.DATE)


def test_reading_the_orders_fetches_no_other_saved_row(tmp_path: Path) -> None:
    """The posts' table is saved beside the orders (150 MB at a million posts): reading the
    orders fetches their rows only, each order whole."""
    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    load_and_warm(root, cache)
    conn = sqlite3.connect(database_path(root.resolve(), cache))
    assert {r[0] for r in conn.execute("SELECT name FROM saved_orders")} > {
        saved_orders._name(key) for key in saved_orders.SAVED
    }  # the table is there too
    fetched: list[str] = []

    class Recording:
        def execute(self, sql: str, args: object = ()) -> list[tuple[object, ...]]:
            rows = conn.execute(sql, args).fetchall()  # type: ignore[arg-type]
            fetched.extend(str(row[0]) for row in rows)
            return rows

    orders = saved_orders.read(Recording(), len(TITLES) * 3)  # type: ignore[arg-type]
    conn.close()
    assert set(orders) == set(saved_orders.SAVED)
    assert sorted(fetched) == sorted(saved_orders._name(key) for key in saved_orders.SAVED)

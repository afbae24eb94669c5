"""The library's table of posts saved beside the cache: a warm reopen reads it back instead of
decoding every row, gives the same posts, and never uses a table that is not the rows' own
(a change, a damaged or foreign blob, a zone that cannot be written down)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.core import Post, PostTable, open_folder
from reader.core.storage import saved_table
from reader.core.storage.cache import database_path
from tests.conftest import write_files
from tests.unit.core.storage.test_saved_orders import load_and_warm, make_site
from tests.unit.core.test_table import ODD_POSTS


def _reads_saved(
    root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Post], bool]:
    """The posts a warm reopen gives, and whether they came from the saved table."""
    used: list[bool] = []
    real = saved_table.read

    def spy(conn: sqlite3.Connection, stats: dict[str, tuple[int, int]]) -> object:
        out = real(conn, stats)
        used.append(out is not None)
        return out

    monkeypatch.setattr(saved_table, "read", spy)
    with open_folder(root, cache_dir=cache) as folder:
        posts = list(folder.load(use_workers=False).posts)
    monkeypatch.setattr(saved_table, "read", real)
    return posts, used == [True]


def _blob(root: Path, cache: Path) -> bytes | None:
    with sqlite3.connect(database_path(root, cache)) as conn:
        row = conn.execute(
            "SELECT data FROM saved_orders WHERE name = ?", (saved_table.NAME,)
        ).fetchone()
    return None if row is None else bytes(row[0])


def _set_blob(root: Path, cache: Path, data: bytes) -> None:
    with sqlite3.connect(database_path(root, cache)) as conn:
        conn.execute("UPDATE saved_orders SET data = ? WHERE name = ?", (data, saved_table.NAME))


def _summed_again(blob: bytes) -> bytes:
    """`blob` with its checksum made anew for what it holds now."""
    import zlib

    header = int.from_bytes(blob[:8], "little")
    return blob[:-4] + zlib.crc32(blob[8 + header : -4]).to_bytes(4, "little")


def test_a_warm_reopen_reads_the_saved_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    cold = load_and_warm(root, cache)
    # Written piece by piece into the row's blob: the same bytes as the whole blob.
    assert _blob(root, cache) == saved_table.to_bytes(cold.posts)
    warm, used = _reads_saved(root, cache, monkeypatch)
    assert used
    assert warm == list(cold.posts)
    # The same posts the rows decode to, field for field.
    _set_blob(root, cache, b"")
    decoded, used = _reads_saved(root, cache, monkeypatch)
    assert not used
    assert [(p, p.date) for p in decoded] == [(p, p.date) for p in warm]


def test_a_change_makes_the_saved_table_unused_until_saved_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    load_and_warm(root, cache)
    changed = root / "_posts" / "2022-03-02-p01.md"
    changed.write_text('---\ntitle: "changed"\n---\nnew\n', encoding="utf-8")
    os.utime(changed, ns=(1, 1))
    # The cache's rows are read before the scan finds the change: the table saved for them
    # is theirs, and the changed post replaces its old record.
    posts, used = _reads_saved(root, cache, monkeypatch)
    assert used
    assert "changed" in {p.title for p in posts}
    # That load wrote the change to the cache: the table is not the rows' own any more.
    posts, used = _reads_saved(root, cache, monkeypatch)
    assert not used
    assert "changed" in {p.title for p in posts}
    # Saved again with the orders a warm-up builds.
    again = load_and_warm(root, cache)
    posts, used = _reads_saved(root, cache, monkeypatch)
    assert used and posts == list(again.posts)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1],  # a column cut short
        lambda b: b + b"\0",  # bytes after the last column
        lambda b: (2**40).to_bytes(8, "little") + b[8:],  # a header size past the end
        lambda b: b[:8] + b"[" + b[9:],  # a header that is not JSON
        lambda b: b.replace(b'"n": ', b'"n": 1', 1),  # another number of posts
        lambda b: b.replace(b"Asia/Shanghai", b"Asia/Nowhere!", 1),  # an unknown zone
        lambda b: b.replace("北京".encode(), b"\xff\xfe\xfd\xfc\xfb\xfa", 1),  # not UTF-8
        lambda b: b.replace(b"p01.md", b"p0X.md", 1),  # a path changed, still good UTF-8
        lambda b: b[:-4] + bytes(4),  # the checksum itself
    ],
)
def test_a_damaged_table_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    cold = load_and_warm(root, cache)
    blob = _blob(root, cache)
    assert blob is not None
    _set_blob(root, cache, damage(blob))  # type: ignore[operator]
    posts, used = _reads_saved(root, cache, monkeypatch)
    assert not used
    assert posts == list(cold.posts)


def test_offsets_and_numbers_outside_their_columns_are_refused() -> None:
    table = PostTable(ODD_POSTS[:3] + ODD_POSTS[4:11] + ODD_POSTS[12:])
    blob = saved_table.to_bytes(table)
    assert blob is not None
    assert saved_table.from_bytes(blob, len(table)) == table
    with pytest.raises(ValueError):
        saved_table.from_bytes(blob, len(table) + 1)
    # Each column in turn given a value past what exists (the last byte of the blob is the
    # last post's mtime: change the columns' bytes from their start instead).
    header = int.from_bytes(blob[:8], "little")
    text_len = int(__import__("json").loads(blob[8 : 8 + header])["text"])
    first_column = 8 + header + text_len  # `start`, 8 bytes a post
    broken = bytearray(blob)
    broken[first_column : first_column + 8] = (10**9).to_bytes(8, "little")
    with pytest.raises(ValueError, match="checksum"):  # damage: told by the checksum
        saved_table.from_bytes(bytes(broken), None)
    # Written so by a fault of its writer (the checksum of what it wrote): still refused.
    with pytest.raises(ValueError, match="offset"):
        saved_table.from_bytes(_summed_again(bytes(broken)), None)


def test_a_table_with_a_zone_that_cannot_be_named_is_not_saved() -> None:
    named = PostTable([ODD_POSTS[0], ODD_POSTS[6]])
    assert saved_table.to_bytes(named) is not None
    unnamed = PostTable([ODD_POSTS[11]])  # a tzinfo of its own
    assert saved_table.to_bytes(unnamed) is None
    odd_name = timezone(timedelta(hours=2), "Somewhere")
    dated = ODD_POSTS[0].__class__(
        **{**_fields(ODD_POSTS[0]), "date": datetime(2021, 1, 1, tzinfo=odd_name)}
    )
    assert saved_table.to_bytes(PostTable([dated])) is None


def _fields(post: Post) -> dict[str, object]:
    return {name: getattr(post, name) for name in post.__slots__}  # type: ignore[attr-defined]


def test_a_snapshot_saves_only_its_own_rows() -> None:
    table = PostTable(ODD_POSTS[:3])
    view = table.snapshot()
    table.extend(ODD_POSTS[4:8])
    blob = saved_table.to_bytes(view)
    assert blob is not None
    assert list(saved_table.from_bytes(blob, 3)) == ODD_POSTS[:3]


def test_a_site_with_posts_in_many_zones_round_trips(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {}
    for n, offset in enumerate(["+08:00", "-03:30", "Z", "+05:45"]):
        files[f"_posts/2022-01-0{n + 1}-z{n}.md"] = (
            f"---\ntitle: z{n}\ndate: 2022-01-0{n + 1}T10:00:00{offset}\n---\nbody\n"
        )
    root, cache = write_files(tmp_path / "site", files), tmp_path / "cache"
    cold = load_and_warm(root, cache)
    with open_folder(root, cache_dir=cache) as folder:
        warm = list(folder.load(use_workers=False).posts)
    assert [(p, repr(p.date)) for p in warm] == [(p, repr(p.date)) for p in cold.posts]


def test_a_table_that_does_not_fit_leaves_the_orders_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.storage import saved_orders

    def full(conn: sqlite3.Connection, generation: str, table: PostTable) -> bool:
        conn.execute(
            "INSERT OR REPLACE INTO saved_orders (name, generation, data) VALUES (?, ?, ?)",
            (saved_table.NAME, generation, b"half"),
        )
        raise sqlite3.OperationalError("database or disk is full")

    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    monkeypatch.setattr(saved_table, "save", full)
    cold = load_and_warm(root, cache)
    monkeypatch.undo()
    assert _blob(root, cache) is None  # what the failed save wrote was rolled back
    with sqlite3.connect(database_path(root, cache)) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM saved_orders")}
    assert names == {saved_orders._name(k) for k in saved_orders.SAVED}
    posts, used = _reads_saved(root, cache, monkeypatch)
    assert not used and posts == list(cold.posts)


def test_a_table_that_cannot_be_read_leaves_the_cache_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.events import Snapshot

    root, cache = make_site(tmp_path / "site"), tmp_path / "cache"
    cold = load_and_warm(root, cache)

    def unreadable(*_args: object) -> PostTable:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(saved_table, "_load", unreadable)
    with open_folder(root, cache_dir=cache) as folder:
        events = list(folder.events(use_workers=False))
    snapshot = next(e for e in events if isinstance(e, Snapshot))
    assert snapshot.from_cache  # the rows were decoded instead: still a warm reopen
    assert list(snapshot.posts) == list(cold.posts)


def test_the_files_that_are_not_posts_come_back_with_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problems and their stats are saved with the table: a reopen reads no row, shows the
    same problems, and its scan parses nothing (every file's stat is known)."""
    root = make_site(tmp_path / "site")
    write_files(root, {"_posts/2022-03-05-broken.md": "---\ntitle: [unclosed\n---\nx\n"})
    cache = tmp_path / "cache"
    cold = load_and_warm(root, cache)
    assert [p.path for p in cold.problems] == ["_posts/2022-03-05-broken.md"]
    used: list[bool] = []
    real = saved_table.read

    def spy(conn: sqlite3.Connection, stats: dict[str, int]) -> object:
        out = real(conn, stats)
        used.append(out is not None)
        return out

    monkeypatch.setattr(saved_table, "read", spy)
    from reader.core import Done

    with open_folder(root, cache_dir=cache) as folder:
        done = []
        for event in folder.events(use_workers=False):
            folder.apply(event)
            done += [event] if isinstance(event, Done) else []
        assert used == [True]
        assert [p.path for p in folder.library.problems] == ["_posts/2022-03-05-broken.md"]
        assert done[0].stats.parsed == 0 and done[0].stats.cached == len(cold.posts) + 1
        assert len(done[0].state.stats) == len(cold.posts) + 1


def test_a_table_that_dropped_rows_shares_the_text_and_round_trips() -> None:
    """Dropping rows leaves their text where it was, in a buffer the new table shares (no
    copy); the new table grows after it, and is saved and read back as its own posts."""
    from reader.core.table import columns_of
    from reader.core.table_rows import without_rows

    posts = [p for p in ODD_POSTS if saved_table.to_bytes(PostTable([p])) is not None]
    assert len(posts) >= 8
    table = PostTable(posts[:6])
    smaller = without_rows(table, {0, 3})
    assert columns_of(smaller)[0].text is columns_of(table)[0].text  # not copied
    smaller.extend(posts[6:])
    expected = [p for i, p in enumerate(posts) if i not in (0, 3)]
    assert list(smaller) == expected and list(table) == posts[:6]
    blob = saved_table.to_bytes(smaller)
    assert blob is not None
    back = saved_table.from_bytes(blob, len(expected))
    assert list(back) == expected
    assert [_fields(p) for p in back] == [_fields(p) for p in expected]
    again = without_rows(back, {1})  # from a table read back, and grown again
    again.append(posts[0])
    assert list(again) == [*expected[:1], *expected[2:], posts[0]]
    # When most posts go, those kept are copied: the dropped posts' text is not held on.
    few = without_rows(table, range(1, 6))
    assert columns_of(few)[0].text is not columns_of(table)[0].text
    assert len(columns_of(few)[0].text) < len(columns_of(table)[0].text) / 2
    assert list(few) == posts[:1]

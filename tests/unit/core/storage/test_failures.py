"""When storage fails, the data stays readable and no action lies about it: a read-only file
system, a full disk, a file the process may not write and a database locked by another process,
each on real file systems (tmpfs mounts, a non-root child process, a locking child process).

Every test asserts that the reads return what was saved before, that writes raise the matching
StorageError subclass, and that nothing was moved aside, deleted or changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.core.errors import StorageFull, StorageLocked, StorageReadOnly
from reader.core.library import Library
from reader.core.marks import FolderMarks
from reader.core.post import Post
from reader.core.search.build import build_index
from reader.core.search.index import SearchIndex
from reader.core.storage.userdata import UserStore
from tests.conftest import REPO, load_folder, write_files
from tests.fixtures.mounts import Tmpfs
from tests.unit.core.storage.test_cache import make_site, open_

FAST = 0.2  # busy timeout (s) for the tests: a lock is reported quickly


# --- the user data --------------------------------------------------------------------------

A = Post("_posts/a.md", "A", None)
B = Post("_posts/b.md", "B", None)
C = Post("_posts/c.md", "C", None)
ROOT = Path("/nowhere/site")  # the folder's identity; its posts need not exist for the store


def _fill_store(path: Path) -> int:
    """A store at `path` with two bookmarks, a read mark, a position and a last opened post."""
    store = UserStore.open(path)
    fid = store.folder_key(ROOT, [A, B])
    store.add_bookmark(fid, A, note="first")
    store.add_bookmark(fid, B)
    store.set_read(fid, [A])
    store.set_position(fid, A.path, 0.25)
    store.set_last_opened(fid, B.path)
    assert store.writable and store.read_only_reason is None
    store.close()
    return fid


def _assert_everything_readable(store: UserStore, fid: int) -> None:
    assert store.folder_key(ROOT, [A, B]) == fid
    assert [b.path for b in store.bookmarks(fid)] == [B.path, A.path]
    assert [b.note for b in store.bookmarks(fid)] == ["", "first"]
    assert store.read_paths(fid) == {A.path}
    assert store.position(fid, A.path) == 0.25
    assert store.last_opened(fid) == B.path
    exported = json.loads(store.export_bookmarks(fid, [A, B], "json"))
    assert [e["path"] for e in exported["bookmarks"]] == [B.path, A.path]
    assert B.path in store.export_bookmarks(fid, [A, B], "md")


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in `folder` with a digest of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def test_read_only_file_system_reads_everything_and_refuses_writes(
    tmpfs: Callable[[str], Tmpfs],
) -> None:
    fs = tmpfs("4m")
    path = fs.path / "data" / "userdata.sqlite3"
    fid = _fill_store(path)
    before = _snapshot(path.parent)
    fs.remount("ro")

    store = UserStore.open(path, busy_timeout=FAST)
    assert store.persistent and not store.writable and store.recovered_from is None
    assert store.read_only_reason == "the file system is read-only"
    assert store.message and "cannot be saved" in store.message
    _assert_everything_readable(store, fid)
    marks = FolderMarks(store, Library(ROOT))
    assert not marks.writable and marks.read_only_reason == "the file system is read-only"
    assert marks.bookmarked_paths() == {A.path, B.path} and marks.last_opened() == B.path
    for write in (
        lambda: store.add_bookmark(fid, C),
        lambda: store.toggle_read(fid, C),
        lambda: store.set_position(fid, C.path, 0.5),
    ):
        with pytest.raises(StorageReadOnly) as raised:
            write()
        assert raised.value.reason == "the file system is read-only"
        assert raised.value.path == path
        assert "could not be saved: the file system is read-only" in str(raised.value)
    with pytest.raises(StorageReadOnly, match="the bookmark could not be saved"):
        store.add_bookmark(fid, C)
    _assert_everything_readable(store, fid)  # still, after the refused writes
    assert isinstance(store.check_writable(), StorageReadOnly)  # and it stays so
    store.close()
    assert _snapshot(path.parent) == before  # nothing moved aside, nothing changed


KILLED_WRITER = r"""
import os, signal, sys
from pathlib import Path
from reader.core.post import Post
from reader.core.storage.userdata import UserStore
store = UserStore.open(Path(sys.argv[1]))
fid = store.folder_key(Path("/nowhere/site"), [])
for i in range(5):
    store.add_bookmark(fid, Post(f"_posts/p{i}.md", f"p{i}", None))
os.kill(os.getpid(), signal.SIGKILL)  # no checkpoint: the commits stay in the -wal file
"""


@pytest.mark.parametrize("keep_shm", [True, False])
def test_commits_left_in_the_wal_are_read_on_a_read_only_file_system(
    tmpfs: Callable[[str], Tmpfs], keep_shm: bool
) -> None:
    fs = tmpfs("4m")
    path = fs.path / "userdata.sqlite3"
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], cwd=REPO, check=False)
    assert Path(f"{path}-wal").stat().st_size > 0
    if not keep_shm:
        Path(f"{path}-shm").unlink()  # SQLite cannot read the -wal in place without it
    before = _snapshot(fs.path)
    fs.remount("ro")
    store = UserStore.open(path, busy_timeout=FAST)
    assert store.persistent and not store.writable
    fid = store.folder_key(ROOT, [])
    assert store.bookmarked_paths(fid) == {f"_posts/p{i}.md" for i in range(5)}
    with pytest.raises(StorageReadOnly):
        store.add_bookmark(fid, C)
    store.close()
    assert _snapshot(fs.path) == before


def test_a_read_only_file_system_without_a_database_gives_an_in_memory_store(
    tmpfs: Callable[[str], Tmpfs],
) -> None:
    fs = tmpfs("1m")
    (fs.path / "data").mkdir()
    fs.remount("ro")
    store = UserStore.open(fs.path / "data" / "userdata.sqlite3", busy_timeout=FAST)
    assert not store.persistent and store.message and "cannot be saved" in store.message
    assert store.bookmarks(store.folder_key(ROOT, [A])) == []  # nothing was ever saved
    assert list((fs.path / "data").iterdir()) == []


def test_full_disk_reads_keep_working_after_a_failed_write(tmpfs: Callable[[str], Tmpfs]) -> None:
    fs = tmpfs("2m")
    path = fs.path / "data" / "userdata.sqlite3"
    fid = _fill_store(path)
    store = UserStore.open(path, busy_timeout=FAST)
    filler = fs.fill()
    for _ in range(2):
        with pytest.raises(StorageFull) as raised:
            # A long note, so that the write needs new pages whatever the WAL had left.
            store.add_bookmark(fid, C, note="x" * 1000)
        assert raised.value.reason == "the disk is full"
        assert "the bookmark could not be saved: the disk is full" in str(raised.value)
        _assert_everything_readable(store, fid)
    # A second window opened on the full disk reads everything too.
    other = UserStore.open(path, busy_timeout=FAST)
    _assert_everything_readable(other, fid)
    other.close()
    assert not [p for p in path.parent.iterdir() if "damaged" in p.name]
    # A window waiting for space asks whether a change could be saved now.
    waiting = store.check_writable()
    assert isinstance(waiting, StorageFull) and waiting.reason == "the disk is full"
    filler.unlink()  # space again: the same store saves
    assert store.check_writable() is None
    assert store.add_bookmark(fid, C, note="x" * 1000)
    assert C.path in store.bookmarked_paths(fid)
    store.close()


CHILD = r"""
import json, sys
from pathlib import Path
from reader.core.errors import StorageError
from reader.core.post import Post
from reader.core.storage.userdata import UserStore

store = UserStore.open(Path(sys.argv[1]), busy_timeout=0.2)
fid = store.folder_key(Path("/nowhere/site"), [])
out = {
    "writable": store.writable,
    "reason": store.read_only_reason,
    "persistent": store.persistent,
    "bookmarks": [b.path for b in store.bookmarks(fid)],
    "read": sorted(store.read_paths(fid)),
    "position": store.position(fid, "_posts/a.md"),
    "export": [e["path"] for e in json.loads(store.export_bookmarks(fid, [], "json"))["bookmarks"]],
}
try:
    store.add_bookmark(fid, Post("_posts/c.md", "C", None))
    out["write"] = "saved"
except StorageError as exc:
    out["write"] = type(exc).__name__
    out["message"] = str(exc)
out["after"] = [b.path for b in store.bookmarks(fid)]
print(json.dumps(out))
"""


@pytest.mark.parametrize("folder_writable", [True, False])
def test_a_file_the_user_may_not_write_is_read(folder_writable: bool) -> None:
    if os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists():
        pytest.skip("needs root and setpriv to run the store as another user")
    # Not under tmp_path: pytest's temporary root is private to root.
    base = Path(tempfile.mkdtemp(prefix="post-reader-perm-"))
    try:
        base.chmod(0o755)
        path = base / "userdata.sqlite3"
        fid = _fill_store(path)
        assert fid == 1
        path.chmod(0o644)  # root's file: others may read it, not write it
        base.chmod(0o777 if folder_writable else 0o755)
        before = path.read_bytes()
        done = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             sys.executable, "-c", CHILD, str(path)],
            capture_output=True, text=True, timeout=60, cwd=REPO,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), "HOME": "/"},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        out = json.loads(done.stdout)
        assert out["persistent"] and not out["writable"]
        assert out["reason"] == "there is no permission to write it"
        assert out["bookmarks"] == out["export"] == out["after"] == [B.path, A.path]
        assert out["read"] == [A.path] and out["position"] == 0.25
        assert out["write"] == "StorageReadOnly"
        assert "the bookmark could not be saved: there is no permission" in out["message"]
        assert path.read_bytes() == before
        assert not [p for p in base.iterdir() if "damaged" in p.name]
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False)


LOCKER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
"""


def test_a_database_locked_past_the_timeout_is_read_and_writes_say_so(tmp_path: Path) -> None:
    path = tmp_path / "userdata.sqlite3"
    fid = _fill_store(path)
    store = UserStore.open(path, busy_timeout=FAST)
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert locker.stdout is not None and locker.stdout.readline() == "locked\n"
        _assert_everything_readable(store, fid)
        with pytest.raises(StorageLocked) as raised:
            store.add_bookmark(fid, C)
        assert "the bookmark could not be saved: another program" in str(raised.value)
        # A window opened while the lock is held reads everything and is not read-only.
        other = UserStore.open(path, busy_timeout=FAST)
        assert other.recovered_from is None and other.persistent
        _assert_everything_readable(other, fid)
        other.close()
    finally:
        assert locker.stdin is not None
        locker.stdin.write("\n")
        locker.stdin.close()
        locker.wait(timeout=30)
        if locker.stdout is not None:
            locker.stdout.close()
    assert store.add_bookmark(fid, C)  # the lock is gone: saving works again
    store.close()
    assert not [p for p in tmp_path.iterdir() if "damaged" in p.name]


# --- the cache and the search index ---------------------------------------------------------


def test_an_unwritable_cache_folder_means_no_cache_and_one_notice(
    tmpfs: Callable[[str], Tmpfs], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_site(tmp_path / "site", n=3)
    fs = tmpfs("8m")
    first = open_(root, cache_dir=fs.path)
    assert first.stats is not None and first.stats.cache_enabled
    cache_files = _snapshot(fs.path / "folders")
    fs.remount("ro")
    caplog.set_level(logging.WARNING, logger="reader.core.storage.cache")
    model = open_(root, cache_dir=fs.path)
    assert model.stats is not None and not model.stats.cache_enabled
    assert model.posts.keys() == first.posts.keys()
    notices = [r for r in caplog.records if r.name == "reader.core.storage.cache"]
    assert len(notices) == 1 and "read-only" in notices[0].getMessage()
    assert _snapshot(fs.path / "folders") == cache_files  # not deleted as "damaged"


def test_a_disk_filling_during_a_search_build_stops_it_and_a_later_build_resumes(
    tmpfs: Callable[[str], Tmpfs], tmp_path: Path
) -> None:
    # Words no other post has: each post adds its own terms to the index.
    posts: dict[str, str | bytes] = {
        f"_posts/2020-01-{1 + i % 28:02d}-p{i}.md": (
            f"---\ntitle: post {i}\n---\n" + " ".join(f"w{i}x{j}" for j in range(400)) + "\n"
        )
        for i in range(300)
    }
    root = write_files(tmp_path / "site", posts)
    library = load_folder(root)
    fs = tmpfs("1m")
    path = fs.path / "search" / "index.sqlite3"
    index = SearchIndex.open(path, busy_timeout=FAST)
    with pytest.raises(StorageFull) as raised:
        for _ in build_index(root, library.posts, index, workers=0, batch_size=50):
            pass
    assert raised.value.reason == "the disk is full"
    indexed = index.count()
    assert 0 < indexed < len(library.posts)  # the batches before the disk filled are kept
    index.close()

    fs.remount("size=64m")
    index = SearchIndex.open(path, busy_timeout=FAST)
    assert index.count() == indexed  # not recreated: nothing was damaged
    progress = list(build_index(root, library.posts, index, workers=0, batch_size=50))
    assert progress[0].skipped == indexed and progress[-1].phase == "done"
    assert index.count() == len(library.posts)
    assert index.search("w0x399").paths == ["_posts/2020-01-01-p0.md"]
    index.close()

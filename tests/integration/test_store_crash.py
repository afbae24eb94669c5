"""The user store under real processes: killed with SIGKILL at random moments it never loses a
bookmark it reported as committed, and two processes writing at once lose nothing."""

from __future__ import annotations

import itertools
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core.storage.userdata import UserStore
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

# Opens the store, says "ready", then adds bookmarks forever, printing each one only after
# add_bookmark has returned (committed), and flushing so the parent sees it before the kill.
ADDER = r"""
import sys, time
from pathlib import Path
from reader.core.post import Post
from reader.core.storage.userdata import UserStore
db, root, prefix = sys.argv[1:4]
limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
pause = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
store = UserStore.open(Path(db))
if not store.persistent or store.recovered_from is not None:
    sys.exit(f"store not usable: {store.message}")
fid = store.folder_key(Path(root), [])
print("ready", fid, flush=True)
if limit is not None:
    sys.stdin.readline()  # wait for "go", so that both writers really overlap
i = 0
while limit is None or i < limit:
    path = f"{prefix}-{i}.md"
    store.add_bookmark(fid, Post(path, "title " + path, None))
    print(path, flush=True)
    i += 1
    if pause:
        time.sleep(pause)  # a user clicks; without it one writer holds on to the lock
    if pause and i % 5 == 0:
        # Re-open the folder, as the other window may: a read, then a write, in one transaction.
        assert store.folder_key(Path(root), []) == fid
print("done", flush=True)
"""

READY_TIMEOUT_S = 20.0


def _spawn(db: Path, root: Path, prefix: str, *extra: str) -> subprocess.Popen[bytes]:
    # Unbuffered bytes: the "ready" line is read from the pipe itself, so nothing the child
    # printed after it can sit in a parent-side buffer that communicate() never looks at.
    return subprocess.Popen(
        [sys.executable, "-c", ADDER, str(db), str(root), prefix, *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
        cwd=REPO,
    )


def _wait_ready(proc: subprocess.Popen[bytes]) -> str:
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    line = b""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not line.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            break
        byte = os.read(fd, 1)  # one byte at a time: never read past the line
        if not byte:
            break
        line += byte
    if not line.startswith(b"ready"):
        proc.kill()
        _out, err = proc.communicate()
        pytest.fail(f"child did not get ready: {line!r} {err.decode(errors='replace')}")
    return line.split()[1].decode()


def _database_contents(db: Path) -> tuple[str, set[str]]:
    # A plain connection, not UserStore.open: that would move a damaged file aside and hide it.
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        paths = {r[0] for r in conn.execute("SELECT path FROM bookmarks")}
    finally:
        conn.close()
    return check, paths


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_a_reported_bookmark(tmp_path: Path) -> None:
    db = tmp_path / "data" / "userdata.sqlite3"
    root = tmp_path / "posts"
    root.mkdir()
    rng = random.Random(20261122)
    reported: set[str] = set()
    kills = early_kills = 0
    started = time.monotonic()
    for run in range(72):
        proc = _spawn(db, root, f"r{run}")
        # Every sixth child is killed while starting up (opening, creating or checking the
        # database); the others once they are adding bookmarks.
        early = run % 6 == 5
        if early:
            time.sleep(rng.uniform(0.005, 0.150))
        else:
            _wait_ready(proc)
            time.sleep(rng.uniform(0.005, 0.080))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, f"child ended by itself: {err.decode()}"
        kills += 1
        early_kills += early
        lines = out.decode().split("\n")[:-1]  # a line cut by the kill has no newline
        reported.update(line for line in lines if line.endswith(".md"))
    elapsed = time.monotonic() - started

    check, present = _database_contents(db)
    print(
        f"\ncrash test: {kills} SIGKILLs ({early_kills} during start-up) in {elapsed:.1f} s; "
        f"{len(reported)} bookmarks reported committed, {len(present)} found, "
        f"{len(reported - present)} missing; integrity_check: {check}"
    )
    assert kills >= 50
    assert check == "ok"
    assert reported - present == set()
    # At most one commit per kill can have happened without being printed.
    assert len(present - reported) <= kills
    assert len(reported) >= 200, "too few bookmarks to say anything"
    assert not [p for p in db.parent.iterdir() if ".damaged-" in p.name]
    # And the program's own opening of it agrees.
    store = UserStore.open(db)
    assert store.recovered_from is None and store.persistent
    assert store.bookmarked_paths(store.folder_key(root, [])) == present
    store.close()


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "data" / "userdata.sqlite3"  # does not exist yet: both race to create it
    root = tmp_path / "posts"
    root.mkdir()
    per_process = 300
    procs = [_spawn(db, root, name, str(per_process), "0.001") for name in ("left", "right")]
    folder_ids = {_wait_ready(p) for p in procs}
    assert len(folder_ids) == 1, "both windows must see the same folder"
    started = time.monotonic()
    for p in procs:
        assert p.stdin is not None
        p.stdin.write(b"go\n")
    outputs = [p.communicate(timeout=120) for p in procs]
    elapsed = time.monotonic() - started
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err.decode()
        assert out.decode().rstrip("\n").endswith("done")
    check, present = _database_contents(db)
    expected = {f"{name}-{i}.md" for name in ("left", "right") for i in range(per_process)}
    conn = sqlite3.connect(db)
    order = [r[0].split("-")[0] for r in conn.execute("SELECT path FROM bookmarks ORDER BY rowid")]
    conn.close()
    switches = sum(1 for x, y in itertools.pairwise(order) if x != y)
    print(
        f"\ntwo writers: {len(present)} of {len(expected)} bookmarks in {elapsed:.2f} s, "
        f"commits alternated between the processes {switches} times"
    )
    assert check == "ok"
    assert present == expected
    assert switches >= 10, "the two processes did not write at the same time"


def test_every_kind_of_action_survives_a_kill_right_after_it(tmp_path: Path) -> None:
    db = tmp_path / "userdata.sqlite3"
    root = tmp_path / "posts"
    root.mkdir()
    code = r"""
import os, signal, sys
from pathlib import Path
from reader.core.post import Post
from reader.core.storage.userdata import UserStore
store = UserStore.open(Path(sys.argv[1]))
fid = store.folder_key(Path(sys.argv[2]), [])
a, b, c = (Post(f"{n}.md", n, None) for n in "abc")
store.add_bookmark(fid, a, note="note a")
store.toggle_bookmark(fid, b)
store.add_bookmark(fid, c)
store.remove_bookmark(fid, "c.md")
store.set_note(fid, "b.md", "note b")
store.set_read(fid, [a, b, c])
store.set_read(fid, [c], read=False)
store.set_position(fid, "a.md", 0.75)
store.set_last_opened(fid, "b.md")
os.kill(os.getpid(), signal.SIGKILL)  # no close(), no exit handlers
"""
    proc = subprocess.run(
        [sys.executable, "-c", code, str(db), str(root)], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert os.path.exists(f"{db}-wal")  # really left as a killed process leaves it
    store = UserStore.open(db)
    fid = store.folder_key(root, [])
    assert {b.path: b.note for b in store.bookmarks(fid)} == {"a.md": "note a", "b.md": "note b"}
    assert store.read_paths(fid) == {"a.md", "b.md"}
    assert store.position(fid, "a.md") == 0.75
    assert store.last_opened(fid) == "b.md"
    store.close()

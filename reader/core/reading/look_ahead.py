"""The greatest names in a site's `_posts` folder, listed ahead of the load that wants them.

A first load's preview (`reading.preview`) shows the newest posts of `_posts`, whose names it
must list first: 0.4 s at a million files, after the window is built. The window's program knows
the folder before it builds the window, so `look_ahead` starts that listing then, on a thread of
its own: listing a folder mostly waits on the system (the interpreter is free meanwhile), while
the window's half second of start-up is mostly Python. A large folder (`_CHILD_FROM`) is listed
by a child process the thread starts and waits for: a million names made into strings in this
process waited for the interpreter lock the start-up held (done 1.3 s after they were asked for,
against 0.7-0.75 s apart) and held 60 MB meanwhile. `greatest_names` takes what the thread found
for that folder (waiting for it if need be), else lists the folder itself.

Only names are listed: what they are (files, links, posts) the preview asks when it uses them,
and the load's scan has the last word.
"""

from __future__ import annotations

import heapq
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

from reader.core.reading.stat_apart import bare_python

__all__ = ["greatest_names", "look_ahead"]

# (how many names there were, the greatest ones), for each folder looked ahead at.
Listing = tuple[int, list[str]]
_ahead: dict[str, tuple[threading.Thread, list[Listing | None]]] = {}
_lock = threading.Lock()


def look_ahead(folder: str | Path, posts_dir: str = "_posts", count: int = 200) -> None:
    """Start listing the `count` greatest names of `folder`'s `posts_dir` on a thread of its
    own, for the next `greatest_names` of the same folder. Never raises.

    Not for a folder that has a cache: its load starts from the cache, without a preview, and a
    million names listed for nothing were 60 MB more at the window's peak."""
    from reader.core.storage.cache import database_path

    try:
        path = Path(folder).expanduser().resolve()
        if database_path(path).exists():
            return
    except (OSError, RuntimeError, ValueError):
        return
    root = str(path)
    found: list[Listing | None] = []

    def run() -> None:
        where = os.path.join(root, posts_dir)
        found.append(_listed_apart(where, count) or _listed(where, count))

    thread = threading.Thread(target=run, name="post-reader-look-ahead", daemon=True)
    with _lock:
        _ahead.clear()  # one folder at a time: one opened from the cache never asks
        _ahead[root] = (thread, found)
    thread.start()


def greatest_names(root: Path, posts_dir: str, count: int) -> Listing | None:
    """(How many names, the `count` greatest) of `root`'s `posts_dir`, a real folder (not a
    link), or None when there is none or it cannot be listed. Taken from `look_ahead` when it
    listed the same folder (once), else listed now."""
    with _lock:
        ahead = _ahead.pop(str(root), None)
    if ahead is not None:
        thread, found = ahead
        thread.join()
        if found and found[0] is not None and len(found[0][1]) >= min(count, found[0][0]):
            return found[0]
    return _listed(os.path.join(root, posts_dir), count)


def _listed(folder: str, count: int) -> Listing | None:
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
        names = os.listdir(folder)
    except (OSError, ValueError):
        return None
    return len(names), heapq.nlargest(count, names)


# A folder listing of this many bytes (ext4: ~70,000 names) is listed by a child process.
_CHILD_FROM = 4 << 20
# What the child runs: the count of names, then the greatest ones, each ending with a NUL (a
# name never holds one), as the file system's bytes.
_CHILD_CODE = """import heapq, os, sys
names = os.listdir(sys.argv[1])
out = [str(len(names)).encode()] + [os.fsencode(n) for n in heapq.nlargest(int(sys.argv[2]), names)]
sys.stdout.buffer.write(b"".join(n + b"\\0" for n in out))
"""


def _listed_apart(folder: str, count: int) -> Listing | None:
    """`_listed`, by a child process for a large folder (see the module docstring); None when
    it cannot be done so (then `_listed` is asked)."""
    try:
        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_size < _CHILD_FROM or not sys.executable:
            return None
        args = bare_python(_CHILD_CODE, folder, str(count))
        done = subprocess.run(args, capture_output=True, check=False, stdin=subprocess.DEVNULL)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    parts = done.stdout.split(b"\0")
    if done.returncode or len(parts) < 2 or parts.pop() or not parts[0].isdigit():
        return None
    total = int(parts[0])
    names = [os.fsdecode(n) for n in parts[1:]]
    return (total, names) if len(names) == min(count, total) else None

"""The greatest names in a site's `_posts` folder, listed ahead of the load that wants them.

A first load's preview (`reading.preview`) shows the newest posts of `_posts`, whose names it
must list first: 0.4 s at a million files, after the window is built. The window's program knows
the folder before it builds the window, so `look_ahead` starts that listing then, on a thread of
its own: listing a folder mostly waits on the system (the interpreter is free meanwhile), while
the window's half second of start-up is mostly Python. `greatest_names` takes what the thread
found for that folder (waiting for it if need be), else lists the folder itself.

Only names are listed: what they are (files, links, posts) the preview asks when it uses them,
and the load's scan has the last word.
"""

from __future__ import annotations

import heapq
import os
import stat
import threading
from pathlib import Path

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
        found.append(_listed(os.path.join(root, posts_dir), count))

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

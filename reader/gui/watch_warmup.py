"""Warming the kernel's watch of a large folder, so that the window's own watch costs nothing.

On Linux, the first inotify watch on a directory makes the kernel walk every cached entry of
that directory (it marks each one as having a watched parent): 61 ms for a `_posts` of a
million files on this project's machine, and a second watch added while the first is there
costs 0.0 ms. `QFileSystemWatcher.addPaths` made that first watch on the window's thread with
the interpreter lock held (PySide does not release it around the call), so the walk was a stall
of the window at the end of every load of a large folder.

`warm_watches` makes that first watch instead, from any thread, through `ctypes` (which lets
go of the interpreter lock during the call); the window then adds its own watch (nothing left
to walk) and closes this one (`WarmWatches.close`: the window's watch keeps the entries
marked). Anywhere inotify is not available, nothing is warmed and the window's watch is made as
before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

# <sys/inotify.h>: the events QFileSystemWatcher asks for on a directory. IN_ATTRIB is one that
# happens to a directory's entries, which is what makes the kernel mark them.
IN_ATTRIB = 0x004
IN_MOVED_FROM = 0x040
IN_MOVED_TO = 0x080
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_DELETE_SELF = 0x400
IN_MOVE_SELF = 0x800
WATCH_MASK = (
    IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF
)
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class WarmWatches:
    """An inotify instance holding a watch on each warmed directory; `close()` once the
    window's own watches are in place (closing it earlier only wastes the warming)."""

    def __init__(self, fd: int | None, warmed: tuple[str, ...]) -> None:
        self._fd = fd
        self.warmed = warmed  # the directories the kernel has marked

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.inotify_init1.argtypes = [ctypes.c_int]
        libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    except (OSError, AttributeError):
        return None
    return libc


def warm_watches(dirs: Iterable[str], cancelled: Callable[[], bool] = lambda: False) -> WarmWatches:
    """Watch each of `dirs` once from here (see the module's text): blocks for the kernel's
    walk, with the interpreter lock released. Never raises: a directory that cannot be
    watched (gone, no permission, the user's watch limit reached) is only left out."""
    libc = _libc()
    fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC) if libc is not None else -1
    if libc is None or fd < 0:
        return WarmWatches(None, ())
    warmed = []
    for path in dirs:
        if cancelled():
            break
        if libc.inotify_add_watch(fd, os.fsencode(path), WATCH_MASK) >= 0:
            warmed.append(path)
        else:
            log.debug("no warm watch on %s: %s", path, os.strerror(ctypes.get_errno()))
    return WarmWatches(fd, tuple(warmed))

"""A large folder's files compared with the known ones by child processes (`judged_apart`).

A warm reopen or a refresh `stat`s every file to find the ones that changed. In this process
that is a `DirEntry` and a stat result made in Python for each file, then a look-up among the
known files: 0.6-0.9 s at 100,000 files, 10 s at a million, all of it holding the interpreter
lock (beside the window's thread, or before a terminal command can answer). Here two child
processes (`python -I -S`) list the folder and each `lstat`s half of it, comparing every file
with the known stat of its name. This process hands them the known files as it holds them
(`Matcher.as_buffers`: views of its arrays, and a byte a file marking those of the folder), so
it makes no copy of them; they send back only which known files they found unchanged and the
entries that are anything else (new, changed, not regular, not readable), and meanwhile it waits
without the interpreter lock. The scan treats those entries as it treats `DirEntry`s (`_Listed`
answers as one does, from an `lstat` made here). Each child holds its own copy of the known
files and a dict of their names: 270 MB at a million files, for the 3.5 s it runs.

Anything amiss (no interpreter, a child failing or cancelled, the two children listing the
folder differently, a file system encoding other than UTF-8) and `judged_apart` answers None:
then the scan lists the folder in this process.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading
from array import array
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, cast

from reader.core.reading.grouped_sort import sorted_in_groups

if TYPE_CHECKING:
    from reader.core.reading.known import Matcher

__all__ = ["Judged", "ScanCancelled", "bare_python", "judged_apart"]


def bare_python(code: str, *args: str) -> list[str]:
    """The command that runs `code` with `args` in a bare child interpreter: isolated, no site
    packages (a start of ~20 ms), in this one's UTF-8 mode (names come back as this process
    would read them)."""
    utf8 = f"utf8={sys.flags.utf8_mode}"
    return [sys.executable, "-I", "-S", "-X", utf8, "-c", code, *args]


class ScanCancelled(Exception):
    """`scan_folder` stopped because `cancelled()` said so (here: its children were stopped)."""


# A folder listing of this many bytes (ext4: ~18,000 names) is judged by child processes:
# below it, starting them costs more than they save.
APART_FROM = 1 << 20
# ...when at least this many of its files are known: the children send back every other entry
# at once (a folder of new or unrelated files is better listed here, a batch at a time).
KNOWN_AT_LEAST = 8_192

# The child: reads (folder, part, parts, the length of the prefix of the folder's paths; the
# known files: a byte each, 1 for those in the folder, then each one's end in the blob, size and
# mtime, and the blob of every known path) from its input, lists the folder and `lstat`s every
# `parts`-th name from `part` on. Writes: the count of names and a digest of the listing (both
# children must have seen the same), the known files found unchanged (their numbers), then the
# positions and names of the rest. A million files: 3.4-3.6 s, 270 MB.
_CHILD_CODE = r"""import hashlib, os, stat, sys
from array import array
from itertools import compress
data = sys.stdin.buffer.read()
folder_len, prefix_len, part, parts, count = array("q", data[:40])
at = 40 + folder_len
folder = data[40:at]
pick = data[at : at + count]
at += count
ends, sizes, mtimes = (
    array("q", data[at + 8 * count * i : at + 8 * count * (i + 1)]) for i in range(3)
)
at += 24 * count
known = {}
for i in compress(range(count), pick):
    known[data[at + (ends[i - 1] if i else 0) + prefix_len : at + ends[i]]] = i
del data, pick, ends
names = os.listdir(folder)
digest = hashlib.blake2b(digest_size=16)
for at in range(0, len(names), 4096):
    digest.update(b"\0".join(names[at : at + 4096]) + b"\0")
digest = digest.digest()
fd = os.open(folder, os.O_RDONLY)
found, left, left_names = array("q"), array("q"), []
lstat, is_reg, get = os.lstat, stat.S_ISREG, known.get
for pos in range(part, len(names), parts):
    name = names[pos]
    try:
        st = lstat(name, dir_fd=fd)
    except OSError:
        st = None
    if st is not None and is_reg(st.st_mode):
        j = get(name)
        if j is not None and st.st_size == sizes[j] and st.st_mtime_ns == mtimes[j]:
            found.append(j)
            continue
    left.append(pos)
    left_names.append(name)
out = sys.stdout.buffer
out.write(array("q", [len(names), len(found), len(left)]).tobytes() + digest)
out.write(found.tobytes())
out.write(left.tobytes())
out.write(b"".join(n + b"\0" for n in left_names))
"""


class _Listed:
    """A folder entry a child did not find unchanged, answering as `os.DirEntry` does (its
    `lstat` made on first use, here, and kept)."""

    __slots__ = ("_st", "name", "path")

    def __init__(self, folder: str, name: str) -> None:
        self.name = name
        self.path = os.path.join(folder, name)
        self._st: os.stat_result | None = None

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        if follow_symlinks:
            return os.stat(self.path)
        if self._st is None:
            self._st = os.lstat(self.path)
        return self._st

    def _mode(self) -> int:
        try:
            return self.stat(follow_symlinks=False).st_mode
        except FileNotFoundError:  # (as `DirEntry.is_file` says False for a vanished file)
            return 0

    def is_file(self, *, follow_symlinks: bool = True) -> bool:
        if follow_symlinks:
            return os.path.isfile(self.path)
        return stat.S_ISREG(self._mode())

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        if follow_symlinks:
            return os.path.isdir(self.path)
        return stat.S_ISDIR(self._mode())


class Judged:
    """What the children found in one folder: `entries()` and `unchanged`, as `_unknown_only`
    gives them (the files first in the listing's order, then the rest by name)."""

    def __init__(self, folder: str, left: list[tuple[int, str]], unchanged: int) -> None:
        self._folder, self._left, self.unchanged = folder, left, unchanged

    def entries(self) -> Iterator[os.DirEntry[str]]:
        later: list[_Listed] = []
        for _pos, name in sorted(self._left):
            entry = _Listed(self._folder, name)
            try:
                plain_file = entry.is_file(follow_symlinks=False)
            except OSError:
                plain_file = False
            if plain_file:
                yield cast("os.DirEntry[str]", entry)
            else:
                later.append(entry)
        for entry in sorted_in_groups(later, _name):
            yield cast("os.DirEntry[str]", entry)


def _name(entry: _Listed) -> str:
    return entry.name


def judged_apart(
    folder: str,
    rel_dir: str,
    known: Matcher,
    cancelled: Callable[[], bool] | None = None,
    done_with_listing: Callable[[], None] = lambda: None,
    *,
    parts: int = 2,
    smallest: int | None = None,
) -> Judged | None:
    """`folder`'s entries less its known files found unchanged (ticked off in `known`), judged
    by `parts` child processes (see the module docstring), and `done_with_listing()` called
    (the scan's own listing of the folder is not needed, nor after a cancel). None when the
    folder's listing is under `smallest` bytes (`APART_FROM`), fewer than `KNOWN_AT_LEAST` of
    its files are known, or it cannot be done so (then nothing was ticked off). ScanCancelled
    (the children stopped) when `cancelled()` says so meanwhile."""
    if (
        not sys.executable
        or sys.getfilesystemencoding().lower().replace("-", "") != "utf8"
        or sys.getfilesystemencodeerrors() != "surrogateescape"
    ):
        return None
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_size < (APART_FROM if smallest is None else smallest):
        return None
    prefix = f"{rel_dir}/" if rel_dir else ""
    try:
        pick, columns = known.as_buffers(prefix)
    except ValueError:  # (never: nothing adds to them during a scan)
        return None
    if pick.count(1) < KNOWN_AT_LEAST:
        for view in columns:
            view.release()
        return None
    head = [os.fsencode(folder), pick]
    try:
        prefix_len = len(prefix.encode("utf-8", "surrogateescape"))
        answers = _run_children(head, prefix_len, columns, parts, cancelled)
    except BaseException:  # ScanCancelled: the scan ends here
        done_with_listing()
        raise
    finally:
        for view in columns:
            view.release()
    if answers is None:
        return None
    first = answers[0]
    if any(a[0] != first[0] or a[1] != first[1] for a in answers):
        return None  # the folder changed between the two listings
    left: list[tuple[int, str]] = []
    unchanged = 0
    for _count, _digest, found, positions, left_names in answers:
        unchanged += known.tick_off(found)
        left.extend(zip(positions, (os.fsdecode(n) for n in left_names), strict=True))
    done_with_listing()
    return Judged(folder, left, unchanged)


_Answer = tuple[int, bytes, "array[int]", "array[int]", list[bytes]]


def _run_children(
    head: list[bytes],
    prefix_len: int,
    columns: list[memoryview],
    parts: int,
    cancelled: Callable[[], bool] | None,
) -> list[_Answer] | None:
    """`head` (folder, a byte per known file) and `columns` to each of `parts` children,
    written by a thread each; their answers."""
    count = len(head[1])
    args = bare_python(_CHILD_CODE)
    procs: list[subprocess.Popen[bytes]] = []
    outputs: list[bytes | None] = [None] * parts

    def talk(n: int, proc: subprocess.Popen[bytes]) -> None:
        numbers = array("q", [len(head[0]), prefix_len, n, parts, count]).tobytes()
        try:
            assert proc.stdin is not None and proc.stdout is not None
            pieces: list[bytes | memoryview] = [numbers, *head, *columns]
            for piece in pieces:
                proc.stdin.write(piece)
            proc.stdin.close()
            outputs[n] = proc.stdout.read()
        except (OSError, ValueError):
            outputs[n] = None

    threads = []
    try:
        for part in range(parts):
            proc = subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
            procs.append(proc)
            thread = threading.Thread(target=talk, args=(part, proc), daemon=True)
            thread.start()
            threads.append(thread)
        for thread in threads:
            while thread.is_alive():
                if cancelled is not None and cancelled():
                    raise ScanCancelled
                thread.join(0.05)
        if any(proc.wait() for proc in procs):
            return None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        for thread in threads:
            thread.join()
        for proc in procs:
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
    answers = [_parsed(out, count) for out in outputs]
    return None if any(a is None for a in answers) else answers  # type: ignore[return-value]


def _parsed(out: bytes | None, count: int) -> _Answer | None:
    """A child's answer, checked whole: None when it is not one (every number in range)."""
    if out is None or len(out) < 40:
        return None
    total, found_n, left_n = array("q", out[:24])
    at = 40 + 8 * (found_n + left_n)
    if min(total, found_n, left_n) < 0 or at > len(out):
        return None
    found = array("q", out[40 : 40 + 8 * found_n])
    positions = array("q", out[40 + 8 * found_n : at])
    left_names = out[at:].split(b"\0")
    if left_names.pop() != b"" or len(left_names) != left_n:
        return None
    if (found and not 0 <= min(found) <= max(found) < count) or (
        positions and not 0 <= min(positions) <= max(positions) < total
    ):
        return None
    return total, out[24:40], found, positions, left_names

"""Reading a file inside the opened folder: the one place the core opens a post, an image or
anything else a post names.

Owns `read_inside(root, rel_path, limit)` and `FolderReader`, the same reading with the folders
already walked kept open across a series of files (parsing a load reads thousands of files in a
handful of folders).

The rules, each checked on what is actually opened, never on a path looked at beforehand:

- the path is walked one component at a time from the folder's own descriptor, each folder
  opened with O_NOFOLLOW relative to the one before, so nothing swapped in between (a folder
  replaced by a symbolic link) leads elsewhere;
- a symbolic link is followed only when its target lies inside the folder: a Jekyll site may
  link `assets/` to a shared copy of its own images, and the reader shows what Jekyll would
  build. Such a path is resolved once (`realpath`), checked to be inside, and the resolved path
  is then walked with O_NOFOLLOW all the way, so a link swapped in after the check is refused;
- the file itself is opened with O_NOFOLLOW and O_NONBLOCK (a FIFO never blocks the open) and
  `fstat` of the open descriptor must say "regular file": FIFOs, sockets and devices are refused
  before a byte is read;
- at most `limit` bytes are read, however large the file claims or grows to be.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from reader.core.errors import FileProblem, InputError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW
# O_NOCTTY: opening a terminal device must never make it this process's controlling terminal.
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
# What an open with O_NOFOLLOW says when the component is a symbolic link (ELOOP on Linux and
# macOS; ENOTDIR when O_DIRECTORY is checked first; EMLINK on FreeBSD).
_SYMLINK_ERRNOS = frozenset({errno.ELOOP, errno.ENOTDIR, errno.EMLINK})
# Folders kept open by one reader; past it they are all closed (a batch of files spread over
# thousands of folders must not run out of descriptors).
_MAX_OPEN_DIRS = 64
_CHUNK = 1 << 20
OUTSIDE = "leads outside the folder; not read"
_HAS_DIR_FD = os.open in os.supports_dir_fd


class _SymlinkMet(Exception):
    """A component of the walked path is a symbolic link (or not a folder)."""


def read_inside(root: Path | str, rel_path: str, limit: int) -> bytes:
    """The bytes of `rel_path` (relative to `root`, the opened folder), under the rules above;
    FileProblem with a one-line reason otherwise."""
    with FolderReader(root) as reader:
        return reader.read(rel_path, limit)


def is_file_inside(root: Path | str, rel_path: str) -> bool:
    """Whether `rel_path` is a regular file inside `root`, by the same rules as `read_inside`
    (opened and checked, not read)."""
    with FolderReader(root) as reader:
        return reader.is_file(rel_path)


class FolderReader:
    """Reads files inside one folder, keeping the folders it walked open until `close()` (use
    as a context manager; one thread). `last_stat`: the `fstat` of the file the last `read`
    opened (also when it then refused it), None when it opened nothing."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._real_root = os.path.realpath(root)
        self._dirs: dict[str, int] = {}  # folder-relative path ("" is the root) -> descriptor
        self.last_stat: os.stat_result | None = None

    def __enter__(self) -> FolderReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the folders kept open."""
        dirs, self._dirs = self._dirs, {}
        for fd in dirs.values():
            os.close(fd)

    def read(self, rel_path: str, limit: int) -> bytes:
        """The bytes of `rel_path`: see `read_inside`."""
        self.last_stat = None
        if "\0" in rel_path:  # no file has such a name; os.open would raise ValueError
            raise FileProblem("cannot be opened: the name holds a NUL character")
        fd = self._open(rel_path)
        try:
            st = os.fstat(fd)
            self.last_stat = st
            if not stat.S_ISREG(st.st_mode):
                raise FileProblem("not a regular file; never read")
            if st.st_size > limit:
                size, most = _megabytes(st.st_size), _megabytes(limit)
                raise FileProblem(f"too large ({size}; the limit is {most})")
            return _read_at_most(fd, limit)
        except OSError as exc:
            raise FileProblem(f"cannot be read: {exc.strerror}") from None
        finally:
            os.close(fd)

    def is_file(self, rel_path: str) -> bool:
        """Whether `rel_path` opens, under the rules of `read`, as a regular file."""
        if "\0" in rel_path:
            return False
        try:
            fd = self._open(rel_path)
        except FileProblem:
            return False
        try:
            return stat.S_ISREG(os.fstat(fd).st_mode)
        finally:
            os.close(fd)

    # --- opening ------------------------------------------------------------------------------

    def _open(self, rel_path: str) -> int:
        if not _HAS_DIR_FD:  # pragma: no cover - every POSIX system Python supports has dir_fd
            return _open_path(self._resolve(rel_path))
        if _is_plain(rel_path):
            try:
                return self._open_walked(rel_path)
            except _SymlinkMet:
                pass  # a symbolic link on the way: allowed when it stays inside
        real = self._resolve(rel_path)
        try:
            return self._open_walked(os.path.relpath(real, self._real_root))
        except _SymlinkMet:
            # The resolved path has no links; one there now was swapped in after the check.
            raise FileProblem("changed while it was being opened; not read") from None

    def _resolve(self, rel_path: str) -> str:
        real = os.path.realpath(os.path.join(self._real_root, rel_path))
        if real != self._real_root and not real.startswith(self._real_root.rstrip("/") + "/"):
            raise FileProblem(OUTSIDE)
        if real == self._real_root:
            raise FileProblem("not a regular file; never read")
        return real

    def _open_walked(self, rel_path: str) -> int:
        head, _, name = rel_path.rpartition("/")
        dir_fd = self._dir(head)
        try:
            return os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
        except OSError as exc:
            if exc.errno in _SYMLINK_ERRNOS and _is_link(name, dir_fd):
                raise _SymlinkMet from None
            raise FileProblem(f"cannot be opened: {exc.strerror}") from None

    def _dir(self, rel_dir: str) -> int:
        """The descriptor of folder `rel_dir`, walked from the root without following links."""
        fd = self._dirs.get(rel_dir)
        if fd is not None:
            return fd
        if len(self._dirs) >= _MAX_OPEN_DIRS:
            self.close()
        if not rel_dir:
            try:
                fd = os.open(self._real_root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError as exc:
                raise FileProblem(f"the folder cannot be opened: {exc.strerror}") from None
        else:
            parent, _, name = rel_dir.rpartition("/")
            parent_fd = self._dir(parent)
            try:
                fd = os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
            except OSError as exc:
                if exc.errno in _SYMLINK_ERRNOS and _is_link(name, parent_fd):
                    raise _SymlinkMet from None
                raise FileProblem(f"cannot be opened: {exc.strerror}") from None
        self._dirs[rel_dir] = fd
        return fd


def _is_plain(rel_path: str) -> bool:
    """A relative path of real names only (no '', '.' or '..' component): it can be walked."""
    if not rel_path or rel_path.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in rel_path.split("/"))


def _is_link(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _open_path(path: str) -> int:  # pragma: no cover - systems without dir_fd only
    try:
        return os.open(path, _FILE_FLAGS)
    except OSError as exc:
        raise FileProblem(f"cannot be opened: {exc.strerror}") from None


def _read_at_most(fd: int, limit: int) -> bytes:
    """Up to `limit` bytes; FileProblem when the file holds more (it grew after `fstat`)."""
    chunks = []
    remaining = limit + 1
    while remaining > 0:
        chunk = os.read(fd, min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileProblem(f"too large (over {_megabytes(limit)})")
    return data


def _megabytes(size: int) -> str:
    if size >= 1048576:
        return f"{size / 1048576:.1f} MB"
    return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"


def relative_inside(root: Path, path: str | Path) -> str:
    """`path` (absolute, or relative to `root`) relative to `root` with '/' separators;
    InputError when it lies outside `root`."""
    p = Path(path)
    resolved = p.resolve() if p.is_absolute() else (root / p).resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        raise InputError(f"path is outside the folder {root}: {path}") from None

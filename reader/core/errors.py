"""Every error the core raises on purpose, in one tree with one root.

Owns the exception hierarchy. Callers catch `PostReaderError` to report anything the core
meant to say, and tell the two kinds apart the way qutebrowser's `misc/sql.py` does:

    PostReaderError
    ├── EnvironmentProblem      the machine, not the program: a missing or unreadable folder,
    │   │                       a read-only or full disk, a locked database. Reported to the
    │   │                       user as it is; never repaired by moving data aside.
    │   ├── FolderError         the opened folder itself cannot be read
    │   ├── FileProblem         one post file cannot be read (it is listed as a problem)
    │   ├── StorageError        a database cannot be opened, read or written
    │   │   └── StorageFull, StorageReadOnly, StorageLocked
    │   └── WorkerStartError    worker processes cannot be started
    ├── InputError              what the user gave is not usable: a path outside the folder,
    │   │                       a post that is not there, an import file that is not an export
    │   └── ImportFileError
    ├── DamagedFile             a file of ours is not what we wrote (not a database, failed
    │                           integrity check): only this is ever moved aside
    └── BugError                the program broke its own rules; logged with a traceback

Parsing problems inside one file (bad YAML, a date that cannot be read) are reported as the
file's `Problem` or warning, not raised to the caller.
"""

from __future__ import annotations

from pathlib import Path


class PostReaderError(Exception):
    """The root: anything the core raises on purpose."""


class EnvironmentProblem(PostReaderError):
    """The environment is in the way (file system, permissions, disk space, locks)."""


class FolderError(EnvironmentProblem):
    """The folder itself cannot be opened (missing, not a folder, unreadable)."""


class FileProblem(EnvironmentProblem):
    """One file cannot be read as a post (its reason is the message)."""


class StorageError(EnvironmentProblem):
    """A database of ours cannot be opened, read or written. `path` is the file concerned,
    `reason` a short phrase for the user ("the disk is full")."""

    def __init__(self, message: str, path: Path | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason or message


class StorageFull(StorageError):
    """The disk (or quota) is full."""


class StorageReadOnly(StorageError):
    """The file or its file system cannot be written."""


class StorageLocked(StorageError):
    """Another process holds the database past the busy timeout."""


class WorkerStartError(EnvironmentProblem, RuntimeError):
    """Worker processes cannot be started (the caller falls back to one process)."""


class InputError(PostReaderError):
    """What the user asked for cannot be done as given (shown as one line, exit status 2)."""


class ImportFileError(InputError):
    """A bookmarks file to import is not a Post Reader export."""


class DamagedFile(PostReaderError):
    """A file of ours is damaged (not a database, or its integrity check fails)."""


class BugError(PostReaderError):
    """The program broke its own rules: a bug to report, with a traceback in the log."""

"""Loading a folder in stages: scan (paths and stat), then parse front matter in batches.

`iter_load` yields batches so a caller (the window's worker thread) can show rows as they arrive,
report progress and cancel between batches; `load_library` is the blocking form the CLI uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.core.errors import FolderError
from reader.core.events import Added
from reader.core.library import Library
from reader.core.post import Post, Problem
from reader.core.reading.parse import ZoneRules, parse_candidate
from reader.core.reading.scan import ScanResult, scan_folder


@dataclass(frozen=True, slots=True)
class LoadBatch:
    posts: tuple[Post, ...]
    problems: tuple[Problem, ...]
    done: int
    total: int


def check_folder(folder: str | Path) -> Path:
    """The resolved folder, or FolderError with a one-line reason."""
    path = Path(folder).expanduser()
    if not path.exists():
        raise FolderError(f"no such folder: {folder}")
    if not path.is_dir():
        raise FolderError(f"not a folder: {folder}")
    try:
        next(iter(path.iterdir()), None)
    except PermissionError:
        raise FolderError(f"folder cannot be read (permission denied): {folder}") from None
    except OSError as exc:
        raise FolderError(f"folder cannot be read ({exc.strerror}): {folder}") from None
    return path.resolve()


def scan(folder: str | Path, skip_dirs: frozenset[str] = frozenset()) -> ScanResult:
    return scan_folder(check_folder(folder), skip_dirs)


def iter_load(
    result: ScanResult,
    batch_size: int = 400,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[LoadBatch]:
    """Parse every candidate of a scan, yielding batches; stops early when `cancelled()`."""
    zones = ZoneRules.for_site(result.site)
    total = len(result.candidates)
    posts: list[Post] = []
    problems: list[Problem] = list(result.problems)
    done = 0
    for cand in result.candidates:
        item = parse_candidate(result.root, cand, result.site, zones)
        if isinstance(item, Post):
            posts.append(item)
        elif isinstance(item, Problem):
            problems.append(item)
        done += 1
        if done % batch_size == 0:
            yield LoadBatch(tuple(posts), tuple(problems), done, total)
            posts, problems = [], []
            if cancelled is not None and cancelled():
                return
    yield LoadBatch(tuple(posts), tuple(problems), done, total)


def load_library(folder: str | Path, skip_dirs: frozenset[str] = frozenset()) -> Library:
    """Load a whole folder (blocking)."""
    result = scan(folder, skip_dirs)
    library = Library(result.root, result.site)
    for batch in iter_load(result, batch_size=2000):
        library.apply(Added(list(batch.posts), list(batch.problems)))
    return library

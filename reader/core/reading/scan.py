"""Walking a folder safely to find post files: paths and stat only, nothing is opened.

Decides between Jekyll site mode (a `_config.yml` or any `_posts` folder) and plain folder mode,
applies Jekyll's skip rules, and never follows a symlink out of the folder or around a loop.
FIFOs, sockets and devices named like posts are reported, never opened. `check_folder` says
whether the folder itself can be walked at all.
"""

from __future__ import annotations

import fnmatch
import logging
import operator
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.errors import FolderError
from reader.core.post import MARKDOWN_EXTENSIONS, POST_EXTENSIONS, Problem, SiteConfig
from reader.core.reading.grouped_sort import sorted_in_groups
from reader.core.reading.jekyll import (
    ALWAYS_SKIPPED_DIRS,
    DATE_FILENAME,
    is_special_name,
    load_site_config,
)
from reader.core.reading.known import KnownFiles, Matcher, stat_of
from reader.core.reading.records import builder_for
from reader.core.reading.stat_apart import Judged, judged_apart
from reader.core.reading.stat_apart import ScanCancelled as ScanCancelled  # (re-exported)

if TYPE_CHECKING:
    ScandirIterator = os._ScandirIterator[str]

log = logging.getLogger(__name__)

POSTS_DIR = "_posts"
DRAFTS_DIR = "_drafts"
# Files that sit beside posts in `_posts` but are never posts themselves.
ASSET_EXTENSIONS = frozenset(
    {
        *".png .jpg .jpeg .gif .webp .svg .bmp .ico .tif .tiff .avif .pdf .zip .gz .tar".split(),
        *".mp3 .mp4 .webm .mov .ogg .wav .woff .woff2 .ttf .otf .css .js .json .xml".split(),
        ".yml",
        ".yaml",
    }
)
# Folders never worth walking in plain folder mode either.
PLAIN_SKIPPED_DIRS = ALWAYS_SKIPPED_DIRS | {"__pycache__", ".git", ".hg", ".svn"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file that may be a post, with what its location says about it."""

    path: str  # relative to the root, '/' separators
    size: int
    mtime_ns: int
    draft: bool = False
    in_posts_dir: bool = False  # inside a `_posts` or `_drafts` folder (site mode)
    path_categories: tuple[str, ...] = ()
    markdown: bool = False

    def with_stat(self, size: int, mtime_ns: int) -> Candidate:
        """This candidate with its size and mtime (`dataclasses.replace` took 8% of a parse)."""
        return _candidate(
            self.path,
            size,
            mtime_ns,
            self.draft,
            self.in_posts_dir,
            self.path_categories,
            self.markdown,
        )


_CandidateBuilder = builder_for(Candidate)  # plain assignments: see reader.core.reading.records


def _candidate(
    path: str,
    size: int,
    mtime_ns: int,
    draft: bool,
    in_posts_dir: bool,
    path_categories: tuple[str, ...],
    markdown: bool,
) -> Candidate:
    """`Candidate(...)`, about four times faster."""
    cand: Candidate = _CandidateBuilder(
        path, size, mtime_ns, draft, in_posts_dir, path_categories, markdown
    )
    cand.__class__ = Candidate
    return cand


@dataclass(slots=True)
class ScanResult:
    root: Path
    site: SiteConfig
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # With `scan_folder(known=...)`: the known paths not found (None without `known`), and
    # how many files were found as known (left out of `candidates`).
    removed: list[str] | None = None
    unchanged: int = 0
    # The folders (relative, "" for the root) that hold candidates or unchanged known files.
    folders: list[str] = field(default_factory=list)


BAD_NAME = "file name is not valid UTF-8; not read (rename it to read it)"
BAD_DIR_NAME = "name is not valid UTF-8; what it holds is not read (rename it to read it)"


def _valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def displayable(path: str) -> str:
    """A path with undecodable bytes shown as U+FFFD, safe to store and display."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _extension(name: str) -> str:
    """`os.path.splitext(name)[1].lower()` without its generic machinery (once per file)."""
    dot = name.rfind(".")
    if dot <= 0:
        return ""
    if name[0] == "." and not name[:dot].strip("."):
        return ""  # only dots before the last one: `..md` has no extension, as in splitext
    return name[dot:].lower()


def _kind_of(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return "not a regular file"
    return None


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    for pat in patterns:
        p = pat.strip("/")
        if not p:
            continue
        if rel == p or rel.startswith(p + "/") or fnmatch.fnmatchcase(rel, p):
            return True
    return False


# The size and mtime of a candidate found by a scan that did not stat files (`stat_files=False`).
UNKNOWN = -1


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


def scan_folder(
    root: Path,
    skip_dirs: frozenset[str] = frozenset(),
    *,
    stat_files: bool = True,
    known: KnownFiles | None = None,
    known_is_site: bool = False,
    cancelled: Callable[[], bool] | None = None,
) -> ScanResult:
    """Find candidate post files below `root` (which must be an existing folder).

    `cancelled()`, when given, is asked every 4,096 entries: ScanCancelled when it says so (a
    live refresh of a million files takes seconds, and a closing window waits for it).

    `stat_files=False`: regular files (as the folder listing's file type says, no `stat` call)
    become candidates with size and mtime UNKNOWN, for a parse that learns them from the `fstat`
    of the file it opens (`ParseSession.with_stat`): on a cold load this makes the scan about
    five times faster. Everything else (folders, symbolic links, FIFOs, sockets, devices, and
    entries of unknown type) is still `stat`ed and judged exactly as with `stat_files=True`.

    `known`: the (size, mtime_ns) of each path an earlier scan found, in site mode if
    `known_is_site` (a caller whose scan comes out in the other mode must scan again without
    it). A file found with the same size and time is not made a candidate, only counted in
    `unchanged`, and `removed` lists the known paths not found: a warm reopen of 100,000
    unchanged posts then holds no 100,000 candidates (23 MB) beside the library."""
    root = root.resolve()
    site_posts: list[Candidate] = []
    plain: list[Candidate] = []
    problems: list[Problem] = []
    # The known files, ticked off as they are found (the rest were removed).
    remaining = known.matcher() if known is not None else None
    unchanged = 0
    seen = 0  # entries listed, for `cancelled`
    site_dirs: set[str] = set()
    plain_dirs: set[str] = set()
    has_posts_dir = False
    config = load_site_config(root, has_posts_dir=False)
    excludes = config.exclude
    visited: set[tuple[int, int]] = set()
    st_root = root.stat()
    visited.add((st_root.st_dev, st_root.st_ino))

    # (absolute dir, relative dir, special: None|"_posts"|"_drafts", categories from folders)
    stack: list[tuple[str, str, str | None, tuple[str, ...]]] = [(str(root), "", None, ())]
    root_prefix = str(root) + os.sep

    def inside_root(real: str) -> bool:
        return real == str(root) or real.startswith(root_prefix)

    while stack:
        abs_dir, rel_dir, special, cats = stack.pop()
        try:
            listing = os.scandir(abs_dir)
        except OSError as exc:
            problems.append(Problem(rel_dir or ".", f"folder cannot be read: {exc.strerror}"))
            continue

        # With `known` (a warm reopen, a refresh), files are judged as the listing yields them
        # and let go: 100,000 entries held at once were 30 MB (60 MB with their stat results)
        # beside the library. Without it every file becomes a candidate, and candidates made
        # in name order are freed in name order as the parse goes, which lets whole memory
        # arenas go back (made in listing order, the cold load's peak was 8 MB higher).
        # Folders and symbolic links, whose order decides which of two ways to one folder
        # is walked, always go in name order.
        def failed(exc: OSError, rel_dir: str = rel_dir) -> None:
            problems.append(Problem(rel_dir or ".", f"folder cannot be read: {exc.strerror}"))

        # The known files not found yet, when files here are compared with them (those of
        # the mode `known` was made in, as below): a known file passed every test of its path
        # when it was found before, so only its stat is new, and those of a regular file of
        # the same size and time go no further (`_unknown_only`, a batch at a time; a large
        # folder's by child processes, `judged_apart`).
        entries = _entries(listing, failed, stream_files=remaining is not None)
        found: Judged | _unknown_only | None = None
        if remaining is not None and (special is not None) == known_is_site:
            found = judged_apart(abs_dir, rel_dir, remaining, cancelled, listing.close)
            found = found or _unknown_only(entries, rel_dir, remaining, cancelled)
            entries = found.entries()
        for entry in entries:
            seen += 1
            if not seen & 0xFFF and cancelled is not None and cancelled():
                raise ScanCancelled
            name = entry.name
            if name.startswith("."):
                continue
            rel = f"{rel_dir}/{name}" if rel_dir else name
            ext = _extension(name)
            looks_like_post = ext in POST_EXTENSIONS or bool(
                # Jekyll reads any date-named file in `_posts` as a post (`.mc`, `.tcl` seen).
                special is not None and ext not in ASSET_EXTENSIONS and DATE_FILENAME.match(name)
            )
            if not name.isascii() and not _valid_name(name):
                # Undecodable bytes come back as lone surrogates, which SQLite and Qt refuse:
                # such a path cannot travel through the program, so say so instead of reading.
                if entry.is_dir(follow_symlinks=False):
                    problems.append(Problem(displayable(rel), BAD_DIR_NAME))
                elif looks_like_post:
                    problems.append(Problem(displayable(rel), BAD_NAME))
                continue
            if not stat_files and entry.is_file(follow_symlinks=False):
                # A regular file (the listing says so): its stat is left to the parse.
                if not looks_like_post:
                    continue
                size = mtime_ns = UNKNOWN
            else:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    if looks_like_post:
                        problems.append(Problem(rel, f"cannot be read: {exc.strerror}"))
                    continue
                mode = st.st_mode
                if stat.S_ISLNK(mode):
                    try:
                        real = os.path.realpath(entry.path, strict=True)
                        st = os.stat(real)
                    except (OSError, RuntimeError):
                        if looks_like_post:
                            problems.append(Problem(rel, "broken symbolic link, or a link loop"))
                        continue
                    if not inside_root(real):
                        if looks_like_post or stat.S_ISDIR(st.st_mode):
                            problems.append(
                                Problem(rel, "symbolic link leads outside the folder; not followed")
                            )
                        continue
                    mode = st.st_mode
                if stat.S_ISDIR(mode):
                    key = (st.st_dev, st.st_ino)
                    if key in visited:
                        continue  # a second way to the same folder (loop or duplicate link)
                    if name in skip_dirs:
                        continue
                    visited.add(key)
                    child = _child_dir(name, rel, special, cats, excludes)
                    if child is None:
                        continue
                    child_special, child_cats = child
                    if child_special == POSTS_DIR and special is None:
                        has_posts_dir = True
                    stack.append((entry.path, rel, child_special, child_cats))
                    continue
                if not looks_like_post:
                    continue
                odd = None if stat.S_ISREG(mode) else _kind_of(mode)
                if odd:
                    problems.append(Problem(rel, f"{odd}, not a file; never opened"))
                    continue
                size, mtime_ns = st.st_size, st.st_mtime_ns
            if special is not None:
                if is_special_name(name):
                    continue
                site_dirs.add(rel_dir)
                if (
                    remaining is not None
                    and known_is_site
                    and remaining.pop(rel, None) == stat_of(size, mtime_ns)
                ):
                    unchanged += 1
                    continue
                site_posts.append(
                    _candidate(
                        rel,
                        size,
                        mtime_ns,
                        special == DRAFTS_DIR,
                        True,
                        cats,
                        ext in MARKDOWN_EXTENSIONS,
                    )
                )
            elif rel_dir.split("/", 1)[0] not in PLAIN_SKIPPED_DIRS:
                plain_dirs.add(rel_dir)
                if (
                    remaining is not None
                    and not known_is_site
                    and remaining.pop(rel, None) == stat_of(size, mtime_ns)
                ):
                    unchanged += 1
                    continue
                plain.append(
                    _candidate(rel, size, mtime_ns, False, False, (), ext in MARKDOWN_EXTENSIONS)
                )
        if found is not None and found.unchanged:
            unchanged += found.unchanged
            (site_dirs if special is not None else plain_dirs).add(rel_dir)

    is_site = config.is_site or has_posts_dir
    if is_site and not config.is_site:
        config = load_site_config(root, has_posts_dir=True)
    chosen = site_posts if is_site else plain
    chosen.sort(key=operator.attrgetter("path"))
    if is_site:
        # In site mode only problems in `_posts`/`_drafts` (or unreadable folders) concern posts.
        problems = [
            p
            for p in problems
            if "/_posts/" in f"/{p.path}" or "/_drafts/" in f"/{p.path}" or "folder" in p.reason
        ]
    # Files come in the listing's order: the problems are reported in path order.
    problems.sort(key=operator.attrgetter("path"))
    result = ScanResult(root, config, chosen, problems)
    result.folders = sorted(site_dirs if is_site else plain_dirs)
    if remaining is not None and is_site == known_is_site:
        result.removed = remaining.left()
        result.unchanged = unchanged
    # Otherwise the list chosen is the other mode's, which was not compared: it is complete.
    return result


class _unknown_only:  # used as a function that also counts
    """The entries of one folder's listing less the known regular files found unchanged
    (`Matcher.unchanged`, 4,096 at a time), in the listing's order; counts those left out."""

    BATCH = 4096

    def __init__(
        self,
        entries: Iterator[os.DirEntry[str]],
        rel_dir: str,
        known: Matcher,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self._entries, self._rel_dir, self._known = entries, rel_dir, known
        self._cancelled = cancelled
        self.unchanged = 0

    def entries(self) -> Iterator[os.DirEntry[str]]:
        batch: list[os.DirEntry[str]] = []
        for entry in self._entries:
            batch.append(entry)
            if len(batch) == self.BATCH:
                yield from self._judged(batch)
                batch = []
        yield from self._judged(batch)

    def _judged(self, batch: list[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
        if self._cancelled is not None and self._cancelled():
            raise ScanCancelled
        prefix = f"{self._rel_dir}/" if self._rel_dir else ""
        files: list[int] = []
        paths: list[str] = []
        sizes: list[int] = []
        mtimes: list[int] = []
        for n, entry in enumerate(batch):
            name = entry.name
            if name.startswith("."):
                continue
            try:
                st = entry.stat(follow_symlinks=False)  # kept by the entry for later
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                files.append(n)
                paths.append(prefix + name)
                sizes.append(st.st_size)
                mtimes.append(st.st_mtime_ns)
        same = self._known.unchanged(paths, sizes, mtimes)
        if not any(same):
            return batch
        left_out = {n for n, unchanged in zip(files, same, strict=True) if unchanged}
        self.unchanged += len(left_out)
        return [entry for n, entry in enumerate(batch) if n not in left_out]


def _entries(
    listing: ScandirIterator, failed: Callable[[OSError], None], stream_files: bool
) -> Iterator[os.DirEntry[str]]:
    """The entries of `listing` (closed at the end) in name order; with `stream_files`, the
    files first, as they come. A listing that breaks off is reported to `failed`; what it
    gave is still used."""
    later: list[os.DirEntry[str]] = []
    with listing:
        try:
            for entry in listing:
                try:
                    plain_file = stream_files and entry.is_file(follow_symlinks=False)
                except OSError:
                    plain_file = False
                if plain_file:
                    yield entry
                else:
                    later.append(entry)
        except OSError as exc:
            failed(exc)
    later = sorted_in_groups(later, _name)  # a million files: not one long sort
    later.reverse()
    while later:
        yield later.pop()


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _child_dir(
    name: str,
    rel: str,
    special: str | None,
    cats: tuple[str, ...],
    excludes: tuple[str, ...],
) -> tuple[str | None, tuple[str, ...]] | None:
    """How to walk a sub-folder, or None to skip it."""
    if special is not None:
        # Inside `_posts`/`_drafts`: sub-folders are read, but are not categories.
        if is_special_name(name):
            return None
        return special, cats
    if name in (POSTS_DIR, DRAFTS_DIR):
        return name, cats
    if is_special_name(name) or name in ALWAYS_SKIPPED_DIRS or _excluded(rel, excludes):
        return None
    # Folders above `_posts` become categories (`movies/horror/_posts` -> movies, horror).
    return None, (*cats, name)

"""The newest posts of a large site, read before its folder is scanned (a first load's first rows).

A first load lists every file of the folder before the first one is parsed: a million names in
one `_posts` folder take five seconds, and the window stays empty meanwhile. Jekyll's post names
begin with their date, so the greatest names in the root's `_posts` are the newest posts, the
first rows of the list. `newest_posts` lists that one folder (names only: 0.4 s at a million,
done while the window is built when its program looks ahead: `reading.look_ahead`), takes the
greatest date-named regular files and parses them in this process; the load shows them, then
scans the whole folder as before.

The scan has the last word (`Preview.settle`): a previewed post is kept only when the scan found
the same file as the same candidate in a site of the same fingerprint; any other is taken back
(`Removed`) and, if the scan found it otherwise, parsed with the rest. The kept ones are left out
of what the workers parse, known with the stats their parse read, and written to the cache.
"""

from __future__ import annotations

import bisect
import operator
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.post import MARKDOWN_EXTENSIONS, POST_EXTENSIONS, SiteConfig
from reader.core.reading.cache_writer import CacheWriter
from reader.core.reading.jekyll import DATE_FILENAME, is_special_name, load_site_config
from reader.core.reading.known import KnownFiles
from reader.core.reading.look_ahead import greatest_names
from reader.core.reading.scan import (
    ASSET_EXTENSIONS,
    POSTS_DIR,
    UNKNOWN,
    Candidate,
    ScanResult,
    _candidate,
    _extension,
    _valid_name,
)
from reader.core.reading.workers import ParsedBatch, parse_in_process
from reader.core.storage.cache import Fingerprint, Row, fingerprint_for

__all__ = ["PREVIEW_FROM", "PREVIEW_POSTS", "Preview", "newest_posts"]

# How many posts the preview reads, and from how many names in `_posts` it is worth it (a
# smaller folder's whole first load is about as quick as this preview).
PREVIEW_POSTS = 50
PREVIEW_FROM = 2000
_PATH = operator.attrgetter("path")


@dataclass
class Preview:
    """The posts read before the scan, and what to do with them once it is done."""

    site: SiteConfig
    fingerprint: Fingerprint
    candidates: list[Candidate]  # in path order
    batch: ParsedBatch
    kept: list[Row] = field(default_factory=list)  # after `settle`: the rows the load keeps

    def settle(self, scan: ScanResult, fingerprint: Fingerprint, writer: CacheWriter) -> list[str]:
        """Square the preview with the whole folder's `scan` (see the module's text): the
        confirmed files leave `scan.candidates` (kept in path order), their rows go to `writer`
        and `kept`; returns the paths to take back."""
        same_site = fingerprint.digest == self.fingerprint.digest
        cands = scan.candidates
        found: list[int] = []
        confirmed: set[str] = set()
        for cand in self.candidates if same_site else ():
            i = bisect.bisect_left(cands, cand.path, key=_PATH)
            if i < len(cands) and cands[i] == cand:
                found.append(i)
                confirmed.add(cand.path)
        for i in sorted(found, reverse=True):  # the newest names: near the list's end
            del cands[i]
        self.kept = [row for row in self.batch.rows if row[0] in confirmed]
        posts = [p for p in self.batch.posts if p.path in confirmed]
        writer.add(self.kept, posts if len(posts) == len(self.batch.posts) else None)
        shown = [p.path for p in self.batch.posts] + [p.path for p in self.batch.problems]
        return [path for path in shown if path not in confirmed]

    def know(self, known: KnownFiles) -> None:
        """Add the kept files' stats (as their parse read them) to `known`."""
        rows = self.kept
        known.add_many([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def newest_posts(
    root: Path,
    skip_dirs: frozenset[str],
    as_read: Callable[[SiteConfig], SiteConfig],
    cancelled: Callable[[], bool] | None = None,
) -> Preview | None:
    """Parse the newest posts of `root`'s `_posts` folder, or None when the folder has no such
    folder or too few names in it to be worth it (see the module's text). `as_read`: the site
    as the reader reads it (what the load does with the scan's)."""
    if POSTS_DIR in skip_dirs:
        return None
    folder = os.path.join(root, POSTS_DIR)
    listed = greatest_names(root, POSTS_DIR, PREVIEW_POSTS * 4)  # often listed ahead
    if listed is None or listed[0] < PREVIEW_FROM:
        return None
    top = listed[1]
    candidates: list[Candidate] = []
    for name in top:
        # The scan's rules for a file in `_posts` (see `scan_folder`), date-named ones only.
        ext = _extension(name)
        if (
            is_special_name(name)
            or not DATE_FILENAME.match(name)
            or (ext not in POST_EXTENSIONS and ext in ASSET_EXTENSIONS)
            or (not name.isascii() and not _valid_name(name))
        ):
            continue
        try:
            if not stat.S_ISREG(os.lstat(os.path.join(folder, name)).st_mode):
                continue
        except OSError:
            continue
        rel = f"{POSTS_DIR}/{name}"
        markdown = ext in MARKDOWN_EXTENSIONS
        candidates.append(_candidate(rel, UNKNOWN, UNKNOWN, False, True, (), markdown))
        if len(candidates) == PREVIEW_POSTS:
            break
    if not candidates:
        return None
    # The site as the scan makes it: `_config.yml`, and a site because of its `_posts` folder.
    site = load_site_config(root, has_posts_dir=False)
    if not site.is_site:
        site = load_site_config(root, has_posts_dir=True)
    site = as_read(site)
    fingerprint = fingerprint_for(site)
    candidates.sort(key=_PATH)
    result = ScanResult(root, site, candidates)
    batches = parse_in_process(
        result, candidates, cancelled, fingerprint.zones, batch_size=len(candidates)
    )
    batch = next(batches, None)  # one batch of them all; none when cancelled first
    return Preview(site, fingerprint, candidates, batch) if batch is not None else None

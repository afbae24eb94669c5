"""FolderState: what the loader knows about an opened folder between a load and its refreshes.

Owns the known files' lifetime. A scan compares every file with the known ones (`KnownFiles`:
72 MB at a million files); between scans they are only needed again by the next refresh. When a
load or a refresh ended complete and the folder's cache holds every change (enabled, never
behind), the state lets them go (`let_go_of_stats`) and the next scan reads them back from the
cache (`recall_stats`: 1.5 s at a million files, 0.15 s at 100,000, once per refresh, which
polls no more often than every 20 scans' time). Without a cache, or with one that missed a
write, they stay in memory: then nothing else has them. Another process may write the same
cache meanwhile (a terminal command, a second window: each write gives it a new generation);
then its files are no longer what this state has read, and the refresh asks for a reload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader.core.post import Problem, SiteConfig
from reader.core.reading.known import KnownFiles
from reader.core.storage.cache import Fingerprint, FolderCache


@dataclass(slots=True)
class FolderState:
    """What is known about an opened folder; `refresh` keeps it current. Close it when the
    folder is closed (it holds the cache database open)."""

    root: Path
    site: SiteConfig
    fingerprint: Fingerprint
    cache: FolderCache
    # Every known file (posts, problems, files that are not posts); None: let go, the cache
    # holds them (see the module docstring and `stats`).
    known: KnownFiles | None
    scan_problems: list[Problem]
    skip_dirs: frozenset[str] = frozenset()
    # The cache generation whose posts are the loaded ones (the same paths and stamps), when
    # the load ended complete with every change written; "" otherwise.
    generation: str = ""
    # The folders that hold post files (relative), as the last scan found them.
    folders: list[str] = field(default_factory=list)
    # The cache's generation when the known files were let go (they are its files only then).
    let_go_at: str = ""

    @property
    def stats(self) -> KnownFiles:
        """The known files, read back from the cache if they were let go (none when the cache
        cannot give them back: `refresh` asks `recall_stats` first and reloads instead)."""
        if not self.recall_stats():
            return KnownFiles()
        assert self.known is not None
        return self.known

    def recall_stats(self) -> bool:
        """Have the known files in memory again; False when they were let go and the cache
        cannot give them back: it cannot be read any more, or another process wrote to it
        since (its files are then not those this state has read)."""
        if self.known is None:
            if self.cache.generation() != self.let_go_at:
                return False
            found = self.cache.known_files()
            if found is None:
                return False
            self.known = found[0]
        return True

    def let_go_of_stats(self) -> None:
        """After a load or refresh that ended complete: forget the known files when the cache
        holds them all (it is open and no write to it failed since it was opened)."""
        if self.cache.enabled and not self.cache.behind:
            generation = self.cache.generation()
            if generation:  # ("" when it has none or cannot be read: keep them)
                self.known, self.let_go_at = None, generation

    def close(self) -> None:
        self.cache.close()

"""The events a load or a refresh reports, which `Library.apply` turns into changes.

Owns `Snapshot`, `Added`, `Removed`, `Progress`, `Done` (together `LoadEvent`), `LoadStats` and
`FolderChanges`. A consumer applies events in order: `Snapshot` replaces everything; `Removed`
drops records by path (deleted files, and modified ones whose new record follows in an
`Added`); `Added` adds records whose paths are not present; `Progress` is for the progress bar;
`Done` ends the load and carries the state a later refresh needs. `FolderChanges` is what one
refresh found: removals and additions, applied the same way.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.core.post import Post, Problem, SiteConfig, SortKey

if TYPE_CHECKING:
    from reader.core.reading.folder_state import FolderState

# (posts, their orders, cancelled) -> whether they were kept.
OrdersStore = Callable[[Sequence[Post], Mapping[SortKey, "array[int]"], Callable[[], bool]], bool]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything known now: replaces whatever the consumer holds."""

    site: SiteConfig
    # A `reader.core.table.PostTable` when it comes from the cache (any sequence will do).
    posts: Sequence[Post]
    problems: list[Problem]
    from_cache: bool
    # Reads a cached post's excerpt (posts from the cache come without one); None otherwise.
    excerpts: Callable[[str], str] | None = None
    # The library's indexes for `posts`, built ahead by `library.prepare` (any thread).
    indexes: object | None = None
    # Sort orders saved with the cache for `posts` (`storage.saved_orders`): not built again.
    orders: Mapping[SortKey, array[int]] | None = None
    # Keeps the orders a library builds later with the cache (`storage.saved_orders.save`).
    orders_store: OrdersStore | None = None


@dataclass(frozen=True, slots=True)
class Added:
    """New records (their paths are not present: modified files were `Removed` first)."""

    posts: Sequence[Post]
    problems: list[Problem]


@dataclass(frozen=True, slots=True)
class Removed:
    """Paths whose records must go (posts and problems alike)."""

    paths: list[str]


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int


@dataclass(slots=True)
class LoadStats:
    """What a load did and how long each stage took (seconds since the load started)."""

    files: int = 0  # candidate files found by the scan
    cached: int = 0  # records shown from the cache
    parsed: int = 0  # files parsed this time
    removed: int = 0  # paths removed (deleted, modified, or no longer a scan problem)
    crashed: int = 0  # files during which a parser process died
    used_workers: bool = False
    cancelled: bool = False
    cache_enabled: bool = True
    times: dict[str, float] = field(default_factory=dict)

    @property
    def scan_seconds(self) -> float:
        """How long the scan of the folder took (after the cached list or the newest posts
        were shown); 0 when it was not timed."""
        end = self.times.get("scan")
        if end is None:
            return 0.0
        shown = [self.times.get(name, end + 1) for name in ("snapshot", "first_batch")]
        return end - max((t for t in shown if t <= end), default=0.0)


@dataclass(frozen=True, slots=True)
class Done:
    stats: LoadStats
    state: FolderState


LoadEvent = Snapshot | Added | Removed | Progress | Done


@dataclass(slots=True)
class FolderChanges:
    """What `refresh` found. `reload`: parsing rules changed (e.g. the `_config.yml` timezone),
    so the folder must be opened again with `open_library`; nothing else is filled in then."""

    posts: list[Post] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reload: bool = False
    scan_seconds: float = 0.0
    parse_seconds: float = 0.0
    # The folder is not there any more (unplugged, deleted or renamed away): `reload` is set
    # too, but a window keeps what it loaded and waits for the folder to come back.
    gone: bool = False

    def __bool__(self) -> bool:
        return bool(self.posts or self.problems or self.removed or self.reload)

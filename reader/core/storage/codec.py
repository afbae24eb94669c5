"""The row format of the index cache: how one parsed file becomes a row and back, and the
fingerprint of everything besides a file's bytes that parsing depends on.

Owns `Row`, `encode_result`, `RowDecoder` (fast: 100,000 posts decode in a fraction of a
second), `Fingerprint` and `fingerprint_for`. Worker processes send their results in this form
too. The database that holds the rows is `storage.cache`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from reader.core.errors import DamagedFile
from reader.core.post import Post, PostFormat, Problem, SiteConfig
from reader.core.reading import jekyll
from reader.core.reading.known import KnownFiles
from reader.core.reading.parse import ZoneRules
from reader.core.reading.records import builder_for
from reader.core.reading.scan import Candidate
from reader.core.table import PostTable

# Bump when the row format changes (the cache is then rebuilt, never converted).
ROW_FORMAT_VERSION = 3  # 3: a post's own permalink
# Bump when parsing changes what it produces in a way the source digest below cannot see
# (e.g. a dependency upgrade that reads YAML differently).
PARSER_VERSION = 1
# The modules whose code decides what a file parses to; editing one discards old caches.
_PARSING_MODULES = (
    "reader.core.post",
    "reader.core.reading.jekyll",
    "reader.core.reading.scan",
    "reader.core.reading.parse",
    "reader.core.reading.textdecode",
    "reader.core.reading.yamlsafe",
    "reader.core.reading.yamlflat",
    "reader.core.reading.records",
    "reader.core.storage.codec",
)

KIND_POST = 0
KIND_PROBLEM = 1
KIND_NOT_A_POST = 2
KIND_POST_JSON = 3  # a post whose text holds the separators of the packed form

# (path, size, mtime_ns, kind, data, excerpt): one cached file, also the form worker processes
# send back. The excerpt, the bulk of a row, has its own column: split out of `data` it would be
# copied once more per post.
Row = tuple[str, int, int, int, str | None, str | None]

_FS = "\x1e"  # between a post's fields
_US = "\x1f"  # between the items of a tuple field
_FORMATS = {f.value: f for f in PostFormat}

if [f.name for f in dataclasses.fields(Post)] != [
    "path", "title", "date", "categories", "tags", "slug", "format", "draft", "published",
    "warnings", "excerpt", "size", "mtime_ns", "permalink",
]:  # fmt: skip
    # The decoder builds posts positionally (the fastest way); a new field must be cached too.
    raise ImportError("reader.core.storage.codec does not know every field of Post: update it")


# Builds a Post with plain assignments (see reading.records): 0.13 s of a 100,000-post reopen.


class CacheDamaged(DamagedFile):
    """A cached row that cannot be decoded: the database is not what this version wrote."""


# --- fingerprint --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What parsing depends on besides a file's bytes; a cache written under another is void."""

    site: SiteConfig
    digest: str
    zones: ZoneRules


@lru_cache(maxsize=1)
def _sources_digest() -> str:
    h = hashlib.sha256()
    for name in _PARSING_MODULES:
        module = sys.modules.get(name)
        source = getattr(module, "__file__", None)
        h.update(name.encode())
        if source:
            with contextlib.suppress(OSError):
                h.update(Path(source).read_bytes())
    return h.hexdigest()


def _machine_zone_signature() -> str:
    # What jekyll.local_zone() reads: $TZ, else /etc/localtime (its bytes: the link target can
    # be a copy), else the C library's idea of the zone.
    h = hashlib.sha256(os.environ.get("TZ", "").encode())
    with contextlib.suppress(OSError):
        h.update(Path("/etc/localtime").read_bytes())
    h.update(repr((time.tzname, time.timezone, time.altzone, time.daylight)).encode())
    return h.hexdigest()


def fingerprint_for(site: SiteConfig) -> Fingerprint:
    """The fingerprint of parsing a folder with this site configuration, on this machine."""
    zones = ZoneRules.for_site(site)
    uses_machine_zone = not site.is_site or jekyll.resolve_zone(site.timezone) is None
    parts = {
        "rows": ROW_FORMAT_VERSION,
        "parser": PARSER_VERSION,
        "sources": _sources_digest(),
        "yaml": [yaml.__version__, bool(getattr(yaml, "__with_libyaml__", False))],
        "site": dataclasses.asdict(site),
        "zone": _machine_zone_signature() if uses_machine_zone else None,
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return Fingerprint(site, hashlib.sha256(text.encode()).hexdigest(), zones)


# --- rows: encoding and decoding ---------------------------------------------------------------


def _zone_code(value: tzinfo | None, zones: ZoneRules) -> str:
    if value is None or isinstance(value, timezone):
        return ""  # datetime.fromisoformat rebuilds naive and fixed-offset dates exactly
    if value is zones.convert_to:
        return "c"
    if value is zones.naive:
        return "n"
    if isinstance(value, ZoneInfo) and value.key and value.key not in ("c", "n"):
        return str(value.key)
    return ""  # an unknown tzinfo: the instant and offset survive, its name does not


def _packable(texts: Iterable[str], items: Iterable[str]) -> bool:
    for text in texts:
        if _FS in text:
            return False
    return all(item and _FS not in item and _US not in item for item in items)


def encode_result(cand: Candidate, item: Post | Problem | None, zones: ZoneRules) -> Row:
    """The cache row for what parsing `cand` gave (`zones` must be the ones it was parsed with)."""
    if item is None:
        return (cand.path, cand.size, cand.mtime_ns, KIND_NOT_A_POST, None, None)
    if isinstance(item, Problem):
        return (cand.path, cand.size, cand.mtime_ns, KIND_PROBLEM, item.reason, None)
    date = item.date
    iso = date.isoformat() if date is not None else ""
    zone = _zone_code(date.tzinfo, zones) if date is not None else ""
    flags = ("1" if item.draft else "0") + ("1" if item.published else "0")
    texts = (item.title, item.slug, zone, item.permalink)
    if _packable(texts, (*item.categories, *item.tags, *item.warnings)):
        data = _FS.join(
            (
                item.title,
                iso,
                zone,
                _US.join(item.categories),
                _US.join(item.tags),
                item.slug,
                item.format.value,
                flags,
                _US.join(item.warnings),
                item.permalink,
            )
        )
        return (cand.path, cand.size, cand.mtime_ns, KIND_POST, data, item.excerpt)
    fields = [
        item.title,
        iso,
        zone,
        list(item.categories),
        list(item.tags),
        item.slug,
        item.format.value,
        flags,
        list(item.warnings),
        item.permalink,
    ]
    data = json.dumps(fields, ensure_ascii=False)
    return (cand.path, cand.size, cand.mtime_ns, KIND_POST_JSON, data, item.excerpt)


@dataclass(slots=True)
class Decoded:
    """Rows turned back into records."""

    # Columns, not objects: 100,000 `Post`s would be 50 MB (see `reader.core.table`). A list
    # instead gets `Post`s (a caller that wants every one of them, built once).
    posts: PostTable | list[Post] = field(default_factory=PostTable)
    problems: list[Problem] = field(default_factory=list)
    not_posts: list[str] = field(default_factory=list)


def _appender(posts: list[Post]) -> Callable[..., None]:
    def add(*fields: Any) -> None:
        post = _PostBuilder(*fields)
        post.__class__ = Post
        posts.append(post)

    return add


_PostBuilder = builder_for(Post)


class RowDecoder:
    """Turns rows back into `Post`s quickly, sharing one tuple per distinct category/tag list
    (an archive repeats a few hundred combinations 100,000 times; the names are interned)."""

    def __init__(self, zones: ZoneRules, keep_excerpts: bool = True) -> None:
        self._zones = zones
        # False: posts come without their excerpt (the cache keeps it; `Library.excerpt` reads
        # it on demand): 100,000 excerpts are about 60 MB the window need not hold.
        self.keep_excerpts = keep_excerpts
        self._tuples: dict[str, tuple[str, ...]] = {"": ()}
        self._zone_cache: dict[str, tzinfo | None] = {}

    def _tuple(self, text: str) -> tuple[str, ...]:
        value = self._tuples.get(text)
        if value is None:
            value = tuple(sys.intern(v) for v in text.split(_US))
            self._tuples[text] = value
        return value

    def _zone(self, code: str) -> tzinfo | None:
        if code == "c":
            return self._zones.convert_to
        if code == "n":
            return self._zones.naive
        if code not in self._zone_cache:
            try:
                self._zone_cache[code] = ZoneInfo(code)
            except (ValueError, KeyError, OSError):
                self._zone_cache[code] = None
        return self._zone_cache[code]

    def decode(self, rows: Iterable[Row], out: Decoded, stats: KnownFiles | None = None) -> None:
        """Append the records of `rows` to `out` (and their stats to `stats`).

        Raises CacheDamaged for a row this version did not write.
        """
        posts, problems, not_posts = out.posts, out.problems, out.not_posts
        fromiso = datetime.fromisoformat
        tuples = self._tuples
        make_tuple = self._tuple
        formats = _FORMATS
        convert = self._zones.convert_to
        add_post = posts.add if isinstance(posts, PostTable) else _appender(posts)
        keep_excerpts = self.keep_excerpts
        # Building 100,000 objects would set off the cyclic GC again and again (each pass walking
        # everything built so far); these records hold no cycles.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            for path, size, mtime_ns, kind, data, excerpt in rows:
                if stats is not None:
                    stats.add(path, size, mtime_ns)
                if kind == KIND_POST:
                    parts = (data or "").split(_FS)
                    title, iso, zone, cats, tags, slug, fmt, flags, warns, permalink = parts
                    if iso:
                        date: datetime | None = fromiso(iso)
                        if zone:
                            target = convert if zone == "c" else self._zone(zone)
                            if target is not None:
                                date = date.astimezone(target)  # type: ignore[union-attr]
                    else:
                        date = None
                    add_post(
                        path,
                        title,
                        date,
                        tuples.get(cats) or make_tuple(cats),
                        tuples.get(tags) or make_tuple(tags),
                        slug,
                        formats[fmt],
                        flags[0] == "1",
                        flags[1] == "1",
                        tuples.get(warns) or make_tuple(warns),
                        (excerpt or "") if keep_excerpts else "",
                        size,
                        mtime_ns,
                        permalink,
                    )
                elif kind == KIND_PROBLEM:
                    problems.append(Problem(path, data or ""))
                elif kind == KIND_NOT_A_POST:
                    not_posts.append(path)
                elif kind == KIND_POST_JSON:
                    kept = (excerpt or "") if keep_excerpts else ""
                    posts.append(self._from_json(path, size, mtime_ns, data or "", kept))
                else:
                    raise CacheDamaged(f"unknown row kind {kind!r}")
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise CacheDamaged(f"undecodable row: {exc}") from None
        finally:
            if gc_was_enabled:
                gc.enable()

    def _from_json(self, path: str, size: int, mtime_ns: int, data: str, excerpt: str) -> Post:
        title, iso, zone, cats, tags, slug, fmt, flags, warns, permalink = json.loads(data)
        date = datetime.fromisoformat(iso) if iso else None
        if date is not None and zone:
            target = self._zone(zone)
            if target is not None:
                date = date.astimezone(target)
        return Post(
            path,
            title,
            date,
            tuple(sys.intern(c) for c in cats),
            tuple(sys.intern(t) for t in tags),
            slug,
            _FORMATS[fmt],
            flags[0] == "1",
            flags[1] == "1",
            tuple(warns),
            excerpt,
            size,
            mtime_ns,
            permalink,
        )

"""Jekyll's rules for posts: file names, dates and time zones, titles, categories and tags,
skip rules and the site configuration.

Each rule follows what Jekyll 4.3 does (its `Document`, `Utils` and `EntryFilter` code), and where
a reader should be more lenient it is, and records a warning saying what was off.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from reader.core.post import SiteConfig

log = logging.getLogger(__name__)

# Jekyll's Document::DATE_FILENAME_MATCHER, applied to the file name only.
DATE_FILENAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")
# Jekyll's DATELESS_FILENAME_MATCHER.
DATELESS_FILENAME = re.compile(r"^(.+?)(\.[^.]+)?$")

# Folders Jekyll never reads, besides names with a special first character.
ALWAYS_SKIPPED_DIRS = frozenset({"_site", "node_modules", "vendor", ".jekyll-cache", ".sass-cache"})
# Jekyll's default `exclude` list.
DEFAULT_EXCLUDES = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)

_SPECIAL_LEADING = (".", "_", "#", "~")


def is_special_name(name: str) -> bool:
    """Jekyll's EntryFilter: names starting with `. _ # ~` or ending with `~` are skipped."""
    return name.startswith(_SPECIAL_LEADING) or name.endswith("~")


# --- file names -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameParts:
    """What a post's file name says: its date (if any), slug and extension."""

    date: date | None
    slug: str
    ext: str
    bad_date: str | None = None  # a date-shaped prefix that is not a real date (2021-13-45)


def parse_filename(name: str) -> NameParts:
    """Split `YYYY-MM-DD-slug.ext` (Jekyll accepts 2-4 digit years, 1-2 digit months/days)."""
    m = DATE_FILENAME.match(name)
    if m:
        raw, slug, ext = m.groups()
        slug = slug.rstrip(".")
        y, mo, d = (int(x) for x in raw.split("-"))
        try:
            return NameParts(date(_expand_year(y, raw), mo, d), slug, ext)
        except ValueError:
            return NameParts(None, slug, ext, bad_date=raw)
    m2 = DATELESS_FILENAME.match(name)
    stem, ext = (m2.group(1), m2.group(2) or "") if m2 else (name, "")
    return NameParts(None, stem.rstrip("."), ext)


def _expand_year(year: int, raw: str) -> int:
    # Ruby's Time.parse reads a 2-digit year as 19xx/20xx (69-99 -> 1900s); a 3-digit year stays.
    if len(raw.split("-", 1)[0]) == 2:
        return year + (1900 if year >= 69 else 2000)
    return year


def titleize_slug(slug: str) -> str:
    """Jekyll's Utils.titleize_slug: split on '-', capitalize each word (rest lower-cased)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in slug.split("-"))


# --- time zones and dates ---------------------------------------------------------------------


def local_zone() -> tzinfo:
    """The machine's zone: $TZ when it names a zone, else /etc/localtime, else a fixed offset."""
    tz_env = os.environ.get("TZ", "").lstrip(":")
    if tz_env:
        try:
            return ZoneInfo(tz_env)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        with open("/etc/localtime", "rb") as fh:
            return ZoneInfo.from_file(fh, key="localtime")
    except (OSError, ValueError):
        pass
    offset = -time.timezone if not time.daylight else -time.altzone
    return timezone(timedelta(seconds=offset))


def resolve_zone(name: str | None) -> tzinfo | None:
    """A ZoneInfo for a `timezone:` value, or None when it is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_DATE_STRING = re.compile(
    r"""^\s*(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})
        (?:(?:[Tt]|\s+)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?P<frac>\.\d+)?)?)?
        (?P<rest>.*?)\s*$""",
    re.VERBOSE,
)
_ZONE = re.compile(r"^\s*(?:(?P<z>Z|UTC|GMT)|(?P<sign>[+-])(?P<oh>\d{1,2}):?(?P<om>\d{2})?)\s*$")


class DateError(ValueError):
    """A date value that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class DateResult:
    value: datetime
    warning: str | None = None


def parse_date_string(text: str, zone: tzinfo | None, fallback_zone: tzinfo) -> DateResult:
    """Parse a front-matter date string as Jekyll's `Time.parse(...).localtime` would.

    A string without an offset is read in the site zone (`zone`, else `fallback_zone`); one with an
    offset keeps its instant and is shown in the site zone when there is one. Trailing text after a
    valid date and time is ignored with a warning (Ruby's parser does the same).
    """
    m = _DATE_STRING.match(text)
    if not m:
        raise DateError(f"unreadable date {text.strip()!r}")
    try:
        naive = datetime(
            int(m["y"]),
            int(m["mo"]),
            int(m["d"]),
            int(m["h"] or 0),
            int(m["mi"] or 0),
            int(m["s"] or 0),
            int(float(m["frac"]) * 1_000_000) if m["frac"] else 0,
        )
    except ValueError as exc:
        raise DateError(f"impossible date {text.strip()!r} ({exc})") from None
    rest = m["rest"]
    warning = None
    offset: tzinfo | None = None
    if rest:
        zm = _ZONE.match(rest)
        if zm and zm["z"]:
            offset = UTC
        elif zm:
            hours, minutes = int(zm["oh"]), int(zm["om"] or 0)
            if hours > 23 or minutes > 59:
                raise DateError(f"impossible time-zone offset in {text.strip()!r}")
            sign = -1 if zm["sign"] == "-" else 1
            offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
        else:
            warning = f"date {text.strip()!r} has trailing text {rest.strip()!r}; it was ignored"
    if offset is None:
        value = naive.replace(tzinfo=zone or fallback_zone)
    else:
        value = naive.replace(tzinfo=offset)
        if zone is not None:
            value = value.astimezone(zone)
    return DateResult(_normalise(value), warning)


def _normalise(value: datetime) -> datetime:
    # A ZoneInfo-aware datetime prints its offset fine, but fold/DST gaps are resolved here once.
    return value.astimezone(value.tzinfo)


def date_from_value(
    value: object, zone: tzinfo | None, fallback_zone: tzinfo, *, naive_local: bool = False
) -> DateResult:
    """A front-matter `date` of any YAML type, as Jekyll reads it. Raises DateError.
    `naive_local`: a timestamp without an offset is read in the site zone, not as UTC."""
    if isinstance(value, datetime):
        shown_in = zone or fallback_zone
        if value.tzinfo is None and naive_local:
            return DateResult(_normalise(value.replace(tzinfo=shown_in)))
        warning = None
        if value.tzinfo is None:
            # An unquoted YAML timestamp without an offset is UTC (YAML spec; Ruby's Psych agrees).
            value = value.replace(tzinfo=UTC)
            shift = value.astimezone(shown_in).utcoffset()
            if shift:
                hours = shift.total_seconds() / 3600
                warning = (
                    f"the date {value:%Y-%m-%d %H:%M:%S} has no time zone: read as UTC, as Jekyll "
                    f"does, so it is shown {abs(hours):g} hours "
                    f"{'later' if hours > 0 else 'earlier'}; the folder's preferences can read "
                    "such times in the site's zone"
                )
        return DateResult(_normalise(value.astimezone(shown_in)), warning)
    if isinstance(value, date):
        return DateResult(
            _normalise(datetime(value.year, value.month, value.day, tzinfo=zone or fallback_zone))
        )
    if isinstance(value, str):
        return parse_date_string(value, zone, fallback_zone)
    if value is None:
        raise DateError("empty date")
    raise DateError(f"date is a {type(value).__name__}, not a date")


def midnight(day: date, zone: tzinfo) -> datetime:
    return _normalise(datetime(day.year, day.month, day.day, tzinfo=zone))


# --- categories, tags, titles -----------------------------------------------------------------


def _as_text(value: object) -> str | None:
    """A scalar as Jekyll's `to_s` shows it; None for containers and null."""
    if value is None or isinstance(value, dict | list | tuple | set):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _flatten(value: object, warnings: list[str], key: str) -> list[str]:
    """Items of a YAML list (nested lists flattened), each converted to text."""
    out: list[str] = []
    stack: list[object] = [value]
    items: list[object] = []
    # Iterative flatten: nesting depth is attacker-controlled.
    while stack:
        cur = stack.pop()
        if isinstance(cur, list | tuple):
            stack.extend(reversed(cur))
        else:
            items.append(cur)
    for item in items:
        if item is None:
            continue
        text = _as_text(item)
        if text is None:
            warnings.append(f"`{key}` holds a {type(item).__name__}; it was dropped")
            continue
        if not isinstance(item, str):
            warnings.append(f"`{key}` value {text!r} was not text; read as text")
        text = text.strip()
        if text:
            out.append(text)
    return out


def plural_values(fm: Mapping[str, Any], key: str, warnings: list[str]) -> list[str]:
    """`categories`/`tags`: a list, or a string split on whitespace (Jekyll's plural rule)."""
    if key not in fm:
        return []
    val = fm[key]
    if val is None:
        return []
    if isinstance(val, str):
        return val.split()
    if isinstance(val, list | tuple):
        return _flatten(val, warnings, key)
    if isinstance(val, dict):
        warnings.append(f"`{key}` is a mapping, not a list; its keys were used")
        return _flatten([k for k in val if k is not None], warnings, key)
    text = _as_text(val)
    if text is None:
        warnings.append(f"`{key}` holds a {type(val).__name__}; it was dropped")
        return []
    warnings.append(f"`{key}` is a {type(val).__name__}, not a list; read as text")
    return [text]


def singular_value(fm: Mapping[str, Any], key: str, warnings: list[str]) -> list[str] | None:
    """`category`/`tag`: one value, never split. None when the key is absent."""
    if key not in fm:
        return None
    val = fm[key]
    if val is None:
        return []
    if isinstance(val, list | tuple):
        return _flatten(val, warnings, key)
    text = _as_text(val)
    if text is None:
        warnings.append(f"`{key}` holds a {type(val).__name__}; it was dropped")
        return []
    if not isinstance(val, str):
        warnings.append(f"`{key}` value {text!r} was not text; read as text")
    return [text.strip()] if text.strip() else []


def unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return tuple(seen)


def categories_for(
    path_categories: Iterable[str], fm: Mapping[str, Any], warnings: list[str]
) -> tuple[str, ...]:
    """Folders above `_posts` first, then front-matter `categories`, then `category`."""
    plural = plural_values(fm, "categories", warnings)
    singular = singular_value(fm, "category", warnings)
    return unique([*path_categories, *plural, *(singular or [])])


def tags_for(fm: Mapping[str, Any], warnings: list[str]) -> tuple[str, ...]:
    """Jekyll reads `tag` when present (and then ignores `tags`), else `tags`."""
    singular = singular_value(fm, "tag", warnings)
    if singular is not None:
        if "tags" in fm:
            warnings.append("both `tag` and `tags` are set; Jekyll uses `tag` only, and so do we")
        return unique(singular)
    return unique(plural_values(fm, "tags", warnings))


def text_value(fm: Mapping[str, Any], key: str, warnings: list[str]) -> str | None:
    """A front-matter value that should be a short string (title, excerpt)."""
    if key not in fm or fm[key] is None:
        return None
    val = fm[key]
    if isinstance(val, str):
        return val
    if isinstance(val, bool):
        warnings.append(f"`{key}` is a boolean, not text; it was ignored")
        return None
    if isinstance(val, list | tuple):
        parts = _flatten(val, warnings, key)
        warnings.append(f"`{key}` is a list; its items were joined")
        return " ".join(parts)
    if isinstance(val, dict):
        warnings.append(f"`{key}` is a mapping, not text; it was ignored")
        return None
    text = _as_text(val)
    warnings.append(f"`{key}` is a {type(val).__name__}, not text; read as text")
    return text


def bool_value(fm: Mapping[str, Any], key: str, default: bool, warnings: list[str]) -> bool:
    if key not in fm or fm[key] is None:
        return default
    val = fm[key]
    if isinstance(val, bool):
        return val
    if isinstance(val, str) and val.strip().lower() in {"false", "no", "off", "0"}:
        return False
    if isinstance(val, str) and val.strip().lower() in {"true", "yes", "on", "1"}:
        return True
    warnings.append(f"`{key}` is {val!r}, not true/false; treated as {default}")
    return default


# --- the site configuration ---------------------------------------------------------------------


def _str_list(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if isinstance(v, str | int | float))
    return ()


MAX_CONFIG_BYTES = 1_000_000


def load_site_config(root: Path, has_posts_dir: bool) -> SiteConfig:
    """Read `_config.yml` (safe loader only). A broken config is a warning, never fatal."""
    cfg_path = root / "_config.yml"
    is_site = has_posts_dir or cfg_path.is_file()
    if not cfg_path.is_file():
        return SiteConfig(is_site=is_site, exclude=DEFAULT_EXCLUDES)
    warnings: list[str] = []
    data: object = None
    try:
        if cfg_path.stat().st_size > MAX_CONFIG_BYTES:
            raise ValueError("larger than 1 MB")
        from reader.core.reading.yamlsafe import (
            load_yaml_mapping,  # local: yamlsafe imports this module's siblings
        )

        data = load_yaml_mapping(cfg_path.read_bytes().decode("utf-8", errors="replace"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        warnings.append(f"_config.yml could not be read ({exc}); defaults used")
    cfg: Mapping[str, Any] = data if isinstance(data, dict) else {}
    tz_name = cfg.get("timezone")
    tz_text = str(tz_name).strip() if tz_name not in (None, "") else None
    if tz_text and resolve_zone(tz_text) is None:
        warnings.append(f"_config.yml timezone {tz_text!r} is unknown; the local zone is used")
        tz_text = None
    sep = cfg.get("excerpt_separator")
    permalink = cfg.get("permalink")
    kramdown = cfg.get("kramdown")
    return SiteConfig(
        is_site=True,
        timezone=tz_text,
        url=str(cfg.get("url") or "").rstrip("/"),
        baseurl=str(cfg.get("baseurl") or "").rstrip("/"),
        title=str(cfg.get("title") or ""),
        exclude=DEFAULT_EXCLUDES + _str_list(cfg.get("exclude")),
        include=_str_list(cfg.get("include")),
        excerpt_separator=sep if isinstance(sep, str) and sep else "\n\n",
        warnings=tuple(warnings),
        permalink=permalink.strip() if isinstance(permalink, str) and permalink.strip() else "date",
        permalink_defaults=_permalink_defaults(cfg),
        markdown=str(cfg.get("markdown") or "kramdown"),
        kramdown=tuple(
            (str(k), " ".join(map(str, v)) if isinstance(v, list) else str(v))
            for k, v in (kramdown.items() if isinstance(kramdown, dict) else ())
        ),
    )


def _permalink_defaults(cfg: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """`defaults` entries that give posts a permalink: (scope path, permalink), in order;
    `collections: posts: permalink:` counts as a default for every post."""
    out: list[tuple[str, str]] = []
    collections = cfg.get("collections")
    if isinstance(collections, dict):
        posts = collections.get("posts")
        if isinstance(posts, dict) and isinstance(posts.get("permalink"), str):
            out.append(("", posts["permalink"]))
    defaults = cfg.get("defaults")
    for entry in defaults if isinstance(defaults, list) else ():
        if not isinstance(entry, dict):
            continue
        scope, values = entry.get("scope"), entry.get("values")
        if not isinstance(values, dict) or not isinstance(values.get("permalink"), str):
            continue
        scope = scope if isinstance(scope, dict) else {}
        kind = scope.get("type")
        if kind not in (None, "", "posts"):
            continue
        path = scope.get("path")
        out.append((str(path) if isinstance(path, str) else "", values["permalink"]))
    return tuple(out)

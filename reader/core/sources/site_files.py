"""Reading what a site says about its categories' names: category pages and `_data/` mappings.

Owns `SiteNames` and `read_site_names`. Only files inside the opened folder are read (never
through a symlink out of it), each at most `MAX_FILE_BYTES`, at most `MAX_FILES` of each kind,
with the safe YAML loader; a file that cannot be read or parsed is skipped with a log line, and
everything else keeps working. Nothing here decides whether a title is right: `names` does.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.errors import PostReaderError
from reader.core.reading.files import read_inside
from reader.core.reading.parse import split_front_matter
from reader.core.reading.yamlsafe import YamlProblem, load_yaml_mapping

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 256 * 1024
MAX_DATA_BYTES = 4 * 1024 * 1024
MAX_FILES = 10_000
_PAGE_DIRS = ("category", "categories")
_PAGE_SUFFIXES = (".html", ".md", ".markdown")
_DATA_SUFFIXES = (".yml", ".yaml", ".json")
_KEY_FIELDS = ("category", "slug", "id", "key")
_NAME_FIELDS = ("name", "title", "label")


@dataclass(slots=True)
class SiteNames:
    """Category page titles by the page's `category:`, and the site's own name for categories."""

    pages: dict[str, str] = field(default_factory=dict)
    site_map: dict[str, str] = field(default_factory=dict)


def _files(folder: Path, suffixes: tuple[str, ...], limit: int) -> Iterator[Path]:
    # Not following symlinked directories keeps the walk inside the folder.
    found = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(suffixes):
                found += 1
                if found > limit:
                    log.info("more than %d files under %s; the rest are not read", limit, folder)
                    return
                yield Path(dirpath) / name


def _read_text(path: Path, limit: int) -> str | None:
    try:
        # Inside the folder os.walk reached without following links; regular files only.
        data = read_inside(path.parent, path.name, limit)
    except PostReaderError as exc:
        log.info("not reading %s: %s", path, exc)
        return None
    return data.decode("utf-8-sig", errors="replace")


def _page_entry(path: Path) -> tuple[str, str] | None:
    """(category, title) of a category page, or None when it is not one."""
    text = _read_text(path, MAX_FILE_BYTES)
    if text is None:
        return None
    split = split_front_matter(text)
    if not split.front_matter:
        return None
    try:
        meta = load_yaml_mapping(split.front_matter)
    except YamlProblem as exc:
        log.info("not using the category page %s: %s", path, exc)
        return None
    if not isinstance(meta, dict):
        return None
    category, title = meta.get("category"), meta.get("title")
    if isinstance(category, str | int) and isinstance(title, str | int):
        category, title = str(category).strip(), str(title).strip()
        if category and title:
            return category, title
    return None


def _entries(value: object) -> Iterator[tuple[str, str]]:
    """(category, name) pairs from a mapping file's value: {slug: name}, {slug: {name: …}}
    or [{category: slug, name: …}, …]."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict):
                item = next((item[f] for f in _NAME_FIELDS if isinstance(item.get(f), str)), None)
            if isinstance(key, str | int) and isinstance(item, str):
                yield str(key), item
    elif isinstance(value, list):
        for item in value:
            if not isinstance(item, dict):
                continue
            key = next((item[f] for f in _KEY_FIELDS if isinstance(item.get(f), str | int)), None)
            name = next((item[f] for f in _NAME_FIELDS if isinstance(item.get(f), str)), None)
            if key is not None and name is not None:
                yield str(key), name


def _load_data(path: Path) -> object:
    text = _read_text(path, MAX_DATA_BYTES)
    if text is None:
        return None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return load_yaml_mapping(text)
    except (YamlProblem, ValueError, RecursionError) as exc:
        log.info("not using the data file %s: %s", path, exc)
        return None


def read_site_names(root: str | Path, categories: Collection[str] | None = None) -> SiteNames:
    """The category pages (`category/*.html` and the like, with `category:` and `title:` front
    matter) and the `_data/` files that map the folder's categories to names.

    A `_data` file counts as a mapping only when at least half of its entries (and at least one)
    name a category in `categories` (when given): a file of translations or authors that happens
    to share a key with a category names nothing."""
    base = Path(os.path.realpath(root))
    out = SiteNames()
    for folder in _PAGE_DIRS:
        pages = base / folder
        if not pages.is_dir() or pages.is_symlink():
            continue
        for path in _files(pages, _PAGE_SUFFIXES, MAX_FILES):
            entry = _page_entry(path)
            if entry is not None:
                out.pages.setdefault(*entry)
    data = base / "_data"
    if data.is_dir() and not data.is_symlink():
        for path in _files(data, _DATA_SUFFIXES, MAX_FILES):
            pairs = [(k.strip(), v.strip()) for k, v in _entries(_load_data(path)) if v.strip()]
            if categories is not None:
                known = [(k, v) for k, v in pairs if k in categories]
                if not known or 2 * len(known) < len(pairs):
                    continue
                pairs = known
            for key, name in pairs:
                out.site_map.setdefault(key, name)
            if pairs:
                log.info("category names from %s: %d", path.relative_to(base), len(pairs))
    return out

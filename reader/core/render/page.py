"""One post rendered as its site showed it, with everything its site knows: the core's entry
point for the reading pane and `show --json`.

Owns `render_post(library, post) -> RenderedPost` (the HTML and every link with the folder
path it opens), `post_url_of(library, post)` (for `list --json`), and what Liquid sees of a
site: `site` (the whole `_config.yml`, `site.data` from `_data/` — YAML, JSON, CSV and TSV,
read from inside the folder only — and `site.posts`/`site.categories`/`site.tags`, built on
first use and kept while the library does not change) and `page` (the post's front matter with
Jekyll's derived keys).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import os
import posixpath
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from reader.core.errors import FileProblem
from reader.core.post import Post
from reader.core.reading.files import is_file_inside, read_inside
from reader.core.reading.parse import MAX_POST_BYTES, decode_and_split
from reader.core.reading.yamlsafe import YamlProblem, load_yaml_mapping
from reader.core.render.kramdown import KramdownOptions
from reader.core.render.liquid_site import LazyMapping, LiquidSite
from reader.core.render.markdown_html import render_markdown
from reader.core.render.permalinks import post_url, url_index
from reader.core.render.pipeline import RenderContext, has_liquid, prepare_renderer, render_body

logger = logging.getLogger(__name__)

MAX_DATA_FILES: Final = 2000
MAX_DATA_BYTES: Final = 20_000_000
MAX_CONFIG_BYTES: Final = 1_000_000
DATA_EXTENSIONS: Final = frozenset({".yml", ".yaml", ".json", ".csv", ".tsv"})


@dataclass(frozen=True, slots=True)
class RenderedPost:
    """A post as the pane shows it, and where each of its links leads: (href, the
    folder-relative path it opens, or None when it leaves the folder)."""

    path: str
    title: str
    html: str
    links: tuple[tuple[str, str | None], ...]

    def to_json(self) -> dict[str, object]:
        """The object `post-reader show --json` prints for one post."""
        return {
            "path": self.path,
            "title": self.title,
            "html": self.html,
            "links": [{"href": h, "target": t} for h, t in self.links],
        }


# ---------------------------------------------------------------------------------------------
# The site: config, data and posts, kept per library version


def _read_yaml(path: Path, limit: int) -> object:
    try:
        if path.stat().st_size > limit:
            return None
        return load_yaml_mapping(path.read_bytes().decode("utf-8", "replace"))
    except (OSError, YamlProblem):
        return None


def load_config(root: Path) -> dict[str, Any]:
    """The whole `_config.yml` as a mapping (empty when missing or broken)."""
    data = _read_yaml(root / "_config.yml", MAX_CONFIG_BYTES)
    return data if isinstance(data, dict) else {}


def _data_file(path: Path) -> object:
    ext = path.suffix.lower()
    text = path.read_bytes().decode("utf-8-sig", "replace")
    if ext in (".yml", ".yaml"):
        try:
            return load_yaml_mapping(text)
        except YamlProblem:
            return None
    if ext == ".json":
        try:
            return json.loads(text)
        except ValueError:
            return None
    return list(csv.DictReader(io.StringIO(text), delimiter="\t" if ext == ".tsv" else ","))


def load_data(root: Path) -> dict[str, Any]:
    """`site.data`: every data file under `_data/`, by name, nested by folder. Symlinks are
    not followed and nothing outside the folder is read; bounded in files and bytes."""
    base = root / "_data"
    out: dict[str, Any] = {}
    if not base.is_dir() or base.is_symlink():
        return out
    files = 0
    total = 0
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = Path(dirpath).relative_to(base).parts
        for name in sorted(filenames):
            path = Path(dirpath) / name
            stem, ext = os.path.splitext(name)
            if ext.lower() not in DATA_EXTENSIONS or name.startswith(".") or path.is_symlink():
                continue
            try:
                size = path.stat().st_size
            except OSError:
                continue
            files += 1
            total += size
            if files > MAX_DATA_FILES or total > MAX_DATA_BYTES:
                logger.info("_data of %s is larger than this reader reads; the rest is left", root)
                return out
            try:
                value = _data_file(path)
            except (OSError, csv.Error):
                continue
            node = out
            for part in rel_dir:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    break
                node = child
            else:
                node[stem] = value
    return out


def post_drop(post: Post, url: str) -> dict[str, Any]:
    """What Liquid sees of a post in `site.posts` (no body: reading every file is not free)."""
    return {
        "title": post.title,
        "url": url,
        "date": post.date,
        "categories": list(post.categories),
        "tags": list(post.tags),
        "slug": post.slug,
        "path": post.path,
        "id": posixpath.splitext(url)[0] if url.endswith(".html") else url.rstrip("/"),
        "excerpt": post.excerpt,
        "draft": post.draft,
    }


class _SiteCache:
    """What a library's site gives Liquid, rebuilt when the library changes."""

    def __init__(self, library: Any) -> None:
        self.version = (library.version, hash(library.site))
        root = Path(library.root)
        self.config = load_config(root)
        self._library = weakref.ref(library)
        self._data: dict[str, Any] | None = None
        self._posts: list[dict[str, Any]] | None = None
        self._by_name: dict[str, int] | None = None

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            lib = self._library()
            self._data = load_data(Path(lib.root)) if lib is not None else {}
        return self._data

    def posts(self) -> list[dict[str, Any]]:
        """All posts, newest first, as Jekyll's `site.posts`."""
        if self._posts is None:
            lib = self._library()
            if lib is None:
                return []
            index = url_index(lib)
            posts = lib.posts

            def newest_first(i: int) -> tuple[float, str]:
                dt = posts[i].date
                return (dt.timestamp() if dt is not None else float("-inf"), posts[i].path)

            order = sorted(range(len(posts)), key=newest_first, reverse=True)
            self._posts = [post_drop(lib.posts[i], index.urls[i]) for i in order]
        return self._posts

    def grouped(self, key: str) -> dict[str, list[dict[str, Any]]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for drop in self.posts():
            for name in drop[key]:
                groups.setdefault(name, []).append(drop)
        return groups

    def by_name(self, name: str) -> int | None:
        """`{% post_url 2021-07-01-slug %}`: a post by its file name (or sub/path/name)."""
        lib = self._library()
        if lib is None:
            return None
        if self._by_name is None:
            names: dict[str, int] = {}
            for i, post in enumerate(lib.posts):
                stem = posixpath.splitext(post.path)[0]
                names.setdefault(posixpath.basename(stem), i)
                if "/_posts/" in "/" + stem:
                    names.setdefault(stem.split("_posts/", 1)[1], i)
            self._by_name = names
        return self._by_name.get(name.strip("/"))


_SITES: weakref.WeakKeyDictionary[Any, _SiteCache] = weakref.WeakKeyDictionary()


def _site_cache(library: Any) -> _SiteCache:
    cached = _SITES.get(library)
    if cached is None or cached.version != (library.version, hash(library.site)):
        cached = _SiteCache(library)
        _SITES[library] = cached
    return cached


def kramdown_options(library: Any) -> KramdownOptions:
    """The Markdown rules the library's site asks for (its `kramdown:` settings)."""
    options = KramdownOptions.from_config(dict(library.site.kramdown))
    if library.site.markdown.strip().lower().startswith("commonmark"):
        # jekyll-commonmark: GFM without kramdown's typographic symbols.
        options = dataclasses.replace(options, gfm=True, smart_typography=False)
    return options


def post_url_of(library: Any, post: Post) -> str:
    """The post's URL on its site (Jekyll's `post.url`, without `baseurl`)."""
    index = url_index(library)
    i = library.index_of(post.path)
    return index.urls[i] if i is not None else post_url(post, library.site)


# ---------------------------------------------------------------------------------------------
# Rendering one post


def _front_matter(root: Path, path: str) -> tuple[str, dict[str, Any]]:
    data = read_inside(root, path, MAX_POST_BYTES)
    split = decode_and_split(data)
    fm: dict[str, Any] = {}
    if split.front_matter and split.front_matter.strip():
        try:
            loaded = load_yaml_mapping(split.front_matter)
        except YamlProblem:
            loaded = None
        if isinstance(loaded, dict):
            fm = {str(k): v for k, v in loaded.items()}
    return split.body, fm


_HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"')


def _links(html: str, library: Any, post: Post) -> tuple[tuple[str, str | None], ...]:
    """Every link of the rendered HTML and the folder path it opens (None: outside)."""
    import html as htmllib

    out: list[tuple[str, str | None]] = []
    for raw in _HREF.findall(html):
        href = htmllib.unescape(raw)
        target: str | None = None
        if href.startswith("#"):
            target = post.path
        elif href.startswith("/") and not href.startswith("//"):
            rel = unquote(href.split("#", 1)[0].split("?", 1)[0]).lstrip("/")
            if library.index_of(rel) is not None:
                target = rel
            else:
                target = rel if is_file_inside(library.root, rel) else None
        out.append((href, target))
    return tuple(out)


def render_post(library: Any, post: Post) -> RenderedPost:
    """The post as the pane shows it, Liquid evaluated with its site (FileProblem when the
    file cannot be read any more)."""
    root = Path(library.root).resolve()
    body, fm = _front_matter(root, post.path)
    site = _site_cache(library)
    # The index of every post's URL is built on first need (a link to follow, post_url):
    # rendering a post whose links all leave the site never builds it.
    url = post_url(post, library.site, fm)
    options = kramdown_options(library)
    site_vars = LazyMapping(
        {**site.config, "url": library.site.url, "baseurl": library.site.baseurl},
        {
            "data": lambda: site.data,
            "posts": site.posts,
            "categories": lambda: site.grouped("categories"),
            "tags": lambda: site.grouped("tags"),
        },
    )
    page = {
        **fm,
        "title": post.title,
        "date": post.date,
        "url": url,
        "categories": list(post.categories),
        "tags": list(post.tags),
        "slug": post.slug,
        "path": post.path,
        "id": posixpath.splitext(url)[0],
        "excerpt": post.excerpt,
    }
    baseurl = library.site.baseurl.strip().strip("/")
    prefix = "/" + baseurl if baseurl else ""

    def post_url_tag(name: str) -> str | None:
        i = site.by_name(name)
        return prefix + url_index(library).urls[i] if i is not None else None

    def link_tag(path: str) -> str | None:
        i = library.index_of(path)
        return prefix + url_index(library).urls[i] if i is not None else None

    own_host = (urlsplit(library.site.url.strip()).hostname or "").lower()

    def post_link(href: str) -> str | None:
        if href.startswith(("mailto:", "#")):
            return None
        try:
            host = (urlsplit(href).hostname or "").lower()
        except ValueError:
            return None
        if host and host != own_host:
            return None  # another site: no need for the index of every post's URL
        i = url_index(library).resolve(href, url)
        return library.posts[i].path if i is not None else None

    liquid = LiquidSite(
        root=root,
        post_path=post.path,
        site=site_vars,
        page=page,
        url=library.site.url,
        baseurl=library.site.baseurl,
        post_url=post_url_tag,
        link=link_tag,
        markdownify=_markdownify(options),
    )
    ctx = RenderContext(
        root,
        post.path,
        library.site.url,
        library.site.baseurl,
        liquid=liquid,
        kramdown=options,
        post_link=post_link,
    )
    html = render_body(body, post.format, ctx)
    return RenderedPost(post.path, post.title, html, _links(html, library, post))


def _markdownify(options: KramdownOptions) -> Callable[[str], str]:
    def convert(text: str) -> str:
        return render_markdown(text, options).html

    return convert


# Posts whose bodies `prepare_for` reads to tell whether the folder's posts use Liquid.
LIQUID_SAMPLE: Final = 50


def prepare_for(library: Any) -> None:
    """`prepare_renderer` for a loaded folder: the Liquid engine too when one of the last
    `LIQUID_SAMPLE` posts read holds Liquid markup (sites whose posts use Liquid use it in
    most of them; an archive of scraped articles never does, and is spared its 9 MB)."""
    liquid = False
    for post in library.posts[-LIQUID_SAMPLE:]:
        try:
            body = _front_matter(library.root, post.path)[0]
        except FileProblem:
            continue
        if has_liquid(body):
            liquid = True
            break
    prepare_renderer(liquid=liquid)

"""Where links and images in a post may point, and what each surviving attribute may say.

Owns: classifying URLs (`//host` becomes https, browsers' whitespace rules); resolving relative
links and images against the opened folder, never outside it (symlinks included, regular files
only, a bounded number of file-system lookups per post); the HTML that replaces an image (the
local file, a placeholder link for a remote one, a note for one that cannot be shown); and the
value rules for every attribute the sanitiser lets through.
"""

from __future__ import annotations

import html as htmllib
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final
from urllib.parse import quote, unquote, urlsplit

from reader.core.render.tokens import parse_attributes

ASSET_SCHEME: Final = "postasset"
REMOTE_IMAGE_CLASS: Final = "remote-image"
MISSING_IMAGE_CLASS: Final = "missing-image"

# Each stat()/resolve() is a few syscalls; a post with 100,000 image tags must not cost seconds.
MAX_FILE_LOOKUPS: Final = 2000
MAX_IMAGE_SIDE: Final = 2000  # Qt scales images to width x height: 100000x100000 would be 40 GB
# Qt's layout is quadratic in the images of one paragraph (5,000 take it six seconds, 500 a
# hundredth of that); no real post shows more.
MAX_IMAGES: Final = 500
MAX_SPAN: Final = 100
# Longer URLs are not kept: nothing real needs them, and html5ever slows down on huge values.
MAX_URL: Final = 8192

_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def classify_url(url: str) -> tuple[str, str]:
    """(kind, url) where kind is external, mailto, fragment, relative, data, file, other,
    long or empty. Whitespace is handled as browsers do; `//host/x` becomes `https://host/x`."""
    url = _TAB_NEWLINE.sub("", url).strip(_C0_AND_SPACE)
    if not url:
        return ("empty", "")
    if len(url) > MAX_URL:
        return ("data" if url[:5].lower() == "data:" else "long", "")
    if url.startswith("#"):
        return ("fragment", url)
    m = _SCHEME.match(url)
    if m:
        scheme = m.group(1).lower()
        if scheme in ("http", "https"):
            return ("external", url)
        if scheme in ("mailto", "data", "file"):
            return (scheme, url)
        return ("other", url)
    url = url.replace("\\", "/")  # browsers read backslashes in relative URLs as slashes
    if url.startswith("//"):
        return ("external", "https:" + url)
    return ("relative", url)


def _escapes(rel: str) -> bool:
    return rel == ".." or rel.startswith("../")


class LocalResolver:
    """Maps the relative URLs of one post to paths inside the opened folder."""

    def __init__(self, root: Path, post_path: str, baseurl: str) -> None:
        self._given_root = Path(root)
        self._root: Path | None = None
        self.post_dir = posixpath.dirname(post_path.replace("\\", "/").lstrip("/"))
        base = baseurl.strip().strip("/")
        self.baseurl = "/" + base if base else ""
        self._files: dict[str, tuple[str | None, str]] = {}
        self._lookups = 0

    @property
    def root(self) -> Path:
        """The folder, resolved once (the context promises it is; a symlinked path would
        otherwise put every image 'outside the folder')."""
        if self._root is None:
            try:
                self._root = self._given_root.resolve()
            except (OSError, RuntimeError):
                self._root = self._given_root
        return self._root

    def _site_relative(self, path: str) -> str:
        """A path starting with '/' (site root) as a folder-relative path; never escapes."""
        b = self.baseurl
        if b and (path == b or path.startswith(b + "/")):
            path = path[len(b) :] or "/"
        return posixpath.normpath(path).lstrip("/")

    def _candidates(self, path: str) -> list[str]:
        if path.startswith("/"):
            return [self._site_relative(path)]
        # Relative to the post first; Jekyll sites often mean the site root by `assets/x.png`.
        return [posixpath.normpath(posixpath.join(self.post_dir, path)), posixpath.normpath(path)]

    def _file(self, rel: str) -> tuple[str | None, str]:
        """(canonical folder-relative path of a regular file, or None, and why not)."""
        cached = self._files.get(rel)
        if cached is not None:
            return cached
        if self._lookups >= MAX_FILE_LOOKUPS:
            return (None, "too many images")
        self._lookups += 1
        result: tuple[str | None, str]
        root = self.root
        try:
            resolved = (root / rel).resolve()
            if not resolved.is_relative_to(root):
                result = (None, "outside the folder")
            elif resolved.is_file():
                result = (resolved.relative_to(root).as_posix(), "")
            else:
                result = (None, "not found")
        except (OSError, RuntimeError, ValueError):  # loops, bad names, permissions
            result = (None, "not found")
        self._files[rel] = result
        return result

    def image(self, url: str) -> tuple[str | None, str]:
        """A relative image URL -> (folder-relative path of the file, or None, and why not)."""
        path = url.split("#", 1)[0].split("?", 1)[0]
        variants = [unquote(path)]
        if variants[0] != path:
            variants.append(path)  # a file literally named with a '%'
        reason = "not found"
        for variant in variants:
            escaped = 0
            candidates = self._candidates(variant.replace("\\", "/"))
            for rel in candidates:
                if _escapes(rel):
                    escaped += 1
                    continue
                found, why = self._file(rel)
                if found is not None:
                    return (found, "")
                if why != "not found":
                    reason = why
            if escaped == len(candidates):
                reason = "outside the folder"
        return (None, reason)

    def link(self, url: str) -> str | None:
        """A relative link -> '/path/in/folder#fragment', or None when it leaves the folder."""
        path, _, fragment = url.partition("#")
        path = path.split("?", 1)[0]
        if not path:
            return "#" + fragment if fragment else None
        decoded = unquote(path).replace("\\", "/")
        if decoded.startswith("/"):
            rel = self._site_relative(decoded)
        else:
            rel = posixpath.normpath(posixpath.join(self.post_dir, decoded))
            at_root = posixpath.normpath(decoded)
            if _escapes(rel) or (
                rel != at_root
                and not _escapes(at_root)
                and not self._exists(rel)
                and self._exists(at_root)
            ):
                rel = at_root
            if _escapes(rel):
                return None
        rel = "" if rel == "." else rel
        href = "/" + quote(rel)
        if rel and decoded.endswith("/"):
            href += "/"
        if fragment:
            href += "#" + quote(fragment, safe="/:@!$&'()*+,;=-._~%")
        return href

    def _exists(self, rel: str) -> bool:
        if self._lookups >= MAX_FILE_LOOKUPS:
            return True  # stop looking; the post-relative reading is the default
        self._lookups += 1
        try:
            return (self.root / rel).exists()
        except (OSError, ValueError):
            return False


# ---------------------------------------------------------------------------------------------
# Attributes

_LANGUAGE_CLASS = re.compile(r"language-[\w#+.\-]{1,40}")
_CLASSES_BY_TAG: Final[dict[str, frozenset[str]]] = {
    "div": frozenset({"footnote"}),
    "span": frozenset({"liquid-note"}),  # a Liquid tag of a plugin, shown as a quiet note
    "a": frozenset({"footnote-ref", "footnote-backref"}),
}
_ID_TAGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "sup", "li"})
_SIZE = re.compile(r"\s*(\d{1,6})\s*(%?)\s*")
_INT = re.compile(r"\s*([+-]?\d{1,9})\s*")
_ALIGN: Final = frozenset({"left", "right", "center", "justify"})
_VALIGN: Final = frozenset({"top", "middle", "bottom", "baseline"})
_LANG = re.compile(r"[A-Za-z0-9\-]{1,35}")


def _class_value(tag: str, value: str) -> str | None:
    if tag in ("code", "pre"):
        for token in value.split():
            if _LANGUAGE_CLASS.fullmatch(token):
                return token
        return None
    allowed = _CLASSES_BY_TAG.get(tag)
    if allowed is None:
        return None
    kept = [t for t in value.split() if t in allowed]
    return " ".join(kept) or None


def _int_value(value: str, low: int, high: int) -> str | None:
    m = _INT.fullmatch(value)
    if m is None:
        return None
    number = int(m.group(1))
    return str(number) if low <= number <= high else None


def attribute_value(tag: str, name: str, value: str) -> str | None:
    """The value `name` keeps on `tag` (href and src excepted), or None to drop it."""
    if name in ("title", "alt"):
        return value[:2000]
    if name == "class":
        return _class_value(tag, value)
    if name == "id":
        return value[:200] if tag in _ID_TAGS and value.strip() else None
    if name == "name":
        return value[:200] if tag == "a" else None
    if name in ("width", "height"):
        m = _SIZE.fullmatch(value)
        if m is None:
            return None
        number, percent = int(m.group(1)), m.group(2)
        limit = 100 if percent else MAX_IMAGE_SIDE
        return f"{number}{percent}" if 0 < number <= limit else None
    if name in ("colspan", "rowspan", "span"):
        return _int_value(value, 1, MAX_SPAN)
    if name == "start":
        return _int_value(value, -1_000_000, 1_000_000)
    if name == "align":
        v = value.strip().lower()
        return v if v in _ALIGN else None
    if name == "valign":
        v = value.strip().lower()
        return v if v in _VALIGN else None
    if name == "dir":
        v = value.strip().lower()
        return v if v in ("ltr", "rtl", "auto") else None
    if name == "lang":
        v = value.strip()
        return v if _LANG.fullmatch(v) else None
    if name == "datetime":
        return value[:100]
    return None


def _attr(name: str, value: str) -> str:
    return f' {name}="{htmllib.escape(value, quote=True)}"'


def attributes_html(tag: str, attr_text: str, link_target: Callable[[str], str | None]) -> str:
    """The attributes `tag` keeps, serialised (href through `link_target`, src never)."""
    parts: list[str] = []
    for key, value in parse_attributes(attr_text):
        if key == "href":
            if tag == "a":
                href = link_target(value)
                if href is not None:
                    parts.append(_attr("href", href))
        elif key != "src":
            kept = attribute_value(tag, key, value)
            if kept is not None:
                parts.append(_attr(key, kept))
    return "".join(parts)


_CACHE_LIMIT: Final = 20_000


class UrlPolicy:
    """Links, images and attributes of one post (memoised: posts repeat their links)."""

    def __init__(
        self, resolver: LocalResolver, post_link: Callable[[str], str | None] | None = None
    ) -> None:
        self.resolver = resolver
        # A link to another post by its URL -> that post's folder path (render.permalinks).
        self.post_link = post_link
        self._links: dict[str, str | None] = {}
        self._attributes: dict[tuple[str, str], str] = {}
        self._images: dict[tuple[str, bool, bool], str] = {}
        self._shown = 0  # <img> elements written

    def link_target(self, url: str) -> str | None:
        try:
            return self._links[url]
        except KeyError:
            pass
        kind, target = classify_url(url)
        post = (
            self.post_link(target) if self.post_link and kind in ("relative", "external") else None
        )
        if post is not None:
            fragment = target.partition("#")[2]
            result: str | None = (
                "/" + quote(post) + ("#" + quote(fragment, safe="/:@-._~%") if fragment else "")
            )
        elif kind == "relative":
            result = self.resolver.link(target)
        elif kind in ("external", "mailto", "fragment"):
            result = target
        else:
            result = None  # javascript:, data:, file:, vbscript: ... leave the link inert
        if len(self._links) < _CACHE_LIMIT:
            self._links[url] = result
        return result

    def attributes(self, tag: str, attr_text: str) -> str:
        """The attributes `tag` keeps, serialised."""
        key = (tag, attr_text)
        try:
            return self._attributes[key]
        except KeyError:
            pass
        result = attributes_html(tag, attr_text, self.link_target)
        if len(self._attributes) < _CACHE_LIMIT:
            self._attributes[key] = result
        return result

    def image(self, attr_text: str, *, in_link: bool, room: bool) -> str:
        """HTML standing for an <img>: the local file, a link to a remote one, or a note.
        `in_link`: inside a link (a link may not nest); `room`: an element may still open."""
        key = (attr_text, in_link, room)
        cached = self._images.get(key)
        if cached is not None:
            return self._counted(cached, room)
        result = self._image(attr_text, in_link=in_link, room=room)
        if len(self._images) < _CACHE_LIMIT:
            self._images[key] = result
        return self._counted(result, room)

    def _counted(self, result: str, room: bool) -> str:
        if not result.startswith("<img"):
            return result
        self._shown += 1
        if self._shown <= MAX_IMAGES:
            return result
        note = f"[image not shown: more than {MAX_IMAGES} images in this post]"
        return f'<span class="{MISSING_IMAGE_CLASS}">{note}</span>' if room else note

    def _image(self, attr_text: str, *, in_link: bool, room: bool) -> str:
        attrs = dict(parse_attributes(attr_text))
        alt = " ".join(attrs.get("alt", "").split())[:300]
        kind, url = classify_url(attrs.get("src", ""))
        if kind == "external":
            try:
                host = urlsplit(url).hostname or ""
            except ValueError:
                host = ""
            label = htmllib.escape(
                f"[image] {alt} ({host})" if alt else f"[image] {host or 'remote'}", quote=False
            )
            if not room:
                return label
            if in_link:
                return f'<span class="{REMOTE_IMAGE_CLASS}"{_attr("title", url)}>{label}</span>'
            return f'<a class="{REMOTE_IMAGE_CLASS}"{_attr("href", url)}>{label}</a>'
        if kind == "relative":
            rel, reason = self.resolver.image(url)
            if rel is not None:
                parts = [f'<img src="{ASSET_SCHEME}:/{htmllib.escape(quote(rel), quote=True)}"']
                for key in ("alt", "title", "width", "height", "align"):
                    if key in attrs:
                        kept = attribute_value("img", key, attrs[key])
                        if kept is not None:
                            parts.append(_attr(key, kept))
                parts.append(">")
                return "".join(parts)
        else:
            reason = {
                "data": "embedded data",
                "file": "file address",
                "empty": "no address",
                "fragment": "no address",
                "long": "address too long",
            }.get(kind, "unsupported address")
        note = f"[image not shown: {htmllib.escape(reason, quote=False)}]"
        if not room:
            return note
        title = _attr("title", alt) if alt else ""
        return f'<span class="{MISSING_IMAGE_CLASS}"{title}>{note}</span>'

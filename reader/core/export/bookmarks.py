"""A folder's bookmarks as a file: rendering them as Markdown, HTML or JSON, and reading a JSON
export back for an import.

Owns `EXPORT_FORMATS`, `ExportFormat`, `export_entries`, `render_bookmarks` and
`parse_export`. Reading and writing the bookmarks themselves is `storage.userdata.UserStore`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from reader.core.errors import ImportFileError
from reader.core.post import Post

if TYPE_CHECKING:
    from reader.core.storage.userdata import Bookmark

EXPORT_FORMATS = ("md", "html", "json")
ExportFormat = Literal["md", "html", "json"]
EXPORT_MARKER = "post_reader_bookmarks"

Entry = dict[str, object]


def now_iso() -> str:
    # One fixed width, so that text order is time order.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def export_entries(bookmarks: Iterable[Bookmark], current: Mapping[str, Post]) -> list[Entry]:
    """One entry per bookmark, in the given order. Categories and tags come from the current
    posts (`current`, by path); a bookmark whose file is gone keeps its stored title."""
    entries: list[Entry] = []
    for b in bookmarks:
        post = current.get(b.path)
        date = post.date.isoformat() if post and post.date is not None else None
        entries.append(
            {
                "title": post.title if post else b.title,
                "date": date if post else b.date,
                "categories": list(post.categories) if post else [],
                "tags": list(post.tags) if post else [],
                "path": b.path,
                "note": b.note,
                "bookmarked_at": b.created_at.isoformat(),
            }
        )
    return entries


def render_bookmarks(
    entries: list[Entry],
    root: Path | None,
    fmt: ExportFormat,
    current: Mapping[str, Post],
    searches: list[Entry] | None = None,
) -> str:
    """The entries as the text of a Markdown, HTML or JSON file; the JSON also carries the
    saved searches, so an import brings them back."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {EXPORT_FORMATS}")
    if fmt == "json":
        doc = {
            EXPORT_MARKER: 1,
            "folder": str(root) if root else None,
            "exported_at": now_iso(),
            "bookmarks": entries,
            "saved_searches": searches or [],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    missing = {str(e["path"]) for e in entries if e["path"] not in current}
    render = _markdown if fmt == "md" else _html
    return render(entries, root, missing)


def parse_export(text: str) -> list[Entry]:
    """The entries of a JSON export; ImportFileError when `text` is not one."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ImportFileError(f"not a JSON file: {exc}") from None
    items = doc.get("bookmarks") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise ImportFileError("not a Post Reader bookmarks export (no list of bookmarks)")
    return [e for e in items if isinstance(e, dict)]


def parse_saved_searches(text: str) -> list[Entry]:
    """The saved searches of a JSON export (none in an older one, or in a bare list)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    items = doc.get("saved_searches") if isinstance(doc, dict) else None
    return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []


def _link(root: Path | None, path: str) -> str:
    return (root / path).as_uri() if root is not None else quote(path)


def _md_text(text: str) -> str:
    text = " ".join(text.split())
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def _field_text(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value or "")


_FIELDS = (("Date", "date"), ("Categories", "categories"), ("Tags", "tags"))


def _markdown(entries: list[Entry], root: Path | None, missing: set[str]) -> str:
    name = root.name if root else "folder"
    lines = [f"# Bookmarks: {_md_text(name)}", ""]
    lines += [f"{len(entries)} bookmarks, newest first, exported {now_iso()[:19]}Z.", ""]
    for e in entries:
        path = str(e["path"])
        gone = " (file missing)" if path in missing else ""
        lines.append(f"## [{_md_text(str(e['title']))}](<{_link(root, path)}>){gone}")
        lines.append("")
        for label, key in _FIELDS:
            text = _field_text(e[key])
            if text:
                lines.append(f"- {label}: {_md_text(text)}")
        lines.append(f"- Path: {_md_text(path)}")
        lines.append(f"- Bookmarked: {e['bookmarked_at']}")
        if e["note"]:
            lines.append(f"- Note: {_md_text(str(e['note']))}")
        lines.append("")
    return "\n".join(lines)


def _html(entries: list[Entry], root: Path | None, missing: set[str]) -> str:
    esc = html.escape
    name = esc(root.name if root else "folder")
    out = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        f"<title>Bookmarks: {name}</title></head><body>",
        f"<h1>Bookmarks: {name}</h1>",
        f"<p>{len(entries)} bookmarks, newest first, exported {esc(now_iso()[:19])}Z.</p>",
        "<ol>",
    ]
    for e in entries:
        path = str(e["path"])
        gone = " <em>(file missing)</em>" if path in missing else ""
        out.append(f'<li><a href="{esc(_link(root, path))}">{esc(str(e["title"]))}</a>{gone}<ul>')
        for label, key in _FIELDS:
            text = _field_text(e[key])
            if text:
                out.append(f"<li>{label}: {esc(text)}</li>")
        out.append(f"<li>Path: <code>{esc(path)}</code></li>")
        out.append(f"<li>Bookmarked: {esc(str(e['bookmarked_at']))}</li>")
        if e["note"]:
            out.append(f'<li>Note: <span class="note">{esc(str(e["note"]))}</span></li>')
        out.append("</ul></li>")
    out += ["</ol>", "</body></html>", ""]
    return "\n".join(out)

"""Post files to `Post` records: read bytes (through `files`, the one reader of files inside the
folder), decode, split and load the front matter, apply the Jekyll rules. Never raises for a
bad file: it becomes a `Problem` with a one-line reason.

The metadata stage reads the file once and decodes it; the body is not rendered here (`read_body`
reads it again on demand, when a post is opened).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import Any

from reader.core.errors import FileProblem
from reader.core.post import Post as PostRecord
from reader.core.post import PostFormat, Problem, SiteConfig, format_for_extension, intern_all
from reader.core.reading import jekyll
from reader.core.reading.files import FolderReader, read_inside
from reader.core.reading.scan import Candidate
from reader.core.reading.textdecode import NotText, decode_bytes
from reader.core.reading.yamlflat import load_flat
from reader.core.reading.yamlsafe import YamlProblem, load_yaml_mapping
from reader.core.render.deadline import Deadline, DeadlineExceeded, run_with_deadline

MAX_POST_BYTES = 32 * 1024 * 1024
MAX_FRONT_MATTER_CHARS = 256 * 1024
EXCERPT_CHARS = 280
TITLE_FROM_BODY_CHARS = 80
# A title is a line in the list and a heading in the pane; a 100 KB one is a body by mistake.
MAX_TITLE_CHARS = 500
# Warnings are shown above the post: a list of 20,000 numbers as tags needs one line, not 20,000.
MAX_WARNINGS = 12
MAX_WARNING_CHARS = 300
# Parsing one file never takes more (the slowest real files take milliseconds; the slowest
# hostile ones found take about a second); past it the file is a Problem.
PARSE_SECONDS = 10.0
TOO_SLOW = "took too long to parse (over {seconds:g} s); not read"
EXCERPT_SECONDS = 0.5

# First line `---` (trailing spaces allowed); closing `---` or `...` on a line of its own.
_OPEN_FENCE = re.compile(r"---[ \t]*\n")
_CLOSE_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$\n?", re.MULTILINE)
_LEADING_BLANK = re.compile(r"(?:[ \t]*\n)+")


@dataclass(frozen=True, slots=True)
class Split:
    """A decoded file cut into front matter and body."""

    front_matter: str | None  # None: the file has no front matter
    body: str
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ZoneRules:
    """Which zone dates are shown in (`convert_to`, None keeps each date's own offset) and which
    zone a date without an offset is read in."""

    convert_to: tzinfo | None
    naive: tzinfo
    # A YAML timestamp without an offset: read in `naive` (the reader's choice) instead of as
    # UTC (Jekyll's reading: scraped Beijing times shown 8 hours late).
    naive_timestamps_local: bool = False

    @classmethod
    def for_site(cls, site: SiteConfig) -> ZoneRules:
        zone = jekyll.resolve_zone(site.timezone)
        local = jekyll.local_zone()
        local_naive = site.naive_times_in_site_zone
        if site.is_site:
            # Jekyll shows every date in the site zone, which is the machine's zone when unset.
            return cls(zone or local, zone or local, local_naive)
        # A plain folder has no site zone: keep the offsets its posts give.
        return cls(None, local, local_naive)


def split_front_matter(text: str) -> Split:
    """Find the front matter. Lenient: blank lines before `---` are allowed, with a warning."""
    warnings: list[str] = []
    start = 0
    if not text.startswith("---"):
        lead = _LEADING_BLANK.match(text)
        if lead and text.startswith("---", lead.end()):
            start = lead.end()
            warnings.append("blank lines before the front matter (Jekyll would ignore it)")
        else:
            return Split(None, text, ())
    m = _OPEN_FENCE.match(text, start)
    if not m:
        if text[start:].rstrip() == "---":
            return Split("", "", tuple(warnings))
        return Split(None, text, ())
    close = _CLOSE_FENCE.search(text, m.end())
    if close is None:
        warnings.append("front matter is never closed by `---`; read as body text")
        return Split(None, text, tuple(warnings))
    fm = text[m.end() : close.start()]
    if text[close.start()] == ".":
        warnings.append("front matter closed with `...` instead of `---`")
    return Split(fm, text[close.end() :], tuple(warnings))


def decode_and_split(data: bytes) -> Split:
    """Bytes to a Split; raises FileProblem for binary data."""
    try:
        decoded = decode_bytes(data)
    except NotText as exc:
        raise FileProblem(str(exc)) from None
    split = split_front_matter(decoded.text)
    return Split(split.front_matter, split.body, decoded.warnings + split.warnings)


# --- titles and excerpts from the body ----------------------------------------------------------

_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_SETEXT = re.compile(r"^([^\n]+)\n[ ]{0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
_HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,2000}>")
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MD_LINE_MARKS = re.compile(r"^[ \t]*(?:[#>]+|[*+-])[ \t]+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"[*_`~]+")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]*>")
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)")
_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))


def plain_text(fragment: str) -> str:
    """A cheap text-only view of Markdown/HTML for titles and excerpts (not for rendering).

    Runs on every post during a load, so each pattern runs only when its trigger is present."""
    text = fragment
    if "{" in text:
        text = _LIQUID.sub(" ", text)
    if "<" in text:
        text = _AUTOLINK.sub(" ", text)
        text = _TAG.sub(" ", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINE_MARKS.sub("", text)
    if "*" in text or "_" in text or "`" in text or "~" in text:
        text = _MD_EMPHASIS.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)
    return " ".join(text.split())


def title_from_body(body: str) -> str | None:
    """The first heading of the body, else its first sentence (at most 80 characters)."""
    head = body[:8192]
    candidates = []
    for pattern in (_MD_HEADING, _SETEXT, _HTML_HEADING):
        m = pattern.search(head)
        if m:
            candidates.append((m.start(), plain_text(m.group(1))))
    candidates = [c for c in candidates if c[1]]
    if candidates:
        return min(candidates)[1][:TITLE_FROM_BODY_CHARS].strip()
    text = plain_text(head)
    if not text:
        return None
    m = _SENTENCE_END.search(text)
    sentence = text[: m.end()] if m else text
    if len(sentence) > TITLE_FROM_BODY_CHARS:
        sentence = sentence[: TITLE_FROM_BODY_CHARS - 1].rstrip() + "…"
    return sentence.strip()


def excerpt_of(body: str, separator: str) -> str:
    head = body[:8192]
    cut = head.find(separator) if separator else -1
    # The default separator is a blank line; skip blank lines that start the body.
    stripped = head.lstrip("\n")
    if separator == "\n\n":
        cut = stripped.find("\n\n")
        head = stripped
    region = head[:cut] if cut > 0 else head
    # Strip markup from a growing prefix only: on 100,000 posts the whole 8 KB cost 40% of
    # parsing. A tag cut in two can only leave debris after the text kept (2x the excerpt).
    size = 1024
    while True:
        text = plain_text(region[:size])
        if len(text) > 2 * EXCERPT_CHARS or size >= len(region):
            return text[:EXCERPT_CHARS]
        size *= 4


def _excerpt(fm: Mapping[str, Any], body: str, site: SiteConfig, warnings: list[str]) -> str:
    """The post's excerpt: its own `excerpt`, else the start of its body (as text)."""
    own = jekyll.text_value(fm, "excerpt", warnings)
    text = plain_text(own)[:EXCERPT_CHARS] if own else excerpt_of(body, site.excerpt_separator)
    return _clean(text)


def excerpt_from_file(root: Path, rel_path: str, site: SiteConfig) -> str:
    """The excerpt of the post at `rel_path`, made from its file now ("" when it cannot be
    read): a load leaves excerpts out, a fifth of the parse, for the tooltip to ask here."""

    def make() -> str:
        split = decode_and_split(read_inside(root, rel_path, MAX_POST_BYTES))
        return _excerpt(_load_front_matter(split), split.body, site, [])

    try:  # a hostile file's front matter can take a second: a tooltip never waits that long
        return run_with_deadline(make, EXCERPT_SECONDS)
    except (FileProblem, RecursionError, MemoryError, DeadlineExceeded):
        return ""


# --- building the record ------------------------------------------------------------------------


def _load_front_matter(split: Split) -> dict[str, Any]:
    if split.front_matter is None or not split.front_matter.strip():
        return {}
    if len(split.front_matter) > MAX_FRONT_MATTER_CHARS:
        raise FileProblem("front matter is larger than 256 KB")
    flat = load_flat(split.front_matter)
    if flat is not None:
        return flat
    try:
        data = load_yaml_mapping(split.front_matter)
    except YamlProblem as exc:
        raise FileProblem(str(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FileProblem(f"front matter is a {type(data).__name__}, not a mapping of keys")
    # Keys that are not text (`1: x`, `true: y`) are kept under their text form.
    return {k if isinstance(k, str) else str(k): v for k, v in data.items()}


def build_post(
    cand: Candidate, split: Split, site: SiteConfig, zones: ZoneRules, excerpts: bool = True
) -> PostRecord | None:
    """The Post for a candidate, or None when a plain-mode file is not a post at all.
    `excerpts=False`: its excerpt is left empty (`excerpt_from_file` makes it when asked)."""
    if split.front_matter is None and not cand.in_posts_dir and not cand.markdown:
        return None  # plain folder: HTML/text files without front matter are not posts
    warnings = list(split.warnings)
    fm = _load_front_matter(split)
    name = cand.path.rsplit("/", 1)[-1]
    parts = jekyll.parse_filename(name)
    if cand.draft and parts.date is not None:
        # Drafts have no date in their names; a dated draft keeps the name as slug, as Jekyll does.
        parts = jekyll.NameParts(None, name.rsplit(".", 1)[0], parts.ext)
    if cand.in_posts_dir and not cand.draft and parts.date is None:
        warnings.append(
            "file name has no valid date (YYYY-MM-DD-title); Jekyll would skip this post"
            if parts.bad_date is None
            else f"file name date {parts.bad_date} is not a real date; Jekyll would skip this post"
        )

    date = _post_date(fm, parts, cand, zones, warnings)
    title = _post_title(fm, split.body, parts.slug, warnings)
    categories = jekyll.categories_for(cand.path_categories, fm, warnings)
    tags = jekyll.tags_for(fm, warnings)
    excerpt = _excerpt(fm, split.body, site, warnings) if excerpts else ""
    slug_value = fm.get("slug")
    slug = slug_value if isinstance(slug_value, str) and slug_value else parts.slug
    ext = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    published = jekyll.bool_value(fm, "published", True, warnings)
    own_permalink = fm.get("permalink")
    return PostRecord(
        path=cand.path,
        title=_clean(title),
        date=date,
        categories=intern_all(_clean_all(categories)),
        tags=intern_all(_clean_all(tags)),
        slug=_clean(slug),
        format=format_for_extension(ext),
        draft=cand.draft,
        published=published,
        warnings=_bounded_warnings(warnings),
        excerpt=excerpt,
        size=cand.size,
        mtime_ns=cand.mtime_ns,
        permalink=_clean(own_permalink) if isinstance(own_permalink, str) else "",
    )


# YAML escapes (`"\ud800"`) can put lone surrogates in any value; SQLite and Qt refuse them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def _clean_all(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_clean(t) for t in texts)


def _bounded_warnings(warnings: list[str]) -> tuple[str, ...]:
    """Each warning once, each at most one line long, and at most MAX_WARNINGS of them."""
    unique: dict[str, None] = {}
    for w in warnings:
        w = _clean(w)
        if len(w) > MAX_WARNING_CHARS:
            w = w[: MAX_WARNING_CHARS - 1] + "…"
        unique.setdefault(w, None)
    kept = list(unique)
    if len(kept) > MAX_WARNINGS:
        rest = len(kept) - (MAX_WARNINGS - 1)
        kept = [*kept[: MAX_WARNINGS - 1], f"… and {rest:,} more warnings"]
    return tuple(kept)


def _post_date(
    fm: Mapping[str, Any],
    parts: jekyll.NameParts,
    cand: Candidate,
    zones: ZoneRules,
    warnings: list[str],
) -> datetime | None:
    if "date" not in fm:
        return _fallback_date(parts, cand, zones)
    try:
        result = jekyll.date_from_value(
            fm["date"], zones.convert_to, zones.naive, naive_local=zones.naive_timestamps_local
        )
    except jekyll.DateError as exc:
        warnings.append(f"{exc}; {_fallback_name(parts, cand)} is used instead")
        return _fallback_date(parts, cand, zones)
    except (OverflowError, ValueError) as exc:
        warnings.append(
            f"date cannot be used ({exc}); {_fallback_name(parts, cand)} is used instead"
        )
        return _fallback_date(parts, cand, zones)
    if result.warning:
        warnings.append(result.warning)
    return result.value


def _fallback_name(parts: jekyll.NameParts, cand: Candidate) -> str:
    if parts.date is not None:
        return "the file name's date"
    return "the file's modification time" if cand.draft else "no date"


def _fallback_date(parts: jekyll.NameParts, cand: Candidate, zones: ZoneRules) -> datetime | None:
    """The date a post has without a usable front-matter one (built only when needed)."""
    if parts.date is not None:
        return jekyll.midnight(parts.date, zones.convert_to or zones.naive)
    if cand.draft:
        stamp = datetime.fromtimestamp(cand.mtime_ns / 1e9, tz=zones.naive)
        return stamp.astimezone(zones.convert_to) if zones.convert_to else stamp
    return None


def _post_title(fm: Mapping[str, Any], body: str, slug: str, warnings: list[str]) -> str:
    title = jekyll.text_value(fm, "title", warnings)
    if title is not None and title.strip():
        title = " ".join(title[: MAX_TITLE_CHARS * 4].split())
        if len(title) > MAX_TITLE_CHARS:
            warnings.append(f"title is longer than {MAX_TITLE_CHARS} characters; shortened")
            title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
        return title
    derived = title_from_body(body)
    if derived:
        return derived
    return jekyll.titleize_slug(slug) if slug else "(untitled)"


class ParseSession:
    """What parsing a series of files on one thread shares, to make each file cheap: one
    re-armable deadline (instead of registering one per file) and a `FolderReader` keeping the
    folders walked open (one `openat` per file instead of a walk from the root). Scoped to one
    batch of files, so a folder swapped for a symbolic link later is walked again by the next
    batch. Use as a context manager on that thread."""

    def __init__(self, root: Path, excerpts: bool = True) -> None:
        self.root = root
        self.excerpts = excerpts  # False: posts come without (see `excerpt_from_file`)
        self.deadline = Deadline(PARSE_SECONDS)
        self.reader = FolderReader(root)

    def __enter__(self) -> ParseSession:
        self.deadline.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.deadline.__exit__()
        self.reader.close()

    def read(self, rel_path: str) -> bytes:
        """The bytes of `rel_path` (see `files.read_inside`), at most MAX_POST_BYTES."""
        return self.reader.read(rel_path, MAX_POST_BYTES)

    def with_stat(self, cand: Candidate) -> Candidate:
        """`cand` with its real size and mtime when the scan left them unknown (a cold load lists
        names only): those of the file `read` opened last for it, else an `lstat` of the path
        (a file that could not be opened); unknown (-1) still if neither works."""
        return _with_stat(self.root, cand, self.reader.last_stat)


def _with_stat(root: Path, cand: Candidate, opened: os.stat_result | None) -> Candidate:
    if cand.size >= 0:
        return cand
    st = opened
    if st is None:
        try:
            st = os.stat(root / cand.path, follow_symlinks=False)
        except (OSError, ValueError):
            return cand
    return cand.with_stat(st.st_size, st.st_mtime_ns)


def parse_candidate(
    root: Path,
    cand: Candidate,
    site: SiteConfig,
    zones: ZoneRules,
    session: ParseSession | None = None,
) -> PostRecord | Problem | None:
    """One candidate to a Post, a Problem, or None (not a post). Never raises for a bad file,
    and never takes more than PARSE_SECONDS over one (`session`: a ParseSession entered on this
    thread, which makes a long series of calls cheaper; the result is the same)."""
    if session is None:
        with FolderReader(root) as reader:
            try:
                work = partial(_parse, root, cand, site, zones, reader)
                return run_with_deadline(work, PARSE_SECONDS)
            except DeadlineExceeded:
                return Problem(cand.path, TOO_SLOW.format(seconds=PARSE_SECONDS))
    deadline = session.deadline
    try:
        deadline.arm()
        result = _parse(root, cand, site, zones, session.reader, session.excerpts)
        deadline.disarm()  # inside the try: an interruption arriving just now is caught below
        return result
    except DeadlineExceeded:
        deadline.disarm()
        return Problem(cand.path, TOO_SLOW.format(seconds=deadline.seconds))


def _parse(
    root: Path,
    cand: Candidate,
    site: SiteConfig,
    zones: ZoneRules,
    reader: FolderReader,
    excerpts: bool = True,
) -> PostRecord | Problem | None:
    try:
        data = reader.read(cand.path, MAX_POST_BYTES)
        cand = _with_stat(root, cand, reader.last_stat)  # the post records the real stat
        split = decode_and_split(data)
        return build_post(cand, split, site, zones, excerpts)
    except FileProblem as exc:
        return Problem(cand.path, _clean(str(exc))[:MAX_WARNING_CHARS])
    except RecursionError:
        return Problem(cand.path, "front matter is nested too deeply")
    except MemoryError:
        return Problem(cand.path, "too large to read into memory")


def read_body(root: Path, rel_path: str) -> tuple[str, PostFormat, tuple[str, ...]]:
    """A post's body text (front matter removed), its format and decoding warnings.

    Raises FileProblem when the file cannot be read any more.
    """
    split = decode_and_split(read_inside(root, rel_path, MAX_POST_BYTES))
    ext = os.path.splitext(rel_path)[1]
    return split.body, format_for_extension(ext), split.warnings

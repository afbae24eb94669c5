"""Compare our rendering of the shared corpus with what Jekyll 4.3.1 rendered for it.

`EXPECTED/<site>.rendered.jsonl` holds Jekyll's HTML of every post body. For each post we
compare, as a reader of the site would see them:

- text: the visible text, whitespace ignored (scripts, iframes, forms and remote images are
  left out on both sides: we never show them, deliberately);
- code: the text of every code block (`<pre>`), in order;
- lists: the text of every list item, in order;
- headings: level, id and text of every heading, in order;
- links: every link Jekyll wrote to another post of the site leads, in ours, to that post.

Run `python -m tests.integration.render_compare` from the repository root for the table of
figures; tests/integration/test_render_corpus.py asserts the floor.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.conftest import shared_path

SITES = {
    "zning1994+finews": "zning1994+finews",
    "mmistakes+minimal-mistakes": "mmistakes+minimal-mistakes",
    "jekyll+jekyll-docs": "jekyll+jekyll/docs",
}
ASPECTS = ("text", "code", "lists", "headings", "links")

_HIDDEN = {"script", "style", "iframe", "form", "noscript", "object", "embed", "svg"}
_OUR_NOTES = {"remote-image", "missing-image", "notice", "liquid-note"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Extract(HTMLParser):
    """Visible text, code blocks, list items, headings and links of an HTML fragment."""

    def __init__(self, ours: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.ours = ours
        self.text: list[str] = []
        self.code: list[list[str]] = []
        self.items: list[list[str]] = []
        self.open_items: list[int] = []
        self.headings: list[tuple[str, str, list[str]]] = []
        self.in_heading = False
        self.links: list[str] = []
        self.skip: list[str] = []  # tags whose content is not shown
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self.skip:
            if tag == self.skip[-1] and tag not in ("img", "br"):
                self.skip.append(tag)
            return
        classes = set(a.get("class", "").split())
        if tag in _HIDDEN or (self.ours and classes & _OUR_NOTES):
            if tag not in ("img", "br", "hr"):
                self.skip.append(tag)
            return
        if tag == "img" and not self.ours:
            return  # remote images: never shown by us; local ones have no text
        if tag == "pre":
            self.pre += 1
            if self.pre == 1:
                self.code.append([])
        elif tag == "li":
            self.items.append([])
            self.open_items.append(len(self.items) - 1)
        elif tag in _HEADINGS:
            self.headings.append((tag, a.get("id", ""), []))
            self.in_heading = True
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        elif tag == "li" and self.open_items:
            self.open_items.pop()
        elif tag in _HEADINGS:
            self.in_heading = False

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.text.append(data)
        if self.pre and self.code:
            self.code[-1].append(data)
        for k in self.open_items:
            self.items[k].append(data)
        if self.in_heading and self.headings:
            self.headings[-1][2].append(data)


def _squash(text: str) -> str:
    return "".join(text.split())


@dataclass
class Shape:
    text: str
    code: list[str]
    items: list[str]
    headings: list[tuple[str, str, str]]
    links: list[str]


def shape_of(html: str, *, ours: bool) -> Shape:
    p = _Extract(ours)
    p.feed(html)
    p.close()
    return Shape(
        text=_squash("".join(p.text)),
        code=["".join(c).strip("\n") for c in p.code],
        items=[_squash("".join(i)) for i in p.items],
        headings=[(t, i, " ".join("".join(x).split())) for t, i, x in p.headings],
        links=p.links,
    )


@dataclass
class PostResult:
    path: str
    agree: dict[str, bool | None] = field(default_factory=dict)  # None: nothing to compare
    details: dict[str, str] = field(default_factory=dict)


def _target_by_url(expected: list[dict[str, object]], site_url: str) -> Callable[[str], str | None]:
    by_url: dict[str, str] = {}
    for row in expected:
        url = unquote(str(row["url"]))
        by_url[url] = str(row["path"])
        if url.endswith(".html"):
            by_url[url.removesuffix(".html")] = str(row["path"])
        if url.endswith("/index.html"):
            by_url[url.removesuffix("index.html")] = str(row["path"])

    def target(href: str) -> str | None:
        parts = urlsplit(href)
        # A link with a host is a link into the site only when it is the site's own `url`
        # (a site without one has no absolute links to itself).
        if parts.netloc and not (site_url and href.startswith(site_url)):
            return None
        return by_url.get(unquote(parts.path))

    return target


def compare_site(
    site: str,
    render: Callable[[object, str], str],
    resolve: Callable[[str, str], str | None],
    site_url: str = "",
) -> list[PostResult]:
    """Compare every post of `site`; `render(folder_post, path)` gives our HTML and
    `resolve(href, from_path)` the folder path one of our links opens."""
    rows = [
        json.loads(line)
        for line in shared_path("corpus", "EXPECTED", f"{site}.rendered.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    jekyll_target = _target_by_url(rows, site_url)
    results = []
    for row in rows:
        path = str(row["path"])
        theirs = shape_of(str(row["content"]), ours=False)
        ours_html = render(None, path)
        ours = shape_of(ours_html, ours=True)
        r = PostResult(path)
        if row.get("liquid") is False:
            # Jekyll's Liquid failed on this post (a plugin's tag, an include the corpus does
            # not carry): EXPECTED shows its Liquid source, which no site ever showed. Its
            # text and code are not compared; lists, headings and links still are.
            theirs.text = ours.text
            theirs.code = ours.code
            r.details["liquid"] = f"Jekyll's Liquid failed: {row.get('liquid_error', '')}"[:200]
        r.agree["text"] = theirs.text == ours.text
        if not r.agree["text"]:
            r.details["text"] = _first_difference(theirs.text, ours.text)
        r.agree["code"] = (theirs.code == ours.code) if theirs.code or ours.code else None
        if r.agree["code"] is False:
            r.details["code"] = f"{theirs.code!r:.300} != {ours.code!r:.300}"
        r.agree["lists"] = (theirs.items == ours.items) if theirs.items or ours.items else None
        if r.agree["lists"] is False:
            r.details["lists"] = f"{theirs.items!r:.300} != {ours.items!r:.300}"
        r.agree["headings"] = (
            (theirs.headings == ours.headings) if theirs.headings or ours.headings else None
        )
        if r.agree["headings"] is False:
            r.details["headings"] = f"{theirs.headings!r:.300} != {ours.headings!r:.300}"
        wanted = [t for t in (jekyll_target(h) for h in theirs.links) if t and t != path]
        if wanted:
            got = {resolve(h, path) for h in ours.links}
            missing = [t for t in wanted if t not in got]
            r.agree["links"] = not missing
            if missing:
                r.details["links"] = f"not reached: {missing}"
        else:
            r.agree["links"] = None
        results.append(r)
    return results


def _first_difference(a: str, b: str) -> str:
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"at {n}: jekyll {a[max(n - 30, 0) : n + 50]!r} / ours {b[max(n - 30, 0) : n + 50]!r}"


def render_site(site: str) -> list[PostResult]:
    """Open the site as the reader does and compare every post.

    The render deadlines are held still meanwhile: this compares what the renderer makes, and
    a busy machine (a CI runner, a full garbage collection in a long test process) must not
    turn a 2 KB post over to the light renderer. The deadlines have tests of their own."""
    from reader.core.render import deadline
    from tests.conftest import FakeClock

    previous = deadline.use_clock(FakeClock())
    try:
        return _render_site(site)
    finally:
        deadline.use_clock(previous)


def _render_site(site: str) -> list[PostResult]:
    from reader.core import open_folder

    folder_path = shared_path("corpus", *SITES[site].split("/"))
    with tempfile.TemporaryDirectory() as cache:
        folder = open_folder(folder_path, cache_dir=Path(cache))
        try:
            folder.load(use_workers=False)
            posts = {p.path: p for p in folder.library.posts}

            def render(_unused: object, path: str) -> str:
                return _render_post(folder, posts[path])

            def resolve(href: str, from_path: str) -> str | None:
                post = folder.resolve_link(href, from_path)
                return post.path if post is not None else None

            return compare_site(site, render, resolve, folder.library.site.url)
        finally:
            folder.close()


def _render_post(folder: object, post: object) -> str:
    """Our HTML of one post: the core's post renderer where there is one, else the pane's."""
    try:
        from reader.core.render.page import render_post
    except ImportError:
        return folder.render(post)  # type: ignore[attr-defined, no-any-return]
    return render_post(folder.library, post).html  # type: ignore[attr-defined]


def summary(results: list[PostResult]) -> dict[str, tuple[int, int]]:
    """aspect -> (posts agreeing, posts with something to compare)."""
    out: dict[str, tuple[int, int]] = {}
    for aspect in ASPECTS:
        values = [r.agree[aspect] for r in results if r.agree.get(aspect) is not None]
        out[aspect] = (sum(1 for v in values if v), len(values))
    return out


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    totals = {a: [0, 0] for a in ASPECTS}
    print(f"{'site':32} " + " ".join(f"{a:>12}" for a in ASPECTS))
    for site in SITES:
        results = render_site(site)
        s = summary(results)
        cells = []
        for a in ASPECTS:
            ok, n = s[a]
            totals[a][0] += ok
            totals[a][1] += n
            cells.append(f"{ok:>3}/{n:<3} {100 * ok / n if n else 100:3.0f}%")
        print(f"{site:32} " + " ".join(f"{c:>12}" for c in cells))
        if verbose:
            for r in results:
                for aspect, why in sorted(r.details.items()):
                    print(f"   {r.path} [{aspect}] {why}")
    cells = [f"{ok:>3}/{n:<3} {100 * ok / n if n else 100:3.0f}%" for ok, n in totals.values()]
    print(f"{'all':32} " + " ".join(f"{c:>12}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

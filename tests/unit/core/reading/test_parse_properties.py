"""Property tests of reading post files: whatever bytes a file holds, parsing ends, within its
budget, in a Post or a Problem with a one-line reason, and rendering the body ends in safe HTML.

The example-based hostile cases live in tests/integration/test_hostile.py; here hypothesis
invents the files: arbitrary bytes, and front matter assembled from the pieces real and hostile
files are made of, in every encoding the reader meets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.post import Post, PostFormat, Problem, SiteConfig
from reader.core.reading import parse
from reader.core.reading.parse import FileProblem, ZoneRules, decode_and_split, parse_candidate
from reader.core.reading.problems import printable, problem_line
from reader.core.reading.scan import Candidate
from reader.core.render.pipeline import RenderContext, render_body
from reader.core.render.tokens import BREAK_EVERY, LONG_RUN_CHARS, ZWSP, break_long_runs

SITE = SiteConfig(is_site=True, timezone="UTC")
ZONES = ZoneRules.for_site(SITE)
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_SURROGATE = re.compile("[\ud800-\udfff]")

# Pieces of front matter: ordinary keys, every type a value can have, and what attacks use.
FRONT_MATTER_PIECES = [
    "title: A title\n", "title: 中文标题\n", "title: [a, b]\n", "title: {a: 1}\n", "title: 42\n",
    "title: true\n", "title: null\n", "title: ''\n", 'title: "\\u00e9\\t\\x00"\n',
    "title: !!binary aGVsbG8=\n", "date: 2021-12-08 15:46:00 +0800\n", "date: 2021-13-45\n",
    "date: 2021-12-08T12:45:50+05:00\n", "date: 0000-00-00\n", "date: [1, 2]\n",
    "date: 99999-01-01\n", "date: '  +0800'\n", "date: .inf\n", "tags: a b c\n",
    "tags: [x, [y, [z]]]\n", "tags: {a: 1}\n", "tags: 3.5\n", "categories: [新闻, 1, null]\n",
    "category: x\n", "tag: [a]\n", "published: maybe\n", "published: false\n",
    "excerpt: <b>bold</b>\n", "slug: s\n", "a: &x [1, 2]\n", "b: *x\n", "<<: {title: m}\n",
    "? [k]\n: v\n", "x: !!python/object/apply:os.system ['true']\n", "x: !!python/name:os.sep\n",
    "x: !!set {a, b}\n", "x: !!omap [a: 1]\n", "\tbad: tab\n", "  indented: wrong\n",
    "title: [unclosed\n", "x: " + "[" * 300 + "\n", "- a list item\n", "just text\n",
    "# a comment\n", "x: |\n  block\n  text\n", "x: >\n  folded\n", "---\n", "...\n", "\n",
    "x: \"unterminated\n", "x: '\\ud800'\n", "x: \"\\ud800\"\n", "key with spaces: v\n",
]  # fmt: skip
BODY_PIECES = [
    "Hello world.\n", "# Heading\n", "中文正文。\n", "\n", "<p>html</p>\n", "[link](x)\n",
    "![img](http://tracker.invalid/p.gif)\n", "<script>alert(1)</script>\n", "{% raw %}", "{{ x }}",
    "---\n", "> quote\n", "- item\n", "```\ncode\n```\n", "[" * 50, "*a**", "<div>" * 40, "\r\n",
    "\x00", "\ufeff", "&amp;", "&#0;", "a" * 3000,
]  # fmt: skip
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "big5",
             "shift_jis", "cp1252", "utf-32"]  # fmt: skip


@st.composite
def post_files(draw: st.DrawFn) -> bytes:
    """A post file: maybe blank lines or a BOM, front matter fenced one way or another, a body,
    in some encoding (characters it cannot encode dropped)."""
    fm = "".join(draw(st.lists(st.sampled_from(FRONT_MATTER_PIECES), max_size=12)))
    body = "".join(draw(st.lists(st.sampled_from(BODY_PIECES), max_size=12)))
    lead = draw(st.sampled_from(["", "\n", " \n\n", "\ufeff"]))
    close = draw(st.sampled_from(["---\n", "...\n", "--- \n", ""]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = (lead + "---\n" + fm + close + body).replace("\n", newline)
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="ignore")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("properties")
    (root / "_posts").mkdir()
    return root


def _parse_file(root: Path, data: bytes, name: str = "2021-12-08-x.md") -> object:
    path = root / "_posts" / name
    path.write_bytes(data)
    cand = Candidate(
        f"_posts/{name}", len(data), 0, in_posts_dir=True, markdown=name.endswith(".md")
    )
    item = parse_candidate(root, cand, SITE, ZONES)
    # Parsing is bounded by its deadline (test_parse: a fake clock makes it pass); none of these
    # small files may come near it. How fast parsing is: tests/benchmarks.
    assert not (isinstance(item, Problem) and item.reason.startswith("took too long")), item
    return item


def _check_record(item: object) -> None:
    """What every record the parser returns must be, whatever the file held."""
    assert isinstance(item, Post | Problem), item
    if isinstance(item, Problem):
        assert item.reason and "\n" not in item.reason, item
        assert not _SURROGATE.search(item.reason)
        return
    texts = [item.title, item.slug, item.excerpt, *item.tags, *item.categories, *item.warnings]
    assert all(isinstance(t, str) and not _SURROGATE.search(t) for t in texts), item
    assert item.title.strip(), item
    assert len(item.title) <= parse.MAX_TITLE_CHARS
    assert len(item.warnings) <= parse.MAX_WARNINGS
    assert all(len(w) <= parse.MAX_WARNING_CHARS for w in item.warnings)
    assert len(set(item.warnings)) == len(item.warnings)
    assert item.date is None or item.date.tzinfo is not None


@PROPERTY
@given(data=st.binary(max_size=4096))
def test_any_bytes_split_or_are_refused(data: bytes) -> None:
    try:
        split = decode_and_split(data)
    except FileProblem as exc:
        assert str(exc)
        return
    assert isinstance(split.body, str)
    assert split.front_matter is None or isinstance(split.front_matter, str)
    assert "\x00" not in split.body


@PROPERTY
@given(data=st.binary(max_size=4096))
def test_any_bytes_become_a_post_or_a_problem(folder: Path, data: bytes) -> None:
    _check_record(_parse_file(folder, data))


@PROPERTY
@given(data=post_files())
def test_any_front_matter_becomes_a_post_or_a_problem(folder: Path, data: bytes) -> None:
    item = _parse_file(folder, data)
    _check_record(item)
    assert not (folder / "true").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=post_files(), fmt=st.sampled_from(list(PostFormat)))
def test_any_body_renders_within_its_budget(folder: Path, data: bytes, fmt: PostFormat) -> None:
    try:
        body = decode_and_split(data).body
    except FileProblem:
        return
    html = render_body(body, fmt, RenderContext(folder, "_posts/2021-12-08-x.md"))
    assert isinstance(html, str) and "<script" not in html.lower()


@PROPERTY
@given(
    parts=st.lists(
        st.sampled_from(["a" * 700, "b" * 1500, " ", "\n", "<b>", "</b>", "<p>", "</p>", "中"]),
        max_size=40,
    )
)
def test_long_runs_get_break_points_and_nothing_else_changes(parts: list[str]) -> None:
    markup = "".join(parts)
    out = break_long_runs(markup)
    assert out.replace(ZWSP, "") == markup
    assert _longest_run(out) <= LONG_RUN_CHARS + BREAK_EVERY
    if _longest_run(markup) <= LONG_RUN_CHARS:
        assert out == markup


def _longest_run(markup: str) -> int:
    """The longest stretch of text Qt cannot break: a paragraph starts a new line, an inline
    tag such as <b> does not."""
    text = re.sub(r"<[^>]*>", "", re.sub(r"</?p>", "\n", markup))
    return max((len(run) for run in re.split(f"[ \n{ZWSP}]", text)), default=0)


@PROPERTY
@given(path=st.text(max_size=60), reason=st.text(max_size=60))
def test_a_problem_is_always_one_printable_line(path: str, reason: str) -> None:
    line = problem_line(Problem(path, reason))
    assert "\n" not in line and "\r" not in line and "\u202e" not in line
    assert not re.search("[\x00-\x1f\x7f-\x9f]", line)
    assert printable(path) == path or "\\" in printable(path)

"""The flat front-matter fast path gives exactly what the general YAML loader gives, or None."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.reading.parse import decode_and_split
from reader.core.reading.yamlflat import load_flat
from reader.core.reading.yamlsafe import YamlProblem, load_yaml_mapping
from tests.conftest import REPO

CORPUS = Path("/work/shared/corpus")


def _general(text: str) -> object:
    try:
        value = load_yaml_mapping(text)
    except (YamlProblem, RecursionError) as exc:
        return exc
    return value


def _same(text: str) -> bool:
    """True when the fast path declined or agreed exactly (keys, order, types, values)."""
    fast = load_flat(text)
    if fast is None:
        return True
    general = _general(text)
    assert isinstance(general, dict), (text, general)
    assert repr(list(fast.items())) == repr(list(general.items())), text
    assert [type(v) for v in fast.values()] == [type(v) for v in general.values()], text
    return True


SHAPES = [
    'layout: post\ntitle: "杭州制造企业"\ndate: 2019-01-01 13:30:02 +0800\ncategories: c03\ntags: 标签24\n',
    "title: plain text here\ndate: 2021-12-08 11:36:48\n",
    "title: 'single quoted'\ndate: 2021-12-08\n",
    "date: 2021-12-08T12:45:50+05:00\n",
    "date: 2021-12-08 12:45\n",
    "date: 2021-13-45\n",
    "date: 0000-01-01\n",
    "date: 2021-12-08 25:61:61\n",
    "published: false\nfeatured: yes\nx: no\ny: On\nz: ~\nn: null\nw: NULL\n",
    "count: 12\nf: 1.5\ng: .inf\nh: -.INF\ni: .nan\nj: 0x1F\nk: 0o17\nl: 017\nm: 1_000\n",
    "sexa: 190:20:30\nsf: 1:30.5\nbin: 0b101\nplus: +12\n",
    "tags:\n  - a\n  - b c\n  - 12\n  - true\n",
    "tags:\n- a\n- b\ncategories:\n    - x\n",
    "tags: [a, b, c d]\ncats: []\nempty: [ ]\n",
    "tags: [1, 2.5, yes, null]\n",
    "tags:\ntitle: x\n",
    "title: x\ntitle: y\n",
    "# comment\ntitle: x\n\n\nk: v\n",
    "title: a # comment\n",
    "title: a: b\n",
    "title: a:\n",
    "title: http://example.com/x?a=b#frag\n",
    'title: "a \\"q\\" b"\n',
    "title: 'it''s'\n",
    "header:\n  teaser: x.png\n",
    "title: >\n  folded\n",
    "title: |\n  literal\n",
    "anchor: &a x\nref: *a\n",
    "tag: !!str 12\n",
    "title: first\n  continued\n",
    "yes: x\n",
    "on: x\n",
    "1: x\n",
    "<<: x\n",
    "v: =\n",
    "title: -dash\n",
    "title: C# and C++\n",
    "title: a [b] {c}\n",
    "title: 【中文】标题：冒号\n",
    "title: 中文 ：空格\n",
    "title: trailing spaces   \n",
    "title:\tx\n",
    "title: x\u2028y\n",
    "title: x\x85y\n",
    "title: \ufeffx\n",
    "title: \u3000全角\u3000\n",
    'title: ""\n',
    "title: ''\n",
    "title: '\n",
    'title: "\n',
    "tags: [a, b\n",
    "tags: [a,]\n",
    "tags: [a, [b]]\n",
    "tags: [-1, 2]\n",
    "tags:\n  - [a]\n",
    "tags:\n  - a\n   - b\n",
    "tags:\n  - a\n  b\n",
    "tags:\n  -\n",
    "tags:\n  - \n  - x\n",
    "list:\n- a\n# c\n- b\n",
    "- a\n- b\n",
    "just text\n",
    "",
    "\n\n",
    "key:value\n",
    "key : value\n",
    "_private: 1\nx-y: 2\n",
    "date: 2021-12-08 12:45:50.123456 -07:00\n",
    "date: 2021-12-08t12:45:50z\n",
    "date: 2001-12-14 21:59:43.10 -5\n",
    "%YAML 1.1\n",
    "title: x\n---\n",
    "title: 1e3\nother: 1.0e+3\nthird: 6.8523015e+5\n",
    "permalink: /:categories/:year/:title.html\n",
    "title: a  #  b\n",
    "title: ?x\n",
    "title: a ? b\n",
    "title: x'y\"z\n",
]


@pytest.mark.parametrize("text", SHAPES)
def test_fast_path_agrees_with_general_loader(text: str) -> None:
    assert _same(text)


def test_fast_path_takes_the_common_shapes() -> None:
    assert load_flat(SHAPES[0]) is not None
    assert load_flat(SHAPES[1]) is not None
    assert load_flat("tags:\n  - a\n  - b\n") == {"tags": ["a", "b"]}
    assert load_flat("tags: [a, b]\n") == {"tags": ["a", "b"]}


def test_fast_path_declines_what_it_does_not_know() -> None:
    for text in ("header:\n  teaser: x\n", "a: &x 1\n", "yes: 1\n", "t: a # c\n", "t: |\n  x\n"):
        assert load_flat(text) is None, text


def _front_matters(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in {".md", ".markdown", ".html", ".txt"}:
            continue
        try:
            split = decode_and_split(path.read_bytes())
        except Exception:  # unreadable files have no front matter to compare
            continue
        if split.front_matter:
            out.append(split.front_matter)
    return out


@pytest.mark.parametrize("folder", [REPO / "sample_posts", CORPUS, REPO / "tests" / "fixtures"])
def test_fast_path_agrees_on_real_files(folder: Path) -> None:
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    texts = _front_matters(folder)
    for text in texts:
        assert _same(text)


_SCALAR_PIECES = st.sampled_from(
    [
        "a", "Title", "中文", "12", "-3", "1.5", "0x1F", "yes", "No", "null", "~", "true",
        "2021-12-08", "2021-12-08 11:36:48", "2021-12-08 11:36:48 +0800", "2021-12-08T01:02:03Z",
        "'q'", '"d"', "'", '"', ":", ": ", " #", "#", "[", "]", "[a, b]", "{", "}", ",", "&a",
        "*a", "!", "|", ">", "%", "@", "`", "-", "- ", "?", " ", "  ", "\\", "=", "<<", ".inf",
        "\u3000", "http://x.y/z", "a:b", "190:20:30",
    ]
)  # fmt: skip
_VALUES = st.lists(_SCALAR_PIECES, min_size=0, max_size=4).map("".join)
_KEYS = st.sampled_from(["title", "date", "tags", "categories", "x", "yes", "n", "_k", "a-b"])
_LINES = st.one_of(
    st.tuples(_KEYS, _VALUES).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(_KEYS).map(lambda k: f"{k[0]}:"),
    st.tuples(st.sampled_from(["", " ", "  ", "    "]), _VALUES).map(
        lambda iv: f"{iv[0]}- {iv[1]}"
    ),
    st.sampled_from(["", "# c", "  x", "  k: v"]),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=8))
def test_fast_path_agrees_on_generated_front_matter(lines: list[str]) -> None:
    assert _same("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "text",
    [
        "categories: [\x90V, 1]\n",  # a control character: PyYAML's reason spans two lines
        "title: [unclosed\n",
        "a: b\n  c: d\n",
    ],
)
def test_a_yaml_problem_is_one_line(text: str) -> None:
    """A problem is listed on one line: a reason with a line break broke the list (found by
    the property test of any front matter)."""
    with pytest.raises(YamlProblem) as caught:
        load_yaml_mapping(text)
    reason = str(caught.value)
    assert reason.startswith("invalid YAML front matter")
    assert "\n" not in reason and "  " not in reason

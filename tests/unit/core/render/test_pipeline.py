"""Rendering post bodies: Markdown and HTML, Liquid, sanitising, links and images confined to the
opened folder, bounded nesting and cost, and the plain-text and search-hit views."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.post import PostFormat
from reader.core.render import markdown_html as markdown_stage
from reader.core.render.deadline import Deadline, DeadlineExceeded, run_with_deadline
from reader.core.render.pipeline import (
    ASSET_SCHEME,
    REMOTE_IMAGE_CLASS,
    RenderContext,
    highlight_terms,
    html_to_text,
    render_body,
)
from tests.conftest import FakeClock, shared_path, write_files

MD = PostFormat.MARKDOWN
HTML = PostFormat.HTML
TEXT = PostFormat.TEXT
SEED_000 = "000_61c4085074e3b34e.txt"
SEED_001 = "001_12bbe23c537e2f29.txt"


def seed_body(name: str) -> str:
    """A seed post's body: everything after the second `---` line."""
    lines = shared_path("seeds", name).read_text(encoding="utf-8").splitlines(keepends=True)
    fences = [i for i, line in enumerate(lines) if line.rstrip("\n") == "---"]
    return "".join(lines[fences[1] + 1 :])


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_files(
        root,
        {
            "_posts/2023-05-02-x.md": "body",
            "_posts/pic.png": "png",
            "_posts/图 片.png": "png",
            "assets/a.png": "png",
            "assets/only-at-root.png": "png",
            "about.md": "about",
        },
    )
    (root / "assets" / "dir.png").mkdir()
    (tmp_path / "outside.png").write_text("secret", encoding="utf-8")
    return root.resolve()


def ctx_for(
    root: Path, post: str = "_posts/2023-05-02-x.md", site_url: str = "", baseurl: str = ""
) -> RenderContext:
    return RenderContext(root=root, post_path=post, site_url=site_url, baseurl=baseurl)


@pytest.fixture
def ctx(site: Path) -> RenderContext:
    return ctx_for(site)


def render(text: str, ctx: RenderContext, fmt: PostFormat = MD) -> str:
    out = render_body(text, fmt, ctx)
    assert isinstance(out, str)
    return out


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_VOID = {"br", "hr", "img", "col", "wbr"}


def nesting(html: str) -> tuple[int, int]:
    """(deepest element nesting, deepest table nesting), counted independently of the code."""
    depth = deepest = tables = deepest_tables = 0
    for m in _TAG.finditer(html):
        closing, name = m.group(1), m.group(2).lower()
        if name in _VOID:
            continue
        step = -1 if closing else 1
        depth += step
        deepest = max(deepest, depth)
        if name == "table":
            tables += step
            deepest_tables = max(deepest_tables, tables)
    return deepest, deepest_tables


def img_sources(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", html)


# --- the seed posts ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [TEXT, MD])
def test_seed_000_keeps_its_paragraphs(ctx: RenderContext, fmt: PostFormat) -> None:
    out = render(seed_body(SEED_000), ctx, fmt)
    assert out.count("<p>") >= 20
    assert "&lt;p" not in out  # the HTML lines are not escaped into text...
    assert "<pre" not in out and "<code" not in out  # ...nor turned into code blocks
    assert "安康市市场监管局把2021年确定为" in out


def test_seed_autolink_and_protocol_relative_links(ctx: RenderContext) -> None:
    out = render(seed_body(SEED_000), ctx, TEXT)
    url = "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202203252323315283"
    assert f'<a href="{url}">{url}</a>' in out
    assert (
        '<a href="https://finews.withounder.com/category/zhongguoshichangjianguanxinwenwang.html">'
        "返回中国市场监管新闻网新闻</a>"
    ) in out
    assert '<a href="https://finews.withounder.com/">返回首页</a>' in out
    assert 'href="//' not in out


def test_seed_001_renders(ctx: RenderContext) -> None:
    out = render(seed_body(SEED_001), ctx, TEXT)
    assert out.count("<p>") >= 10
    assert "<strong>守牢三大安全防线</strong>" in out
    assert 'class="em_media"' not in out  # classes outside the allow-list are dropped


def test_html_lines_starting_with_a_space_stay_paragraphs(ctx: RenderContext) -> None:
    out = render("<p>one</p>\n <p>two</p>\n <p>three</p>\n", ctx, TEXT)
    assert out.count("<p>") == 3
    assert "<pre" not in out and "&lt;" not in out


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_features(ctx: RenderContext) -> None:
    text = (
        "# Heading {#top}\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        '```python\nprint("<hi>")\n```\n\n'
        "Text with a note[^1] and HTML.\n\n"
        "[^1]: The note.\n\n"
        "Term\n: Definition\n\n"
        "*[HTML]: Hyper Text Markup Language\n\n"
        "3. three\n4. four\n"
    )
    out = render(text, ctx)
    assert '<h1 id="top">Heading</h1>' in out
    assert "<table>" in out and "<th>a</th>" in out and "<td>2</td>" in out
    assert '<pre><code class="language-python">print("&lt;hi&gt;")' in out
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in out
    assert '<li id="fn:1">' in out and "The note." in out
    assert "<dl>" in out and "<dt>Term</dt>" in out and "<dd>Definition</dd>" in out
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in out
    assert '<ol start="3">' in out
    assert "codehilite" not in out and "<span" not in out  # plain code, no pygments


def test_markdown_autolink_and_protocol_relative(ctx: RenderContext) -> None:
    out = render("<http://example.org/x>\n\n[t](//example.org/p) ![i](//example.org/i.png)", ctx)
    assert '<a href="http://example.org/x">http://example.org/x</a>' in out
    assert '<a href="https://example.org/p">t</a>' in out
    assert 'href="https://example.org/i.png"' in out


def test_text_posts_are_markdown(ctx: RenderContext) -> None:
    assert "<strong>b</strong>" in render("**b**", ctx, TEXT)


def test_html_posts_pass_through(ctx: RenderContext) -> None:
    out = render("<p>**not markdown**</p>\n\n<h2>T</h2>", ctx, HTML)
    assert "<p>**not markdown**</p>" in out and "<h2>T</h2>" in out


# --- Liquid ----------------------------------------------------------------------------------


@pytest.fixture
def site_ctx(site: Path) -> RenderContext:
    return ctx_for(site, site_url="https://example.org", baseurl="/blog")


def test_liquid_raw_is_literal(site_ctx: RenderContext) -> None:
    out = render("{% raw %}{{ site.url }} {% post_url 2021-07-01-x %}{% endraw %}", site_ctx)
    assert "{{ site.url }} {% post_url 2021-07-01-x %}" in out


def test_liquid_unclosed_raw_runs_to_the_end(site_ctx: RenderContext) -> None:
    assert "{{ site.url }}" in render("a {% raw %} {{ site.url }}", site_ctx)


def test_liquid_highlight_becomes_escaped_code(site_ctx: RenderContext) -> None:
    text = '{% highlight ruby %}\nputs "<b>" # {% raw %}{{ x }}{% endraw %}\n{% endhighlight %}'
    out = render(text, site_ctx)
    assert '<pre><code class="language-ruby">puts "&lt;b&gt;" # {{ x }}</code></pre>' in out
    assert "<b>" not in out
    # with `linenos`, the same escaped code beside a gutter of line numbers (issue 15)
    out = render(text.replace("ruby", "ruby linenos"), site_ctx)
    assert '<pre>1\n</pre></td><td><pre>puts "&lt;b&gt;" # {{ x }}\n</pre>' in out
    assert "<b>" not in out


def test_liquid_site_variables_and_url_filters(site_ctx: RenderContext) -> None:
    text = (
        "A {{ site.url }} B {{ site.baseurl }} C {{ '/x' | relative_url }} "
        'D {{ "/y" | absolute_url }} E {{ "z" | prepend: site.baseurl }}'
    )
    out = render(text, site_ctx)
    assert "A https://example.org B /blog C /blog/x D https://example.org/blog/y E /blogz" in out


def test_liquid_post_url_and_link(site_ctx: RenderContext) -> None:
    out = render("[p]({% post_url 2021-07-01-slug %}) [l]({% link about.md %})", site_ctx)
    assert '<a href="/_post_url/2021-07-01-slug">p</a>' in out
    assert '<a href="/about.md">l</a>' in out


def test_liquid_is_evaluated_and_a_missing_include_is_a_quiet_note(
    site_ctx: RenderContext,
) -> None:
    # Real Liquid (issue 15): `if` is evaluated (page.x is not set), unknown outputs are
    # empty, comments go, and an include the folder does not hold is a note, never an error.
    text = (
        "{% include note.html %}kept{% if page.x %} also{% endif %} {{ page.title }}"
        "{% comment %}secret{% endcomment %}{%- assign y = 1 -%}end"
    )
    out = render(text, site_ctx)
    assert '<span class="liquid-note">[include note.html not in the folder]</span>kept end' in out
    assert "also" not in out and "secret" not in out


def test_liquid_runs_inside_code_blocks_not_wrapped_in_raw(site_ctx: RenderContext) -> None:
    out = render("```\n{{ site.url }}\n```\n\n`{{ site.baseurl }}`", site_ctx)
    assert "https://example.org" in out and "<code>/blog</code>" in out


def test_liquid_applies_to_html_posts(site_ctx: RenderContext) -> None:
    assert '<a href="https://example.org/">x</a>' in render(
        '<a href="{{ site.url }}/">x</a>', site_ctx, HTML
    )


def test_liquid_survives_unbalanced_and_hostile_input(site_ctx: RenderContext) -> None:
    text = "{%" * 50_000 + "{{" * 50_000 + "{% highlight x %}" * 5_000 + "{% endraw %}"
    assert isinstance(render(text, site_ctx), str)  # how fast: tests/benchmarks


# --- sanitising ------------------------------------------------------------------------------

DROPPED_WITH_CONTENT = [
    "<script>SECRET</script>",
    "<style>SECRET</style>",
    "<iframe src='x'>SECRET</iframe>",
    "<object data='x'>SECRET</object>",
    "<embed src='x'>",
    "<form action='x'>SECRET<input value='SECRET'></form>",
    '<meta http-equiv="refresh" content="0;url=http://SECRET">',
    "<link rel='stylesheet' href='http://SECRET'>",
    "<noscript>SECRET</noscript>",
    "<template>SECRET</template>",
    "<svg><text>SECRET</text></svg>",
    "<math><mi>SECRET</mi></math>",
    "<title>SECRET</title>",
    "<textarea>SECRET</textarea>",
    "<select><option>SECRET</option></select>",
    "<button>SECRET</button>",
    "<input value='SECRET'>",
]


@pytest.mark.parametrize("fmt", [MD, HTML])
@pytest.mark.parametrize("snippet", DROPPED_WITH_CONTENT)
def test_dangerous_elements_go_with_their_content(
    ctx: RenderContext, fmt: PostFormat, snippet: str
) -> None:
    out = render(f"<div>\n<p>before</p>{snippet}<p>after</p>\n</div>", ctx, fmt)
    assert "SECRET" not in out
    assert "before" in out and "after" in out
    tag = re.match(r"<(\w+)", snippet).group(1)  # type: ignore[union-attr]
    assert f"<{tag}" not in out


@pytest.mark.parametrize(
    "attribute",
    [
        'onclick="alert(1)"',
        'onmouseover="alert(1)"',
        'style="display:none"',
        'id="not-a-heading"',
        'class="sneaky"',
        'data-x="1"',
        'srcdoc="x"',
    ],
)
def test_unwanted_attributes_are_dropped(ctx: RenderContext, attribute: str) -> None:
    out = render(f'<p {attribute}>text</p><img src="https://x.org/i.png" {attribute}>', ctx, HTML)
    name = attribute.split("=")[0]
    assert f"{name}=" not in out.replace(f'class="{REMOTE_IMAGE_CLASS}"', "")
    assert "<p>text</p>" in out


def test_allowed_attributes_survive_with_checked_values(ctx: RenderContext) -> None:
    out = render(
        '<table align="center"><tr><td colspan="2" rowspan="500" align="RIGHT">c</td></tr></table>'
        '<h2 id="sec">S</h2><abbr title="full">F</abbr><ol start="7"><li>x</li></ol>',
        ctx,
        HTML,
    )
    assert '<table align="center">' in out
    assert '<td colspan="2" align="right">' in out  # rowspan over the limit is dropped
    assert '<h2 id="sec">S</h2>' in out and '<abbr title="full">' in out
    assert '<ol start="7">' in out


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "java\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "postasset:/about.md",
    ],
)
@pytest.mark.parametrize("fmt", [MD, HTML])
def test_unsafe_links_become_inert(ctx: RenderContext, href: str, fmt: PostFormat) -> None:
    out = render(f'<p><a href="{href}">click</a></p>', ctx, fmt)
    assert "<a>click</a>" in out
    assert "href" not in out


def test_markdown_unsafe_link_is_inert(ctx: RenderContext) -> None:
    out = render("[click](javascript:alert(1)) [d](data:text/html,x)", ctx)
    assert "href" not in out and "click" in out


def test_safe_links_are_kept(ctx: RenderContext) -> None:
    out = render(
        '<a href="https://a.org/x?q=1&amp;r=2">s</a> <a href="mailto:me@a.org">m</a>'
        ' <a href="#fn:1">f</a>',
        ctx,
        HTML,
    )
    assert '<a href="https://a.org/x?q=1&amp;r=2">s</a>' in out
    assert '<a href="mailto:me@a.org">m</a>' in out
    assert '<a href="#fn:1">f</a>' in out


def test_output_is_a_fragment(ctx: RenderContext) -> None:
    out = render("<html><head><title>t</title></head><body><p>x</p></body></html>", ctx, HTML)
    assert "<html" not in out and "<body" not in out and "<head" not in out
    assert "<p>x</p>" in out


# --- images ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "url", "label"),
    [
        ("http://x.org/a.png", "http://x.org/a.png", "[image] Alt text (x.org)"),
        ("https://x.org/a.png", "https://x.org/a.png", "[image] Alt text (x.org)"),
        ("//cdn.x.org/a.png", "https://cdn.x.org/a.png", "[image] Alt text (cdn.x.org)"),
    ],
)
def test_remote_images_become_links(ctx: RenderContext, src: str, url: str, label: str) -> None:
    for fmt, text in ((MD, f"![Alt text]({src})"), (HTML, f'<img src="{src}" alt="Alt text">')):
        out = render(text, ctx, fmt)
        assert f'<a class="{REMOTE_IMAGE_CLASS}" href="{url}">{label}</a>' in out
        assert img_sources(out) == []


def test_remote_image_inside_a_link_does_not_nest_links(ctx: RenderContext) -> None:
    out = render("[![logo](https://x.org/l.png)](https://x.org/)", ctx)
    assert out.count("<a ") == 1
    assert f'<span class="{REMOTE_IMAGE_CLASS}" title="https://x.org/l.png">' in out


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("![a](pic.png)", "_posts/pic.png"),  # next to the post
        ("![a](/assets/a.png)", "assets/a.png"),  # site root
        ("![a](assets/only-at-root.png)", "assets/only-at-root.png"),  # relative, found at root
        ("![a](./../assets/a.png)", "assets/a.png"),
        ("![a](%E5%9B%BE%20%E7%89%87.png)", "_posts/%E5%9B%BE%20%E7%89%87.png"),
        ("![a](<图 片.png>)", "_posts/%E5%9B%BE%20%E7%89%87.png"),
    ],
)
def test_local_images_point_into_the_folder(
    ctx: RenderContext, markdown: str, expected: str
) -> None:
    out = render(markdown, ctx)
    assert img_sources(out) == [f"{ASSET_SCHEME}:/{expected}"]


def test_local_image_under_baseurl(site: Path) -> None:
    ctx = ctx_for(site, baseurl="/blog")
    out = render("![a]({{ site.baseurl }}/assets/a.png) <img src='/blog/assets/a.png'>", ctx)
    assert img_sources(out) == [f"{ASSET_SCHEME}:/assets/a.png"] * 2


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("../../../../etc/passwd", "outside the folder"),
        ("/etc/passwd", "not found"),
        ("file:///etc/passwd", "file address"),
        ("data:image/png;base64,iVBORw0KGgo=", "embedded data"),
        ("missing.png", "not found"),
        ("/assets/dir.png", "not found"),
        ("ftp://x.org/a.png", "unsupported address"),
        ("", "no address"),
    ],
)
def test_images_that_are_not_shown(ctx: RenderContext, src: str, reason: str) -> None:
    out = render(f'<img src="{src}" alt="A">', ctx, HTML)
    assert img_sources(out) == []
    assert f'<span class="missing-image" title="A">[image not shown: {reason}]</span>' in out


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs need POSIX")
def test_symlinks_leaving_the_folder_and_special_files_are_not_shown(
    ctx: RenderContext, site: Path
) -> None:
    (site / "assets" / "escape.png").symlink_to(site.parent / "outside.png")
    (site / "assets" / "inside.png").symlink_to(site / "assets" / "a.png")
    (site / "assets" / "passwd.png").symlink_to("/etc/passwd")
    os.mkfifo(site / "assets" / "fifo.png")
    out = render(
        "![e](/assets/escape.png) ![p](/assets/passwd.png) ![f](/assets/fifo.png) "
        "![i](/assets/inside.png)",
        ctx,
    )
    assert img_sources(out) == [f"{ASSET_SCHEME}:/assets/a.png"]  # the symlink inside is fine
    assert out.count("[image not shown: outside the folder]") == 2
    assert out.count("[image not shown: not found]") == 1


def test_image_size_attributes_are_bounded(ctx: RenderContext) -> None:
    out = render('<img src="/assets/a.png" width="100000" height="40" alt="x">', ctx, HTML)
    assert f'<img src="{ASSET_SCHEME}:/assets/a.png" alt="x" height="40">' in out


def test_many_images_cost_a_bounded_number_of_lookups(ctx: RenderContext) -> None:
    text = "".join(f"<img src='missing{i}.png'>" for i in range(5000))
    out = render(text, ctx, HTML)
    assert "too many images" in out


# --- links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("other.md", "/_posts/other.md"),  # relative to the post, even if missing
        ("../about.md#team", "/about.md#team"),
        ("about.md", "/about.md"),  # not next to the post, but at the root
        ("/2021/07/01/slug.html", "/2021/07/01/slug.html"),
        ("/blog/2021/07/01/slug.html", "/2021/07/01/slug.html"),  # baseurl stripped
        ("page%20one.md?x=1", "/_posts/page%20one.md"),
        ("中文.md", "/_posts/%E4%B8%AD%E6%96%87.md"),
    ],
)
def test_relative_links_resolve_to_root_relative_paths(
    site: Path, href: str, expected: str
) -> None:
    ctx = ctx_for(site, baseurl="/blog")
    out = render(f'<a href="{href}">x</a>', ctx, HTML)
    assert f'<a href="{expected}">x</a>' in out


def test_links_leaving_the_folder_become_inert(ctx: RenderContext) -> None:
    out = render("[up](../../../../etc/passwd)", ctx)
    assert "<a>up</a>" in out


# --- bounded nesting and cost ----------------------------------------------------------------


def test_nested_tables_are_flattened(ctx: RenderContext) -> None:
    out = render("<table><tr><td>" * 50 + "deep" + "</td></tr></table>" * 50, ctx, HTML)
    depth, tables = nesting(out)
    assert tables <= 4 and depth <= 32
    assert "deep" in out


@pytest.mark.parametrize("fmt", [MD, HTML])
def test_deep_nesting_is_flattened_keeping_text(ctx: RenderContext, fmt: PostFormat) -> None:
    text = "".join(f"<div>{i} " for i in range(200)) + "</div>" * 200
    out = render(text, ctx, fmt)
    assert nesting(out)[0] <= 32
    assert "0 " in out and "199" in out


def test_unclosed_paragraphs_and_cells_are_not_mistaken_for_nesting(ctx: RenderContext) -> None:
    text = "<p>a" * 100 + "<ul>" + "<li>b" * 100 + "</ul><table>" + "<tr><td>c<td>d" * 100
    out = render(text, ctx, HTML)
    assert out.count("<p>") == 100 and out.count("<li>") == 100 and out.count("<td>") == 200
    assert nesting(out)[0] <= 5


PATHOLOGICAL = {
    "100,000 nested divs": "<div>" * 100_000,
    "100,000 nested divs, closed": "<div>x" * 100_000 + "</div>" * 100_000,
    "50,000 nested quotes": ">" * 50_000 + " x",
    "50,000 nested quotes, spaced": "> " * 50_000 + "x",
    "50,000 quote lines": "".join(">" * (i % 60) + " x\n" for i in range(50_000)),
    "10 MB single line": "a" * 10_000_000,
    "20,000 [": "[" * 20_000,
    "20,000 [ with words": "[a " * 20_000,
    "nested brackets": ("[" * 1500 + "a" + "]" * 1500 + "(b)\n") * 20,
    "unclosed links": "[a](b " * 20_000,
    "broken tags": "<a " * 50_000,
    "unclosed autolinks": "<http://a.b/" * 20_000,
    "nested lists": "".join("  " * i + "- x\n" for i in range(1_500)),
    "definition list": "a\n: b\n" * 20_000,
    "headings in one block": "# a\n" * 50_000,
    "100,000 nested tables": "<table><tr><td>" * 100_000,
    "quoted '<' in attributes": '<div title="<">' * 100_000,
    "400,000 unclosed p": "<p>x" * 400_000,
    # one regular-expression call in fenced_code, which no deadline can interrupt
    "10,000 unclosed fences": "```a\n" * 10_000,
    # exponential backtracking in a careless blockquote pattern
    "31-level quote lines": ("> " * 31 + "x\n") * 1_000,
    # html5ever grows a text node quadratically in '&' and no-break spaces
    "400,000 &amp;": "&amp;" * 400_000,
    "400,000 no-break spaces": "\xa0" * 400_000,
    "400,000 broken references": "&#_" * 400_000,
}


@pytest.mark.parametrize("fmt", [MD, HTML])
@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_input_renders_quickly(ctx: RenderContext, name: str, fmt: PostFormat) -> None:
    text = PATHOLOGICAL[name]
    out = render(text, ctx, fmt)  # how fast: tests/benchmarks (a hang trips faulthandler)
    depth, tables = nesting(out)
    assert depth <= 32 and tables <= 4


def test_long_input_is_truncated_with_a_notice(ctx: RenderContext) -> None:
    out = render("word " * 1_000_000, ctx)  # 5 MB
    assert '<p class="notice">' in out and "truncated" in out
    assert len(out) < 2_200_000


def test_max_input_chars_is_honoured(site: Path) -> None:
    ctx = RenderContext(root=site, post_path="_posts/x.md", max_input_chars=10)
    out = render("0123456789ABCDEF", ctx)
    assert "0123456789" in out and "ABC" not in out and "truncated" in out


def test_catastrophic_markdown_is_shown_as_plain_paragraphs(ctx: RenderContext) -> None:
    out = render("intro\n\n" + "[" * 3000 + "\n\n<p>html <b>kept</b></p>", ctx)
    assert "without Markdown formatting" in out
    assert "<p>intro</p>" in out and "<b>kept</b>" in out


def test_two_megabytes_of_ordinary_markdown(ctx: RenderContext, fake_clock: FakeClock) -> None:
    # On the deadlines' fake clock, which stands still: the outcome does not hang on how busy
    # the machine is (the time limits themselves are tested with the clock moved on purpose).
    para = "Some *words* and a [link](https://x.org/) with `code` in a sentence. " * 8 + "\n\n"
    text = para * (2_000_000 // len(para))
    out = render(text, ctx)
    assert "<em>words</em>" in out  # the start is formatted even if the end had to be plain
    assert out.count("sentence") == text.count("sentence")  # and no text was lost


def test_a_slow_chunk_falls_back_to_plain_rendering(
    ctx: RenderContext, monkeypatch: pytest.MonkeyPatch, fake_clock: FakeClock
) -> None:
    # A fast first chunk (over CHUNK_CHARS), then a chunk that runs past its deadline.
    text = "*fine*\n\n" + "word " * 7_000 + "\n\n" + "# heading\n" * 8_000
    real_convert = markdown_stage._convert

    def slow_on_headings(chunk: str, refs: dict[str, tuple[str, str]], *rest: object) -> str:
        if "# heading" in chunk:
            fake_clock.stall(markdown_stage.CHUNK_SECONDS + 1)
        return real_convert(chunk, refs, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(markdown_stage, "_convert", slow_on_headings)
    out = render(text, ctx)
    assert "<em>fine</em>" in out
    assert "Part of this post is shown without Markdown formatting" in out
    assert out.count("heading") == 8_000


def test_chunks_keep_reference_links_and_fenced_code(ctx: RenderContext) -> None:
    filler = "".join(f"Paragraph {i} with enough words to fill the chunk.\n\n" for i in range(2000))
    fence = "```\n" + "line\n\nwith blank lines\n" * 2000 + "```\n"
    text = f"See [the site][ref].\n\n{filler}{fence}\n{filler}[ref]: https://x.org/ref\n"
    chunks = markdown_stage.split_chunks(text)
    assert len(chunks) > 2 and "".join(chunks) == text
    assert all(chunk.count("```") % 2 == 0 for chunk in chunks)
    out = render(text, ctx)
    assert '<a href="https://x.org/ref">the site</a>' in out


# --- the deadline ----------------------------------------------------------------------------


def _spin() -> None:
    while True:
        pass


def test_deadline_interrupts_a_busy_call(fake_clock: FakeClock) -> None:
    with pytest.raises(DeadlineExceeded):
        run_with_deadline(lambda: fake_clock.stall(0.06), 0.05)
    assert run_with_deadline(lambda: fake_clock.advance(0.04) or 42, 0.05) == 42


def test_a_swallowed_interruption_is_repeated(fake_clock: FakeClock) -> None:
    # Python swallows an exception that lands in a gc callback or a __del__ ("Exception
    # ignored in"); the deadline must still end the call.
    def swallows_the_first() -> None:
        with contextlib.suppress(DeadlineExceeded):
            fake_clock.stall(0.06)
        fake_clock.stall(1.0)

    with pytest.raises(DeadlineExceeded):
        run_with_deadline(swallows_the_first, 0.05)
    with Deadline(0.05) as deadline:
        deadline.arm()
        with pytest.raises(DeadlineExceeded):
            swallows_the_first()
        deadline.disarm()


def test_a_reusable_deadline_fires_only_for_the_slow_call(fake_clock: FakeClock) -> None:
    with Deadline(10.0) as deadline:
        deadline.arm()
        fake_clock.advance(9.0)
        deadline.disarm()
        deadline.arm()
        with pytest.raises(DeadlineExceeded):
            fake_clock.stall(10.5)
        deadline.disarm()


def test_deadline_never_fires_after_the_call() -> None:
    # Deadlines racing the end of each call: an interruption may land inside the call (and be
    # reported there) but never afterwards, in unrelated code.
    for _ in range(3000):
        with contextlib.suppress(DeadlineExceeded):
            run_with_deadline(lambda: sum(range(50)), 0.0002)
    end = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        pass


def test_deadline_works_in_several_threads() -> None:
    results: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            run_with_deadline(_spin, 0.05)
        except DeadlineExceeded:
            with lock:
                results.append("stopped")

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert results == ["stopped"] * 3


# --- plain text ------------------------------------------------------------------------------


def test_html_to_text() -> None:
    html = (
        "<h1>Title</h1><p>First  paragraph\nwith <a href='https://x.org/'>a link</a> &amp; more.</p>"
        "<ul><li>one</li><li>two<ul><li>inner</li></ul></li></ul>"
        "<pre><code>  keep\n    spacing</code></pre>"
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "<p>line<br>break <a href='#fn:1'>1</a> <a href='https://y.org'>https://y.org</a></p>"
        "<script>hidden()</script><p>last</p>"
    )
    assert html_to_text(html) == (
        "Title\n\n"
        "First paragraph with a link <https://x.org/> & more.\n\n"
        "- one\n- two\n  - inner\n\n"
        "  keep\n    spacing\n\n"
        "a | b\n1 | 2\n\n"
        "line\nbreak 1 https://y.org\n\n"
        "last"
    )


def test_html_to_text_of_a_rendered_seed(ctx: RenderContext) -> None:
    text = html_to_text(render(seed_body(SEED_000), ctx, TEXT))
    assert "<" not in text.replace("<http", "")
    assert "\n\n政治上争先增强，队伍过硬了，作风优良了\n\n" in text
    assert "返回首页 <https://finews.withounder.com/>" in text


# --- search hits -----------------------------------------------------------------------------


def test_highlight_chinese_terms_of_one_and_two_characters() -> None:
    html = "<p>市场监管部门，监管到位</p>"
    assert highlight_terms(html, ["监"]) == (
        '<p>市场<span class="hit">监</span>管部门，<span class="hit">监</span>管到位</p>'
    )
    assert highlight_terms(html, ["监管"]) == (
        '<p>市场<span class="hit">监管</span>部门，<span class="hit">监管</span>到位</p>'
    )


def test_highlight_is_case_insensitive_and_leaves_markup_alone() -> None:
    html = '<p title="reader">A Reader <a href="https://reader.org/">READER</a> &amp; r&amp;d</p>'
    out = highlight_terms(html, ["reader", "R&D"])
    assert out == (
        '<p title="reader">A <span class="hit">Reader</span> '
        '<a href="https://reader.org/"><span class="hit">READER</span></a> &amp; '
        '<span class="hit">r&amp;d</span></p>'
    )


def test_highlight_prefers_longer_terms_and_escapes_regex_characters() -> None:
    out = highlight_terms("<p>c++ and c</p>", ["c", "c++", "", "  "])
    assert out == '<p><span class="hit">c++</span> and <span class="hit">c</span></p>'
    assert highlight_terms("<p>x</p>", []) == "<p>x</p>"


# --- properties ------------------------------------------------------------------------------

_MARKUP_ALPHABET = [
    *list("<>/\"'= \n[]()*_`!#{}%&;:.-|>ab"),
    "<a href=",
    "<img src=",
    "javascript:",
    "http://",
    "//",
    "<script>",
    "<table>",
    "<td>",
    "{% raw %}",
    "{% endraw %}",
    "{{ site.url }}",
    "```",
    "onerror=",
    "../",
]


def attribute_names(html_text: str) -> list[str]:
    """Every attribute name in the markup (text that merely reads `onerror=` is harmless)."""
    from html.parser import HTMLParser

    names: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names.extend(name for name, _value in attrs)

    Collector().feed(html_text)
    return names


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=2000), fmt=st.sampled_from(list(PostFormat)))
def test_any_text_renders(text: str, fmt: PostFormat) -> None:
    ctx = RenderContext(root=Path("/nonexistent-post-reader-root"), post_path="_posts/a.md")
    out = render_body(text, fmt, ctx)
    assert isinstance(out, str)
    assert isinstance(html_to_text(out), str)
    assert isinstance(highlight_terms(out, [text[:3]]), str)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.sampled_from(_MARKUP_ALPHABET), max_size=300),
    fmt=st.sampled_from(list(PostFormat)),
)
def test_markup_noise_renders_safely(parts: list[str], fmt: PostFormat) -> None:
    ctx = RenderContext(root=Path("/nonexistent-post-reader-root"), post_path="_posts/a.md")
    out = render_body("".join(parts), fmt, ctx)
    assert "<script" not in out
    assert not [name for name in attribute_names(out) if name.startswith("on")]
    assert not re.search(r"href=\"\s*javascript", out, re.IGNORECASE)
    assert all(src.startswith(f"{ASSET_SCHEME}:/") for src in img_sources(out))
    depth, tables = nesting(out)
    assert depth <= 32 and tables <= 4


def test_unknown_extensions_pass_through_as_jekyll_passes_them(ctx: RenderContext) -> None:
    # Jekyll converts only Markdown: a `.tcl` post is shown as its text is (issue 15).
    tcl = RenderContext(ctx.root, "_posts/2019-03-25-post.tcl")
    out = render("## 4月\n\n### Week 1\n", tcl, TEXT)
    assert "<h2" not in out and "## 4月" in out
    txt = RenderContext(ctx.root, "_posts/2019-03-25-post.txt")
    assert "<h2" in render("## 4月\n", txt, TEXT)  # .txt posts stay Markdown, as before


def _modules_after(code: str) -> str:
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()


_WANTED = (
    "('pymdownx.superfences', 'markdown.extensions.attr_list', 'pygments.formatters.html',"
    " 'liquid')"
)


def test_prepare_renderer_imports_what_the_first_article_would() -> None:
    """The window calls it on a worker after a load: the first article then imports nothing
    on the GUI thread (Markdown's extensions and Pygments' formatter were 100-130 ms there)."""
    code = (
        "import sys\n"
        "from reader.core.render import pipeline\n"
        f"wanted = {_WANTED}\n"
        "before = [m in sys.modules for m in wanted]\n"
        "pipeline.prepare_renderer(liquid=False)\n"
        "middle = [m in sys.modules for m in wanted]\n"
        "pipeline.prepare_renderer()\n"
        "print(before, middle, [m in sys.modules for m in wanted])\n"
    )
    assert _modules_after(code) == (
        "[False, False, False, False] [True, True, True, False] [True, True, True, True]"
    )


def test_a_folder_prepares_the_liquid_engine_only_when_its_posts_use_liquid(
    tmp_path: Path,
) -> None:
    for name, body in (("plain", "<p>a {b} c</p>"), ("liquid", "{{ site.title }} and more")):
        posts = tmp_path / name / "_posts"
        posts.mkdir(parents=True)
        (posts / "2020-01-01-a.md").write_text(f"---\ntitle: A\n---\n{body}\n")
    code = (
        "import sys\n"
        "from reader.core import open_folder\n"
        "seen = []\n"
        "for name in ('plain', 'liquid'):\n"
        f"    folder = open_folder({str(tmp_path)!r} + '/' + name)\n"
        "    folder.load()\n"
        "    folder.prepare_renderer()\n"
        "    seen.append('liquid' in sys.modules)\n"
        "print(seen)\n"
    )
    assert _modules_after(code) == "[False, True]"

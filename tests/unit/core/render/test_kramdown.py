"""kramdown's dialect: what Jekyll's kramdown shows, rendered by Python-Markdown (issue 15)."""

from __future__ import annotations

import html
import re

import pytest

from reader.core.render.kramdown import KramdownOptions, prepare
from reader.core.render.kramdown_ext import HeaderIds
from reader.core.render.markdown_html import render_markdown

KRAMDOWN_INPUT = KramdownOptions(gfm=False)


def md(text: str, options: KramdownOptions | None = None) -> str:
    return render_markdown(text, options).html


def test_fenced_code_in_a_list_item_stays_a_code_block() -> None:
    out = md("1. Install:\n\n   ```sh\n   gem install jekyll\n   ```\n\n2. Run it\n")
    assert re.search(r'<code class="language-sh">gem install jekyll\s*</code>', out)
    assert "<li>" in out
    assert "```" not in out
    assert ">sh<" not in out and "sh gem" not in out  # the language word is not printed


def test_indented_code_in_a_list_item_keeps_its_text_without_list_indent() -> None:
    out = md("* Step:\n\n      def x\n        y\n\n* next\n")
    assert "<pre" in out
    assert "def x\n  y" in out


def test_nested_lists_indented_two_spaces() -> None:
    out = md("* one\n  * inner\n  * inner two\n* two\n")
    assert out.count("<ul>") == 2
    assert re.search(r"<li>one\s*<ul>\s*<li>inner</li>", out)


def test_nested_list_under_ordered_item_indented_three_spaces() -> None:
    out = md("1. one\n   1. inner\n2. two\n")
    assert out.count("<ol>") == 2


def test_list_may_interrupt_a_paragraph_with_gfm_input() -> None:
    out = md("Steps:\n* one\n* two\n")
    assert "<li>one</li>" in out


def test_heading_without_space_is_text_with_gfm_input() -> None:
    out = md("#####Heading\n\n#16197] fixed\n")
    assert "<h5" not in out and "<h1" not in out
    assert "#####Heading" in out and "#16197] fixed" in out


def test_heading_ids_follow_gfm_rules() -> None:
    out = md("# 피터모빌의 UX 7요소\n\n## Ordered -- Unordered\n\n# 피터모빌의 UX 7요소\n")
    assert '<h1 id="피터모빌의-ux-7요소">' in out
    assert '<h2 id="ordered--unordered">' in out
    assert '<h1 id="피터모빌의-ux-7요소-1">' in out


def test_heading_ids_follow_kramdown_rules_for_kramdown_input() -> None:
    ids = HeaderIds(gfm=False)
    assert ids("1. Getting Started!") == "getting-started"
    assert ids("Getting Started") == "getting-started-1"
    assert ids("日本") == "section"


def test_ial_gives_a_heading_its_id_and_is_not_printed() -> None:
    out = md("## Usage\n{: #how-to}\n\nSee below.\n{: .notice}\n")
    assert '<h2 id="how-to">' in out
    assert "{:" not in out
    assert '<p class="notice">See below.</p>' in out


def test_ald_and_options_lines_are_not_printed() -> None:
    out = md('{:ref: .class}\n{::options parse_block_html="true" /}\n\nText\n')
    assert "{:" not in out
    assert "Text" in out


def test_toc_marker_becomes_a_table_of_contents() -> None:
    out = md("* TOC\n{:toc}\n\n## First\n\n### Sub\n\n## Second\n")
    assert "TOC" not in out and "{:toc}" not in out
    assert '<a href="#first" id="markdown-toc-first">First</a>' in out
    assert re.search(r'href="#first".*<ul>\s*<li><a href="#sub"', out, re.S)


def test_task_lists_show_their_state() -> None:
    out = md("* [ ] todo\n* [x] done\n")
    assert "[ ]" not in out and "[x]" not in out
    assert "\u2610 todo" in out and "\u2611 done" in out


def test_abbreviations() -> None:
    out = md("The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n")
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in out


def test_typographic_symbols_as_kramdown() -> None:
    out = md('a -- b --- c... "q" it\'s\n')
    assert "a \u2013 b \u2014 c\u2026 \u201cq\u201d it\u2019s" in out


def test_no_typography_with_the_gfm_quirk() -> None:
    out = md("a -- b `x -- y`\n", KramdownOptions(smart_typography=False))
    assert "a -- b" in out


def test_no_typography_in_code() -> None:
    out = md("a -- b `x -- 'y'`\n\n    c -- d\n")
    assert "a \u2013 b" in out
    assert "x -- 'y'" in out and "c -- d" in out


def test_display_math_is_a_code_block() -> None:
    out = md("Before\n\n$$\na^2 + b^2\n$$\n")
    assert re.search(r'<code class="language-math">a\^2 \+ b\^2\s*</code>', out)


def test_tabs_are_kept_in_code() -> None:
    out = md("```\nif x:\n\treturn\n```\n\n    a\tb\n")
    assert "\treturn" in out
    assert "a\tb" in out


def test_kramdown_table_separators_are_not_printed() -> None:
    text = "|---\n| A | B |\n|-|-\n| 1 | 2\n|-----|\n| 3 | 4\n|===|\n| f | g |\n|---\n"
    out = md(text)
    assert "---" not in out and "===" not in out
    assert "<th>A</th>" in out
    assert "<td>3</td>" in out and "<td>f</td>" in out


@pytest.mark.parametrize("text", ["* * *\n", "Title\n-\n", "---\n"])
def test_rules_and_setext_underlines_are_not_list_items(text: str) -> None:
    assert "<li>" not in md(text)


def test_prepare_is_linear_on_deep_list_nesting() -> None:
    text = "".join(" " * (2 * k) + "* x\n" for k in range(2000))
    assert prepare(text, KramdownOptions()).count("* x") == 2000


def test_tabs_are_kept_in_raw_html_pre() -> None:
    out = md("<pre>\n.a {\n\tmargin: 0;\n}\n</pre>\n")
    assert "\n\tmargin: 0;" in out


def test_apostrophe_after_a_link_closes() -> None:
    assert "</a>\u2019s logo" in md("[@cobyism](https://x.org)'s logo\n")


def test_next_item_after_a_loose_nested_list_is_an_item() -> None:
    out = md("1. one\n    - a\n\n      more\n\n      - b\n2. two\n")
    assert "2. two" not in out
    assert re.search(r"<li>\s*<p>two</p>\s*</li>|<li>two</li>", out)


def test_definition_after_a_blank_line_is_text_as_in_kramdown() -> None:
    assert "<dl>" in md("Term\n: definition\n")
    out = md("Term\n\n: not a definition\n")
    assert "<dl>" not in out and ": not a definition" in html.unescape(out)


def test_building_the_converter_is_not_part_of_a_chunks_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first conversion on a thread builds its converter (imports extensions, Pygments,
    entry points): slower than a chunk's 0.3 s on a busy machine, it showed the first article
    in the light renderer (straight quotes, no lists)."""
    import time

    from reader.core.render import markdown_html

    real = markdown_html.markdown.Markdown

    class SlowToBuild(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            time.sleep(markdown_html.CHUNK_SECONDS + 0.2)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(markdown_html.markdown, "Markdown", SlowToBuild)
    markdown_html._discard_converter()
    result = markdown_html.render_markdown("It's *here*:\n\n- one\n- two\n")
    markdown_html._discard_converter()
    assert "<li>one</li>" in result.html
    assert "It’s" in result.html
    assert result.notices == []

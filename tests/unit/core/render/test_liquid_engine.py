"""Liquid by python-liquid, sandboxed, with Jekyll's tags and filters (issue 15, item 2)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.core.render.liquid_engine import render_liquid
from reader.core.render.liquid_filters import slugify
from reader.core.render.liquid_site import LazyMapping, LiquidFailed, LiquidSite
from tests.conftest import write_files


@pytest.fixture
def site(tmp_path: Path) -> LiquidSite:
    root = write_files(
        tmp_path / "site",
        {
            "_includes/greet.html": "Hi {{ include.name }}{% include greet.html name=include.name %}",
            "_includes/plain.html": "plain {{ page.title }}",
            "_posts/snippet.txt": "relative {{ page.title }}",
        },
    ).resolve()
    write_files(tmp_path, {"secret.txt": "SECRET"})
    (root / "_includes" / "escape.html").symlink_to(tmp_path / "secret.txt")
    return LiquidSite(
        root=root,
        post_path="_posts/2025-01-01-x.md",
        site={"title": "S", "data": {"n": [{"k": "a", "v": 1}, {"k": "b", "v": 2}]}},
        page={"title": "Page", "date": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)},
        url="https://x.org",
        baseurl="/b",
        post_url=lambda name: "/2020/01/01/p.html" if name == "2020-01-01-p" else None,
    )


def run(text: str, site: LiquidSite) -> str:
    return render_liquid(text, site).text


def test_jekyll_filters(site: LiquidSite) -> None:
    assert (
        run("{{ '/a' | relative_url }} {{ 'a' | absolute_url }}", site) == "/b/a https://x.org/b/a"
    )
    assert run("{{ page.date | date_to_string }}", site) == "02 Jan 2025"
    assert run("{{ page.date | date_to_xmlschema }}", site) == "2025-01-02T03:04:05+00:00"
    assert run("{{ site.data.n | where_exp: 'i', 'i.v > 1' | map: 'k' | join }}", site) == "b"
    assert run("{{ site.data.n | group_by: 'k' | size }}", site) == "2"
    assert run("{{ site.data.n | jsonify }}", site) == '[{"k":"a","v":1},{"k":"b","v":2}]'
    assert run("{{ 'a & <b>' | xml_escape }}", site) == "a &amp; &lt;b&gt;"
    assert run("{{ 'one two  three' | number_of_words }}", site) == "3"
    assert slugify("Hello, World!") == "hello-world"


def test_jekyll_tags(site: LiquidSite) -> None:
    assert run("{% post_url 2020-01-01-p %}", site) == "/2020/01/01/p.html"
    assert run("{% include plain.html %}", site) == "plain Page"
    assert run("{% include_relative snippet.txt %}", site) == "relative Page"
    assert run("{% raw %}{{ kept }}{% endraw %}", site) == "{{ kept }}"
    result = render_liquid("{% highlight ruby %}x = {{ page.title }}{% endhighlight %}", site)
    assert result.blocks == ['<pre><code class="language-ruby">x = Page</code></pre>']


def test_includes_never_leave_the_folder(site: LiquidSite) -> None:
    for name in ("escape.html", "../../secret.txt", "/etc/passwd"):
        out = run("{% include " + name + " %}", site)
        assert "SECRET" not in out and "root:" not in out
        assert "not in the folder" in out


def test_include_depth_is_bounded(site: LiquidSite) -> None:
    out = run("{% include greet.html name='x' %}", site)
    assert out.count("Hi x") <= 11
    assert "nested too deep" in out


def test_unknown_plugin_tags_are_quiet_notes(site: LiquidSite) -> None:
    out = run("a {% gist 123 %} b {% youtube x %}{% endyoutube %} c", site)
    assert (
        out
        == 'a <span class="liquid-note">[gist 123]</span> b <span class="liquid-note">[youtube x]</span> c'
    )


@pytest.mark.parametrize(
    "text",
    [
        "{% for i in (1..100000000) %}x{% endfor %}",
        "{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}",
        "{% if a %}" * 100 + "x" + "{% endif %}" * 100,
        "{{" * 5000,
        "{% raw %} never closed {{ x }}",
    ],
)
def test_limits_fail_to_the_subset(site: LiquidSite, text: str) -> None:
    with pytest.raises(LiquidFailed):
        render_liquid(text, site)


def test_site_values_are_computed_on_first_use_only(site: LiquidSite) -> None:
    calls: list[int] = []

    def posts() -> list[dict[str, str]]:
        calls.append(1)
        return [{"title": "P"}]

    site.site = LazyMapping({"title": "S"}, {"posts": posts})
    assert run("{{ site.title }}", site) == "S"
    assert calls == []
    assert run("{{ site.posts | size }} {{ site.posts.first.title }}", site) == "1 P"
    assert calls == [1]


def test_where_compares_as_text_and_without_a_value_keeps_the_set_ones(site: LiquidSite) -> None:
    site.site = {"data": {"n": [{"k": "a", "v": 1, "t": ["x"]}, {"k": "b", "v": None}]}}
    assert run("{{ site.data.n | where: 'v', '1' | map: 'k' | join }}", site) == "a"
    assert run("{{ site.data.n | where: 'v' | map: 'k' | join }}", site) == "a"
    assert run("{{ site.data.n | where: 't', 'x' | map: 'k' | join }}", site) == "a"


def test_highlight_with_line_numbers_has_a_gutter(site: LiquidSite) -> None:
    result = render_liquid("{% highlight js linenos %}\na\nb\n{% endhighlight %}", site)
    block = result.blocks[0]
    assert '<pre class="lineno">1\n2\n</pre>' in block
    assert '<td class="code"><pre>a\nb\n</pre>' in block

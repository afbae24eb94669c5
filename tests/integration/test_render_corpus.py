"""Our rendering of the shared corpus against Jekyll 4.3.1's (EXPECTED/*.rendered.jsonl).

Posts are rendered by `reader.core.render.page.render_post`, with their site's `_config.yml`,
`_data` and posts. The comparison itself lives in render_compare.py (run it as a module for the table of figures).
Here each aspect must agree on at least the share of posts it reached when last measured, so
a change that makes the reader show posts less as their sites showed them fails.
"""

from __future__ import annotations

import pytest

from tests.integration.render_compare import SITES, render_site, summary

# site -> aspect -> least share of posts agreeing (posts with something to compare).
FLOORS: dict[str, dict[str, float]] = {
    "zning1994+finews": {"text": 0.98},
    "mmistakes+minimal-mistakes": {"text": 0.95, "code": 1.0, "lists": 1.0, "headings": 1.0},
    "jekyll+jekyll-docs": {"text": 1.0, "code": 1.0, "lists": 1.0, "headings": 1.0, "links": 1.0},
}


@pytest.mark.slow
@pytest.mark.parametrize("site", sorted(SITES))
def test_render_agrees_with_jekyll(site: str) -> None:
    results = render_site(site)
    figures = summary(results)
    for aspect, floor in FLOORS[site].items():
        ok, n = figures[aspect]
        share = ok / n if n else 1.0
        failing = [r.path for r in results if r.agree.get(aspect) is False]
        assert share >= floor, f"{aspect}: {ok}/{n} agree; differing: {failing}"

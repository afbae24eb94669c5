"""Posts' URLs as Jekyll 4 builds them, and links resolved by URL (issue 15, item 3)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.core import open_folder
from reader.core.post import Post, PostFormat, SiteConfig
from reader.core.render.permalinks import UrlIndex, post_url
from tests.conftest import write_files
from tests.fixtures.jekyll_sites import MULTILINGUAL, MULTILINGUAL_URL

DAY = datetime(2025, 1, 9, 14, 5, 6, tzinfo=timezone(timedelta(hours=8)))


def post(path: str, categories: tuple[str, ...] = (), slug: str = "") -> Post:
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Post(path, "T", DAY, categories, (), slug or name[11:], PostFormat.MARKDOWN)


@pytest.mark.parametrize(
    ("style", "url"),
    [
        ("date", "/news/release/2025/01/09/my-post.html"),
        ("pretty", "/news/release/2025/01/09/my-post/"),
        ("ordinal", "/news/release/2025/009/my-post.html"),
        ("none", "/news/release/my-post.html"),
        ("/:year/:i_month/:i_day/:slug:output_ext", "/2025/1/9/my-post.html"),
        ("/blog/:title/", "/blog/my-post/"),
    ],
)
def test_permalink_styles_and_patterns(style: str, url: str) -> None:
    p = post("_posts/2025-01-09-my-post.md", ("News", "release"))
    assert post_url(p, SiteConfig(permalink=style)) == url


def test_title_keeps_case_slug_does_not_and_spaces_are_escaped() -> None:
    p = post("_posts/2025-01-09-My Post.md", ("edge case",), slug="My Post")
    assert post_url(p, SiteConfig()) == "/edge%20case/2025/01/09/My-Post.html"
    assert post_url(p, SiteConfig(permalink="/:slug/")) == "/my-post/"


def test_defaults_by_path_and_a_posts_own_permalink() -> None:
    site = SiteConfig(permalink="pretty", permalink_defaults=(("docs", "/d/:title/"),))
    assert post_url(post("docs/_posts/2025-01-09-a.md"), site) == "/d/a/"
    assert post_url(post("_posts/2025-01-09-a.md"), site) == "/2025/01/09/a/"
    own = post_url(post("docs/_posts/2025-01-09-a.md"), site, {"permalink": "/about/"})
    assert own == "/about/"


def test_url_index_forms_of_the_same_url() -> None:
    posts = [post("_posts/2025-01-09-a.md"), post("_posts/2025-01-09-b.md")]
    index = UrlIndex(posts, SiteConfig(url="https://x.org", baseurl="/blog"))
    assert index.resolve("/blog/2025/01/09/a.html") == 0
    assert index.resolve("/2025/01/09/b") == 1
    assert index.resolve("https://x.org/blog/2025/01/09/b.html#top") == 1
    assert index.resolve("https://elsewhere.org/blog/2025/01/09/b.html") is None
    assert index.resolve("b.html", from_url="/2025/01/09/a.html") == 1
    assert index.resolve("/2025/01/09/c.html") is None


@pytest.fixture
def multilingual(tmp_path: Path) -> object:
    root = write_files(tmp_path / "site", MULTILINGUAL)
    folder = open_folder(root, cache_dir=tmp_path / "cache")
    folder.load(use_workers=False)
    yield folder
    folder.close()


def test_multilingual_links_lead_to_the_right_language(multilingual: object) -> None:
    folder = multilingual
    lib = folder.library  # type: ignore[attr-defined]

    def target(href: str, source: str) -> str | None:
        i = lib.resolve_link(href, source)
        return lib.posts[i].path if i is not None else None

    en = "en/news/_posts/2025-01-10-release.md"
    uk = "uk/news/_posts/2025-01-10-release.md"
    zh = "zh_tw/news/_posts/2025-01-10-release.md"
    assert target("/site/uk/news/2025/01/10/release/", en) == uk
    assert target(f"{MULTILINGUAL_URL}/site/zh_tw/news/2025/01/release.html", en) == zh
    assert target("/site/en/news/2025/01/10/release/", uk) == en
    assert target(f"{MULTILINGUAL_URL}/site/en/news/2025/01/10/release/index.html", zh) == en
    assert target("../../../../2024/05/01/old-release/", en) == (
        "en/news/_posts/2024-05-01-old-release.md"
    )
    assert target("https://other.example/uk/news/2025/01/10/release/", en) is None
    # then by file path, then by post_url output
    assert target("/uk/news/_posts/2025-01-10-release.md", uk) == uk
    assert target("/_post_url/2024-05-01-old-release", uk) == (
        "en/news/_posts/2024-05-01-old-release.md"
    )

"""Establishing categories' display names: spelt by tags, pages or the site, or one-to-one tags."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from reader.core.post import Post
from reader.core.sources.names import (
    FROM_ONE_TO_ONE,
    FROM_PAGE,
    FROM_SITE,
    FROM_SLUG,
    FROM_TAG,
    CategoryName,
    category_tags,
    display_name,
    establish_names,
    folder_category_names,
)


def test_tags_with_news_suffix_name_their_category() -> None:
    names = establish_names(
        {
            "zhongguoshichangjianguanxinwenwang": Counter({"中国市场监管新闻网新闻": 40}),
            "zhongguoyinxing": Counter({"中国银行新闻": 3}),  # 行 read xing by the slug tool
            "anxinguojizhengquan(xianggang)": Counter({"安信国际证券(香港)新闻": 2}),
            "21shijijingjibaodao": Counter({"21世纪经济报道新闻": 5}),
        }
    )
    assert names["zhongguoshichangjianguanxinwenwang"] == CategoryName(
        "中国市场监管新闻网", FROM_TAG
    )
    assert names["zhongguoyinxing"] == CategoryName("中国银行", FROM_TAG)
    assert names["anxinguojizhengquan(xianggang)"] == CategoryName("安信国际证券(香港)", FROM_TAG)
    assert names["21shijijingjibaodao"] == CategoryName("21世纪经济报道", FROM_TAG)


def test_a_name_ending_in_news_keeps_it_when_that_spells_the_slug() -> None:
    names = establish_names({"xinhuaxinwen": Counter({"新华新闻": 1})})
    assert names["xinhuaxinwen"] == CategoryName("新华新闻", FROM_TAG)


def test_wrong_and_capitalised_pages_are_never_used() -> None:
    names = establish_names(
        {
            "zhongguoshichangjianguanxinwenwang": Counter({"中国市场监管新闻网新闻": 4}),
            "neimengguribao": Counter({"某个别的标签": 1, "另一个标签": 1}),
            "shanghaizhengquanbao": Counter(),
        },
        pages={
            "zhongguoshichangjianguanxinwenwang": "内蒙古日报新闻",  # another source's title
            "neimengguribao": "Neimengguribao",  # only the capitalised slug
            "shanghaizhengquanbao": "上海证券报新闻",  # right: spells the slug
        },
    )
    assert names["zhongguoshichangjianguanxinwenwang"] == CategoryName(
        "中国市场监管新闻网", FROM_TAG
    )
    assert names["neimengguribao"] == CategoryName(None, FROM_SLUG)
    assert names["shanghaizhengquanbao"] == CategoryName("上海证券报", FROM_PAGE)


def test_a_page_for_a_slug_with_spaces_names_each_part() -> None:
    names = establish_names(
        {"21shijijingjibaodao": Counter(), "nancailicaitong": Counter()},
        pages={"21shijijingjibaodao  nancailicaitong": "21世纪经济报道  南财理财通新闻"},
    )
    assert names["21shijijingjibaodao"] == CategoryName("21世纪经济报道", FROM_PAGE)
    assert names["nancailicaitong"] == CategoryName("南财理财通", FROM_PAGE)


def test_one_to_one_tags_name_their_category() -> None:
    tags = {
        "emnews": Counter({"东财滚动新闻": 143}),
        "sitenews": Counter({"站长消息": 1}),
        # Shared tag: not one-to-one with either category.
        "alpha": Counter({"公共标签": 3}),
        "beta": Counter({"公共标签": 2}),
        # Two tags: not one-to-one.
        "gamma": Counter({"甲": 1, "乙": 1}),
        # Some posts of the category have no tag (post_counts says 5): not one-to-one.
        "delta": Counter({"丁标签": 4}),
    }
    counts = {"emnews": 143, "sitenews": 1, "alpha": 3, "beta": 2, "gamma": 2, "delta": 5}
    names = establish_names(tags, pages={"emnews": "Emnews"}, post_counts=counts)
    assert names["emnews"] == CategoryName("东财滚动新闻", FROM_ONE_TO_ONE)
    assert names["sitenews"] == CategoryName("站长消息", FROM_ONE_TO_ONE)
    for slug in ("alpha", "beta", "gamma", "delta"):
        assert names[slug] == CategoryName(None, FROM_SLUG), slug


def test_spelling_beats_a_one_to_one_tag_and_sources_sharing_a_slug_are_both_named() -> None:
    names = establish_names(
        {
            "shanxiribao": Counter({"山西日报新闻": 7, "陕西日报新闻": 3, "错放的新闻": 1}),
            "zhongguoyinxing": Counter({"中国银行新闻": 2}),
        }
    )
    assert names["shanxiribao"] == CategoryName("山西日报 / 陕西日报", FROM_TAG)
    # One-to-one too, but the spelt name (without 新闻) is the better one.
    assert names["zhongguoyinxing"] == CategoryName("中国银行", FROM_TAG)


def test_the_site_map_names_categories_itself() -> None:
    names = establish_names(
        {"tech": Counter({"x": 1}), "emnews": Counter({"东财滚动新闻": 1})},
        site_map={"tech": "科技", "emnews": "东方财富滚动"},
    )
    assert names["tech"] == CategoryName("科技", FROM_SITE)
    assert names["emnews"] == CategoryName("东方财富滚动", FROM_SITE)


def test_a_folder_with_no_names_to_find_keeps_its_slugs() -> None:
    tags = {"news": Counter({"python": 2, "jekyll": 1}), "blog": Counter({"python": 1})}
    names = establish_names(tags, pages={"news": "News", "blog": "My Blog"})
    assert names == {"news": CategoryName(None, FROM_SLUG), "blog": CategoryName(None, FROM_SLUG)}
    assert display_name(names, "news") == "news"
    assert display_name(names, "unknown") == "unknown"


def test_category_tags_counts_posts_per_category_and_tag() -> None:
    when = datetime(2021, 12, 8)
    posts = [
        Post("a.md", "A", when, ("emnews",), ("东财滚动新闻",)),
        Post("b.md", "B", when, ("emnews",), ("东财滚动新闻", "东财滚动新闻")),
        Post("c.md", "C", when, ("emnews", "other"), ()),
    ]
    tags, counts = category_tags(posts)
    assert tags["emnews"] == Counter({"东财滚动新闻": 2})
    assert counts == Counter({"emnews": 3, "other": 1})
    assert establish_names(tags, post_counts=counts)["emnews"].name is None


def test_category_tags_by_pairs_counts_as_post_by_post() -> None:
    """Counted by (categories, tags) pair, the figures are those of a count post by post."""
    import random

    rng = random.Random(7)
    names = ["a", "b", "c", "新闻", "d"]
    posts = [
        Post(
            f"{k}.md",
            "T",
            None,
            tuple(rng.choices(names, k=rng.randint(0, 3))),
            tuple(rng.choices(names, k=rng.randint(0, 3))),
        )
        for k in range(500)
    ]
    want_tags: dict[str, Counter[str]] = {}
    want_counts: Counter[str] = Counter()
    for post in posts:
        for category in post.categories:
            want_counts[category] += 1
            want_tags.setdefault(category, Counter()).update(set(post.tags))
    assert category_tags(posts) == (want_tags, want_counts)


def test_counting_stops_when_cancelled_and_names_are_then_empty(tmp_path: Path) -> None:
    """The window closing during the names of 1,000,000 posts: the count stops at the next
    65,536 posts, and no half-counted names come out."""
    post = Post("a.md", "A", None, ("xinhua",), ("新华社",))
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) >= 2

    _tags, counts = category_tags([post] * 200_000, cancelled)
    assert counts == Counter({"xinhua": 2 * 0x10000})
    assert len(asked) == 2
    assert folder_category_names(tmp_path, [post] * 10, lambda: True) == {}
    assert folder_category_names(tmp_path, [post] * 10)["xinhua"].name == "新华社"

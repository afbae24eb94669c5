"""Normalising a body to its story, and when two fingerprints are copies of one story."""

from __future__ import annotations

import random

import pytest

from reader.core.duplicates.fingerprint import (
    MIN_CHARS,
    fingerprint,
    fingerprint_files,
    normalise_text,
    similar,
    text_fingerprint,
)
from tests.benchmarks.generate import body, sentence
from tests.conftest import write_files

FOOTER = (
    "<p>免责声明：本文仅代表作者个人观点，与本网无关。其原创性以及文中陈述文字和内容未经本站证实，"
    "对本文以及其中全部或者部分内容、文字的真实性、完整性、及时性本站不作任何保证或承诺，"
    "请读者仅作参考，并请自行核实相关内容。投资有风险，入市需谨慎。</p>"
)


def story(seed: int, size: int = 3000) -> str:
    return body(random.Random(seed), size, f"{seed:018d}")


def test_normalising_drops_what_copies_change() -> None:
    original = (
        "<p>霍尼韦尔宣布为蔚来旗下ET7提供制冷剂。</p>\n"
        '<p class="em_media">（文章来源：中国市场监管新闻网）</p>\n\n'
        "<http://finews.example.com/html/NewsShare.html?infoCode=NW1>\n\n"
        "[返回中国市场监管新闻网新闻](//finews.example.com/category/x.html)｜[返回首页](//finews.example.com/)"
    )
    copy = (
        "> 摘要（上海证券报）\n\n"
        '<p>霍尼韦尔宣布为<span><a href="http://quote.eastmoney.com/unify/r/106.NIO">蔚来</a></span>旗下ET7'
        "提供制冷剂。 </p>\n"
        "<p class='em_media'>（文章来源：上海证券报）</p>\n"
        "[返回上海证券报新闻](//finews.example.com/category/y.html)"
    )
    assert normalise_text(original).rstrip("｜") == normalise_text(copy)
    assert normalise_text(copy) == "霍尼韦尔宣布为蔚来旗下et7提供制冷剂。"


def test_short_texts_are_not_compared() -> None:
    assert fingerprint("短" * (MIN_CHARS - 1)) is None
    assert text_fingerprint("<p>一句话。</p>") is None
    assert fingerprint("长" * MIN_CHARS) is not None


def _paragraph_edit(text: str, add: bool) -> str:
    paras = text.split("\n")
    if add:
        paras.insert(2, f" <p>{sentence(random.Random(99))}{sentence(random.Random(98))}</p>")
    else:
        del paras[2]
    return "\n".join(paras)


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t,
        lambda t: t.replace("（文章来源：合成新闻网）", "（文章来源：上海证券报）"),
        lambda t: "> 摘要（上海证券报）\n\n" + t,
        lambda t: t.replace(
            "上市公司", '<a href="http://quote.example.com/1">贵州茅台</a>'
        ).replace("证券公司", "[中信证券](http://quote.example.com/2)"),
        lambda t: _paragraph_edit(t, add=True),
        lambda t: _paragraph_edit(t, add=False),
        lambda t: t.replace("<p>", "\n\n<p>   ").replace("。", "。 \n"),
    ],
    ids=[
        "identical",
        "source line",
        "summary line",
        "stock links",
        "paragraph more",
        "paragraph less",
        "whitespace",
    ],
)
def test_lightly_edited_copies_are_similar(edit: object) -> None:
    for seed in range(5):
        text = story(seed)
        a, b = text_fingerprint(text), text_fingerprint(edit(text))  # type: ignore[operator]
        assert a is not None and b is not None
        assert similar(a, b), seed


def test_different_stories_are_not_similar_even_with_one_footer() -> None:
    prints = [text_fingerprint(story(seed, 1500) + "\n" + FOOTER) for seed in range(12)]
    assert all(p is not None for p in prints)
    for i, a in enumerate(prints):
        for b in prints[i + 1 :]:
            assert not similar(a, b)  # type: ignore[arg-type]


def test_a_brief_is_not_a_copy_of_the_long_story_it_starts() -> None:
    text = story(7, 6000)
    lead = "\n".join(text.split("\n")[:3])
    a, b = text_fingerprint(text), text_fingerprint(lead)
    assert a is not None and b is not None
    assert not similar(a, b)


def test_files_are_fingerprinted_and_unreadable_ones_skipped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_files(tmp_path, {"_posts/2021-01-01-a.md": "---\ntitle: a\n---\n" + story(1)})
    out = fingerprint_files(
        str(tmp_path), ["_posts/2021-01-01-a.md", "_posts/missing.md", "../outside.md"]
    )
    assert [path for path, _ in out] == [
        "_posts/2021-01-01-a.md",
        "_posts/missing.md",
        "../outside.md",
    ]
    assert out[0][1] == text_fingerprint(story(1))
    assert out[1][1] is None and out[2][1] is None

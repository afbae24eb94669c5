"""Spelling slugs from source names, initials, sort keys and the filter field's matching."""

from __future__ import annotations

import re
import unicodedata

import pytest

from reader.core.sources.pinyin import (
    SourceMatcher,
    _initial_sets,
    _initials_match,
    matches_source,
    normalise_slug,
    pinyin_initials,
    pinyin_sort_key,
    prepare_matching,
    spells_slug,
)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("中国市场监管新闻网", "zhongguoshichangjianguanxinwenwang"),
        # Polyphones: the slug tool takes the first reading, any reading must be accepted.
        ("中国银行", "zhongguoyinxing"),
        ("中国银行", "zhongguoyinhang"),
        ("投行快讯", "touxingkuaixun"),
        ("重庆日报", "zhongqingribao"),
        ("长江日报", "zhangjiangribao"),
        ("厦门日报", "shamenribao"),
        ("绿色金融", "lvsejinrong"),
        # Latin letters and digits kept as they are; spaces and parentheses ignored.
        ("21世纪经济报道", "21shijijingjibaodao"),
        ("安信国际证券(香港)", "anxinguojizhengquan(xianggang)"),
        ("安信国际证券（香港）", "anxinguojizhengquan(xianggang)"),
        ("FT中文网", "FTzhongwenwang"),
        ("FT 中文网", "ftzhongwenwang"),
        ("山西日报", "shanxiribao"),
        ("陕西日报", "shanxiribao"),
    ],
)
def test_names_spell_their_slugs(name: str, slug: str) -> None:
    assert spells_slug(name, slug)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("内蒙古日报", "zhongguoshichangjianguanxinwenwang"),
        ("中国市场监管新闻网新闻", "zhongguoshichangjianguanxinwenwang"),  # 新闻 too many
        ("中国市场监管", "zhongguoshichangjianguanxinwenwang"),  # a prefix is not the slug
        ("22世纪经济报道", "21shijijingjibaodao"),  # digits must match as they are
        ("安信国际证券", "anxinguojizhengquan(xianggang)"),
        ("", "emnews"),
        ("东财", ""),
        ("ＢＢＣ中文", "bbczhongwenx"),
    ],
)
def test_other_names_do_not_spell_the_slug(name: str, slug: str) -> None:
    assert not spells_slug(name, slug)


def test_normalised_slug_keeps_only_letters_and_digits() -> None:
    assert normalise_slug("21ShiJi  nancai(Xiang-Gang)") == "21shijinancaixianggang"


def test_initials_and_sort_key() -> None:
    assert pinyin_initials("中国市场监管新闻网") == "zgscjgxww"
    assert pinyin_initials("21世纪经济报道") == "21sjjjbd"
    names = ["中国证券报", "安信国际", "Bloomberg", "北京日报", "财新网"]
    assert sorted(names, key=pinyin_sort_key) == [
        "安信国际",
        "北京日报",
        "Bloomberg",
        "财新网",
        "中国证券报",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("zgscjg", True),  # pinyin initials
        ("ZGSCJG", True),
        ("scjg", True),  # initials from the middle
        ("市场监管", True),  # the name
        ("shichang", True),  # the slug
        ("Shi Chang", True),  # the slug, spaces ignored
        ("", True),
        ("zgyh", False),
        ("银行", False),
    ],
)
def test_filter_matches_name_slug_and_initials(text: str, found: bool) -> None:
    assert matches_source(text, "zhongguoshichangjianguanxinwenwang", "中国市场监管新闻网") is found


def test_filter_initials_take_any_reading() -> None:
    # 长 reads zhang or chang, 行 xing or hang.
    assert matches_source("cjrb", "changjiangribao", "长江日报")
    assert matches_source("zjrb", "changjiangribao", "长江日报")
    assert matches_source("zgyh", "zhongguoyinxing", "中国银行")
    assert matches_source("zgyx", "zhongguoyinxing", "中国银行")


def test_filter_without_a_name_uses_the_slug() -> None:
    assert matches_source("emn", "emnews", None)
    assert not matches_source("dc", "emnews", None)


def _reference(text: str, slug: str, name: str | None) -> bool:
    # matches_source as it read before the matcher kept its work across sources.
    typed = unicodedata.normalize("NFKC", text).strip().lower()
    if not typed:
        return True
    if typed in slug.lower() or (name is not None and typed in name.lower()):
        return True
    compact = re.sub(r"[^0-9a-z]+", "", typed)
    if not compact or compact != typed.replace(" ", ""):
        return False
    if compact in normalise_slug(slug):
        return True
    return name is not None and _initials_match(compact, _initial_sets(name))


def test_one_matcher_answers_for_many_sources_as_matches_source_did() -> None:
    # 长 and 行 have two readings each: 长行长行长 has 32 spellings of its initials, past the
    # number spelt out (the any-reading match answers then), 长沙晚报 has two.
    sources = [
        ("changsha", "长沙晚报"),
        ("zzzz", "长行长行长"),
        ("emnews", "东财滚动新闻"),
        ("36ke", None),
        ("CCTV caijing", "央视财经"),
    ]
    typed = ["", "cs", "zs", "zswb", "chz", "zhz", "zxzh", "hhh", "dcgd", "财经", "36", "tvca", "q"]
    for text in typed:
        matcher = SourceMatcher(text)
        for slug, name in sources:
            assert matcher(slug, name) == _reference(text, slug, name), (text, slug)
    found = SourceMatcher("zxzh")
    assert found("zzzz", "长行长行长")  # any reading: zhang xing zhang hang
    assert not found("changsha", "长沙晚报")
    assert SourceMatcher("zswb")("changsha", "长沙晚报")  # 长 read zhang


def test_the_packed_character_table_reads_as_pypinyins_own() -> None:
    """Every one of pypinyin's 42,000 characters has the same readings in the packed table
    (read entry by entry from its JSON) as in the dict pypinyin itself builds."""
    import json
    from importlib.util import find_spec
    from pathlib import Path

    from reader.core.sources import pinyin as pinyin_module

    spec = find_spec("pypinyin")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).with_name("pinyin_dict.json")
    want = {int(k): v for k, v in json.loads(source.read_text(encoding="utf-8")).items()}
    table = pinyin_module._load_char_table()
    assert table is not None and len(table) == len(want) > 20_000
    assert all(table.get(code) == value for code, value in want.items())
    assert table.get(ord("A")) == "" and table.get(0x10FFFF, "?") == "?"


def test_the_packed_table_sorts_entries_that_come_out_of_order() -> None:
    from reader.core.sources.pinyin import _CharTable

    want = ["yī", "zhōng", "xíng,háng", ""]
    table = _CharTable.from_pairs(iter([(0x4E2D, "zhōng"), (0x4E00, "yī"), (0x884C, "xíng,háng")]))
    assert [table.get(c) for c in (0x4E00, 0x4E2D, 0x884C, 0x4E01)] == want
    json = '{\n"20013": "zhōng",\n"19968": "yī",\n"34892": "xíng,háng"\n}'.encode()
    from_json = _CharTable.from_json(json)
    assert [from_json.get(c) for c in (0x4E00, 0x4E2D, 0x884C, 0x4E01)] == want


def test_the_sort_key_by_translation_is_the_character_by_character_one() -> None:
    """`pinyin_sort_key` translates a name in one call; it must give what reading it character
    by character gives (Han by its first reading, ASCII letters and digits lower-cased,
    everything else dropped, the ends stripped)."""
    import random
    import unicodedata

    from reader.core.sources.pinyin import is_han, pinyin_sort_key, readings

    def by_hand(name: str) -> str:
        parts = []
        for ch in unicodedata.normalize("NFKC", name):
            if is_han(ch):
                found = readings(ch)
                parts.append((found[0] if found else "~") + " ")
            elif ch.isascii() and ch.isalnum():
                parts.append(ch.lower())
        return "".join(parts).strip()

    rng = random.Random(9)
    alphabet = "银行新闻中国〇㐀Aaz09 ,.—ＡＢ１ßΩ\\u3000\\t"
    for _ in range(2000):
        name = "".join(rng.choices(alphabet, k=rng.randint(0, 12)))
        assert pinyin_sort_key(name) == (by_hand(name), name)


def test_matching_prepared_beforehand_costs_a_keystroke_nothing_more() -> None:
    """`prepare_matching` works out each source's initials ahead (on a thread of the
    window's): a keystroke then finds them all prepared, and answers the same."""
    from reader.core.sources import pinyin

    sources = [("zgscjgxww", "中国市场监管新闻网"), ("emnews", "东财滚动新闻"), ("tag", None)]
    typed = SourceMatcher("zgscjg")
    pinyin._initials_of.cache_clear()
    pinyin._normalised_slug.cache_clear()
    expected = [typed(slug, name) for slug, name in sources]
    misses = pinyin._initials_of.cache_info().misses
    assert misses == 1  # a name spelt out at the keystroke itself (the other slug matched)
    pinyin._initials_of.cache_clear()
    pinyin._normalised_slug.cache_clear()
    assert prepare_matching(sources) == 3
    before = (pinyin._initials_of.cache_info().misses, pinyin._normalised_slug.cache_info().misses)
    assert [typed(slug, name) for slug, name in sources] == expected == [True, False, False]
    after = (pinyin._initials_of.cache_info().misses, pinyin._normalised_slug.cache_info().misses)
    assert after == before
    assert prepare_matching(sources, cancelled=lambda: True) == 0

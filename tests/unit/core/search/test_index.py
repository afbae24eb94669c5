"""Full-text search: exact Chinese substring matching of any length against a brute-force scan,
English words and phrases, exclusions, tag/category terms, ordering, paging, changes, resumable
builds, damaged index files, and user input that must never break the FTS5 query."""

from __future__ import annotations

import random
import tempfile
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.search.build import build_index
from reader.core.search.index import Doc, SearchIndex, SearchResult, terms_for_highlight
from reader.core.search.query import index_tokens, parse_query, strip_markup
from tests.conftest import load_folder, write_files

# A skewed alphabet of common news characters: frequent pairs occur, many rare pairs do not.
ALPHABET = (
    "市场监管药品安全质量食品企业发展经济政策国家部门工作服务建设管理推进加强检查"
    "执法标准创新改革投资金融银行证券价格消费产品生产技术数据信息网络平台社会公司"
    "地方城市农村医疗教育环境能源交通规划项目资金税收贸易进出口会议领导组织活动群众"
)
PUNCT = "，。、；：！？ "


def _run(rng: random.Random) -> str:
    n = rng.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 12))
    return "".join(ALPHABET[min(int(rng.expovariate(1 / 25)), len(ALPHABET) - 1)] for _ in range(n))


def _text(rng: random.Random, runs: int) -> str:
    parts = []
    for _ in range(runs):
        parts.append(_run(rng))
        parts.append(
            rng.choice(PUNCT)
            if rng.random() < 0.9
            else f" {rng.choice(['Jekyll', 'GDP', 'data'])} "
        )
    return "".join(parts)


Texts = dict[str, tuple[str, str]]  # path -> (title, body)
Corpus = tuple[SearchIndex, Texts]


def _generated(
    rng: random.Random, n: int, title_runs: int, body_runs: tuple[int, int], step: float
) -> tuple[Texts, list[Doc]]:
    """`n` generated posts, `step` seconds apart: their texts and their docs."""
    texts: Texts = {}
    docs = []
    for i in range(n):
        title, body = _text(rng, title_runs), _text(rng, rng.randint(*body_runs))
        path = f"_posts/2020-01-01-p{i:03d}.md"
        texts[path] = (title, body)
        docs.append(Doc(path, title, body, 1_600_000_000.0 + i * step, ("新闻",), ("标签",), "s"))
    return texts, docs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """~300 generated Chinese posts indexed directly, with their texts for brute-force checks."""
    rng = random.Random(20240611)
    texts, docs = _generated(rng, 300, title_runs=3, body_runs=(20, 80), step=3600)
    index = SearchIndex.open(tmp_path_factory.mktemp("fts") / "search.db")
    rng.shuffle(docs)
    for start in range(0, len(docs), 70):  # several batches: top, bottom and misplaced rows
        index.add_many(docs[start : start + 70])
    return index, texts


def _brute(texts: Texts, needle: str) -> set[str]:
    return {p for p, (title, body) in texts.items() if needle in title or needle in body}


def _all(index: SearchIndex, query: str, **kw: object) -> list[str]:
    return index.search(query, limit=10_000, **kw).paths  # type: ignore[arg-type]


def _cjk_substrings(texts: Texts, rng: random.Random, length: int, k: int) -> list[str]:
    runs = [r for _, body in sorted(texts.values()) for r in _split_runs(body) if len(r) >= length]
    out = []
    for _ in range(k):
        r = rng.choice(runs)
        start = rng.randrange(len(r) - length + 1)
        out.append(r[start : start + length])
    return out


def _split_runs(text: str) -> list[str]:
    runs, cur = [], ""
    for c in text:
        if c in ALPHABET:
            cur += c
        else:
            if cur:
                runs.append(cur)
            cur = ""
    return runs + ([cur] if cur else [])


@pytest.mark.parametrize("length", [1, 2, 3, 4, 6])
def test_chinese_queries_match_a_brute_force_scan(corpus: Corpus, length: int) -> None:
    index, texts = corpus
    rng = random.Random(length)
    queries = set(_cjk_substrings(texts, rng, length, 60))
    for q in sorted(queries):
        expected = _brute(texts, q)
        assert expected, q
        assert set(_all(index, q)) == expected, q


def test_two_characters_apart_do_not_match(corpus: Corpus) -> None:
    index, texts = corpus
    rng = random.Random(7)
    absent = 0
    for _ in range(400):
        q = rng.choice(ALPHABET) + rng.choice(ALPHABET)
        expected = _brute(texts, q)
        assert set(_all(index, q)) == expected, q
        absent += not expected
    # Enough pairs were absent from every post (though both characters occur) to mean something.
    assert absent >= 20


def test_characters_split_by_punctuation_are_not_a_word(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many(
            [Doc("a", "", "监，管 市场，监管 市场 监管", 1.0), Doc("b", "", "市场监管局", 2.0)]
        )
        assert _all(index, "监管") == ["b", "a"]
        assert _all(index, "场监") == ["b"]
        assert _all(index, "市场监管") == ["b"]
        assert _all(index, "监") == ["b", "a"]
        assert _all(index, "局") == ["b"]
        assert _all(index, "管局") == ["b"]


def test_mixed_chinese_and_english_terms_are_all_required(corpus: Corpus) -> None:
    index, texts = corpus
    for q1, q2 in [("市场", "Jekyll"), ("监管", "GDP"), ("药", "data")]:
        expected = _brute(texts, q1) & {p for p, (t, b) in texts.items() if q2 in t or q2 in b}
        assert expected
        assert set(_all(index, f"{q1} {q2}")) == expected
        assert set(_all(index, f"{q2.upper()}  {q1}")) == expected


def test_chinese_exclusion(corpus: Corpus) -> None:
    index, texts = corpus
    expected = _brute(texts, "市场") - _brute(texts, "监管")
    assert expected
    assert set(_all(index, "市场 -监管")) == expected
    assert set(_all(index, "-监管")) == set(texts) - _brute(texts, "监管")


def test_chinese_in_a_word_with_latin_letters(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many(
            [
                Doc("a", "", "A股上涨，2021年市场", 1.0),
                Doc("b", "", "B股 下跌 2020 年 2021", 2.0),
                Doc("c", "", "2021 年", 0.0),
            ]
        )
        assert _all(index, "A股") == ["a"]
        # As with English phrases, a space or punctuation between tokens is not significant.
        assert _all(index, "2021年") == ["a", "c"]
        assert _all(index, "２０２１年") == ["a", "c"]  # full-width digits read as ASCII
        assert _all(index, "2021年市") == ["a"]
        assert _all(index, "股") == ["b", "a"]
        assert _all(index, "年2021") == ["b"]
        assert _all(index, "Jekyll发布") == []


def test_english_words_phrases_and_prefixes(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many(
            [
                Doc("a", "Jekyll Release Notes", "An exact phrase here. Café", 3.0),
                Doc("b", "Other", "the phrase that is exact", 2.0),
                Doc("c", "Third", "nothing relevant", 1.0),
            ]
        )
        assert _all(index, "jekyll") == ["a"]
        assert _all(index, "RELEASE notes") == ["a"]
        assert _all(index, "exact phrase") == ["a", "b"]
        assert _all(index, '"exact phrase"') == ["a"]
        assert _all(index, "“exact phrase”") == ["a"]
        assert _all(index, '"phrase exact"') == []
        assert _all(index, "cafe") == ["a"]  # diacritics removed
        assert _all(index, "Jek*") == ["a"]
        assert _all(index, "Jek") == []  # words match whole unless a * asks for a prefix
        assert _all(index, "absent") == []
        assert _all(index, "exact -jekyll") == ["b"]
        assert _all(index, 'exact -"exact phrase"') == ["b"]


def test_tag_and_category_terms(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many(
            [
                Doc("a", "t", "监管 news", 3.0, ("Markets", "国内"), ("edge case", "A")),
                Doc("b", "t", "监管 news", 2.0, ("markets",), ("edge",)),
                Doc("c", "t", "药品 news", 1.0, ("国内",), ("edge case study",)),
            ]
        )
        assert _all(index, 'tag:"edge case"') == ["a"]
        assert _all(index, "tag:edge") == ["b"]
        assert _all(index, 'tag:"Edge  Case" 监管') == ["a"]
        assert _all(index, "category:markets") == ["a", "b"]
        assert _all(index, "categories:国内 news") == ["a", "c"]
        assert _all(index, "news -category:国内") == ["b"]
        assert _all(index, "news -tags:edge") == ["a", "c"]
        assert _all(index, "tag:nope") == []
        assert _all(index, "TAG：edge") == ["b"]  # a full-width colon, as Chinese input gives
        assert _all(index, "category:markets 药品") == []


def test_within_restricts_to_the_selected_posts(corpus: Corpus) -> None:
    index, texts = corpus
    chosen = frozenset(sorted(texts)[::3])
    expected = _brute(texts, "市场") & chosen
    assert set(_all(index, "市场", within=chosen)) == expected
    assert set(_all(index, "市场", within=list(chosen))) == expected  # any collection
    assert set(_all(index, "-市场", within=chosen)) == chosen - _brute(texts, "市场")
    assert index.search("市场", within=[]).paths == []
    assert index.search("市场", within=["not/indexed.md"]).paths == []


def test_newest_first_paging_is_exact(corpus: Corpus) -> None:
    index, texts = corpus
    # The fixture added posts in shuffled batches, so some rows are out of date order.
    assert index.stats().misplaced > 0
    expected = sorted(_brute(texts, "市"), reverse=True)  # path order is date order here
    assert _all(index, "市") == expected
    for offset, limit in [(0, 1), (0, 50), (37, 20), (len(expected) - 3, 10), (len(expected), 5)]:
        page = index.search("市", offset=offset, limit=limit)
        assert page.paths == expected[offset : offset + limit]
    assert index.search("市", limit=10, with_total=True).total == len(expected)
    assert index.count_matches("市") == len(expected)


def test_pages_read_whole_are_the_pages_read_row_by_row(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page reaching far down (the window's every match) reads every hit at once and sorts
    them: the same pages and totals as reading in rowid order and stopping early."""
    from reader.core.search import matching

    index, _texts = corpus
    pages = [(0, 1), (0, 50), (37, 20), (0, 10_000), (100, 10_000)]
    by_rows = [index.search("市", offset=o, limit=n, with_total=True) for o, n in pages]
    monkeypatch.setattr(matching, "READ_ALL_FROM", 0)
    whole = [index.search("市", offset=o, limit=n, with_total=True) for o, n in pages]
    assert [(r.paths, r.total) for r in whole] == [(r.paths, r.total) for r in by_rows]


def test_dates_order_with_older_newer_and_undated_posts_added_later(tmp_path: Path) -> None:
    rng = random.Random(3)
    dates: dict[str, float | None] = {}
    with SearchIndex.open(tmp_path / "s.db") as index:
        for _ in range(12):
            docs = []
            for _i in range(rng.randint(1, 15)):
                path = f"p{len(dates):03d}"
                ts = None if rng.random() < 0.05 else float(rng.randrange(1000))
                dates[path] = ts
                docs.append(Doc(path, "", "共同 words", ts))
            index.add_many(docs)
        expected = sorted(
            dates, key=lambda p: (dates[p] if dates[p] is not None else -1e300, p), reverse=True
        )
        got = _all(index, "共同")
        assert [dates[p] for p in got] == [dates[p] for p in expected]
        for offset in range(0, len(expected), 7):
            assert index.search("words", offset=offset, limit=7).paths == got[offset : offset + 7]


_BATCHES = st.lists(
    st.lists(st.tuples(st.integers(0, 25), st.one_of(st.none(), st.integers(0, 40))), max_size=9),
    min_size=1,
    max_size=8,
)


@given(batches=_BATCHES, removed=st.sets(st.integers(0, 25), max_size=5), limit=st.integers(1, 9))
@settings(max_examples=150, deadline=None)
def test_date_order_is_exact_whatever_the_order_of_changes(
    batches: list[list[tuple[int, int | None]]], removed: set[int], limit: int
) -> None:
    dates: dict[str, float | None] = {}
    with tempfile.TemporaryDirectory() as tmp, SearchIndex.open(Path(tmp) / "s.db") as index:
        for batch in batches:
            docs = [Doc(f"p{n}", "", "共同", None if d is None else float(d)) for n, d in batch]
            index.add_many(docs)
            dates.update({d.path: d.date_ts for d in docs})
        index.remove(f"p{n}" for n in removed)
        for n in removed:
            dates.pop(f"p{n}", None)
        newest_first = sorted((-1e300 if d is None else d for d in dates.values()), reverse=True)
        pages = []
        for offset in range(0, len(dates) + limit, limit):
            page = index.search("共同", offset=offset, limit=limit).paths
            got = [-1e300 if dates[p] is None else dates[p] for p in page]
            assert got == newest_first[offset : offset + limit]
            pages += page
        assert sorted(pages) == sorted(dates)


def test_relevance_puts_the_best_match_first(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many(
            [
                Doc("once", "其他", "监管 一次 " + "填充 " * 50, 3.0),
                Doc("title", "市场监管", "正文 " * 20, 1.0),
                Doc("often", "其他", "监管 监管 监管 监管", 2.0),
                Doc("none", "其他", "无关", 4.0),
            ]
        )
        got = index.search("监管", order="relevance").paths
        assert set(got) == {"once", "title", "often"}
        assert got[-1] == "once"
        assert index.search("监管").paths == ["once", "often", "title"]  # by date
        # Only filters: there is nothing to rank by, so newest first.
        assert index.search("-监管", order="relevance").paths == ["none"]


def test_remove_and_replace(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many(
            [
                Doc("a", "旧标题", "旧正文 alpha", 1.0, (), ("t1",), "v1"),
                Doc("b", "", "beta 正文", 2.0),
            ]
        )
        assert index.count() == 2
        index.add_many([Doc("a", "新标题", "新正文 gamma", 1.0, (), ("t2",), "v2")])
        assert index.count() == 2
        assert index.indexed_paths() == {"a": "v2", "b": ""}
        assert _all(index, "alpha") == [] and _all(index, "旧") == []
        assert _all(index, "gamma") == ["a"] and _all(index, "新标题") == ["a"]
        assert _all(index, "tag:t1") == [] and _all(index, "tag:t2") == ["a"]
        assert _all(index, "正文") == ["b", "a"]
        assert index.remove(["b", "missing"]) == 1
        assert _all(index, "正文") == ["a"]
        assert _all(index, "beta") == []
        assert index.count() == 1
        assert index.stats().dead == 2


def test_highlight_terms_are_the_positive_words_as_typed() -> None:
    q = '市场监管 "exact phrase" -药品 tag:foo -category:bar Jek* 监管， ２０２１年'
    assert terms_for_highlight(q) == ["市场监管", "exact phrase", "Jek", "监管", "２０２１年"]
    assert terms_for_highlight("-only tag:x") == []


def test_query_parts_are_quoted_for_fts5() -> None:
    p = parse_query('AND OR NOT NEAR(a b) "x" y* ^z col:1')
    assert (
        p.match()
        == '"AND" AND "OR" AND "NOT" AND "NEAR(a" AND "b)" AND "x" AND "y"* AND "^z" AND "col:1"'
    )
    assert parse_query("市场").match() == '"市 场"'
    assert parse_query('"a""b').match() == '"a" AND "b"'  # a second, unclosed quote
    assert parse_query('say "he said ""hi""').match() == '"say" AND "he said" AND "hi"'
    assert parse_query("-").match() is None and parse_query("-").is_empty


def test_markup_is_stripped_for_indexing() -> None:
    body = "<p>前文[市场](http://x.cn)<b>监管</b>**总局**&amp;</p><p>下段</p><script>var x;</script><http://a.b/c>"
    text = strip_markup(body)
    assert "前文市场监管总局&" in text
    assert "http" not in text and "var" not in text
    assert index_tokens("下段").split() == ["下", "段", "\ue000"]


# --- building from a folder -------------------------------------------------------------------


def _post(day: int, body: str, title: str = "标题", tags: str = "新闻") -> str:
    date = datetime(2021, 1, 1, tzinfo=UTC) + timedelta(days=day)
    front = f"title: {title}\ndate: {date:%Y-%m-%d %H:%M:%S} +0000\ntags: {tags}"
    return f"---\n{front}\n---\n<p>{body}</p>\n"


def _folder(tmp_path: Path, n: int) -> Path:
    root = tmp_path / "site"
    write_files(
        root,
        {
            f"_posts/2021-01-01-p{i:03d}.md": _post(i, f"共同 正文{i:03d} 市场监管")
            for i in range(n)
        },
    )
    return root


def test_html_posts_built_from_files_match_a_brute_force_scan(tmp_path: Path) -> None:
    rng = random.Random(99)
    files: dict[str, str | bytes] = {}
    visible: Texts = {}
    for i in range(120):
        paragraphs = [_text(rng, rng.randint(3, 12)) for _ in range(rng.randint(2, 6))]
        html = []
        for para in paragraphs:
            cut = rng.randrange(len(para) + 1)
            # Inline markup inside a word must not split it; paragraphs are separate.
            html.append(f"<p>{para[:cut]}<b>{para[cut : cut + 3]}</b>{para[cut + 3 :]}</p>")
        path = f"_posts/2021-01-01-h{i:03d}.md"
        files[path] = _post(i, "\n ".join(html)[3:-4], title="标题")
        visible[path] = ("标题", "\n".join(paragraphs))
    root = write_files(tmp_path / "site", files)
    with SearchIndex.open(tmp_path / "s.db") as index:
        list(build_index(root, load_folder(root).posts, index, workers=0))
        for length in (1, 2, 3, 4):
            for q in sorted(set(_cjk_substrings(visible, rng, length, 25))):
                assert set(_all(index, q)) == _brute(visible, q), q


def test_build_is_resumable_and_follows_changes(tmp_path: Path) -> None:
    root = _folder(tmp_path, 40)
    lib = load_folder(root)
    index = SearchIndex.open(tmp_path / "idx" / "s.db")

    def cancel_after_two_batches() -> bool:
        return index.count() >= 20

    progress = list(
        build_index(root, lib.posts, index, cancel_after_two_batches, workers=0, batch_size=10)
    )
    assert progress[-1].phase == "cancelled"
    assert index.count() == 20
    # The newest posts were indexed first, so a search already shows the right first page.
    assert index.search("共同", limit=3).paths == [
        f"_posts/2021-01-01-p{i:03d}.md" for i in (39, 38, 37)
    ]

    progress = list(build_index(root, lib.posts, index, workers=0, batch_size=10))
    assert (progress[0].total, progress[0].skipped, progress[-1].phase) == (20, 20, "done")
    assert index.count() == 40
    assert index.stats().misplaced == 0  # the older rest went below, in date order
    newest_first = sorted(lib.posts, key=lambda p: p.date.timestamp() if p.date else 0.0)[::-1]
    assert index.search("共同", limit=100).paths == [p.path for p in newest_first]

    again = list(build_index(root, lib.posts, index, workers=0))
    assert (again[0].total, again[-1].done, again[0].skipped) == (0, 0, 40)

    # A changed file is indexed again, a deleted one leaves the index.
    changed = root / "_posts/2021-01-01-p005.md"
    changed.write_text(_post(5, "全新内容"), encoding="utf-8")
    (root / "_posts/2021-01-01-p006.md").unlink()
    lib = load_folder(root)
    step = list(build_index(root, lib.posts, index, workers=0))
    assert (step[0].total, step[0].removed) == (1, 1)
    assert _all(index, "全新") == ["_posts/2021-01-01-p005.md"]
    assert "_posts/2021-01-01-p005.md" not in _all(index, "正文005")
    assert _all(index, "正文006") == []
    assert index.count() == 39
    index.close()


def test_build_in_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.core.pool as pool_module

    pools: list[object] = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            pools.append(kwargs["mp_context"].get_start_method())

    monkeypatch.setattr(pool_module, "ProcessPoolExecutor", CountedPool)
    root = _folder(tmp_path, 320)
    lib = load_folder(root)
    with SearchIndex.open(tmp_path / "s.db") as index:
        progress = list(build_index(root, lib.posts, index, workers=2, batch_size=100))
        assert pools and pools[0] in ("forkserver", "spawn")  # never fork: Qt has threads
        assert progress[-1].phase == "done"
        assert progress[-1].done == 320
        assert index.count() == 320
        assert _all(index, "正文123") == ["_posts/2021-01-01-p123.md"]
        assert len(_all(index, "市场监管 tag:新闻")) == 320


def test_build_without_worker_processes_falls_back_to_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.pool as pool_module

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(pool_module, "ProcessPoolExecutor", refuse)
    root = _folder(tmp_path, 310)
    with SearchIndex.open(tmp_path / "s.db") as index:
        progress = list(build_index(root, load_folder(root).posts, index, workers=2))
        assert progress[-1].phase == "done"
        assert index.count() == 310


def test_an_unreadable_body_still_indexes_the_title(tmp_path: Path) -> None:
    root = _folder(tmp_path, 3)
    lib = load_folder(root)
    (root / "_posts/2021-01-01-p001.md").unlink()
    with SearchIndex.open(tmp_path / "s.db") as index:
        list(build_index(root, lib.posts, index, workers=0))
        assert index.count() == 3
        assert "_posts/2021-01-01-p001.md" in _all(index, "标题")


def test_many_removals_lead_to_a_clean_rebuild(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many(Doc(f"x{i}", "", "旧", float(i)) for i in range(1500))
        index.remove(f"x{i}" for i in range(1500))
        assert index.needs_rebuild()
        root = _folder(tmp_path, 5)
        progress = list(build_index(root, load_folder(root).posts, index, workers=0))
        assert progress[0].total == 5
        assert index.stats().dead == 0
        assert index.count() == 5


def test_optimize_merges_and_gives_space_back(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "s.db"
    with SearchIndex.open(path) as index:
        for batch in range(6):
            index.add_many(
                Doc(f"p{batch}-{i}", "", f"监管 {i} " * 50, float(i)) for i in range(200)
            )
        assert index.optimize()
        assert len(_all(index, "监管")) == 1200
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    conn.close()


def test_a_merge_cut_short_is_finished_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.search.build as search_module

    monkeypatch.setattr(search_module, "_OPTIMIZE_AFTER", 10)
    root = _folder(tmp_path, 12)
    posts = load_folder(root).posts
    with SearchIndex.open(tmp_path / "s.db") as index:
        stop = [False]
        progress = []
        for step in build_index(root, posts, index, lambda: stop[0], workers=0):
            progress.append(step.phase)
            stop[0] = step.phase == "optimizing"  # the app is closed during the merge
        assert progress[-2:] == ["optimizing", "cancelled"]
        assert index.merge_pending()
        again = [p.phase for p in build_index(root, posts, index, workers=0)]
        assert again == ["indexing", "optimizing", "done"]
        assert not index.merge_pending()
        small = [p.phase for p in build_index(root, posts, index, workers=0)]
        assert small == ["indexing", "done"]


def test_a_damaged_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database" * 500)
    with SearchIndex.open(path) as index:
        assert index.count() == 0
        index.add_many([Doc("a", "", "监管", 1.0)])
        assert _all(index, "监管") == ["a"]


def test_damage_found_later_is_never_fatal(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SearchIndex.open(path) as index:
        index.add_many(Doc(f"p{i}", "", "监管 " * 200 + str(i), float(i)) for i in range(300))
    data = bytearray(path.read_bytes())
    for offset in range(8192, len(data) - 100, 4096):  # scribble over every page but the first two
        data[offset + 20 : offset + 80] = b"\xff" * 60
    path.write_bytes(bytes(data))
    with SearchIndex.open(path) as index:
        result = index.search("监管")
        assert isinstance(result, SearchResult)
        index.add_many([Doc("new", "", "监管", 1.0)])
        assert "new" in _all(index, "监管")


def test_damage_met_while_searching_starts_a_new_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import reader.core.search.matching as search_module

    def broken(*args: object) -> object:
        raise sqlite3.DatabaseError("database disk image is malformed")

    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many([Doc("a", "", "监管", 1.0)])
        monkeypatch.setattr(search_module, "_newest_first", broken)
        assert index.search("监管") == SearchResult([], None)
        monkeypatch.undo()
        assert index.count() == 0  # a fresh file: the next build fills it
        index.add_many([Doc("b", "", "监管", 1.0)])
        assert _all(index, "监管") == ["b"]


def test_an_index_from_another_schema_version_is_rebuilt(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "s.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE docs(x)")
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    with SearchIndex.open(path) as index:
        assert index.count() == 0


# --- user input never breaks the query ------------------------------------------------------------

_NASTY = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "「",
        "*",
        "^",
        "(",
        ")",
        ":",
        "-",
        "+",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "NEAR(",
        "tag:",
        "category:",
        'tag:"',
        "市场",
        "监",
        "a",
        "\x00",
        "\ue000",
        "\\",
        "'",
        "{",
        "}",
        " ",
        "　",
        "，",
    ]
)


@given(st.one_of(st.text(max_size=60), st.lists(_NASTY, max_size=12).map("".join)))
@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_query_returns_a_result(shared_index: SearchIndex, query: str) -> None:
    for result in (
        shared_index.search(query, limit=5, with_total=True),
        shared_index.search(query, order="relevance", limit=5, with_total=True),
    ):
        assert isinstance(result, SearchResult)
        assert len(result.paths) <= 5
    assert isinstance(terms_for_highlight(query), list)


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex.open(tmp_path_factory.mktemp("fuzz") / "s.db")
    index.add_many(
        [
            Doc("a", "AND OR NOT", 'NEAR(a b) 市场监管 "quoted" tag: * ^', 1.0, ("c",), ("t",)),
            Doc("b", "市场", "a", 2.0),
        ]
    )
    return index


def test_counts_without_the_docs_join_while_no_words_are_left_behind(tmp_path: Path) -> None:
    """A count of words alone skips the join with `docs` while no post's words were left in
    the FTS table (`dead` empty), and joins again once one was: exact either way, against a
    brute-force count, also after posts are removed and replaced."""
    texts, docs = _generated(random.Random(77), 120, title_runs=2, body_runs=(10, 40), step=60)
    words = ["市场", "监管", "市场监管", "Jekyll", "药品安全", "质"]
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many(docs)
        counts: list[str] = []
        index._reader().set_trace_callback(
            lambda sql: counts.append(sql) if sql.startswith("SELECT count(*)") else None
        )

        def check() -> None:
            for word in words:
                want = len(_brute(texts, word))
                assert index.search(word, limit=1, with_total=True).total == want, word
                assert index.count_matches(f"{word} category:新闻") == want, word

        check()
        assert counts and all("JOIN" not in sql for sql in counts[::2])  # words alone
        assert all("JOIN" in sql for sql in counts[1::2])  # with a category: the join
        gone = sorted(texts)[::4]
        index.remove(gone)
        for path in gone:
            del texts[path]
        replaced = sorted(texts)[::5]
        for path in replaced:
            texts[path] = ("替换", "全新的内容")
        index.add_many(Doc(p, *texts[p], 1_700_000_000.0, (), (), "t") for p in replaced)
        counts.clear()
        check()
        assert counts and all("JOIN" in sql for sql in counts)


def test_date_order_is_exact_behind_thousands_of_misplaced_rows(tmp_path: Path) -> None:
    """Edited or back-filled posts are written above the others out of date order: a first
    page reads them in batches (growing to thousands at once) before the first row in order,
    and is still exactly the newest, at every offset."""
    rng = random.Random(3)
    dates = {f"p{n}": float(n * 10) for n in range(2000)}  # written in date order: in place
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many([Doc(p, "", "共同 alpha", d) for p, d in dates.items()])
        # Then 3,000 posts dated among them, a few at a time: each batch is misplaced.
        for start in range(0, 3000, 250):
            batch = {f"q{n}": float(rng.randrange(5, 19_990)) for n in range(start, start + 250)}
            index.add_many([Doc(p, "", "共同 alpha", d) for p, d in batch.items()])
            dates.update(batch)
        assert index.stats().misplaced == 3000
        ranked = sorted(dates, key=lambda p: dates[p], reverse=True)
        for text in ("共同", "alph*"):  # (a prefix is read in one walk)
            for offset, limit in [(0, 50), (0, 1), (49, 50), (700, 200), (2990, 20), (4900, 99)]:
                page = index.search(text, offset=offset, limit=limit).paths
                got = [dates[p] for p in page]
                assert got == [dates[p] for p in ranked[offset : offset + limit]]


def test_a_first_page_within_posts_leaves_out_misplaced_rows_outside_them(tmp_path: Path) -> None:
    """Rows out of date order are asked apart, by date: the same selection holds for them."""
    with SearchIndex.open(tmp_path / "s.db") as index:
        index.add_many([Doc(f"p{n}", "", "共同", float(n * 10)) for n in range(100)])
        index.add_many([Doc("out", "", "共同", 985.0)])  # misplaced, not among `within`
        index.add_many([Doc("in", "", "共同", 975.0)])  # misplaced, among them
        assert index.stats().misplaced == 2
        within = {*(f"p{n}" for n in range(100)), "in"}
        page = index.search("共同", within=within, limit=5).paths
        assert page == ["p99", "p98", "in", "p97", "p96"]
        assert index.search("共同", limit=3).paths == ["p99", "out", "p98"]

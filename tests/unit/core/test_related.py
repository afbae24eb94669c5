"""Related posts on a folder with known neighbours: Chinese and English posts about distinct
topics among filler posts, indexed with the real index builder. Copies of the same story come
first, the post itself never appears, rare labels outweigh common ones, and a finder works
from another thread with its own connection."""

from __future__ import annotations

import threading
from array import array
from pathlib import Path

import pytest

from reader.core.library import Library
from reader.core.post import Post
from reader.core.related import (
    _UNDATED,
    LabelIndex,
    RelatedFinder,
    TermSample,
    label_scores,
    post_terms,
    term_tokens,
)
from reader.core.search.build import build_index
from reader.core.search.index import SearchIndex
from reader.core.table import PostTable
from tests.conftest import load_folder, write_files

# Topic -> (titles, the sentence every post of the topic repeats in its own words).
TOPICS = {
    "vaccine": [
        (
            "新冠疫苗接种进度加快",
            "各地加快新冠疫苗接种，疫苗接种点延长服务时间，加强针疫苗供应充足。",
        ),
        ("疫苗加强针开始接种", "加强针疫苗接种在社区展开，老年人疫苗接种率继续提高。"),
        ("儿童疫苗接种启动", "儿童新冠疫苗接种启动，家长带孩子到接种点接种疫苗。"),
    ],
    "chips": [
        ("国产芯片产能提升", "半导体企业扩大芯片产能，晶圆厂建设加快，芯片设计与封测同步推进。"),
        ("晶圆厂新建芯片生产线", "新的晶圆生产线投产，半导体芯片供应紧张局面缓解。"),
        ("芯片设计公司融资", "芯片设计公司完成融资，半导体产业链吸引投资，晶圆代工订单饱满。"),
    ],
    "volcano": [
        (
            "Volcano erupts again",
            "The volcano erupted overnight; lava flows and volcanic ash forced evacuations.",
        ),
        (
            "Lava reaches the coast",
            "Lava from the volcano reached the coast, and ash clouds grounded flights.",
        ),
        (
            "Volcanic ash closes airport",
            "Volcanic ash from the erupting volcano closed the airport; lava kept flowing.",
        ),
    ],
    "chess": [
        (
            "Grandmaster wins chess tournament",
            "The grandmaster won the chess tournament with a sharp endgame and a rook sacrifice.",
        ),
        (
            "Chess olympiad opens",
            "Teams of grandmasters arrive for the chess olympiad; openings and endgame preparation.",
        ),
        (
            "Young grandmaster's endgame",
            "A young chess grandmaster converted a rook endgame to win the tournament.",
        ),
    ],
}
FILLER = [
    "今天天气晴朗，市民出门散步，公园里人很多。",
    "本市召开工作会议，部署下一阶段重点工作任务。",
    "The city council met today and discussed the budget for next year.",
    "Residents enjoyed the weekend weather in the park with their families.",
    "有关部门发布通知，要求做好节日期间的安全工作。",
    "The weather was mild and people walked in the park after work.",
]
COMMON = "本报讯 记者报道。News report by our reporter. "


def _post(path_date: str, slug: str, title: str, body: str, cats: str, tags: str) -> str:
    return (
        f'---\ntitle: "{title}"\ndate: {path_date} 10:00:00 +0800\n'
        f"categories: {cats}\ntags: {tags}\n---\n{COMMON}{body}\n"
    )


def _files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"_config.yml": "timezone: Asia/Shanghai\n"}
    day = 1
    for topic, posts in TOPICS.items():
        for n, (title, body) in enumerate(posts):
            date = f"2021-03-{day:02d}"
            # Every post has the same common tag; the topic shows only in the words.
            files[f"_posts/{date}-{topic}{n}.md"] = _post(
                date, f"{topic}{n}", title, body, f"source{n}", "news"
            )
            day += 1
    for k in range(24):
        date = f"2021-04-{k + 1:02d}"
        files[f"_posts/{date}-filler{k}.md"] = _post(
            date, f"filler{k}", f"日常 {k}", FILLER[k % len(FILLER)], f"source{k % 3}", "news"
        )
    return files


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Library, Path]:
    root = write_files(tmp_path_factory.mktemp("related"), _files())
    lib = load_folder(root)
    index_path = tmp_path_factory.mktemp("index") / "search.sqlite3"
    with SearchIndex.open(index_path) as index:
        list(build_index(root, lib.posts, index, workers=0))
    return lib, index_path


def _path(lib: Library, slug: str) -> str:
    return next(p.path for p in lib.posts if p.path.endswith(f"-{slug}.md"))


@pytest.mark.parametrize("topic", list(TOPICS))
def test_the_other_posts_of_a_topic_come_first(folder: tuple[Library, Path], topic: str) -> None:
    lib, index_path = folder
    finder = RelatedFinder(lib, index_path)
    for n in range(3):
        me = _path(lib, f"{topic}{n}")
        found = finder.related(me)
        assert 0 < len(found) <= 5
        assert me not in [r.path for r in found]
        siblings = {_path(lib, f"{topic}{k}") for k in range(3) if k != n}
        assert {r.path for r in found[:2]} == siblings, [r.title for r in found]
        scores = [r.score for r in found]
        assert scores == sorted(scores, reverse=True)
    finder.close()


def test_each_result_has_title_date_and_source(folder: tuple[Library, Path]) -> None:
    lib, index_path = folder
    found = RelatedFinder(lib, index_path).related(_path(lib, "chess0"))
    first = found[0]
    post = lib.post_at(first.path)
    assert post is not None
    assert (first.title, first.date, first.source) == (post.title, post.date, post.categories[0])
    assert first.reason == "similar"
    assert first.to_json()["date"] == post.date.isoformat() if post.date else False


def test_copies_of_the_same_story_come_first_and_never_the_post_itself(
    folder: tuple[Library, Path],
) -> None:
    lib, index_path = folder
    me = _path(lib, "vaccine0")
    copy = _path(lib, "filler5")

    def duplicates_of(path: str) -> list[str]:
        assert path == me
        return [me, "_posts/gone.md", copy, copy]

    found = RelatedFinder(lib, index_path, duplicates_of=duplicates_of).related(me, limit=3)
    assert found[0].path == copy and found[0].reason == "copy"
    assert [r.path for r in found].count(copy) == 1
    assert me not in [r.path for r in found]
    assert len(found) == 3
    assert {r.path for r in found[1:]} == {_path(lib, "vaccine1"), _path(lib, "vaccine2")}


def test_without_an_index_rare_labels_outweigh_common_ones() -> None:
    from datetime import UTC, datetime

    from reader.core.post import Post

    when = datetime(2021, 1, 1, tzinfo=UTC)
    posts = [Post("_posts/me.md", "me", when, ("common",), ("rare",))]
    posts.append(Post("_posts/rare.md", "shares the rare tag", when, ("other",), ("rare",)))
    posts.append(Post("_posts/common.md", "shares the category", when, ("common",), ()))
    posts += [Post(f"_posts/c{n}.md", f"c{n}", when, ("common",), ()) for n in range(30)]
    posts.append(Post("_posts/none.md", "shares nothing", when, ("else",), ("x",)))
    lib = Library(Path("/nowhere"), posts=posts)
    found = RelatedFinder(lib, None, text_of=lambda p: "").related("_posts/me.md")
    assert found[0].path == "_posts/rare.md"
    assert "_posts/none.md" not in [r.path for r in found]
    assert len(found) == 5
    scores = label_scores(posts[0], LabelIndex(posts), len(posts))
    assert scores[1] > scores[2] > 0  # the rare tag, then the common category
    assert len(posts) - 1 not in scores  # shares no label at all


def test_an_unknown_path_has_no_related_posts(folder: tuple[Library, Path]) -> None:
    lib, index_path = folder
    assert RelatedFinder(lib, index_path).related("_posts/nothing-here.md") == []


def test_a_finder_works_from_another_thread(folder: tuple[Library, Path]) -> None:
    lib, index_path = folder
    finder = RelatedFinder(lib, index_path)
    results: list[list[str]] = []

    def work() -> None:
        results.append([r.path for r in finder.related(_path(lib, "chips1"))])
        finder.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert results and set(results[0][:2]) == {_path(lib, "chips0"), _path(lib, "chips2")}


def test_a_missing_or_damaged_index_falls_back_to_labels(
    folder: tuple[Library, Path], tmp_path: Path
) -> None:
    lib, _ = folder
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    for index_path in (tmp_path / "missing.sqlite3", bad):
        found = RelatedFinder(lib, index_path).related(_path(lib, "volcano0"))
        assert len(found) == 5 and _path(lib, "volcano0") not in [r.path for r in found]
    assert not (tmp_path / "missing.sqlite3").exists()  # read-only: nothing created


def test_terms_are_cjk_pairs_and_longer_words_without_bare_numbers() -> None:
    counts = post_terms("芯片，芯片厂 Lava lava 2021 at ÉTÉ")
    assert counts["芯片"] == 2 and counts["片厂"] == 1 and "片，" not in counts
    assert counts["lava"] == 2 and "2021" not in counts and "at" not in counts
    assert term_tokens("芯片") == ("芯", "片") and term_tokens("lava") == ("lava",)
    assert "été" in counts


def test_the_sample_tells_common_terms_from_rare_ones() -> None:
    from datetime import UTC, datetime

    from reader.core.post import Post

    when = datetime(2021, 1, 1, tzinfo=UTC)
    posts = [Post(f"p{n}", f"t{n}", when) for n in range(200)]
    texts = {p.path: "common words here" + (" rarity" if p.path == "p7" else "") for p in posts}
    sample = TermSample.build(posts, lambda p: texts[p.path], size=200)
    assert sample is not None and sample.is_common("common") and not sample.is_common("rarity")
    assert sample.term_df("rarity") < sample.term_df("common")
    read: list[str] = []

    def text_of(post: Post) -> str:
        read.append(post.path)
        return texts[post.path]

    asked = iter([False] * 5 + [True] * 1000)  # the window closes after five bodies
    assert TermSample.build(posts, text_of, size=200, cancelled=lambda: next(asked)) is None
    assert len(read) == 5


def test_the_finder_follows_the_library_as_posts_come_and_go() -> None:
    from datetime import UTC, datetime

    from reader.core.events import Added, Removed
    from reader.core.post import Post

    when = datetime(2021, 1, 1, tzinfo=UTC)
    posts = [Post(f"_posts/p{n}.md", f"p{n}", when, ("c",), (f"t{n % 3}",)) for n in range(12)]
    lib = Library(Path("/nowhere"), posts=posts)
    finder = RelatedFinder(lib, None, text_of=lambda p: "")
    assert "_posts/p3.md" in [r.path for r in finder.related("_posts/p0.md")]
    lib.apply(Removed(["_posts/p3.md"]))
    lib.apply(Added([Post("_posts/new.md", "new", when, ("c",), ("t0",))], []))
    found = [r.path for r in finder.related("_posts/p0.md")]
    assert "_posts/p3.md" not in found and "_posts/new.md" in found
    assert all(lib.post_at(p) is not None for p in found)


def test_a_warm_up_stopped_midway_is_finished_by_the_first_question(
    folder: tuple[Library, Path],
) -> None:
    lib, index_path = folder
    finder = RelatedFinder(lib, index_path)
    assert finder.warm(cancelled=lambda: True) is False
    path = lib.posts[0].path
    assert [r.path for r in finder.related(path)] == [
        r.path for r in RelatedFinder(lib, index_path).related(path)
    ]
    assert finder.warm(cancelled=lambda: True) is True  # built by then: nothing left to stop
    finder.close()


def test_the_label_index_holds_each_labels_posts_ascending_in_arrays() -> None:
    # One name in several tuples of categories ("新闻" alone, with "tech", after "life"): its
    # posts from all of them, each once, ascending, as compact arrays (not lists of ints).
    cats = [("新闻",), ("tech", "新闻"), (), ("life", "新闻"), ("tech",), ("新闻",)]
    tags = [("a",), (), ("a", "b"), ("b",), ("a",), ()]
    posts = PostTable(
        [
            Post(f"_posts/p{i}.md", f"T{i}", None, c, t)
            for i, (c, t) in enumerate(zip(cats, tags, strict=True))
        ]
    )
    labels = LabelIndex(posts)
    assert labels.categories == {
        "新闻": array("i", [0, 1, 3, 5]),
        "tech": array("i", [1, 4]),
        "life": array("i", [3]),
    }
    assert labels.tags == {"a": array("i", [0, 2, 4]), "b": array("i", [2, 3])}


def test_a_library_answer_that_no_longer_fits_the_snapshot_is_no_answer() -> None:
    # The finder asks the library's own index by path (the window's thread changes it): a post
    # numbered after a removal the finder has not seen yet must not be read as another post.
    from datetime import UTC, datetime

    from reader.core.events import Removed
    from reader.core.post import Post

    when = datetime(2021, 1, 1, tzinfo=UTC)
    posts = [Post(f"_posts/p{n}.md", f"p{n}", when, ("c",), ("t",) * (n % 2)) for n in range(6)]
    posts.append(Post("_posts/undated.md", "undated", None, ("c",), ()))
    lib = Library(Path("/nowhere"), posts=posts)
    finder = RelatedFinder(lib, None, text_of=lambda p: "")
    finder.warm()
    assert finder._row_of("_posts/p4.md") == 4 and finder._row_of("_posts/none.md") is None
    assert finder._stamps[6] == _UNDATED and finder._stamps[0] == when.timestamp()
    lib.apply(Removed(["_posts/p2.md"]))  # p4 is post 3 of the library now, p5 post 4
    assert lib.index_of("_posts/p4.md") == 3
    assert finder._row_of("_posts/p4.md") is None  # post 3 of the snapshot is p3
    assert finder._row_of("_posts/p0.md") == 0  # unchanged: still right
    assert "_posts/p5.md" in [r.path for r in finder.related("_posts/p1.md")]  # refreshed
    assert finder._row_of("_posts/p4.md") == 3

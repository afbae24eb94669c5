"""Groups of re-published copies: found, ordered earliest first, kept up to date."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from reader.core.duplicates import fingerprint as fingerprint_module
from reader.core.duplicates.fingerprint import text_fingerprint
from reader.core.duplicates.index import DuplicateIndex, find_duplicates
from reader.core.post import Post
from tests.benchmarks.generate import body
from tests.conftest import write_files

T0 = datetime(2021, 12, 8, 10, 0)


def story(seed: int) -> str:
    return body(random.Random(seed), 2500, f"{seed:018d}")


def post(path: str, minutes: int, title: str = "标题") -> Post:
    return Post(path, title, T0 + timedelta(minutes=minutes), ("emnews",), ("东财滚动新闻",))


def build(bodies: dict[str, str], order: dict[str, int]) -> DuplicateIndex:
    index = DuplicateIndex()
    index.update([post(p, order[p]) for p in bodies], read=bodies.__getitem__)
    return index


def test_copies_group_earliest_first_and_others_stay_alone() -> None:
    a, b = story(1), story(2)
    bodies = {
        "copy-late.md": "> 摘要（上海证券报）\n\n" + a,
        "original.md": a,
        "copy-edited.md": a.replace("（文章来源：合成新闻网）", "（文章来源：东财）"),
        "other.md": b,
        "other-copy.md": b.replace("<p>", "<p> "),
        "alone.md": story(3),
    }
    index = build(
        bodies,
        {
            "original.md": 0,
            "copy-edited.md": 5,
            "copy-late.md": 90,
            "other.md": 30,
            "other-copy.md": 40,
            "alone.md": 1,
        },
    )
    assert index.groups() == [
        ["original.md", "copy-edited.md", "copy-late.md"],
        ["other.md", "other-copy.md"],
    ]
    assert index.group("copy-late.md") == ["original.md", "copy-edited.md", "copy-late.md"]
    assert index.main_post("copy-late.md") == "original.md"
    assert index.group("alone.md") == ["alone.md"]
    assert index.hidden_copies() == {"copy-edited.md", "copy-late.md", "other-copy.md"}
    assert len(index) == 6


def test_the_same_title_over_other_text_is_not_a_copy() -> None:
    index = DuplicateIndex()
    for i, seed in enumerate((10, 11)):
        p = post(f"p{i}.md", i, title="里昂：维持港交所买入评级")
        index.add(p.path, p.date, text_fingerprint(story(seed)))
    assert index.groups() == []


def test_posts_too_short_to_compare_are_never_grouped() -> None:
    bodies = {"a.md": "<p>见原文。</p>", "b.md": "<p>见原文。</p>", "c.md": ""}
    index = build(bodies, {"a.md": 0, "b.md": 1, "c.md": 2})
    assert index.groups() == []
    assert "a.md" in index and len(index) == 0


def test_removing_and_changing_posts_updates_groups() -> None:
    a = story(4)
    bodies = {"one.md": a, "two.md": a + " ", "three.md": a.replace("<p>", "<p>\n")}
    index = build(bodies, {"one.md": 0, "two.md": 1, "three.md": 2})
    assert index.groups() == [["one.md", "two.md", "three.md"]]
    index.remove("one.md")
    assert index.groups() == [["two.md", "three.md"]]
    assert index.main_post("three.md") == "two.md"
    # "three.md" changed into another story: re-adding replaces it.
    bodies["three.md"] = story(5)
    index.update([post("three.md", 2)], read=bodies.__getitem__)
    assert index.groups() == []
    index.remove("unknown.md")  # ignored
    # "one.md" comes back, dated earliest: it leads its group again.
    index.update([post("one.md", 0)], read=bodies.__getitem__)
    assert index.groups() == [["one.md", "two.md"]]


def test_a_body_that_cannot_be_read_is_left_out() -> None:
    def read(path: str) -> str:
        if path == "gone.md":
            raise OSError("deleted")
        return story(6)

    index = DuplicateIndex()
    assert index.update([post("a.md", 0), post("gone.md", 1), post("b.md", 2)], read=read)
    assert index.groups() == [["a.md", "b.md"]]


def test_cancelling_stops_between_batches() -> None:
    bodies = {f"p{i:04d}.md": story(i % 3) for i in range(600)}
    index = DuplicateIndex()
    done = index.update(
        [post(p, i) for i, p in enumerate(bodies)], read=bodies.__getitem__, cancelled=lambda: True
    )
    assert done is False
    assert 0 < len(index) < 600


@pytest.mark.slow
def test_worker_processes_find_the_same_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fingerprint_module, "IN_PROCESS_BELOW", 4)
    files = {}
    for i in range(12):
        files[f"_posts/2021-12-08-p{i:02d}.md"] = f"---\ntitle: t{i}\n---\n" + story(i // 3)
    write_files(tmp_path, files)
    posts = [post(p, i) for i, p in enumerate(files)]
    in_workers = find_duplicates(posts, root=tmp_path, workers=2).groups()
    in_process = find_duplicates(posts, root=tmp_path, workers=0).groups()
    assert in_workers == in_process
    assert len(in_workers) == 4 and all(len(g) == 3 for g in in_workers)

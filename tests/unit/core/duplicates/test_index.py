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


def _stamped(bodies: dict[str, str]) -> list[Post]:
    # Posts with their files' stats: only such a post's stored fingerprint is reused.
    return [
        Post(
            p,
            "标题",
            T0 + timedelta(minutes=i),
            ("emnews",),
            (),
            size=len(bodies[p]),
            mtime_ns=i + 1,
        )
        for i, p in enumerate(bodies)
    ]


def test_reusing_stored_fingerprints_stops_when_cancelled_and_the_next_pass_finishes(
    tmp_path: Path,
) -> None:
    from reader.core.duplicates.store import FingerprintStore

    # 2,100 posts: the store hands its rows over in two batches of at most 2,000.
    bodies = {f"p{i:04d}.md": story(i % 7) for i in range(2100)}
    posts = _stamped(bodies)
    first = DuplicateIndex(FingerprintStore(path=tmp_path / "prints.sqlite3"))
    assert first.sync(posts, read=bodies.__getitem__)
    expected = first.groups()
    assert len(expected) == 7
    read: list[str] = []

    def reading(path: str) -> str:
        read.append(path)
        return bodies[path]

    asked = iter([False, True])  # the window closes after the first batch
    again = DuplicateIndex(FingerprintStore(path=tmp_path / "prints.sqlite3"))
    assert again.sync(posts, read=reading, cancelled=lambda: next(asked, True)) is False
    assert len(again) == 2000 and not read  # one batch reused, no body read
    assert again.sync(posts, read=reading) is True
    assert len(again) == 2100 and not read
    assert again.groups() == expected


def test_pairs_left_unconfirmed_by_a_cancel_are_proposed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader.core.duplicates import index as index_module

    bodies = {f"p{i:03d}.md": story(i % 4) for i in range(12)}
    expected = build(bodies, {p: i for i, p in enumerate(bodies)}).groups()
    monkeypatch.setattr(index_module, "_CONFIRM_CHUNK", 1)
    compared: list[int] = []
    similar = fingerprint_module.similar

    def counted(a: object, b: object) -> bool:
        compared.append(1)
        return similar(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(fingerprint_module, "similar", counted)
    index = DuplicateIndex()
    posts = [post(p, i) for i, p in enumerate(bodies)]
    assert index.update(posts, read=bodies.__getitem__, cancelled=lambda: bool(compared)) is False
    assert len(compared) == 1 and len(index) == 12  # one pair confirmed, then stopped
    assert index.groups() == expected  # the rest proposed again and confirmed


def test_group_now_answers_while_another_thread_holds_the_index() -> None:
    import threading

    bodies = {"a.md": story(1), "b.md": story(1), "c.md": story(2)}
    index = build(bodies, {"a.md": 0, "b.md": 1, "c.md": 2})
    assert index.group_now("b.md") == ["a.md", "b.md"] == index.group("b.md")
    held, release = threading.Event(), threading.Event()
    order: list[str] = []

    def hold() -> None:  # as a pass over the posts does, for minutes at a million
        with index._lock:
            held.set()
            release.wait(2)
            order.append("released")

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(10)
        answers = index.group_now("b.md"), index.group_now("c.md")
        order.append("answered")
    finally:
        release.set()
        thread.join()
    assert answers == (["a.md", "b.md"], ["c.md"])  # the groups last found...
    assert order == ["answered", "released"]  # ...without waiting for the lock

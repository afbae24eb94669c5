"""The index cache and the cache-first load: changes are picked up on reopen, an unchanged reopen
parses nothing, damaged caches are rebuilt, parsing rules invalidate, nothing is written into the
posts folder, and an interrupted first load resumes."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reader.core.library import Library
from reader.core.post import Post, Problem
from reader.core.reading import parse
from reader.core.reading.known import KnownFiles
from reader.core.reading.loader import (
    Added,
    Done,
    FolderState,
    LoadEvent,
    LoadStats,
    Progress,
    Removed,
    Snapshot,
    open_library,
    refresh,
)
from reader.core.reading.parse import ZoneRules, parse_candidate
from reader.core.reading.scan import scan_folder, stat_of
from reader.core.storage.cache import (
    Changes,
    FolderCache,
    RowDecoder,
    database_path,
    diff_stats,
    encode_result,
    fingerprint_for,
)
from tests.conftest import load_cached, load_folder, write_files


def post_text(title: str, date: str = "2022-03-25 15:09:18 +0800", extra: str = "") -> str:
    return (
        f'---\nlayout: post\ntitle: "{title}"\ndate: {date}\n'
        f"categories: 新闻\ntags: [中文, 标签]\n{extra}---\n<p>正文第一段。</p>\n"
    )


def make_site(root: Path, n: int = 20, timezone: str = "Asia/Shanghai") -> Path:
    files: dict[str, str | bytes] = {"_config.yml": f"title: 测试\ntimezone: {timezone}\n"}
    for i in range(n):
        files[f"_posts/2022-03-{1 + i % 28:02d}-post{i:03d}.md"] = post_text(f"标题 {i}")
    files["_posts/2022-01-01-broken.md"] = "---\ntitle: [unclosed\n---\nbody\n"
    files["_drafts/draft.md"] = "---\ntitle: 草稿\n---\n草稿。\n"
    return write_files(root, files)


@dataclass
class Model:
    """What a window holds after applying the events in order: a Library, through
    `Library.apply`, with a check that the stream never adds a path twice."""

    library: Library = field(default_factory=lambda: Library(Path("/")))
    stats: LoadStats | None = None
    state: FolderState | None = None
    events: list[LoadEvent] = field(default_factory=list)

    @property
    def posts(self) -> dict[str, Post]:
        return {p.path: p for p in self.library.posts}

    @property
    def problems(self) -> dict[str, Problem]:
        return {p.path: p for p in self.library.problems}

    def apply(self, events: Iterable[LoadEvent]) -> Model:
        for ev in events:
            self.events.append(ev)
            if isinstance(ev, Added):
                for p in ev.posts:
                    assert self.library.post_at(p.path) is None, f"{p.path} added twice"
            self.library.apply(ev)
            if isinstance(ev, Done):
                self.stats, self.state = ev.stats, ev.state
        return self

    def close(self) -> None:
        if self.state is not None:
            # A complete load lets the known files go (the cache holds them): read them back
            # while the cache is open, as the next refresh would, for the tests to look at.
            assert self.state.recall_stats()
            self.state.close()


def open_(root: Path, **kwargs: object) -> Model:
    model = Model().apply(open_library(root, **kwargs))  # type: ignore[arg-type]
    model.close()
    return model


def reference(root: Path) -> tuple[dict[str, Post], dict[str, Problem]]:
    lib = load_folder(root)
    return {p.path: p for p in lib.posts}, {p.path: p for p in lib.problems}


def exact(posts: dict[str, Post]) -> dict[str, tuple[object, ...]]:
    return {
        k: (p, p.date.isoformat() if p.date else None, str(p.date.tzinfo) if p.date else None)
        for k, p in posts.items()
    }


def test_first_open_parses_and_second_open_parses_nothing(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    first = open_(root)
    assert first.stats is not None and first.stats.parsed == 22 and first.stats.cached == 0
    second = open_(root)
    assert second.stats is not None
    assert second.stats.parsed == 0 and second.stats.cached == 22
    assert isinstance(second.events[0], Snapshot) and second.events[0].from_cache
    want_posts, want_problems = reference(root)
    assert exact(second.posts) == exact(want_posts) == exact(first.posts)
    assert second.problems == want_problems
    assert any(p.draft for p in second.posts.values())


def test_added_modified_deleted_and_renamed_files_are_picked_up(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    open_(root)
    posts = root / "_posts"
    (posts / "2022-03-01-post000.md").unlink()  # deleted
    (posts / "2022-03-02-post001.md").rename(posts / "2022-04-02-renamed.md")  # renamed
    modified = posts / "2022-03-03-post002.md"
    modified.write_text(post_text("改过的标题，更长一些"), encoding="utf-8")
    (posts / "2022-05-05-new.md").write_text(post_text("新文章"), encoding="utf-8")

    model = open_(root)
    assert model.stats is not None
    assert model.stats.parsed == 3  # renamed, modified, new
    removed = {p for ev in model.events if isinstance(ev, Removed) for p in ev.paths}
    assert removed == {
        "_posts/2022-03-01-post000.md",
        "_posts/2022-03-02-post001.md",
        "_posts/2022-03-03-post002.md",
    }
    assert model.posts["_posts/2022-03-03-post002.md"].title == "改过的标题，更长一些"
    assert model.posts["_posts/2022-05-05-new.md"].title == "新文章"
    assert model.posts["_posts/2022-04-02-renamed.md"].title == "标题 1"
    want_posts, want_problems = reference(root)
    assert exact(model.posts) == exact(want_posts)
    assert model.problems == want_problems
    again = open_(root)
    assert again.stats is not None and again.stats.parsed == 0
    assert exact(again.posts) == exact(want_posts)


def test_a_modification_keeping_size_but_not_mtime_is_seen(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=3)
    open_(root)
    path = root / "_posts/2022-03-01-post000.md"
    path.write_text(post_text("标题 X"), encoding="utf-8")  # same length as "标题 0"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    model = open_(root)
    assert model.stats is not None and model.stats.parsed == 1
    assert model.posts["_posts/2022-03-01-post000.md"].title == "标题 X"


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "empty", "wrong_schema", "future_version", "bad_row"],
)
def test_a_damaged_cache_is_rebuilt(tmp_path: Path, damage: str) -> None:
    root = make_site(tmp_path / "site")
    open_(root)
    db = database_path(root, None)
    assert db.exists()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if damage == "garbage":
        db.write_bytes(os.urandom(64 * 1024))
    elif damage == "truncated":
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 3])
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        conn = sqlite3.connect(db)
        if damage == "wrong_schema":
            conn.executescript("DROP TABLE files; CREATE TABLE files (x INTEGER);")
        elif damage == "future_version":
            conn.execute("PRAGMA user_version = 999")
        else:
            conn.execute("UPDATE files SET data = 'not\x1ea\x1epost' WHERE kind = 0")
        conn.commit()
        conn.close()

    model = open_(root)
    assert model.stats is not None and model.stats.cache_enabled
    assert model.stats.parsed == 22  # nothing usable was cached: everything parsed again
    want_posts, _ = reference(root)
    assert exact(model.posts) == exact(want_posts)
    again = open_(root)
    assert again.stats is not None and again.stats.parsed == 0  # and the cache works again


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=3)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    model = open_(root, cache_dir=blocker)
    assert model.stats is not None and not model.stats.cache_enabled
    assert len(model.posts) == 4


def test_a_changed_timezone_in_config_invalidates_the_cache(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=3)
    first = open_(root)
    date = first.posts["_posts/2022-03-01-post000.md"].date
    assert date is not None and date.isoformat() == "2022-03-25T15:09:18+08:00"

    (root / "_config.yml").write_text("title: 测试\ntimezone: Europe/Paris\n", encoding="utf-8")
    model = open_(root)
    assert model.stats is not None and model.stats.parsed == 5 and model.stats.cached == 0
    date = model.posts["_posts/2022-03-01-post000.md"].date
    assert date is not None and date.isoformat() == "2022-03-25T08:09:18+01:00"


def test_the_machine_zone_matters_only_without_a_site_timezone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_tz = make_site(tmp_path / "a", n=1)
    without = write_files(tmp_path / "b", {"_posts/2022-01-01-x.md": post_text("x", "2022-01-01")})
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    fp_with = fingerprint_for(scan_folder(with_tz).site).digest
    fp_without = fingerprint_for(scan_folder(without).site).digest
    monkeypatch.setenv("TZ", "America/New_York")
    assert fingerprint_for(scan_folder(with_tz).site).digest == fp_with
    assert fingerprint_for(scan_folder(without).site).digest != fp_without


def test_problems_and_files_that_are_not_posts_are_cached_too(tmp_path: Path) -> None:
    # A plain folder: an .html file without front matter is not a post.
    root = write_files(
        tmp_path / "plain",
        {
            "notes/page.html": "<p>not a post</p>",
            "notes/post.md": "---\ntitle: 一篇\n---\n正文\n",
            "notes/bad.md": "---\ntitle: [unclosed\n---\n",
        },
    )
    first = open_(root)
    assert first.stats is not None and first.stats.parsed == 3
    assert set(first.posts) == {"notes/post.md"} and set(first.problems) == {"notes/bad.md"}
    second = open_(root)
    assert second.stats is not None and second.stats.parsed == 0
    assert second.posts == first.posts and second.problems == first.problems


def test_nothing_is_written_inside_the_posts_folder(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")

    def tree() -> dict[str, tuple[int, int]]:
        return {
            str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in root.rglob("*")
        }

    before = tree()
    open_(root)
    model = Model().apply(open_library(root))
    assert model.state is not None
    refresh(model.state)
    model.close()
    assert tree() == before
    assert not database_path(root).is_relative_to(root)


def open_cancelled(root: Path, batches: int, **kwargs: object) -> Model:
    """A load of `root` cancelled once `batches` batches of posts were added (not closed)."""
    added = 0

    def cancelled() -> bool:
        return added >= batches

    model = Model()
    for ev in open_library(root, cancelled=cancelled, **kwargs):  # type: ignore[arg-type]
        model.apply([ev])
        if isinstance(ev, Added) and ev.posts:
            added += 1
    return model


def test_an_interrupted_first_load_resumes(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=2500)
    model = open_cancelled(root, batches=2, use_workers=False)
    model.close()
    assert model.stats is not None and model.stats.cancelled
    parsed_before = model.stats.parsed
    assert 0 < parsed_before < 2502

    resumed = open_(root, use_workers=False)
    assert resumed.stats is not None
    assert resumed.stats.cached == parsed_before
    assert resumed.stats.parsed == 2502 - parsed_before
    want_posts, _ = reference(root)
    assert exact(resumed.posts) == exact(want_posts)


def test_progress_events_count_up_to_the_files_parsed(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=30)
    model = open_(root)
    progress = [ev for ev in model.events if isinstance(ev, Progress)]
    assert progress[0].done == 0 and progress[-1].done == progress[-1].total == 32


def test_refresh_returns_only_the_changes(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    model = Model().apply(open_library(root))
    state = model.state
    assert state is not None
    try:
        assert not refresh(state)  # nothing changed: nothing to report
        (root / "_posts/2022-03-01-post000.md").unlink()
        (root / "_posts/2022-06-01-fresh.md").write_text(post_text("新"), encoding="utf-8")
        changes = refresh(state)
        assert changes.removed == ["_posts/2022-03-01-post000.md"]
        assert [p.path for p in changes.posts] == ["_posts/2022-06-01-fresh.md"]
        assert changes.scan_seconds > 0
        assert not refresh(state)
        (root / "_config.yml").write_text("timezone: UTC\n", encoding="utf-8")
        assert refresh(state).reload
    finally:
        state.close()
    reopened = open_(root)
    assert reopened.stats is not None and reopened.stats.cached == 0  # the zone changed


def test_a_folder_gone_while_open_is_told_apart_from_changed_rules(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    model = Model().apply(open_library(root))
    state = model.state
    assert state is not None
    try:
        away = root.rename(tmp_path / "unplugged")
        gone = refresh(state)
        assert gone.gone and gone.reload and not gone.removed  # nothing is taken as deleted
        away.rename(root)
        back = refresh(state)
        assert not back and not back.gone  # the same files: nothing changed
    finally:
        state.close()


def test_the_codec_round_trips_odd_text_exactly(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "site",
        {
            "_config.yml": "timezone: America/New_York\n",
            "_posts/2021-11-07-fold.md": "---\ntitle: fold\ndate: 2021-11-07 01:30:00 -0500\n---\n",
            "_posts/2022-01-01-sep.md": '---\ntitle: "a\\x1eb\\x1fc"\ntags: ["x\\x1fy", z]\n---\n',
            "_posts/2022-01-02-none.md": "---\ntitle: 无日期\ndate: [1]\n---\n",
            "_posts/2022-01-03-plain.md": "no front matter at all\n",
        },
    )
    scan = scan_folder(root)
    fp = fingerprint_for(scan.site)
    zones = ZoneRules.for_site(scan.site)
    for cand in scan.candidates:
        item = parse_candidate(root, cand, scan.site, zones)
        row = encode_result(cand, item, zones)
        decoder = RowDecoder(fp.zones)
        from reader.core.storage.cache import Decoded

        out = Decoded()
        decoder.decode([row], out)
        if isinstance(item, Post):
            (got,) = out.posts
            assert got == item
            assert got.date is not None and item.date is not None
            assert (got.date.isoformat(), got.date.fold, str(got.date.tzinfo)) == (
                item.date.isoformat(),
                item.date.fold,
                str(item.date.tzinfo),
            )
        else:
            assert out.problems == [item]


def test_diff_names_new_modified_and_removed_files(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", n=3)
    scan = scan_folder(root)
    cached = {c.path: stat_of(c.size, c.mtime_ns) for c in scan.candidates}
    first = scan.candidates[0]
    cached[first.path] = stat_of(first.size + 1, first.mtime_ns)
    cached["_posts/gone.md"] = stat_of(1, 1)
    del cached[scan.candidates[1].path]
    changes = diff_stats(KnownFiles.of(cached), scan.candidates)
    assert isinstance(changes, Changes)
    assert {c.path for c in changes.to_parse} == {first.path, scan.candidates[1].path}
    assert changes.modified == [first.path]
    assert changes.removed == ["_posts/gone.md"]
    unchanged = {c.path: stat_of(c.size, c.mtime_ns) for c in scan.candidates}
    assert not diff_stats(KnownFiles.of(unchanged), scan.candidates)


def test_the_cache_lives_in_the_cache_dir_named_by_the_folder(tmp_path: Path) -> None:
    a = make_site(tmp_path / "a", n=1)
    b = make_site(tmp_path / "b", n=1)
    assert database_path(a) != database_path(b)
    assert database_path(a).is_relative_to(Path(os.environ["POST_READER_CACHE_DIR"]))
    with FolderCache.open(a) as cache:
        assert cache.enabled and cache.stored_digest() is None
        cache.clear()
        assert cache.enabled


def test_cached_posts_read_their_excerpt_on_demand(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "site",
        {"_posts/2022-01-01-a.md": "---\ntitle: 一\n---\n第一段。\n\n第二段。\n"},
    )
    first = load_cached(root)
    assert first.posts[0].excerpt == "第一段。"
    second = load_cached(root)
    (post,) = second.posts
    # Not read with the list (half of the cache's bytes), but there when a tooltip asks.
    assert post.excerpt == "" and post == first.posts[0]
    assert second.excerpt(post) == "第一段。"
    # Decoded through a faster builder, still a real, frozen Post.
    assert type(post) is Post
    with pytest.raises(AttributeError):
        post.title = "changed"  # type: ignore[misc]


def test_a_first_load_in_workers_leaves_excerpts_out_and_each_tooltip_still_finds_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"_posts/2022-01-{i + 1:02d}-p{i}.md": f"---\ntitle: 第{i}篇\n---\n第{i}段。\n\n后文。\n"
        for i in range(6)
    }
    files["_posts/2022-02-01-own.md"] = "---\nexcerpt: Its *own* words\n---\nBody.\n"
    root = write_files(tmp_path / "site", files)
    library = Library(root)
    for event in open_library(root, use_workers=True, workers=2):
        if isinstance(event, Snapshot):
            assert not event.from_cache and event.excerpts is not None
        library.apply(event)
        if isinstance(event, Done):
            event.state.close()
    assert len(library.posts) == 7
    # Neither the window nor the cache holds them (a fifth of the parse)...
    assert all(p.excerpt == "" for p in library.posts)
    with sqlite3.connect(database_path(root)) as conn:
        assert conn.execute("SELECT count(*) FROM files WHERE excerpt != ''").fetchone() == (0,)
    # ... yet each tooltip finds its own, as an in-process parse makes it.
    want = {p.path: p.excerpt for p in load_folder(root).posts}
    assert {p.path: library.excerpt(p) for p in library.posts} == want
    assert want["_posts/2022-02-01-own.md"] == "Its own words"
    # A file gone since, or one whose front matter takes too long, has none (never an error).
    own = library.post_at("_posts/2022-02-01-own.md")
    assert own is not None
    (root / own.path).unlink()
    assert library.excerpt(own) == ""
    monkeypatch.setattr(parse, "EXCERPT_SECONDS", 0)
    assert library.excerpt(library.posts[0]) == ""


def test_without_a_cache_a_first_load_keeps_its_excerpts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(tmp_path / "site", {"_posts/2022-01-01-a.md": "---\n---\n第一段。\n"})
    monkeypatch.setattr(FolderCache, "enabled", property(lambda self: False))
    events = list(open_library(root, use_workers=True, workers=2))
    (snapshot,) = [e for e in events if isinstance(e, Snapshot)]
    assert snapshot.excerpts is None
    (post,) = [p for e in events if isinstance(e, Added) for p in e.posts]
    assert post.excerpt == "第一段。"

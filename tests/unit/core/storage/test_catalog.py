"""The cache answers listings and searches exactly as a loaded library does (storage.catalog,
Folder.select / catch_up, search.build.sync_index)."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from reader.core import Folder, Query, SortKey, open_folder
from tests.conftest import SAMPLE_POSTS, write_files


def _post(title: str, when: str | None, cats: str = "", tags: str = "", extra: str = "") -> str:
    quoted = title.replace("\x1e", "\\x1e")  # YAML's double-quoted escape
    lines = ["---", f'title: "{quoted}"']
    if when is not None:
        lines.append(f"date: {when}")
    if cats:
        lines.append(f"categories: [{cats}]")
    if tags:
        lines.append(f"tags: [{tags}]")
    if extra:
        lines.append(extra)
    return "\n".join([*lines, "---", f"Body of {title} 监管 words"]) + "\n"


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    """Ties in date and title, undated posts, drafts, zones that move the local day,
    Chinese titles, names with separators (JSON rows), one post in several categories."""
    root = tmp_path / "site"
    files: dict[str, str] = {"_config.yml": "timezone: Asia/Shanghai\n"}
    for n in range(12):
        files[f"_posts/2021-03-0{n % 3 + 1}-p{n:02d}.md"] = _post(
            ["Same", "银行 监管", "alpha", "Beta"][n % 4],
            None
            if n % 5 == 0
            else f"2021-03-0{n % 3 + 1} 2{n % 4}:30:00 {['+08:00', '-05:00', 'Z'][n % 3]}",
            cats=["News", "news, Sport", "", "体育"][n % 4],
            tags=["a", "a, b", "", "b"][n % 4],
        )
    files["_posts/2021-03-04-sep.md"] = _post("odd\x1etitle", "2021-03-04", cats="Odd\x1fname")
    files["_drafts/draft-one.md"] = _post("Draft", None, cats="News")
    files["_posts/2021-03-05-unpub.md"] = _post("Hidden", "2021-03-05", extra="published: false")
    return write_files(root, files)


QUERIES = [
    Query(),
    Query(sort=SortKey.TITLE, descending=False),
    Query(sort=SortKey.TITLE, descending=True),
    Query(sort=SortKey.CATEGORY, descending=False),
    Query(sort=SortKey.DATE, descending=False),
    Query(categories=("News",)),
    Query(categories=("news", "Sport")),
    Query(categories=("体育",), sort=SortKey.TITLE, descending=False),
    Query(tags=("a",)),
    Query(tags=("a", "b"), categories=("news",)),
    Query(categories=("nowhere",)),
    Query(since=date(2021, 3, 2)),
    Query(until=date(2021, 3, 2)),
    Query(since=date(2021, 3, 2), until=date(2021, 3, 2), sort=SortKey.TITLE),
    Query(year=2021, month=3),
    Query(year=2020),
    Query(drafts_only=True),
    Query(text="BETA"),
    Query(exclude_paths=frozenset({"_posts/2021-03-01-p00.md"})),
    Query(paths=frozenset({"_posts/2021-03-02-p01.md", "_posts/2021-03-01-p03.md", "nope"})),
    Query(
        paths=frozenset({"_posts/2021-03-02-p01.md", "_posts/2021-03-01-p03.md"}),
        path_order=("_posts/2021-03-01-p03.md",),
    ),
    Query(paths=frozenset()),
]


def _loaded(root: Path, q: Query) -> list[object]:
    with open_folder(root) as folder:
        return list(folder.load().query(q))


def _selected(root: Path, q: Query) -> list[object]:
    with open_folder(root) as folder:
        assert folder.catch_up()
        posts = folder.select(q)
        assert not folder.loaded  # answered from the cache, not by loading
        return list(posts)


def _check_all(root: Path) -> None:
    _loaded(root, Query())  # writes the cache
    for q in QUERIES:
        assert _selected(root, q) == _loaded(root, q), q


def test_select_matches_the_loaded_library(tricky: Path) -> None:
    _check_all(tricky)
    assert _selected(tricky, Query(categories=("News",)))  # not trivially empty


def test_select_matches_on_the_sample_posts() -> None:
    _check_all(SAMPLE_POSTS)
    for cat in ("travel",):
        q = Query(categories=(cat,))
        assert _selected(SAMPLE_POSTS, q) == _loaded(SAMPLE_POSTS, q)


def test_select_matches_on_a_generated_folder(tmp_path: Path) -> None:
    from tests.benchmarks.generate import generate

    root = generate(tmp_path / "gen", 400, seed=3)
    _check_all(root)
    with open_folder(root) as folder:
        cats = sorted({c for p in folder.load().posts for c in p.categories})
    for cat in cats[:3]:
        for sort in SortKey:
            q = Query(categories=(cat,), sort=sort, descending=sort is SortKey.DATE)
            assert _selected(root, q) == _loaded(root, q)


def test_select_without_a_cache_first(tricky: Path) -> None:
    # Nothing cached yet: catching up parses everything, then answers like a load.
    got = _selected(tricky, Query(categories=("News",)))
    assert got == _loaded(tricky, Query(categories=("News",)))


def test_select_follows_changes_on_disk(tricky: Path) -> None:
    _check_all(tricky)
    (tricky / "_posts/2021-03-01-p00.md").unlink()
    changed = tricky / "_posts/2021-03-02-p01.md"
    changed.write_text(_post("Changed", "2022-01-01", cats="Fresh"), encoding="utf-8")
    os.utime(changed, ns=(1, 1))
    write_files(tricky, {"_posts/2021-04-01-new.md": _post("New", "2021-04-01", cats="Fresh")})
    fresh = _selected(tricky, Query(categories=("Fresh",)))
    assert [p.title for p in fresh] == ["Changed", "New"]  # type: ignore[attr-defined]
    assert _selected(tricky, Query(categories=("news",))) == _loaded(
        tricky, Query(categories=("news",))
    )
    for q in QUERIES:
        assert _selected(tricky, q) == _loaded(tricky, q), q


def test_a_file_rewritten_into_the_same_row_keeps_none_of_its_old_terms(tricky: Path) -> None:
    """A modified file's row is replaced; the file of the last row gets that row's number back
    (SQLite's next rowid), so its old categories and tags must go with the old row."""
    from reader.core.storage.cache import database_path

    _loaded(tricky, Query())
    conn = sqlite3.connect(database_path(tricky.resolve(), None))
    (last,) = conn.execute("SELECT path FROM files ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    changed = tricky / last
    changed.write_text(_post("Moved", "2021-03-09", cats="Elsewhere", tags="z"), encoding="utf-8")
    os.utime(changed, ns=(2, 2))
    for q in [*QUERIES, Query(categories=("Elsewhere",)), Query(tags=("z",))]:
        assert _selected(tricky, q) == _loaded(tricky, q), q
    conn = sqlite3.connect(database_path(tricky.resolve(), None))
    (now,) = conn.execute("SELECT path FROM files ORDER BY id DESC LIMIT 1").fetchone()
    orphans = conn.execute(
        "SELECT count(*) FROM file_terms WHERE file_id NOT IN (SELECT id FROM files)"
    ).fetchone()[0]
    conn.close()
    assert now == last and orphans == 0


def test_url_without_loading_is_the_loaded_one(tricky: Path) -> None:
    _loaded(tricky, Query())
    with open_folder(tricky) as folder:
        folder.catch_up()
        fast = {p.path: folder.url(p) for p in folder.select(Query())}
    with open_folder(tricky) as folder:
        folder.load()
        assert fast == {p.path: folder.url(p) for p in folder.posts}


def _search(folder: Folder, text: str, q: Query) -> list[object]:
    folder.update_index()
    return list(folder.select(folder.search(text, q).query))


@pytest.mark.parametrize(
    "text, q",
    [
        ("监管", Query()),
        ("监管", Query(categories=("News",))),
        ("alpha", Query(sort=SortKey.TITLE, descending=False)),
        ("Body -beta", Query(since=date(2021, 3, 2))),
        ("nothing-here", Query()),
    ],
)
def test_search_from_the_index_and_the_cache(tricky: Path, text: str, q: Query) -> None:
    with open_folder(tricky) as folder:
        folder.load()
        expected = _search(folder, text, q)
    with open_folder(tricky) as folder:
        assert folder.catch_up()
        assert _search(folder, text, q) == expected
        assert not folder.loaded


def test_index_is_not_read_again_when_nothing_changed(tricky: Path) -> None:
    with open_folder(tricky) as folder:
        folder.catch_up()
        folder.update_index()
    with open_folder(tricky) as folder:
        folder.catch_up()
        catalog = folder._view.current()
        assert catalog is not None
        assert folder.index.synced_with() == catalog.generation
        folder.update_index()
    # A changed post: the cache's generation moves, the index follows it.
    write_files(tricky, {"_posts/2021-05-01-late.md": _post("Late 监管", "2021-05-01")})
    with open_folder(tricky) as folder:
        folder.catch_up()
        hits = _search(folder, "Late", Query())
        assert [p.path for p in hits] == ["_posts/2021-05-01-late.md"]  # type: ignore[attr-defined]


def test_a_damaged_or_old_cache_is_rebuilt(tricky: Path, tmp_path: Path) -> None:
    import sqlite3

    from reader.core.storage.cache import database_path

    _loaded(tricky, Query())
    db = database_path(tricky.resolve(), None)
    # An old layout (version 1): rebuilt rather than read.
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    assert _selected(tricky, Query(categories=("News",))) == _loaded(
        tricky, Query(categories=("News",))
    )


def test_marks_need_every_post_only_to_recognise_the_folder_or_follow_a_rename(
    tricky: Path,
) -> None:
    with open_folder(tricky) as folder:
        assert folder.load().marks.bookmarked_paths() == set()  # the folder is now known
    with open_folder(tricky) as folder:
        folder.catch_up()
        assert folder.marks.bookmarked_paths() == set()
        assert not folder.loaded  # a known folder with nothing marked
        post = folder.select(Query(paths=frozenset({"_posts/2021-03-05-unpub.md"})))[0]
        folder.marks.add_bookmark(post)
    # The marked file's title changes: the stored title follows, from that post alone.
    path = tricky / post.path
    path.write_text(
        path.read_text(encoding="utf-8").replace("Hidden", "Unlisted"), encoding="utf-8"
    )
    with open_folder(tricky) as folder:
        folder.catch_up()
        assert folder.marks.bookmarked_paths() == {post.path}
        assert not folder.loaded  # the marked file is still a post: only it was read
        assert [b.title for b in folder.marks.bookmarks()] == ["Unlisted"]
    # Renamed: the bookmark follows it (same title and date), which needs every post.
    path.rename(path.with_name("2021-03-05-moved.md"))
    with open_folder(tricky) as folder:
        folder.catch_up()
        assert folder.marks.bookmarked_paths() == {"_posts/2021-03-05-moved.md"}
        assert folder.loaded
        assert [b.title for b in folder.marks.bookmarks()] == ["Unlisted"]


@pytest.mark.parametrize("site", ["multilingual", "issue_15", "hostile"])
def test_select_matches_on_the_fixture_sites(tmp_path: Path, site: str) -> None:
    from tests.fixtures import hostile, jekyll_sites

    root = tmp_path / site
    if site == "hostile":
        root.mkdir()
        hostile.make_hostile_folder(root)
    else:
        write_files(
            root, jekyll_sites.MULTILINGUAL if site == "multilingual" else jekyll_sites.ISSUE_15
        )
    _check_all(root)
    with open_folder(root) as folder:
        posts = folder.load().posts
        assert posts
        cats = sorted({c for p in posts for c in p.categories})
    for cat in cats[:4]:
        q = Query(categories=(cat,), sort=SortKey.TITLE, descending=False)
        assert _selected(root, q) == _loaded(root, q)


def test_derived_columns_from_the_loads_records_equal_those_from_the_rows(tricky: Path) -> None:
    # A load hands the cache the records it decoded already; what the cache derives from them
    # must be what it would derive by decoding the rows itself.
    from reader.core.reading.scan import scan_folder
    from reader.core.reading.workers import parse_in_process
    from reader.core.storage.catalog import derived_columns
    from reader.core.storage.codec import fingerprint_for

    scan = scan_folder(tricky)
    fingerprint = fingerprint_for(scan.site)
    batches = list(parse_in_process(scan, scan.candidates, zones=fingerprint.zones))
    rows = [row for b in batches for row in b.rows]
    posts = [post for b in batches for post in b.posts]
    assert len(posts) > 10
    from_records = derived_columns(rows, fingerprint, posts)
    assert from_records == derived_columns(rows, fingerprint)
    assert any(stamp is None for stamp, _day, _terms in from_records)  # undated posts too


def test_marks_load_the_folder_when_the_cache_cannot_be_read(
    tricky: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_folder(tricky) as folder:
        post = folder.load().posts[0]
        folder.marks.add_bookmark(post)
    from reader.core.storage.catalog import Catalog

    def broken(self: Catalog, q: Query, *, sort: bool = True) -> list[object]:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Catalog, "select", broken)
    with open_folder(tricky) as folder:
        folder.catch_up()
        assert folder.marks.bookmarked_paths() == {post.path}  # read, not an error
        assert folder.loaded

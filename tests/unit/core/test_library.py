"""The collection's queries, counts and link resolution."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.core.events import Added, Removed
from reader.core.library import Library, Query
from reader.core.post import Post, SortKey


def _post(
    path: str,
    title: str,
    day: int | None,
    cats: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    draft: bool = False,
) -> Post:
    date = datetime(2021, 1 + (day or 1) % 12, 1 + (day or 1) % 28, tzinfo=UTC) if day else None
    slug = path.rsplit("/", 1)[-1].split(".")[0][11:]
    return Post(path, title, date, cats, tags, slug=slug, draft=draft)


def _library() -> Library:
    return Library(
        Path("/x"),
        posts=[
            _post("_posts/2021-02-02-b.md", "Beta", 1, ("tech",), ("py", "qt")),
            _post("_posts/2021-03-03-a.md", "alpha", 2, ("tech", "life"), ("py",)),
            _post("_posts/2021-04-04-c.md", "Gamma 中文", 3, ("life",), ("qt",)),
            _post("_posts/2021-05-05-d.md", "Delta", None, (), (), draft=True),
        ],
    )


def _titles(lib: Library, q: Query) -> list[str]:
    return [lib.posts[i].title for i in lib.query(q)]


def test_default_is_newest_first_with_undated_last() -> None:
    assert _titles(_library(), Query()) == ["Gamma 中文", "alpha", "Beta", "Delta"]


def test_filters_combine() -> None:
    lib = _library()
    assert _titles(lib, Query(categories=("tech",))) == ["alpha", "Beta"]
    assert _titles(lib, Query(categories=("tech", "life"))) == ["alpha"]
    assert _titles(lib, Query(tags=("qt",))) == ["Gamma 中文", "Beta"]
    assert _titles(lib, Query(tags=("py",), categories=("life",))) == ["alpha"]
    assert _titles(lib, Query(drafts_only=True)) == ["Delta"]
    assert _titles(lib, Query(paths=frozenset({"_posts/2021-02-02-b.md", "gone.md"}))) == ["Beta"]
    assert _titles(lib, Query(text="中文")) == ["Gamma 中文"]
    assert _titles(lib, Query(text="ALPHA")) == ["alpha"]
    assert _titles(lib, Query(categories=("nope",))) == []


def test_exclusion_and_explicit_order() -> None:
    lib = _library()
    read = frozenset({"_posts/2021-02-02-b.md", "_posts/2021-05-05-d.md"})
    assert _titles(lib, Query(exclude_paths=read)) == ["Gamma 中文", "alpha"]
    order = ("_posts/2021-02-02-b.md", "_posts/2021-04-04-c.md")
    assert _titles(lib, Query(paths=frozenset(order), path_order=order)) == ["Beta", "Gamma 中文"]


def test_paths_in_a_given_order_answer_as_sorted_by_that_order() -> None:
    """A search's answer (`paths` in `path_order`) has its rows looked up together and kept
    in that order: the same rows as sorting every match by its place in `path_order` (what
    the query did before), with a category too, a partial or repeated order, an order naming
    a path not asked for, missing paths."""
    import random

    rng = random.Random(7)
    posts = [
        _post(f"_posts/2021-01-01-p{n}.md", f"T{n}", n % 40 or None, (f"c{n % 3}",), ())
        for n in range(120)
    ]
    lib = Library(Path("/x"), posts=posts)
    everything = [p.path for p in posts] + ["_posts/missing.md"]

    def sorted_by_place(q: Query) -> list[int]:
        plain = Query(categories=q.categories, sort=q.sort, descending=q.descending)
        allowed = set(lib.query(plain)) & {lib.index_of(p) for p in q.paths or ()}
        ranked = [i for i in lib.query(plain) if i in allowed]
        assert q.path_order is not None
        place = {
            lib.index_of(p): n for n, p in enumerate(q.path_order) if lib.index_of(p) is not None
        }
        return sorted(ranked, key=lambda i: place.get(i, len(q.path_order or ())))

    for trial in range(40):
        chosen = rng.sample(everything, rng.randint(0, 60))
        order = list(chosen)
        if trial % 4 == 1:
            order = order[: len(order) // 2]  # a partial order
        elif trial % 4 == 2 and order:
            order = [*order[1:], order[1 % len(order)]]  # one path twice, one left out
        elif trial % 4 == 3 and order:
            stranger = next(p for p in everything if p not in chosen)
            order = [stranger, *order[1:]]  # a path not asked for, one left out
        cats = ("c1",) if trial % 3 == 0 else ()
        q = Query(categories=cats, paths=frozenset(chosen), path_order=tuple(order))
        assert list(lib.query(q)) == sorted_by_place(q), trial


def test_sorts() -> None:
    lib = _library()
    assert _titles(lib, Query(sort=SortKey.TITLE, descending=False)) == [
        "alpha",
        "Beta",
        "Delta",
        "Gamma 中文",
    ]
    assert _titles(lib, Query(sort=SortKey.DATE, descending=False))[0] == "Delta"


def test_chinese_titles_sort_by_pinyin_among_latin_ones() -> None:
    titles = ["中文文章", "阿里巴巴", "Beta", "波士顿", "Zeta", "张三"]
    lib = Library(
        Path("/x"),
        posts=[_post(f"_posts/2021-01-0{i + 1}-p{i}.md", t, i + 1) for i, t in enumerate(titles)],
    )
    # By code point 中 (U+4E2D) would come before 张 (U+5F20) and 阿 (U+963F) last of all.
    assert _titles(lib, Query(sort=SortKey.TITLE, descending=False)) == [
        "阿里巴巴",
        "Beta",
        "波士顿",
        "Zeta",
        "张三",
        "中文文章",
    ]


def test_counts_and_archive() -> None:
    lib = _library()
    assert lib.category_counts() == [("life", 2), ("tech", 2)]
    assert lib.tag_counts() == [("py", 2), ("qt", 2)]
    assert [(y, m) for y, m, _n in lib.archive_counts()] == [(2021, 4), (2021, 3), (2021, 2)]
    assert lib.draft_count() == 1


def test_counts_leave_out_excluded_posts() -> None:
    # Hide Duplicates: the hidden copies count nowhere; a node they alone filled disappears.
    lib = _library()
    copies = {"_posts/2021-03-03-a.md", "_posts/not-in-library.md"}
    assert lib.category_counts(exclude=copies) == [("life", 1), ("tech", 1)]
    assert lib.tag_counts(exclude=copies) == [("qt", 2), ("py", 1)]
    assert [(y, m) for y, m, _n in lib.archive_counts(exclude=copies)] == [(2021, 4), (2021, 2)]
    assert lib.year_counts(exclude=copies) == [(2021, 2)]
    assert lib.year_counts(exclude=set()) == [(2021, 3)]


def test_archive_query_by_month() -> None:
    lib = _library()
    y, m, n = lib.archive_counts()[0]
    assert len(lib.query(Query(year=y, month=m))) == n == 1
    assert len(lib.query(Query(year=2021))) == 3


def test_changes_invalidate_indexes() -> None:
    lib = _library()
    assert len(lib.query(Query(categories=("tech",)))) == 2
    lib.apply(Added([_post("_posts/2021-06-06-e.md", "Epsilon", 4, ("tech",))], []))
    assert len(lib.query(Query(categories=("tech",)))) == 3
    lib.apply(Removed(["_posts/2021-02-02-b.md"]))
    assert _titles(lib, Query(categories=("tech",))) == ["Epsilon", "alpha"]


def test_resolve_links_to_posts() -> None:
    lib = _library()
    assert lib.resolve_link("/_posts/2021-03-03-a.md") == 1
    assert lib.resolve_link("2021-04-04-c.md", from_path="_posts/2021-02-02-b.md") == 2
    assert lib.resolve_link("/_post_url/2021-02-02-b") == 0
    assert lib.resolve_link("/2021/03/03/a.html") == 1
    assert lib.resolve_link("/tech/c/") == 2
    assert lib.resolve_link("https://example.org/a.html") is None
    assert lib.resolve_link("/../../etc/passwd") is None


def test_names_sort_by_pinyin_in_the_trees_a_to_z() -> None:
    from reader.core.library import sort_by_name

    counts = [("中文", 3), ("python", 1), ("安全", 2), ("Zeta", 5)]
    assert [name for name, _ in sort_by_name(counts)] == ["安全", "python", "Zeta", "中文"]


def test_title_order_by_buckets_is_the_plain_stable_sort() -> None:
    """The A–Z order is built bucket by bucket of the keys' first character (to keep few keys
    alive at once); it must be exactly one stable sort of the newest-first list by the key."""
    import random

    from reader.core.orders import _build_order, _title_key, _title_key_head

    rng = random.Random(3)
    pieces = [
        "银行",
        "新闻",
        "行",
        "xin",
        "Xa",
        "ß",
        "¡Hola",
        " 空格",
        "1号",
        "〇",
        "Ω",
        "",
        "—",
        "中",
    ]
    posts = [
        Post(f"{k}.md", "".join(rng.choices(pieces, k=rng.randint(0, 3))), None) for k in range(600)
    ]
    stamps = [rng.choice([float("-inf"), 1.0, 2.0, 3.0]) for _ in posts]
    newest = sorted(range(len(posts)), key=lambda i: -stamps[i])
    want = sorted(newest, key=lambda i: _title_key(posts[i].title))
    assert _build_order(posts, stamps, SortKey.TITLE).tolist() == want  # type: ignore[union-attr]
    assert all(_title_key_head(p.title) == _title_key(p.title)[:1] for p in posts)


def test_sorting_in_slices_is_one_stable_sort_either_way() -> None:
    """Orders are sorted in short slices merged in Python (so the GIL is never held long);
    with many slices and many equal keys, ascending or reversed, the result is `sorted`'s."""
    import random

    from reader.core.orders import _SLICE, _sorted_in_slices

    rng = random.Random(4)
    items = list(range(5 * _SLICE + 17))
    rng.shuffle(items)
    keys = [rng.randint(0, 40) for _ in items]
    for reverse in (False, True):
        want = sorted(items, key=keys.__getitem__, reverse=reverse)
        assert _sorted_in_slices(items, keys, reverse=reverse) == want


def test_a_long_sort_in_slices_stops_when_cancelled() -> None:
    """A million items take seconds to merge: a closing window must not wait for them."""
    from reader.core.orders import _MERGE_STEP, _SLICE, SortCancelled, _sorted_in_slices

    items = list(range(2 * _MERGE_STEP + 5))[::-1]
    keys = list(range(len(items)))
    assert _sorted_in_slices(items, keys, cancelled=lambda: False) == sorted(items)
    for after in (0, 3, len(items) // _SLICE + 1):  # while slicing, then while merging
        asked = iter(range(10**6))
        with pytest.raises(SortCancelled):
            _sorted_in_slices(items, keys, cancelled=lambda a=after, q=asked: next(q) >= a)

"""PathIndex answers as the dict of paths it replaces: found, missing, added later, merged."""

from __future__ import annotations

from reader.core import PostTable, path_index
from reader.core.path_index import PathIndex
from tests.unit.core.test_table import ODD_POSTS, _post


def test_it_answers_as_a_dict_of_the_paths() -> None:
    posts = [_post(n, path=f"_posts/2021-01-01-{n}.md") for n in range(500)] + ODD_POSTS
    table = PostTable(posts)
    index = PathIndex(table)
    expected = {p.path: i for i, p in enumerate(posts)}
    assert len(index) == len(expected)
    for path, i in expected.items():
        assert index.get(path) == index[path] == i
        assert path in index
    assert index.get("_posts/missing.md") is None
    assert index.get("_posts/missing.md", -1) == -1
    assert "_posts/missing.md" not in index
    assert 3 not in index


def test_posts_added_later_are_found_beside_those_it_was_built_with(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(path_index, "_FIRST_SIZE", 4)  # many posts for few slots at first
    table = PostTable([_post(n, path=f"a/{n}.md") for n in range(100)])
    index = PathIndex(table)
    assert len(index) * 3 <= len(index._rows) * 2  # at most two slots in three used
    for n in range(100, 200):
        table.append(_post(n, path=f"a/{n}.md"))
        index[f"a/{n}.md"] = n
    assert len(index) == 200
    assert all(index.get(f"a/{k}.md") == k for k in range(200))
    # A path added again (a post re-read after a change) gives its new number.
    table.append(_post(200, path="a/5.md"))
    index["a/5.md"] = 200
    assert index["a/5.md"] == 200


def test_a_path_held_twice_gives_its_last_post() -> None:
    table = PostTable([_post(0, path="x.md"), _post(1, path="y.md"), _post(2, path="x.md")])
    assert PathIndex(table).get("x.md") == {p.path: i for i, p in enumerate(table)}["x.md"] == 2


def test_paths_with_the_same_hash_are_told_apart(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Every path hashed alike: the index must compare the paths themselves.
    monkeypatch.setattr(path_index, "hash", lambda _s: 42, raising=False)
    table = PostTable([_post(n, path=f"b/{n}.md") for n in range(50)])
    index = PathIndex(table)
    assert [index.get(f"b/{n}.md") for n in range(50)] == list(range(50))
    assert index.get("b/50.md") is None


def test_rows_of_many_paths_at_once() -> None:
    table = PostTable([_post(n, path=f"c/{n}.md") for n in range(50)])
    index = PathIndex(table)
    table.append(_post(50, path="c/50.md"))
    index["c/50.md"] = 50
    wanted = [f"c/{n}.md" for n in (3, 17, 50)] + ["c/missing.md"]
    assert index.rows_of(wanted) == {3, 17, 50} == {index.get(p) for p in wanted} - {None}

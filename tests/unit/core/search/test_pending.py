"""A search in two steps (`Folder.search_first`): the first page at once, then every match
with its count from `finish()` on another thread and connection, the same as `search`."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.core import Query, SortKey, open_folder
from reader.core.search.index import Doc
from tests.conftest import write_files


def _folder_of(tmp_path: Path, count: int) -> Path:
    files = {}
    for n in range(count):
        cat = "news" if n % 3 else "other"
        files[f"_posts/2021-{1 + n % 12:02d}-{1 + n % 28:02d}-p{n}.md"] = (
            f"---\ntitle: Post {n}\ncategories: [{cat}]\n---\n"
            + ("市场监管 总局" if n % 4 else "别的 内容")
            + f" word{n}\n"
        )
    return write_files(tmp_path / "site", files)


@pytest.mark.parametrize(
    "text, q, order",
    [
        ("监管", Query(), "date"),
        ("监管", Query(categories=("news",)), "date"),
        ("监管", Query(), "relevance"),
        ("监管", Query(sort=SortKey.TITLE, descending=False), "date"),
        ("监管", Query(sort=SortKey.TITLE, descending=True), "relevance"),
        ("-监管", Query(), "relevance"),  # nothing to rank by: newest first
        ("监管 -word8", Query(categories=("other",)), "date"),
        ("word7", Query(), "date"),  # fewer hits than a page: counted at once
        ("nothing-like-this", Query(), "date"),
    ],
)
def test_the_first_page_now_and_every_match_later_are_the_search(
    tmp_path: Path, text: str, q: Query, order: str
) -> None:
    with open_folder(_folder_of(tmp_path, 90)) as folder:
        folder.load()
        folder.update_index()
        whole = folder.search(text, q, order)  # type: ignore[arg-type]
        pending = folder.search_first(text, q, order, page=10)  # type: ignore[arg-type]
        assert pending.first.paths == whole.paths[:10]
        assert pending.first.terms == whole.terms
        if len(whole.paths) > 10:
            assert pending.first.total is None  # not counted yet
        else:
            assert pending.first.total == whole.total
        got = []
        worker = threading.Thread(target=lambda: got.append(pending.finish()))
        worker.start()
        worker.join()
        assert got[0] == whole  # paths, their order, the Query, the total, the terms
        assert list(folder.library.query(got[0].query)) == list(folder.library.query(whole.query))
        # As rows: the same posts in the same order, the same total and terms, no paths held.
        again = folder.search_first(text, q, order, page=10)  # type: ignore[arg-type]
        as_rows = again.finish_rows(folder.library)
        assert as_rows is not None
        slim, rows = as_rows
        assert list(rows) == list(folder.library.query(whole.query))
        assert (slim.total, slim.terms, slim.paths) == (whole.total, whole.terms, ())
        assert list(folder.library.query(slim.query)) == []  # its query lists nothing itself


def test_the_rest_is_read_beside_a_search_and_a_write_on_the_folders_own_index(
    tmp_path: Path,
) -> None:
    """`finish` reads on its own connection: the folder's index may be searched and written
    meanwhile, and the answer is the one of when it read."""
    with open_folder(_folder_of(tmp_path, 60)) as folder:
        folder.load()
        folder.update_index()
        pending = folder.search_first("监管", page=5)
        index = folder.index
        got: list[object] = []
        worker = threading.Thread(target=lambda: got.append(pending.finish()), daemon=True)
        with index._rlock, index._wlock:  # the folder's own reader and writer are busy
            worker.start()
            worker.join(timeout=30)
            assert got, "finish() waited for the folder's own connections"
        result = got[0]
        assert result is not None and result.total == folder.search("监管").total  # type: ignore[attr-defined]


def test_an_index_that_cannot_be_read_leaves_the_first_page(tmp_path: Path) -> None:
    with open_folder(_folder_of(tmp_path, 60)) as folder:
        folder.load()
        folder.update_index()
        pending = folder.search_first("监管", page=5)
        assert pending.index_path is not None
        pending.index_path = tmp_path / "gone" / "index.sqlite3"
        assert pending.finish() is None
        assert len(pending.first.paths) == 5


def test_a_cancelled_search_reads_no_rest(tmp_path: Path) -> None:
    with open_folder(_folder_of(tmp_path, 60)) as folder:
        folder.load()
        folder.update_index()
        pending = folder.search_first("监管", page=5)
        pending.cancel()
        assert pending.finish() is None
        again = folder.search_first("监管", page=5)
        assert again.finish() == folder.search("监管")


def test_rows_leave_out_hits_the_library_does_not_hold_and_stop_when_cancelled(
    tmp_path: Path,
) -> None:
    """The index may hold a post the library has not (yet) listed: its hit counts, its row is
    left out, as `Library.query` leaves out a path it does not know. A cancel answers None."""
    root = _folder_of(tmp_path, 60)
    with open_folder(root) as folder:
        folder.load()
        folder.update_index()
        assert folder.index is not None
        folder.index.add_many([Doc("_posts/elsewhere.md", "t", "市场监管", 1.0e9)])
        whole = folder.search("监管")
        pending = folder.search_first("监管", page=5)
        answer = pending.finish_rows(folder.library)
        assert answer is not None
        slim, rows = answer
        assert slim.total == whole.total == len(rows) + 1
        assert list(rows) == list(folder.library.query(whole.query))
        cancelled = folder.search_first("监管", page=5)
        cancelled.cancel()
        assert cancelled.finish_rows(folder.library) is None


def test_a_first_page_that_is_every_match_gives_its_rows_in_the_lists_order(
    tmp_path: Path,
) -> None:
    """Fewer hits than a page: no second reading, and the rows still follow the list's sort,
    without the hit the library does not hold."""
    with open_folder(_folder_of(tmp_path, 90)) as folder:
        folder.load()
        folder.update_index()
        assert folder.index is not None
        folder.index.add_many([Doc("_posts/elsewhere.md", "t", "别的 内容", 1.0e9)])
        q = Query(sort=SortKey.TITLE, descending=False)
        pending = folder.search_first("别的", q, page=200)
        whole = folder.search("别的", q)
        assert pending.first.total == whole.total == len(whole.paths)
        assert "_posts/elsewhere.md" in whole.paths  # a hit the library does not hold
        answer = pending.finish_rows(folder.library)
        assert answer is not None
        slim, rows = answer
        assert list(rows) == list(folder.library.query(whole.query)) and len(rows) > 5
        assert slim.total == whole.total and slim.paths == ()

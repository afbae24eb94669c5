"""The index's rows: found by path, told changed by their file's stats, compacted."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from reader.core.duplicates.fingerprint import text_fingerprint
from reader.core.duplicates.index import DuplicateIndex
from reader.core.duplicates.rows import PostRows, stamp, stamps
from reader.core.post import Post
from tests.benchmarks.generate import body

T0 = datetime(2021, 12, 8, 10, 0)


def post(path: str, minutes: int = 0, size: int = 100, mtime_ns: int = 1) -> Post:
    return Post(path, "t", T0 + timedelta(minutes=minutes), (), (), size=size, mtime_ns=mtime_ns)


def test_stamps_in_numpy_equal_the_scalar_stamp() -> None:
    posts = [post("a", size=s, mtime_ns=m) for s, m in [(0, 0), (7, 2**62 + 5), (2**40, 1)]]
    assert stamps(posts).tolist() == [stamp(p.size, p.mtime_ns) for p in posts]
    assert stamp(7, 1) != stamp(7, 2) and stamp(7, 1) != stamp(8, 1)


def test_changes_are_new_changed_and_gone_posts() -> None:
    rows = PostRows()
    for name in ("a", "b", "c"):
        rows.append(name, None, stamp(100, 1), None)
    now = [post("a"), post("b", size=101), post("d")]
    added, removed = rows.changes(now)
    assert [p.path for p in added] == ["b", "d"]
    assert removed == ["c"]
    assert rows.present(["a", "c", "x"]) == [True, True, False]


def test_rows_survive_compaction() -> None:
    text = body(random.Random(1), 2000, "1")
    index = DuplicateIndex()
    for i in range(1500):
        index.add(f"p{i:04d}.md", T0 + timedelta(minutes=i), None)
    index.add("copy-b.md", T0 + timedelta(days=2), text_fingerprint(text))
    for i in range(1200):
        index.remove(f"p{i:04d}.md")
    for i in range(2000, 2600):  # growing past the arrays compacts the removed rows away
        index.add(f"p{i:04d}.md", T0 + timedelta(minutes=i), None)
    index.add("copy-a.md", T0 + timedelta(days=1), text_fingerprint(text))
    assert index._rows._n < 1500  # compacted: the removed rows are gone (a white-box check)
    assert "p0000.md" not in index and "p1200.md" in index and "p2599.md" in index
    assert index.groups() == [["copy-a.md", "copy-b.md"]]
    assert len(index) == 2


def test_paths_are_found_after_removal_and_re_adding_around_a_sort() -> None:
    rows = PostRows()
    names = [f"p{i}" for i in range(3000)]
    for name in names[:2000]:
        rows.append(name, None, stamp(1, 1), None)
    assert rows.present(names[1990:2010]) == [True] * 10 + [False] * 10  # sorts the lookup
    assert rows.remove("p5") and not rows.remove("p5")
    rows.append("p5", None, stamp(2, 2), None)  # its removed row is still in the sorted array
    for name in names[2000:]:
        rows.append(name, None, stamp(1, 1), None)
    assert all(rows.present(names))
    assert rows.remove("p2500")
    assert rows.present(["p5", "p2500", "p2999", "x"]) == [True, False, True, False]
    added, removed = rows.changes([post(n, size=1, mtime_ns=1) for n in names if n != "p7"])
    assert [p.path for p in added] == ["p5", "p2500"]  # changed stamp, and removed
    assert removed == ["p7"]

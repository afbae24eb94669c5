"""End to end on a small folder shaped like the users' archive (tests/benchmarks/generate_archive):
every planted name is established and never a wrong page's title; planted copies are grouped,
earliest first, and the look-alike pairs are not."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from reader.core import find_duplicates, folder_category_names, open_folder
from tests.benchmarks.generate_archive import generate_archive


@pytest.mark.slow
def test_names_and_duplicates_on_a_generated_archive(tmp_path: Path) -> None:
    truth = generate_archive(tmp_path, posts=200, categories=25, seed=3)
    with open_folder(tmp_path) as folder:
        folder.load()
        names = folder_category_names(tmp_path, folder.posts)
        assert {slug: n.name for slug, n in names.items()} == truth.names
        assert names["emnews"].name_from == "one-to-one tag"

        index = find_duplicates(folder.posts, read=lambda p: folder.body(p)[0], workers=0)
    found = {(g[0], frozenset(g)) for g in index.groups()}
    assert found == {(g[0], frozenset(g)) for g in truth.groups}
    linked = {frozenset(p) for g in index.groups() for p in itertools.combinations(g, 2)}
    assert truth.must_not_merge
    assert not any(frozenset(pair) in linked for pair in truth.must_not_merge)

"""Agreement with what Jekyll 4.3.1 itself reads from real sites (../shared/corpus/EXPECTED).

`post-reader list --json` is run as a user would run it, with TZ=UTC (the zone EXPECTED was built
in). Every difference from Jekyll is deliberate, listed in DELIBERATE below and in the README.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reader.core.reading.parse import split_front_matter
from tests.conftest import REPO, shared_path

SITES = {
    "zning1994+finews.jsonl": "zning1994+finews",
    "mmistakes+minimal-mistakes.jsonl": "mmistakes+minimal-mistakes",
    "jekyll+jekyll-docs.jsonl": "jekyll+jekyll/docs",
}

# Jekyll ignores front matter after a blank line; we read it (with a warning).
DELIBERATE = {"_posts/2021-12-08-202112082206703990.md": {"date", "categories", "tags", "title"}}


def _list_json(folder: Path) -> list[dict[str, object]]:
    env = {**os.environ, "TZ": "UTC"}
    out = subprocess.run(
        [sys.executable, "-m", "reader", "list", str(folder), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
        timeout=120,
    )
    data = json.loads(out.stdout)
    assert isinstance(data, list)
    return data


def _front_matter_title(path: Path) -> str | None:
    fm = split_front_matter(path.read_text(encoding="utf-8")).front_matter
    if not fm:
        return None
    data = yaml.safe_load(fm)
    title = data.get("title") if isinstance(data, dict) else None
    return title if isinstance(title, str) and title.strip() else None


@pytest.mark.parametrize("expected_file", sorted(SITES))
def test_list_json_agrees_with_jekyll(expected_file: str) -> None:
    expected_path = shared_path("corpus", "EXPECTED", expected_file)
    folder = shared_path("corpus", *SITES[expected_file].split("/"))
    got = {p["path"]: p for p in _list_json(folder)}
    expected = [json.loads(line) for line in expected_path.read_text().splitlines() if line]
    assert expected
    mismatches = []
    for exp in expected:
        post = got.get(exp["path"])
        assert post is not None, f"Jekyll reads {exp['path']}; we did not"
        skip = DELIBERATE.get(exp["path"], set())
        keys = ["date", "categories", "tags"]
        if _front_matter_title(folder / exp["path"]) is not None:
            keys.append("title")
        for key in keys:
            if key not in skip and post[key] != exp[key]:
                mismatches.append((exp["path"], key, post[key], exp[key]))
    assert mismatches == []
    # Posts Jekyll does not read are still shown, each with a warning saying why.
    extra = set(got) - {e["path"] for e in expected}
    for path in extra:
        assert any("Jekyll" in w for w in got[path]["warnings"]), (path, got[path]["warnings"])


def test_deliberate_difference_blank_line_before_front_matter() -> None:
    folder = shared_path("corpus", "zning1994+finews")
    post = next(p for p in _list_json(folder) if p["path"] in DELIBERATE)
    assert post["title"] == "FF：有充足的现金支持到FF 91完成投产"
    assert post["categories"] == ["emnews"]
    assert any("blank lines before the front matter" in w for w in post["warnings"])


def test_json_has_exactly_the_documented_keys() -> None:
    posts = _list_json(shared_path("corpus", "jekyll+jekyll", "docs"))
    keys = {
        "path",
        "title",
        "date",
        "categories",
        "tags",
        "slug",
        "format",
        "draft",
        "published",
        "warnings",
        "url",
        "bookmarked",
    }
    assert posts and all(set(p) == keys for p in posts)


def test_no_corpus_file_makes_the_load_fail() -> None:
    corpus = shared_path("corpus")
    out = subprocess.run(
        [sys.executable, "-m", "reader", "problems", str(corpus), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=120,
    )
    assert json.loads(out.stdout) == []


def test_seeds_list_as_their_two_posts() -> None:
    posts = _list_json(shared_path("seeds"))
    assert [(p["title"], p["date"], p["categories"], p["tags"]) for p in posts] == [
        (
            "好服务营造好环境",
            "2022-03-25T15:09:18+08:00",
            ["zhongguoshichangjianguanxinwenwang"],
            ["中国市场监管新闻网新闻"],
        ),
        (
            "贯彻新发展理念 创造高品质生活",
            "2022-02-10T09:39:56+08:00",
            ["zhongguoshichangjianguanxinwenwang"],
            ["中国市场监管新闻网新闻"],
        ),
    ]

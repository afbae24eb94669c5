"""`post-reader timeline`, `related` and `list --since/--until`: the counts per period agree
with what the list shows for each period's range."""

from __future__ import annotations

import json

import pytest

from reader.cli import main
from reader.core import Query, open_folder
from tests.conftest import SAMPLE_POSTS


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_every_period_counts_what_list_shows_for_its_days(
    capsys: pytest.CaptureFixture[str],
) -> None:
    timeline = _json(capsys, "timeline", str(SAMPLE_POSTS), "--by", "month", "--json")
    assert isinstance(timeline, dict)
    buckets = timeline["buckets"]
    listed = _json(capsys, "list", str(SAMPLE_POSTS), "--json")
    assert isinstance(listed, list)
    assert timeline["total"] == len(listed) and sum(b["count"] for b in buckets) == len(listed)
    for b in buckets:
        rows = _json(
            capsys, "list", str(SAMPLE_POSTS), "--json", "--since", b["start"], "--until", b["end"]
        )
        assert len(rows) == b["count"], b  # type: ignore[arg-type]


def test_a_filtered_timeline_and_the_facade_agree(capsys: pytest.CaptureFixture[str]) -> None:
    timeline = _json(capsys, "timeline", str(SAMPLE_POSTS), "--category", "旅行", "--json")
    with open_folder(SAMPLE_POSTS) as folder:
        folder.load()
        expected = folder.timeline(Query(categories=("旅行",)))
    assert timeline == expected.to_json()
    assert expected.total == len(folder.query(Query(categories=("旅行",))))


def test_a_bad_day_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", str(SAMPLE_POSTS), "--since", "last week"]) == 2
    assert "--since must be a day written YYYY-MM-DD" in capsys.readouterr().err


def test_related_lists_other_posts_never_itself(capsys: pytest.CaptureFixture[str]) -> None:
    path = "travel/_posts/2023-05-02-hangzhou-west-lake.md"
    rows = _json(capsys, "related", str(SAMPLE_POSTS), path, "--json")
    assert isinstance(rows, list) and 0 < len(rows) <= 5
    assert path not in [r["path"] for r in rows]
    assert {"path", "title", "date", "source", "reason", "score"} <= set(rows[0])

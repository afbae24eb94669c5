"""Jekyll's rules: file names, dates in the site zone, categories, tags and titles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reader.core.reading import jekyll
from tests.conftest import load_folder, write_files

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = UTC


@pytest.mark.parametrize(
    ("name", "day", "slug", "ext"),
    [
        ("2021-12-08-hello-world.md", date(2021, 12, 8), "hello-world", ".md"),
        ("2021-1-8-short.markdown", date(2021, 1, 8), "short", ".markdown"),
        ("99-01-02-two-digit.md", date(1999, 1, 2), "two-digit", ".md"),
        ("2025-02-17-first copy.md", date(2025, 2, 17), "first copy", ".md"),
        ("2021-12-08-trailing-dots...md", date(2021, 12, 8), "trailing-dots", ".md"),
        ("no-date-here.md", None, "no-date-here", ".md"),
    ],
)
def test_parse_filename(name: str, day: date | None, slug: str, ext: str) -> None:
    parts = jekyll.parse_filename(name)
    assert (parts.date, parts.slug, parts.ext) == (day, slug, ext)


def test_filename_with_impossible_date_is_flagged() -> None:
    parts = jekyll.parse_filename("2021-13-45-nope.md")
    assert parts.date is None and parts.bad_date == "2021-13-45"


def test_titleize_slug_matches_ruby_capitalize() -> None:
    assert jekyll.titleize_slug("hello-WORLD-again") == "Hello World Again"
    assert jekyll.titleize_slug("피터모빌의 UX 7요소") == "피터모빌의 ux 7요소"


def _site_post(tmp_path: Path, date_line: str, tz: str | None = "Asia/Shanghai") -> str | None:
    config = f"timezone: {tz}\n" if tz else "title: x\n"
    write_files(
        tmp_path,
        {
            "_config.yml": config,
            "_posts/2021-12-08-x.md": f"---\ntitle: t\n{date_line}\n---\nbody\n",
        },
    )
    lib = load_folder(tmp_path)
    assert len(lib.posts) == 1, lib.problems
    d = lib.posts[0].date
    return d.isoformat() if d else None


# The guide's table of what Jekyll 4.3.1 does with `timezone: Asia/Shanghai`.
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date: 2021-12-08 12:45:50", "2021-12-08T20:45:50+08:00"),
        ('date: "2021-12-08 12:45:50"', "2021-12-08T12:45:50+08:00"),
        ("date: 2021-12-08 12:45", "2021-12-08T12:45:00+08:00"),
        ("date: 2021-12-08 12:45:50 +0800", "2021-12-08T12:45:50+08:00"),
        ("date: 2021-12-08T12:45:50+05:00", "2021-12-08T15:45:50+08:00"),
        ("date: 2021-12-08", "2021-12-08T00:00:00+08:00"),
        ("", "2021-12-08T00:00:00+08:00"),
        ("date: 2021-12-08 12:45:50 -0800", "2021-12-09T04:45:50+08:00"),
        ("date: 2021-12-08 12:45:50 Z", "2021-12-08T20:45:50+08:00"),
    ],
)
def test_dates_follow_jekyll_in_the_site_zone(tmp_path: Path, line: str, expected: str) -> None:
    assert _site_post(tmp_path, line) == expected


def test_site_without_timezone_uses_the_machine_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert _site_post(tmp_path, "date: 2021-12-08 12:45:50 +0800", tz=None) == (
        "2021-12-07T23:45:50-05:00"
    )


@pytest.mark.parametrize(
    ("line", "warning_part"),
    [
        ("date:  +0800", "unreadable date"),
        ("date: 2021-13-45", "impossible date"),
        ("date: not a date", "unreadable date"),
        ("date: [2021]", "list"),
        ("date: 2021-12-08 25:61:00", "impossible date"),
    ],
)
def test_broken_dates_fall_back_to_the_file_name(
    tmp_path: Path, line: str, warning_part: str
) -> None:
    assert _site_post(tmp_path, line) == "2021-12-08T00:00:00+08:00"
    post = load_folder(tmp_path).posts[0]
    assert any(warning_part in w and "file name" in w for w in post.warnings), post.warnings


def test_date_with_trailing_junk_keeps_date_and_time_as_ruby_does(tmp_path: Path) -> None:
    # Jekyll's own release post has `date: 2023-01-29 18:30:22 2023 -0800`; Jekyll reads 18:30:22.
    assert _site_post(tmp_path, "date: 2023-01-29 18:30:22 2023 -0800", tz="UTC") == (
        "2023-01-29T18:30:22+00:00"
    )
    post = load_folder(tmp_path).posts[0]
    assert any("trailing text" in w for w in post.warnings)


def test_broken_date_without_file_date_is_none(tmp_path: Path) -> None:
    write_files(tmp_path, {"_posts/nodate.md": "---\ntitle: t\ndate: +0800\n---\nx\n"})
    post = load_folder(tmp_path).posts[0]
    assert post.date is None
    assert any("no date" in w for w in post.warnings)
    assert any("Jekyll would skip" in w for w in post.warnings)


def test_parse_date_string_offsets() -> None:
    r = jekyll.parse_date_string("2021-12-08 12:45:50 +0530", None, UTC)
    assert r.value.utcoffset() == timedelta(hours=5, minutes=30)
    r = jekyll.parse_date_string("2021-12-08", SHANGHAI, UTC)
    assert r.value == datetime(2021, 12, 8, tzinfo=SHANGHAI)
    with pytest.raises(jekyll.DateError):
        jekyll.parse_date_string("2021-12-08 10:00 +2500", None, UTC)


def test_categories_from_folders_then_front_matter(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "movies/horror/_posts/2020-01-01-a.md": "---\ncategories: [horror, reviews]\n---\nx",
            "movies/horror/_posts/sub/2020-01-02-b.md": "---\ncategory: Two Words\n---\nx",
            "_posts/2020-01-03-c.md": "---\ncategories: one two\ncategory: three\n---\nx",
        },
    )
    lib = load_folder(tmp_path)
    by = {p.path: p for p in lib.posts}
    assert by["movies/horror/_posts/2020-01-01-a.md"].categories == ("movies", "horror", "reviews")
    # folders inside `_posts` are not categories; `category` is never split
    assert by["movies/horror/_posts/sub/2020-01-02-b.md"].categories == (
        "movies",
        "horror",
        "Two Words",
    )
    assert by["_posts/2020-01-03-c.md"].categories == ("one", "two", "three")


def test_tags_rules(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "_posts/2020-01-01-a.md": "---\ntags: alpha beta alpha\n---\nx",
            "_posts/2020-01-02-b.md": "---\ntags: [x y, z]\n---\nx",
            "_posts/2020-01-03-c.md": "---\ntag: only one\ntags: ignored\n---\nx",
            "_posts/2020-01-04-d.md": "---\ntags: 2021\n---\nx",
            "_posts/2020-01-05-e.md": "---\ntags: {a: 1, b: 2}\n---\nx",
            "_posts/2020-01-06-f.md": "---\ntags: [[nested, list], 3]\n---\nx",
        },
    )
    by = {p.slug: p for p in load_folder(tmp_path).posts}
    assert by["a"].tags == ("alpha", "beta")
    assert by["b"].tags == ("x y", "z")
    assert by["c"].tags == ("only one",)
    assert by["d"].tags == ("2021",) and any("not a list" in w for w in by["d"].warnings)
    assert by["e"].tags == ("a", "b") and any("mapping" in w for w in by["e"].warnings)
    assert by["f"].tags == ("nested", "list", "3")


def test_titles_front_matter_heading_sentence_slug(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "_posts/2020-01-01-given.md": "---\ntitle: '  Given   Title '\n---\n# Heading",
            "_posts/2020-01-02-heading.md": "---\ntitle: ''\n---\nintro\n\n## The **Heading**\n",
            "_posts/2020-01-03-html-heading.html": "---\n---\n<p>x</p><h2>HTML <em>h</em></h2>",
            "_posts/2020-01-04-sentence.md": "---\n---\n第一句话很短。第二句话。",
            "_posts/2020-01-05-long.md": "---\n---\n" + "字" * 200,
            "_posts/2020-01-06-empty-body.md": "---\ntitle:\n---\n",
            "_posts/2020-01-07-list-title.md": "---\ntitle: [a, b]\n---\n",
            "_posts/2020-01-08-number-title.md": "---\ntitle: 2021\n---\n",
        },
    )
    by = {p.slug: p for p in load_folder(tmp_path).posts}
    assert by["given"].title == "Given Title"
    assert by["heading"].title == "The Heading"
    assert by["html-heading"].title == "HTML h"
    assert by["sentence"].title == "第一句话很短。"
    assert len(by["long"].title) == 80 and by["long"].title.endswith("…")
    assert by["empty-body"].title == "Empty Body"
    assert by["list-title"].title == "a b" and by["list-title"].warnings
    assert by["number-title"].title == "2021"


def test_published_false_and_drafts(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "_posts/2020-01-01-hidden.md": "---\npublished: false\n---\nx",
            "_drafts/work-in-progress.md": "---\ntitle: WIP\n---\nx",
        },
    )
    by = {p.slug: p for p in load_folder(tmp_path).posts}
    assert by["hidden"].published is False
    draft = by["work-in-progress"]
    assert draft.draft is True and draft.date is not None  # the file's modification time


def test_skip_rules(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "_config.yml": "exclude: [private]\n",
            "_posts/2020-01-01-ok.md": "---\n---\nx",
            "_posts/.2020-01-01-hidden.md": "---\n---\nx",
            "_posts/_2020-01-01-underscore.md": "---\n---\nx",
            "_posts/#2020-01-01-hash.md": "---\n---\nx",
            "_posts/~2020-01-01-tilde.md": "---\n---\nx",
            "_posts/2020-01-01-backup.md~": "---\n---\nx",
            "_site/_posts/2020-01-01-built.md": "---\n---\nx",
            "node_modules/_posts/2020-01-01-nm.md": "---\n---\nx",
            "vendor/_posts/2020-01-01-v.md": "---\n---\nx",
            "private/_posts/2020-01-01-p.md": "---\n---\nx",
            "_hidden/_posts/2020-01-01-h.md": "---\n---\nx",
            "notes.md": "---\ntitle: not a post in site mode\n---\nx",
        },
    )
    assert [p.path for p in load_folder(tmp_path).posts] == ["_posts/2020-01-01-ok.md"]

"""Times written without an offset: Jekyll reads `date: 2021-12-08 10:46:18` as UTC (shown 8
hours later in an Asia/Shanghai site), which puts every scraped Beijing time of the first
users' archive 8 hours late. Jekyll's reading stays the default, with a warning on the post;
the folder's choice reads such times in the site's zone, for the list, the archive and JSON."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reader.core import Query, open_folder
from tests.conftest import write_files

POSTS = {
    "_config.yml": "timezone: Asia/Shanghai\n",
    "_posts/2021-12-08-naive.md": "---\ntitle: N\ndate: 2021-12-08 20:46:18\n---\nx\n",
    "_posts/2021-12-08-offset.md": "---\ntitle: O\ndate: 2021-12-08 10:46:18 +0800\n---\nx\n",
    "_posts/2021-12-08-quoted.md": '---\ntitle: Q\ndate: "2021-12-08 10:46:18"\n---\nx\n',
}


def _dates(
    root: Path, cache: Path, naive_in_site_zone: bool
) -> dict[str, tuple[str, tuple[str, ...]]]:
    with open_folder(root, cache_dir=cache, naive_times_in_site_zone=naive_in_site_zone) as f:
        f.load()
        return {p.title: (p.date.isoformat() if p.date else "", p.warnings) for p in f.posts}


def test_jekylls_reading_by_default_with_a_warning(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", POSTS)
    dates = _dates(root, tmp_path / "cache", False)
    assert dates["N"][0] == "2021-12-09T04:46:18+08:00"  # UTC, shown in the site zone
    assert "no time zone: read as UTC, as Jekyll does" in dates["N"][1][0]
    assert "shown 8 hours later" in dates["N"][1][0]
    # A string (quoted, or with an offset) is read as Jekyll reads it, and needs no warning.
    assert dates["O"] == ("2021-12-08T10:46:18+08:00", ())
    assert dates["Q"] == ("2021-12-08T10:46:18+08:00", ())


def test_the_folders_choice_reads_them_in_the_site_zone(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", POSTS)
    cache = tmp_path / "cache"
    _dates(root, cache, False)  # a cache written under Jekyll's reading first
    dates = _dates(root, cache, True)
    assert dates["N"] == ("2021-12-08T20:46:18+08:00", ())
    assert dates["O"][0] == "2021-12-08T10:46:18+08:00"
    # The archive and day filters follow: the post is on the 8th, not the 9th.
    with open_folder(root, cache_dir=cache, naive_times_in_site_zone=True) as f:
        f.load()
        on_8th = f.query(Query(since=date(2021, 12, 8), until=date(2021, 12, 8)))
        assert {p.title for p in on_8th} == {"N", "O", "Q"}
    assert _dates(root, cache, False)["N"][0] == "2021-12-09T04:46:18+08:00"  # and back

"""Reading category pages and `_data/` name mappings from a folder, safely."""

from __future__ import annotations

import os
from pathlib import Path

from reader.core.sources.names import folder_category_names
from reader.core.sources.site_files import read_site_names
from tests.conftest import write_files

PAGE = "---\nlayout: category\ntitle: {title}\ncategory: {slug}\n---\n"


def test_category_pages_and_data_mappings_are_read(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "category/zhongguoshichangjianguanxinwenwang.html": PAGE.format(
                title="内蒙古日报新闻", slug="zhongguoshichangjianguanxinwenwang"
            ),
            "category/emnews.html": PAGE.format(title="Emnews", slug="emnews"),
            "category/broken.html": "---\ntitle: [unclosed\ncategory: x\n---\n",
            "category/no-front-matter.html": "<h1>hi</h1>",
            "_data/sources.yml": "emnews: 东方财富\ntech: 科技\n",
            "_data/list.json": '[{"slug": "caixin", "name": "财新"}]',
            "_data/authors.yml": "alice: Alice\nbob: Bob\nemnews: 东财\n",
            "_data/bad.yml": "a: [\n",
            "_data/bomb.yml": "a: &a [x, x]\nb: &b [*a, *a]\nc: *b\n",
        },
    )
    site = read_site_names(
        tmp_path, {"emnews", "tech", "caixin", "zhongguoshichangjianguanxinwenwang"}
    )
    assert site.pages == {
        "zhongguoshichangjianguanxinwenwang": "内蒙古日报新闻",
        "emnews": "Emnews",
    }
    # authors.yml shares one key out of three with the categories: no mapping.
    assert site.site_map == {"emnews": "东方财富", "tech": "科技", "caixin": "财新"}


def test_files_outside_the_folder_are_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_files(
        outside,
        {"names.yml": "emnews: 外面的名字\n", "p.html": PAGE.format(title="外面", slug="waimian")},
    )
    root = tmp_path / "site"
    (root / "_data").mkdir(parents=True)
    (root / "category").mkdir()
    os.symlink(outside / "names.yml", root / "_data" / "names.yml")
    os.symlink(outside / "p.html", root / "category" / "waimian.html")
    os.symlink(outside, root / "_data" / "linked")
    site = read_site_names(root, {"emnews", "waimian"})
    assert site.pages == {}
    assert site.site_map == {}


def test_oversized_files_are_skipped(tmp_path: Path) -> None:
    write_files(tmp_path, {"category/big.html": PAGE.format(title="大", slug="da") + "x" * 300_000})
    assert read_site_names(tmp_path).pages == {}


def test_folder_names_on_a_small_archive(tmp_path: Path) -> None:
    from datetime import datetime

    from reader.core.post import Post

    write_files(
        tmp_path,
        {
            "category/shanghaizhengquanbao.html": PAGE.format(
                title="上海证券报新闻", slug="shanghaizhengquanbao"
            ),
            "category/emnews.html": PAGE.format(title="Emnews", slug="emnews"),
        },
    )
    when = datetime(2021, 12, 8)
    posts = [
        Post("_posts/a.md", "A", when, ("emnews",), ("东财滚动新闻",)),
        Post("_posts/b.md", "B", when, ("shanghaizhengquanbao",), ("某某新闻",)),
        Post("_posts/c.md", "C", when, ("shanghaizhengquanbao",), ("另一个新闻",)),
    ]
    names = folder_category_names(tmp_path, posts)
    assert names["emnews"].name == "东财滚动新闻"
    assert names["shanghaizhengquanbao"].name == "上海证券报"

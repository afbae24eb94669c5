"""`post-reader categories` and `post-reader duplicates`, and `list --hide-duplicates`, on an
archive shaped like the first users' (pinyin slugs, source-name tags, re-published copies)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import write_files

STORY = (
    "<p>国家市场监督管理总局今日发布通知，要求各地加强对食品安全的监督检查，"
    "重点检查学校食堂、农贸市场和网络订餐平台，发现问题及时处置并向社会公布。</p>"
    "<p>通知还要求各级市场监管部门建立健全长效机制，落实企业主体责任，"
    "对违法违规行为依法从严查处，切实保障人民群众饮食安全。</p>"
)
OTHER = (
    "<p>上海证券交易所今日公布数据，本周沪市成交额较上周明显回升，科创板块表现活跃，"
    "多只新股上市首日涨幅超过百分之五十，市场情绪有所改善。</p>"
    "<p>分析人士认为，随着稳增长政策持续发力，市场流动性保持合理充裕，后市仍有望震荡上行。</p>"
)


def _post(title: str, slug: str, tag: str, date: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategories: {slug}\ntags: {tag}\n---\n{body}\n"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return write_files(
        tmp_path / "news",
        {
            "_config.yml": "timezone: Asia/Shanghai\n",
            "_posts/2021-12-08-1.md": _post(
                "加强食品安全检查",
                "zhongguoshichangjianguanxinwenwang",
                "中国市场监管新闻网新闻",
                "2021-12-08 09:00:00 +0800",
                STORY,
            ),
            # The same story, re-published a day later by a bank's news site.
            "_posts/2021-12-09-2.md": _post(
                "市场监管总局：加强食品安全检查",
                "yinxingxinwen",
                "银行新闻新闻",
                "2021-12-09 10:00:00 +0800",
                "<blockquote>摘要（银行新闻）</blockquote>" + STORY,
            ),
            "_posts/2021-12-10-3.md": _post(
                "沪市成交回升", "yinxingxinwen", "银行新闻新闻", "2021-12-10 10:00:00 +0800", OTHER
            ),
            # A category page that names another source: never used, it does not spell the slug.
            "category/yinxingxinwen.html": "---\nlayout: category\ntitle: 内蒙古日报新闻\ncategory: yinxingxinwen\n---\n",
        },
    )


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_categories_names_each_source_from_its_pinyin(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _json(capsys, "categories", str(archive), "--json")
    assert rows == [
        {"category": "yinxingxinwen", "name": "银行新闻", "name_from": "tag", "count": 2},
        {
            "category": "zhongguoshichangjianguanxinwenwang",
            "name": "中国市场监管新闻网",
            "name_from": "tag",
            "count": 1,
        },
    ]


def test_duplicates_groups_the_copies_earliest_first(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    groups = _json(capsys, "duplicates", str(archive), "--json")
    assert groups == [["_posts/2021-12-08-1.md", "_posts/2021-12-09-2.md"]]


def test_list_can_hide_the_later_copies(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    every = _json(capsys, "list", str(archive), "--json")
    assert len(every) == 3  # type: ignore[arg-type]
    rows = _json(capsys, "list", str(archive), "--json", "--hide-duplicates")
    assert [r["path"] for r in rows] == ["_posts/2021-12-10-3.md", "_posts/2021-12-08-1.md"]  # type: ignore[index]

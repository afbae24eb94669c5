"""Generate a folder shaped like the first users' archive (GUIDE.md section 8), with the truth.

N posts in M categories whose slugs are the pinyin of real-looking Chinese source names, written
the way the archive's tool writes them (one reading per character, usually pypinyin's first,
sometimes another, as the tool's first reading differs: 银行 → `yinxing`), Latin names, digits and
parentheses kept; a few large categories and many small. Each post's tag is its source's name +
新闻, except for `emnews` (东财滚动新闻), `sitenews` (站长消息) and a few categories filed under a
shared tag (综合新闻), whose names only a correct category page can give. Category pages exist
for most categories: some right, about half naming ANOTHER source, some the capitalised slug.

Re-published copies are planted (identical, a changed source line, an added `> 摘要（…）` line,
stock names wrapped in links, a paragraph more or less, other whitespace), and pairs that must
not merge (same title with other text; the same boilerplate footer on different articles).
`generate_archive` returns the truth: each category's expected name and the planted groups.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from pypinyin import Style, pinyin

from tests.benchmarks.generate import SUBJECTS, body, sentence

PLACES = (
    "北京 上海 重庆 长沙 长春 厦门 银川 乐山 蚌埠 六安 丽水 朝阳 都江堰 单县 番禺 曲阜 宿迁 "
    "沈阳 大连 青岛 济南 郑州 洛阳 开封 石家庄 保定 太原 大同 呼和浩特 包头 南宁 桂林 海口 "
    "三亚 昆明 大理 贵阳 遵义 成都 绵阳 西安 宝鸡 兰州 西宁 拉萨 乌鲁木齐 合肥 芜湖 南昌 九江 "
    "福州 泉州 杭州 宁波 温州 绍兴 南京 苏州 无锡 常州 扬州 徐州 武汉 宜昌 襄阳 广州 深圳 珠海 "
    "汕头 佛山 东莞 中山 江门 湛江 潮州 揭阳 茂名 惠州 韶关 天津 哈尔滨 齐齐哈尔 吉林 延边 "
    "内蒙古 山西 陕西 甘肃 安徽 江西 湖南 湖北 河南 河北 山东 广西 云南 贵州 四川 浙江 江苏 福建"
).split()
KINDS = (
    "日报 晚报 商报 证券报 新闻网 电视台 银行 投行观察 财经 快讯 都市报 经济报 在线 发布 "
    "观察 时报 早报 晨报 广播电视台 融媒体中心 金融网 产经网 市场监管局 统计局 财政局 发展银行 "
    "农商银行 证券 期货 保险 信托 基金 传媒 头条"
).split()
LATIN = [
    "FT中文网",
    "21世纪经济报道",
    "CCTV财经",
    "36氪",
    "第1财经",
    "安信国际证券(香港)",
    "中信证券(国际)",
    "BBC中文网",
    "e公司",
    "IT之家",
]
SHARED_TAG = "综合新闻"
FIXED = {"emnews": "东财滚动新闻", "sitenews": "站长消息"}
STOCKS = ["贵州茅台", "宁德时代", "比亚迪", "招商银行", "中国平安", "隆基绿能", "巨化股份"]
FOOTER = (
    "<p>免责声明：本文仅代表作者个人观点，与本网无关。其原创性以及文中陈述文字和内容未经本站证实，"
    "对本文以及其中全部或者部分内容、文字的真实性、完整性、及时性本站不作任何保证或承诺，"
    "请读者仅作参考，并请自行核实相关内容。投资有风险，入市需谨慎。</p>"
)
EDITS = ("identical", "source", "summary", "stocks", "paragraph", "whitespace", "mixed")


@dataclass
class Truth:
    names: dict[str, str | None] = field(default_factory=dict)  # slug → expected name
    groups: list[list[str]] = field(default_factory=list)  # planted, original first
    must_not_merge: list[tuple[str, str]] = field(default_factory=list)
    edits: dict[str, str] = field(default_factory=dict)  # copy path → kind of edit


def tool_slug(name: str, rng: random.Random) -> str:
    """The archive tool's slug: one reading per character, run together; Latin kept."""
    out = []
    for ch in name:
        if not "\u4e00" <= ch <= "\u9fff":
            out.append(ch)
            continue
        readings = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
        if len(readings) > 1 and rng.random() < 0.3:
            out.append(rng.choice(readings[1:]))  # the tool's first reading is not pypinyin's
        else:
            out.append(readings[0])
    return "".join(out)


def _sources(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(name, slug) pairs with distinct slugs, except 山西日报 / 陕西日报 → `shanxiribao`."""
    combos = [p + k for p in PLACES for k in KINDS]
    rng.shuffle(combos)
    out = [("山西日报", "shanxiribao"), ("陕西日报", "shanxiribao")]
    seen = {"shanxiribao"}
    for name in [*LATIN, *combos]:
        slug = tool_slug(name, rng)
        if slug not in seen and name not in ("山西日报", "陕西日报"):
            seen.add(slug)
            out.append((name, slug))
        if len(out) >= count:
            break
    return out


def _sizes(rng: random.Random, posts: int, categories: int) -> list[int]:
    # A few large categories and many small: Zipf-like weights, at least one post each.
    weights = [1.0 / (i + 1) ** 1.1 for i in range(categories)]
    scale = (posts - categories) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    for _ in range(posts - sum(sizes)):
        sizes[rng.randrange(categories)] += 1
    return sizes


@dataclass
class _Item:
    path: str
    title: str
    when: datetime
    slug: str
    tag: str
    text: str

    def file_text(self) -> str:
        return (
            f'---\nlayout: post\ntitle: "{self.title}"\n'
            f"date: {self.when:%Y-%m-%d %H:%M:%S} +0800\n"
            f"categories: {self.slug}\ntags: {self.tag}\n---\n{self.text}"
        )


def _edit(kind: str, text: str, rng: random.Random, source: str) -> str:
    if kind in ("source", "mixed"):
        text = text.replace("（文章来源：合成新闻网）", f"（文章来源：{source}）")
    if kind in ("summary", "mixed"):
        text = f"> 摘要（{source}）\n\n{text}"
    if kind in ("stocks", "mixed"):
        for stock in STOCKS:
            text = text.replace(
                stock, f'<a href="http://quote.example.com/{len(stock)}">{stock}</a>'
            )
        text = text.replace(
            "。", f"，<a href='http://quote.example.com/s'>{rng.choice(STOCKS)}</a>。", 1
        )
    if kind == "paragraph":
        paras = text.split("\n")
        if rng.random() < 0.5 and len(paras) > 6:
            del paras[rng.randrange(1, len(paras) - 4)]
        else:
            paras.insert(
                rng.randrange(1, len(paras) - 3), f" <p>{sentence(rng)}{sentence(rng)}</p>"
            )
        text = "\n".join(paras)
    if kind in ("whitespace", "mixed"):
        text = text.replace("<p>", "\n<p>  ").replace("。", "。 ")
    return text


def _story(rng: random.Random, post_id: str) -> str:
    text = body(rng, rng.randint(3000, 8000), post_id)
    # Real stories name listed companies: the "stocks" edit wraps them in links.
    return text.replace("上市公司", rng.choice(STOCKS), 2)


def _slots(rng: random.Random, categories: int) -> list[tuple[str, str, str]]:
    """(slug, tag, name) per source."""
    slots: list[tuple[str, str, str]] = []
    # One more source than slugs: 山西日报 and 陕西日报 share one.
    for name, slug in _sources(rng, categories - len(FIXED) + 1):
        tag = SHARED_TAG if rng.random() < 0.05 and name not in LATIN else name + "新闻"
        slots.append((slug, tag, name))
    slots[1:1] = [(slug, tag, tag) for slug, tag in FIXED.items()]
    return slots


def _plant_copies(
    rng: random.Random,
    items: list[_Item],
    copies: int,
    slots: list[tuple[str, str, str]],
    truth: Truth,
) -> None:
    """Re-publish random posts 1-3 times under other sources, each kind of edit in turn."""
    serial = len(items)
    for n, index in enumerate(rng.sample(range(len(items)), copies)):
        if copies <= 0:
            break
        original = items[index]
        group = [original.path]
        for _ in range(min(copies, rng.choice((1, 1, 1, 2, 3)))):
            other_slug, other_tag, _ = rng.choice(slots)
            kind = EDITS[n % len(EDITS)] if len(group) == 1 else rng.choice(EDITS)
            later = original.when + timedelta(minutes=rng.randint(5, 3000))
            serial += 1
            path = f"_posts/{later:%Y-%m-%d}-{later:%Y%m%d}{serial:010d}.md"
            text = _edit(kind, original.text, rng, other_tag.removesuffix("新闻"))
            items.append(_Item(path, original.title, later, other_slug, other_tag, text))
            group.append(path)
            truth.edits[path] = kind
            copies -= 1
        truth.groups.append(group)


def _plant_lookalikes(items: list[_Item], truth: Truth, pairs: int) -> None:
    """Pairs that must not merge: the same title over other text; the same footer."""
    taken = {p for g in truth.groups for p in g}
    free = [item for item in items if item.path not in taken][: 4 * pairs]
    for a, b in zip(free[0 : 2 * pairs : 2], free[1 : 2 * pairs : 2], strict=True):
        b.title = a.title
        truth.must_not_merge.append((a.path, b.path))
    for a, b in zip(free[2 * pairs :: 2], free[2 * pairs + 1 :: 2], strict=True):
        a.text += "\n" + FOOTER
        b.text += "\n" + FOOTER
        truth.must_not_merge.append((a.path, b.path))


def generate_archive(
    out: Path, posts: int = 20_000, categories: int = 2_000, seed: int = 1
) -> Truth:
    """Write the archive-shaped folder into `out` and return what it plants."""
    rng = random.Random(seed)
    (out / "_posts").mkdir(parents=True, exist_ok=True)
    (out / "category").mkdir(exist_ok=True)
    (out / "_config.yml").write_text("title: 金融消息\ntimezone: Asia/Shanghai\n", encoding="utf-8")
    truth = Truth()
    slots = _slots(rng, categories)
    copies = posts // 12  # about 8% of the posts are re-published copies
    start, span = datetime(2021, 1, 1), 365 * 24 * 3600
    items: list[_Item] = []
    for (slug, tag, _), size in zip(slots, _sizes(rng, posts - copies, len(slots)), strict=True):
        for _ in range(size):
            when = start + timedelta(seconds=rng.randrange(span))
            post_id = f"{when:%Y%m%d}{len(items):010d}"
            title = rng.choice(PLACES) + rng.choice(SUBJECTS) + sentence(rng)[:12]
            text = _story(rng, post_id)
            items.append(
                _Item(f"_posts/{when:%Y-%m-%d}-{post_id}.md", title, when, slug, tag, text)
            )
    _plant_copies(rng, items, copies, slots, truth)
    _plant_lookalikes(items, truth, min(200, len(items) // 20))
    for item in items:
        (out / item.path).write_text(item.file_text(), encoding="utf-8")
    _category_pages(out, rng, slots, truth)
    return truth


def _category_pages(
    out: Path, rng: random.Random, slots: list[tuple[str, str, str]], truth: Truth
) -> None:
    """Pages for most categories: right, another source's title, or the capitalised slug."""
    for slug, tag, name in slots:
        roll = rng.random()
        if slug == "shanxiribao":
            truth.names[slug] = "山西日报 / 陕西日报"
        elif tag == SHARED_TAG:
            truth.names[slug] = name if roll < 0.5 else None  # only a right page names it
        else:
            truth.names[slug] = name
        if tag == SHARED_TAG:
            title = f"{name}新闻" if roll < 0.5 else rng.choice(slots)[1]
        elif roll < 0.1:
            continue  # no page
        elif roll < 0.55:
            title = rng.choice(slots)[1]  # another source's title
        elif roll < 0.65:
            title = slug.capitalize()
        else:
            title = f"{name}新闻"
        page = f"---\nlayout: category\ntitle: {title}\ncategory: {slug}\n---\n"
        (out / "category" / f"{slug}.html").write_text(page, encoding="utf-8")


def write_truth(truth: Truth, path: Path) -> None:
    path.write_text(
        json.dumps(
            {
                "names": truth.names,
                "groups": truth.groups,
                "must_not_merge": truth.must_not_merge,
                "edits": truth.edits,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )

"""Generate a synthetic archive shaped like the user's Chinese news posts (../shared/seeds):
a Jekyll site with `timezone: Asia/Shanghai`, `_posts/YYYY-MM-DD-<id>.md` files whose front
matter has a quoted title, `date: ... +0800`, one category and one tag, and bodies of 3-8 KB of
HTML paragraphs of Chinese news prose (with a bare autolink and protocol-relative links at the
end, like the seeds). ~20 categories, ~50 tags, five years of dates. Deterministic for a seed.

    python tests/benchmarks/generate.py OUT_DIR --posts 10000

With `--archive`, the folder is shaped like the first users' archive instead (see
generate_archive.py): `--categories` pinyin-slug categories of real-looking source names, category
pages (many wrong), planted re-published copies; the truth goes to OUT_DIR.truth.json beside it:

    python tests/benchmarks/generate.py OUT_DIR --archive --posts 20000 --categories 2000
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

# A vocabulary of news words and phrases; sentences are assembled from them so that 1-, 2- and
# 4-character queries have realistic, varied hit counts.
SUBJECTS = [
    "市场监管部门",
    "国家统计局",
    "地方政府",
    "证券公司",
    "商业银行",
    "保险机构",
    "上市公司",
    "科技企业",
    "行业协会",
    "消费者",
    "投资者",
    "研究机构",
    "海关总署",
    "发改委",
    "财政部",
    "央行",
    "监管机构",
    "基金公司",
    "制造企业",
    "物流企业",
    "电商平台",
    "新能源车企",
    "芯片厂商",
    "医药企业",
    "食品企业",
    "航空公司",
]
VERBS = [
    "发布了",
    "宣布",
    "推进",
    "加强",
    "部署",
    "完善",
    "公布",
    "启动",
    "召开",
    "表示",
    "强调",
    "实施",
    "优化",
    "提升",
    "推动",
    "开展",
    "落实",
    "调整",
    "发布通知",
    "出台",
]
OBJECTS = [
    "食品安全专项检查",
    "营商环境改革",
    "季度经营数据",
    "新一轮产业政策",
    "消费品质量抽检",
    "数字化转型方案",
    "知识产权保护措施",
    "市场价格监测",
    "乡村振兴项目",
    "绿色低碳行动",
    "产品召回计划",
    "跨境贸易便利化",
    "中小企业扶持政策",
    "高质量发展规划",
    "风险防控机制",
    "信用监管体系",
    "特种设备安全检查",
    "计量检定工作",
    "标准化试点",
    "反垄断执法",
    "网络交易监管",
    "药品安全放心工程",
    "质量强市战略",
    "年度工作会议",
]
DETAILS = [
    "同比增长",
    "环比下降",
    "创历史新高",
    "超出市场预期",
    "符合预期",
    "保持稳定",
    "有所回落",
    "显著改善",
    "持续扩大",
    "逐步恢复",
]
PLACES = [
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "成都",
    "重庆",
    "武汉",
    "西安",
    "南京",
    "苏州",
    "天津",
    "长沙",
    "郑州",
    "青岛",
    "厦门",
    "安康",
    "酉阳",
    "合肥",
    "昆明",
]
ENGLISH = [
    "GDP",
    "CPI",
    "PMI",
    "IPO",
    "AI",
    "ESG",
    "ETF",
    "Tesla",
    "Apple",
    "Nvidia",
    "Huawei",
    "BYD",
]
CATEGORIES = [f"category{i:02d}" for i in range(20)]
TAGS = [f"标签{i:02d}" for i in range(50)]


def sentence(rng: random.Random) -> str:
    parts = [
        rng.choice(PLACES),
        rng.choice(SUBJECTS),
        rng.choice(VERBS),
        rng.choice(OBJECTS),
        "，",
        rng.choice(OBJECTS)[:4],
        rng.choice(DETAILS),
        f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%",
    ]
    if rng.random() < 0.15:
        parts.insert(3, rng.choice(ENGLISH))
    return "".join(parts) + rng.choice("。。。！；")


def body(rng: random.Random, size: int, post_id: str) -> str:
    paras = []
    total = 0
    while total < size:
        text = "".join(sentence(rng) for _ in range(rng.randint(2, 6)))
        para = f" <p>{text}</p>"
        paras.append(para)
        total += len(para.encode())
    paras.append('<p class="em_media">（文章来源：合成新闻网）</p>')
    return (
        "\n".join(paras)
        + f"\n\n<http://news.example.com/html/NewsShare.html?infoCode=NW{post_id}>\n\n"
        + "[返回新闻](//news.example.com/category/news.html)｜[返回首页](//news.example.com/)"
    )


def generate(out: Path, posts: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (out / "_posts").mkdir(parents=True, exist_ok=True)
    (out / "_config.yml").write_text("title: 合成新闻\ntimezone: Asia/Shanghai\n", encoding="utf-8")
    start = datetime(2019, 1, 1)
    span = int(timedelta(days=5 * 365).total_seconds())
    for i in range(posts):
        when = start + timedelta(seconds=rng.randrange(span))
        post_id = f"{when:%Y%m%d}{i:010d}"
        title = rng.choice(PLACES) + rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS)
        text = (
            "---\nlayout: post\n"
            f'title: "{title}"\n'
            f"date: {when:%Y-%m-%d %H:%M:%S} +0800\n"
            f"categories: {rng.choice(CATEGORIES)}\n"
            f"tags: {rng.choice(TAGS)}\n"
            "---\n" + body(rng, rng.randint(3000, 8000), post_id)
        )
        (out / "_posts" / f"{when:%Y-%m-%d}-{post_id}.md").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--archive", action="store_true", help="shaped like the users' archive")
    parser.add_argument("--categories", type=int, default=2_000, help="with --archive")
    args = parser.parse_args()
    if args.archive:
        # Run as a script (python tests/benchmarks/generate.py), the repository is not on the path.
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from tests.benchmarks.generate_archive import generate_archive, write_truth

        truth = generate_archive(args.out, args.posts, args.categories, args.seed)
        truth_path = args.out.with_name(args.out.name + ".truth.json")
        write_truth(truth, truth_path)
        print(
            f"{args.posts} posts in {len(truth.names)} categories in {args.out}; "
            f"{len(truth.groups)} planted groups; truth in {truth_path}"
        )
        return
    generate(args.out, args.posts, args.seed)
    print(f"{args.posts} posts in {args.out}")


if __name__ == "__main__":
    main()

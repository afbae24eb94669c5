"""Generate a synthetic archive shaped like the user's Chinese news posts (../shared/seeds):
a Jekyll site with `timezone: Asia/Shanghai`, `_posts/YYYY-MM-DD-<id>.md` files whose front
matter has a quoted title, `date: ... +0800`, one category and one tag, and bodies of 3-8 KB of
HTML paragraphs of Chinese news prose (with a bare autolink and protocol-relative links at the
end, like the seeds). ~20 categories, ~50 tags, five years of dates. Deterministic for a seed.

    python tests/benchmarks/generate.py OUT_DIR --posts 10000

With `--categories N` (and no `--archive`), the posts are spread over N categories named by the
pinyin slugs of real-looking source names (tag: the source's name + 新闻), a few large and many
small (Zipf-like, the largest about 5.5% of the posts), and the rare word `quokka` is planted in
a handful of posts (RARE_PHRASE, RARE_POSTS); bodies are drawn from a pool of paragraphs so that a
million posts (~6 GB) take minutes, not an hour. Without it the output is what it always was.
Both write the stamp `.generated` bench.py checks (stamp_text):

    python tests/benchmarks/generate.py /tmp/bench-1000000 --posts 1000000 --categories 2000

With `--archive`, the folder is shaped like the first users' archive instead (see
generate_archive.py): `--categories` pinyin-slug categories of real-looking source names, category
pages (many wrong), planted re-published copies; the truth goes to OUT_DIR.truth.json beside it:

    python tests/benchmarks/generate.py OUT_DIR --archive --posts 20000 --categories 2000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
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
# Planted (with --categories) in RARE_POSTS posts spread over the folder: a search with few hits.
RARE_PHRASE = "quokka"
RARE_POSTS = 8
LARGEST_SHARE = 0.055  # "list --category C (≈ 55,000 posts)" at a million
STAMP = ".generated"


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


def stamp_text(posts: int, categories: int | None = None) -> str:
    """What `.generated` holds for a folder of `posts` posts (in `categories` categories):
    bench.py regenerates the folder when it differs. Without categories the old stamp."""
    return str(posts) if categories is None else f"{posts} categories={categories}"


def write_stamp(out: Path, posts: int, categories: int | None = None) -> None:
    (out / STAMP).write_text(stamp_text(posts, categories), encoding="utf-8")


def generate(out: Path, posts: int, seed: int = 1, categories: int | None = None) -> Path:
    """`posts` posts in `out` (see the module's docstring); with `categories`, spread over that
    many categories, a few large and many small, with RARE_PHRASE planted."""
    if categories is not None:
        return generate_categories(out, posts, categories, seed)
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


def zipf_exponent(categories: int, share: float = LARGEST_SHARE) -> float:
    """The s for which weights 1/(k+1)**s give the largest of `categories` about `share` of
    the total (0, an even spread, when there are too few categories for that)."""
    low, high = 0.0, 4.0
    for _ in range(60):
        mid = (low + high) / 2
        weights = [1.0 / (k + 1) ** mid for k in range(categories)]
        if weights[0] / sum(weights) > share:
            high = mid
        else:
            low = mid
    return low


def category_sizes(posts: int, categories: int) -> list[int]:
    """How many posts each category holds, largest first: Zipf-like, at least one each while
    there are posts enough; deterministic."""
    s = zipf_exponent(categories)
    weights = [1.0 / (k + 1) ** s for k in range(categories)]
    floor = 1 if posts >= categories else 0
    scale = (posts - floor * categories) / sum(weights)
    sizes = [floor + int(w * scale) for w in weights]
    for k in range(posts - sum(sizes)):  # the rounding remainder, one each from the top
        sizes[k % categories] += 1
    return sizes


def category_sources(categories: int, seed: int) -> list[tuple[str, str]]:
    """(source name, slug) of each category: pinyin slugs of real-looking Chinese source names
    as the users' archive has them (generate_archive.py), then `source0001`-style past those."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.benchmarks.generate_archive import _sources

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, slug in _sources(random.Random(seed), categories):
        if slug not in seen:
            seen.add(slug)
            out.append((name, slug))
    for i in range(len(out), categories):
        out.append((f"来源{i:04d}", f"source{i:04d}"))
    return out[:categories]


def generate_categories(out: Path, posts: int, categories: int, seed: int = 1) -> Path:
    """The `--categories` folder, written fast: bodies from a pool of paragraphs made with
    `sentence`, dates from a table of days, files written with os.write."""
    rng = random.Random(seed)
    started = time.perf_counter()
    (out / "_posts").mkdir(parents=True, exist_ok=True)
    (out / "_config.yml").write_text("title: 合成新闻\ntimezone: Asia/Shanghai\n", encoding="utf-8")
    sources = category_sources(categories, seed)
    owner = [k for k, n in enumerate(category_sizes(posts, categories)) for _ in range(n)]
    random.Random(seed + 1).shuffle(owner)
    fronts = [f"categories: {slug}\ntags: {name}新闻\n---\n" for name, slug in sources]
    paragraphs = [
        " <p>" + "".join(sentence(rng) for _ in range(rng.randint(2, 6))) + "</p>"
        for _ in range(min(20_000, max(200, posts // 4)))
    ]
    sizes = [len(p.encode()) + 1 for p in paragraphs]
    pool = range(len(paragraphs))
    average = sum(sizes) / len(sizes)
    first = datetime(2019, 1, 1)
    days = [f"{first + timedelta(days=d):%Y-%m-%d}" for d in range(5 * 365 + 1)]
    plain = [f"{first + timedelta(days=d):%Y%m%d}" for d in range(5 * 365 + 1)]
    clock = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]
    rare = {(k * posts) // RARE_POSTS + posts // (2 * RARE_POSTS) for k in range(RARE_POSTS)}
    titles = [rng.choice(PLACES) + rng.choice(SUBJECTS) + rng.choice(VERBS) for _ in range(500)]
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    posts_dir = out / "_posts"
    span = 5 * 365 * 86400
    for i in range(posts):
        when = rng.randrange(span)
        day, second = divmod(when, 86400)
        post_id = f"{plain[day]}{i:010d}"
        target = rng.randint(3000, 8000)
        paras, total = [], 0
        for k in rng.choices(pool, k=int(target / average) + 3):
            paras.append(paragraphs[k])
            total += sizes[k]
            if total >= target:
                break
        if i in rare:
            paras.insert(
                1, f" <p>有网友在{rng.choice(PLACES)}拍到一只{RARE_PHRASE}（短尾矮袋鼠）。</p>"
            )
        text = (
            f'---\nlayout: post\ntitle: "{rng.choice(titles)}{rng.choice(OBJECTS)}"\n'
            f"date: {days[day]} {clock[second // 60]}:{second % 60:02d} +0800\n"
            + fronts[owner[i]]
            + "\n".join(paras)
            + '\n<p class="em_media">（文章来源：合成新闻网）</p>'
            + f"\n\n<http://news.example.com/html/NewsShare.html?infoCode=NW{post_id}>\n\n"
            + "[返回新闻](//news.example.com/category/news.html)｜[返回首页](//news.example.com/)"
        )
        fd = os.open(posts_dir / f"{days[day]}-{post_id}.md", flags, 0o644)
        try:
            os.write(fd, text.encode())
        finally:
            os.close(fd)
        if i and i % 100_000 == 0:
            rate = i / (time.perf_counter() - started)
            print(f"  {i:,} posts, {rate:,.0f} posts/s", file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--archive", action="store_true", help="shaped like the users' archive")
    parser.add_argument(
        "--categories",
        type=int,
        default=None,
        help="spread over N categories (2000 with --archive)",
    )
    args = parser.parse_args()
    if args.archive:
        # Run as a script (python tests/benchmarks/generate.py), the repository is not on the path.
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from tests.benchmarks.generate_archive import generate_archive, write_truth

        truth = generate_archive(args.out, args.posts, args.categories or 2_000, args.seed)
        truth_path = args.out.with_name(args.out.name + ".truth.json")
        write_truth(truth, truth_path)
        print(
            f"{args.posts} posts in {len(truth.names)} categories in {args.out}; "
            f"{len(truth.groups)} planted groups; truth in {truth_path}"
        )
        return
    started = time.perf_counter()
    generate(args.out, args.posts, args.seed, args.categories)
    write_stamp(args.out, args.posts, args.categories)
    took = time.perf_counter() - started
    print(
        f"{args.posts} posts in {args.out} in {took:.0f} s ({args.posts / took:,.0f} posts/s); "
        f"stamp {stamp_text(args.posts, args.categories)!r}"
    )


if __name__ == "__main__":
    main()

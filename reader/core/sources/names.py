"""Display names for categories, established from the folder, never guessed.

Owns `CategoryName`, `establish_names`, `category_tags` and `display_name`. In the first users'
archive every category is a pinyin slug of a news source's name (`zhongguoshichangjianguan-
xinwenwang`); the names are in the folder, but not where a reader could trust them blindly:
about half the `category/<slug>.html` pages carry ANOTHER source's title. So a candidate name
counts only when it is established:

- its pinyin spells the slug (any reading of each character, see `pinyin.spells_slug`); the
  candidates are the category's tags (a trailing 新闻 dropped when that is what spells it), the
  category page's title and the site's own mapping; or
- the site's own mapping (`_data/`) names the category: the site says so itself; or
- the category and one tag go one-to-one over the whole folder (`emnews` ↔ 东财滚动新闻): every
  post of the category has that tag and the tag is on no other category's posts.

A candidate that only re-cases the slug (`Emnews` for `emnews`) is no name and never used.
Two sources can share a slug (山西日报 / 陕西日报 → `shanxiribao`); then both names are shown,
most posts first.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reader.core.foreground import give_way
from reader.core.post import Post
from reader.core.sources.pinyin import has_han, normalise_slug, spells_slug
from reader.core.sources.site_files import read_site_names
from reader.core.table import PostTable

# How a name was established (CategoryName.name_from); "slug" when none was.
FROM_SITE = "site"
FROM_TAG = "tag"
FROM_PAGE = "page"
FROM_ONE_TO_ONE = "one-to-one tag"
FROM_SLUG = "slug"

_NEWS_SUFFIX = "新闻"
_SPACES = re.compile(r"\s+")
# A name spelt by several sources' names shows at most this many of them.
_MAX_SHARED = 3


@dataclass(frozen=True, slots=True)
class CategoryName:
    """A category's display name (None: show the slug) and how it was established."""

    name: str | None
    name_from: str

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "name_from": self.name_from}


def display_name(names: Mapping[str, CategoryName], slug: str) -> str:
    """What the window shows for a category: its established name, else the slug."""
    found = names.get(slug)
    return found.name if found is not None and found.name else slug


def category_tags(
    posts: Iterable[Post], cancelled: Callable[[], bool] = lambda: False
) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """For `establish_names`: each category's tags with how many of its posts carry each, and
    how many posts each category has. Asks `cancelled()` every 65,536 posts (then the counts
    are incomplete)."""
    # Posts share a few hundred (categories, tags) pairs: counted by pair first, then each
    # pair's names once (a Counter update per post took 250 ms of Python at 100,000 posts).
    pairs: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = Counter()
    if isinstance(posts, PostTable):  # counted from its columns, building no post
        pairs.update(posts.label_pairs())
    else:
        it = iter(posts)
        while chunk := list(itertools.islice(it, 0x10000)):
            pairs.update((post.categories, post.tags) for post in chunk)
            if cancelled():
                break
    tags: dict[str, Counter[str]] = {}
    counts: Counter[str] = Counter()
    for (categories, post_tags), n in pairs.items():
        distinct = set(post_tags)
        for category in categories:
            counts[category] += n
            bucket = tags.setdefault(category, Counter())
            for tag in distinct:
                bucket[tag] += n
    return tags, counts


def _variants(candidate: str) -> list[str]:
    """The forms of a candidate that may spell a slug: as written, without a trailing 新闻."""
    text = candidate.strip()
    out = [text]
    if text.endswith(_NEWS_SUFFIX) and len(text) > len(_NEWS_SUFFIX):
        out.append(text[: -len(_NEWS_SUFFIX)].strip())
    return out


def _spelling(candidate: str, slug: str) -> str | None:
    """The form of `candidate` that spells `slug`, if one does. A name with spaces also spells
    each part of a slug that Jekyll split at its spaces (`21世纪经济报道  南财理财通新闻` names
    both `21shijijingjibaodao` and `nancailicaitong`)."""
    for form in _variants(candidate):
        if spells_slug(form, slug):
            return form
    for form in _variants(candidate):
        if _SPACES.search(form):
            for part in _SPACES.split(form):
                for piece in _variants(part):
                    if piece and spells_slug(piece, slug):
                        return piece
    return None


def _page_titles(pages: Mapping[str, str]) -> dict[str, list[str]]:
    # A page's `category:` with spaces stands for the categories Jekyll splits it into.
    out: dict[str, list[str]] = {}
    for key, title in pages.items():
        for slug in {key, *_SPACES.split(key.strip())}:
            if slug:
                out.setdefault(slug, []).append(title)
    return out


def _one_to_one(
    categories_with_tags: Mapping[str, Counter[str]], post_counts: Mapping[str, int] | None
) -> dict[str, str]:
    """Category → tag where the two go one-to-one over the whole folder."""
    categories_of_tag: Counter[str] = Counter()
    for tags in categories_with_tags.values():
        categories_of_tag.update(tag for tag, n in tags.items() if n > 0)
    out: dict[str, str] = {}
    for slug, tags in categories_with_tags.items():
        present = [tag for tag, n in tags.items() if n > 0]
        if len(present) != 1 or categories_of_tag[present[0]] != 1:
            continue
        tag = present[0]
        if post_counts is not None and tags[tag] != post_counts.get(slug, tags[tag]):
            continue  # some posts of the category have no tag: not one-to-one
        out[slug] = tag
    return out


def _recases(name: str, slug: str) -> bool:
    """Whether `name` only re-cases or re-punctuates the slug (`Emnews`): no name at all."""
    return not has_han(name) and normalise_slug(name) == normalise_slug(slug)


def _choose(slug: str, spelt: list[tuple[str, str, int]]) -> CategoryName | None:
    """The name from the candidates that spell the slug: (name, how, weight) in priority order."""
    named = [c for c in spelt if not _recases(c[0], slug)]
    if not named:
        return None
    how = named[0][1]
    weights: Counter[str] = Counter()
    for name, source, weight in named:
        if source == how:
            weights[name] += weight
    best = [name for name, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))]
    return CategoryName(" / ".join(best[:_MAX_SHARED]), how)


def establish_names(
    categories_with_tags: Mapping[str, Counter[str]],
    pages: Mapping[str, str] | None = None,
    site_map: Mapping[str, str] | None = None,
    post_counts: Mapping[str, int] | None = None,
) -> dict[str, CategoryName]:
    """Every category's display name and how it was established (see the module docstring).

    `categories_with_tags`: each category with its posts' tags and how many posts carry each
    (`category_tags`); `pages`: category page titles by the page's `category:`; `site_map`: the
    site's own names by category; `post_counts`: posts per category, so that a tag missing from
    some of a category's posts is not one-to-one with it. Categories with no established name
    get `CategoryName(None, "slug")`."""
    pages = pages or {}
    site_map = site_map or {}
    titles = _page_titles(pages)
    paired = _one_to_one(categories_with_tags, post_counts)
    out: dict[str, CategoryName] = {}
    for slug in sorted({*categories_with_tags, *site_map}):
        give_way()  # 2,000 sources' spellings: a second of Python beside the window
        spelt: list[tuple[str, str, int]] = []
        mapped = site_map.get(slug)
        if mapped and mapped.strip():
            spelt.append((mapped.strip(), FROM_SITE, 1))
        for tag, count in categories_with_tags.get(slug, Counter()).most_common():
            form = _spelling(tag, slug)
            if form is not None:
                spelt.append((form, FROM_TAG, count))
        for title in titles.get(slug, ()):
            form = _spelling(title, slug)
            if form is not None:
                spelt.append((form, FROM_PAGE, 1))
        chosen = _choose(slug, spelt)
        if chosen is None and slug in paired:
            chosen = CategoryName(paired[slug], FROM_ONE_TO_ONE)
        if chosen is None:
            chosen = CategoryName(None, FROM_SLUG)
        out[slug] = chosen
    return out


def folder_category_names(
    root: str | Path, posts: Iterable[Post], cancelled: Callable[[], bool] = lambda: False
) -> dict[str, CategoryName]:
    """`establish_names` for an opened folder: its posts' tags, its category pages and its
    `_data/` mappings (read by `site_files.read_site_names`). Empty when `cancelled()` (the
    window closing: at 1,000,000 posts the counting alone takes a second)."""
    tags, counts = category_tags(posts, cancelled)
    if cancelled():
        return {}
    site = read_site_names(root, tags.keys())
    if cancelled():
        return {}
    return establish_names(tags, site.pages, site.site_map, counts)

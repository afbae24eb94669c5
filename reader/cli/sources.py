"""The terminal commands for news archives: `categories` (each category's display name and how
it was established) and `duplicates` (re-published copies of one story, grouped).

Owns those two commands and their parsers; the names and the groups come from the core
(`Folder.category_names`, `Folder.duplicates`), as the window shows them.
"""

from __future__ import annotations

import argparse
import json
import sys

from reader.cli.commands import loaded_folder
from reader.core import pinyin_sort_key


def cmd_categories(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        names = folder.category_names()
        counts = folder.library.category_counts()
    rows = []
    for slug, count in counts:
        found = names.get(slug)
        rows.append(
            {
                "category": slug,
                "name": found.name if found is not None else None,
                "name_from": found.name_from if found is not None else "slug",
                "count": count,
            }
        )
    if args.sort == "name":
        rows.sort(key=lambda r: pinyin_sort_key(str(r["name"] or r["category"])))
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for r in rows:
            name = r["name"] or "—"
            print(f"{r['count']:>7}  {r['category']}  {name}  ({r['name_from']})")
        named = sum(1 for r in rows if r["name"])
        print(f"{len(rows)} categories, {named} with a name", file=sys.stderr)
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        groups = folder.duplicates().groups()
        # The titles of the stories' main rows only (a million posts built held 200 MB).
        mains = (folder.post(group[0]) for group in groups)
        titles = {post.path: post.title for post in mains if post is not None}
    if args.json:
        json.dump(groups, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for group in groups:
            print(f"×{len(group)}  {titles.get(group[0], '')}")
            for path in group:
                print(f"    {path}")
        copies = sum(len(g) - 1 for g in groups)
        print(f"{len(groups)} stories published more than once ({copies} copies)", file=sys.stderr)
    return 0


def add_source_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `categories` and `duplicates` on the main parser's subcommands."""
    p_cat = subparsers.add_parser(
        "categories", help="each category with its display name, how it was found, and its count"
    )
    p_cat.add_argument("folder", metavar="FOLDER")
    p_cat.add_argument("--json", action="store_true", help="print a JSON array")
    p_cat.add_argument(
        "--sort", choices=("count", "name"), default="count", help="most posts first, or by name"
    )
    p_cat.set_defaults(func=cmd_categories)

    p_dup = subparsers.add_parser(
        "duplicates", help="posts published more than once: the groups, earliest first"
    )
    p_dup.add_argument("folder", metavar="FOLDER")
    p_dup.add_argument("--json", action="store_true", help="print a JSON array of path lists")
    p_dup.set_defaults(func=cmd_duplicates)

"""The terminal commands that follow an archive over time and a story across it: `timeline`
(posts per day, week or month of a view) and `related` (the posts related to one post).

Owns those two commands and their parsers; the counts and the neighbours come from the core
(`Folder.timeline`, `Folder.related`), as the window shows them.
"""

from __future__ import annotations

import argparse
import json
import sys

from reader.cli.commands import add_naive_option, loaded_folder
from reader.core import FileProblem, InputError, Query


def cmd_timeline(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder, naive_in_site_zone=args.naive_in_site_zone) as folder:
        query = Query(categories=tuple(args.category or ()), tags=tuple(args.tag or ()))
        if args.search:
            folder.update_index()
            query = folder.search(args.search, query).query
        timeline = folder.timeline(query, args.by)
    if args.json:
        json.dump(timeline.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for line in timeline.lines():
            print(line)
        print(f"{timeline.total} posts by {timeline.period.value}", file=sys.stderr)
    return 0


def cmd_related(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        rel = folder.relative_path(args.path)
        post = folder.post(rel)
        if post is None:
            raise InputError(f"not a post in {folder.root}: {args.path}")
        try:
            folder.update_index()
            folder.duplicates()  # so that other copies of the story come first
        except FileProblem as exc:
            raise InputError(str(exc)) from None
        related = folder.related(post, limit=args.limit)
    if args.json:
        json.dump([r.to_json() for r in related], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for r in related:
            day = r.date.strftime("%Y-%m-%d") if r.date else "—".ljust(10)
            mark = " [copy]" if r.reason == "copy" else ""
            print(f"{day}  {r.title}{mark}  ({r.source})  {r.path}")
    return 0


def add_timeline_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `timeline` and `related` on the main parser's subcommands."""
    p_tl = subparsers.add_parser(
        "timeline", help="posts per day, week or month (chosen by the span unless --by)"
    )
    p_tl.add_argument("folder", metavar="FOLDER")
    p_tl.add_argument("--by", choices=("day", "week", "month"), help="the size of a period")
    p_tl.add_argument("--category", action="append", metavar="C", help="only posts in C")
    p_tl.add_argument("--tag", action="append", metavar="T", help="only posts tagged T")
    p_tl.add_argument("--search", metavar="TEXT", help="only posts matching TEXT")
    p_tl.add_argument("--json", action="store_true", help="print a JSON object")
    add_naive_option(p_tl)
    p_tl.set_defaults(func=cmd_timeline)

    p_rel = subparsers.add_parser("related", help="the posts related to one post, best first")
    p_rel.add_argument("folder", metavar="FOLDER")
    p_rel.add_argument("path", metavar="PATH", help="the post's path inside FOLDER")
    p_rel.add_argument("--limit", type=int, default=5, help="at most this many (default 5)")
    p_rel.add_argument("--json", action="store_true", help="print a JSON array")
    p_rel.set_defaults(func=cmd_related)

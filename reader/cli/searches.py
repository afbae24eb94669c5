"""The `post-reader searches` subcommand: the folder's saved searches, as the window's "Saved
searches" node shows them, with their counts; and saving, deleting and reordering them.

    post-reader searches FOLDER list [--json]                     in order, with counts
    post-reader searches FOLDER save NAME [--search TEXT] [--category C] [--tag T] [--since D] ...
    post-reader searches FOLDER delete NAME
    post-reader searches FOLDER move NAME POSITION                 1 is first

`post-reader list FOLDER --saved NAME` lists what one finds. They are kept with the user's
data (per folder) and travel in the JSON bookmarks export.
"""

from __future__ import annotations

import argparse
import json
import sys

from reader.cli.commands import loaded_folder, user_marks
from reader.core import InputError, SavedSearch, parse_day


def cmd_list(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        marks = user_marks(folder, writing=False)
        saved = marks.saved_searches()
        if any(s.text.strip() for s in saved):
            folder.update_index()
        read = marks.read_paths()
        rows = []
        for s in saved:
            total, unread = folder.saved_counts(s, read)
            rows.append({**s.to_json(), "total": total, "unread": unread})
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for r in rows:
            print(f"{r['total']:>7} {r['unread']:>7} unread  {r['name']}  {r.get('text', '')}")
        print(f"{len(rows)} saved searches", file=sys.stderr)
    return 0


def cmd_save(args: argparse.Namespace) -> int:
    search = SavedSearch(
        name=args.name,
        text=args.search or "",
        categories=tuple(args.category or ()),
        tags=tuple(args.tag or ()),
        since=parse_day(args.since, "--since") if args.since else None,
        until=parse_day(args.until, "--until") if args.until else None,
        bookmarked=args.bookmarked,
        unread=args.unread,
    )
    with loaded_folder(args.folder) as folder:
        user_marks(folder, writing=True).save_search(search, replaces=args.replaces)
    print(f"saved: {search.name}", file=sys.stderr)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        if not user_marks(folder, writing=True).delete_search(args.name):
            raise InputError(f"no saved search named {args.name!r}")
    print(f"deleted: {args.name}", file=sys.stderr)
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        user_marks(folder, writing=True).move_search(args.name, args.position - 1)
    return 0


def add_searches_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `searches FOLDER ACTION ...` on the main parser's subcommands."""
    p = subparsers.add_parser(
        "searches",
        help="list, save, delete or reorder the saved searches of a folder",
        description="Saved searches are kept in the user data folder, never in FOLDER.",
    )
    p.add_argument("folder", metavar="FOLDER")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    p_list = actions.add_parser("list", help="saved searches in order, with total and unread")
    p_list.add_argument("--json", action="store_true", help="print a JSON array")
    p_list.set_defaults(func=cmd_list)

    p_save = actions.add_parser("save", help="save a search (or, with --replaces, edit one)")
    p_save.add_argument("name", metavar="NAME")
    p_save.add_argument("--search", metavar="TEXT", help="the search text")
    p_save.add_argument("--category", action="append", metavar="C", help="within category C")
    p_save.add_argument("--tag", action="append", metavar="T", help="within tag T")
    p_save.add_argument("--since", metavar="DATE", help="posts of DATE (YYYY-MM-DD) or later")
    p_save.add_argument("--until", metavar="DATE", help="posts of DATE or earlier")
    p_save.add_argument("--bookmarked", action="store_true", help="within the bookmarks")
    p_save.add_argument("--unread", action="store_true", help="within the unread posts")
    p_save.add_argument("--replaces", metavar="OLD", help="the saved search this edits or renames")
    p_save.set_defaults(func=cmd_save)

    p_del = actions.add_parser("delete", help="delete a saved search")
    p_del.add_argument("name", metavar="NAME")
    p_del.set_defaults(func=cmd_delete)

    p_move = actions.add_parser("move", help="move a saved search to POSITION (1 is first)")
    p_move.add_argument("name", metavar="NAME")
    p_move.add_argument("position", metavar="POSITION", type=int)
    p_move.set_defaults(func=cmd_move)

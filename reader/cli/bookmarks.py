"""The `post-reader bookmarks` subcommand.

    post-reader bookmarks FOLDER list                       newest first, with notes
    post-reader bookmarks FOLDER add PATH [--note TEXT]     bookmark a post (or set its note)
    post-reader bookmarks FOLDER remove PATH
    post-reader bookmarks FOLDER export FILE [--format md|html|json]    FILE '-' is stdout
    post-reader bookmarks FOLDER import FILE                merge a JSON export ('-' is stdin)

Owns the subcommand's parser and actions, all through `Folder.marks`. The data lives in the
user store, never in FOLDER.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reader.cli.commands import loaded_folder, user_marks
from reader.core import EXPORT_FORMATS, ExportFormat, ImportFileError, InputError

_FORMAT_BY_SUFFIX: dict[str, ExportFormat] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


def add_bookmarks_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `bookmarks FOLDER ACTION ...` on the main parser's subcommands."""
    p = subparsers.add_parser(
        "bookmarks",
        help="list, add, remove, export or import the bookmarks of a folder",
        description="Bookmarks are kept in the user data folder, never in FOLDER.",
    )
    p.add_argument("folder", metavar="FOLDER")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    p_list = actions.add_parser("list", help="bookmarks, newest first, with their notes")
    p_list.set_defaults(func=cmd_bookmarks_list)

    p_add = actions.add_parser("add", help="bookmark a post (again: replaces its note)")
    p_add.add_argument("path", metavar="PATH", help="the post's path inside FOLDER")
    p_add.add_argument("--note", metavar="TEXT", default="", help="a short note")
    p_add.set_defaults(func=cmd_bookmarks_add)

    p_remove = actions.add_parser("remove", help="remove a bookmark")
    p_remove.add_argument("path", metavar="PATH", help="the post's path inside FOLDER")
    p_remove.set_defaults(func=cmd_bookmarks_remove)

    p_export = actions.add_parser("export", help="write the bookmarks to FILE ('-': stdout)")
    p_export.add_argument("file", metavar="FILE")
    p_export.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help="default: from FILE's extension (.md, .html, .json), else json",
    )
    p_export.set_defaults(func=cmd_bookmarks_export)

    p_import = actions.add_parser("import", help="merge a JSON export back ('-': stdin)")
    p_import.add_argument("file", metavar="FILE")
    p_import.set_defaults(func=cmd_bookmarks_import)


def cmd_bookmarks_list(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        marks = user_marks(folder, writing=False).bookmarks()
        missing = {b.path for b in marks if folder.post(b.path) is None}
    for b in marks:
        when = b.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        gone = "  [file missing]" if b.path in missing else ""
        print(f"{when}  {b.title}  ({b.path}){gone}")
        if b.note:
            print(f"                  note: {b.note}")
    print(f"{len(marks)} bookmarks", file=sys.stderr)
    return 0


def cmd_bookmarks_add(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        rel = folder.relative_path(args.path)
        post = folder.post(rel)
        if post is None:
            raise InputError(f"not a post in {folder.root}: {args.path}")
        marks = user_marks(folder, writing=True)
        try:
            added = marks.add_bookmark(post, args.note)
        except ValueError as exc:  # a note over the length limit
            raise InputError(str(exc)) from None
    if added:
        print(f"bookmarked: {rel}")
    else:
        print(f"already bookmarked: {rel}" + (" (note replaced)" if args.note.strip() else ""))
    return 0


def cmd_bookmarks_remove(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        # No check that the file exists: a bookmark outlives its file until it is removed.
        rel = folder.relative_path(args.path)
        removed = user_marks(folder, writing=True).remove_bookmark(rel)
    if not removed:
        raise InputError(f"not bookmarked: {rel}")
    print(f"removed bookmark: {rel}")
    return 0


def cmd_bookmarks_export(args: argparse.Namespace) -> int:
    fmt: ExportFormat = args.format or _FORMAT_BY_SUFFIX.get(Path(args.file).suffix.lower(), "json")
    with loaded_folder(args.folder) as folder:
        marks = user_marks(folder, writing=False)
        text = marks.export_bookmarks(fmt)
        count = len(marks.bookmarked_paths())
    if args.file == "-":
        sys.stdout.write(text)
        return 0
    _write_atomically(Path(args.file), text)
    print(f"exported {count} bookmarks to {args.file} ({fmt})", file=sys.stderr)
    return 0


def cmd_bookmarks_import(args: argparse.Namespace) -> int:
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {args.file}: {exc}") from None
    with loaded_folder(args.folder) as folder:
        marks = user_marks(folder, writing=True)
        try:
            result = marks.import_bookmarks(text)
        except ImportFileError as exc:
            raise InputError(f"{args.file}: {exc}") from None
    print(f"imported {result.added} bookmarks ({result.already} were already bookmarked)")
    if result.unmatched:
        print(f"{len(result.unmatched)} not found in this folder:", file=sys.stderr)
        for label in result.unmatched:
            print(f"  {label}", file=sys.stderr)
    return 0


def _write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: an export cut short never replaces a good one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None

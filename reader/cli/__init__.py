"""The `post-reader` command: the window by default, and terminal subcommands over the same core.

post-reader [FOLDER]                       open the window
post-reader list FOLDER [...]              list posts (newest first)
post-reader problems FOLDER [--json]       files that could not be loaded
post-reader show FOLDER PATH [--html]      one post as text or as the pane's HTML
post-reader bookmarks FOLDER ACTION ...    list, add, remove, export or import bookmarks
post-reader categories FOLDER [--json]     categories with their display names
post-reader duplicates FOLDER [--json]     posts published more than once, grouped
post-reader timeline FOLDER [--by P]       posts per day, week or month
post-reader related FOLDER PATH [--json]   the posts related to one post
post-reader searches FOLDER ACTION ...     list, save, delete or reorder saved searches
post-reader export FOLDER PATH OUT         one post as .html, .md or .pdf
post-reader screenshot FOLDER OUT.png ...  a PNG of the window (see --help)
post-reader --install-desktop-entry        add Post Reader to the desktop's application menu

Owns `main` (the console entry point `reader.cli:main`, and `python -m reader`) and the
parser of the terminal subcommands, which live in `reader.cli.commands` (list, problems,
show) and `reader.cli.bookmarks`. The terminal imports only `reader.core`; the window and the
screenshot command are imported only when asked for, so Qt is loaded only for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from reader import __version__
from reader.cli.bookmarks import add_bookmarks_parser
from reader.cli.commands import add_reading_parsers
from reader.cli.export import add_export_parser
from reader.cli.searches import add_searches_parser
from reader.cli.sources import add_source_parsers
from reader.cli.timeline import add_timeline_parsers
from reader.core import BugError, PostReaderError

SUBCOMMANDS = (
    "list",
    "problems",
    "show",
    "bookmarks",
    "categories",
    "duplicates",
    "timeline",
    "related",
    "searches",
    "export",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="post-reader",
        description="Read folders of Jekyll-style posts offline.",
        epilog="Without a subcommand, opens the window (on FOLDER, else the last folder or the "
        "bundled sample posts), in the system's language or --lang en|zh_CN, with --theme "
        "system|light|dark. --install-desktop-entry adds Post Reader to the application menu.",
    )
    parser.add_argument("--version", action="version", version=f"post-reader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_reading_parsers(sub)
    add_bookmarks_parser(sub)
    add_source_parsers(sub)
    add_timeline_parsers(sub)
    add_searches_parser(sub)
    add_export_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if "--install-desktop-entry" in args_list and args_list[0] not in (*SUBCOMMANDS, "screenshot"):
        from reader.desktop_entry import main as install_desktop_entry

        return install_desktop_entry()
    if args_list[:1] == ["screenshot"]:
        from reader.gui.screenshot import run_screenshot  # Qt only for the window

        return run_screenshot(args_list[1:])
    if not args_list or args_list[0] not in (*SUBCOMMANDS, "-h", "--help", "--version"):
        from reader.gui.app import run_gui  # Qt only for the window

        return run_gui(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return int(args.func(args))
    except BugError:
        raise  # the program broke its own rules: a traceback, not a one-line message
    except PostReaderError as exc:  # InputError, FolderError, StorageError, FileProblem, ...
        print(f"post-reader: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0

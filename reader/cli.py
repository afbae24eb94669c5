"""The `post-reader` command: the window by default, and terminal subcommands over the same core.

post-reader [FOLDER]                       open the window
post-reader list FOLDER [...]              list posts (newest first)
post-reader problems FOLDER [--json]       files that could not be loaded
post-reader show FOLDER PATH [--html]      one post as text or as the pane's HTML
post-reader bookmarks FOLDER ACTION ...    list, add, remove, export or import bookmarks
post-reader screenshot FOLDER OUT.png ...  a PNG of the window (see --help)
post-reader --install-desktop-entry        add Post Reader to the desktop's application menu
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__
from reader.core.library import Library, Query
from reader.core.post import Post, SortKey
from reader.core.reading.load import FolderError
from reader.core.reading.loader import load_library_cached
from reader.core.reading.parse import FileProblem, read_body
from reader.core.reading.problems import problem_line

SUBCOMMANDS = ("list", "problems", "show", "bookmarks")


class CliError(Exception):
    """A user error: printed as one line on stderr, exit status 2."""


def bundled_sample_posts() -> Path:
    """The demo folder: beside the package in a checkout, inside it when installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "sample_posts", here / "sample_posts"):
        if candidate.is_dir():
            return candidate
    raise CliError("the bundled sample_posts folder is missing; give a folder to open")


def _load(folder: str) -> Library:
    try:
        return load_library_cached(folder)
    except FolderError as exc:
        raise CliError(str(exc)) from None


def _relative_path(library: Library, path: str) -> str:
    """A post path given on the command line, relative to the folder ('/' separators)."""
    p = Path(path)
    root = library.root
    if p.is_absolute():
        try:
            rel = p.resolve().relative_to(root)
        except ValueError:
            raise CliError(f"path is outside the folder {root}: {path}") from None
    else:
        resolved = (root / p).resolve()
        try:
            rel = resolved.relative_to(root)
        except ValueError:
            raise CliError(f"path is outside the folder {root}: {path}") from None
    return rel.as_posix()


def _format_line(post: Post) -> str:
    date = post.date.strftime("%Y-%m-%d %H:%M") if post.date else "—".ljust(16)
    cats = ", ".join(post.categories)
    flags = "".join(
        f" [{flag}]"
        for flag, on in (("draft", post.draft), ("unpublished", not post.published))
        if on
    )
    return f"{date}  {post.title}{flags}" + (f"  ({cats})" if cats else "")


def cmd_list(args: argparse.Namespace) -> int:
    from reader.cli_bookmarks import bookmarked_paths_for  # imported here: it imports this module

    library = _load(args.folder)
    marks = bookmarked_paths_for(library) if args.bookmarked or args.json else set()
    query = Query(
        categories=tuple(args.category or ()),
        paths=frozenset(marks) if args.bookmarked else None,
        tags=tuple(args.tag or ()),
        sort=SortKey(args.sort),
        descending=args.sort == "date",
    )
    if args.search:
        query = _full_text(library, query, args.search)
    posts = [library.posts[i] for i in library.query(query)]
    if args.json:
        rows = [{**p.to_json(), "bookmarked": p.path in marks} for p in posts]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for post in posts:
            print(_format_line(post))
        print(f"{len(posts)} posts", file=sys.stderr)
    return 0


def _full_text(library: Library, query: Query, text: str) -> Query:
    """Answer --search with the folder's full-text index (built or updated first)."""
    from dataclasses import replace

    from reader.core.search.service import ensure_index, open_index, search_library

    index = open_index(library.root)
    try:
        ensure_index(library, index)
        filtered = query.categories or query.tags or query.paths is not None
        within = {library.posts[i].path for i in library.query(query)} if filtered else None
        hits = search_library(index, text, within)
    finally:
        index.close()
    keep_order = query.sort is SortKey.DATE
    return replace(
        query, paths=frozenset(hits.paths), path_order=hits.paths if keep_order else None
    )


def cmd_problems(args: argparse.Namespace) -> int:
    library = _load(args.folder)
    problems = sorted(library.problems, key=lambda p: p.path)
    if args.json:
        json.dump([p.to_json() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem_line(problem))  # as the window's Problems node shows it
        print(f"{len(problems)} problems", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    library = _load(args.folder)
    rel = _relative_path(library, args.path)
    post = library.post_at(rel)
    if post is None:
        problem = next((p for p in library.problems if p.path == rel), None)
        if problem is not None:
            raise CliError(f"{rel} could not be loaded: {problem.reason}")
        raise CliError(f"not a post in {library.root}: {args.path}")
    try:
        body, fmt, _warnings = read_body(library.root, rel)
    except FileProblem as exc:
        raise CliError(f"{rel}: {exc}") from None
    from reader.core.render.pipeline import RenderContext, html_to_text, render_body

    ctx = RenderContext(library.root, rel, library.site.url, library.site.baseurl)
    html = render_body(body, fmt, ctx)
    if args.html:
        print(html)
        return 0
    print(post.title)
    print("=" * min(60, max(8, len(post.title) * 2)))
    if post.date:
        print(f"Date: {post.date.isoformat()}")
    if post.categories:
        print(f"Categories: {', '.join(post.categories)}")
    if post.tags:
        print(f"Tags: {', '.join(post.tags)}")
    for warning in post.warnings:
        print(f"Warning: {warning}")
    print()
    print(html_to_text(html))
    return 0


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

    p_list = sub.add_parser("list", help="list the posts of a folder, newest first")
    p_list.add_argument("folder", metavar="FOLDER")
    p_list.add_argument(
        "--category", action="append", metavar="C", help="only posts in C (repeatable)"
    )
    p_list.add_argument(
        "--tag", action="append", metavar="T", help="only posts tagged T (repeatable)"
    )
    p_list.add_argument(
        "--search",
        metavar="TEXT",
        help='full-text search: words, Chinese of any length, "phrases", -exclude, tag:, category:',
    )
    p_list.add_argument("--sort", choices=("date", "title"), default="date")
    p_list.add_argument("--json", action="store_true", help="print a JSON array")
    p_list.add_argument("--bookmarked", action="store_true", help="only bookmarked posts")
    p_list.set_defaults(func=cmd_list)

    p_prob = sub.add_parser("problems", help="list files that could not be loaded, with reasons")
    p_prob.add_argument("folder", metavar="FOLDER")
    p_prob.add_argument("--json", action="store_true", help="print a JSON array")
    p_prob.set_defaults(func=cmd_problems)

    p_show = sub.add_parser("show", help="print one post as text, or as the reading pane's HTML")
    p_show.add_argument("folder", metavar="FOLDER")
    p_show.add_argument("path", metavar="PATH", help="the post's path inside FOLDER")
    p_show.add_argument("--html", action="store_true", help="print the rendered HTML")
    p_show.set_defaults(func=cmd_show)

    from reader.cli_bookmarks import add_bookmarks_parser  # imported here: it imports this module

    add_bookmarks_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if "--install-desktop-entry" in args_list and args_list[0] not in (*SUBCOMMANDS, "screenshot"):
        from reader.desktop_entry import main as install_desktop_entry

        return install_desktop_entry()
    if args_list[:1] == ["screenshot"]:
        from reader.gui.screenshot import run_screenshot

        return run_screenshot(args_list[1:])
    if not args_list or args_list[0] not in (*SUBCOMMANDS, "-h", "--help", "--version"):
        from reader.gui.app import run_gui  # Qt is imported only for the window

        return run_gui(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"post-reader: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0

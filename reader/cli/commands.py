"""The terminal commands that read a folder: `list`, `problems` and `show`.

Owns those three commands, their parsers, and the two helpers every terminal command shares:
`loaded_folder` (a folder opened and loaded through `reader.core.open_folder`) and
`user_marks` (the user's marks on it, with the store's one-line warnings). Everything goes
through the public core API; errors are the core's (`InputError`, `FolderError`, ...), which
`reader.cli.main` prints as one line.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring

from reader.core import (
    FileProblem,
    Folder,
    FolderMarks,
    InputError,
    Post,
    Query,
    SortKey,
    StorageError,
    open_folder,
    parse_day,
    problem_line,
)


@contextmanager
def loaded_folder(path: str, *, naive_in_site_zone: bool = False) -> Iterator[Folder]:
    """The folder at `path`, loaded (cache first), closed on the way out; FolderError when
    it cannot be opened. `naive_in_site_zone`: times without an offset in the site's zone."""
    folder = open_folder(path, naive_times_in_site_zone=naive_in_site_zone)
    try:
        yield folder.load()
    finally:
        folder.close()


def user_marks(folder: Folder, *, writing: bool) -> FolderMarks:
    """The user's marks on `folder`. Prints the store's warning (a damaged database moved
    aside, data kept in memory only); InputError when `writing` and nothing could be saved."""
    store = folder.store
    if store.message:
        print(f"post-reader: warning: {store.message}", file=sys.stderr)
    if writing and not store.persistent:
        raise InputError("nothing was changed: the user data cannot be saved")
    if writing and not store.writable:
        raise StorageError(
            f"nothing was changed: {store.read_only_reason or 'the user data cannot be written'}"
            f" — {store.path}"
        )
    return folder.marks


def format_line(post: Post) -> str:
    """One post as `list` prints it: date, title, draft/unpublished flags, categories."""
    when = post.date
    if when is None:
        date = "—".ljust(16)
    elif when.year >= 1000:
        date = when.isoformat(" ", "minutes")[:16]  # strftime's text, three times faster
    else:
        date = when.strftime("%Y-%m-%d %H:%M")
    cats = ", ".join(post.categories)
    flags = "".join(
        f" [{flag}]"
        for flag, on in (("draft", post.draft), ("unpublished", not post.published))
        if on
    )
    return f"{date}  {post.title}{flags}" + (f"  ({cats})" if cats else "")


@contextmanager
def caught_up_folder(path: str, *, naive_in_site_zone: bool = False) -> Iterator[Folder]:
    """The folder at `path` with its cache brought up to date but not loaded: `select` and
    `search` decode only the posts they list (see `Folder.select`); closed on the way out."""
    folder = open_folder(path, naive_times_in_site_zone=naive_in_site_zone)
    try:
        folder.catch_up()
        yield folder
    finally:
        folder.close()


def cmd_list(args: argparse.Namespace) -> int:
    with caught_up_folder(args.folder, naive_in_site_zone=args.naive_in_site_zone) as folder:
        wants_marks = args.bookmarked or args.json
        marks = user_marks(folder, writing=False).bookmarked_paths() if wants_marks else set()
        query = Query(
            categories=tuple(args.category or ()),
            paths=frozenset(marks) if args.bookmarked else None,
            tags=tuple(args.tag or ()),
            sort=SortKey(args.sort),
            descending=args.sort == "date",
            since=parse_day(args.since, "--since") if args.since else None,
            until=parse_day(args.until, "--until") if args.until else None,
        )
        if args.saved:
            saved = user_marks(folder, writing=False).saved_search(args.saved)
            if saved is None:
                raise InputError(f"no saved search named {args.saved!r}")
            if saved.text.strip():
                folder.update_index()
            query = _within(folder.saved_query(saved, query.sort), query)
        if args.search:
            # Searching is listing with a text condition: the same Query, narrowed to the hits.
            folder.update_index()
            query = folder.search(args.search, query).query
        if args.hide_duplicates:
            # One row per story: the later copies of a re-published story are left out (the
            # groups are built from every post: this one loads the folder).
            hidden = frozenset(folder.load().duplicates().hidden_copies())
            query = dataclasses.replace(query, exclude_paths=hidden)
        posts = folder.select(query)
        urls = [folder.url(p) for p in posts] if args.json else []
    if args.json:
        rows = [
            {**p.to_json(), "url": url, "bookmarked": p.path in marks}
            for p, url in zip(posts, urls, strict=True)
        ]
        sys.stdout.write(json_rows(rows))
    else:
        # One write, not one print per post: 100,000 lines printed one by one took 0.7 s.
        sys.stdout.write("".join(f"{format_line(post)}\n" for post in posts))
        sys.stdout.flush()
        print(f"{len(posts)} posts", file=sys.stderr)
    return 0


def json_rows(rows: list[dict[str, object]]) -> str:
    """`json.dump(rows, indent=2, ensure_ascii=False)` and a newline, for rows of scalars and
    lists of strings, byte for byte: with an indent the json module encodes in Python, 5x
    slower; here each string goes straight to its C encoder (54,891 rows: 0.78-0.88 -> 0.46-0.50
    s through the encoder's method)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    text = encode_basestring  # a str as JSON (C), as the encoder does for one

    def scalar(value: object) -> str:
        if isinstance(value, str):
            return text(value)
        if value is None:
            return "null"
        if value is True or value is False:
            return "true" if value else "false"
        if type(value) is int:
            return int.__repr__(value)
        return encode(value)

    keys: dict[str, str] = {}
    out: list[str] = []
    for row in rows:
        fields = []
        for key, value in row.items():
            label = keys.get(key)
            if label is None:
                label = keys[key] = f"    {text(key)}: "
            if isinstance(value, list) and value:
                items = ",\n      ".join(map(scalar, value))
                fields.append(f"{label}[\n      {items}\n    ]")
            else:
                fields.append(label + scalar(value))
        out.append("  {\n" + ",\n".join(fields) + "\n  }")
    return "[\n" + ",\n".join(out) + "\n]\n" if out else "[]\n"


def _within(saved: Query, extra: Query) -> Query:
    """`saved`, narrowed further by the filters given on the command line as well."""
    return dataclasses.replace(
        saved,
        categories=saved.categories + extra.categories,
        tags=saved.tags + extra.tags,
        paths=saved.paths if extra.paths is None else (saved.paths or extra.paths) & extra.paths,
        since=max(filter(None, (saved.since, extra.since)), default=None),
        until=min(filter(None, (saved.until, extra.until)), default=None),
    )


def cmd_problems(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        problems = sorted(folder.library.problems, key=lambda p: p.path)
    if args.json:
        json.dump([p.to_json() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem_line(problem))  # as the window's Problems node shows it
        print(f"{len(problems)} problems", file=sys.stderr)
    return 0


def post_at(folder: Folder, path: str) -> Post:
    """The post at `path` (as given by the user); InputError saying why when there is none."""
    rel = folder.relative_path(path)
    post = folder.post(rel)
    if post is None:
        problem = next((p for p in folder.library.problems if p.path == rel), None)
        if problem is not None:
            raise InputError(f"{rel} could not be loaded: {problem.reason}")
        raise InputError(f"not a post in {folder.root}: {path}")
    return post


def cmd_show(args: argparse.Namespace) -> int:
    with loaded_folder(args.folder) as folder:
        posts = [post_at(folder, path) for path in args.paths]
        if args.json:
            # One JSON object per line and post: a whole site rendered in one process.
            for post in posts:
                try:
                    line = folder.rendered(post).to_json()
                except FileProblem as exc:
                    raise InputError(f"{post.path}: {exc}") from None
                print(json.dumps(line, ensure_ascii=False))
            return 0
        for n, post in enumerate(posts):
            try:
                html = folder.render(post)
            except FileProblem as exc:
                raise InputError(f"{post.path}: {exc}") from None
            if n:
                print()
            _print_post(post, html, args.html)
    return 0


def _print_post(post: Post, html: str, as_html: bool) -> None:
    from reader.core import html_to_text  # loaded on first use (see reader.core)

    if as_html:
        print(html)
        return
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


def add_naive_option(parser: argparse.ArgumentParser) -> None:
    """`--naive-in-site-zone`, for the commands that show dates."""
    parser.add_argument(
        "--naive-in-site-zone",
        action="store_true",
        help="read times written without an offset in the site's zone (Jekyll reads them as UTC)",
    )


def add_reading_parsers(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Register `list`, `problems` and `show` on the main parser's subcommands."""
    p_list = subparsers.add_parser("list", help="list the posts of a folder, newest first")
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
    p_list.add_argument("--saved", metavar="NAME", help="what the saved search NAME finds")
    add_naive_option(p_list)
    p_list.add_argument(
        "--since", metavar="DATE", help="only posts dated DATE (YYYY-MM-DD) or later"
    )
    p_list.add_argument("--until", metavar="DATE", help="only posts dated DATE or earlier")
    p_list.add_argument(
        "--hide-duplicates",
        action="store_true",
        help="one row per story: leave out later copies of re-published posts",
    )
    p_list.set_defaults(func=cmd_list)

    p_prob = subparsers.add_parser(
        "problems", help="list files that could not be loaded, with reasons"
    )
    p_prob.add_argument("folder", metavar="FOLDER")
    p_prob.add_argument("--json", action="store_true", help="print a JSON array")
    p_prob.set_defaults(func=cmd_problems)

    p_show = subparsers.add_parser(
        "show", help="print one post as text, or as the reading pane's HTML"
    )
    p_show.add_argument("folder", metavar="FOLDER")
    p_show.add_argument("paths", metavar="PATH", nargs="+", help="a post's path inside FOLDER")
    p_show.add_argument("--html", action="store_true", help="print the rendered HTML")
    p_show.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per line and post: path, title, html and links (href, target)",
    )
    p_show.set_defaults(func=cmd_show)

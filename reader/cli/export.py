"""The `post-reader export FOLDER PATH OUT` command: one post as the window exports it —
HTML (one self-contained file, local images embedded), Markdown (an HTML post converted) or
PDF (through Qt's printing, the only part that loads Qt).

Owns the command and its parser. The article is the core's (`Folder.export_html`,
`Folder.export_markdown`): as written, never with search highlights or window controls.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.commands import loaded_folder, post_at
from reader.core import FileProblem, InputError, StorageError

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".pdf": "pdf"}


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    kind = args.format or FORMATS.get(out.suffix.lower())
    if kind is None:
        raise InputError(f"say --format html, md or pdf, or end {out.name} in .html, .md or .pdf")
    with loaded_folder(args.folder) as folder:
        post = post_at(folder, args.path)
        if out.resolve().is_relative_to(folder.root):
            raise InputError(
                "Post Reader never writes into the folder it reads; choose OUT elsewhere"
            )
        if kind == "pdf":
            # Qt lays the article out and prints it; imported by name, only for this.
            from reader.gui.pdf_export import write_post_pdf

            write_post_pdf(folder.root, post.path, out)
            print(f"exported {post.path} to {out} (pdf)", file=sys.stderr)
            return 0
        try:
            text = folder.export_html(post) if kind == "html" else folder.export_markdown(post)
        except FileProblem as exc:
            raise InputError(f"{post.path}: {exc}") from None
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"{out} could not be written: {exc.strerror}", out) from None
    print(f"exported {post.path} to {out} ({kind})", file=sys.stderr)
    return 0


def add_export_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `export FOLDER PATH OUT` on the main parser's subcommands."""
    p = subparsers.add_parser(
        "export", help="write one post as HTML, Markdown or PDF (by OUT's extension)"
    )
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("path", metavar="PATH", help="the post's path inside FOLDER")
    p.add_argument("out", metavar="OUT", help="the file to write: .html, .md or .pdf")
    p.add_argument("--format", choices=("html", "md", "pdf"), help="default: from OUT's extension")
    p.set_defaults(func=cmd_export)

"""Saving one article as PDF: the article as written (the core's export fragment: no search
highlights, no bookmark star, window-only links as text), laid out by Qt in a reading pane of
its own and printed to a PDF file with its fonts embedded.

Owns `write_article_pdf` (the window's File › Export Article as PDF) and `write_post_pdf`
(`post-reader export FOLDER PATH OUT.pdf`, which needs Qt only for this).
"""

from __future__ import annotations

import os
from pathlib import Path

from reader.core import Folder, InputError, Post, ReadingStyle, StorageError, open_folder


def write_article_pdf(folder: Folder, post: Post, out: Path, style: ReadingStyle) -> bool:
    """Print `post` from `folder` to the PDF file `out`; True when the file was written.
    FileProblem when the post cannot be read any more. Needs a QApplication."""
    from PySide6.QtPrintSupport import QPrinter

    from reader.gui.widgets.reading_pane import ReadingPane

    pane = ReadingPane()
    try:
        pane.set_file_reader(folder.read_file)
        pane.set_style(style)
        pane.resize(900, 1200)
        pane.show_html(folder.article_html(post))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setDocName(post.title)
        pane.document().print_(printer)
    finally:
        pane.deleteLater()
    return out.is_file() and out.stat().st_size > 0


def write_post_pdf(root: Path, post_path: str, out: Path) -> None:
    """The terminal's PDF export: opens Qt (offscreen without a display), loads the folder and
    prints the post. InputError or StorageError with a one-line reason."""
    from PySide6.QtWidgets import QApplication

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(["post-reader"])
    with open_folder(root) as folder:
        folder.load()
        post = folder.post(post_path)
        if post is None:
            raise InputError(f"not a post in {root}: {post_path}")
        if not write_article_pdf(folder, post, out, ReadingStyle()):
            raise StorageError(f"{out} could not be written", out)
    del app

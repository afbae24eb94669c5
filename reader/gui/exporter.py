"""ExportController: the open article and the bookmarks, out of the window and back in.

Owns printing the article, saving it as PDF (Qt's printer), HTML (`Folder.export_html`: one
self-contained file, local images embedded) or Markdown (`Folder.export_markdown`), exporting
the bookmarks as Markdown, HTML or JSON (`FolderMarks.export_bookmarks`) and importing a JSON
export (`FolderMarks.import_bookmarks`). The `write_*`/`read_*` methods do the work without a
file dialog (tests call them); the slots ask for the file first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.core import ExportFormat, FileProblem
from reader.gui.context import WindowContext


class ExportController(QObject):
    """Printing and exporting (see the module docstring)."""

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx

    # --- the open article ---------------------------------------------------------------------

    def _export_path(self, title: str, suffix: str, filter_text: str) -> Path | None:
        post = self._ctx.article.current_post()
        if post is None:
            self._ctx.show_message(self.tr("Open an article first."), 4000)
            return None
        safe = "".join(ch for ch in post.title if ch not in '\\/:*?"<>|').strip()[:80] or "article"
        path, _ = QFileDialog.getSaveFileName(
            self._ctx.window, title, str(Path.home() / f"{safe}{suffix}"), filter_text
        )
        return Path(path) if path else None

    @Slot()
    def print_post(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self._ctx.article.current_post() is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self._ctx.window)
        if dialog.exec():
            self._ctx.pane.document().print_(printer)

    @Slot()
    def export_pdf(self) -> None:
        path = self._export_path(self.tr("Export as PDF"), ".pdf", self.tr("PDF (*.pdf)"))
        if path is not None:
            self.write_pdf(path)

    def write_pdf(self, path: Path) -> bool:
        from reader.gui.pdf_export import write_article_pdf

        ctx = self._ctx
        post, folder = ctx.article.current_post(), ctx.folder
        if post is None or folder is None:
            return False
        try:
            # The article as written, not the pane: no highlights, no star, no window links.
            ok = write_article_pdf(folder, post, path, ctx.appearance.style)
        except FileProblem as exc:
            QMessageBox.warning(ctx.window, self.tr("Export failed"), str(exc))
            return False
        self._ctx.show_message(
            self.tr("Saved {path}").format(path=path)
            if ok
            else self.tr("Could not write {path}").format(path=path),
            6000,
        )
        return ok

    @Slot()
    def export_html(self) -> None:
        path = self._export_path(self.tr("Export as HTML"), ".html", self.tr("HTML (*.html)"))
        if path is not None:
            self.write_html(path)

    def write_html(self, path: Path) -> bool:
        ctx = self._ctx
        post, folder = ctx.article.current_post(), ctx.folder
        if post is None or folder is None:
            return False
        try:
            text = folder.export_html(post, ctx.appearance.style.css())
        except FileProblem as exc:
            QMessageBox.warning(ctx.window, self.tr("Export failed"), str(exc))
            return False
        return self._write_text(path, text)

    @Slot()
    def export_markdown(self) -> None:
        path = self._export_path(self.tr("Export as Markdown"), ".md", self.tr("Markdown (*.md)"))
        if path is not None:
            self.write_markdown(path)

    def write_markdown(self, path: Path) -> bool:
        post, folder = self._ctx.article.current_post(), self._ctx.folder
        if post is None or folder is None:
            return False
        try:
            text = folder.export_markdown(post)
        except FileProblem as exc:
            QMessageBox.warning(self._ctx.window, self.tr("Export failed"), str(exc))
            return False
        return self._write_text(path, text)

    def _write_text(self, path: Path, text: str) -> bool:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            QMessageBox.warning(self._ctx.window, self.tr("Export failed"), str(exc))
            return False
        self._ctx.show_message(self.tr("Saved {path}").format(path=path), 6000)
        return True

    # --- bookmarks ----------------------------------------------------------------------------

    @Slot()
    def export_bookmarks(self) -> None:
        if self._ctx.folder is None:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self._ctx.window,
            self.tr("Export Bookmarks"),
            str(Path.home() / "bookmarks.md"),
            self.tr("Markdown (*.md);;HTML (*.html);;JSON (*.json)"),
        )
        if not path:
            return
        by_suffix: dict[str, ExportFormat] = {".html": "html", ".htm": "html", ".json": "json"}
        fmt = by_suffix.get(Path(path).suffix.lower())
        if fmt is None:
            chosen = chosen.lower()
            fmt = "json" if "json" in chosen else "html" if "html" in chosen else "md"
        self.write_bookmarks_export(Path(path), fmt)

    def write_bookmarks_export(self, path: Path, fmt: ExportFormat) -> bool:
        text = self._ctx.marks.export_text(fmt)
        if text is None:
            return False
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            QMessageBox.warning(self._ctx.window, self.tr("Export failed"), str(exc))
            return False
        self._ctx.show_message(self.tr("Bookmarks exported to {path}").format(path=path), 6000)
        return True

    @Slot()
    def import_bookmarks(self) -> None:
        if self._ctx.folder is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self._ctx.window,
            self.tr("Import Bookmarks"),
            str(Path.home()),
            self.tr("JSON export (*.json)"),
        )
        if path:
            self.read_bookmarks_import(Path(path))

    def read_bookmarks_import(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            QMessageBox.warning(self._ctx.window, self.tr("Import failed"), str(exc))
            return
        result = self._ctx.marks.import_json(text)
        if result is not None:
            text = (
                self.tr("Imported 1 bookmark ({already} already there, {missing} not found)")
                if result.added == 1
                else self.tr(
                    "Imported {added} bookmarks ({already} already there, {missing} not found)"
                )
            )
            self._ctx.show_message(
                text.format(
                    added=result.added, already=result.already, missing=len(result.unmatched)
                ),
                8000,
            )

"""Themes, reading font and line width, printing to PDF and exporting the open article."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.gui.main_window import MainWindow
from tests.unit.gui.conftest import searched_article

WindowFactory = Callable[..., MainWindow]
ALPHA = "_posts/2021-01-01-alpha.md"


def _window_lightness() -> int:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness()


def test_theme_switch_changes_palette_and_pane_and_is_remembered(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    window.appearance.set_theme("dark")
    assert _window_lightness() < 80
    assert window.pane.style_settings.dark
    assert "#1e2227" in window.pane.document().defaultStyleSheet()
    window.appearance.set_theme("light")
    assert _window_lightness() > 180
    assert not window.pane.style_settings.dark
    window.appearance.set_theme("dark")
    window.close()
    again = make_window(site, resize=False)
    assert again.appearance.prefs.theme == "dark" and again.theme_actions["dark"].isChecked()
    again.appearance.set_theme("system")


def test_reading_font_and_line_width_are_remembered(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    window.appearance.update(font_family="DejaVu Serif", font_size_pt=15.0)
    window.appearance.set_line_width("narrow")
    assert window.pane.style_settings.line_chars == 32
    assert "DejaVu Serif" in window.pane.document().defaultStyleSheet()
    window.close()
    again = make_window(site, resize=False)
    assert (
        again.appearance.prefs.font_family,
        again.appearance.prefs.font_size_pt,
        again.appearance.prefs.line_width,
    ) == (
        "DejaVu Serif",
        15.0,
        "narrow",
    )


def test_exported_pdf_holds_the_title(
    make_window: WindowFactory, site: Path, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    window = make_window(site)
    window.open_post(ALPHA)
    out = tmp_path / "alpha.pdf"
    assert window.exporter.write_pdf(out)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(out)).pages
    )
    assert "Alpha post" in text and "Alpha body text." in text


def test_exported_html_is_self_contained(make_window: WindowFactory, tmp_path: Path) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    from tests.conftest import write_files

    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    png = bytes(data.data())
    folder = write_files(
        tmp_path / "img",
        {
            "_posts/2021-01-01-pic.md": "---\ntitle: Picture\n---\n![dot](/assets/dot.png)\n",
            "assets/dot.png": png,
        },
    )
    window = make_window(folder)
    window.open_post("_posts/2021-01-01-pic.md")
    out = tmp_path / "pic.html"
    assert window.exporter.write_html(out)
    html = out.read_text(encoding="utf-8")
    assert "<title>Picture</title>" in html
    assert 'src="data:image/png;base64,' in html
    assert "postasset:" not in html


def test_exported_markdown_has_title_and_body(
    make_window: WindowFactory, site: Path, tmp_path: Path
) -> None:
    window = make_window(site)
    window.open_post(ALPHA)
    out = tmp_path / "alpha.md"
    assert window.exporter.write_markdown(out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Alpha post\n")
    assert "- Tags: python, qt" in text and "Alpha body text." in text


def test_preferences_skip_folders_reload(make_window: WindowFactory, tmp_path: Path) -> None:
    from tests.conftest import write_files

    folder = write_files(
        tmp_path / "plain",
        {"news/a.md": "---\ntitle: Kept\n---\nx", "old_post/b.md": "---\ntitle: Old copy\n---\nx"},
    )
    window = make_window(folder)
    assert len(window.library.posts) == 2  # type: ignore[union-attr]
    window.appearance.update(skip_dirs=("old_post",))
    from pytestqt.qtbot import QtBot  # noqa: F401

    window.loader.stop()
    window.open_folder(folder)
    import time

    deadline = time.monotonic() + 20
    while window.loading and time.monotonic() < deadline:
        QApplication.processEvents()
    assert [p.title for p in window.library.posts] == ["Kept"]  # type: ignore[union-attr]


def test_exports_made_during_a_search_are_the_article_as_written(
    make_window: WindowFactory, site: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    """Issue 14 #4: the pane's highlights, star and window-only links stay out of exports."""
    window = make_window(site)
    shown = searched_article(window, qtbot, "Alpha", ALPHA)
    assert 'class="hit"' in shown and "pr-" in shown  # the pane highlights and has controls
    html_out, md_out = tmp_path / "alpha.html", tmp_path / "alpha.md"
    assert window.exporter.write_html(html_out) and window.exporter.write_markdown(md_out)
    for text in (html_out.read_text(encoding="utf-8"), md_out.read_text(encoding="utf-8")):
        assert "Alpha body text." in text
        assert (
            "<mark" not in text
            and 'class="hit"' not in text
            and "pr-action:" not in text
            and "pr-tag:" not in text
        )
        assert "pr-category:" not in text and "☆" not in text and "★" not in text
    pypdf = pytest.importorskip("pypdf")
    pdf_out = tmp_path / "alpha.pdf"
    assert window.exporter.write_pdf(pdf_out)
    pages = pypdf.PdfReader(str(pdf_out)).pages
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Alpha body" in pdf_text and "☆" not in pdf_text

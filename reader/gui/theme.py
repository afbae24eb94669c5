"""The window's light and dark themes (Qt palettes) over the core's reading style
(`reader.core.ReadingStyle`: the pane's and the exports' CSS)."""

from __future__ import annotations

from reader.core import DARK, LINE_WIDTHS, THEMES, ReadingStyle

__all__ = ["LINE_WIDTHS", "THEMES", "ReadingStyle", "apply_app_theme", "dark_palette"]


def system_prefers_dark() -> bool:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> object:
    """A dark palette for the Fusion style (the same colours as the reading pane's dark CSS)."""
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    base, window, text = QColor(DARK["bg"]), QColor("#24292f"), QColor(DARK["fg"])
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, window),
        (roles.WindowText, text),
        (roles.Base, base),
        (roles.AlternateBase, QColor("#272c33")),
        (roles.ToolTipBase, QColor("#2d333b")),
        (roles.ToolTipText, text),
        (roles.Text, text),
        (roles.Button, QColor("#2d333b")),
        (roles.ButtonText, text),
        (roles.BrightText, QColor("#ffffff")),
        (roles.Highlight, QColor("#2f6fba")),
        (roles.HighlightedText, QColor("#ffffff")),
        (roles.Link, QColor(DARK["accent"])),
        (roles.PlaceholderText, QColor(DARK["muted"])),
        (roles.Mid, QColor("#3d444d")),
        (roles.Dark, QColor("#1b1f24")),
        (roles.Light, QColor("#3d444d")),
    ):
        p.setColor(role, color)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        p.setColor(disabled, role, QColor("#6e7681"))
    return p


def apply_app_theme(mode: str) -> bool:
    """Apply System, Light or Dark to the whole application; returns whether it is dark."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication, QStyleFactory

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dark = system_prefers_dark() if mode == "system" else mode == "dark"
    if mode != "system" or dark:
        # An explicit choice needs a style that honours palettes on every platform.
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None and app.style().name().lower() != "fusion":
            app.setStyle(fusion)
    palette = dark_palette() if dark else app.style().standardPalette()
    assert isinstance(palette, QPalette)
    app.setPalette(palette)
    return dark

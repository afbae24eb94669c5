"""Colours and fonts of the reading pane: fills resources/reading.css from a palette."""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from reader.resources import read_text

# Chinese-friendly first, then good Latin fallbacks; Qt picks the first installed family.
FONT_STACK = (
    '"Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "PingFang SC", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", "Source Han Sans SC", "Segoe UI", '
    '"Helvetica Neue", "DejaVu Sans", sans-serif'
)

LIGHT = {
    "fg": "#1f2328",
    "bg": "#ffffff",
    "muted": "#59636e",
    "accent": "#0b62c4",
    "code_bg": "#f3f4f6",
    "code_fg": "#1f2328",
    "border": "#d0d7de",
    "table_head": "#f0f3f6",
    "warn": "#9a6700",
    "hit_bg": "#ffe066",
    "hit_fg": "#1f2328",
}
DARK = {
    "fg": "#d8dee6",
    "bg": "#1e2227",
    "muted": "#9aa5b1",
    "accent": "#6cb6ff",
    "code_bg": "#2a2f36",
    "code_fg": "#e6edf3",
    "border": "#3d444d",
    "table_head": "#2a2f36",
    "warn": "#d29922",
    "hit_bg": "#9e6a03",
    "hit_fg": "#ffffff",
}


THEMES = ("system", "light", "dark")
LINE_WIDTHS = {"narrow": 32, "wide": 40, "full": 0}  # CJK characters per line (0: the pane)


@dataclass(frozen=True, slots=True)
class ReadingStyle:
    dark: bool = False
    font_family: str = ""
    font_size_pt: float = 12.0
    line_chars: int = LINE_WIDTHS["wide"]

    def css(self) -> str:
        palette = DARK if self.dark else LIGHT
        family = f'"{self.font_family}", {FONT_STACK}' if self.font_family else FONT_STACK
        return Template(read_text("reading.css")).safe_substitute(
            palette, font_family=family, font_size=f"{self.font_size_pt:g}pt"
        )


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

"""The reading style: the colours and fonts an article is shown and exported in, filled into
`resources/reading.css` from a palette. Qt-free, so the window's pane and every export (the
window's and the terminal's) use the same CSS.

Owns `ReadingStyle`, the `LIGHT` and `DARK` palettes, `THEMES` and `LINE_WIDTHS`.
"""

from __future__ import annotations

import functools
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
        return _css(self)


@functools.lru_cache(maxsize=32)
def _css(style: ReadingStyle) -> str:
    """The stylesheet of a style (each article shown applies it: the file was read again each
    time, a millisecond of every article opened)."""
    palette = DARK if style.dark else LIGHT
    family = f'"{style.font_family}", {FONT_STACK}' if style.font_family else FONT_STACK
    return Template(read_text("reading.css")).safe_substitute(
        palette, font_family=family, font_size=f"{style.font_size_pt:g}pt"
    )

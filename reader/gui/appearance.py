"""AppearanceController: the preferences and how the window looks.

Owns loading and saving the preferences (theme, reading font, line width, when a post counts as
read, folders to skip), applying them (the application's palette, the reading pane's style, the
read timer, a reload when the folders to skip changed), the View menu's theme and width choices,
the font dialog, the preferences dialog, following the system's colour scheme, and the reading
pane's zoom across restarts.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QFontDialog

from reader.gui.context import WindowContext
from reader.gui.theme import LINE_WIDTHS, THEMES, ReadingStyle, apply_app_theme
from reader.gui.widgets.preferences import Preferences, PreferencesDialog
from reader.gui.widgets.reading_pane import DEFAULT_ZOOM_STEP

LANGUAGE_KEY = "ui/language"  # read by reader.gui.app at start, before any window
ZOOM_KEY = "reader/zoom"


class AppearanceController(QObject):
    """The preferences' feature (see the module docstring)."""

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.prefs = Preferences()
        self.style = ReadingStyle()
        # The View menu's checkable choices, set by the window when it builds them.
        self.theme_actions: dict[str, QAction] = {}
        self.width_actions: dict[str, QAction] = {}

    def load(self) -> Preferences:
        """The saved preferences (defaults for anything missing or unreadable)."""
        get = self._ctx.settings.str_value
        theme = get("view/theme", "system")
        width = get("view/line_width", "wide")
        try:
            size = float(get("view/font_size", "12"))
            read_after = float(get("reader/read_after_s", "1.5"))
        except ValueError:
            size, read_after = 12.0, 1.5
        skips = tuple(s for s in get("scan/skip_dirs", "").split(",") if s)
        return Preferences(
            theme=theme if theme in THEMES else "system",
            font_family=get("view/font_family", ""),
            font_size_pt=min(72.0, max(6.0, size)),
            line_width=width if width in LINE_WIDTHS else "wide",
            read_after_s=max(0.0, read_after),
            skip_dirs=skips,
            language=get(LANGUAGE_KEY, ""),
        )

    def _naive_times_choice(self) -> bool | None:
        path = self._ctx.session.path
        return self._ctx.settings.naive_times_in_site_zone(path) if path is not None else None

    def save(self, prefs: Preferences) -> None:
        put = self._ctx.settings.set_str
        put("view/theme", prefs.theme)
        put("view/font_family", prefs.font_family)
        put("view/font_size", f"{prefs.font_size_pt:g}")
        put("view/line_width", prefs.line_width)
        put("reader/read_after_s", f"{prefs.read_after_s:g}")
        put("scan/skip_dirs", ",".join(prefs.skip_dirs))
        if prefs.language != self.prefs.language:
            put(LANGUAGE_KEY, prefs.language)
            self._ctx.show_message(
                self.tr("The interface language changes when Post Reader starts again"), 8000
            )
        path = self._ctx.session.path
        if prefs.naive_times_in_site_zone is not None and path is not None:
            self._ctx.settings.set_naive_times_in_site_zone(path, prefs.naive_times_in_site_zone)

    def apply(self, prefs: Preferences) -> None:
        ctx = self._ctx
        skip_changed = prefs.skip_dirs != self.prefs.skip_dirs
        folder = ctx.folder
        # Offset-less times are read at opening: another choice opens the folder again.
        zone_changed = (
            folder is not None
            and prefs.naive_times_in_site_zone is not None
            and prefs.naive_times_in_site_zone != folder.naive_times_in_site_zone
        )
        # The folder's choice is read afresh for each dialog (another folder may be open then).
        self.prefs = dataclasses.replace(prefs, naive_times_in_site_zone=None)
        dark = apply_app_theme(prefs.theme)
        if prefs.theme in self.theme_actions:
            self.theme_actions[prefs.theme].setChecked(True)
        if prefs.line_width in self.width_actions:
            self.width_actions[prefs.line_width].setChecked(True)
        ctx.marks.set_read_after(prefs.read_after_s)
        self.style = ReadingStyle(
            dark, prefs.font_family, prefs.font_size_pt, LINE_WIDTHS[prefs.line_width]
        )
        ctx.pane.set_style(self.style)
        ctx.article.refresh_header()
        if (skip_changed or zone_changed) and ctx.session.path is not None:
            ctx.session.reload(self.skip_dirs)

    @property
    def skip_dirs(self) -> frozenset[str]:
        return frozenset(self.prefs.skip_dirs)

    def update(self, **changes: object) -> None:
        """Change some preferences, save them and apply them."""
        prefs = dataclasses.replace(self.prefs, **changes)  # type: ignore[arg-type]
        self.save(prefs)
        self.apply(prefs)

    def set_theme(self, mode: str) -> None:
        if mode in THEMES:
            self.update(theme=mode)

    def set_line_width(self, width: str) -> None:
        if width in LINE_WIDTHS:
            self.update(line_width=width)

    def restore_zoom(self) -> None:
        """The reading pane's zoom as it was left (Ctrl+Wheel, View > Zoom In/Out)."""
        self._ctx.pane.set_zoom_step(self._ctx.settings.int_value(ZOOM_KEY, DEFAULT_ZOOM_STEP))

    @Slot(int)
    def on_zoom_changed(self, step: int) -> None:
        self._ctx.settings.set_int(ZOOM_KEY, step)

    @Slot()
    def on_system_colors_changed(self) -> None:
        if self.prefs.theme == "system":
            self.apply(self.prefs)

    @Slot()
    def choose_font(self) -> None:
        current = QFont(self.prefs.font_family or self._ctx.pane.font().family())
        current.setPointSizeF(self.prefs.font_size_pt)
        ok, font = QFontDialog.getFont(current, self._ctx.window, self.tr("Reading Font"))
        if ok:
            self.update(font_family=font.family(), font_size_pt=font.pointSizeF())

    @Slot()
    def show_preferences(self) -> None:
        prefs = dataclasses.replace(self.prefs, naive_times_in_site_zone=self._naive_times_choice())
        dialog = PreferencesDialog(prefs, self._ctx.window)
        if dialog.exec():
            prefs = dialog.preferences()
            self.save(prefs)
            self.apply(prefs)

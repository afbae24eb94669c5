"""PreferencesDialog: theme, reading font, line width, when a post counts as read, folder names
skipped when scanning, and where the data and cache live (with buttons to open them)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from reader.core import cache_dir, data_dir
from reader.gui.theme import LINE_WIDTHS, THEMES


@dataclass(frozen=True, slots=True)
class Preferences:
    theme: str = "system"
    font_family: str = ""
    font_size_pt: float = 12.0
    line_width: str = "wide"
    read_after_s: float = 1.5
    skip_dirs: tuple[str, ...] = ()
    language: str = ""  # "": the system's; else en or zh_CN (reader.gui.i18n.LANGUAGES)
    # The opened folder's choice (None: no folder open), kept per folder in the settings.
    naive_times_in_site_zone: bool | None = None


class PreferencesDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self._prefs = prefs
        form = QFormLayout(self)

        self.theme_combo = QComboBox(self)
        labels = {"system": self.tr("System"), "light": self.tr("Light"), "dark": self.tr("Dark")}
        for key in THEMES:
            self.theme_combo.addItem(labels[key], key)
        self.theme_combo.setCurrentIndex(THEMES.index(prefs.theme) if prefs.theme in THEMES else 0)
        form.addRow(self.tr("Theme:"), self.theme_combo)

        self.font_button = QPushButton(self)
        self.font_button.clicked.connect(self.on_choose_font)
        self._update_font_label()
        form.addRow(self.tr("Reading font:"), self.font_button)

        self.width_combo = QComboBox(self)
        width_labels = {
            "narrow": self.tr("Narrow"),
            "wide": self.tr("Wide"),
            "full": self.tr("Full width"),
        }
        for key in LINE_WIDTHS:
            self.width_combo.addItem(width_labels[key], key)
        self.width_combo.setCurrentIndex(list(LINE_WIDTHS).index(prefs.line_width))
        form.addRow(self.tr("Line width:"), self.width_combo)

        self.language_combo = QComboBox(self)
        # Each language named in itself, so it can be found in an interface one cannot read.
        for key, label in (
            ("", self.tr("System default")),
            ("en", "English"),
            ("zh_CN", "简体中文"),
        ):
            self.language_combo.addItem(label, key)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(prefs.language)))
        self.language_combo.setToolTip(self.tr("Takes effect when Post Reader starts again"))
        form.addRow(self.tr("Interface language:"), self.language_combo)

        self.read_spin = QDoubleSpinBox(self)
        self.read_spin.setRange(0.0, 60.0)
        self.read_spin.setSingleStep(0.5)
        self.read_spin.setSuffix(self.tr(" s"))
        self.read_spin.setValue(prefs.read_after_s)
        self.read_spin.setToolTip(self.tr("A post open this long counts as read (0: at once)"))
        form.addRow(self.tr("Mark as read after:"), self.read_spin)

        self.skip_edit = QLineEdit(", ".join(prefs.skip_dirs), self)
        self.skip_edit.setPlaceholderText(self.tr("e.g. old_post, backup"))
        self.skip_edit.setToolTip(
            self.tr("Folder names never scanned (besides Jekyll's own rules), comma-separated")
        )
        form.addRow(self.tr("Skip folders named:"), self.skip_edit)

        self.naive_check = QCheckBox(
            self.tr("Read times without a time zone in the site's zone"), self
        )
        self.naive_check.setChecked(bool(prefs.naive_times_in_site_zone))
        self.naive_check.setEnabled(prefs.naive_times_in_site_zone is not None)
        self.naive_check.setToolTip(
            self.tr(
                "For this folder only. Jekyll reads a time such as 2021-12-08 10:46:18 as UTC;"
                " on, it is read in the zone of the site's _config.yml"
            )
        )
        form.addRow(self.tr("This folder:"), self.naive_check)

        for label, path in ((self.tr("Data:"), data_dir()), (self.tr("Cache:"), cache_dir())):
            row = QHBoxLayout()
            shown = QLabel(str(path), self)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(self.tr("Open"), self)
            button.clicked.connect(lambda _c=False, p=path: self._open_dir(p))
            row.addWidget(shown, 1)
            row.addWidget(button)
            form.addRow(label, row)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _update_font_label(self) -> None:
        family = self._prefs.font_family or self.tr("Default")
        self.font_button.setText(f"{family}, {self._prefs.font_size_pt:g} pt")

    @Slot()
    def on_choose_font(self) -> None:
        current = QFont(self._prefs.font_family or self.font().family())
        current.setPointSizeF(self._prefs.font_size_pt)
        ok, font = QFontDialog.getFont(current, self, self.tr("Reading Font"))
        if ok:
            self._prefs = replace(
                self._prefs, font_family=font.family(), font_size_pt=max(6.0, font.pointSizeF())
            )
            self._update_font_label()

    @staticmethod
    def _open_dir(path: object) -> None:
        from pathlib import Path

        p = Path(str(path))
        p.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))

    def preferences(self) -> Preferences:
        skips = tuple(s.strip() for s in self.skip_edit.text().split(",") if s.strip())
        return replace(
            self._prefs,
            theme=str(self.theme_combo.currentData()),
            line_width=str(self.width_combo.currentData()),
            read_after_s=float(self.read_spin.value()),
            skip_dirs=skips,
            language=str(self.language_combo.currentData()),
            naive_times_in_site_zone=(
                self.naive_check.isChecked()
                if self._prefs.naive_times_in_site_zone is not None
                else None
            ),
        )

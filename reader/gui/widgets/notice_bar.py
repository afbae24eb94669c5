"""NoticeBar: a line across the window, under the toolbar, for a condition that lasts (changes
that cannot be saved, a folder that is not there any more) rather than a passing message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget


class NoticeBar(QFrame):
    """One or more lines of notice, each under its own key (whoever holds it hides it when
    `has_notices` is False)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        # The tooltip colours: a soft, theme-aware highlight that reads as "take note".
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.ToolTipBase))
        palette.setColor(
            QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.ToolTipText)
        )
        self.setPalette(palette)
        self.label = QLabel(self)
        # One line per notice, never wrapped (a toolbar gives a wrapping label a wrong height)
        # and never widening the window: a long path is cut, and the tooltip holds it all.
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        self._notices: dict[str, str] = {}

    def set_notice(self, key: str, text: str | None) -> None:
        """Show `text` under `key` (replacing what it said), or take it away with None."""
        if text is None:
            self._notices.pop(key, None)
        else:
            self._notices[key] = text
        self.label.setText("\n".join(self._notices.values()))
        self.label.setToolTip(self.label.text())

    @property
    def has_notices(self) -> bool:
        return bool(self._notices)

    def notice(self, key: str) -> str | None:
        return self._notices.get(key)

    def text(self) -> str:
        return self.label.text()

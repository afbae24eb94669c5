"""FindBar: find in the open article (Ctrl+Shift+F or /), with next and previous."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextBrowser, QToolButton, QWidget


class FindBar(QWidget):
    closed = Signal()

    def __init__(self, pane: QTextBrowser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pane = pane
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Find in article"))
        self.edit.setClearButtonEnabled(True)
        self.prev_button = QToolButton(self)
        self.prev_button.setText("▲")
        self.prev_button.setToolTip(self.tr("Previous match (Shift+F3)"))
        self.next_button = QToolButton(self)
        self.next_button.setText("▼")
        self.next_button.setToolTip(self.tr("Next match (F3)"))
        self.status = QLabel(self)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.prev_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.status)
        layout.addWidget(self.close_button)
        self.edit.returnPressed.connect(self.find_next)
        self.edit.textChanged.connect(self.on_text_changed)
        self.next_button.clicked.connect(self.find_next)
        self.prev_button.clicked.connect(self.find_previous)
        self.close_button.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._pane.setFocus()
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Override of QWidget.keyPressEvent: Esc closes, Shift+Enter goes backwards."""
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.find_previous()
            return
        super().keyPressEvent(event)

    @Slot(str)
    def on_text_changed(self, _text: str) -> None:
        cursor = self._pane.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._pane.setTextCursor(cursor)
        self.find_next()

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags: QTextDocument.FindFlag) -> bool:
        text = self.edit.text()
        if not text:
            self.status.clear()
            return False
        found = self._pane.find(text, flags)
        if not found:
            # Wrap around once.
            cursor = self._pane.textCursor()
            cursor.movePosition(
                cursor.MoveOperation.End
                if flags & QTextDocument.FindFlag.FindBackward
                else cursor.MoveOperation.Start
            )
            self._pane.setTextCursor(cursor)
            found = self._pane.find(text, flags)
        if not found:
            self.status.setText(self.tr("Not found"))
            return False
        number, count = self._position_of_match(text)
        self.status.setText(self.tr("{n} of {m}").format(n=number, m=count))
        return True

    def _position_of_match(self, text: str) -> tuple[int, int]:
        """(which match is selected, how many there are), counted as find() matches: ignoring
        case, in the document's text (one character a position, blocks separated by one)."""
        plain = self._pane.document().toPlainText().casefold()
        needle = text.casefold()
        start = self._pane.textCursor().selectionStart()
        count = number = 0
        at = plain.find(needle)
        while at >= 0:
            count += 1
            if at <= start:
                number = count
            at = plain.find(needle, at + max(1, len(needle)))
        return max(1, number), max(1, count)

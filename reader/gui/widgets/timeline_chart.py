"""TimelineChart: the bars of posts per day, week or month above the article list, and the chip
that shows the chosen range and clears it.

The chart only draws a `reader.core.Timeline` (the core counts) with QPainter in the palette's
colours, and turns a click or a drag across bars into a range of buckets (`range_chosen` with
the first bucket's start and the last one's end). Painting walks the buckets once: a few hundred
rectangles at most, whatever the number of posts.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget

from reader.core import Timeline

CHART_HEIGHT = 56
LABEL_GAP = 3  # pixels between the bars and the axis labels


class TimelineChart(QWidget):
    """Bars of a Timeline; click or drag to choose a range of buckets."""

    range_chosen = Signal(date, date)  # inclusive days

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.selected: tuple[date, date] | None = None
        self._drag_from: int | None = None
        self._drag_to: int | None = None
        self.setMinimumHeight(CHART_HEIGHT)
        self.setMaximumHeight(CHART_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        """Override of QWidget.sizeHint: as wide as it is given, a fixed height."""
        return QSize(300, CHART_HEIGHT)

    def set_timeline(self, timeline: Timeline | None, selected: tuple[date, date] | None) -> None:
        self.timeline = timeline
        self.selected = selected
        self.update()

    # --- geometry -----------------------------------------------------------------------------

    def _bars_rect(self) -> QRectF:
        label_height = self.fontMetrics().height()
        return QRectF(4, 4, max(1, self.width() - 8), max(1, self.height() - label_height - 8))

    def bucket_at(self, x: float) -> int | None:
        """The index of the bucket under the x coordinate (clamped to the ends), None without
        buckets."""
        if self.timeline is None or not self.timeline.buckets:
            return None
        rect = self._bars_rect()
        n = len(self.timeline.buckets)
        i = int((x - rect.left()) / rect.width() * n)
        return max(0, min(n - 1, i))

    # --- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Override of QWidget.paintEvent: the bars (the chosen ones in the highlight colour),
        the first and last labels, the peak."""
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        timeline = self.timeline
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        if timeline is None or not timeline.buckets:
            painter.setPen(muted)
            painter.drawText(
                self.rect(), int(Qt.AlignmentFlag.AlignCenter), self.tr("No dated posts")
            )
            painter.end()
            return
        rect = self._bars_rect()
        buckets = timeline.buckets
        n, peak = len(buckets), max(1, timeline.peak)
        step = rect.width() / n
        gap = 1.0 if step >= 4 else 0.0
        bar = QColor(palette.color(QPalette.ColorRole.Link))
        bar.setAlpha(150)
        chosen = palette.color(QPalette.ColorRole.Highlight)
        lo, hi = self._highlight_range()
        painter.setPen(Qt.PenStyle.NoPen)
        bottom = rect.bottom()
        for i, bucket in enumerate(buckets):
            if not bucket.count:
                continue
            h = max(1.0, rect.height() * bucket.count / peak)
            painter.setBrush(chosen if lo <= i <= hi else bar)
            painter.drawRect(QRectF(rect.left() + i * step, bottom - h, max(1.0, step - gap), h))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(QPointF(rect.left(), bottom + 0.5), QPointF(rect.right(), bottom + 0.5))
        painter.setPen(muted)
        label_rect = QRectF(rect.left(), bottom + LABEL_GAP, rect.width(), self.height())
        top = int(Qt.AlignmentFlag.AlignTop)
        painter.drawText(label_rect, top | int(Qt.AlignmentFlag.AlignLeft), buckets[0].label)
        painter.drawText(label_rect, top | int(Qt.AlignmentFlag.AlignRight), buckets[-1].label)
        # The scale between the end labels, when there is room for it.
        metrics = self.fontMetrics()
        scale = self._scale_text()
        ends = metrics.horizontalAdvance(buckets[0].label + buckets[-1].label)
        if ends + metrics.horizontalAdvance(scale) + 24 <= label_rect.width():
            painter.drawText(label_rect, top | int(Qt.AlignmentFlag.AlignHCenter), scale)
        painter.end()

    def _scale_text(self) -> str:
        """What a bar is, and the tallest bar's count (in the interface language)."""
        assert self.timeline is not None
        period = self.timeline.period.value
        text = {
            "day": self.tr("per day, at most {n}"),
            "week": self.tr("per week, at most {n}"),
            "month": self.tr("per month, at most {n}"),
        }.get(period, "{n}")
        return text.format(n=self.timeline.peak)

    def _highlight_range(self) -> tuple[int, int]:
        """The bucket indexes drawn as chosen: the drag in progress, else the chosen range."""
        if self._drag_from is not None and self._drag_to is not None:
            return min(self._drag_from, self._drag_to), max(self._drag_from, self._drag_to)
        if self.selected is None or self.timeline is None:
            return 1, 0
        since, until = self.selected
        inside = [
            i for i, b in enumerate(self.timeline.buckets) if b.end >= since and b.start <= until
        ]
        return (inside[0], inside[-1]) if inside else (1, 0)

    # --- the mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Override of QWidget.mousePressEvent: a drag starts at the bar under the pointer."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = self._drag_to = self.bucket_at(event.position().x())
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Override of QWidget.mouseMoveEvent: extend the drag; the tooltip names the bar."""
        i = self.bucket_at(event.position().x())
        if self._drag_from is not None:
            self._drag_to = i
            self.update()
        if i is not None and self.timeline is not None:
            b = self.timeline.buckets[i]
            self.setToolTip(self.tr("{label}: {n} posts").format(label=b.label, n=b.count))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Override of QWidget.mouseReleaseEvent: the bars from the press to here are chosen."""
        start, end = self._drag_from, self.bucket_at(event.position().x())
        self._drag_from = self._drag_to = None
        self.update()
        if start is None or end is None or self.timeline is None:
            return
        self.choose(min(start, end), max(start, end))

    def choose(self, first: int, last: int) -> None:
        """Choose the buckets `first` to `last` (what a click or a drag does)."""
        assert self.timeline is not None
        buckets = self.timeline.buckets
        self.range_chosen.emit(buckets[first].start, buckets[last].end)


class TimelineBar(QWidget):
    """The chart with the range chip under it, at the right (hidden while no range is
    chosen, so the chart keeps the whole width)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = TimelineChart(self)
        self.chip = QToolButton(self)
        self.chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.chip.setAutoRaise(False)
        self.chip.setToolTip(self.tr("Show every date again"))
        self.chip.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.chart)
        layout.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignRight)

    def show_range(self, selected: tuple[date, date] | None) -> None:
        if selected is None:
            self.chip.hide()
            return
        since, until = selected
        text = since.isoformat() if since == until else f"{since.isoformat()} – {until.isoformat()}"
        self.chip.setText(f"{text}  ✕")
        self.chip.show()

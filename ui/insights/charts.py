"""Two small QPainter charts: bars with their intervals, and a trend line per group.

Chosen over QtCharts (PySide6-Addons, ~100 MB more to install and ship) and matplotlib's Qt
backend (~40 MB, and its import costs a large part of a second): two simple charts need neither,
and this module is imported only when the Insights page is first shown, so start-up is unchanged.

Both charts label their value axis on the left (``tick_labels()``: percentages in the UI
language for rates, nice round steps in the locale's number format for means).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.i18n import format_decimal, format_percent

COLOURS = {"women_led": "#8E3B8A", "men_led": "#1F4E79", "mixed": "#2E7D32", "not_disclosed": "#7A7A7A"}
GRID, MUTED = "#C8CDD2", "#5F6368"


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """0 and round steps (1, 2, 2.5 or 5 times a power of ten) up to at least ``maximum``."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)
    return [round(i * step, 10) for i in range(math.ceil(maximum / step - 1e-9) + 1)]


class _ValueAxis:
    """The value axis both charts share: 0..1 as percentages, or nice ticks for a mean."""

    percent: bool = True
    maximum: float = 1.0

    def ticks(self) -> list[float]:
        return [0.0, 0.25, 0.5, 0.75, 1.0] if self.percent else nice_ticks(self.maximum)

    def format_tick(self, value: float) -> str:
        return format_percent(value, digits=0) if self.percent else format_decimal(value)

    def tick_labels(self) -> list[str]:
        """The labels drawn on the value axis, bottom to top (in the UI language)."""
        return [self.format_tick(t) for t in self.ticks()]

    def _top(self) -> float:
        return self.ticks()[-1] or 1.0

    def _axis(self, p: QPainter, plot: QRectF, widget: QWidget) -> Callable[[float], float]:
        """Draw the gridlines and their labels left of ``plot``; return value -> y."""
        top = self._top()

        def y_of(value: float) -> float:
            return plot.bottom() - max(0.0, min(value / top, 1.0)) * plot.height()

        line = p.fontMetrics().height()
        for tick, label in zip(self.ticks(), self.tick_labels(), strict=True):
            y = y_of(tick)
            p.setPen(QPen(QColor(GRID)))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QPen(QColor(MUTED)))
            p.drawText(QRectF(0, y - line / 2, plot.left() - 6, line),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
        return y_of

    def _axis_width(self, p: QPainter) -> float:
        return max(p.fontMetrics().horizontalAdvance(label) for label in self.tick_labels()) + 12


class BarChart(_ValueAxis, QWidget):
    """Bars with whiskers; a bar with no value shows its note (``suppressed``) instead.

    The value label sits above the bar and above its whisker, never on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[tuple[str, str, float | None, float | None, float | None, str]] = []
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, bars: list[tuple[str, str, float | None, float | None, float | None, str]],
                 percent: bool = True) -> None:
        """``bars``: (group key, label, value, low, high, text shown above the bar or instead of it);
        ``percent``: values are shares 0..1 (else means, on an axis up to the largest)."""
        self.title, self.bars, self.percent = title, bars, percent
        self.maximum = max([v for b in bars for v in (b[2], b[4]) if v is not None] or [1.0])
        self.update()

    def label_boxes(self) -> list[tuple[QRectF, QRectF | None]]:
        """Per shown bar: the value label's rectangle and the whisker's (tests: they never meet)."""
        return self._layout(self.fontMetrics().height(), [])

    def _plot(self, line: float, axis: float) -> QRectF:
        return QRectF(axis, line * 2.8, self.width() - axis - 8, self.height() - line * 4.6)

    def _layout(self, line: float, boxes: list[tuple[QRectF, QRectF | None]]) -> list[tuple[QRectF, QRectF | None]]:
        axis = max(self.fontMetrics().horizontalAdvance(label) for label in self.tick_labels()) + 12
        plot = self._plot(line, axis)
        top = self._top()
        slot = plot.width() / max(len(self.bars), 1)
        for i, (_group, _label, value, low, high, note) in enumerate(self.bars):
            if value is None:
                continue
            mid = plot.left() + i * slot + slot / 2
            y_value = plot.bottom() - max(0.0, min(value / top, 1.0)) * plot.height()
            whisker = None
            if low is not None and high is not None:
                ylo, yhi = (plot.bottom() - max(0.0, min(v / top, 1.0)) * plot.height() for v in (low, high))
                whisker = QRectF(mid - 5, yhi, 10, ylo - yhi)
            above = min(y_value, whisker.top() if whisker is not None else y_value)
            width = self.fontMetrics().horizontalAdvance(note) + 4
            boxes.append((QRectF(mid - width / 2, above - line - 2, width, line), whisker))
        return boxes

    def paintEvent(self, _event: object) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = p.fontMetrics().height()
        plot = self._plot(line, self._axis_width(p))
        p.setPen(QPen(self.palette().text().color()))
        p.drawText(QRectF(0, 0, self.width(), line * 1.4), int(Qt.AlignmentFlag.AlignLeft), self.title)
        y_of = self._axis(p, plot, self)
        if not self.bars:
            p.end()
            return
        slot = plot.width() / len(self.bars)
        labels = iter(self._layout(line, []))
        for i, (group, label, value, low, high, note) in enumerate(self.bars):
            x = plot.left() + i * slot + slot * 0.2
            w = slot * 0.6
            p.setPen(QPen(self.palette().text().color()))
            p.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 2, slot, line * 1.6),
                       int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), label)
            if value is None:
                p.setPen(QPen(QColor(MUTED)))
                p.drawText(QRectF(x - slot * 0.2, plot.bottom() - line * 1.4, slot, line),
                           int(Qt.AlignmentFlag.AlignHCenter), note)
                continue
            top = y_of(value)
            p.fillRect(QRectF(x, top, w, plot.bottom() - top), QColor(COLOURS.get(group, "#555555")))
            if low is not None and high is not None:
                mid = x + w / 2
                ylo, yhi = y_of(low), y_of(high)
                p.setPen(QPen(self.palette().text().color(), 1.5))
                p.drawLine(QPointF(mid, ylo), QPointF(mid, yhi))
                p.drawLine(QPointF(mid - 5, ylo), QPointF(mid + 5, ylo))
                p.drawLine(QPointF(mid - 5, yhi), QPointF(mid + 5, yhi))
            box, _whisker = next(labels)
            p.setPen(QPen(self.palette().text().color()))
            p.drawText(box, int(Qt.AlignmentFlag.AlignHCenter), note)
        p.end()


class TrendChart(_ValueAxis, QWidget):
    """One line per group over the quarters (values 0..1).

    Consecutive quarters are joined by a solid line; a suppressed quarter (too few cases) is
    bridged by a dashed line with a small grey tick where its point would be, and the legend
    says what the dashes mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.note = ""
        self.quarters: list[str] = []
        self.series: list[tuple[str, str, list[float | None]]] = []
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, quarters: list[str], series: list[tuple[str, str, list[float | None]]],
                 note: str = "") -> None:
        """``series``: (group key, label, one value per quarter, None where suppressed or empty);
        ``note``: the legend's explanation of the dashed bridges."""
        self.title, self.quarters, self.series, self.note = title, quarters, series, note
        self.update()

    def segments(self, values: list[float | None]) -> list[tuple[int, int, bool]]:
        """(from index, to index, dashed) between consecutive available quarters."""
        shown = [i for i, v in enumerate(values) if v is not None]
        return [(a, b, b - a > 1) for a, b in zip(shown, shown[1:], strict=False)]

    def missing_quarters(self, values: list[float | None]) -> set[int]:
        """The quarters with no point and no dashed bridge over them (ticked on the axis)."""
        bridged = {k for a, b, dashed in self.segments(values) if dashed for k in range(a + 1, b)}
        return {i for i, v in enumerate(values) if v is None} - bridged

    def paintEvent(self, _event: object) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = p.fontMetrics()
        line = fm.height()
        legend = max([fm.horizontalAdvance(label) for _g, label, _v in self.series] + [110]) + 30
        axis = self._axis_width(p)
        plot = QRectF(axis, line * 1.6, self.width() - axis - 16 - legend, self.height() - line * 3.2)
        p.setPen(QPen(self.palette().text().color()))
        p.drawText(QRectF(0, 0, self.width(), line * 1.4), int(Qt.AlignmentFlag.AlignLeft), self.title)
        y_of = self._axis(p, plot, self)
        if not self.quarters:
            p.end()
            return
        widest = max(fm.horizontalAdvance(q) for q in self.quarters)  # "2026 kv. 1" in Swedish
        inset = widest / 2 + 4  # the first and last labels fit
        plot.adjust(inset, 0, -inset, 0)
        step = plot.width() / max(len(self.quarters) - 1, 1)
        if len(self.quarters) == 1:
            plot.adjust(plot.width() / 2, 0, 0, 0)
        label_width = max(step, inset * 2)
        every = max(1, math.ceil((widest + 8) / step)) if step > 0 else 1  # labels never run into each other
        p.setPen(QPen(self.palette().text().color()))
        for i, quarter in enumerate(self.quarters):
            if i % every:
                continue
            p.drawText(QRectF(plot.left() + i * step - label_width / 2, plot.bottom() + 2, label_width, line),
                       int(Qt.AlignmentFlag.AlignHCenter), quarter)
        right = plot.right() + 16
        at_axis: set[int] = set()
        for n, (group, label, values) in enumerate(self.series):
            colour = QColor(COLOURS.get(group, "#555555"))

            def point(i: int, value: float) -> QPointF:
                return QPointF(plot.left() + i * step, y_of(value))

            for a, b, dashed in self.segments(values):
                start, end = point(a, values[a] or 0.0), point(b, values[b] or 0.0)
                pen = QPen(colour, 2, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
                p.setPen(pen)
                p.drawLine(start, end)
                if dashed:  # a grey tick where each missing quarter's point would be
                    p.setPen(QPen(QColor(MUTED), 2))
                    for k in range(a + 1, b):
                        t = (k - a) / (b - a)
                        y = start.y() + t * (end.y() - start.y())
                        x = plot.left() + k * step
                        p.drawLine(QPointF(x - 4, y), QPointF(x + 4, y))
            at_axis |= self.missing_quarters(values)
            p.setPen(QPen(colour, 2))
            p.setBrush(colour)
            for i, value in enumerate(values):
                if value is not None:
                    p.drawEllipse(point(i, value), 2.5, 2.5)
            p.setBrush(Qt.BrushStyle.NoBrush)
            y = plot.top() + n * line * 1.3
            p.fillRect(QRectF(right, y + 3, 10, 10), colour)
            p.setPen(QPen(self.palette().text().color()))
            p.drawText(QRectF(right + 14, y, legend, line * 1.2), int(Qt.AlignmentFlag.AlignLeft), label)
        p.setPen(QPen(QColor(MUTED), 2))
        for k in sorted(at_axis):  # a gap at the ends: a tick on the axis
            x = plot.left() + k * step
            p.drawLine(QPointF(x - 4, plot.bottom() - 3), QPointF(x + 4, plot.bottom() - 3))
        if self.note:
            y = plot.top() + len(self.series) * line * 1.3 + line * 0.4
            p.setPen(QPen(QColor(MUTED), 2, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(right, y + line / 2), QPointF(right + 10, y + line / 2))
            p.setPen(QPen(QColor(MUTED)))
            p.drawText(QRectF(right + 14, y, self.width() - right - 16, line * 4),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), self.note)
        p.end()

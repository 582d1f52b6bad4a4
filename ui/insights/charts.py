"""Two small QPainter charts: bars with their intervals, and a trend line per group.

Chosen over QtCharts (PySide6-Addons, ~100 MB more to install and ship) and matplotlib's Qt
backend (~40 MB, and its import costs a large part of a second): two simple charts need neither,
and this module is imported only when the Insights page is first shown, so start-up is unchanged.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

COLOURS = {"women_led": "#8E3B8A", "men_led": "#1F4E79", "mixed": "#2E7D32", "not_disclosed": "#7A7A7A"}


class BarChart(QWidget):
    """Bars (0..1) with whiskers; a bar with no value shows its note (``suppressed``) instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[tuple[str, str, float | None, float | None, float | None, str]] = []
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, bars: list[tuple[str, str, float | None, float | None, float | None, str]]) -> None:
        """``bars``: (group key, label, value, low, high, text shown above the bar or instead of it)."""
        self.title, self.bars = title, bars
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = p.fontMetrics()
        line = fm.height()
        plot = QRectF(8, line * 1.6, self.width() - 16, self.height() - line * 3.4)
        p.drawText(QRectF(0, 0, self.width(), line * 1.4), int(Qt.AlignmentFlag.AlignLeft), self.title)
        p.setPen(QPen(QColor("#C8CDD2")))
        for tick in (0.0, 0.5, 1.0):
            y = plot.bottom() - tick * plot.height()
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        if not self.bars:
            return
        slot = plot.width() / len(self.bars)
        for i, (group, label, value, low, high, note) in enumerate(self.bars):
            x = plot.left() + i * slot + slot * 0.2
            w = slot * 0.6
            p.setPen(QPen(self.palette().text().color()))
            p.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 2, slot, line * 1.6),
                       int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), label)
            if value is None:
                p.setPen(QPen(QColor("#5F6368")))
                p.drawText(QRectF(x - slot * 0.2, plot.bottom() - line * 1.4, slot, line),
                           int(Qt.AlignmentFlag.AlignHCenter), note)
                continue
            top = plot.bottom() - max(0.0, min(value, 1.0)) * plot.height()
            p.fillRect(QRectF(x, top, w, plot.bottom() - top), QColor(COLOURS.get(group, "#555555")))
            if low is not None and high is not None:
                mid = x + w / 2
                ylo, yhi = (plot.bottom() - v * plot.height() for v in (low, high))
                p.setPen(QPen(self.palette().text().color(), 1.5))
                p.drawLine(QPointF(mid, ylo), QPointF(mid, yhi))
                p.drawLine(QPointF(mid - 5, ylo), QPointF(mid + 5, ylo))
                p.drawLine(QPointF(mid - 5, yhi), QPointF(mid + 5, yhi))
            p.setPen(QPen(self.palette().text().color()))
            p.drawText(QRectF(x + w / 2 + 6, top - line, slot, line), int(Qt.AlignmentFlag.AlignLeft), note)
        p.end()


class TrendChart(QWidget):
    """One line per group over the quarters (values 0..1; a missing point breaks nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.quarters: list[str] = []
        self.series: list[tuple[str, str, list[float | None]]] = []
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, quarters: list[str], series: list[tuple[str, str, list[float | None]]]) -> None:
        self.title, self.quarters, self.series = title, quarters, series
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = p.fontMetrics().height()
        legend = 130
        plot = QRectF(8, line * 1.6, self.width() - 24 - legend, self.height() - line * 3.2)
        p.drawText(QRectF(0, 0, self.width(), line * 1.4), int(Qt.AlignmentFlag.AlignLeft), self.title)
        p.setPen(QPen(QColor("#C8CDD2")))
        for tick in (0.0, 0.5, 1.0):
            y = plot.bottom() - tick * plot.height()
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        if not self.quarters:
            return
        widest = max(p.fontMetrics().horizontalAdvance(q) for q in self.quarters)  # "2026 kv. 1" in Swedish
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
        for n, (group, label, values) in enumerate(self.series):
            colour = QColor(COLOURS.get(group, "#555555"))
            p.setPen(QPen(colour, 2))
            previous: QPointF | None = None
            for i, value in enumerate(values):
                if value is None:
                    previous = None
                    continue
                point = QPointF(plot.left() + i * step, plot.bottom() - value * plot.height())
                if previous is not None:
                    p.drawLine(previous, point)
                p.drawEllipse(point, 2.5, 2.5)
                previous = point
            y = plot.top() + n * line * 1.3
            p.fillRect(QRectF(plot.right() + 16, y + 3, 10, 10), colour)
            p.setPen(QPen(self.palette().text().color()))
            p.drawText(QRectF(plot.right() + 30, y, legend, line * 1.2), int(Qt.AlignmentFlag.AlignLeft), label)
        p.end()

"""A signature pad: draw with a mouse, a pen (with pressure) or a finger; undo, redo, clear.

The drawing is data (``likvard-strokes/1``, see ``app.pdf.strokes``): ``drawing()`` gives what
``services.records.set_drawing`` stores, ``set_drawing()`` shows a stored one, ``render_png()``
rasterises it (for a preview or an image export).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QShortcut,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.i18n import _
from app.services.records import DRAWING_FORMAT_ID

Point = tuple[float, float, float]  # x, y, pressure (0..1)
INK = QColor("#0B2A4A")
DEFAULT_PRESSURE = 0.5


class SignaturePad(QWidget):
    """Captures strokes; ``changed`` is emitted after every stroke, undo, redo or clear."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[Point]] = []
        self._redo: list[list[Point]] = []
        self._current: list[Point] | None = None
        self._tablet_down = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumSize(240, 100)
        self.setAccessibleName(_("Signature pad"))
        self.setAccessibleDescription(_("Sign with the mouse, a pen or a finger. Ctrl+Z undoes the last stroke."))
        self.setToolTip(_("Sign here"))
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo, context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.redo, context=Qt.ShortcutContext.WidgetShortcut)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(420, 150)

    # --- the data ----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self._strokes

    def can_undo(self) -> bool:
        return bool(self._strokes)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def strokes(self) -> list[list[Point]]:
        return [list(s) for s in self._strokes]

    def drawing(self) -> dict[str, Any] | None:
        """The drawing as ``likvard-strokes/1`` data, or None when nothing is drawn."""
        if not self._strokes:
            return None
        return {
            "format": DRAWING_FORMAT_ID,
            "width": float(max(self.width(), 1)),
            "height": float(max(self.height(), 1)),
            "strokes": [[[round(x, 1), round(y, 1), round(p, 2)] for x, y, p in s] for s in self._strokes],
        }

    def set_drawing(self, drawing: dict[str, Any] | None) -> None:
        """Show a stored drawing, scaled to the pad; None clears the pad."""
        self._strokes, self._redo, self._current = [], [], None
        if drawing and drawing.get("strokes"):
            sx = self.width() / float(drawing.get("width") or self.width() or 1)
            sy = self.height() / float(drawing.get("height") or self.height() or 1)
            scale = min(sx, sy) if sx > 0 and sy > 0 else 1.0
            for stroke in drawing["strokes"]:
                self._strokes.append([
                    (float(p[0]) * scale, float(p[1]) * scale, float(p[2]) if len(p) > 2 else DEFAULT_PRESSURE)
                    for p in stroke])
        self.update()
        self.changed.emit()

    # --- editing -----------------------------------------------------------------------------

    def clear(self) -> None:
        if not self._strokes and self._current is None:
            return
        self._redo = list(reversed(self._strokes)) + self._redo  # a clear can be undone stroke by stroke
        self._strokes, self._current = [], None
        self.update()
        self.changed.emit()

    def undo(self) -> None:
        if self._strokes:
            self._redo.append(self._strokes.pop())
            self.update()
            self.changed.emit()

    def redo(self) -> None:
        if self._redo:
            self._strokes.append(self._redo.pop())
            self.update()
            self.changed.emit()

    def _begin(self, pos: QPointF, pressure: float) -> None:
        self._current = [(pos.x(), pos.y(), pressure)]
        self.update()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._current is None:
            return
        x = min(max(pos.x(), 0.0), float(self.width()))
        y = min(max(pos.y(), 0.0), float(self.height()))
        last = self._current[-1]
        if abs(last[0] - x) < 0.5 and abs(last[1] - y) < 0.5:
            return  # no new information; keeps the stored drawing small
        self._current.append((x, y, pressure))
        self.update()

    def _end(self) -> None:
        if self._current is None:
            return
        self._strokes.append(self._current)
        self._current = None
        self._redo.clear()
        self.update()
        self.changed.emit()

    # --- input: mouse, tablet (pen), touch -------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and not self._tablet_down:
            self._begin(event.position(), DEFAULT_PRESSURE)
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton and not self._tablet_down:
            self._extend(event.position(), DEFAULT_PRESSURE)
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and not self._tablet_down:
            self._end()
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        kind = event.type()
        pressure = float(event.pressure()) if event.pressure() > 0 else DEFAULT_PRESSURE
        if kind == QEvent.Type.TabletPress:
            self._tablet_down = True
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove and self._tablet_down:
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._tablet_down = False
            self._end()
        event.accept()  # no synthesized mouse events for the pen

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            points = event.points()  # type: ignore[attr-defined]
            if points:
                pos = self.mapFromGlobal(points[0].globalPosition())
                if kind == QEvent.Type.TouchBegin:
                    self._begin(pos, DEFAULT_PRESSURE)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(pos, DEFAULT_PRESSURE)
            if kind in (QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
                self._end()
            event.accept()
            return True
        return super().event(event)

    # --- drawing -----------------------------------------------------------------------------

    def _paint_strokes(self, painter: QPainter, strokes: list[list[Point]], scale: float = 1.0) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for stroke in strokes:
            pressures = [p for _x, _y, p in stroke]
            width = (1.2 + 2.4 * (sum(pressures) / len(pressures))) * scale
            pen = QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            if len(stroke) == 1:
                x, y, _p = stroke[0]
                painter.drawPoint(QPointF(x * scale, y * scale))
                continue
            path = QPainterPath(QPointF(stroke[0][0] * scale, stroke[0][1] * scale))
            for x, y, _p in stroke[1:]:
                path.lineTo(x * scale, y * scale)
            painter.drawPath(path)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        baseline = self.height() - 24
        painter.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
        painter.drawLine(12, baseline, self.width() - 12, baseline)
        if self.is_empty() and self._current is None:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(QRectF(12, baseline + 2, self.width() - 24, 20), Qt.AlignmentFlag.AlignLeft,
                             _("Sign above the line"))
        self._paint_strokes(painter, self._strokes + ([self._current] if self._current else []))
        if self.hasFocus():
            painter.setPen(QPen(self.palette().highlight().color(), 1))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def render_png(self, width: int | None = None, transparent: bool = True) -> bytes:
        """The drawing as PNG bytes, ``width`` pixels wide (default: the pad's size)."""
        w = width or max(self.width(), 1)
        scale = w / max(self.width(), 1)
        h = max(int(round(self.height() * scale)), 1)
        image = QImage(w, h, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent if transparent else Qt.GlobalColor.white)
        painter = QPainter(image)
        self._paint_strokes(painter, self._strokes, scale)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

"""The signature pad: strokes from the mouse and touch, undo/redo/clear, data out and back, PNG."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from app.pdf.strokes import normalize_drawing
from ui.signature_pad import SignaturePad


def _mouse(pad, kind, x, y, button, buttons):
    pos = QPointF(x, y)
    event = QMouseEvent(kind, pos, pad.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(pad, event)


def draw(pad, points):
    left = Qt.MouseButton.LeftButton
    _mouse(pad, QEvent.Type.MouseButtonPress, *points[0], left, left)
    for x, y in points[1:]:
        _mouse(pad, QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton, left)
    _mouse(pad, QEvent.Type.MouseButtonRelease, *points[-1], left, Qt.MouseButton.NoButton)


@pytest.fixture
def pad(qtbot):
    widget = SignaturePad()
    widget.resize(400, 150)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_mouse_strokes_become_drawing_data(pad, qtbot):
    assert pad.is_empty() and pad.drawing() is None
    with qtbot.waitSignal(pad.changed):
        draw(pad, [(20, 100), (60, 40), (100, 110), (140, 50)])
    draw(pad, [(200, 80), (260, 80)])
    data = pad.drawing()
    assert data["format"] == "likvard-strokes/1" and (data["width"], data["height"]) == (400.0, 150.0)
    assert [len(s) for s in data["strokes"]] == [4, 2]
    assert data["strokes"][0][1][:2] == [60.0, 40.0]
    assert normalize_drawing(data)["strokes"][1] == [[200.0, 80.0, 0.5], [260.0, 80.0, 0.5]]


def test_moves_without_a_pressed_button_draw_nothing(pad):
    _mouse(pad, QEvent.Type.MouseMove, 10, 10, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    _mouse(pad, QEvent.Type.MouseMove, 50, 50, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    assert pad.is_empty()


def test_undo_redo_and_clear(pad):
    draw(pad, [(10, 10), (50, 50)])
    draw(pad, [(60, 60), (90, 90)])
    pad.undo()
    assert len(pad.strokes()) == 1 and pad.can_redo()
    pad.redo()
    assert len(pad.strokes()) == 2 and not pad.can_redo()
    pad.clear()
    assert pad.is_empty() and pad.drawing() is None
    pad.redo()
    pad.redo()  # a clear is undone stroke by stroke
    assert len(pad.strokes()) == 2
    pad.undo()
    draw(pad, [(5, 5), (6, 9)])
    assert not pad.can_redo()  # a new stroke drops what could be redone


def test_keyboard_undo(pad, qtbot):
    draw(pad, [(10, 10), (50, 50)])
    pad.setFocus()
    qtbot.keyClick(pad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pad.is_empty()


def test_points_outside_the_pad_are_clamped(pad):
    draw(pad, [(10, 10), (900, -40)])
    assert pad.drawing()["strokes"][0][1][:2] == [400.0, 0.0]


def test_touch_strokes(pad):
    from PySide6.QtGui import QEventPoint, QPointingDevice, QTouchEvent

    device = QPointingDevice.primaryPointingDevice()

    def touch(kind, state, x, y):
        point = QEventPoint(1, state, QPointF(x, y), pad.mapToGlobal(QPointF(x, y)))
        QApplication.sendEvent(pad, QTouchEvent(kind, device, Qt.KeyboardModifier.NoModifier, [point]))

    touch(QEvent.Type.TouchBegin, QEventPoint.State.Pressed, 30, 30)
    touch(QEvent.Type.TouchUpdate, QEventPoint.State.Updated, 80, 70)
    touch(QEvent.Type.TouchEnd, QEventPoint.State.Released, 80, 70)
    assert [p[:2] for p in pad.strokes()[0]] == [(30.0, 30.0), (80.0, 70.0)]


def test_set_drawing_shows_stored_data_scaled(pad):
    pad.set_drawing({"format": "likvard-strokes/1", "width": 800, "height": 300,
                     "strokes": [[[100, 100], [200, 200, 0.9]]]})
    assert pad.strokes() == [[(50.0, 50.0, 0.5), (100.0, 100.0, 0.9)]]
    pad.set_drawing(None)
    assert pad.is_empty()


def test_render_png(pad):
    draw(pad, [(20, 75), (380, 75)])
    png = pad.render_png(width=800, transparent=False)
    assert png.startswith(b"\x89PNG")
    image = QImage.fromData(png)
    assert (image.width(), image.height()) == (800, 300)
    assert image.pixelColor(400, 150).lightness() < 100  # ink on the line
    assert image.pixelColor(400, 20).lightness() > 240  # paper elsewhere


def test_the_pad_feeds_the_signed_summary(pad, services, all_types_version, tmp_path):
    from tests.pdf.conftest import fill_case

    draw(pad, [(20, 100), (60, 40), (100, 110), (140, 50)])
    aid = fill_case(services, all_types_version, with_drawing=False)
    rec = services.records.set_drawing(aid, pad.drawing())
    assert len(rec.signature_drawing["strokes"][0]) == 4
    result = services.summaries.export_pdf(aid, tmp_path / "s.pdf", lang="en")
    assert result.pages >= 1

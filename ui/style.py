"""The look: one modest stylesheet, a palette of calm colours and a few drawn icons.

Flags are amber with an icon and text, never colour alone.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:  # imported where used: each Qt class imported builds its Python enums (start-up)
    from PySide6.QtGui import QFont, QIcon, QPainter, QPixmap
    from PySide6.QtWidgets import QWidget

ACCENT = "#2f5d8a"
ACCENT_DARK = "#244a6e"
TEXT = "#1f2933"
MUTED = "#5b6673"
BORDER = "#d5dbe1"
SURFACE = "#ffffff"
BACKGROUND = "#f4f6f8"
FLAG_BG = "#fff4e0"
FLAG_BORDER = "#d98a00"
FLAG_TEXT = "#7a4a00"
ERROR = "#b3261e"
SUCCESS = "#2e7d32"
INFO_BG = "#e8f0f8"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {BACKGROUND}; }}
QWidget {{ color: {TEXT}; }}
QToolBar {{ background: {SURFACE}; border: none; border-bottom: 1px solid {BORDER}; spacing: 4px; padding: 3px 6px; }}
QToolBar QToolButton {{ padding: 4px 8px; border-radius: 4px; }}
QToolBar QToolButton:hover {{ background: {INFO_BG}; }}
QToolBar QToolButton:disabled {{ color: #a3adb8; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; }}
QTableView {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px;
    gridline-color: transparent; selection-background-color: {INFO_BG}; selection-color: {TEXT};
    alternate-background-color: #f9fafb; }}
QHeaderView::section {{ background: {SURFACE}; border: none; border-bottom: 1px solid {BORDER};
    padding: 5px 6px; font-weight: 600; color: {MUTED}; }}
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit {{ background: {SURFACE}; border: 1px solid {BORDER};
    border-radius: 4px; padding: 3px 6px; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QDateEdit:focus {{ border: 1px solid {ACCENT}; }}
QLineEdit:disabled, QPlainTextEdit:disabled, QComboBox:disabled, QDateEdit:disabled {{ background: #eef1f4; color: {MUTED}; }}
QLineEdit[invalid="true"] {{ border: 1px solid {ERROR}; }}
QPushButton {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px; padding: 5px 14px; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:focus {{ border: 1px solid {ACCENT}; }}
QPushButton:disabled {{ color: #9aa5b1; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; font-weight: 600; }}
QPushButton[primary="true"]:hover {{ background: {ACCENT_DARK}; }}
QPushButton[primary="true"]:focus {{ background: {ACCENT_DARK}; border-color: #0f2132; }}
QPushButton[primary="true"]:disabled {{ background: #9db3c8; border-color: #9db3c8; color: #eef2f6; }}
QToolButton[link="true"] {{ border: none; color: {ACCENT}; padding: 2px 4px; }}
QToolButton[link="true"]:checked {{ font-weight: 600; }}
QToolButton[link="true"]:hover {{ text-decoration: underline; }}
QListWidget#sections {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px; padding: 4px; }}
QListWidget#sections::item {{ padding: 8px 6px; border-radius: 4px; }}
QListWidget#sections::item:selected {{ background: {INFO_BG}; color: {TEXT}; }}
QListWidget#flags, QListWidget#missing {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px; }}
QListWidget#flags::item, QListWidget#missing::item {{ padding: 6px 4px; border-bottom: 1px solid #eef1f4; }}
QListWidget#flags::item:selected, QListWidget#missing::item:selected {{ background: {INFO_BG}; color: {TEXT}; }}
QFrame#item {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px; }}
QFrame#item[flagged="true"] {{ border: 2px solid {FLAG_BORDER}; background: #fffdf8; }}
QFrame#item[current="true"] {{ border: 2px solid {ACCENT}; }}
QFrame#flagBox {{ background: {FLAG_BG}; border: 1px solid {FLAG_BORDER}; border-radius: 4px; }}
QLabel#flagText {{ color: {FLAG_TEXT}; }}
QLabel#guidance {{ background: {INFO_BG}; border-radius: 4px; padding: 6px 8px; color: {TEXT}; }}
QLabel#error, QLabel#fieldError {{ color: {ERROR}; }}
QLabel#muted, QLabel#hint {{ color: {MUTED}; }}
QFrame#banner {{ background: {INFO_BG}; border: 1px solid #b8cde2; border-radius: 4px; }}
QFrame#banner[kind="done"] {{ background: #e8f5e9; border-color: #a5d6a7; }}
QFrame#banner[kind="warning"] {{ background: {FLAG_BG}; border-color: {FLAG_BORDER}; }}
QFrame#banner[kind="tampered"] {{ background: #fdecea; border: 2px solid #b00020; }}
QFrame#banner[kind="tampered"] QLabel {{ color: #8a0016; font-weight: bold; }}
QFrame#card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px; }}
QProgressBar {{ border: 1px solid {BORDER}; border-radius: 4px; background: {SURFACE}; text-align: center; min-height: 1.2em; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 3px; }}
QScrollArea {{ border: none; background: transparent; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar::handle:vertical {{ background: #c3ccd5; border-radius: 4px; min-height: 28px; }}
QScrollBar::handle:vertical:hover {{ background: #9fadbb; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
QScrollBar::handle:horizontal {{ background: #c3ccd5; border-radius: 4px; min-width: 28px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QWidget#formBody, QWidget#itemsPage {{ background: transparent; }}
QGroupBox {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px; margin-top: 1.4em; padding: 8px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; font-weight: 600; }}
QDockWidget::title {{ padding: 6px; background: {SURFACE}; border-bottom: 1px solid {BORDER}; }}
"""


STYLE_ARGS = ["-style", "Fusion"]  # given to QApplication at start-up: cheaper than setStyle()


def apply_style(app: QApplication, *, set_style: bool = True) -> None:
    """Use Fusion (identical on every platform) with the house stylesheet."""
    if set_style:
        app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)


def repolish(widget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def _canvas(size: int = 64) -> tuple[QPixmap, QPainter]:
    from PySide6.QtCore import Qt  # not at import: the Qt namespace is slow to load (start-up)
    from PySide6.QtGui import QPainter, QPixmap

    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pix, painter


@cache
def flag_icon() -> QIcon:
    """An amber warning triangle with an exclamation mark."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QIcon, QPainterPath, QPen

    pix, p = _canvas()
    path = QPainterPath()
    path.moveTo(32, 6)
    path.lineTo(60, 56)
    path.lineTo(4, 56)
    path.closeSubpath()
    p.setPen(QPen(QColor(FLAG_BORDER), 3))
    p.setBrush(QColor("#f5a623"))
    p.drawPath(path)
    from PySide6.QtCore import Qt

    pen = QPen(QColor("#3d2600"), 6)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.drawLine(QPointF(32, 22), QPointF(32, 38))
    p.drawPoint(QPointF(32, 47))
    p.end()
    return QIcon(pix)


@cache
def check_icon() -> QIcon:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QIcon, QPen

    pix, p = _canvas()
    p.setPen(QPen(QColor(SUCCESS), 7))
    p.drawPolyline([QPointF(14, 34), QPointF(27, 47), QPointF(51, 18)])
    p.end()
    return QIcon(pix)


@cache
def missing_icon() -> QIcon:
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor, QIcon, QPen

    pix, p = _canvas()
    p.setPen(QPen(QColor(ACCENT), 5))
    p.setBrush(QColor(0, 0, 0, 0))
    p.drawEllipse(QRectF(10, 10, 44, 44))
    p.drawPoint(QPointF(32, 32))
    p.end()
    return QIcon(pix)


def font_scaled(font: QFont, factor: float, bold: bool = False) -> QFont:
    """``font`` scaled (relative, so it follows the user's font size, e.g. 200 %)."""
    from PySide6.QtGui import QFont

    out = QFont(font)
    if out.pointSizeF() > 0:
        out.setPointSizeF(out.pointSizeF() * factor)
    elif out.pixelSize() > 0:
        out.setPixelSize(round(out.pixelSize() * factor))
    out.setBold(bold)
    return out


def make_heading(label, factor: float = 1.35) -> None:
    """Make a QLabel a heading, relative to the application font."""
    label.setFont(font_scaled(QApplication.font(), factor, bold=True))


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` x ``height``, or less on a small screen (its buttons stay in view)."""
    screen = widget.screen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * 0.95))
        height = min(height, int(available.height() * 0.92))
    widget.resize(width, height)

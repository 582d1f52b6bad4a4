"""The wrapping lists of the filling view (sections, flags, missing items) and the role that
carries an item key in them."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QListWidget, QStyledItemDelegate, QStyleOptionViewItem

#: The list entries that lead to an item (flags, missing items) carry its key in this role.
ItemKeyRole = Qt.ItemDataRole.UserRole + 2


class WrappingDelegate(QStyledItemDelegate):
    """List entries whose text wraps to the list's width (Qt's own size hint does not know it)."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 (Qt naming)
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        metrics = option.fontMetrics
        decoration: QSize = option.decorationSize
        icon = decoration.width() + 12 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
        width = max(self.view.viewport().width() - icon - 24, 60)
        rect = metrics.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width + icon, max(rect.height(), decoration.height()) + 16)


def wrapping_list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setItemDelegate(WrappingDelegate(widget))
    return widget

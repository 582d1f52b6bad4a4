"""The revisions of a case."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_datetime, get_language
from app.services import Services


class RevisionsDialog(QDialog):
    """The revisions of a case (a signed original and its amendments); open any of them."""

    def __init__(self, services: Services, assessment_id: uuid.UUID, parent: QWidget | None = None) -> None:
        from app.domain.assessment import status_label

        super().__init__(parent)
        self.setWindowTitle(_("Revisions"))
        self.chosen: uuid.UUID | None = None
        layout = QVBoxLayout(self)
        self.list = QTreeWidget()
        self.list.setAccessibleName(_("Revisions"))
        self.list.setHeaderLabels([_("Revision"), _("Status"), _("Signed by"), _("Signed on")])
        self.list.setRootIsDecorated(False)
        lang = get_language()
        for info in services.records.chain(assessment_id):
            row = QTreeWidgetItem([str(info.revision), status_label(info.status), info.signed_by or "",
                                   format_datetime(info.signed_at, lang) if info.signed_at else ""])
            row.setData(0, Qt.ItemDataRole.UserRole, info.id)
            if info.id == assessment_id:
                font = row.font(0)
                font.setBold(True)
                for col in range(4):
                    row.setFont(col, font)
            self.list.addTopLevelItem(row)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemActivated.connect(self._open)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Open).clicked.connect(
            lambda: self._open(self.list.currentItem()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 280)

    def _open(self, row: QTreeWidgetItem | None) -> None:
        if row is not None:
            self.chosen = row.data(0, Qt.ItemDataRole.UserRole)
            self.accept()

"""The drawn signature of a case."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _
from app.services import Services
from app.services.assessments import AssessmentRecord
from ui.widgets import ErrorLabel


class SignatureDialog(QDialog):
    """Draw (or redraw) the advisor's signature for the summary; stored with the case."""

    def __init__(self, services: Services, record: AssessmentRecord, parent: QWidget | None = None) -> None:
        from ui.signature_pad import SignaturePad

        super().__init__(parent)
        self.services = services
        self.record = record
        self.setWindowTitle(_("Drawn signature"))
        layout = QVBoxLayout(self)
        hint = QLabel(_("Sign in the box with the mouse, a pen or a finger. The drawing is placed on the PDF summary."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.pad = SignaturePad()
        self.pad.set_drawing(record.signature_drawing)
        self.pad.setMinimumHeight(160)
        layout.addWidget(self.pad)
        row = QHBoxLayout()
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.clicked.connect(self.pad.undo)
        self.redo_button = QPushButton(_("Redo"))
        self.redo_button.clicked.connect(self.pad.redo)
        self.clear_button = QPushButton(_("Clear"))
        self.clear_button.clicked.connect(self.pad.clear)
        for button in (self.undo_button, self.redo_button, self.clear_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("primary", True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pad.changed.connect(self._update)
        self._update()
        self.resize(560, self.sizeHint().height())

    def _update(self) -> None:
        self.undo_button.setEnabled(self.pad.can_undo())
        self.redo_button.setEnabled(self.pad.can_redo())
        self.clear_button.setEnabled(not self.pad.is_empty())

    def save(self) -> None:
        try:
            self.record = self.services.records.set_drawing(self.record.id, self.pad.drawing())
        except LikvardError as exc:
            self.error.show_message(exc.message)
            return
        self.accept()

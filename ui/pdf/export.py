"""Export a case's PDF summary, optionally signed digitally."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.enums import LANGUAGE_CODES, LANGUAGE_NAMES, AssessmentStatus
from app.errors import LikvardError, WrongPasswordError
from app.i18n import _, get_language
from app.services import Services
from app.services.assessments import AssessmentRecord
from ui import tasks
from ui.pdf.helpers import import_identity_interactively, open_in_viewer, suggested_name, tell_no_viewer
from ui.pdf.new_identity import NewIdentityDialog
from ui.style import make_heading
from ui.widgets import ErrorLabel, guard_wheel


class ExportPdfDialog(QDialog):
    """Export a case's PDF summary, optionally signed digitally, in any language."""

    def __init__(self, services: Services, record: AssessmentRecord, *, sign: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.record = record
        self.result_info: Any = None
        self.setWindowTitle(_("Sign and export PDF") if sign else _("Export PDF"))
        layout = QVBoxLayout(self)
        heading = QLabel(_("Summary of case {reference}").format(reference=record.facts.case_reference))
        make_heading(heading, 1.15)
        layout.addWidget(heading)
        form = QFormLayout()
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language of the summary"))
        for lang in LANGUAGE_CODES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(max(0, self.language.findData(get_language())))
        form.addRow(_("Language"), self.language)
        path_row = QHBoxLayout()
        self._suggested = suggested_name(record, get_language())
        self.path = QLineEdit(str(Path.home() / self._suggested))
        self.path.setAccessibleName(_("File"))
        browse = QPushButton(_("Browse\u2026"))
        browse.clicked.connect(self.browse)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form.addRow(_("File"), path_row)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.sign = QCheckBox(_("Sign digitally (PAdES); signing locks the case"))
        self.sign.setAccessibleName(_("Sign digitally"))
        can_sign = record.status in (AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED)
        self.sign.setEnabled(can_sign)
        self.sign.setChecked(sign and can_sign)
        if not can_sign:
            self.sign.setToolTip(_("Complete the case before signing it."))
        form.addRow("", self.sign)
        identity_row = QHBoxLayout()
        self.identity = QComboBox()
        self.identity.setAccessibleName(_("Signing identity"))
        new = QPushButton(_("New\u2026"))
        new.setToolTip(_("Create a signing identity"))
        new.clicked.connect(self.new_identity)
        imp = QPushButton(_("Import\u2026"))
        imp.setToolTip(_("Import a PKCS#12 identity issued by your organisation"))
        imp.clicked.connect(self.import_identity)
        identity_row.addWidget(self.identity, 1)
        identity_row.addWidget(new)
        identity_row.addWidget(imp)
        self.identity_label = QLabel(_("Identity"))
        form.addRow(self.identity_label, identity_row)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password of the signing identity"))
        self.password_label = QLabel(_("Password"))
        form.addRow(self.password_label, self.password)
        self.open_after = QCheckBox(_("Open the PDF when it is ready"))
        self.open_after.setAccessibleName(_("Open the PDF when it is ready"))
        self.open_after.setChecked(True)
        form.addRow("", self.open_after)
        layout.addLayout(form)
        if record.status == AssessmentStatus.DRAFT:
            note = QLabel(_("This case is a draft: the summary shows the answers as they are now."))
            note.setObjectName("muted")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(_("Working"))
        self.busy.hide()
        layout.addWidget(self.busy)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)
        self.sign.toggled.connect(self._sign_toggled)
        self._fill_identities()
        self._sign_toggled(self.sign.isChecked())
        self.resize(640, self.sizeHint().height())
        guard_wheel(self)  # the wheel over an unfocused field scrolls, never changes a filter

    def _language_changed(self) -> None:
        # follow the language only while the name is still the one suggested: never a typed one
        current = Path(self.path.text())
        suggested = suggested_name(self.record, self.language.currentData())
        if current.name == self._suggested:
            self.path.setText(str(current.with_name(suggested)))
        self._suggested = suggested

    def _fill_identities(self, select: str | None = None) -> None:
        self.identity.clear()
        for ident in self.services.identities.list():
            label = f"{ident.common_name or ident.name}" + (f" \u2014 {ident.organisation}" if ident.organisation else "")
            self.identity.addItem(label, ident.name)
        if select:
            self.identity.setCurrentIndex(max(0, self.identity.findData(select)))

    def _sign_toggled(self, on: bool) -> None:
        for widget in (self.identity, self.identity_label, self.password, self.password_label):
            widget.setEnabled(on)
        self.ok_button.setText(_("Sign and export") if on else _("Export"))

    def browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export PDF"), self.path.text(), _("PDF files (*.pdf)"))
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def new_identity(self) -> None:
        dialog = NewIdentityDialog(self.services, self)
        if dialog.exec() and dialog.identity is not None:
            self._fill_identities(dialog.identity.name)

    def import_identity(self) -> None:
        ident = import_identity_interactively(self.services, self)
        if ident is not None:
            self._fill_identities(ident.name)

    def export(self) -> None:
        """Validate the choices, then render (and sign) off the UI thread."""
        path = self.path.text().strip()
        if not path:
            self.error.show_message(_("Choose a file for the PDF."))
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        identity = None
        password = None
        if self.sign.isChecked():
            if self.identity.currentData() is None:
                self.error.show_message(_("Create or import a signing identity first."))
                return
            try:
                identity = self.services.identities.find(self.identity.currentData())
            except LikvardError as exc:
                self.error.show_message(exc.message)
                return
            password = self.password.text()
        settings = self.services.settings
        lang = self.language.currentData()
        summaries = self.services.summaries
        record_id: uuid.UUID = self.record.id
        self.error.show_message(None)
        self._set_busy(True)

        def work() -> Any:
            return summaries.export_pdf(record_id, path, lang=lang, organisation=settings.organisation,
                                      logo_path=settings.logo_path, identity=identity, password=password)

        tasks.run_in_background(work, on_done=self._done, on_error=self._failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.buttons.setEnabled(not busy)

    def _done(self, result: Any) -> None:
        self._set_busy(False)
        self.result_info = result
        self.viewer_message = None
        if self.open_after.isChecked() and not open_in_viewer(result.path):
            self.viewer_message = tell_no_viewer(self.parentWidget(), result.path)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = exc.message if isinstance(exc, LikvardError) else str(exc)
        self.error.show_message(message)
        if isinstance(exc, WrongPasswordError):
            self.password.selectAll()
            self.password.setFocus()

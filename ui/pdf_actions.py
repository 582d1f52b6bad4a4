"""PDF summaries in the desktop app: export, sign and export, open, print, verify, trust list.

The work (rendering, signing, verifying, rasterising for the printer) runs off the UI thread
through ui.tasks; the dialogs only collect choices and show results.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError, WrongPasswordError
from app.i18n import LANGUAGE_NAMES, SUPPORTED_LANGUAGES, _, format_datetime, get_language
from app.services import Services
from app.services.assessments import AssessmentRecord
from ui import tasks
from ui.style import ERROR, SUCCESS, make_heading
from ui.widgets import ErrorLabel


def suggested_name(record: AssessmentRecord, lang: str) -> str:
    reference = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in record.facts.case_reference) or "case"
    return f"{reference}-r{getattr(record, 'revision', 1)}-{lang}.pdf"


def open_in_viewer(path: str | Path) -> bool:
    """Open a file in the system's viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# --- identities ------------------------------------------------------------------------------


class NewIdentityDialog(QDialog):
    """Create a self-signed signing identity (name, organisation, password twice)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New signing identity"))
        self.identity: Any = None
        settings = services.settings
        layout = QVBoxLayout(self)
        intro = QLabel(_("A signing identity is a key and a certificate kept on this computer, protected by a "
                         "password that is asked each time you sign. If your organisation issues identities, "
                         "import theirs instead."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(settings.name)
        self.name.setAccessibleName(_("Your name"))
        self.organisation = QLineEdit(settings.organisation)
        self.organisation.setAccessibleName(_("Organisation"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(_("Repeat the password"))
        form.addRow(_("Your name"), self.name)
        form.addRow(_("Organisation"), self.organisation)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Repeat the password"), self.repeat)
        layout.addLayout(form)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Create"))
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def create(self) -> None:
        from app.pdf.identity import create_identity

        if not self.name.text().strip():
            self.error.show_message(_("Enter your name."))
            return
        if len(self.password.text()) < 8:
            self.error.show_message(_("Choose a password of at least 8 characters."))
            return
        if self.password.text() != self.repeat.text():
            self.error.show_message(_("The two passwords differ."))
            return
        try:
            self.identity = create_identity(self.name.text().strip(), self.organisation.text().strip(),
                                            self.password.text())
        except LikvardError as exc:
            self.error.show_message(exc.message)
            return
        self.accept()


def import_identity_interactively(parent: QWidget) -> Any:
    """Ask for a PKCS#12 file and its password; returns the imported identity or None."""
    from app.pdf.identity import import_identity

    path, _filter = QFileDialog.getOpenFileName(parent, _("Import a signing identity"), str(Path.home()),
                                                _("PKCS#12 files (*.p12 *.pfx)"))
    if not path:
        return None
    password, ok = _ask_password(parent, _("Password of {file}").format(file=Path(path).name))
    if not ok:
        return None
    try:
        return import_identity(path, password)
    except LikvardError as exc:
        QMessageBox.warning(parent, _("Import a signing identity"), exc.message)
        return None


def _ask_password(parent: QWidget, label: str) -> tuple[str, bool]:
    from PySide6.QtWidgets import QInputDialog

    return QInputDialog.getText(parent, _("Password"), label, QLineEdit.EchoMode.Password)


# --- export -------------------------------------------------------------------------------------


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
        for lang in SUPPORTED_LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(max(0, self.language.findData(get_language())))
        form.addRow(_("Language"), self.language)
        path_row = QHBoxLayout()
        self.path = QLineEdit(str(Path.home() / suggested_name(record, get_language())))
        self.path.setAccessibleName(_("File"))
        browse = QPushButton(_("Browse\u2026"))
        browse.clicked.connect(self.browse)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form.addRow(_("File"), path_row)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.sign = QCheckBox(_("Sign digitally (PAdES); signing locks the case"))
        self.sign.setAccessibleName(_("Sign digitally"))
        can_sign = record.status in ("completed", "signed")
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
        self.open_after.setChecked(True)
        form.addRow("", self.open_after)
        layout.addLayout(form)
        if record.status == "draft":
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

    def _language_changed(self) -> None:
        current = Path(self.path.text())
        self.path.setText(str(current.with_name(suggested_name(self.record, self.language.currentData()))))

    def _fill_identities(self, select: str | None = None) -> None:
        from app.pdf.identity import list_identities

        self.identity.clear()
        for ident in list_identities():
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
        ident = import_identity_interactively(self)
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
            from app.pdf.identity import find_identity

            if self.identity.currentData() is None:
                self.error.show_message(_("Create or import a signing identity first."))
                return
            try:
                identity = find_identity(self.identity.currentData())
            except LikvardError as exc:
                self.error.show_message(exc.message)
                return
            password = self.password.text()
        settings = self.services.settings
        lang = self.language.currentData()
        signing = self.services.signing
        record_id: uuid.UUID = self.record.id
        self.error.show_message(None)
        self._set_busy(True)

        def work() -> Any:
            return signing.export_pdf(record_id, path, lang=lang, organisation=settings.organisation,
                                      logo_path=settings.logo_path, identity=identity, password=password)

        tasks.run_in_background(work, on_done=self._done, on_error=self._failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.buttons.setEnabled(not busy)

    def _done(self, result: Any) -> None:
        self._set_busy(False)
        self.result_info = result
        if self.open_after.isChecked():
            open_in_viewer(result.path)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = exc.message if isinstance(exc, LikvardError) else str(exc)
        self.error.show_message(message)
        if isinstance(exc, WrongPasswordError):
            self.password.selectAll()
            self.password.setFocus()


# --- print --------------------------------------------------------------------------------------


def render_pages(path: str | Path, dpi: int = 200) -> list[tuple[bytes, int, int]]:
    """Rasterise every page of a PDF (worker thread: no Qt objects). Returns (RGB bytes, width, height)."""
    import pypdfium2 as pdfium

    pages = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            bitmap = pdf[index].render(scale=dpi / 72)
            image = bitmap.to_pil().convert("RGB")
            pages.append((image.tobytes(), image.width, image.height))
    finally:
        pdf.close()
    return pages


def print_pdf(parent: QWidget, path: str | Path, printer: Any = None, *, temporary: bool = False) -> None:
    """Print a PDF: choose a printer (QPrintDialog), rasterise off the UI thread, then paint.

    ``temporary``: the PDF was made only for printing; its folder is removed afterwards.
    """
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    def discard() -> None:
        if temporary:
            import shutil

            shutil.rmtree(Path(path).parent, ignore_errors=True)

    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(_("Print the summary"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            discard()
            return
    progress = QProgressDialog(_("Preparing the pages\u2026"), "", 0, 0, parent)
    progress.setWindowTitle(_("Print"))
    progress.setCancelButton(None)  # type: ignore[arg-type]
    progress.setMinimumDuration(300)
    progress.setWindowModality(Qt.WindowModality.WindowModal)

    def paint(pages: list[tuple[bytes, int, int]]) -> None:
        progress.close()
        discard()
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(parent, _("Print"), _("The printer could not be started."))
            return
        try:
            for n, (data, width, height) in enumerate(pages):
                if n:
                    printer.newPage()
                image = QImage(data, width, height, width * 3, QImage.Format.Format_RGB888)
                area = QRectF(painter.viewport())
                scale = min(area.width() / width, area.height() / height)
                target = QRectF(0, 0, width * scale, height * scale)
                painter.drawImage(target, image)
        finally:
            painter.end()

    def failed(exc: BaseException) -> None:
        progress.close()
        discard()
        QMessageBox.warning(parent, _("Print"), _("The PDF could not be printed: {error}").format(error=exc))

    tasks.run_in_background(lambda: render_pages(path), on_done=paint, on_error=failed)


# --- verify -------------------------------------------------------------------------------------


class VerifyDialog(QDialog):
    """Check a signed PDF: signer, signing time, integrity and trust, against the trust list."""

    def __init__(self, parent: QWidget | None = None, path: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Verify a PDF"))
        self.result: Any = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit(path or "")
        self.path.setAccessibleName(_("PDF file to verify"))
        self.path.setPlaceholderText(_("Choose a PDF summary\u2026"))
        browse = QPushButton(_("Browse\u2026"))
        browse.clicked.connect(self.browse)
        self.verify_button = QPushButton(_("Verify"))
        self.verify_button.setProperty("primary", True)
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.verify_button)
        layout.addLayout(row)
        self.verdict = QLabel(_("Choose a file and press Verify."))
        self.verdict.setWordWrap(True)
        make_heading(self.verdict, 1.15)
        layout.addWidget(self.verdict)
        self.details = QTreeWidget()
        self.details.setAccessibleName(_("Signatures"))
        self.details.setHeaderLabels([_("Signer"), _("Organisation"), _("Signed on"), _("Integrity"), _("Trust")])
        self.details.setRootIsDecorated(False)
        self.details.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.details, 1)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setObjectName("muted")
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 380)

    def browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Verify a PDF"), str(Path.home()), _("PDF files (*.pdf)"))
        if path:
            self.path.setText(path)
            self.verify()

    def verify(self) -> None:
        from app.pdf.identity import trust_roots
        from app.pdf.verify import verify_pdf

        path = self.path.text().strip()
        if not path:
            return
        self.verify_button.setEnabled(False)
        self.verdict.setText(_("Checking\u2026"))

        def work() -> Any:
            return verify_pdf(path, trust_roots())

        tasks.run_in_background(work, on_done=self.show_result, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.verdict.setText(exc.message if isinstance(exc, LikvardError) else str(exc))

    def show_result(self, result: Any) -> None:
        from app.pdf.verify import INTEGRITY_LABELS, TRUST_LABELS

        self.result = result
        self.verify_button.setEnabled(True)
        headlines = {
            "intact": _("\u2714 The signature is valid and the document has not been changed since it was signed."),
            "altered": _("\u2716 The document was changed after it was signed, or a signature is invalid."),
            "unsigned": _("This PDF has no digital signature."),
            "unreadable": _("This file cannot be read as a PDF."),
        }
        self.verdict.setText(headlines.get(result.state, result.state))
        colour = SUCCESS if result.state == "intact" else ERROR
        self.verdict.setStyleSheet(f"color: {colour};")
        self.details.clear()
        problems = []
        for sig in result.signatures:
            when = format_datetime(sig.signing_time, get_language()) if sig.signing_time else "\u2013"
            row = QTreeWidgetItem([sig.signer, sig.organisation, when, _(INTEGRITY_LABELS.get(sig.integrity, sig.integrity)),
                                   _(TRUST_LABELS.get(sig.trust, sig.trust))])
            row.setToolTip(0, sig.subject)
            self.details.addTopLevelItem(row)
            problems += sig.problems
        if result.error:
            problems.insert(0, result.error)
        self.problems.setText("\n".join(problems))


# --- trust list (in Settings) ----------------------------------------------------------------------


class TrustListWidget(QWidget):
    """The organisation CA certificates that make a signer "trusted"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(_("Signatures by certificates issued by these organisation CAs are reported as trusted."))
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.list = QTreeWidget()
        self.list.setAccessibleName(_("Trusted certificates"))
        self.list.setHeaderLabels([_("Certificate"), _("Fingerprint (SHA-256)")])
        self.list.setRootIsDecorated(False)
        self.list.setMinimumHeight(110)
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        add = QPushButton(_("Add certificate\u2026"))
        add.clicked.connect(self.add)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self.remove)
        buttons.addWidget(add)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.refresh()

    def refresh(self) -> None:
        from app.pdf.identity import list_trusted

        self.list.clear()
        for cert in list_trusted():
            info = cert.to_dict()
            row = QTreeWidgetItem([info.get("subject", ""), info.get("fingerprint", "")[:29] + "\u2026"])
            row.setData(0, Qt.ItemDataRole.UserRole, info.get("fingerprint", ""))
            row.setToolTip(1, info.get("fingerprint", ""))
            self.list.addTopLevelItem(row)
        self.remove_button.setEnabled(self.list.topLevelItemCount() > 0)

    def add(self, path: str | None = None) -> None:
        from app.pdf.identity import add_trusted

        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Add a trusted certificate"), str(Path.home()),
                                                        _("Certificates (*.pem *.crt *.cer *.der)"))
            if not path:
                return
        try:
            add_trusted(path)
        except LikvardError as exc:
            self.error.show_message(exc.message)
            return
        self.error.show_message(None)
        self.refresh()

    def remove(self) -> None:
        from app.pdf.identity import remove_trusted

        row = self.list.currentItem()
        if row is None:
            return
        try:
            remove_trusted(row.data(0, Qt.ItemDataRole.UserRole))
        except LikvardError as exc:
            self.error.show_message(exc.message)
            return
        self.refresh()


# --- drawn signature ------------------------------------------------------------------------------


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
            self.record = self.services.signing.set_drawing(self.record.id, self.pad.drawing())
        except LikvardError as exc:
            self.error.show_message(exc.message)
            return
        self.accept()


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
        for info in services.signing.chain(assessment_id):
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

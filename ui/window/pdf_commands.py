"""The main window's PDF commands on the open case: export, sign and export, print, the drawn
signature, amending a signed case and its revisions; and, for any file, verifying a PDF and
importing the case a PDF summary carries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.enums import AssessmentStatus
from app.errors import LikvardError
from app.i18n import _
from ui import tasks
from ui.widgets import nothing_imported

if TYPE_CHECKING:
    from app.services.assessments import AssessmentRecord
    from ui.main_window import MainWindow


def open_record(window: MainWindow) -> AssessmentRecord | None:
    """The open case as stored, its pending answers saved first (None if no case is open)."""
    if window.filling is None:
        return None
    window.filling.flush()
    return window.services.assessments.get(window.filling.record.id)


def refresh_open_case(window: MainWindow) -> None:
    """The open case changed in the database (signed, a signature drawn): show it as it is now."""
    if window.filling is None:
        return
    record = window.services.assessments.get(window.filling.record.id)
    window.filling.set_record(record)
    window.list_page.model.invalidate(record.id)
    window.update_actions()


def pdf_action(window: MainWindow, kind: str) -> None:
    """Export ("export"), sign and export ("sign"), or print ("print") the open case's summary."""
    from ui.pdf import ExportPdfDialog

    record = open_record(window)
    if record is None:
        return
    if kind == "print":
        print_summary(window, record)
        return
    dialog = ExportPdfDialog(window.services, record, sign=kind == "sign", parent=window)
    accepted = dialog.exec()
    result = dialog.result_info
    dialog.deleteLater()
    window.activateWindow()
    if accepted and result is not None:
        window.statusBar().showMessage(_("Saved the summary to {path}").format(path=result.path), 8000)
        if result.signed:
            refresh_open_case(window)


def print_summary(window: MainWindow, record: AssessmentRecord) -> None:
    """Render the summary to a temporary file off the UI thread, then show the print dialog."""
    import shutil
    import tempfile

    from ui.pdf import print_pdf

    folder = Path(tempfile.mkdtemp(prefix="likvard-print-"))
    target = folder / "summary.pdf"
    settings = window.services.settings
    lang = settings.effective_language()

    def work() -> object:
        return window.services.summaries.export_pdf(record.id, target, lang=lang, organisation=settings.organisation,
                                                    logo_path=settings.logo_path)

    def failed(exc: BaseException) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        QMessageBox.warning(window, _("Print"), str(exc))

    tasks.run_in_background(work, on_done=lambda result: print_pdf(window, result.path, temporary=True),
                            on_error=failed)


def draw_signature(window: MainWindow) -> None:
    from ui.pdf import SignatureDialog

    record = open_record(window)
    if record is None:
        return
    dialog = SignatureDialog(window.services, record, window)
    if dialog.exec():
        refresh_open_case(window)
        window.statusBar().showMessage(_("Signature saved."), 4000)
    dialog.deleteLater()
    window.activateWindow()


def amend_case(window: MainWindow) -> None:
    """Start a new revision of the open signed case (after asking) and open it."""
    from app.services.records import AmendmentExistsError

    record = open_record(window)
    if record is None or record.status != AssessmentStatus.SIGNED:
        return
    answer = QMessageBox.question(
        window, _("Amend signed case"),
        _("Start revision {number} of case {reference}? The signed revision stays exactly as it was signed.")
        .format(number=record.revision + 1, reference=record.facts.case_reference))
    if answer != QMessageBox.StandardButton.Yes:
        return
    try:
        new_id = window.services.records.amend(record.id)
    except AmendmentExistsError as exc:
        new_id = exc.existing
        window.statusBar().showMessage(exc.message, 6000)
    except LikvardError as exc:
        QMessageBox.warning(window, _("Amend signed case"), exc.message)
        return
    window.list_page.refresh()
    window.open_case(new_id)


def show_revisions(window: MainWindow) -> None:
    from ui.pdf import RevisionsDialog

    if window.filling is None:
        return
    dialog = RevisionsDialog(window.services, window.filling.record.id, window)
    if dialog.exec() and dialog.chosen is not None and dialog.chosen != window.filling.record.id:
        window.open_case(dialog.chosen)
    dialog.deleteLater()


def verify_pdf(window: MainWindow) -> None:
    from ui.pdf import VerifyDialog

    dialog = VerifyDialog(window)
    dialog.exec()
    dialog.deleteLater()


def import_pdf(window: MainWindow, path: str | None = None) -> QMessageBox | None:
    """Add the case a PDF summary carries (asking for the file if ``path`` is None) and open it.

    The outcome is said in the status bar; a refusal, or a case imported as an unsigned draft
    because the file claims a signature it does not carry, also in a message box that does not
    block (opened, not executed), which is returned.
    """
    if path is None:
        path, _filter = QFileDialog.getOpenFileName(window, _("Import a PDF summary"), str(Path.home()),
                                                    _("PDF files (*.pdf)"))
        if not path:
            return None
    name = Path(path).name
    try:
        result = window.services.summaries.import_pdf(path)
    except LikvardError as exc:
        text = nothing_imported(name)  # the same words as every other import
        window.statusBar().showMessage(text, 8000)
        return _tell(window, text, exc.message)
    window.list_page.refresh()
    window.open_case(result.assessment_id)
    window.statusBar().showMessage(
        _("Imported the case from {file}.").format(file=name) if result.created
        else _("This case is already in the database."), 6000)
    if result.downgraded:  # the file claims a signature it does not carry: say so, without blocking
        return _tell(window, result.downgraded)
    return None


def _tell(window: MainWindow, text: str, details: str = "") -> QMessageBox:
    """A warning about an import that leaves the window usable (and tests running) while shown."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Import a PDF summary"), text, QMessageBox.StandardButton.Ok, window)
    box.setObjectName("importPdfOutcome")
    if details:
        box.setInformativeText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box

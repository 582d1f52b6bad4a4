"""Importing a PDF summary from the File menu never blocks the window (issue 9): a file that cannot
be imported says nothing was imported, a forged signed summary is imported as an unsigned draft,
each said in the status bar and in a message box that is opened, not executed."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.enums import AssessmentStatus
from app.exchange.assessment_format import content_hash
from tests.pdf.conftest import PASSWORD, fill_case
from tests.pdf.helpers import flip_byte_in_signed_range
from tests.ui.conftest import when_modal


def _import_from_menu(window, path: Path) -> list[QMessageBox]:
    """File → Import a PDF summary…, choose ``path`` in the file dialog; the message boxes shown after.

    A message box executed (modal, blocking) would stop the test here: a guard closes it after a
    few seconds and the test fails instead of hanging."""
    failures: list[BaseException] = []

    def choose(dialog: QFileDialog) -> None:
        dialog.selectFile(str(path))
        dialog.accept()

    when_modal(QFileDialog, choose, failures)
    blocked: list[str] = []

    def guard() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            blocked.append(box.text())
            box.done(0)

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(guard)
    timer.start(4000)
    window.act_import_pdf.trigger()
    timer.stop()
    assert not failures, failures
    assert not blocked, f"the import waited on a modal message box: {blocked}"
    return [w for w in window.findChildren(QMessageBox) if w.isVisible()]


def test_files_that_cannot_be_imported_say_nothing_was_imported(qtbot, window, services, all_types_version,
                                                                 identity, tmp_path):
    aid = fill_case(services, all_types_version)
    signed = tmp_path / "signed.pdf"
    services.summaries.export_pdf(aid, signed, lang="en", identity=identity, password=PASSWORD)
    not_a_pdf = tmp_path / "notes.pdf"
    not_a_pdf.write_text("These are my notes, not a PDF summary.\n", encoding="utf-8")
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(flip_byte_in_signed_range(signed.read_bytes()))
    before = services.assessments.count()
    for path in (not_a_pdf, altered):
        boxes = _import_from_menu(window, path)
        assert len(boxes) == 1, path.name
        box = boxes[0]
        assert box.text() == f"Nothing was imported from {path.name}; nothing in the database changed.", box.text()
        assert box.informativeText(), "the reason is given"
        assert box.windowModality() != Qt.WindowModality.ApplicationModal
        assert window.statusBar().currentMessage() == f"Nothing was imported from {path.name}; nothing in the database changed."
        assert window.filling is None and services.assessments.count() == before
        box.close()
        QApplication.processEvents()


def test_a_summary_claiming_a_signature_it_lacks_is_imported_as_an_unsigned_draft(qtbot, window, services,
                                                                                  all_types_version, tmp_path):
    aid = fill_case(services, all_types_version)
    services.records.sign(aid, "Åsa Lindström")
    rec = services.assessments.get(aid)
    forged = dataclasses.replace(rec, id=uuid.uuid4(), answers={**rec.answers, "family_asked": "no"},
                                 facts=dataclasses.replace(rec.facts, case_reference=rec.facts.case_reference + "-F"))
    forged = dataclasses.replace(forged, signed_hash=content_hash(forged))
    path = tmp_path / "forged.pdf"
    path.write_bytes(services.summaries.render_pdf(forged, "en")[0])  # says signed, carries no signature
    boxes = _import_from_menu(window, path)
    assert services.assessments.get(forged.id).status == AssessmentStatus.DRAFT
    assert window.filling is not None and window.filling.record.id == forged.id  # the imported case is open
    assert len(boxes) == 1 and "imported as an unsigned draft" in boxes[0].text()
    assert window.statusBar().currentMessage() == "Imported the case from forged.pdf."
    boxes[0].close()

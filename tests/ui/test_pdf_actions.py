"""PDF in the desktop app: export and sign through the dialog, verify, print, the trust list."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.pdf.conftest import PASSWORD, fill_case


def test_sign_and_export_through_the_dialog_then_verify(qtbot, services, all_types_version, identity, tmp_path,
                                                         styled_app):
    from ui.pdf import ExportPdfDialog, VerifyDialog

    aid = fill_case(services, all_types_version)
    record = services.assessments.get(aid)
    dialog = ExportPdfDialog(services, record, sign=True)
    qtbot.addWidget(dialog)
    assert dialog.sign.isChecked() and dialog.identity.count() == 1
    out = tmp_path / "signed.pdf"
    dialog.open_after.setChecked(False)
    dialog.language.setCurrentIndex(dialog.language.findData("sv"))
    assert dialog.path.text().endswith("-sv.pdf")  # the suggested name follows the language
    dialog.path.setText(str(out))
    dialog.password.setText("wrong password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isHidden() and "wrong" in dialog.error.text()
    assert not out.exists() and services.assessments.get(aid).status == "completed"
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result_info is not None and dialog.result_info.signed
    assert out.exists() and services.assessments.get(aid).status == "signed"

    verify = VerifyDialog(path=str(out))
    qtbot.addWidget(verify)
    qtbot.mouseClick(verify.verify_button, Qt.MouseButton.LeftButton)
    assert verify.result.state == "intact"
    row = verify.details.topLevelItem(0)
    assert row.text(0) == "Åsa Lindström" and row.text(4) == "signer not in the trust list"

    # trust the identity's certificate through the settings widget: now "trusted"
    from ui.pdf import TrustListWidget

    trust = TrustListWidget(services)
    qtbot.addWidget(trust)
    trust.add(str(identity.certificate_path))
    assert trust.list.topLevelItemCount() == 1
    qtbot.mouseClick(verify.verify_button, Qt.MouseButton.LeftButton)
    assert verify.details.topLevelItem(0).text(4) == "trusted"

    # one changed byte in the signed range: altered
    data = bytearray(out.read_bytes())
    index = data.find(b"/Producer")
    data[index + 1] = ord("X") if data[index + 1] != ord("X") else ord("Y")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    verify.path.setText(str(tampered))
    qtbot.mouseClick(verify.verify_button, Qt.MouseButton.LeftButton)
    assert verify.result.state != "intact" and verify.result.exit_code != 0


def test_export_of_a_draft_unsigned_and_print_to_a_pdf_printer(qtbot, services, all_types_version, tmp_path,
                                                               styled_app):
    from PySide6.QtPrintSupport import QPrinter

    from ui.pdf import ExportPdfDialog, print_pdf

    aid = fill_case(services, all_types_version, complete=False)
    dialog = ExportPdfDialog(services, services.assessments.get(aid))
    qtbot.addWidget(dialog)
    assert not dialog.sign.isEnabled()  # a draft cannot be signed
    out = tmp_path / "draft.pdf"
    dialog.path.setText(str(out))
    dialog.open_after.setChecked(False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert out.exists() and not dialog.result_info.signed

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    print_pdf(dialog, out, printer)
    import pypdfium2 as pdfium

    assert len(pdfium.PdfDocument(str(printed))) == len(pdfium.PdfDocument(str(out))) >= 1


def test_unwritable_folder_gives_a_clear_error(qtbot, services, all_types_version, tmp_path, styled_app):
    from ui.pdf import ExportPdfDialog

    aid = fill_case(services, all_types_version, complete=False)
    dialog = ExportPdfDialog(services, services.assessments.get(aid))
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "missing" / "folder" / "x.pdf"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "does not exist" in dialog.error.text() and dialog.result_info is None


def test_changing_the_language_keeps_a_typed_file_name(qtbot, services, all_types_version, tmp_path):
    """Issue 10 item 7: only the suggested name follows the language, never one the user typed."""
    from ui.pdf import ExportPdfDialog

    dialog = ExportPdfDialog(services, services.assessments.get(fill_case(services, all_types_version)))
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    assert dialog.path.text().endswith("-fr.pdf")  # untouched: follows
    typed = str(tmp_path / "my own name.pdf")
    dialog.path.setText(typed)
    dialog.language.setCurrentIndex(dialog.language.findData("sv"))
    assert dialog.path.text() == typed
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.path.text() == typed


def test_no_pdf_viewer_is_said_with_the_path(qtbot, services, all_types_version, tmp_path):
    """Issue 10 item 10: the offscreen platform has no viewer; the user is told where the file is."""
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ui.pdf import ExportPdfDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ExportPdfDialog(services, services.assessments.get(fill_case(services, all_types_version)), parent=parent)
    out = tmp_path / "summary.pdf"
    dialog.path.setText(str(out))
    assert dialog.open_after.isChecked()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_info is not None, timeout=20000)
    assert out.exists()
    boxes = [w for w in parent.findChildren(QMessageBox) if w.isVisible()]
    assert len(boxes) == 1 and str(out) in boxes[0].text() and "no PDF viewer" in boxes[0].text()
    boxes[0].close()


def test_a_pdf_claiming_a_signature_it_lacks_is_imported_as_a_draft_and_said(qtbot, window, services,
                                                                             all_types_version, identity, tmp_path):
    """Issue 13 item 1 in the GUI: a stripped signature gives an unsigned draft and a visible warning."""
    import dataclasses

    from PySide6.QtWidgets import QMessageBox

    from app.exchange.assessment_format import content_hash

    aid = fill_case(services, all_types_version)
    services.records.sign(aid, "Åsa Lindström")
    rec = services.assessments.get(aid)
    forged = dataclasses.replace(rec, id=__import__("uuid").uuid4(), facts=dataclasses.replace(rec.facts, case_reference=rec.facts.case_reference + "-F"),
                             answers={**rec.answers, "family_asked": "no"})
    forged = dataclasses.replace(forged, signed_hash=content_hash(forged))
    path = tmp_path / "stripped.pdf"
    path.write_bytes(services.summaries.render_pdf(forged, "en")[0])
    window.import_pdf(str(path))
    assert services.assessments.get(forged.id).status == "draft"
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert len(boxes) == 1 and "unsigned draft" in boxes[0].text()
    boxes[0].close()


def test_a_pdf_that_cannot_be_imported_says_nothing_was_imported(qtbot, window, services, tmp_path):
    """Issue 10 item 11: the error of a failed import starts by saying that nothing got in."""


    path = tmp_path / "not a summary.pdf"
    path.write_bytes(b"%PDF-1.4\n% not a summary of ours\n%%EOF\n")
    before = len(services.assessments.list())
    box = window.import_pdf(str(path))  # the box does not block the window (nor the test)
    assert box is not None and box.isVisible()
    seen = [(box.text(), box.informativeText())]
    box.close()
    heading, details = seen[0]
    assert heading == "Nothing was imported from not a summary.pdf; nothing in the database changed."
    assert details.strip() and details != heading
    assert len(services.assessments.list()) == before

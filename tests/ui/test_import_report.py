"""A partial XLSForm import in the template window: confirm, then the full row-by-row report in a
resizable window beside the editor, copyable as text."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import when_modal

FORM = Path(__file__).resolve().parents[1] / "data" / "xlsform-real" / "hotosm_waterpoints.xls"


def test_partial_import_shows_the_whole_report_beside_the_editor(qtbot, services, styled_app):
    from ui.templates import TemplateManager
    from ui.templates.import_report import ImportReportDialog

    manager = TemplateManager(services)
    qtbot.addWidget(manager)
    manager.show()
    failures: list[BaseException] = []
    when_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click(), failures)
    manager.import_file(str(FORM))
    assert not failures, failures
    dialog = manager.import_report
    assert isinstance(dialog, ImportReportDialog) and dialog.isVisible() and not dialog.isModal()
    assert dialog.isSizeGripEnabled()
    version = services.templates.find_version("waterpoints")
    assert version.status == "draft"
    skipped = dialog.skipped
    assert skipped and dialog.table.rowCount() == len(skipped)
    dialog.copy()
    copied = QGuiApplication.clipboard().text()
    assert len(copied.splitlines()) == len(skipped)
    for entry in skipped:
        assert entry.reason in copied
    if os.environ.get("LIKVARD_SCREENSHOTS"):
        dialog.grab().save(os.environ["LIKVARD_SCREENSHOTS"] + "/import_report.png")
    dialog.close()
    qtbot.waitUntil(lambda: manager.import_report is None, timeout=2000)


def test_a_placeholder_in_a_label_shows_the_answer_while_filling(qtbot, services, styled_app, tmp_path):
    import openpyxl

    from app.domain.facts import CaseFacts
    from ui.filling import FillingView

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in (["type", "name", "label", "relevant"], ["text", "owner", "Who owns the business?"],
                ["select_one yn", "asked", "Was ${owner} asked about the guarantee?", "${owner} != ''"],
                ["note", "gone", "Seen by ${surveyor}"]):
        ws.append(row)
    choices = wb.create_sheet("choices")
    for row in (["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]):
        choices.append(row)
    path = tmp_path / "placeholders.xlsx"
    wb.save(path)
    outcome = services.templates.import_file(path, allow_partial=True)
    assert [s.kind for s in outcome.skipped] == ["placeholder"]  # ${surveyor} points nowhere: stripped
    case = services.assessments.create(outcome.version.id, CaseFacts(case_reference="P-1"))
    view = FillingView(services, services.assessments.get(case))
    qtbot.addWidget(view)
    view.show()
    owner, asked = view.items["owner"], view.items["asked"]
    assert asked.label.text() == "Was \u2026 asked about the guarantee?"
    assert not asked.isVisibleTo(view)
    owner.load("Amina", "")
    owner.edited.emit("owner")
    assert asked.label.text() == "Was Amina asked about the guarantee?"
    assert view.items["gone"].label.text() == "Seen by"
    view.autosaver.flush()

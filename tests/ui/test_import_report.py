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


def test_the_report_is_kept_with_the_draft_reopened_and_a_row_leads_to_its_item(qtbot, services, styled_app, tmp_path):
    import openpyxl
    from PySide6.QtCore import Qt

    from ui.templates import TemplateManager
    from ui.templates.import_report import ImportReportDialog

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in (["type", "name", "label", "relevant"], ["text", "first", "First"], ["calculate", "calc", None],
                ["text", "t", "T", "${calc} > 3"]):
        ws.append(row)
    path = tmp_path / "partial.xlsx"
    wb.save(path)

    manager = TemplateManager(services)
    qtbot.addWidget(manager)
    manager.show()
    failures: list[BaseException] = []
    when_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click(), failures)
    manager.import_file(str(path))
    assert not failures, failures
    assert manager.act_report.isEnabled()
    manager.import_report.close()
    qtbot.waitUntil(lambda: manager.import_report is None, timeout=2000)

    # another version: no report, the action is off; back to the draft: on again
    draft_id = manager.current_version_id()
    manager.refresh(services.templates.find_version("all_types").id)
    assert not manager.act_report.isEnabled()
    manager.refresh(draft_id)
    editor = manager.editor
    assert editor is not None and manager.act_report.isEnabled()
    lines = [editor.problem_list.item(i) for i in range(editor.problem_list.count())]
    [line] = [e for e in lines if "left out" in e.text()]
    assert line.text().startswith("2 rows of the imported file were left out")

    manager.act_report.trigger()
    dialog = manager.import_report
    assert isinstance(dialog, ImportReportDialog) and dialog.isVisible()
    assert [s.row for s in dialog.skipped] == [3, 4]
    assert "partial.xlsx" in dialog.windowTitle()
    assert editor.selected == (None, None)
    # the dropped question: nothing to select, and the tooltip says so
    assert "not imported" in dialog.table.item(0, 0).toolTip()
    rect = dialog.table.visualItemRect(dialog.table.item(0, 3))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.selected == (None, None)
    # the dropped condition of t: t is selected in the editor
    assert "\u201ct\u201d" in dialog.table.item(1, 0).toolTip()
    rect = dialog.table.visualItemRect(dialog.table.item(1, 3))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    si, ii = editor.selected
    assert editor.content.sections[si].items[ii].key == "t"
    assert editor.tree.currentItem().data(0, Qt.ItemDataRole.UserRole) == (si, ii)
    if os.environ.get("LIKVARD_SCREENSHOTS"):
        dialog.grab().save(os.environ["LIKVARD_SCREENSHOTS"] + "/import_report_reopened.png")
        manager.grab().save(os.environ["LIKVARD_SCREENSHOTS"] + "/import_report_selected.png")

    # the validation panel's line reopens it too
    dialog.close()
    qtbot.waitUntil(lambda: manager.import_report is None, timeout=2000)
    editor.problem_list.itemClicked.emit(line)
    assert isinstance(manager.import_report, ImportReportDialog) and manager.import_report.isVisible()

    # kept after publishing, but not offered for a published version
    manager.import_report.close()
    services.templates.update_draft(draft_id, editor.content)
    services.templates.publish(draft_id)
    manager.refresh(draft_id)
    assert services.templates.import_report(draft_id) is not None
    assert not manager.act_report.isEnabled()

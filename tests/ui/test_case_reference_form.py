"""The New case form warns next to the field when the reference is already used (issue 10, item 2)."""

from __future__ import annotations

from app.domain.facts import CaseFacts


def test_the_new_case_form_warns_inline_about_a_taken_reference(qtbot, services, all_types_version, styled_app):
    from PySide6.QtCore import Qt

    from ui.facts_dialog import FactsDialog

    existing = services.assessments.create(all_types_version.id, CaseFacts(case_reference="BOR-7"))
    dialog = FactsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.case_reference, "BOR-7")
    shown = dialog.problems_shown()
    assert list(shown) == ["case_reference"] and "BOR-7" in shown["case_reference"]
    assert dialog.errors["case_reference"].isVisible()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.case_reference, "b")
    assert dialog.problems_shown() == {} and dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert services.assessments.get(dialog.created_id).facts.case_reference == "BOR-7b"
    # the facts of the existing case keep their own reference without a warning
    edit = FactsDialog(services, services.assessments.get(existing))
    qtbot.addWidget(edit)
    assert edit.problems_shown() == {} and edit.ok_button.isEnabled()


def test_the_meeting_type_picks_its_bundled_checklist(qtbot, services, styled_app):
    from ui.facts_dialog import FactsDialog

    dialog = FactsDialog(services)
    qtbot.addWidget(dialog)
    for meeting in ("advice_meeting", "credit_decision"):
        dialog.meeting_type.setCurrentIndex(dialog.meeting_type.findData(meeting))
        chosen = next(v for v in services.templates.published_versions() if v.id == dialog.template.currentData())
        assert chosen.template_key == meeting
    assert dialog.meeting_type.accessibleName() == "Meeting type"

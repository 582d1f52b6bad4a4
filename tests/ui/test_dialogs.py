"""New case / case facts dialog and settings dialog, driven through their widgets."""

from __future__ import annotations

import json
from decimal import Decimal

from PySide6.QtCore import QDate, Qt

from app.domain.facts import CaseFacts
from tests.ui.conftest import reactivate, when_modal


def test_new_case_dialog_validates_inline_and_offers_published_templates_only(qtbot, services, styled_app):
    from ui.facts_dialog import FactsDialog

    draft = services.templates.content(services.templates.find_version("all_types").id)
    draft.key = "draft_only"
    draft.title = {"en": "A draft checklist"}
    services.templates.add_version(draft, publish=False)
    dialog = FactsDialog(services)
    qtbot.addWidget(dialog)
    titles = [dialog.template.itemText(n) for n in range(dialog.template.count())]
    assert any("Every item type" in t for t in titles)
    assert not any("A draft checklist" in t for t in titles)
    assert not dialog.ok_button.isEnabled()
    assert dialog.problems_shown() == {}  # nothing shouted at before the user typed
    qtbot.keyClicks(dialog.case_reference, "X")
    dialog.case_reference.clear()
    assert dialog.problems_shown() == {"case_reference": "Enter a case reference."}
    qtbot.keyClicks(dialog.case_reference, "BOR-1")
    qtbot.keyClicks(dialog.interest_rate, "120")
    assert "between 0 and 100" in dialog.problems_shown()["interest_rate"]
    assert not dialog.ok_button.isEnabled()
    dialog.interest_rate.clear()
    dialog.decision.setCurrentIndex(dialog.decision.findData("refused"))
    qtbot.keyClicks(dialog.amount_granted, "5000")
    assert dialog.problems_shown() == {"amount_granted": "A refused or withdrawn case has no amount granted."}
    dialog.amount_granted.clear()
    dialog.case_date.setDate(QDate(2026, 5, 10))
    dialog.decision_date.none.setChecked(False)
    dialog.decision_date.edit.setDate(QDate(2026, 5, 1))
    assert dialog.problems_shown() == {"decision_date": "The decision date is before the case date."}
    dialog.decision_date.edit.setDate(QDate(2026, 5, 12))
    # ownership: empty "not recorded" and "Not disclosed"
    assert dialog.ownership.itemData(0) is None
    assert dialog.ownership.findText("Not disclosed") > 0
    dialog.personal_guarantee_required.setCurrentIndex(dialog.personal_guarantee_required.findData(False))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    record = services.assessments.get(dialog.created_id)
    assert record.facts.case_reference == "BOR-1"
    assert record.facts.decision == "refused"
    assert record.facts.personal_guarantee_required is False
    assert record.facts.collateral_required is None
    assert str(record.facts.decision_date) == "2026-05-12"


def test_agent_edits_the_facts_of_an_open_draft_and_visibility_follows(qtbot, window, services, all_types_version):
    from ui.facts_dialog import FactsDialog

    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="GBG-7", decision="granted"))
    view = window.open_case(case_id)
    view.select_section(1)
    assert not view.items["reasons"].isVisible()
    failures: list[BaseException] = []

    def refuse(dialog: FactsDialog) -> None:
        assert dialog.template.isEnabled() is False
        assert dialog.case_reference.text() == "GBG-7"
        dialog.decision.setCurrentIndex(dialog.decision.findData("refused"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_modal(FactsDialog, refuse, failures)
    qtbot.mouseClick(view.facts_button, Qt.MouseButton.LeftButton)
    assert not failures, failures
    reactivate(qtbot, window)
    assert view.record.facts.decision == "refused"
    assert view.items["reasons"].isVisible()  # the refusal makes the reasons item appear
    assert "Refused" in view.subtitle.text()
    assert services.assessments.get(case_id).facts.decision == "refused"


def test_settings_are_saved_and_the_profile_is_used(qtbot, window, services, tmp_path):
    from ui.settings_dialog import SettingsDialog

    failures: list[BaseException] = []

    def fill(dialog: SettingsDialog) -> None:
        assert dialog.database.isReadOnly()
        assert str(services.db.path) in dialog.database.text()
        dialog.name.setText("")
        qtbot.keyClicks(dialog.name, "Anna Lindqvist")
        dialog.organisation.insert("Kreditgarantiföreningen")  # QTest types ASCII only
        dialog.branch.insert("Borås")
        assert not dialog.restart_note.isVisible()
        dialog.language.setCurrentIndex(dialog.language.findData("sv"))
        assert dialog.restart_note.isVisible()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(SettingsDialog, fill, failures)
    window.act_settings.trigger()
    assert not failures, failures
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert saved["name"] == "Anna Lindqvist" and saved["organisation"] == "Kreditgarantiföreningen"
    assert saved["branch"] == "Borås" and saved["language"] == "sv"
    assert services.assessments.actor == "Anna Lindqvist"
    # the window was rebuilt in Swedish, with the work kept (see test_signing_flow for an open case)
    from app import i18n

    successor = window.successor
    qtbot.addWidget(successor)
    try:
        assert i18n.get_language() == "sv" and not window.isVisible() and successor.isVisible()
        assert successor.act_new.text() == i18n.translate_in("sv", "&New case…")
    finally:
        from PySide6.QtWidgets import QApplication

        from ui.app import install_qt_translations

        i18n.set_language("en")
        install_qt_translations(QApplication.instance(), "en")

    # a new case takes the advisor and branch from the profile
    from ui.facts_dialog import FactsDialog

    dialog = FactsDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.advisor.text() == "Anna Lindqvist" and dialog.branch.text() == "Borås"


def test_swedish_number_formats_in_the_facts_dialog(qtbot, services, styled_app):
    from app import i18n
    from ui.facts_dialog import FactsDialog

    i18n.set_language("sv")
    dialog = FactsDialog(services)
    qtbot.addWidget(dialog)
    dialog.set_facts(CaseFacts(case_reference="A", amount_requested=Decimal("1234.5"), interest_rate=Decimal("6.25")))
    assert dialog.amount_requested.text().replace("\u00a0", " ") == "1 234,5"
    assert dialog.interest_rate.text() == "6,25"
    assert dialog.ok_button.text() == i18n._("Create case")

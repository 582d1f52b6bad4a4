"""An agent's day, through the real widgets: new case, every item type, conditional items, flags,
a refused completion, completion, then a restart on the same database file."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import reactivate, when_modal


def _drive_new_case_dialog(dialog) -> None:
    from PySide6.QtTest import QTest

    from ui.facts_dialog import FactsDialog

    assert isinstance(dialog, FactsDialog)
    assert not dialog.ok_button.isEnabled()  # the case reference is required
    index = dialog.template.findText("Every item type", Qt.MatchFlag.MatchStartsWith)
    assert index >= 0
    dialog.template.setCurrentIndex(index)
    QTest.keyClicks(dialog.case_reference, "GBG-2026-00001")
    dialog.case_date.setDate(QDate(2026, 3, 2))
    dialog.ownership.setCurrentIndex(dialog.ownership.findData("women_led"))
    dialog.sector.setCurrentIndex(dialog.sector.findData("care_and_health"))
    dialog.legal_form.setCurrentIndex(dialog.legal_form.findData("cooperative"))
    QTest.keyClicks(dialog.amount_requested, "abc")
    assert "amount_requested" in dialog.problems_shown()  # inline message, OK refused
    assert not dialog.ok_button.isEnabled()
    dialog.amount_requested.clear()
    QTest.keyClicks(dialog.amount_requested, "100,000")
    QTest.keyClicks(dialog.amount_granted, "40,000")
    dialog.collateral_required.setCurrentIndex(dialog.collateral_required.findData(True))
    QTest.keyClicks(dialog.interest_rate, "6.5")
    dialog.decision.setCurrentIndex(dialog.decision.findData("partly_granted"))
    dialog.decision_date.none.setChecked(False)
    dialog.decision_date.edit.setDate(QDate(2026, 3, 20))
    assert dialog.problems_shown() == {}
    assert dialog.ok_button.isEnabled()
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def _click(qtbot, widget) -> None:
    """Click where a user would: on the indicator of a radio button or check box, else the middle."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QAbstractButton, QCheckBox, QRadioButton

    if isinstance(widget, (QCheckBox, QRadioButton)):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(6, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    assert isinstance(widget, QAbstractButton)


def test_agent_fills_completes_and_finds_every_answer_after_a_restart(qtbot, window, services, db_path):
    from ui.filling import FillingView

    assert window.list_page.stack.currentWidget() is window.list_page.empty  # first start: the empty state

    failures: list[BaseException] = []
    when_modal(_dialog_type(), _drive_new_case_dialog, failures)
    window.act_new.trigger()
    assert not failures, failures
    reactivate(qtbot, window)
    view = window.filling
    assert isinstance(view, FillingView)
    assert window.list_page.model.rowCount() == 1
    record = services.assessments.get(view.record.id)
    assert record.facts.amount_requested == 100000 and record.facts.ownership == "women_led"

    # --- section 1: yes/no/n.a., single and multiple choice; a conditional item and a flag -----------
    family = view.items["family_asked"]
    follow = view.items["family_all"]
    assert not follow.isVisible()
    assert not family.flag_box.isVisible()
    _click(qtbot, family.editor.buttons["yes"])
    assert follow.isVisible()  # visible_when applied live
    assert family.flag_box.isVisible()
    assert "Family questions asked of some clients only" in family.flag_text.text()
    flags = [view.flags.item(n).data(Qt.ItemDataRole.UserRole + 2) for n in range(view.flags.count())]
    # the case facts (40 % of the amount granted, no reasons yet) already flag the confidence item
    assert flags == ["family_asked", "confidence"]
    _click(qtbot, view.items["channel"].editor.buttons["video"])
    _click(qtbot, view.items["documents"].editor.boxes["cash_flow"])
    assert view.answers["documents"] == ["cash_flow"]
    # guidance on demand
    assert not family.guidance.isVisible()
    _click(qtbot, family.help_button)
    assert family.guidance.isVisible() and "hindering" in family.guidance.text()
    # a comment
    _click(qtbot, family.comment_button)
    assert family.comment.isVisible()
    qtbot.keyClicks(family.comment, "Asked because the client mentioned it.")

    # --- section 2 through the keyboard shortcut --------------------------------------------------
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.current_section() == 1
    qtbot.keyClicks(view.items["summary"].editor.edit, "Growth plan discussed")
    reasons = view.items["reasons"]
    assert reasons.isVisible()  # visible because the decision is "partly granted"
    minutes = view.items["minutes"]
    qtbot.keyClicks(minutes.editor.edit, "abc")
    assert minutes.error.isVisible() and "not a number" in minutes.error.text()
    assert "minutes" not in view.autosaver.values  # never saved
    minutes.editor.edit.clear()
    qtbot.keyClicks(minutes.editor.edit, "45")
    assert not minutes.error.isVisible()
    qtbot.keyClicks(view.items["rate_offered"].editor.edit, "3.25")
    fees = view.items["fees"]
    qtbot.keyClicks(fees.editor.edit, "1,250.50")
    fees.editor.currency.setCurrentIndex(fees.editor.currency.findData("EUR"))
    follow_up = view.items["follow_up"].editor.date
    _click(qtbot, follow_up.none)
    follow_up.edit.setDate(QDate(2026, 4, 15))
    confidence = view.items["confidence"]
    _click(qtbot, confidence.editor.buttons["4"])
    # a large reduction without reasons flags the confidence item
    assert confidence.flag_box.isVisible()
    assert "large reduction without reasons" in confidence.flag_text.text()
    qtbot.keyClicks(reasons.editor.edit, "Cash flow too weak for the full amount.")
    assert not confidence.flag_box.isVisible()

    # autosave: stored within a second, and the window says so
    qtbot.waitUntil(lambda: view.autosaver.state == "saved" and not view.autosaver.pending, timeout=1000)
    assert view.save_label.text().startswith("Saved")
    assert window.save_status.text().startswith("Saved")

    # --- the Flags panel jumps to the item ---------------------------------------------------------
    entry = view.flags.item(0)
    rect = view.flags.visualItemRect(entry)
    qtbot.mouseClick(view.flags.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current_section() == 0
    assert window.focusWidget() is family.editor.buttons["yes"]

    # --- completing is refused while a visible required item is unanswered ---------------------------
    window.act_complete.trigger()
    assert view.record.status == "draft"
    assert view.missing_panel.isVisible()
    assert view.missing_keys() == ["family_all"]
    missing = view.missing_list.item(0)
    qtbot.mouseClick(view.missing_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.missing_list.visualItemRect(missing).center())
    assert window.focusWidget() in follow.inputs()
    _click(qtbot, follow.editor.buttons["no"])
    assert not view.missing_panel.isVisible()  # the list follows the answers

    # --- complete (confirming in the dialog) --------------------------------------------------------
    def confirm(box) -> None:
        button = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
        button.click()

    when_modal(QMessageBox, confirm, failures)
    reactivate(qtbot, window)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not failures, failures
    assert view.record.status == "completed"
    assert view.done_banner.isVisible() and "Completed on" in view.done_text.text()
    assert not family.editor.buttons["yes"].isEnabled()
    assert not view.items["summary"].editor.edit.isEnabled()
    assert not view.complete_button.isVisible()
    assert not window.act_complete.isEnabled()

    expected = {
        "family_asked": "yes", "family_all": "no", "channel": "video", "documents": ["cash_flow"],
        "summary": "Growth plan discussed", "reasons": "Cash flow too weak for the full amount.", "minutes": 45,
        "rate_offered": "3.25", "fees": {"amount": "1250.50", "currency": "EUR"}, "follow_up": "2026-04-15",
        "confidence": 4,
    }
    case_id = view.record.id

    # --- restart: close the window and the database, open both again on the same file --------------
    window.close()
    services.db.close()
    from app.bootstrap import start
    from ui.main_window import MainWindow

    again = start(db_path, language="en")
    try:
        stored = again.assessments.get(case_id)
        assert stored.answers == expected
        assert stored.comments == {"family_asked": "Asked because the client mentioned it."}
        assert stored.status == "completed"
        reopened = MainWindow(again)
        qtbot.addWidget(reopened)
        reopened.show()
        qtbot.waitUntil(lambda: reopened.filling is not None, timeout=2000)  # the last view comes back
        view2 = reopened.filling
        assert view2.record.id == case_id
        assert view2.items["family_asked"].editor.buttons["yes"].isChecked()
        assert view2.items["channel"].editor.buttons["video"].isChecked()
        assert view2.items["documents"].editor.boxes["cash_flow"].isChecked()
        assert view2.items["family_asked"].comment.toPlainText() == "Asked because the client mentioned it."
        view2.select_section(1)
        assert view2.items["minutes"].editor.edit.text() == "45"
        assert view2.items["fees"].editor.edit.text() == "1,250.5"
        assert view2.items["fees"].editor.currency.currentData() == "EUR"
        assert view2.items["follow_up"].editor.date.value() == date(2026, 4, 15)
        assert view2.items["confidence"].editor.buttons["4"].isChecked()
        assert view2.items["reasons"].editor.edit.toPlainText() == expected["reasons"]
        assert view2.done_banner.isVisible()
        reopened.close()
    finally:
        again.db.close()


def _dialog_type():
    from ui.facts_dialog import FactsDialog

    return FactsDialog

"""Training through the real widgets: a trainee picks an exercise, reads the vignette beside the
checklist, answers by clicking, submits and reads the debrief; the trainer's results page and the
exercise editor. LIKVARD_SCREENSHOTS=<folder> also saves the screens (docs/training-*.png)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app import i18n
from tests.ui.test_workflow import _click


def _answer(qtbot, view, key, value) -> None:
    widget = view.jump_to(key)
    assert widget is not None and widget.isVisible(), key
    editor = widget.editor
    if hasattr(editor, "buttons"):
        _click(qtbot, editor.buttons[str(value)])
    elif hasattr(editor, "combo"):
        editor.combo.setCurrentIndex(editor.combo.findData(value))
    else:
        qtbot.keyClicks(editor.edit, str(value))


def _shoot(widget, name: str) -> None:
    folder = os.environ.get("LIKVARD_SCREENSHOTS")
    if folder:
        QApplication.processEvents()
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_trainee_session_from_pick_to_debrief(qtbot, services, styled_app, lang):
    from ui.training import TrainingWindow

    i18n.set_language(lang)
    window = TrainingWindow(services)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    page = window.practise
    assert page.exercises.count() >= 8
    page.select("family-plans")
    page.trainee.clear()
    qtbot.keyClicks(page.trainee, "Kim Trainee")
    _click(qtbot, page.start_button)
    assert page.stack.currentWidget() is page.session
    assert page.splitter.widget(0) is page.vignette and "Sara Lind" in page.vignette.toPlainText()
    view = page.filling
    assert view is not None and view.isVisibleTo(window) and not view.complete_button.isVisibleTo(window)
    exercise = services.exercises.get("family-plans")
    answers = {**exercise.model_answers, "family_questions": "all_clients", "plan_strength": 3}
    answers.pop("servicing_equal")  # not required: left empty
    for key, value in answers.items():
        _answer(qtbot, view, key, value)
    _answer(qtbot, view, "what_would_differ", "Ask every client the same.")
    view.jump_to("same_information")
    _shoot(window, f"training-vignette-{lang}")
    # autosaved as usual: the answers are stored before submitting
    view.flush()
    assert view.title.text() == exercise.title_in(lang)  # not the attempt's case reference, after saving too
    stored = services.assessments.get(page.filling.record.id).answers
    assert stored["family_questions"] == "all_clients" and stored["plan_strength"] == 3
    _click(qtbot, page.submit_button)
    debrief = page.debrief_view
    assert page.stack.currentWidget() is debrief
    rows = {r[0]: r for r in debrief.row_texts()}
    content = services.exercises.template_content(exercise)
    family_label = content.text(content.item("family_questions").label, lang)
    family = rows[family_label]
    missed = "Missed" if lang == "en" else i18n._("Missed")
    assert family[3] == missed
    assert family[4] == exercise.debrief["family_questions"][lang]
    # 16 scored items; 13 agree (family_questions, plan_strength and the empty servicing_equal do not)
    attempt = services.exercises.attempt(page.attempt_id)
    assert attempt.agreement == pytest.approx(13 / 16)
    assert attempt.flag_agreement == pytest.approx(1 / 2)
    assert "13" in debrief.summary.text() and "16" in debrief.summary.text()
    qtbot.wait(50)
    _shoot(window, f"training-debrief-{lang}")
    # training answers are not cases
    assert services.assessments.count() == 0
    _click(qtbot, debrief.back_button)
    assert page.stack.currentIndex() == 0


def test_results_page_and_certificate(qtbot, services, styled_app, tmp_path):
    from ui.training import TrainingWindow

    exercise = services.exercises.get("spouse-guarantee")
    for n in range(5):
        attempt = services.exercises.start("spouse-guarantee", f"Trainee {n}")
        answers = dict(exercise.model_answers)
        if n < 3:
            answers["collateral_standard"] = "standard"  # misses the flag
        services.assessments.set_answers(attempt.assessment_id, answers)
        services.exercises.submit(attempt.id)
    window = TrainingWindow(services)
    qtbot.addWidget(window)
    window.show()
    results = window.results
    results.exercise.setCurrentIndex(results.exercise.findData("spouse-guarantee"))
    window.tabs.setCurrentWidget(results)
    assert "5" in results.summary.text()
    assert results.completions.count() == 5
    assert results.missed.count() == 1 and results.missed.item(0).text().endswith("(3)")
    out = tmp_path / "results.csv"
    results.export(str(out))
    assert "spouse-guarantee,collateral_standard" in out.read_text(encoding="utf-8")
    results.completions.setCurrentRow(0)
    from ui.training import save_certificate

    save_certificate(results, services, results.completions.currentItem().data(0x0100), str(tmp_path / "c.pdf"))
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    _shoot(window, "training-results-en")


def test_editor_edits_vignette_facts_and_model_answers(qtbot, services, styled_app, tmp_path):
    from ui.training import ExerciseEditor

    editor = ExerciseEditor(services, "discouraged")
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    assert editor.vignettes["sv"].toPlainText().startswith("Elin Nyström")
    assert editor.model.answers()["discouraged"] == "discouraged"
    editor.key.setText("discouraged-2")
    editor.vignettes["en"].setPlainText("Elin asks for advice; the advisor tells her to wait a year.")
    # change a model answer through the preview form
    widget = editor.model.preview.widgets["discouraged"]
    _click(qtbot, widget.editor.buttons["wait_with_reason"])
    assert editor.save(), editor.problems.text()
    saved = services.exercises.get("discouraged-2")
    assert saved.model_answers["discouraged"] == "wait_with_reason"
    assert saved.vignette["en"].startswith("Elin asks for advice")
    # a bad fact is refused with its location, shown under its field, nothing stored
    editor.key.setText("discouraged-3")
    editor.tabs.setCurrentWidget(editor.facts_form)
    amount = editor.facts_form.fields["amount_requested"]
    amount.clear()
    qtbot.keyClicks(amount, "-5")
    assert not editor.save()
    assert "facts.amount_requested" in editor.problems.text()
    assert editor.facts_form.errors["amount_requested"].isVisibleTo(editor)
    assert [e.key for e in services.exercises.list()].count("discouraged-3") == 0
    _shoot(editor, "training-editor-en")


def test_tools_menu_opens_training(qtbot, window):
    from ui.training import TrainingWindow

    tools = next(a.menu() for a in window.menuBar().actions() if a.menu() and window.act_training in a.menu().actions())
    assert tools is not None
    window.act_training.trigger()
    assert isinstance(window.training_window, TrainingWindow) and window.training_window.isVisible()
    assert window.training_window.practise.exercises.count() >= 8
    window.training_window.close()


def test_editor_facts_are_inputs_with_translated_choices(qtbot, services, styled_app):
    from PySide6.QtWidgets import QComboBox

    from app.domain.facts import choice_label
    from ui.training import ExerciseEditor
    from ui.widgets import NumberEdit, OptionalDateEdit

    i18n.set_language("sv")
    exercise = services.exercises.get("spouse-guarantee")
    editor = ExerciseEditor(services, "spouse-guarantee")
    qtbot.addWidget(editor)
    editor.show()
    form = editor.facts_form
    # choices are combo boxes showing their labels in the language, never the codes
    for name in ("ownership", "sector", "legal_form", "decision", "meeting_type", "guarantor"):
        assert isinstance(form.fields[name], QComboBox), name
        value = getattr(exercise.facts, name)
        if value is not None:
            assert form.value_text(name) == choice_label(name, value) != value, name
    assert isinstance(form.fields["amount_requested"], NumberEdit)
    assert isinstance(form.fields["decision_date"], OptionalDateEdit)
    assert form.fields["collateral_required"].currentData() == exercise.facts.collateral_required
    # numbers in the locale's format ("1 234,5" in Swedish)
    amount = form.fields["amount_requested"]
    amount.clear()
    qtbot.keyClicks(amount, "1 250 000,5")
    combo = form.fields["legal_form"]
    combo.setCurrentIndex(combo.findData("cooperative"))
    assert combo.currentText() == choice_label("legal_form", "cooperative")
    assert editor.save(), editor.problems.text()
    saved = services.exercises.get("spouse-guarantee")
    assert saved.facts.legal_form == "cooperative"
    assert str(saved.facts.amount_requested) == "1250000.5"
    assert saved.model_answers == exercise.model_answers and saved.debrief == exercise.debrief
    # a typo in a number is shown under its field and nothing is stored
    amount.clear()
    qtbot.keyClicks(amount, "12x")
    assert not editor.save()
    assert "facts.amount_requested" in editor.problems.text()
    assert editor.facts_form.errors["amount_requested"].isVisibleTo(editor)
    assert services.exercises.get("spouse-guarantee").facts.amount_requested == saved.facts.amount_requested
    i18n.set_language("en")


def test_editor_writes_debriefs_per_item_and_language(qtbot, services, styled_app):
    from ui.training import ExerciseEditor

    i18n.set_language("en")
    exercise = services.exercises.get("family-plans")
    editor = ExerciseEditor(services, "family-plans")
    qtbot.addWidget(editor)
    editor.show()
    debriefs = editor.debrief_editor
    # the item in hand in the model-answer form is the item of the debrief
    editor.model.preview.widgets["family_questions"].editor.buttons["all_clients"].setFocus()
    qtbot.waitUntil(lambda: debriefs.current() == "family_questions", timeout=2000)
    assert debriefs.edits["sv"].toPlainText() == exercise.debrief["family_questions"]["sv"]
    debriefs.edits["fr"].clear()
    qtbot.keyClicks(debriefs.edits["fr"], "Posez la question ")
    debriefs.edits["fr"].insertPlainText("à tous.")  # keyClicks types ASCII only
    # a new debrief for an item without one, in Swedish only
    target = next(i.key for i in services.exercises.template_content(exercise).items()
                  if i.answerable and i.key not in exercise.debrief)
    debriefs.select(target)
    assert all(edit.toPlainText() == "" for edit in debriefs.edits.values())
    qtbot.keyClicks(debriefs.edits["sv"], "Samma ")
    debriefs.edits["sv"].insertPlainText("fråga till alla.")
    assert debriefs.item.currentText().endswith("(sv)")
    assert editor.save(), editor.problems.text()
    saved = services.exercises.get("family-plans")
    assert saved.debrief["family_questions"]["fr"] == "Posez la question à tous."
    assert saved.debrief["family_questions"]["en"] == exercise.debrief["family_questions"]["en"]
    assert saved.debrief[target] == {"sv": "Samma fråga till alla."}
    assert saved.debrief_in(target, "fr") == "Samma fråga till alla."  # falls back
    # emptying every language removes the debrief of the item
    debriefs.select(target)
    debriefs.edits["sv"].clear()
    assert editor.save(), editor.problems.text()
    assert target not in services.exercises.get("family-plans").debrief
    # a debrief of an item the checklist lacks is refused with its location
    debriefs.set_items(services.exercises.template_content(exercise),
                       {**debriefs.debrief(), "no_such_item": {"en": "?"}})
    assert not editor.save()
    assert "debrief.no_such_item" in editor.problems.text()


def test_keyboard_alone_picks_answers_submits_and_reads_the_debrief(qtbot, services, styled_app):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.conftest import reactivate, when_modal
    from ui.training import TrainingWindow

    i18n.set_language("en")
    window = TrainingWindow(services)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    reactivate(qtbot, window)
    page = window.practise
    # tab order of the picker: name, exercises, Start
    page.trainee.setFocus()
    qtbot.keyClick(page.trainee, Qt.Key.Key_Tab)
    assert window.focusWidget() is page.exercises
    qtbot.keyClick(page.exercises, Qt.Key.Key_Tab)
    assert window.focusWidget() is page.start_button
    qtbot.keyClick(page.start_button, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # "Your &name"
    assert window.focusWidget() is page.trainee
    qtbot.keyClick(page.trainee, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # "&Exercises"
    assert window.focusWidget() is page.exercises
    page.exercises.setCurrentRow(0)
    while page.exercises.currentItem().data(0x0100) != "family-plans":
        qtbot.keyClick(page.exercises, Qt.Key.Key_Down)
    qtbot.keyClick(page.exercises, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.session
    assert window.focusWidget() is page.vignette
    # Tab goes from the story on into the checklist; Space answers the focused option
    qtbot.keyClick(page.vignette, Qt.Key.Key_Tab)
    view = page.filling
    for _ in range(30):
        focused = window.focusWidget()
        if any(focused in getattr(w.editor, "buttons", {}).values() for w in view.items.values()):
            break
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Space)
    answered = dict(view.answers)
    assert answered
    # Ctrl+Return submits (a question first: required items are left), the debrief takes the focus
    failures: list[BaseException] = []
    when_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click(), failures)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not failures
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.debrief_view, timeout=3000)
    assert window.focusWidget() is page.debrief_view.table
    reactivate(qtbot, window)  # offscreen, no window manager gives the focus back after the question
    qtbot.waitUntil(lambda: page.debrief_view.table.currentRow() >= 0, timeout=2000)
    qtbot.keyClick(page.debrief_view.table, Qt.Key.Key_Down)
    assert page.debrief_view.table.currentRow() >= 1
    assert services.exercises.attempt(page.attempt_id).submitted_at is not None
    qtbot.keyClick(page.debrief_view.table, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # "&Back"
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.picker, timeout=2000)  # a mnemonic animates the click

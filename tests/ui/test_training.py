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
    # a bad fact is refused with its location, nothing stored
    row = next(n for n in range(editor.facts_table.rowCount())
               if editor.facts_table.item(n, 0).data(0x0100) == "decision")
    editor.key.setText("discouraged-3")
    editor.facts_table.item(row, 1).setText("maybe")
    assert not editor.save()
    assert "facts.decision" in editor.problems.text()
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

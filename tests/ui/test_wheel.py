"""The mouse wheel over an unfocused input scrolls the page and never changes an answer (issue 10, item 1)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QScrollArea,
    QScrollBar,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.facts import CaseFacts
from tests.ui.test_autosave import _fresh_answers


def _wheel(widget: QWidget, steps: int = -3) -> None:
    """A real wheel event (downwards for negative steps) over the middle of ``widget``."""
    local = QPointF(widget.rect().center())
    event = QWheelEvent(local, QPointF(widget.mapToGlobal(local.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_unfocused_inputs_of_the_filling_view_scrolls_instead(qtbot, window, services,
                                                                             all_types_version, db_path):
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="W-1", currency="SEK"))
    services.assessments.set_answers(case_id, {"fees": {"amount": "8500", "currency": "SEK"}, "follow_up": "2026-03-01"})
    window.resize(900, 420)
    view = window.open_case(case_id)
    view.select_section(1)
    page = view.pages[1]
    qtbot.waitUntil(lambda: page.verticalScrollBar().maximum() > 0, timeout=2000)
    view.items["summary"].editor.edit.setFocus()
    stored = _fresh_answers(db_path, case_id)
    currency = view.items["fees"].editor.currency
    date = view.items["follow_up"].editor.date.edit
    assert currency is not None and date.isEnabled()
    for widget, read in ((currency, currency.currentText), (date, date.date)):
        before = read()
        page.verticalScrollBar().setValue(0)
        _wheel(widget)
        assert read() == before, widget
        assert page.verticalScrollBar().value() > 0, widget  # the page scrolled instead
        assert not widget.hasFocus()
    view.flush()
    assert _fresh_answers(db_path, case_id) == stored
    # a focused input still takes the wheel, as the user then means it
    currency.setFocus()
    qtbot.waitUntil(currency.hasFocus, timeout=1000)
    before = currency.currentIndex()
    _wheel(currency, -1)
    assert currency.currentIndex() != before


def test_guard_wheel_covers_every_value_widget_in_a_container(qtbot):
    from ui.widgets import guard_wheel

    scroll = QScrollArea()
    body = QWidget()
    layout = QVBoxLayout(body)
    combo, spin, double, slider = QComboBox(), QSpinBox(), QDoubleSpinBox(), QSlider(Qt.Orientation.Horizontal)
    combo.addItems(["a", "b", "c"])
    for widget in (combo, spin, double, slider):
        layout.addWidget(widget)
        layout.addSpacing(400)
    scroll.setWidget(body)
    scroll.resize(300, 200)
    qtbot.addWidget(scroll)
    scroll.show()
    guard_wheel(body)
    for widget, read in ((combo, combo.currentIndex), (spin, spin.value), (double, double.value),
                         (slider, slider.value)):
        assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus
        before = read()
        scroll.verticalScrollBar().setValue(0)
        _wheel(widget, -1)
        assert read() == before
        assert scroll.verticalScrollBar().value() > 0


def test_the_facts_form_and_the_condition_builder_guard_their_inputs(qtbot, services, all_types_version):
    from ui.condition_builder import ConditionBuilder
    from ui.facts_dialog import FactsDialog
    from ui.widgets import VALUE_WIDGETS

    dialog = FactsDialog(services)
    qtbot.addWidget(dialog)
    builder = ConditionBuilder("When")
    qtbot.addWidget(builder)
    content = services.templates.content(all_types_version.id)
    builder.set_context(content, None, {"all_of": [{"item": "channel", "op": "equals", "value": "office"}]})
    for root in (dialog, builder):
        inputs = [w for kind in VALUE_WIDGETS for w in root.findChildren(kind) if not isinstance(w, QScrollBar)]
        assert len(inputs) >= 3
        for widget in inputs:
            assert widget.property("wheelGuarded") and widget.focusPolicy() == Qt.FocusPolicy.StrongFocus, widget


def test_every_screen_guards_every_input_against_the_wheel(qtbot, window, services, all_types_version, identity):
    """A walk over every screen: no value widget (combo, spin box, date, slider) may take the wheel
    unfocused, so a new screen that forgets the guard fails here (the Insights filters and the audit
    log's fields once did: a wheel over "Sector" silently changed the figures)."""
    from ui.audit_view import AuditDialog
    from ui.backup_dialog import RestoreDialog
    from ui.facts_dialog import FactsDialog
    from ui.pdf import ExportPdfDialog, NewIdentityDialog
    from ui.settings_dialog import SettingsDialog
    from ui.templates import CompareDialog, TemplateManager
    from ui.widgets import VALUE_WIDGETS

    def unguarded(root: QWidget) -> list[str]:
        QApplication.processEvents()
        return [f"{type(w).__name__} {w.accessibleName() or w.objectName()!r}"
                for kind in VALUE_WIDGETS for w in root.findChildren(kind)
                if not isinstance(w, QScrollBar)
                and not (w.property("wheelGuarded") and w.focusPolicy() == Qt.FocusPolicy.StrongFocus)]

    problems: dict[str, list[str]] = {}

    def check(name: str, root: QWidget) -> None:
        found = unguarded(root)
        if found:
            problems[name] = found

    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="W-2", currency="SEK"))
    check("case list", window)
    view = window.open_case(case_id)
    for index in range(view.sections.count()):
        view.select_section(index)
        check(f"filling view, section {index}", window)
    window.show_insights()
    check("insights", window)
    for factory, name in (
        (lambda: AuditDialog(services, parent=window), "audit log"),
        (lambda: SettingsDialog(services, window), "settings"),
        (lambda: FactsDialog(services, services.assessments.get(case_id), parent=window), "case facts"),
        (lambda: ExportPdfDialog(services, services.assessments.get(case_id), sign=False, parent=window), "export"),
        (lambda: NewIdentityDialog(services, window), "new identity"),
        (lambda: RestoreDialog(services.backups.list(), window), "restore"),
        (lambda: CompareDialog(services, "all_types"), "compare"),
    ):
        dialog = factory()
        qtbot.addWidget(dialog)
        dialog.show()
        check(name, dialog)
        dialog.close()
    manager = TemplateManager(services)
    qtbot.addWidget(manager)
    manager.show()
    draft = services.templates.create_draft(all_types_version.id)
    manager.refresh(draft.id)
    for selection in ((None, None), (0, None), (0, 1), (0, 3)):
        manager.editor.selected = selection
        manager.editor.rebuild()
        check(f"template editor {selection}", manager)
    for name, root in training_screens(qtbot, services):
        check(name, root)
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def training_screens(qtbot, services):
    """The Training window's screens, each yielded once shown: a trainee's session, the debrief, the
    results, the list of exercises with one selected and its editor (also used for accessible names)."""
    from ui.training import TrainingWindow

    training = TrainingWindow(services)
    qtbot.addWidget(training)
    training.show()
    yield "training: pick", training
    page = training.practise
    page.select("family-plans")
    page.start()
    assert page.stack.currentWidget() is page.session
    for index in range(page.filling.sections.count()):
        page.filling.select_section(index)
        yield f"training: session, section {index}", training
    assert page.submit(confirm=False)
    yield "training: debrief", training
    training.tabs.setCurrentWidget(training.results)
    training.results.exercise.setCurrentIndex(training.results.exercise.findData("family-plans"))
    yield "training: results", training
    training.tabs.setCurrentWidget(training.editor)
    training.editor.select("family-plans")
    yield "training: exercises", training
    editor = training.editor.open_editor("family-plans")
    qtbot.addWidget(editor)
    editor.show()
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        yield f"training: exercise editor, tab {index}", editor
    editor.close()
    training.close()

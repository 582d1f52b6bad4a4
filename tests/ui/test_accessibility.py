"""Keyboard-only use, accessible names on every input, a logical tab order, and 200 % fonts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QWidget,
)

from app.domain.facts import CaseFacts

INPUTS = (QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QCheckBox, QRadioButton)


def _inputs(root: QWidget) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INPUTS):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            continue  # the line edit inside a date edit or combo box is part of it
        found.append(widget)
    return found


def _open_all_sections(view) -> None:
    for index in range(len(view.content.sections)):
        view.select_section(index)


def test_every_input_has_an_accessible_name(qtbot, window, services, all_types_version):
    from ui.facts_dialog import FactsDialog
    from ui.settings_dialog import SettingsDialog

    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="ACC-1"))
    view = window.open_case(case_id)
    _open_all_sections(view)
    from ui.audit_view import AuditDialog
    from ui.backup_dialog import RestoreDialog
    from ui.pdf import ExportPdfDialog
    from ui.templates import CompareDialog, TemplateManager

    roots = [window, FactsDialog(services, parent=window), SettingsDialog(services, window),
             AuditDialog(services, parent=window), RestoreDialog(services.backups.list(), window),
             ExportPdfDialog(services, services.assessments.get(case_id), sign=False, parent=window),
             CompareDialog(services, all_types_version.template_key, parent=window)]
    window.show_insights()  # the Insights page joins the window's stack
    insights_inputs = [w for w in _inputs(window.insights) if not w.accessibleName().strip()]
    window.show_list()
    manager = TemplateManager(services, parent=window)
    manager.refresh(services.templates.create_draft(all_types_version.id).id)
    roots.append(manager)
    unnamed = []
    for root in roots:
        for widget in _inputs(root):
            if not widget.accessibleName().strip():
                unnamed.append(f"{type(widget).__name__} in {type(widget.parentWidget()).__name__} of {type(root).__name__}")
    for root in roots[1:]:  # top-level windows left open would take the next test's keys
        root.close()
        root.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # gone before the next test
    assert unnamed == [] and insights_inputs == []
    # item inputs carry the item's label
    assert view.items["summary"].editor.edit.accessibleName() == "Summary"
    assert view.items["family_asked"].editor.buttons["yes"].accessibleName().startswith(
        "Were questions about family or childcare asked?")
    assert view.items["fees"].editor.currency.accessibleName() == "Fees charged: currency"


def test_tab_order_follows_the_items_and_the_keyboard_alone_answers_and_navigates(qtbot, window, services,
                                                                                   all_types_version):
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="KEY-1"))
    view = window.open_case(case_id)
    view.sections.setFocus()
    visited: list[str] = []
    for _ in range(40):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        widget = window.focusWidget()
        if widget is view.flags:
            break
        from ui.items import ItemWidget

        parent = widget
        while parent is not None and not isinstance(parent, ItemWidget):
            parent = parent.parentWidget()
        if parent is not None and (not visited or visited[-1] != parent.key):
            visited.append(parent.key)
    assert visited == ["family_asked", "channel", "documents"]  # template order, hidden items skipped

    # answer with the keyboard only: focus the first answer, arrow to "No", Space selects it
    view._focus_first_input(0)
    first = window.focusWidget()
    assert first is view.items["family_asked"].editor.buttons["yes"]
    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert view.answers["family_asked"] == "yes"
    assert view.items["family_all"].isVisible()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # next section
    assert view.current_section() == 1
    assert window.focusWidget() is view.items["summary"].editor.edit
    qtbot.keyClicks(window.focusWidget(), "By keyboard")
    assert view.answers["summary"] == "By keyboard"
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F1)  # guidance of the focused item (if it has some)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_section() == 0
    view.items["family_asked"].focus_input()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F1)
    assert view.items["family_asked"].guidance.isVisible()
    # Ctrl+F goes to the search box of the list
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.list_page
    assert window.focusWidget() is window.list_page.search


def _clipped(root: QWidget) -> list[str]:
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap() and widget.hasHeightForWidth():
                needed = widget.heightForWidth(widget.width())
                if widget.height() + 1 < needed:
                    problems.append(f"label {widget.text()[:40]!r}: {widget.height()} < {needed}")
            elif widget.width() + 1 < widget.minimumSizeHint().width():
                problems.append(f"label {widget.text()[:40]!r}: {widget.width()} < {widget.minimumSizeHint().width()}")
        elif isinstance(widget, (QPushButton, QCheckBox, QRadioButton)) and widget.text():
            hint = widget.sizeHint()
            if widget.width() + 1 < hint.width() or widget.height() + 1 < hint.height():
                problems.append(f"{type(widget).__name__} {widget.text()!r}: {widget.size().toTuple()} < "
                                f"{hint.toTuple()}")
    return problems


@pytest.fixture
def large_font(styled_app):
    original = QApplication.font()
    font = QFont(original)
    font.setPointSizeF((original.pointSizeF() if original.pointSizeF() > 0 else 10) * 2)
    QApplication.setFont(font)
    yield font
    QApplication.setFont(original)


def test_nothing_is_clipped_at_200_percent_font(qtbot, services, all_types_version, large_font):
    from ui.facts_dialog import FactsDialog
    from ui.main_window import MainWindow
    from ui.settings_dialog import SettingsDialog

    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="BIG-1", decision="refused"))
    services.assessments.set_answers(case_id, {"family_asked": "yes"})
    window = MainWindow(services, restore=False)
    qtbot.addWidget(window)
    window.resize(window.sizeHint().expandedTo(window.minimumSizeHint()))
    window.show()
    qtbot.waitExposed(window)
    print("SIZE", window.size().toTuple())
    assert window.font().pointSizeF() == large_font.pointSizeF()
    assert _clipped(window) == []
    view = window.open_case(case_id)
    # the window was sized for the list: grown, as a user would, to what the case view asks for
    window.resize(window.size().expandedTo(window.sizeHint()))
    for index in range(len(view.content.sections)):
        view.select_section(index)
        QApplication.processEvents()
        page = view.stack.currentWidget()
        assert isinstance(page, QScrollArea)
        assert _clipped(window) == [], index
    for dialog in (FactsDialog(services, services.assessments.get(case_id), parent=window), SettingsDialog(services, window)):
        dialog.show()
        qtbot.waitExposed(dialog)
        inner = dialog.findChild(QScrollArea)
        assert _clipped(inner.widget() if inner else dialog) == []
        assert _clipped(dialog) == []
        dialog.close()
    assert all(isinstance(b, QAbstractButton) for b in view.findChildren(QPushButton))


def test_every_input_of_the_training_window_has_an_accessible_name(qtbot, services, styled_app):
    """The trainee's session, the debrief, the results, the exercises and the exercise editor."""
    from tests.ui.test_wheel import training_screens

    unnamed: dict[str, list[str]] = {}
    screens = 0
    for name, root in training_screens(qtbot, services):
        screens += 1
        missing = [f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}"
                   for w in _inputs(root) if not w.accessibleName().strip()]
        if missing:
            unnamed[name] = missing
    assert screens >= 8
    assert unnamed == {}


@pytest.mark.parametrize("lang", ["en", "sv", "fr"])
@pytest.mark.parametrize("scale", [1, 2])
def test_the_first_start_page_is_whole_in_every_language(qtbot, services, styled_app, lang, scale):
    """The page a new user sees first: both buttons whole, in every language, at 100 % and 200 %
    (the French "Charger des dossiers de démonstration" was cut at both ends)."""
    from app import i18n
    from ui.main_window import MainWindow

    original = QApplication.font()
    font = QFont(original)
    font.setPointSizeF((original.pointSizeF() if original.pointSizeF() > 0 else 10) * scale)
    QApplication.setFont(font)
    i18n.set_language(lang)
    try:
        window = MainWindow(services, restore=False)
        qtbot.addWidget(window)
        window.resize(window.sizeHint().expandedTo(window.minimumSizeHint()))
        window.show()
        qtbot.waitExposed(window)
        page = window.list_page
        assert page.stack.currentWidget() is page.empty
        for button in (page.empty_new, page.empty_demo):
            assert button.width() + 1 >= button.sizeHint().width(), (lang, button.text(), button.width())
        assert _clipped(page.empty) == []
    finally:
        QApplication.setFont(original)
        i18n.set_language("en")

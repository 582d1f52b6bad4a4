"""The template editor driven through its real widgets: draft, add, translate, condition, undo, publish."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit

from app.domain.facts import CaseFacts
from tests.ui.conftest import when_modal


def open_manager(qtbot, services, styled_app):
    from ui.templates import TemplateManager

    manager = TemplateManager(services)
    qtbot.addWidget(manager)
    manager.show()
    return manager


def select_version(manager, key, number):
    tree = manager.versions
    for top in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(top)
        for c in range(parent.childCount()):
            node = parent.child(c)
            v = node.data(0, Qt.ItemDataRole.UserRole)
            if v.template_key == key and v.number == number:
                tree.setCurrentItem(node)
                return v
    raise AssertionError((key, number))


def type_into(qtbot, widget: QPlainTextEdit, text: str) -> None:
    """Type ASCII as key presses; other characters arrive as an input method commits them."""
    widget.setFocus()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            widget.insertPlainText(ch)


def test_edit_translate_condition_undo_publish(qtbot, services, all_types_version, styled_app):
    old_case = services.assessments.create(all_types_version.id, CaseFacts(case_reference="OLD-1"))
    manager = open_manager(qtbot, services, styled_app)
    select_version(manager, "all_types", 1)
    assert not manager.act_publish.isEnabled() and manager.act_draft.isEnabled()
    manager.act_draft.trigger()
    editor = manager.editor
    assert editor is not None and editor.version.status == "draft" and editor.version.number == 2

    # add a section after "numbers" and give it a title in every language
    editor.selected = (1, None)
    qtbot.mouseClick(editor.add_section_button, Qt.MouseButton.LeftButton)
    assert editor.selected == (2, None)
    from ui.templates import TextsGrid

    grid = editor.properties.widget().findChild(TextsGrid)
    for lang, title in (("en", "Follow-up"), ("sv", "Uppföljning"), ("fr", "Suivi")):
        edit = grid.editors[("title", lang)]
        edit.selectAll()
        type_into(qtbot, edit, title)
    assert editor.content.sections[2].title == {"en": "Follow-up", "sv": "Uppföljning", "fr": "Suivi"}

    # add a yes/no item through the "Add item" menu and translate its label
    menu = editor.add_item_button.menu()
    next(a for a in menu.actions() if a.text() == "Yes / No / Not applicable").trigger()
    si, ii = editor.selected
    assert (si, ii) == (2, 0)
    item = editor.content.sections[2].items[0]
    assert item.type == "yes_no_na"
    grid = editor.properties.widget().findChild(TextsGrid)
    assert grid.editors[("label", "sv")].property("invalid") is True  # missing translation marked
    for lang, label in (("en", "Was a referral offered?"), ("sv", "Erbjöds en hänvisning?"),
                        ("fr", "Une orientation a-t-elle été proposée ?")):
        edit = grid.editors[("label", lang)]
        edit.selectAll()
        type_into(qtbot, edit, label)
    assert item.label["sv"] == "Erbjöds en hänvisning?"
    assert grid.editors[("label", "sv")].property("invalid") is False

    # build "visible when family_asked is yes" in the condition builder
    from ui.condition_builder import ConditionBuilder, ConditionRow

    builder = editor.properties.widget().findChildren(ConditionBuilder)[0]
    qtbot.mouseClick(builder.group.add_row_button, Qt.MouseButton.LeftButton)
    row = builder.group.findChildren(ConditionRow)[0]
    row.subject.setCurrentIndex(row.subject.findData("item:family_asked"))
    row.op.setCurrentIndex(row.op.findData("equals"))
    row.choice_value.setCurrentIndex(row.choice_value.findData("yes"))
    assert item.visible_when == {"item": "family_asked", "op": "equals", "value": "yes"}

    # undo the condition, then redo it
    stack = manager.undo_stack
    manager.act_undo.trigger()
    assert editor.content.sections[2].items[0].visible_when != {"item": "family_asked", "op": "equals", "value": "yes"}
    for _step in range(10):  # each combo change was an edit; a bounded walk back, so a broken undo fails
        if editor.content.sections[2].items[0].visible_when is None:
            break
        manager.act_undo.trigger()
    assert editor.content.sections[2].items[0].visible_when is None
    assert editor.content.sections[2].items[0].label["sv"] == "Erbjöds en hänvisning?"  # earlier edits stay
    for _step in range(10):
        if not stack.canRedo():
            break
        manager.act_redo.trigger()
    assert not stack.canRedo()
    assert editor.content.sections[2].items[0].visible_when == {"item": "family_asked", "op": "equals", "value": "yes"}
    assert editor.content.sections[2].items[0].label["fr"] == "Une orientation a-t-elle été proposée ?"

    # the preview shows the new item only when its condition holds
    editor.preview.render()
    preview_item = editor.preview.widgets[item.key]
    assert preview_item.isHidden()
    family = editor.preview.widgets["family_asked"]
    family.load("yes", "")
    editor.preview.update_state()
    assert not preview_item.isHidden()

    # no errors: publish (confirm the question)
    editor.refresh_validation()
    manager._update_actions()
    assert manager.act_publish.isEnabled()
    failures: list[BaseException] = []
    when_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click(), failures)
    manager.act_publish.trigger()
    assert not failures
    latest = services.templates.find_version("all_types")
    assert latest.number == 2 and latest.status == "published"
    assert services.templates.content(latest.id).item(item.key).label["sv"] == "Erbjöds en hänvisning?"

    # a new case uses v2; the existing case still renders v1
    new_case = services.assessments.create(
        next(v.id for v in services.templates.published_versions() if v.template_key == "all_types"),
        CaseFacts(case_reference="NEW-1"))
    assert services.assessments.get(new_case).template_version == 2
    old = services.assessments.get(old_case)
    assert old.template_version == 1
    from ui.filling import FillingView

    view = FillingView(services, old)
    qtbot.addWidget(view)
    assert item.key not in view.items and "family_asked" in view.items
    view.autosaver.flush()


def test_validation_blocks_publishing_and_jumps_to_the_problem(qtbot, services, all_types_version, styled_app):
    manager = open_manager(qtbot, services, styled_app)
    select_version(manager, "all_types", 1)
    manager.act_draft.trigger()
    editor = manager.editor
    before = editor.content.to_dict()
    editor.content.sections[1].items[0].key = "channel"  # duplicate key
    editor.push(before, "rename")
    editor.refresh_validation()
    manager._update_actions()
    assert not manager.act_publish.isEnabled()
    problems = [editor.problem_list.item(i) for i in range(editor.problem_list.count())]
    duplicate = next(p for p in problems if "duplicate item key" in p.text())
    editor.problem_list.itemClicked.emit(duplicate)
    assert editor.selected == (1, 0)
    # the dangling reference of a deleted item is reported too
    before = editor.content.to_dict()
    editor.content.sections[0].items.pop(1)  # family_asked, referenced by family_all
    editor.push(before, "remove")
    texts = [p.message for p in editor.problems()]
    assert any("unknown item" in t for t in texts)
    manager.undo_stack.undo()
    manager.undo_stack.undo()
    assert not [p for p in editor.problems() if p.severity == "error"]
    editor.flush()
    assert services.templates.content(editor.version.id).item("family_asked")


def test_compare_dialog_lists_changes(qtbot, services, all_types_version, styled_app):
    from ui.templates import CompareDialog

    draft = services.templates.create_draft(all_types_version.id)
    content = services.templates.content(draft.id)
    content.item("summary").label["en"] = "Short summary"
    services.templates.update_draft(draft.id, content)
    dialog = CompareDialog(services, "all_types")
    qtbot.addWidget(dialog)
    rows = [(dialog.tree.topLevelItem(i).text(0), dialog.tree.topLevelItem(i).text(1), dialog.tree.topLevelItem(i).text(4))
            for i in range(dialog.tree.topLevelItemCount())]
    assert ("Changed", "summary", "Short summary") in rows


def test_the_wheel_over_the_properties_pane_never_changes_a_rule(qtbot, services, all_types_version, styled_app):
    """Issue 10 item 1 in the template editor: a wheel over an unfocused combo (item type, operator)
    scrolls the pane and changes nothing."""
    from PySide6.QtWidgets import QComboBox

    from tests.ui.test_wheel import _wheel

    manager = open_manager(qtbot, services, styled_app)
    select_version(manager, "all_types", 1)
    manager.act_draft.trigger()
    editor = manager.editor
    editor.selected = (0, 0)
    editor._build_properties()
    before = editor.content.to_dict() if hasattr(editor.content, "to_dict") else repr(editor.content)
    combos = [c for c in editor.properties.widget().findChildren(QComboBox) if c.isEnabled()]
    assert combos
    for combo in combos:
        index = combo.currentIndex()
        combo.clearFocus()
        _wheel(combo, -3)
        _wheel(combo, 3)
        assert combo.currentIndex() == index, combo.accessibleName()
    after = editor.content.to_dict() if hasattr(editor.content, "to_dict") else repr(editor.content)
    assert after == before

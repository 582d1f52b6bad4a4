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
    assert ("Changed", "\u201cShort summary\u201d", "Short summary") in rows


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


def _draft_editor(qtbot, services, styled_app, size=(1366, 768)):
    manager = open_manager(qtbot, services, styled_app)
    manager.resize(*size)
    select_version(manager, "all_types", 1)
    manager.act_draft.trigger()
    return manager, manager.editor


def _entries(editor):
    return [editor.problem_list.item(i) for i in range(editor.problem_list.count())]


def test_validation_panel_says_the_place_in_words_wraps_and_selects_the_field(qtbot, services, all_types_version,
                                                                            styled_app):
    """Issue 10 item 8: no technical path, nothing cut off, a click puts the cursor in the field."""
    from ui.templates import TextsGrid

    manager, editor = _draft_editor(qtbot, services, styled_app)
    before = editor.content.to_dict()
    family = editor.content.sections[0].items[1]  # family_asked: it has a flag rule and its explanation
    family.flag_explanation.pop("fr")
    editor.push(before, "edit")
    editor.refresh_validation()
    entries = _entries(editor)
    entry = next(e for e in entries if "flag explanation" in e.text())
    assert entry.text() == "Warning: Section 1, item 2: the flag explanation is missing in French"
    tip = entry.toolTip()
    assert "flag_explanation" not in tip and "sections[" not in tip
    assert tip.startswith("Section 1, item 2: the flag explanation is missing in French")
    assert editor.content.text(family.label, "en") in tip and editor.content.sections[0].title["en"] in tip
    for e in entries:
        assert "sections[" not in e.text() and "sections[" not in e.toolTip()

    # a narrow panel wraps each message inside its width instead of cutting it
    editor.side.setCurrentIndex(0)
    qtbot.waitExposed(manager)
    splitter = editor.properties.parentWidget()
    splitter.setSizes([260, 900, 220])
    qtbot.waitUntil(lambda: not editor.validate_timer.isActive(), timeout=2000)
    qtbot.wait(50)
    view = editor.problem_list
    entry = next(e for e in _entries(editor) if "flag explanation" in e.text())
    line = view.fontMetrics().height()
    rect = view.visualItemRect(entry)
    assert view.fontMetrics().horizontalAdvance(entry.text()) > view.viewport().width()
    assert rect.right() <= view.viewport().width() and rect.height() >= 2 * line, (rect, view.viewport().width())
    assert view.horizontalScrollBar().maximum() == 0

    # a click selects the item and focuses the French flag explanation
    view.itemClicked.emit(entry)
    assert editor.selected == (0, 1)
    grid = editor.properties.widget().findChild(TextsGrid)
    assert manager.focusWidget() is grid.editors[("flag_explanation", "fr")]  # the window's focus (offscreen)


def test_a_click_on_an_option_or_a_rule_problem_selects_that_option_or_rule_row(qtbot, services, all_types_version,
                                                                               styled_app):
    from PySide6.QtWidgets import QTableWidget

    from ui.condition_builder import ConditionBuilder, ConditionRow

    manager, editor = _draft_editor(qtbot, services, styled_app)
    before = editor.content.to_dict()
    channel = editor.content.sections[0].items[3]  # a single choice
    channel.options[1].label.pop("sv")
    confidence = editor.content.item("confidence")  # flag rule: any_of[item, all_of[fact, not item]]
    confidence.flag_when["any_of"][1]["all_of"][1]["not"]["item"] = "ghost"
    editor.push(before, "edit")
    editor.validate_timer.stop()
    editor.refresh_validation()
    entries = _entries(editor)
    option = next(e for e in entries if "option 2" in e.text())
    assert option.text() == "Warning: Section 1, item 4: the label of option 2 is missing in Swedish"
    editor.problem_list.itemClicked.emit(option)
    assert editor.selected == (0, 3)
    table = editor.properties.widget().findChild(QTableWidget)
    assert (table.currentRow(), table.currentColumn()) == (1, 1 + editor.content.languages.index("sv"))
    assert manager.focusWidget() is table

    rule = next(e for e in entries if "ghost" in e.text())
    assert rule.text().startswith("Error: Section 2, item 7, flag rule, condition 2.2: refers to unknown item"), rule.text()
    editor.problem_list.itemClicked.emit(rule)
    si, ii = editor.selected
    assert editor.content.sections[si].items[ii].key == "confidence"
    flag = [b for b in editor.properties.widget().findChildren(ConditionBuilder)][-1]
    nested = flag.group.children_widgets()[1]  # the "all of" group, second condition of "any of"
    none_of = nested.children_widgets()[1]  # its second condition: a "none of" group...
    target = none_of.children_widgets()[0]  # ...of "ghost is answered", shown as it is (an unknown item)
    assert manager.focusWidget() is getattr(target, "subject", target)
    first = flag.group.children_widgets()[0]
    assert isinstance(first, ConditionRow) and manager.focusWidget() is not first.subject


def test_structure_and_template_trees_show_whole_names(qtbot, services, all_types_version, styled_app):
    """Issue 10 item 8: long names are never cut for good: resizable, and the whole text in a tooltip."""
    from PySide6.QtWidgets import QHeaderView

    long_title = "A very long checklist title that is much wider than the pane on the left of the window"
    draft = services.templates.create_draft(all_types_version.id)
    content = services.templates.content(draft.id)
    content.title["en"] = long_title
    content.sections[0].items[1].label["en"] = "Were the same questions about family plans asked of every applicant, " \
                                               "whoever they were?"
    services.templates.update_draft(draft.id, content)
    manager = open_manager(qtbot, services, styled_app)
    manager.resize(1366, 768)
    qtbot.waitExposed(manager)
    select_version(manager, "all_types", 2)
    tree = manager.versions
    header = tree.header()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Interactive
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.Interactive
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).data(1, Qt.ItemDataRole.UserRole) == "all_types")
    assert top.text(0) == long_title and long_title in top.toolTip(0)
    status = tree.columnWidth(1)
    assert status >= max(tree.fontMetrics().horizontalAdvance(top.child(c).text(1)) for c in range(top.childCount()))
    assert tree.columnWidth(0) + status <= tree.viewport().width() + 1  # the status stays in sight
    # the pane dragged wider: the name column follows and shows the whole title
    from PySide6.QtGui import QFontMetrics

    needed = QFontMetrics(top.font(0)).horizontalAdvance(long_title) + tree.indentation() + 8
    splitter = manager.centralWidget()
    splitter.moveSplitter(needed + status + 60, 1)
    qtbot.wait(20)
    assert tree.columnWidth(0) >= needed, (tree.columnWidth(0), needed)
    for c in range(top.childCount()):  # each version's own title (a draft may have a new one), whole
        node = top.child(c)
        assert node.toolTip(0).startswith(node.data(0, Qt.ItemDataRole.UserRole).title + ", version")
    assert long_title in top.child(top.childCount() - 1).toolTip(0)

    editor = manager.editor
    structure = editor.tree
    nodes = [structure.topLevelItem(i) for i in range(structure.topLevelItemCount())]
    nodes += [n.child(c) for n in list(nodes) for c in range(n.childCount())]
    for node in nodes:
        assert node.text(0) and node.toolTip(0).startswith(node.text(0)), node.text(0)
    widest = max(structure.fontMetrics().horizontalAdvance(n.text(0)) for n in nodes)
    assert structure.columnWidth(0) >= widest
    splitter = editor.properties.parentWidget()
    assert not splitter.childrenCollapsible()


def test_compare_names_items_by_their_labels_in_rules(qtbot, services, all_types_version, styled_app):
    """Issue 10 item 8: a changed flag rule reads with the item's label, its key in the tooltip."""
    from ui.templates import CompareDialog

    draft = services.templates.create_draft(all_types_version.id)
    content = services.templates.content(draft.id)
    content.item("family_asked").flag_when = {"item": "family_asked", "op": "equals", "value": "no"}
    services.templates.update_draft(draft.id, content)
    dialog = CompareDialog(services, "all_types")
    qtbot.addWidget(dialog)
    rows = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    rule = next(r for r in rows if r.text(2) == "flag rule")
    label = content.text(content.item("family_asked").label, "en")
    assert rule.text(1) == f"\u201c{label}\u201d" and "family_asked" in rule.toolTip(1)
    assert rule.text(3) == f"\u201c{label}\u201d is Yes" and rule.text(4) == f"\u201c{label}\u201d is No"
    assert "family_asked" not in rule.text(3) + rule.text(4)
    assert rule.toolTip(4) == f"\u201c{label}\u201d (key family_asked) is No"


def test_compare_falls_back_to_the_templates_default_language(qtbot, services, all_types_version, styled_app):
    from app.i18n import set_language
    from ui.templates import CompareDialog

    draft = services.templates.create_draft(all_types_version.id)
    content = services.templates.content(draft.id)
    content.item("minutes").flag_when = {"item": "minutes", "op": "lt", "value": 15}
    content.item("minutes").label.pop("sv", None)
    services.templates.update_draft(draft.id, content)
    set_language("sv")
    try:
        dialog = CompareDialog(services, "all_types")
        qtbot.addWidget(dialog)
        rows = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    finally:
        set_language("en")
    flag = next(r for r in rows if "15" in r.text(4))
    assert content.item("minutes").label["en"] in flag.text(4) and "minutes" not in flag.text(4).replace(
        content.item("minutes").label["en"], "")


def test_a_template_with_a_missing_key_says_what_was_expected_and_that_nothing_was_imported(
        qtbot, services, all_types_version, styled_app, tmp_path):
    """Issue 10 item 11."""
    import json

    from tests.conftest import DATA

    data = json.loads((DATA / "all_types.json").read_text(encoding="utf-8"))
    del data["key"]
    data["sections"][0]["items"][1]["key"] = 7
    path = tmp_path / "shape.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    manager = open_manager(qtbot, services, styled_app)
    seen: list[tuple[str, str]] = []
    failures: list[BaseException] = []

    def read(box):
        seen.append((box.text(), box.informativeText()))
        box.button(QMessageBox.StandardButton.Ok).click()

    versions = len(services.templates.list_versions())
    when_modal(QMessageBox, read, failures)
    manager.import_file(str(path))
    assert not failures and seen
    heading, details = seen[0]
    assert heading == "Nothing was imported from shape.json; nothing in the database changed."
    assert "Template, key: a key is required: lower-case letters, digits and _, starting with a letter" in details
    assert "Section 1, item 2, key: a key must be a text in quotes, not a number" in details
    assert "None" not in details
    assert len(services.templates.list_versions()) == versions

"""Trainers' tools: templates and their versions, the draft editor, validation, preview, compare.

Every edit goes through a QUndoStack as a snapshot command (content before / after), so undo and
redo cover everything, and drafts are saved automatically. Business rules stay in app/: the
editing operations (app.domain.editing), validation (app.domain.template) and the services.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import editing
from app.domain.assessment import Evaluation
from app.domain.facts import CaseFacts, choice_label
from app.domain.template import (
    CHOICE_TYPES,
    ITEM_TYPE_LABELS,
    ITEM_TYPES,
    Item,
    Option,
    TemplateContent,
    version_status_label,
)
from app.errors import LikvardError, Problem, TemplateFormatError
from app.i18n import (
    LANGUAGE_NAMES,
    SUPPORTED_LANGUAGES,
    _,
    format_datetime,
    get_language,
    localized,
    ngettext,
    pgettext,
    translate_in,
)
from app.services import Services
from app.services.templates import PartialImportError, VersionInfo, open_filter, save_filter
from ui.condition_builder import ConditionBuilder
from ui.style import ERROR, FLAG_BG, make_heading, repolish

# --- undo ---------------------------------------------------------------------------------


class SnapshotCommand(QUndoCommand):
    """One edit: the whole content before and after. Consecutive typing in a field merges."""

    def __init__(self, editor: DraftEditor, before: dict[str, Any], after: dict[str, Any], text: str,
                 merge_key: str | None = None) -> None:
        super().__init__(text)
        self.editor = editor
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def id(self) -> int:
        return 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, SnapshotCommand) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.editor.apply_snapshot(self.after)

    def undo(self) -> None:
        self.editor.apply_snapshot(self.before)


# --- small widgets --------------------------------------------------------------------------


class TextsGrid(QWidget):
    """Texts side by side for every language; a missing translation is marked."""

    edited = Signal(str, str, str)  # field, language, text

    def __init__(self, fields: list[tuple[str, str, bool]], languages: list[str], default_language: str,
                 values: dict[str, dict[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        self.editors: dict[tuple[str, str], QWidget] = {}
        for col, lang in enumerate(languages):
            head = QLabel(LANGUAGE_NAMES.get(lang, lang) + (" \u2605" if lang == default_language else ""))
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            if lang == default_language:
                head.setToolTip(_("Default language"))
            grid.addWidget(head, 0, col)
        row = 1
        for field, title, multiline in fields:
            label = QLabel(title)
            label.setObjectName("muted")
            grid.addWidget(label, row, 0, 1, len(languages))
            row += 1
            texts = values.get(field) or {}
            any_text = any(v.strip() for v in texts.values())
            for col, lang in enumerate(languages):
                edit = QPlainTextEdit(texts.get(lang, ""))
                edit.setTabChangesFocus(True)
                lines = 5 if multiline else 2
                edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
                edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * (lines + 3) + 12)
                edit.textChanged.connect(lambda f=field, lg=lang, e=edit: self._changed(f, lg, e.toPlainText(), e))
                edit.setAccessibleName(_("{field} ({language})").format(field=title, language=LANGUAGE_NAMES.get(lang, lang)))
                missing = any_text and not texts.get(lang, "").strip()
                self._mark(edit, missing)
                grid.addWidget(edit, row, col)
                self.editors[(field, lang)] = edit
            row += 1
        for col in range(len(languages)):
            grid.setColumnStretch(col, 1)

    def _mark(self, edit: QWidget, missing: bool) -> None:
        edit.setProperty("invalid", missing)
        edit.setToolTip(_("Missing translation") if missing else "")
        if isinstance(edit, (QLineEdit, QPlainTextEdit)):
            edit.setPlaceholderText(_("Missing translation") if missing else "")
        repolish(edit)

    def _changed(self, field: str, lang: str, text: str, edit: QWidget) -> None:
        self._mark(edit, not text.strip())
        self.edited.emit(field, lang, text)


# --- the draft editor -------------------------------------------------------------------------


class DraftEditor(QWidget):
    """Structure tree, properties, validation and preview of one draft version."""

    saved = Signal(str)
    problems_changed = Signal(int, int)  # errors, warnings

    def __init__(self, services: Services, version: VersionInfo, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.version = version
        self.undo_stack = undo_stack
        self.content: TemplateContent = services.templates.content(version.id)
        self.selected: tuple[int | None, int | None] = (None, None)  # section index, item index
        self.error_count = 0  # of the last validation (publishing needs none)
        self._applying = False
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(500)
        self.save_timer.timeout.connect(self.save)
        self.validate_timer = QTimer(self)
        self.validate_timer.setSingleShot(True)
        self.validate_timer.setInterval(250)
        self.validate_timer.timeout.connect(self.refresh_validation)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_structure())
        self.properties = QScrollArea()
        self.properties.setWidgetResizable(True)
        self.properties.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.properties.setAccessibleName(_("Properties"))
        splitter.addWidget(self.properties)
        self.side = QTabWidget()
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("missing")
        self.problem_list.setAccessibleName(_("Validation problems"))
        self.problem_list.itemActivated.connect(self._jump_to_problem)
        self.problem_list.itemClicked.connect(self._jump_to_problem)
        self.side.addTab(self.problem_list, _("Validation"))
        self.preview = PreviewPane(self)
        self.side.addTab(self.preview, _("Preview"))
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([220, 520, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.rebuild()

    # structure tree -----------------------------------------------------------------------

    def _build_structure(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(_("Sections and items"))
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(self._tree_selection)
        self.tree.model().rowsMoved.connect(self._tree_dropped)
        layout.addWidget(self.tree, 1)
        buttons = QGridLayout()
        self.add_section_button = QPushButton(_("Add section"))
        self.add_section_button.clicked.connect(self.add_section)
        self.add_item_button = QPushButton(_("Add item"))
        menu = QMenu(self.add_item_button)
        for item_type in ITEM_TYPES:
            action = menu.addAction(_(ITEM_TYPE_LABELS[item_type]))
            action.triggered.connect(lambda _c=False, t=item_type: self.add_item(t))
        self.add_item_button.setMenu(menu)
        self.up_button = QPushButton(_("Move up"))
        self.up_button.setToolTip(_("Move up (Alt+Up)"))
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(_("Move down"))
        self.down_button.setToolTip(_("Move down (Alt+Down)"))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_section_button, 0, 0)
        buttons.addWidget(self.add_item_button, 0, 1)
        buttons.addWidget(self.up_button, 1, 0)
        buttons.addWidget(self.down_button, 1, 1)
        buttons.addWidget(self.remove_button, 2, 0, 1, 2)
        layout.addLayout(buttons)
        for seq, slot in (("Alt+Up", lambda: self.move_selected(-1)), ("Alt+Down", lambda: self.move_selected(1))):
            action = QAction(self.tree)
            action.setShortcut(QKeySequence(seq))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.tree.addAction(action)
        delete = QAction(self.tree)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.remove_selected)
        self.tree.addAction(delete)
        return box

    def _fill_tree(self) -> None:
        lang = get_language()
        self.tree.blockSignals(True)
        self.tree.clear()
        root = QTreeWidgetItem([self.content.text(self.content.title, lang) or self.content.key])
        root.setData(0, Qt.ItemDataRole.UserRole, (None, None))
        root.setFlags(root.flags() & ~Qt.ItemFlag.ItemIsDragEnabled & ~Qt.ItemFlag.ItemIsDropEnabled)
        font = root.font(0)
        font.setBold(True)
        root.setFont(0, font)
        self.tree.addTopLevelItem(root)
        current = None
        for si, section in enumerate(self.content.sections):
            node = QTreeWidgetItem([self.content.text(section.title, lang) or section.key])
            node.setData(0, Qt.ItemDataRole.UserRole, (si, None))
            node.setFont(0, font)
            node.setFlags(node.flags() | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled)
            self.tree.addTopLevelItem(node)
            if self.selected == (si, None):
                current = node
            for ii, item in enumerate(section.items):
                text = self.content.text(item.label, lang) or item.key
                child = QTreeWidgetItem([text])
                child.setToolTip(0, f"{item.key} \u2014 {_(ITEM_TYPE_LABELS[item.type])}")
                child.setData(0, Qt.ItemDataRole.UserRole, (si, ii))
                child.setFlags((child.flags() | Qt.ItemFlag.ItemIsDragEnabled) & ~Qt.ItemFlag.ItemIsDropEnabled)
                node.addChild(child)
                if self.selected == (si, ii):
                    current = child
        self.tree.expandAll()
        self.tree.setCurrentItem(current or root)
        self.tree.blockSignals(False)

    def _tree_selection(self, current: QTreeWidgetItem | None, _previous: Any = None) -> None:
        if current is None:
            return
        self.selected = tuple(current.data(0, Qt.ItemDataRole.UserRole))  # type: ignore[assignment]
        self._build_properties()
        self._update_buttons()

    def _tree_dropped(self, *args: Any) -> None:
        """Drag and drop moved nodes in the tree: read the new order back into the content."""
        if self._applying:
            return
        before = self.content.to_dict()
        sections_by_key = {s.key: s for s in self.content.sections}
        items_by_key = {i.key: i for i in self.content.items()}
        new_sections = []
        for top in range(self.tree.topLevelItemCount()):
            node = self.tree.topLevelItem(top)
            si, ii = node.data(0, Qt.ItemDataRole.UserRole)
            if si is None:
                continue
            section = sections_by_key[self.content.sections[si].key]
            items = []
            for c in range(node.childCount()):
                csi, cii = node.child(c).data(0, Qt.ItemDataRole.UserRole)
                items.append(items_by_key[self.content.sections[csi].items[cii].key])
            new_sections.append((section, items))
        if sum(len(items) for _s, items in new_sections) != len(items_by_key):
            QTimer.singleShot(0, self.rebuild)  # an item was dropped outside any section: refuse
            return
        for section, items in new_sections:
            section.items = items
        self.content.sections = [s for s, _items in new_sections]
        self.push(before, _("Reorder"))
        QTimer.singleShot(0, self.rebuild)

    def _update_buttons(self) -> None:
        si, ii = self.selected
        self.add_item_button.setEnabled(bool(self.content.sections))
        self.remove_button.setEnabled(si is not None)
        self.up_button.setEnabled(si is not None)
        self.down_button.setEnabled(si is not None)

    # commands -----------------------------------------------------------------------------

    def push(self, before: dict[str, Any], text: str, merge_key: str | None = None) -> None:
        """Record an edit already made on ``self.content`` (undoable), then save and re-check."""
        after = self.content.to_dict()
        if after == before:
            return
        self.undo_stack.push(SnapshotCommand(self, before, after, text, merge_key))

    def apply_snapshot(self, data: dict[str, Any]) -> None:
        """Undo / redo: show ``data``. Rebuilds only when it differs from what is shown."""
        if data != self.content.to_dict():
            self._applying = True
            try:
                self.content = editing.from_dict(data)
                self.rebuild()
            finally:
                self._applying = False
        self.save_timer.start()
        self.validate_timer.start()
        self.preview.schedule()

    def rebuild(self) -> None:
        si, ii = self.selected
        if si is not None and si >= len(self.content.sections):
            self.selected = (None, None)
        elif si is not None and ii is not None and ii >= len(self.content.sections[si].items):
            self.selected = (si, None)
        self._fill_tree()
        self._build_properties()
        self._update_buttons()
        self.refresh_validation()
        self.preview.schedule()

    def add_section(self) -> None:
        before = self.content.to_dict()
        si = self.selected[0]
        index = len(self.content.sections) if si is None else si + 1
        editing.new_section(self.content, translate_in(self.content.default_language, "New section"), index)
        self.selected = (index, None)
        self.push(before, _("Add section"))
        self.rebuild()

    def add_item(self, item_type: str) -> None:
        if not self.content.sections:
            return
        before = self.content.to_dict()
        si, ii = self.selected
        si = 0 if si is None else si
        index = len(self.content.sections[si].items) if ii is None else ii + 1
        editing.new_item(self.content, si, item_type, translate_in(self.content.default_language, "New item"), index)
        self.selected = (si, index)
        self.push(before, _("Add item"))
        self.rebuild()

    def remove_selected(self) -> None:
        si, ii = self.selected
        if si is None:
            return
        before = self.content.to_dict()
        if ii is None:
            del self.content.sections[si]
            self.selected = (max(0, si - 1) if self.content.sections else None, None)
            text = _("Remove section")
        else:
            del self.content.sections[si].items[ii]
            self.selected = (si, ii - 1 if ii > 0 else None)
            text = _("Remove item")
        self.push(before, text)
        self.rebuild()

    def move_selected(self, delta: int) -> None:
        si, ii = self.selected
        if si is None:
            return
        before = self.content.to_dict()
        if ii is None:
            target = si + delta
            if not 0 <= target < len(self.content.sections):
                return
            editing.move_section(self.content, si, target)
            self.selected = (target, None)
        else:
            items = self.content.sections[si].items
            target = ii + delta
            if 0 <= target < len(items):
                editing.move_item(self.content, items[ii].key, si, target)
                self.selected = (si, target)
            elif delta < 0 and si > 0:  # move into the end of the previous section
                editing.move_item(self.content, items[ii].key, si - 1, len(self.content.sections[si - 1].items))
                self.selected = (si - 1, len(self.content.sections[si - 1].items) - 1)
            elif delta > 0 and si + 1 < len(self.content.sections):
                editing.move_item(self.content, items[ii].key, si + 1, 0)
                self.selected = (si + 1, 0)
            else:
                return
        self.push(before, _("Move"))
        self.rebuild()
        self.tree.setFocus()

    # properties ----------------------------------------------------------------------------

    def _build_properties(self) -> None:
        si, ii = self.selected
        page = QWidget()
        page.setObjectName("itemsPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.setSpacing(10)
        if si is None:
            self._template_properties(layout)
        elif ii is None:
            self._section_properties(layout, si)
        else:
            self._item_properties(layout, si, ii)
        layout.addStretch(1)
        old = self.properties.takeWidget()
        if old is not None:
            old.deleteLater()
        self.properties.setWidget(page)

    def _heading(self, layout: QVBoxLayout, text: str) -> None:
        label = QLabel(text)
        make_heading(label, 1.2)
        label.setWordWrap(True)
        layout.addWidget(label)

    def _texts_changed(self, target: dict[str, dict[str, str]], what: str) -> Any:
        def changed(field: str, lang: str, text: str) -> None:
            before = self.content.to_dict()
            texts = target[field]
            if text.strip():
                texts[lang] = text
            else:
                texts.pop(lang, None)
            self.push(before, what, merge_key=f"text:{id(texts)}:{lang}")
            self._refresh_tree_labels()
        return changed

    def _template_properties(self, layout: QVBoxLayout) -> None:
        c = self.content
        self._heading(layout, _("Template"))
        form = QFormLayout()
        key = QLineEdit(c.key)
        key.setReadOnly(True)
        key.setAccessibleName(_("Template key"))
        form.addRow(_("Key"), key)
        langs = QHBoxLayout()
        for lang in SUPPORTED_LANGUAGES:
            box = QCheckBox(LANGUAGE_NAMES[lang])
            box.setChecked(lang in c.languages)
            box.setEnabled(lang != c.default_language)
            box.setAccessibleName(_("Language {language}").format(language=LANGUAGE_NAMES[lang]))
            box.toggled.connect(lambda on, lg=lang: self._toggle_language(lg, on))
            langs.addWidget(box)
        langs.addStretch(1)
        form.addRow(_("Languages"), langs)
        default = QComboBox()
        default.setAccessibleName(_("Default language"))
        for lang in c.languages:
            default.addItem(LANGUAGE_NAMES.get(lang, lang), lang)
        default.setCurrentIndex(max(0, default.findData(c.default_language)))
        default.currentIndexChanged.connect(lambda _i: self._set_default_language(default.currentData()))
        form.addRow(_("Default language"), default)
        layout.addLayout(form)
        values = {"title": c.title, "description": c.description}
        grid = TextsGrid([("title", _("Title"), False), ("description", _("Description"), True)],
                         c.languages, c.default_language, values)
        grid.edited.connect(self._texts_changed(values, _("Edit the template title")))
        layout.addWidget(grid)
        hint = QLabel(_("Pick a section or an item on the left to edit it. Drag and drop, or Alt+Up and "
                        "Alt+Down, reorder them."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def _toggle_language(self, lang: str, on: bool) -> None:
        before = self.content.to_dict()
        if on:
            editing.add_language(self.content, lang)
        else:
            editing.remove_language(self.content, lang)
        self.push(before, _("Change languages"))
        QTimer.singleShot(0, self.rebuild)

    def _set_default_language(self, lang: str) -> None:
        if not lang or lang == self.content.default_language:
            return
        before = self.content.to_dict()
        self.content.default_language = lang
        self.push(before, _("Change the default language"))
        QTimer.singleShot(0, self.rebuild)

    def _section_properties(self, layout: QVBoxLayout, si: int) -> None:
        section = self.content.sections[si]
        self._heading(layout, _("Section"))
        form = QFormLayout()
        key = QLineEdit(section.key)
        key.setAccessibleName(_("Section key"))
        key.editingFinished.connect(lambda: self._rename_section(si, key.text().strip()))
        form.addRow(_("Key"), key)
        layout.addLayout(form)
        values = {"title": section.title}
        grid = TextsGrid([("title", _("Title"), False)], self.content.languages, self.content.default_language, values)
        grid.edited.connect(self._texts_changed(values, _("Edit a section title")))
        layout.addWidget(grid)
        builder = ConditionBuilder(_("Show this section only when\u2026 (leave empty to always show it)"))
        builder.set_context(self.content, None, section.visible_when)
        builder.edited.connect(lambda cond: self._set_condition(section, "visible_when", cond))
        layout.addWidget(builder)

    def _rename_section(self, si: int, key: str) -> None:
        section = self.content.sections[si]
        if key == section.key:
            return
        before = self.content.to_dict()
        section.key = key
        self.push(before, _("Rename section"))

    def _item_properties(self, layout: QVBoxLayout, si: int, ii: int) -> None:
        item = self.content.sections[si].items[ii]
        self._heading(layout, _("Item"))
        form = QFormLayout()
        key = QLineEdit(item.key)
        key.setAccessibleName(_("Item key"))
        key.editingFinished.connect(lambda: self._rename_item(item, key.text().strip()))
        form.addRow(_("Key"), key)
        type_combo = QComboBox()
        type_combo.setAccessibleName(_("Item type"))
        for item_type in ITEM_TYPES:
            type_combo.addItem(_(ITEM_TYPE_LABELS[item_type]), item_type)
        type_combo.setCurrentIndex(type_combo.findData(item.type))
        type_combo.currentIndexChanged.connect(lambda _i: self._set_type(item, type_combo.currentData()))
        form.addRow(_("Type"), type_combo)
        required = QCheckBox(_("An answer is required to complete the case"))
        required.setAccessibleName(_("Required"))
        required.setChecked(item.required)
        required.setEnabled(item.answerable)
        required.toggled.connect(lambda on: self._set_attr(item, "required", on, _("Change required")))
        form.addRow(_("Required"), required)
        weight = QDoubleSpinBox()
        weight.setAccessibleName(_("Weight in the score"))
        weight.setRange(0, 100)
        weight.setDecimals(1)
        weight.setValue(float(item.weight))
        weight.valueChanged.connect(lambda v: self._set_attr(item, "weight", int(v) if v == int(v) else v,
                                                             _("Change weight"), "weight"))
        form.addRow(_("Weight"), weight)
        if item.type in ("integer", "decimal", "money"):
            for attr, title in (("minimum", _("Minimum")), ("maximum", _("Maximum"))):
                edit = QLineEdit("" if getattr(item, attr) is None else str(getattr(item, attr)))
                edit.setAccessibleName(title)
                edit.setPlaceholderText(_("none"))
                edit.editingFinished.connect(lambda a=attr, e=edit: self._set_bound(item, a, e))
                form.addRow(title, edit)
        layout.addLayout(form)
        fields = [("label", _("Label"), False), ("guidance", _("Guidance"), True)]
        values = {"label": item.label, "guidance": item.guidance, "flag_explanation": item.flag_explanation}
        if item.flag_when is not None:
            fields.append(("flag_explanation", _("Flag explanation"), True))
        grid = TextsGrid(fields, self.content.languages, self.content.default_language, values)
        grid.edited.connect(self._texts_changed(values, _("Edit an item text")))
        layout.addWidget(grid)
        if item.type in CHOICE_TYPES:
            layout.addWidget(self._options_editor(item))
        builder = ConditionBuilder(_("Show this item only when\u2026 (leave empty to always show it)"))
        builder.set_context(self.content, item.key, item.visible_when)
        builder.edited.connect(lambda cond: self._set_condition(item, "visible_when", cond))
        layout.addWidget(builder)
        flag = ConditionBuilder(_("Flag a possible sign of unequal treatment when\u2026"))
        flag.set_context(self.content, None, item.flag_when)
        flag.edited.connect(lambda cond: self._set_condition(item, "flag_when", cond, rebuild=True))
        layout.addWidget(flag)

    def _options_editor(self, item: Item) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Options"))
        title.setObjectName("muted")
        layout.addWidget(title)
        langs = self.content.languages
        table = QTableWidget(len(item.options), 1 + len(langs))
        table.setAccessibleName(_("Options"))
        table.setHorizontalHeaderLabels([_("Value")] + [LANGUAGE_NAMES.get(lg, lg) for lg in langs])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().hide()
        for row, option in enumerate(item.options):
            table.setItem(row, 0, QTableWidgetItem(option.value))
            for col, lang in enumerate(langs, start=1):
                cell = QTableWidgetItem(option.label.get(lang, ""))
                if not option.label.get(lang, "").strip():
                    cell.setBackground(QBrush(QColor(FLAG_BG)))
                    cell.setToolTip(_("Missing translation"))
                table.setItem(row, col, cell)
        table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * (len(item.options) + 1) + 8)

        def cell_changed(row: int, col: int) -> None:
            before = self.content.to_dict()
            text = table.item(row, col).text()
            option = item.options[row]
            if col == 0:
                option.value = text.strip()
            elif text.strip():
                option.label[langs[col - 1]] = text
            else:
                option.label.pop(langs[col - 1], None)
            self.push(before, _("Edit option"))
            self.validate_timer.start()

        table.cellChanged.connect(cell_changed)
        layout.addWidget(table)
        buttons = QHBoxLayout()
        add = QPushButton(_("Add option"))
        add.clicked.connect(lambda: self._add_option(item))
        remove = QPushButton(_("Remove option"))
        remove.clicked.connect(lambda: self._remove_option(item, table.currentRow()))
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return box

    def _add_option(self, item: Item) -> None:
        before = self.content.to_dict()
        taken = {o.value for o in item.options}
        n = len(item.options) + 1
        while f"option_{n}" in taken:
            n += 1
        item.options.append(Option(f"option_{n}", {}))
        self.push(before, _("Add option"))
        self.rebuild()

    def _remove_option(self, item: Item, row: int) -> None:
        if not 0 <= row < len(item.options):
            return
        before = self.content.to_dict()
        del item.options[row]
        self.push(before, _("Remove option"))
        self.rebuild()

    def _rename_item(self, item: Item, key: str) -> None:
        if key == item.key:
            return
        before = self.content.to_dict()
        editing.rename_item(self.content, item.key, key)
        self.push(before, _("Rename item"))
        QTimer.singleShot(0, self.rebuild)

    def _set_type(self, item: Item, item_type: str) -> None:
        if item_type == item.type:
            return
        before = self.content.to_dict()
        item.type = item_type
        if item_type in CHOICE_TYPES and len(item.options) < 2:
            item.options = [Option("option_1", {self.content.default_language: "1"}),
                            Option("option_2", {self.content.default_language: "2"})]
        elif item_type not in CHOICE_TYPES:
            item.options = []
        if item_type not in ("integer", "decimal", "money"):
            item.minimum = item.maximum = None
        if item_type == "note":
            item.required = False
        self.push(before, _("Change type"))
        QTimer.singleShot(0, self.rebuild)

    def _set_attr(self, item: Item, attr: str, value: Any, text: str, merge: str | None = None) -> None:
        before = self.content.to_dict()
        setattr(item, attr, value)
        self.push(before, text, merge_key=f"{merge}:{item.key}" if merge else None)

    def _set_bound(self, item: Item, attr: str, edit: QLineEdit) -> None:
        from app.i18n import NumberParseError, parse_decimal

        text = edit.text().strip()
        try:
            value = None if not text else parse_decimal(text)
        except NumberParseError as exc:
            edit.setToolTip(str(exc))
            edit.setProperty("invalid", True)
            repolish(edit)
            return
        edit.setProperty("invalid", False)
        repolish(edit)
        number = None if value is None else (int(value) if value == value.to_integral_value() else float(value))
        if number != getattr(item, attr):
            self._set_attr(item, attr, number, _("Change limits"))

    def _set_condition(self, target: Any, attr: str, cond: dict[str, Any] | None, rebuild: bool = False) -> None:
        before = self.content.to_dict()
        had = getattr(target, attr)
        setattr(target, attr, cond)
        self.push(before, _("Edit condition"), merge_key=f"cond:{id(target)}:{attr}")
        if rebuild and (had is None) != (cond is None):
            QTimer.singleShot(0, self._build_properties)  # show or hide the flag explanation row

    def _refresh_tree_labels(self) -> None:
        lang = get_language()
        for top in range(self.tree.topLevelItemCount()):
            node = self.tree.topLevelItem(top)
            si, _ii = node.data(0, Qt.ItemDataRole.UserRole)
            if si is None:
                node.setText(0, self.content.text(self.content.title, lang) or self.content.key)
                continue
            if si < len(self.content.sections):
                section = self.content.sections[si]
                node.setText(0, self.content.text(section.title, lang) or section.key)
                for c in range(node.childCount()):
                    _s, ii = node.child(c).data(0, Qt.ItemDataRole.UserRole)
                    if ii < len(section.items):
                        node.child(c).setText(0, self.content.text(section.items[ii].label, lang) or section.items[ii].key)

    # validation, saving ---------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        return editing.problems_of(self.content)

    def refresh_validation(self) -> None:
        problems = self.problems()
        self.problem_list.clear()
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        self.error_count = errors
        if not problems:
            entry = QListWidgetItem(_("No problems: this draft can be published."))
            entry.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.problem_list.addItem(entry)
        for p in problems:
            kind = _("Error") if p.severity == "error" else _("Warning")
            entry = QListWidgetItem(_("{kind}: {where}: {message}").format(
                kind=kind, where=self.describe_location(p.location), message=p.message))
            entry.setData(Qt.ItemDataRole.UserRole, p.location)
            entry.setToolTip(p.location)
            if p.severity == "error":
                entry.setForeground(QBrush(QColor(ERROR)))
            self.problem_list.addItem(entry)
        self.side.setTabText(0, _("Validation ({count})").format(count=len(problems)) if problems else _("Validation"))
        self.problems_changed.emit(errors, warnings)

    def describe_location(self, location: str) -> str:
        """``sections[0].items[2].label.sv`` -> "Meeting › Were the same … › label.sv"."""
        loc = editing.parse_location(location)
        lang = get_language()
        if loc.section is None or loc.section >= len(self.content.sections):
            return location
        section = self.content.sections[loc.section]
        parts = [self.content.text(section.title, lang) or section.key]
        if loc.item is not None and loc.item < len(section.items):
            item = section.items[loc.item]
            parts.append(self.content.text(item.label, lang) or item.key)
        if loc.field:
            parts.append(loc.field)
        return " \u203a ".join(parts)

    def _jump_to_problem(self, entry: QListWidgetItem) -> None:
        location = entry.data(Qt.ItemDataRole.UserRole)
        if not location:
            return
        loc = editing.parse_location(location)
        if loc.section is None:
            self.selected = (None, None)
        elif loc.section < len(self.content.sections):
            section = self.content.sections[loc.section]
            self.selected = (loc.section, loc.item if loc.item is not None and loc.item < len(section.items) else None)
        self._fill_tree()
        self._build_properties()
        self._update_buttons()
        field = loc.field.split(".")
        page = self.properties.widget()
        if page is not None and len(field) >= 2 and field[-1] in SUPPORTED_LANGUAGES:
            target = f"{field[-2]}"
            for grid in page.findChildren(TextsGrid):
                widget = grid.editors.get((target, field[-1]))
                if widget is not None:
                    self.properties.ensureWidgetVisible(widget)
                    widget.setFocus()
                    return
        self.tree.setFocus()

    def save(self) -> None:
        """Store the draft (autosave); the draft may still have problems."""
        try:
            self.version = self.services.templates.update_draft(self.version.id, self.content)
        except LikvardError as exc:
            self.saved.emit(_("Not saved: {error}").format(error=exc.message))
            return
        self.saved.emit(_("Draft saved"))

    def flush(self) -> None:
        if self.save_timer.isActive():
            self.save_timer.stop()
            self.save()


# --- preview ---------------------------------------------------------------------------------


class PreviewPane(QWidget):
    """The filling form as an agent will see it, in any of the template's languages, live."""

    def __init__(self, editor: DraftEditor | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.content: TemplateContent | None = None
        self.widgets: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.language = QComboBox()
        self.language.setAccessibleName(_("Preview language"))
        self.language.currentIndexChanged.connect(lambda _i: self.render())
        bar.addWidget(QLabel(_("Language")))
        bar.addWidget(self.language)
        self.decision = QComboBox()
        self.decision.setAccessibleName(_("Decision for the preview"))
        self.decision.addItem(_("No decision yet"), None)
        for value in ("granted", "partly_granted", "refused", "withdrawn"):
            self.decision.addItem(choice_label("decision", value), value)
        self.decision.currentIndexChanged.connect(lambda _i: self.render())
        bar.addWidget(QLabel(_("Decision")))
        bar.addWidget(self.decision)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)  # long options scroll sideways rather than being cut
        layout.addWidget(self.scroll, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.render)

    def schedule(self) -> None:
        self.timer.start()

    def set_content(self, content: TemplateContent) -> None:
        self.content = content
        self.render()

    def _facts(self) -> CaseFacts:
        from decimal import Decimal

        decision = self.decision.currentData()
        granted = {"granted": Decimal(100000), "partly_granted": Decimal(40000)}.get(decision or "", None)
        return CaseFacts(case_reference="PREVIEW", decision=decision, amount_requested=Decimal(100000),
                         amount_granted=granted)

    def render(self) -> None:
        from ui.items import ItemWidget

        content = self.editor.content if self.editor is not None else self.content
        if content is None:
            return
        wanted = [lg for lg in content.languages]
        if [self.language.itemData(i) for i in range(self.language.count())] != wanted:
            current = self.language.currentData() or get_language()
            self.language.blockSignals(True)
            self.language.clear()
            for lang in wanted:
                self.language.addItem(LANGUAGE_NAMES.get(lang, lang), lang)
            self.language.setCurrentIndex(max(0, self.language.findData(current)))
            self.language.blockSignals(False)
        lang = self.language.currentData() or content.default_language
        answers = {key: w.value() for key, w in self.widgets.items() if _safe_value(w) is not None}
        page = QWidget()
        page.setObjectName("itemsPage")
        layout = QVBoxLayout(page)
        layout.setSpacing(8)
        self.widgets = {}
        for section in content.sections:
            title = QLabel(localized(section.title, lang, content.default_language)[0] or section.key)
            make_heading(title, 1.15)
            layout.addWidget(title)
            for item in section.items:
                widget = ItemWidget(item, content, lang)
                if item.key in answers:
                    try:
                        widget.load(answers[item.key], "")
                    except Exception:  # noqa: BLE001 - the item's type changed: start empty
                        pass
                widget.edited.connect(lambda _k: self.update_state())
                layout.addWidget(widget)
                self.widgets[item.key] = widget
        layout.addStretch(1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(page)
        self.content_shown = content
        self.update_state()

    def update_state(self) -> None:
        content = getattr(self, "content_shown", None)
        if content is None:
            return
        answers = {key: v for key, w in self.widgets.items() if (v := _safe_value(w)) is not None}
        try:
            ev = Evaluation(content, self._facts(), answers)
            lang = self.language.currentData() or content.default_language
            for key, widget in self.widgets.items():
                widget.setVisible(ev.is_visible(key))
                flagged = ev.is_flagged(key)
                item = widget.item
                widget.set_flag(localized(item.flag_explanation, lang, content.default_language)[0] if flagged else None)
        except (KeyError, RecursionError, TypeError, ValueError):
            for widget in self.widgets.values():  # a draft with broken conditions: show everything
                widget.setVisible(True)


def _safe_value(widget: Any) -> Any:
    try:
        return widget.value()
    except Exception:  # noqa: BLE001 - an unreadable preview answer is simply ignored
        return None


# --- compare --------------------------------------------------------------------------------


class CompareDialog(QDialog):
    """Differences between two versions of a template: added, removed, changed, old and new text."""

    def __init__(self, services: Services, template_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Compare versions"))
        self.versions = services.templates.list_versions(template_key)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.old = QComboBox()
        self.old.setAccessibleName(_("Older version"))
        self.new = QComboBox()
        self.new.setAccessibleName(_("Newer version"))
        for v in self.versions:
            label = _("Version {number} ({status})").format(number=v.number, status=version_status_label(v.status))
            self.old.addItem(label, v.id)
            self.new.addItem(label, v.id)
        self.old.setCurrentIndex(max(0, len(self.versions) - 2))
        self.new.setCurrentIndex(len(self.versions) - 1)
        bar.addWidget(QLabel(pgettext("version range", "From")))
        bar.addWidget(self.old, 1)
        bar.addWidget(QLabel(pgettext("version range", "to")))
        bar.addWidget(self.new, 1)
        layout.addLayout(bar)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Differences"))
        self.tree.setHeaderLabels([_("Change"), _("Where"), _("What"), _("Old"), _("New")])
        self.tree.setWordWrap(True)
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 90)
        self.tree.setColumnWidth(1, 220)
        self.tree.setColumnWidth(2, 120)
        self.tree.setColumnWidth(3, 260)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.old.currentIndexChanged.connect(self.refresh)
        self.new.currentIndexChanged.connect(self.refresh)
        self.resize(980, 560)
        self.refresh()

    def _text(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
            lang = get_language()
            return value.get(lang) or next(iter(value.values()))
        if isinstance(value, (dict, list)):
            import json

            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def refresh(self) -> None:
        self.tree.clear()
        old_id, new_id = self.old.currentData(), self.new.currentData()
        if old_id is None or new_id is None:
            return
        changes = self.services.templates.compare(old_id, new_id)
        kinds = {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed")}
        colours = {"added": "#2e7d32", "removed": ERROR, "changed": "#7a4a00"}
        for change in changes:
            row = QTreeWidgetItem([kinds[change.kind], change.key, change.field, self._text(change.old),
                                   self._text(change.new)])
            row.setForeground(0, QBrush(QColor(colours[change.kind])))
            for col in (3, 4):
                row.setToolTip(col, row.text(col))
            self.tree.addTopLevelItem(row)
        self.summary.setText(ngettext("{count} difference", "{count} differences", len(changes)).format(
            count=len(changes)) if changes else _("The two versions are identical."))


# --- the window ------------------------------------------------------------------------------


class TemplateManager(QMainWindow):
    """Templates with their versions; create, duplicate, edit drafts, publish, retire, compare."""

    templates_changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Checklist templates"))
        self.setObjectName("templateManager")
        self.undo_stack = QUndoStack(self)
        self.editor: DraftEditor | None = None
        self.versions = QTreeWidget()
        self.versions.setAccessibleName(_("Templates and versions"))
        self.versions.setHeaderLabels([_("Template / version"), _("Status")])
        self.versions.setRootIsDecorated(True)
        self.versions.currentItemChanged.connect(self._version_selected)
        self.versions.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.stack = QStackedWidget()
        self.empty = QLabel(_("Choose a version on the left. Published versions never change: to improve "
                              "one, create a new draft from it, edit it, then publish it."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("muted")
        self.stack.addWidget(self.empty)
        self.readonly_preview = PreviewPane()
        self.stack.addWidget(self.readonly_preview)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.versions)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setSizes([250, 1150])
        self.setCentralWidget(splitter)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.status)
        self._build_actions()
        self.refresh()
        self.resize(1400, 860)

    def _build_actions(self) -> None:
        bar = QToolBar(_("Templates"))
        bar.setObjectName("templatesToolbar")
        bar.setMovable(False)
        self.addToolBar(bar)

        def act(text: str, slot: Any, shortcut: str | QKeySequence | None = None) -> QAction:
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False: slot())
            bar.addAction(action)
            return action

        self.act_new = act(_("New template\u2026"), self.new_template)
        self.act_duplicate = act(_("Duplicate\u2026"), self.duplicate)
        self.act_draft = act(_("New draft"), self.new_draft)
        bar.addSeparator()
        self.act_undo = self.undo_stack.createUndoAction(self, _("Undo"))
        self.act_undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.act_redo = self.undo_stack.createRedoAction(self, _("Redo"))
        self.act_redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        bar.addAction(self.act_undo)
        bar.addAction(self.act_redo)
        bar.addSeparator()
        self.act_publish = act(_("Publish"), self.publish, "Ctrl+Shift+P")
        self.act_retire = act(_("Retire"), self.retire)
        self.act_delete = act(_("Delete draft"), self.delete_draft)
        self.act_compare = act(_("Compare\u2026"), self.compare)
        bar.addSeparator()
        self.act_import = act(_("Import\u2026"), self.import_file, "Ctrl+O")
        self.act_export = act(_("Export\u2026"), self.export_file, "Ctrl+E")
        close = QAction(_("Close"), self)
        close.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        close.triggered.connect(self.close)
        self.addAction(close)

    # list ----------------------------------------------------------------------------------

    def refresh(self, select: uuid.UUID | None = None) -> None:
        current = select or self.current_version_id()
        self.versions.blockSignals(True)
        self.versions.clear()
        lang = get_language()
        by_key: dict[str, QTreeWidgetItem] = {}
        chosen = None
        for v in self.services.templates.list_versions():
            parent = by_key.get(v.template_key)
            if parent is None:
                parent = QTreeWidgetItem([v.title or v.template_key])
                parent.setData(0, Qt.ItemDataRole.UserRole, None)
                parent.setData(1, Qt.ItemDataRole.UserRole, v.template_key)
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                self.versions.addTopLevelItem(parent)
                by_key[v.template_key] = parent
            parent.setText(0, v.title or v.template_key)
            node = QTreeWidgetItem([_("Version {number}").format(number=v.number), version_status_label(v.status)])
            changed = _("Changed by {who} on {when}").format(
                who=v.created_by or "\u2013", when=format_datetime(v.published_at or v.created_at, lang, "short"))
            node.setToolTip(0, changed)
            node.setToolTip(1, changed)
            node.setStatusTip(0, changed)
            node.setData(0, Qt.ItemDataRole.UserRole, v)
            parent.addChild(node)
            if v.id == current:
                chosen = node
        self.versions.expandAll()
        self.versions.resizeColumnToContents(1)
        self.versions.blockSignals(False)
        if chosen is not None:
            self.versions.setCurrentItem(chosen)
        else:
            self._version_selected(self.versions.currentItem())
        self._update_actions()

    def current_version(self) -> VersionInfo | None:
        node = self.versions.currentItem()
        if node is None:
            return None
        data = node.data(0, Qt.ItemDataRole.UserRole)
        if data is None and node.childCount():
            data = node.child(node.childCount() - 1).data(0, Qt.ItemDataRole.UserRole)
        return data

    def current_version_id(self) -> uuid.UUID | None:
        v = self.current_version()
        return v.id if v else None

    def _version_selected(self, node: QTreeWidgetItem | None, _previous: Any = None) -> None:
        if self.editor is not None:
            self.editor.flush()
            self.stack.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
            self.undo_stack.clear()
        v = self.current_version()
        if v is None:
            self.stack.setCurrentWidget(self.empty)
        elif v.status == "draft":
            self.editor = DraftEditor(self.services, v, self.undo_stack)
            self.editor.saved.connect(self._saved)
            self.editor.problems_changed.connect(lambda e, w: self._update_actions())
            self.stack.addWidget(self.editor)
            self.stack.setCurrentWidget(self.editor)
        else:
            self.readonly_preview.set_content(self.services.templates.content(v.id))
            self.stack.setCurrentWidget(self.readonly_preview)
        self._update_actions()

    def _saved(self, message: str) -> None:
        self.status.setText(message)
        if self.editor is not None:
            node = self.versions.currentItem()
            if node is not None and node.data(0, Qt.ItemDataRole.UserRole) is not None:
                node.setData(0, Qt.ItemDataRole.UserRole, self.editor.version)
                if node.parent() is not None:
                    node.parent().setText(0, self.editor.version.title)

    def _update_actions(self) -> None:
        v = self.current_version()
        has = v is not None
        self.act_duplicate.setEnabled(has)
        self.act_draft.setEnabled(has and v.status != "draft")
        errors = self.editor.error_count if self.editor is not None else 0
        self.act_publish.setEnabled(has and v.status == "draft" and errors == 0)
        self.act_publish.setToolTip(_("Fix the errors in the validation panel first") if errors else _("Publish this draft"))
        self.act_retire.setEnabled(has and v.status == "published")
        self.act_delete.setEnabled(has and v.status == "draft")
        node = self.versions.currentItem()
        parent = node.parent() if node is not None and node.parent() is not None else node
        self.act_compare.setEnabled(has and parent is not None and parent.childCount() > 1)
        self.act_export.setEnabled(has)

    # commands --------------------------------------------------------------------------------

    def _error(self, exc: LikvardError) -> None:
        if isinstance(exc, TemplateFormatError):
            text = "\n".join(str(p) for p in exc.problems[:15])
            QMessageBox.warning(self, _("Checklist templates"), text)
        else:
            QMessageBox.warning(self, _("Checklist templates"), exc.message)

    def new_template(self) -> None:
        key, ok = QInputDialog.getText(self, _("New template"), _("Key (lower-case letters, digits and _):"))
        if not ok or not key.strip():
            return
        title, ok = QInputDialog.getText(self, _("New template"), _("Title:"))
        if not ok:
            return
        lang = get_language()
        from app.domain.template import Section

        content = TemplateContent(key=key.strip(), title={lang: title.strip() or key.strip()}, default_language=lang,
                                  languages=[lang], sections=[Section("section", {lang: _("New section")})])
        try:
            version = self.services.templates.create_template(content)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(version.id)
        self.templates_changed.emit()

    def duplicate(self) -> None:
        v = self.current_version()
        if v is None:
            return
        key, ok = QInputDialog.getText(self, _("Duplicate template"), _("Key of the copy:"), text=f"{v.template_key}_copy")
        if not ok or not key.strip():
            return
        try:
            version = self.services.templates.duplicate(v.id, key.strip())
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(version.id)

    def new_draft(self) -> None:
        v = self.current_version()
        if v is None:
            return
        draft = self.services.templates.create_draft(v.id)
        self.refresh(draft.id)

    def publish(self) -> None:
        v = self.current_version()
        if v is None or v.status != "draft":
            return
        if self.editor is not None:
            self.editor.flush()
        answer = QMessageBox.question(
            self, _("Publish"),
            _("Publish version {number}? It can no longer be changed, and new cases will use it.").format(number=v.number))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            published = self.services.templates.publish(v.id)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(published.id)
        self.status.setText(_("Version {number} published").format(number=published.number))
        self.templates_changed.emit()

    def retire(self) -> None:
        v = self.current_version()
        if v is None:
            return
        try:
            retired = self.services.templates.retire(v.id)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(retired.id)
        self.templates_changed.emit()

    def delete_draft(self) -> None:
        v = self.current_version()
        if v is None or v.status != "draft":
            return
        answer = QMessageBox.question(self, _("Delete draft"), _("Delete the draft version {number}?").format(number=v.number))
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.editor is not None:
            self.editor.save_timer.stop()
        try:
            self.services.templates.delete_draft(v.id)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh()

    def compare(self) -> None:
        v = self.current_version()
        if v is None:
            return
        if self.editor is not None:
            self.editor.flush()
        CompareDialog(self.services, v.template_key, self).exec()

    def import_file(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import a template"), str(Path.home()), open_filter())
            if not path:
                return
        templates = self.services.templates
        try:
            try:
                outcome = templates.import_file(path, publish=False)
            except PartialImportError as exc:
                if not self.confirm_partial(exc.skipped):
                    return
                outcome = templates.import_file(path, publish=False, allow_partial=True)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(outcome.version.id)
        self.status.setText(_("Imported {key} version {number}").format(key=outcome.version.template_key,
                                                                         number=outcome.version.number))

    def confirm_partial(self, skipped: list[Any]) -> bool:
        """Ask before importing a spreadsheet some of whose rows cannot be represented."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Import a template"))
        box.setText(ngettext("{count} row cannot be represented and will be skipped. Import the rest?",
                             "{count} rows cannot be represented and will be skipped. Import the rest?",
                             len(skipped)).format(count=len(skipped)))
        box.setDetailedText("\n".join(f"{r.sheet}!{r.row}: {r.reason}" for r in skipped))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def export_file(self, path: str | None = None) -> None:
        v = self.current_version()
        if v is None:
            return
        if self.editor is not None:
            self.editor.flush()
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Export a template"), str(Path.home() / f"{v.template_key}-v{v.number}.json"), save_filter())
            if not path:
                return
        try:
            self.services.templates.export_file(v.template_key, v.number, path)
        except LikvardError as exc:
            self._error(exc)
            return
        self.status.setText(_("Exported to {path}").format(path=path))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        if self.editor is not None:
            self.editor.flush()
        super().closeEvent(event)

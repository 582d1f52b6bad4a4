"""The draft editor's property panes: template, section and item properties, options, bounds, conditions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import editing
from app.domain.template import (
    CHOICE_TYPES,
    ITEM_TYPE_LABELS,
    ITEM_TYPES,
    Item,
    Option,
    TemplateContent,
)
from app.enums import LANGUAGE_CODES, LANGUAGE_NAMES
from app.i18n import (
    _,
    get_language,
)
from ui.condition_builder import ConditionBuilder
from ui.style import FLAG_BG, make_heading, repolish
from ui.templates.texts_grid import TextsGrid
from ui.widgets import guard_wheel


class DraftProperties:
    """The property panes of :class:`DraftEditor` (a mixin: it works on the editor's content and undo stack)."""

    # what the mixin uses of DraftEditor (set or defined there)
    content: TemplateContent
    selected: tuple[int | None, int | None]
    properties: QScrollArea
    tree: QTreeWidget
    validate_timer: QTimer

    def push(self, before: dict[str, Any], text: str, merge_key: str | None = None) -> None:
        raise NotImplementedError  # DraftEditor's

    def rebuild(self) -> None:
        raise NotImplementedError  # DraftEditor's

    def _build_properties(self) -> None:
        si, ii = self.selected
        self.field_widgets: dict[str, QWidget] = {}  # a field's name -> its editor, to show a problem's place
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
        guard_wheel(page)  # the wheel over an unfocused combo scrolls the pane, never changes a rule
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
        self.field_widgets["key"] = key
        langs = QHBoxLayout()
        for lang in LANGUAGE_CODES:
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
        self.field_widgets.update(title=grid, description=grid, languages=default, default_language=default)
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
        self.field_widgets["key"] = key
        layout.addLayout(form)
        values = {"title": section.title}
        grid = TextsGrid([("title", _("Title"), False)], self.content.languages, self.content.default_language, values)
        grid.edited.connect(self._texts_changed(values, _("Edit a section title")))
        layout.addWidget(grid)
        self.field_widgets["title"] = grid
        builder = ConditionBuilder(_("Show this section only when\u2026 (leave empty to always show it)"))
        builder.set_context(self.content, None, section.visible_when)
        builder.edited.connect(lambda cond: self._set_condition(section, "visible_when", cond))
        layout.addWidget(builder)
        self.field_widgets["visible_when"] = builder

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
        self.field_widgets["key"] = key
        type_combo = QComboBox()
        type_combo.setAccessibleName(_("Item type"))
        for item_type in ITEM_TYPES:
            type_combo.addItem(_(ITEM_TYPE_LABELS[item_type]), item_type)
        type_combo.setCurrentIndex(type_combo.findData(item.type))
        type_combo.currentIndexChanged.connect(lambda _i: self._set_type(item, type_combo.currentData()))
        form.addRow(_("Type"), type_combo)
        self.field_widgets["type"] = type_combo
        required = QCheckBox(_("An answer is required to complete the case"))
        required.setAccessibleName(_("Required"))
        required.setChecked(item.required)
        required.setEnabled(item.answerable)
        required.toggled.connect(lambda on: self._set_attr(item, "required", on, _("Change required")))
        form.addRow(_("Required"), required)
        self.field_widgets["required"] = required
        weight = QDoubleSpinBox()
        weight.setAccessibleName(_("Weight in the score"))
        weight.setRange(0, 100)
        weight.setDecimals(1)
        weight.setValue(float(item.weight))
        weight.valueChanged.connect(lambda v: self._set_attr(item, "weight", int(v) if v == int(v) else v,
                                                             _("Change weight"), "weight"))
        form.addRow(_("Weight"), weight)
        self.field_widgets["weight"] = weight
        if item.type in ("integer", "decimal", "money"):
            for attr, title in (("minimum", _("Minimum")), ("maximum", _("Maximum"))):
                edit = QLineEdit("" if getattr(item, attr) is None else str(getattr(item, attr)))
                edit.setAccessibleName(title)
                edit.setPlaceholderText(_("none"))
                edit.editingFinished.connect(lambda a=attr, e=edit: self._set_bound(item, a, e))
                form.addRow(title, edit)
                self.field_widgets[{"minimum": "min", "maximum": "max"}[attr]] = edit
        layout.addLayout(form)
        fields = [("label", _("Label"), False), ("guidance", _("Guidance"), True)]
        values = {"label": item.label, "guidance": item.guidance, "flag_explanation": item.flag_explanation}
        if item.flag_when is not None:
            fields.append(("flag_explanation", _("Flag explanation"), True))
        grid = TextsGrid(fields, self.content.languages, self.content.default_language, values)
        grid.edited.connect(self._texts_changed(values, _("Edit an item text")))
        layout.addWidget(grid)
        self.field_widgets.update(label=grid, guidance=grid, flag_explanation=grid)
        if item.type in CHOICE_TYPES:
            layout.addWidget(self._options_editor(item))
        builder = ConditionBuilder(_("Show this item only when\u2026 (leave empty to always show it)"))
        builder.set_context(self.content, item.key, item.visible_when)
        builder.edited.connect(lambda cond: self._set_condition(item, "visible_when", cond))
        layout.addWidget(builder)
        self.field_widgets["visible_when"] = builder
        flag = ConditionBuilder(_("Flag a possible sign of unequal treatment when\u2026"))
        flag.set_context(self.content, None, item.flag_when)
        flag.edited.connect(lambda cond: self._set_condition(item, "flag_when", cond, rebuild=True))
        layout.addWidget(flag)
        self.field_widgets["flag_when"] = flag

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
        self.field_widgets["options"] = table
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
            cell = table.item(row, col)
            text = cell.text() if cell is not None else ""
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
            if node is None:
                continue
            si, _ii = node.data(0, Qt.ItemDataRole.UserRole)
            if si is None:
                node.setText(0, self.content.text(self.content.title, lang) or self.content.key)
                continue
            if si < len(self.content.sections):
                section = self.content.sections[si]
                node.setText(0, self.content.text(section.title, lang) or section.key)
                for c in range(node.childCount()):
                    child = node.child(c)
                    if child is None:
                        continue
                    _s, ii = child.data(0, Qt.ItemDataRole.UserRole)
                    if ii < len(section.items):
                        child.setText(0, self.content.text(section.items[ii].label, lang) or section.items[ii].key)


"""Build ``visible_when`` / ``flag_when`` conditions by picking, never by typing code.

A group combines rows with "all of", "any of" or "none of"; a row is subject (an item or a case
fact), operator and value. Groups nest. A condition the builder cannot show as rows (a comparison
with a scaled reference, say) is kept as it is, shown read-only, and can be removed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.facts import CHOICE_LABELS, FACT_CHOICES, FACT_KINDS, fact_label
from app.domain.template import TemplateContent
from app.i18n import N_, NumberParseError, _, format_decimal, get_language, parse_decimal
from ui.widgets import guard_wheel

OP_LABELS = {
    "equals": N_("is"),
    "not_equals": N_("is not"),
    "in": N_("is one of"),
    "not_in": N_("is none of"),
    "contains": N_("includes any of"),
    "answered": N_("is answered"),
    "not_answered": N_("is not answered"),
    "lt": N_("is less than"),
    "le": N_("is at most"),
    "gt": N_("is more than"),
    "ge": N_("is at least"),
}
OPS_BY_KIND = {
    "choice": ("equals", "not_equals", "in", "not_in", "answered", "not_answered"),
    "multi": ("contains", "answered", "not_answered"),
    "bool": ("equals", "answered", "not_answered"),
    "number": ("equals", "not_equals", "lt", "le", "gt", "ge", "answered", "not_answered"),
    "date": ("lt", "le", "gt", "ge", "equals", "answered", "not_answered"),
    "text": ("equals", "not_equals", "answered", "not_answered"),
}
MODES = (("all", N_("all of the following hold")), ("any", N_("any of the following holds")),
         ("none", N_("none of the following holds")))
YES_NO_NA = {"yes": N_("Yes"), "no": N_("No"), "na": N_("Not applicable")}


class Subject:
    """Something a condition can read: an item of the template or a case fact."""

    def __init__(self, ref: str, name: str, label: str, kind: str, choices: list[tuple[str, str]]) -> None:
        self.ref, self.name, self.label, self.kind, self.choices = ref, name, label, kind, choices


def subjects_for(content: TemplateContent, exclude: str | None = None) -> list[Subject]:
    """Items (except notes and ``exclude``) and case facts, labelled in the UI language."""
    lang = get_language()
    out: list[Subject] = []
    for item in content.items():
        if not item.answerable or item.key == exclude:
            continue
        label = content.text(item.label, lang) or item.key
        if item.type == "yes_no_na":
            kind, choices = "choice", [(v, _(t)) for v, t in YES_NO_NA.items()]
        elif item.type in ("single_choice", "multiple_choice"):
            kind = "choice" if item.type == "single_choice" else "multi"
            choices = [(o.value, content.text(o.label, lang) or o.value) for o in item.options]
        elif item.type in ("integer", "decimal", "money", "scale"):
            kind, choices = "number", []
        elif item.type == "date":
            kind, choices = "date", []
        else:
            kind, choices = "text", []
        out.append(Subject("item", item.key, _("Item: {label}").format(label=label), kind, choices))
    for name, fact_kind in FACT_KINDS.items():
        choices = []
        if fact_kind == "choice":
            labels = CHOICE_LABELS.get(name, {})
            choices = [(v, _(labels[v]) if v in labels else v) for v in FACT_CHOICES[name]]
        elif fact_kind == "bool":
            choices = [("true", _("Yes")), ("false", _("No"))]
        out.append(Subject("fact", name, _("Case fact: {label}").format(label=fact_label(name)), fact_kind, choices))
    return out


class ConditionRow(QFrame):
    """Subject, operator, value."""

    changed = Signal()
    remove_requested = Signal(QWidget)

    def __init__(self, subjects: list[Subject], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subjects = subjects
        self._loading = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.subject = QComboBox()
        self.subject.setAccessibleName(_("Condition subject"))
        self.subject.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.subject.setMinimumContentsLength(14)
        self.subject.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for s in subjects:
            self.subject.addItem(s.label, f"{s.ref}:{s.name}")
        self.op = QComboBox()
        self.op.setAccessibleName(_("Condition operator"))
        self.op.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.op.setMinimumContentsLength(8)
        self.values = QWidget()
        values_layout = QVBoxLayout(self.values)
        values_layout.setContentsMargins(0, 0, 0, 0)
        self.text_value = QLineEdit()
        self.text_value.setAccessibleName(_("Condition value"))
        self.choice_value = QComboBox()
        self.choice_value.setAccessibleName(_("Condition value"))
        self.choice_value.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choice_value.setMinimumContentsLength(8)
        self.multi_value = QListWidget()
        self.multi_value.setAccessibleName(_("Condition values"))
        self.multi_value.setMaximumHeight(110)
        self.date_value = QDateEdit()
        self.date_value.setCalendarPopup(True)
        self.date_value.setDisplayFormat("yyyy-MM-dd")
        self.date_value.setAccessibleName(_("Condition date"))
        self.none_value = QLabel("")
        self.value_widgets = (self.text_value, self.choice_value, self.multi_value, self.date_value, self.none_value)
        for w in self.value_widgets:
            values_layout.addWidget(w)
            w.hide()
        self.current_value: QWidget = self.none_value
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        remove = QPushButton(_("Remove"))
        remove.setAccessibleName(_("Remove this condition"))
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        # two lines keep the row narrow: the subject, then operator, value and Remove
        lines = QVBoxLayout()
        lines.setSpacing(4)
        lines.addWidget(self.subject)
        second = QHBoxLayout()
        second.addWidget(self.op, 2, Qt.AlignmentFlag.AlignTop)
        value_box = QVBoxLayout()
        value_box.addWidget(self.values)
        value_box.addWidget(self.error)
        second.addLayout(value_box, 3)
        second.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        lines.addLayout(second)
        layout.addLayout(lines)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setContentsMargins(0, 2, 0 , 6)
        self.subject.currentIndexChanged.connect(self._subject_changed)
        self.op.currentIndexChanged.connect(self._op_changed)
        self.text_value.textEdited.connect(self._emit)
        self.choice_value.currentIndexChanged.connect(self._emit)
        self.multi_value.itemChanged.connect(self._emit)
        self.date_value.dateChanged.connect(self._emit)
        self._subject_changed()
        guard_wheel(self)

    def current_subject(self) -> Subject:
        return self.subjects[max(0, self.subject.currentIndex())]

    def _emit(self, *args: Any) -> None:
        if not self._loading:
            self.changed.emit()

    def _subject_changed(self, *args: Any) -> None:
        s = self.current_subject()
        previous = self.op.currentData()
        self.op.blockSignals(True)
        self.op.clear()
        for op in OPS_BY_KIND[s.kind]:
            self.op.addItem(_(OP_LABELS[op]), op)
        index = self.op.findData(previous)
        self.op.setCurrentIndex(max(0, index))
        self.op.blockSignals(False)
        self.choice_value.blockSignals(True)
        self.choice_value.clear()
        self.multi_value.blockSignals(True)
        self.multi_value.clear()
        for value, label in s.choices:
            self.choice_value.addItem(label, value)
            entry = QListWidgetItem(label)
            entry.setData(Qt.ItemDataRole.UserRole, value)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.multi_value.addItem(entry)
        self.choice_value.blockSignals(False)
        self.multi_value.blockSignals(False)
        rows = max(1, min(len(s.choices), 6))
        # a maximum, not a fixed height: a fixed one would be the minimum of the whole value stack
        self.multi_value.setMinimumHeight(0)
        self.multi_value.setMaximumHeight(rows * max(self.multi_value.sizeHintForRow(0), 18)
                                          + 2 * self.multi_value.frameWidth() + 4)
        self._op_changed()

    def _show_value(self, widget: QWidget) -> None:
        """Show only the value widget the operator needs (hidden widgets take no room)."""
        for other in self.value_widgets:
            other.setVisible(other is widget)
        self.current_value = widget

    def _op_changed(self, *args: Any) -> None:
        s = self.current_subject()
        op = self.op.currentData()
        if op in ("answered", "not_answered"):
            self._show_value(self.none_value)
        elif op in ("in", "not_in", "contains"):
            self._show_value(self.multi_value)
        elif s.choices:
            self._show_value(self.choice_value)
        elif s.kind == "date":
            self._show_value(self.date_value)
        else:
            self._show_value(self.text_value)
            self.text_value.setPlaceholderText(format_decimal(Decimal("0.5")) if s.kind == "number" else "")
        self._emit()

    def set_condition(self, cond: dict[str, Any]) -> None:
        self._loading = True
        try:
            ref = "item" if "item" in cond else "fact"
            index = self.subject.findData(f"{ref}:{cond[ref]}")
            if index >= 0:
                self.subject.setCurrentIndex(index)
            self.op.setCurrentIndex(max(0, self.op.findData(cond.get("op"))))
            value = cond.get("value")
            s = self.current_subject()
            if isinstance(value, list):
                for i in range(self.multi_value.count()):
                    entry = self.multi_value.item(i)
                    checked = entry.data(Qt.ItemDataRole.UserRole) in value
                    entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            elif s.kind == "bool":
                self.choice_value.setCurrentIndex(self.choice_value.findData("true" if value else "false"))
            elif s.choices:
                self.choice_value.setCurrentIndex(max(0, self.choice_value.findData(value)))
            elif s.kind == "date" and isinstance(value, str):
                self.date_value.setDate(QDate.fromString(value, "yyyy-MM-dd"))
            elif s.kind == "number" and value is not None:
                self.text_value.setText(format_decimal(value))
            elif value is not None:
                self.text_value.setText(str(value))
        finally:
            self._loading = False

    def condition(self) -> dict[str, Any] | None:
        """The condition of this row, or None while its value is invalid (shown inline)."""
        s = self.current_subject()
        op = self.op.currentData()
        cond: dict[str, Any] = {s.ref: s.name, "op": op}
        self.error.hide()
        if op in ("answered", "not_answered"):
            return cond
        widget = self.current_value
        if widget is self.multi_value:
            cond["value"] = [self.multi_value.item(i).data(Qt.ItemDataRole.UserRole)
                             for i in range(self.multi_value.count())
                             if self.multi_value.item(i).checkState() == Qt.CheckState.Checked]
        elif widget is self.choice_value:
            value = self.choice_value.currentData()
            cond["value"] = (value == "true") if s.kind == "bool" else value
        elif widget is self.date_value:
            cond["value"] = self.date_value.date().toString("yyyy-MM-dd")
        elif s.kind == "number":
            try:
                number = parse_decimal(self.text_value.text())
            except NumberParseError as exc:
                self.error.setText(str(exc))
                self.error.show()
                return None
            cond["value"] = int(number) if number == number.to_integral_value() else float(number)
        else:
            cond["value"] = self.text_value.text()
        return cond


class RawConditionRow(QFrame):
    """A condition the rows cannot show (kept unchanged, read-only)."""

    changed = Signal()
    remove_requested = Signal(QWidget)

    def __init__(self, cond: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cond = cond
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_("Advanced condition, kept as it is: {condition}").format(
            condition=json.dumps(cond, ensure_ascii=False)))
        label.setWordWrap(True)
        label.setObjectName("muted")
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        layout.addWidget(label, 1)
        layout.addWidget(remove)

    def condition(self) -> dict[str, Any]:
        return self.cond


class ConditionGroup(QFrame):
    """Rows and nested groups combined by all / any / none."""

    changed = Signal()
    remove_requested = Signal(QWidget)

    def __init__(self, subjects: list[Subject], nested: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subjects = subjects
        self.setObjectName("conditionGroup")
        if nested:
            self.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8 if nested else 0, 6 if nested else 0, 0, 4)
        head = QHBoxLayout()
        head.addWidget(QLabel(_("When")))
        self.mode = QComboBox()
        self.mode.setAccessibleName(_("Combine conditions"))
        self.mode.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.mode.setMinimumContentsLength(12)
        for value, label in MODES:
            self.mode.addItem(_(label), value)
        self.mode.currentIndexChanged.connect(lambda *_a: self.changed.emit())
        guard_wheel(self.mode)
        head.addWidget(self.mode, 1)
        if nested:
            remove = QPushButton(_("Remove group"))
            remove.clicked.connect(lambda: self.remove_requested.emit(self))
            head.addWidget(remove)
        outer.addLayout(head)
        self.rows = QVBoxLayout()
        outer.addLayout(self.rows)
        buttons = QHBoxLayout()
        self.add_row_button = QPushButton(_("Add condition"))
        self.add_row_button.clicked.connect(lambda: (self.add_row(), self.changed.emit()))
        self.add_group_button = QPushButton(_("Add group"))
        self.add_group_button.clicked.connect(lambda: (self.add_group(), self.changed.emit()))
        buttons.addWidget(self.add_row_button)
        buttons.addWidget(self.add_group_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)

    def children_widgets(self) -> list[QWidget]:
        return [self.rows.itemAt(i).widget() for i in range(self.rows.count())]

    def _adopt(self, widget: QWidget) -> QWidget:
        widget.changed.connect(self.changed)
        widget.remove_requested.connect(self._remove)
        self.rows.addWidget(widget)
        return widget

    def add_row(self, cond: dict[str, Any] | None = None) -> QWidget:
        if cond is not None and isinstance(cond.get("value"), dict):
            return self._adopt(RawConditionRow(cond))
        row = ConditionRow(self.subjects)
        if cond is not None:
            ref = "item" if "item" in cond else "fact"
            if row.subject.findData(f"{ref}:{cond.get(ref)}") < 0:
                row.deleteLater()
                return self._adopt(RawConditionRow(cond))
            row.set_condition(cond)
        return self._adopt(row)

    def add_group(self, cond: dict[str, Any] | None = None) -> QWidget:
        group = ConditionGroup(self.subjects, nested=True)
        if cond is not None:
            group.set_condition(cond)
        return self._adopt(group)

    def _remove(self, widget: QWidget) -> None:
        self.rows.removeWidget(widget)
        widget.deleteLater()
        self.changed.emit()

    def clear(self) -> None:
        for widget in self.children_widgets():
            self.rows.removeWidget(widget)
            widget.deleteLater()

    def set_condition(self, cond: dict[str, Any] | None) -> None:
        self.clear()
        self.mode.blockSignals(True)
        mode, children = "all", []
        if cond is None:
            children = []
        elif "all_of" in cond:
            children = cond["all_of"]
        elif "any_of" in cond:
            mode, children = "any", cond["any_of"]
        elif "not" in cond:
            inner = cond["not"]
            mode = "none"
            children = inner["any_of"] if "any_of" in inner else [inner]
        else:
            children = [cond]
        self.mode.setCurrentIndex(self.mode.findData(mode))
        self.mode.blockSignals(False)
        for child in children:
            if any(k in child for k in ("all_of", "any_of", "not")):
                self.add_group(child)
            else:
                self.add_row(child)

    def condition(self) -> dict[str, Any] | None:
        """The group's condition; None when empty. Raises ValueError while a row is invalid."""
        parts = []
        for widget in self.children_widgets():
            cond = widget.condition()
            if cond is None and isinstance(widget, ConditionRow):
                raise ValueError
            if cond is not None:
                parts.append(cond)
        if not parts:
            return None
        mode = self.mode.currentData()
        if mode == "none":
            return {"not": parts[0] if len(parts) == 1 else {"any_of": parts}}
        if len(parts) == 1:
            return parts[0]
        return {"all_of" if mode == "all" else "any_of": parts}


class ConditionBuilder(QWidget):
    """A condition editor: ``set_condition`` / ``condition``; ``edited`` on every valid change."""

    edited = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(title)
        self.title.setObjectName("muted")
        layout.addWidget(self.title)
        self.group: ConditionGroup | None = None
        self.box = QVBoxLayout()
        layout.addLayout(self.box)
        self._loading = False

    def set_context(self, content: TemplateContent, exclude: str | None, cond: dict[str, Any] | None) -> None:
        self._loading = True
        if self.group is not None:
            self.box.removeWidget(self.group)
            self.group.deleteLater()
        self.group = ConditionGroup(subjects_for(content, exclude))
        self.group.set_condition(cond)
        self.group.changed.connect(self._changed)
        self.box.addWidget(self.group)
        self._loading = False

    def condition(self) -> dict[str, Any] | None:
        assert self.group is not None
        return self.group.condition()

    def _changed(self) -> None:
        if self._loading:
            return
        try:
            cond = self.condition()
        except ValueError:
            return  # an inline message says what is wrong; nothing is stored
        self.edited.emit(cond)

"""The case facts of an exercise, with the inputs of the Case facts dialog (choices by their labels,
locale numbers, dates that may be empty) and the problems shown under their fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.domain.facts import FACT_CHOICES, FACT_KINDS, SECTORS, CaseFacts, fact_label
from app.i18n import NumberParseError, _
from ui.widgets import (
    ErrorLabel,
    NumberEdit,
    OptionalDateEdit,
    choice_combo,
    currency_combo,
    guard_wheel,
    mark_invalid,
    select_data,
    tri_state_combo,
)

#: The facts an exercise records (not the reference, advisor or branch: those are each attempt's).
EDITABLE_FACTS = ("meeting_type", "case_date", "ownership", "sector", "legal_form", "currency", "amount_requested",
                  "amount_granted", "collateral_required", "personal_guarantee_required", "interest_rate",
                  "standard_rate", "collateral_value", "guarantee_amount", "guarantor", "application_complete",
                  "decision", "decision_date")


def fact_input(name: str) -> QWidget:
    """The input the Case facts dialog uses for the fact ``name`` (no value chosen)."""
    kind = FACT_KINDS[name]
    widget: QWidget
    if name == "currency":
        widget = currency_combo()
    elif kind == "choice":
        empty = _("Not decided yet") if name == "decision" else _("Not recorded")
        widget = choice_combo(name, FACT_CHOICES[name], empty, sort=FACT_CHOICES[name] is SECTORS)
    elif kind == "bool":
        widget = tri_state_combo()
    elif kind == "number":
        widget = NumberEdit()
    elif kind == "date":
        widget = OptionalDateEdit(none_text=_("Not decided yet") if name == "decision_date" else _("No date"))
    else:
        raise ValueError(name)
    if isinstance(widget, QComboBox):  # long labels ("Cooperative (economic association)") elide, not widen the form
        widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(10)
        widget.setToolTip(widget.currentText())
        widget.currentTextChanged.connect(widget.setToolTip)
    widget.setAccessibleName(fact_label(name))
    return widget


class FactsForm(QScrollArea):
    """One labelled input per fact of :data:`EDITABLE_FACTS`; ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exerciseFacts")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("formBody")
        outer = QVBoxLayout(body)
        hint = QLabel(_("The facts of the story told in the vignette. The checklist's rules and flags use them "
                        "as they would in a real case."))
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        outer.addWidget(hint)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addLayout(form)
        outer.addStretch(1)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        for name in EDITABLE_FACTS:
            field = fact_input(name)
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            col.addWidget(field)
            error = ErrorLabel()
            col.addWidget(error)
            label = QLabel(fact_label(name))
            label.setBuddy(field)
            form.addRow(label, box)
            self.fields[name] = field
            self.errors[name] = error
            self._connect(field)
        self.setWidget(body)
        guard_wheel(body)
        # never narrower than the form: the splitter keeps it whole rather than cutting the inputs off
        self.setMinimumWidth(body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width())

    def _connect(self, field: QWidget) -> None:
        if isinstance(field, QComboBox):
            field.currentIndexChanged.connect(lambda _i: self.changed.emit())
        elif isinstance(field, NumberEdit):
            field.textChanged.connect(lambda _t: self.changed.emit())
        elif isinstance(field, OptionalDateEdit):
            field.changed.connect(self.changed.emit)

    def set_facts(self, facts: CaseFacts) -> None:
        blocked = self.blockSignals(True)
        try:
            for name, field in self.fields.items():
                value = getattr(facts, name)
                if isinstance(field, QComboBox):
                    select_data(field, value if name != "currency" else value or "SEK")
                elif isinstance(field, (NumberEdit, OptionalDateEdit)):
                    field.set_value(value)
        finally:
            self.blockSignals(blocked)
        self.show_problems({})

    def read(self) -> tuple[CaseFacts, dict[str, str]]:
        """The facts as entered, and the fields that could not be read (number typos)."""
        values: dict[str, Any] = {}
        unreadable: dict[str, str] = {}
        for name, field in self.fields.items():
            if isinstance(field, QComboBox):
                values[name] = field.currentData()
            elif isinstance(field, NumberEdit):
                try:
                    number: Decimal | None = field.value()
                except NumberParseError as exc:
                    unreadable[name] = str(exc)
                    number = None
                values[name] = number
            elif isinstance(field, OptionalDateEdit):
                values[name] = field.value()
        values["currency"] = values.get("currency") or "SEK"
        return CaseFacts(case_reference="EXERCISE", **values), unreadable

    def facts(self) -> CaseFacts:
        return self.read()[0]

    def problems(self) -> dict[str, str]:
        """Fact -> message: what cannot be read, then what the facts' own checks refuse."""
        facts, problems = self.read()
        for name, message in facts.validate():
            problems.setdefault(name, message)
        return problems

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self.errors.items():
            message = problems.get(name)
            label.show_message(message)
            mark_invalid(self.fields[name], bool(message))

    def value_text(self, name: str) -> str:
        """What the input of ``name`` shows (a choice's label), for tests and screen readers."""
        field = self.fields[name]
        if isinstance(field, QComboBox):
            return field.currentText()
        if isinstance(field, NumberEdit):
            return field.text()
        if isinstance(field, OptionalDateEdit):
            return "" if field.value() is None else field.edit.text()
        return ""

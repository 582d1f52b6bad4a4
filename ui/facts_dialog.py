"""New case / Case facts: the template and the facts of a case, validated inline."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.facts import (
    CURRENCIES,
    DECISIONS,
    DEFAULT_TEMPLATE_OF_MEETING,
    GUARANTORS,
    LEGAL_FORMS,
    MEETING_TYPES,
    OWNERSHIP,
    SECTORS,
    CaseFacts,
    fact_label,
)
from app.errors import CaseReferenceError, LikvardError
from app.i18n import NumberParseError, _
from app.services import Services
from app.services.assessments import AssessmentRecord, FactsError
from ui.style import make_heading
from ui.widgets import (
    ErrorLabel,
    NumberEdit,
    OptionalDateEdit,
    choice_combo,
    currency_combo,
    date_edit,
    from_qdate,
    guard_wheel,
    mark_invalid,
    select_data,
    to_qdate,
    tri_state_combo,
)


class FactsDialog(QDialog):
    """Create a case (``record`` None) or edit the facts of a draft case."""

    def __init__(self, services: Services, record: AssessmentRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.record = record
        self.created_id: uuid.UUID | None = None
        self._touched: set[str] = set()
        self._server_problems: dict[str, str] = {}
        self._reference_checks: dict[str, str | None] = {}
        self.setWindowTitle(_("New case") if record is None else _("Case facts"))
        self.setModal(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 14)
        outer.setSpacing(10)
        heading = QLabel(_("New case") if record is None else _("Facts of case {reference}").format(
            reference=record.facts.case_reference))
        make_heading(heading)
        outer.addWidget(heading)
        intro = QLabel(_("Record the facts of the loan or advice case. Use a pseudonymous case reference, "
                         "never the client's name. Fields marked * are required."))
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        outer.addWidget(intro)

        body = QWidget()
        body.setObjectName("formBody")
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        self.form = form
        self.errors: dict[str, ErrorLabel] = {}
        self.fields: dict[str, QWidget] = {}

        # the meeting type picks the default checklist of a new case
        self.meeting_type = choice_combo("meeting_type", MEETING_TYPES, _("Not recorded"))
        self._row("meeting_type", fact_label("meeting_type"), self.meeting_type,
                  hint=_("A credit decision or an advice meeting: it picks the checklist."))
        # template
        self.template = QComboBox()
        self._template_keys: dict[Any, str] = {}
        if record is None:
            for version in services.templates.published_versions():
                self._template_keys[version.id] = version.template_key
                self.template.addItem(_("{title} (version {number})").format(title=version.title, number=version.number),
                                      version.id)
        else:
            from app.i18n import get_language

            self.template.addItem(_("{title} (version {number})").format(
                title=record.content.title_in(get_language()), number=record.template_version), record.template_version_id)
            self.template.setEnabled(False)
        self._row("template", _("Checklist"), self.template, required=True)

        self.case_reference = QLineEdit()
        self.case_reference.setMaxLength(100)
        self.case_reference.setPlaceholderText(_("e.g. GBG-2025-00123"))
        if record is not None and record.amends_id is not None:
            self.case_reference.setReadOnly(True)  # a revision keeps the reference of the case it amends
        self._row("case_reference", fact_label("case_reference"), self.case_reference, required=True,
                  hint=_("Pseudonymous: it links to the bank's files, never the client's name."))
        self.case_date = date_edit()
        self._row("case_date", fact_label("case_date"), self.case_date)
        self.advisor = QLineEdit(services.settings.name)
        self._row("advisor", fact_label("advisor"), self.advisor)
        self.branch = QLineEdit(services.settings.branch)
        self._row("branch", fact_label("branch"), self.branch)
        self.ownership = choice_combo("ownership", OWNERSHIP, _("Not recorded"))
        self._row("ownership", fact_label("ownership"), self.ownership,
                  hint=_("Self-declared by the client and optional. Mixed ownership is its own group."))
        self.sector = choice_combo("sector", SECTORS, _("Not recorded"), sort=True)
        self._row("sector", fact_label("sector"), self.sector)
        self.legal_form = choice_combo("legal_form", LEGAL_FORMS, _("Not recorded"))
        self._row("legal_form", fact_label("legal_form"), self.legal_form)

        self.currency = currency_combo()
        self._row("currency", fact_label("currency"), self.currency)
        self.amount_requested = NumberEdit()
        self._row("amount_requested", fact_label("amount_requested"), self.amount_requested)
        self.amount_granted = NumberEdit()
        self._row("amount_granted", fact_label("amount_granted"), self.amount_granted)
        self.collateral_required = tri_state_combo()
        self._row("collateral_required", fact_label("collateral_required"), self.collateral_required)
        self.personal_guarantee_required = tri_state_combo()
        self._row("personal_guarantee_required", fact_label("personal_guarantee_required"),
                  self.personal_guarantee_required)
        self.interest_rate = NumberEdit()
        self._row("interest_rate", fact_label("interest_rate"), self.interest_rate)
        self.standard_rate = NumberEdit()
        self._row("standard_rate", fact_label("standard_rate"), self.standard_rate,
                  hint=_("Your organisation's standard rate for this product: flags compare the rate with it."))
        self.collateral_value = NumberEdit()
        self._row("collateral_value", fact_label("collateral_value"), self.collateral_value)
        self.guarantee_amount = NumberEdit()
        self._row("guarantee_amount", fact_label("guarantee_amount"), self.guarantee_amount)
        self.guarantor = choice_combo("guarantor", GUARANTORS, _("Not recorded"))
        self._row("guarantor", fact_label("guarantor"), self.guarantor)
        self.application_complete = tri_state_combo()
        self._row("application_complete", fact_label("application_complete"), self.application_complete)
        self.decision = choice_combo("decision", DECISIONS, _("Not decided yet"))
        self._row("decision", fact_label("decision"), self.decision)
        self.decision_date = OptionalDateEdit(none_text=_("Not decided yet"))
        self._row("decision_date", fact_label("decision_date"), self.decision_date)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.viewport().setAutoFillBackground(False)
        outer.addWidget(scroll, 1)
        self.summary_error = ErrorLabel()
        outer.addWidget(self.summary_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Create case") if record is None else _("Save facts"))
        self.ok_button.setProperty("primary", True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        if record is not None:
            self.set_facts(record.facts)
        elif self.template.count() == 0:
            self.summary_error.show_message(_("No published checklist is installed: import a template first."))
        guard_wheel(self)
        if record is None:
            self.meeting_type.currentIndexChanged.connect(self._pick_template_of_meeting)
        self._connect()
        self.validate()
        self.case_reference.setFocus()
        em = self.fontMetrics().horizontalAdvance("M")
        wanted = body.sizeHint() + self.sizeHint().__class__(4 * em, 12 * em)
        wanted.setWidth(max(wanted.width(), 48 * em))
        screen = self.screen().availableSize() if self.screen() else wanted
        self.resize(min(wanted.width(), int(screen.width() * 0.95)), min(wanted.height(), int(screen.height() * 0.9)))

    # --- layout --------------------------------------------------------------------------

    def _row(self, name: str, label: str, field: QWidget, *, required: bool = False, hint: str | None = None) -> None:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        if name == "amount_requested" or name == "amount_granted":
            line = QHBoxLayout()
            line.addWidget(field, 1)
            unit = QLabel()
            unit.setObjectName("muted")
            self.currency.currentIndexChanged.connect(lambda _i, u=unit: u.setText(self.currency.currentText()))
            unit.setText(self.currency.currentText())
            line.addWidget(unit)
            col.addLayout(line)
        else:
            col.addWidget(field)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setObjectName("hint")
            hint_label.setWordWrap(True)
            col.addWidget(hint_label)
            field.setAccessibleDescription(hint)
        error = ErrorLabel()
        col.addWidget(error)
        text = label + (" *" if required else "")
        row_label = QLabel(text)
        row_label.setBuddy(field)
        self.form.addRow(row_label, box)
        field.setAccessibleName(label)
        self.errors[name] = error
        self.fields[name] = field

    def _connect(self) -> None:
        for name, field in self.fields.items():
            signal = None
            if isinstance(field, QLineEdit):
                signal = field.textChanged
            elif isinstance(field, QComboBox):
                signal = field.currentIndexChanged
            elif isinstance(field, OptionalDateEdit):
                signal = field.changed
            else:
                signal = getattr(field, "dateChanged", None)
            if signal is not None:
                signal.connect(lambda *_a, n=name: self._changed(n))

    def _changed(self, name: str) -> None:
        self._touched.add(name)
        self._server_problems.pop(name, None)
        self.validate()

    # --- values --------------------------------------------------------------------------

    def set_facts(self, facts: CaseFacts) -> None:
        self.case_reference.setText(facts.case_reference)
        if facts.case_date:
            self.case_date.setDate(to_qdate(facts.case_date))
        self.advisor.setText(facts.advisor)
        self.branch.setText(facts.branch)
        select_data(self.ownership, facts.ownership)
        select_data(self.sector, facts.sector)
        select_data(self.legal_form, facts.legal_form)
        select_data(self.currency, facts.currency if facts.currency in CURRENCIES else "SEK")
        self.amount_requested.set_value(facts.amount_requested)
        self.amount_granted.set_value(facts.amount_granted)
        select_data(self.collateral_required, facts.collateral_required)
        select_data(self.personal_guarantee_required, facts.personal_guarantee_required)
        self.interest_rate.set_value(facts.interest_rate)
        select_data(self.decision, facts.decision)
        self.decision_date.set_value(facts.decision_date)
        select_data(self.meeting_type, facts.meeting_type)
        select_data(self.application_complete, facts.application_complete)
        select_data(self.guarantor, facts.guarantor)
        self.standard_rate.set_value(facts.standard_rate)
        self.collateral_value.set_value(facts.collateral_value)
        self.guarantee_amount.set_value(facts.guarantee_amount)

    def _pick_template_of_meeting(self) -> None:
        """Select the bundled checklist of the chosen meeting type (a new case only)."""
        wanted = DEFAULT_TEMPLATE_OF_MEETING.get(self.meeting_type.currentData() or "")
        for index in range(self.template.count()):
            if wanted and self._template_keys.get(self.template.itemData(index)) == wanted:
                self.template.setCurrentIndex(index)
                return

    def facts(self) -> tuple[CaseFacts, dict[str, str]]:
        """The facts as entered, and the fields that could not be read."""
        problems: dict[str, str] = {}
        numbers: dict[str, Decimal | None] = {}
        for name in ("amount_requested", "amount_granted", "interest_rate", "standard_rate", "collateral_value",
                     "guarantee_amount"):
            edit: NumberEdit = getattr(self, name)
            try:
                numbers[name] = edit.value()
            except NumberParseError as exc:
                problems[name] = str(exc)
                numbers[name] = None
        base = self.record.facts.copy() if self.record is not None else CaseFacts()
        facts = CaseFacts(
            case_reference=self.case_reference.text().strip(),
            case_date=from_qdate(self.case_date.date()),
            advisor=self.advisor.text().strip(),
            branch=self.branch.text().strip(),
            ownership=self.ownership.currentData(),
            sector=self.sector.currentData(),
            legal_form=self.legal_form.currentData(),
            amount_requested=numbers["amount_requested"],
            amount_granted=numbers["amount_granted"],
            currency=self.currency.currentData() or "SEK",
            collateral_required=self.collateral_required.currentData(),
            personal_guarantee_required=self.personal_guarantee_required.currentData(),
            interest_rate=numbers["interest_rate"],
            decision=self.decision.currentData(),
            decision_date=self.decision_date.value(),
            meeting_type=self.meeting_type.currentData(),
            application_complete=self.application_complete.currentData(),
            collateral_value=numbers["collateral_value"],
            guarantee_amount=numbers["guarantee_amount"],
            guarantor=self.guarantor.currentData(),
            standard_rate=numbers["standard_rate"],
            extra=base.extra,
        )
        return facts, problems

    def validate(self) -> bool:
        """Show every problem next to its field; enable OK only when there is none."""
        facts, problems = self.facts()
        for name, message in facts.validate():
            problems.setdefault(name, message)
        for name, message in self._server_problems.items():
            problems.setdefault(name, message)
        taken = self._reference_problem(facts.case_reference)
        if taken:
            problems.setdefault("case_reference", taken)
        if self.template.count() == 0:
            problems.setdefault("template", _("Choose a checklist."))
        for name, label in self.errors.items():
            message = problems.get(name)
            shown = message if (name in self._touched or name != "case_reference" or self.record is not None) else None
            label.show_message(shown)
            mark_invalid(self.fields[name], bool(shown))
        self.ok_button.setEnabled(not problems)
        self.ok_button.setToolTip("" if not problems else _("Correct the fields marked in red first."))
        return not problems

    def _reference_problem(self, reference: str) -> str | None:
        """A reference already used by another case (asked once per text typed)."""
        if self.record is not None and self.record.amends_id is not None:
            return None  # a revision keeps its case's reference (the field is read-only)
        if reference not in self._reference_checks:
            exclude = self.record.id if self.record is not None else None
            self._reference_checks[reference] = self.services.assessments.reference_problem(reference, exclude)
        return self._reference_checks[reference]

    def problems_shown(self) -> dict[str, str]:
        """Field -> message currently shown (for tests and screen readers)."""
        return {name: label.text() for name, label in self.errors.items() if not label.isHidden()}

    # --- accept --------------------------------------------------------------------------

    def accept(self) -> None:
        self._touched.update(self.fields)
        if not self.validate():
            return
        facts, _problems = self.facts()
        try:
            if self.record is None:
                self.created_id = self.services.assessments.create(self.template.currentData(), facts)
            else:
                self.record = self.services.assessments.update_facts(self.record.id, facts)
        except FactsError as exc:
            self._server_problems = {name: message for name, message in exc.problems}
            self.validate()
            return
        except CaseReferenceError as exc:
            self._server_problems = {"case_reference": exc.message}
            self.validate()
            return
        except LikvardError as exc:
            self.summary_error.show_message(exc.message)
            return
        super().accept()


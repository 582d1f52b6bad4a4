"""Case facts: what an assessment records about the loan or advice case."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from app.i18n import N_, _

#: what no case fact may hold: control characters (the facts are one line each), U+FFFE, U+FFFF,
#: lone surrogates
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

OWNERSHIP = ("women_led", "men_led", "mixed", "not_disclosed")
OWNERSHIP_LABELS = {
    "women_led": N_("Women-led"),
    "men_led": N_("Men-led"),
    "mixed": N_("Mixed"),
    "not_disclosed": N_("Not disclosed"),
}
SECTORS = (
    "agriculture", "manufacturing", "construction", "retail", "hospitality", "transport",
    "ict", "professional_services", "care_and_health", "education", "culture",
    "personal_services", "real_estate", "other",
)
SECTOR_LABELS = {
    "agriculture": N_("Agriculture, forestry and fishing"),
    "manufacturing": N_("Manufacturing"),
    "construction": N_("Construction"),
    "retail": N_("Retail and wholesale"),
    "hospitality": N_("Hotels and restaurants"),
    "transport": N_("Transport"),
    "ict": N_("Information and communication"),
    "professional_services": N_("Professional services"),
    "care_and_health": N_("Care and health"),
    "education": N_("Education"),
    "culture": N_("Culture and creative industries"),
    "personal_services": N_("Personal services"),
    "real_estate": N_("Real estate"),
    "other": N_("Other"),
}
LEGAL_FORMS = (
    "sole_trader", "partnership", "limited_company", "cooperative", "social_enterprise",
    "non_profit", "other",
)
LEGAL_FORM_LABELS = {
    "sole_trader": N_("Sole trader"),
    "partnership": N_("Partnership"),
    "limited_company": N_("Limited company"),
    "cooperative": N_("Cooperative (economic association)"),
    "social_enterprise": N_("Social enterprise"),
    "non_profit": N_("Non-profit association"),
    "other": N_("Other"),
}
DECISIONS = ("granted", "partly_granted", "refused", "withdrawn")
DECISION_LABELS = {
    "granted": N_("Granted"),
    "partly_granted": N_("Partly granted"),
    "refused": N_("Refused"),
    "withdrawn": N_("Withdrawn"),
}
CURRENCIES = ("SEK", "EUR", "NOK", "DKK", "GBP", "USD")
MEETING_TYPES = ("credit_decision", "advice_meeting")
MEETING_TYPE_LABELS = {
    "credit_decision": N_("Credit decision"),
    "advice_meeting": N_("Advice meeting"),
}
# The bundled checklist a meeting type starts with (the New case form and demo pick it).
DEFAULT_TEMPLATE_OF_MEETING = {
    "credit_decision": "credit_decision",
    "advice_meeting": "advice_meeting",
}
GUARANTORS = ("all_owners", "one_of_the_owners", "spouse_or_partner", "other_person")
GUARANTOR_LABELS = {
    "all_owners": N_("Every owner"),
    "one_of_the_owners": N_("Only one of several owners"),
    "spouse_or_partner": N_("A spouse or partner who does not own the business"),
    "other_person": N_("Another person"),
}

FACT_LABELS = {
    "case_reference": N_("Case reference"),
    "case_date": N_("Case date"),
    "advisor": N_("Advisor"),
    "branch": N_("Branch"),
    "ownership": N_("Ownership"),
    "sector": N_("Sector"),
    "legal_form": N_("Legal form"),
    "amount_requested": N_("Amount requested"),
    "amount_granted": N_("Amount granted"),
    "currency": N_("Currency"),
    "collateral_required": N_("Collateral required"),
    "personal_guarantee_required": N_("Personal guarantee required"),
    "interest_rate": N_("Interest rate (%)"),
    "decision": N_("Decision"),
    "decision_date": N_("Decision date"),
    "granted_ratio": N_("Granted / requested"),
    "processing_days": N_("Processing time (days)"),
    "meeting_type": N_("Meeting type"),
    "application_complete": N_("Application complete"),
    "collateral_value": N_("Collateral value"),
    "loan_to_value": N_("Loan-to-value (%)"),
    "guarantee_amount": N_("Personal guarantee amount"),
    "guarantor": N_("Personal guarantee given by"),
    "standard_rate": N_("Standard interest rate (%)"),
    "rate_above_standard": N_("Rate above standard (percentage points)"),
}
# Facts added by migration 0005. They are left out of a case's dict while unset, so the content
# hash of a case signed before them stays the same.
NEW_FACTS = ("meeting_type", "application_complete", "collateral_value", "guarantee_amount",
             "guarantor", "standard_rate")

# Kind of every fact usable in a condition: "choice", "text", "number", "bool", "date".
FACT_KINDS: dict[str, str] = {
    "case_reference": "text",
    "case_date": "date",
    "advisor": "text",
    "branch": "text",
    "ownership": "choice",
    "sector": "choice",
    "legal_form": "choice",
    "amount_requested": "number",
    "amount_granted": "number",
    "currency": "choice",
    "collateral_required": "bool",
    "personal_guarantee_required": "bool",
    "interest_rate": "number",
    "decision": "choice",
    "decision_date": "date",
    "granted_ratio": "number",
    "processing_days": "number",
    "meeting_type": "choice",
    "application_complete": "bool",
    "collateral_value": "number",
    "loan_to_value": "number",
    "guarantee_amount": "number",
    "guarantor": "choice",
    "standard_rate": "number",
    "rate_above_standard": "number",
}
FACT_CHOICES: dict[str, tuple[str, ...]] = {
    "ownership": OWNERSHIP,
    "sector": SECTORS,
    "legal_form": LEGAL_FORMS,
    "decision": DECISIONS,
    "currency": CURRENCIES,
    "meeting_type": MEETING_TYPES,
    "guarantor": GUARANTORS,
}
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "meeting_type": MEETING_TYPE_LABELS,
    "guarantor": GUARANTOR_LABELS,
    "ownership": OWNERSHIP_LABELS,
    "sector": SECTOR_LABELS,
    "legal_form": LEGAL_FORM_LABELS,
    "decision": DECISION_LABELS,
}


def fact_label(name: str) -> str:
    """The translated label of a case fact."""
    return _(FACT_LABELS.get(name, name))


def choice_label(fact: str, value: str | None) -> str:
    """The translated label of a fact's choice value (``women_led`` -> ``Women-led``)."""
    if value is None:
        return ""
    labels = CHOICE_LABELS.get(fact, {})
    return _(labels[value]) if value in labels else value


@dataclass
class CaseFacts:
    """The facts of one case. Amounts are Decimals in ``currency``; rate in percent."""

    case_reference: str = ""
    case_date: date | None = None
    advisor: str = ""
    branch: str = ""
    ownership: str | None = None
    sector: str | None = None
    legal_form: str | None = None
    amount_requested: Decimal | None = None
    amount_granted: Decimal | None = None
    currency: str = "SEK"
    collateral_required: bool | None = None
    personal_guarantee_required: bool | None = None
    interest_rate: Decimal | None = None
    decision: str | None = None
    decision_date: date | None = None
    meeting_type: str | None = None
    application_complete: bool | None = None
    collateral_value: Decimal | None = None
    guarantee_amount: Decimal | None = None
    guarantor: str | None = None
    standard_rate: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def granted_ratio(self) -> Decimal | None:
        """Amount granted divided by amount requested, when both are known."""
        if self.amount_requested and self.amount_granted is not None and self.amount_requested > 0:
            return (self.amount_granted / self.amount_requested).quantize(Decimal("0.0001"))
        return None

    @property
    def processing_days(self) -> int | None:
        """Days from the case date to the decision date, when both are known."""
        if self.case_date and self.decision_date:
            return (self.decision_date - self.case_date).days
        return None

    @property
    def loan_to_value(self) -> Decimal | None:
        """The loan (granted, else requested) as a percentage of the collateral's value."""
        loan = self.amount_granted if self.amount_granted else self.amount_requested
        if loan is None or not self.collateral_value or self.collateral_value <= 0:
            return None
        return (loan * 100 / self.collateral_value).quantize(Decimal("0.1"))

    @property
    def rate_above_standard(self) -> Decimal | None:
        """Rate offered minus the organisation's standard rate, in percentage points."""
        if self.interest_rate is None or self.standard_rate is None:
            return None
        return self.interest_rate - self.standard_rate

    def get(self, name: str) -> Any:
        """The value of a fact by name, including the derived ones."""
        if name in ("granted_ratio", "processing_days", "loan_to_value", "rate_above_standard"):
            return getattr(self, name)
        if name in FACT_KINDS:
            return getattr(self, name)
        return self.extra.get(name)

    def validate(self) -> list[tuple[str, str]]:
        """Return (field, translated message) for each invalid fact; empty when all is well."""
        problems: list[tuple[str, str]] = []
        if not self.case_reference.strip():
            problems.append(("case_reference", _("Enter a case reference.")))
        for f in fields(self):
            value = getattr(self, f.name)
            found = _UNPRINTABLE.search(value) if isinstance(value, str) else None
            if found is not None:  # a pasted or imported control character: invisible, and no export can hold it
                problems.append((f.name, _("Remove the invisible character (U+{code:04X}) from this text.")
                                 .format(code=ord(found.group()))))
        for name, choices in FACT_CHOICES.items():
            value = getattr(self, name)
            if value is not None and value not in choices:
                problems.append((name, _("Unknown value \u201c{value}\u201d.").format(value=value)))
        for name in ("amount_requested", "amount_granted"):
            value = getattr(self, name)
            if value is not None and value < 0:
                problems.append((name, _("An amount cannot be negative.")))
        if (
            self.amount_requested is not None
            and self.amount_granted is not None
            and self.amount_granted > self.amount_requested
            and self.decision == "partly_granted"
        ):
            problems.append(("amount_granted", _("A partly granted amount must be below the amount requested.")))
        for name in ("interest_rate", "standard_rate"):
            rate = getattr(self, name)
            if rate is not None and not (Decimal(0) <= rate <= Decimal(100)):
                problems.append((name, _("The interest rate must be between 0 and 100 %.")))
        for name in ("collateral_value", "guarantee_amount"):
            value = getattr(self, name)
            if value is not None and value < 0:
                problems.append((name, _("An amount cannot be negative.")))
        if self.guarantor is not None and self.personal_guarantee_required is False:
            problems.append(("guarantor", _("No personal guarantee is required, so nobody gives one.")))
        if self.case_date and self.decision_date and self.decision_date < self.case_date:
            problems.append(("decision_date", _("The decision date is before the case date.")))
        if self.decision in ("refused", "withdrawn") and self.amount_granted not in (None, Decimal(0)):
            problems.append(("amount_granted", _("A refused or withdrawn case has no amount granted.")))
        return problems

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (ISO dates, Decimals as strings)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            if f.name in NEW_FACTS and value is None:
                continue
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseFacts:
        """Inverse of :meth:`to_dict` (unknown keys go to ``extra``)."""
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key in ("case_date", "decision_date") and isinstance(value, str) and value:
                value = date.fromisoformat(value)
            elif key in ("amount_requested", "amount_granted", "interest_rate", "collateral_value",
                         "guarantee_amount", "standard_rate") and value not in (None, ""):
                value = Decimal(str(value))
            elif value == "" and key not in ("case_reference", "advisor", "branch"):
                value = None
            kwargs[key] = value
        return cls(**kwargs)

    def copy(self) -> CaseFacts:
        """A shallow copy."""
        return CaseFacts(**{**asdict(self), "extra": dict(self.extra)})

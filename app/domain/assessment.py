"""Evaluating an assessment: which items are visible, which answers are flagged, the score,
what is still missing, and whether an answer fits its item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain import conditions
from app.domain.facts import CURRENCIES, CaseFacts
from app.domain.status import STATUS_LABELS as STATUS_LABELS  # re-exported
from app.domain.status import status_label as status_label  # re-exported
from app.domain.template import Item, TemplateContent, value_kind_of
from app.enums import ASSESSMENT_STATUSES as ASSESSMENT_STATUSES  # re-exported
from app.errors import AnswerError
from app.i18n import _


@dataclass(frozen=True)
class Flag:
    """A flagged answer: a possible sign of unequal treatment, with its explanation."""

    item_key: str
    section_key: str
    explanation: dict[str, str]


class Evaluation:
    """Visibility, flags, score and missing items of one assessment (pure, cached per call)."""

    def __init__(self, content: TemplateContent, facts: CaseFacts, answers: dict[str, Any]) -> None:
        self.content = content
        self.facts = facts
        self.answers = answers
        self._items = {i.key: i for i in content.items()}
        self._section_of = {i.key: s for s in content.sections for i in s.items}
        self._visible: dict[str, bool] = {}
        self._section_visible: dict[str, bool] = {}
        self._kind_of = value_kind_of(content)  # answers compare in their item's own type

    def _resolve(self, kind: str, name: str) -> Any:
        if kind == "fact":
            return self.facts.get(name)
        if name not in self._items or not self.is_visible(name):
            return None  # a hidden item's answer counts as absent
        return self.answers.get(name)

    def section_visible(self, section_key: str) -> bool:
        if section_key not in self._section_visible:
            section = next(s for s in self.content.sections if s.key == section_key)
            self._section_visible[section_key] = True  # guards against cycles (validated away)
            self._section_visible[section_key] = conditions.evaluate(section.visible_when, self._resolve, self._kind_of)
        return self._section_visible[section_key]

    def is_visible(self, key: str) -> bool:
        """An item is visible when its section and its own condition hold."""
        if key not in self._visible:
            self._visible[key] = False  # guards against cycles (validated away)
            item = self._items[key]
            section = self._section_of[key]
            self._visible[key] = self.section_visible(section.key) and conditions.evaluate(item.visible_when, self._resolve, self._kind_of)
        return self._visible[key]

    def visible_items(self) -> list[Item]:
        return [i for i in self.content.items() if self.is_visible(i.key)]

    def is_flagged(self, key: str) -> bool:
        item = self._items[key]
        return item.flag_when is not None and self.is_visible(key) and conditions.evaluate(item.flag_when, self._resolve, self._kind_of)

    def flags(self) -> list[Flag]:
        """Flags of visible items, in template order."""
        return [
            Flag(i.key, self._section_of[i.key].key, i.flag_explanation)
            for i in self.content.items()
            if self.is_flagged(i.key)
        ]

    def is_answered(self, key: str) -> bool:
        value = self.answers.get(key)
        return value not in (None, "", [], {})

    def missing_required(self) -> list[Item]:
        """Visible required items without an answer."""
        return [i for i in self.visible_items() if i.required and not self.is_answered(i.key)]

    def required_progress(self) -> tuple[int, int]:
        """(answered, total) over visible required items."""
        required = [i for i in self.visible_items() if i.required]
        return sum(1 for i in required if self.is_answered(i.key)), len(required)

    def section_progress(self, section_key: str) -> tuple[int, int]:
        """(answered, total) over visible answerable items of a section."""
        items = [
            i for i in self.visible_items()
            if i.answerable and self._section_of[i.key].key == section_key
        ]
        return sum(1 for i in items if self.is_answered(i.key)), len(items)

    def score(self) -> float | None:
        """Share (0..1) of the weight of answered visible items that raised no flag.

        ``None`` while no weighted item is answered. Hidden items never count.
        """
        total = clean = 0.0
        for item in self.visible_items():
            if not item.answerable or item.weight <= 0 or not self.is_answered(item.key):
                continue
            total += item.weight
            if not self.is_flagged(item.key):
                clean += item.weight
        return None if total == 0 else clean / total


def private_keys(content: TemplateContent) -> set[str]:
    """Keys of the template's private items (self-reflections kept for aggregates only)."""
    return {i.key for i in content.items() if i.private}


def shareable(content: TemplateContent, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (answers or comments by item key) without those of private items: what a
    summary, a per-case export or a signature may carry."""
    hidden = private_keys(content)
    return {key: value for key, value in values.items() if key not in hidden}


def normalize_answer(item: Item, value: Any) -> Any:
    """Check and normalize an answer for ``item``; ``None``/empty clears it.

    Returns the JSON-ready stored form: str, list[str], int, decimal string, ISO date,
    or ``{"amount": "12.50", "currency": "SEK"}``. Raises AnswerError with a translated message.
    """
    if value in (None, "", []):
        return None
    t = item.type
    if t == "note":
        raise AnswerError(_("A guidance note takes no answer."))
    if t in ("yes_no_na", "single_choice"):
        if not isinstance(value, str) or value not in item.option_values():
            raise AnswerError(_("\u201c{value}\u201d is not one of the options.").format(value=value))
        return value
    if t == "multiple_choice":
        values = value if isinstance(value, list) else [value]
        allowed = item.option_values()
        for v in values:
            if v not in allowed:
                raise AnswerError(_("\u201c{value}\u201d is not one of the options.").format(value=v))
        return [v for v in allowed if v in values]  # template order, no duplicates
    if t in ("short_text", "long_text"):
        if not isinstance(value, str):
            raise AnswerError(_("Enter a text."))
        if t == "short_text" and len(value) > 500:
            raise AnswerError(_("A short text holds at most 500 characters."))
        return value
    if t == "scale":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise AnswerError(_("Choose a value from 1 to 5.")) from None
        if not 1 <= number <= 5 or isinstance(value, bool):
            raise AnswerError(_("Choose a value from 1 to 5."))
        return number
    if t == "integer":
        if isinstance(value, bool):
            raise AnswerError(_("Enter a whole number."))
        try:
            number_d = Decimal(str(value))
        except InvalidOperation:
            raise AnswerError(_("Enter a whole number.")) from None
        if number_d != number_d.to_integral_value():
            raise AnswerError(_("Enter a whole number."))
        _check_range(item, number_d)
        return int(number_d)
    if t == "decimal":
        number_d = _decimal(value)
        _check_range(item, number_d)
        return str(number_d)
    if t == "money":
        if not isinstance(value, dict) or "amount" not in value:
            raise AnswerError(_("Enter an amount and a currency."))
        amount = _decimal(value["amount"])
        currency = value.get("currency") or "SEK"
        if currency not in CURRENCIES:
            raise AnswerError(_("Unknown currency \u201c{currency}\u201d.").format(currency=currency))
        _check_range(item, amount)
        return {"amount": str(amount.quantize(Decimal("0.01"))), "currency": currency}
    if t == "date":
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise AnswerError(_("Enter a date as YYYY-MM-DD.")) from None
    raise AnswerError(_("Unknown item type."))


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise AnswerError(_("Enter a number."))
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise AnswerError(_("Enter a number.")) from None
    if not number.is_finite():
        raise AnswerError(_("Enter a number."))
    return number


def _check_range(item: Item, number: Decimal) -> None:
    if item.minimum is not None and number < Decimal(str(item.minimum)):
        raise AnswerError(_("The value must be at least {minimum}.").format(minimum=item.minimum))
    if item.maximum is not None and number > Decimal(str(item.maximum)):
        raise AnswerError(_("The value must be at most {maximum}.").format(maximum=item.maximum))

"""The condition language: every operator, combinator and reference form, and its validation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.domain import conditions
from app.domain.facts import FACT_KINDS

ITEMS = {
    "yn": "no",
    "choice": "b",
    "multi": ["x", "z"],
    "num": 7,
    "dec": "2.5",
    "money": {"amount": "1500.00", "currency": "SEK"},
    "when": "2026-03-01",
    "empty": None,
}
FACTS = {
    "ownership": "women_led",
    "amount_requested": Decimal("100000"),
    "amount_granted": Decimal("40000"),
    "granted_ratio": Decimal("0.4"),
    "collateral_required": True,
    "case_date": date(2026, 2, 1),
    "decision": None,
}


def resolve(kind, name):
    return (ITEMS if kind == "item" else FACTS).get(name)


def ev(cond):
    return conditions.evaluate(cond, resolve)


@pytest.mark.parametrize(
    "cond, expected",
    [
        ({"item": "yn", "op": "equals", "value": "no"}, True),
        ({"item": "yn", "op": "equals", "value": "yes"}, False),
        ({"item": "empty", "op": "equals", "value": None}, False),
        ({"item": "yn", "op": "not_equals", "value": "yes"}, True),
        ({"item": "empty", "op": "not_equals", "value": "yes"}, True),
        ({"item": "choice", "op": "in", "value": ["a", "b"]}, True),
        ({"item": "choice", "op": "in", "value": ["a", "c"]}, False),
        ({"item": "empty", "op": "in", "value": ["a"]}, False),
        ({"item": "choice", "op": "not_in", "value": ["a", "c"]}, True),
        ({"item": "choice", "op": "not_in", "value": ["b"]}, False),
        ({"item": "multi", "op": "contains", "value": "z"}, True),
        ({"item": "multi", "op": "contains", "value": ["y", "x"]}, True),
        ({"item": "multi", "op": "contains", "value": "y"}, False),
        ({"item": "empty", "op": "contains", "value": "y"}, False),
        ({"item": "yn", "op": "answered"}, True),
        ({"item": "empty", "op": "answered"}, False),
        ({"item": "empty", "op": "not_answered"}, True),
        ({"item": "num", "op": "not_answered"}, False),
        ({"item": "num", "op": "lt", "value": 8}, True),
        ({"item": "num", "op": "lt", "value": 7}, False),
        ({"item": "num", "op": "le", "value": 7}, True),
        ({"item": "num", "op": "gt", "value": 6.5}, True),
        ({"item": "num", "op": "gt", "value": 7}, False),
        ({"item": "num", "op": "ge", "value": 7}, True),
        ({"item": "num", "op": "equals", "value": 7.0}, True),
        ({"item": "dec", "op": "ge", "value": "2.5"}, True),
        ({"item": "money", "op": "gt", "value": 1000}, True),
        ({"item": "money", "op": "lt", "value": 1000}, False),
        ({"item": "when", "op": "lt", "value": "2026-04-01"}, True),
        ({"item": "when", "op": "gt", "value": "2026-04-01"}, False),
        ({"item": "empty", "op": "lt", "value": 5}, False),
        ({"item": "empty", "op": "ge", "value": 5}, False),
        ({"item": "choice", "op": "lt", "value": 5}, False),
        ({"fact": "ownership", "op": "equals", "value": "women_led"}, True),
        ({"fact": "ownership", "op": "in", "value": ["men_led", "mixed"]}, False),
        ({"fact": "collateral_required", "op": "equals", "value": True}, True),
        ({"fact": "collateral_required", "op": "equals", "value": False}, False),
        ({"fact": "granted_ratio", "op": "lt", "value": 0.5}, True),
        ({"fact": "amount_granted", "op": "lt", "value": {"fact": "amount_requested", "times": 0.5}}, True),
        ({"fact": "amount_granted", "op": "lt", "value": {"fact": "amount_requested", "times": 0.3}}, False),
        ({"fact": "amount_granted", "op": "lt", "value": {"fact": "amount_requested"}}, True),
        ({"item": "num", "op": "lt", "value": {"item": "dec", "times": 4}}, True),
        ({"fact": "case_date", "op": "lt", "value": "2026-03-01"}, True),
        ({"fact": "case_date", "op": "lt", "value": {"item": "when"}}, True),
        ({"fact": "decision", "op": "not_answered"}, True),
        ({"fact": "decision", "op": "equals", "value": "refused"}, False),
    ],
)
def test_leaf_operators(cond, expected):
    assert ev(cond) is expected
    assert not conditions.validate(cond, "c", ITEMS, FACT_KINDS)


def test_combinators():
    yes = {"item": "yn", "op": "equals", "value": "no"}
    no = {"item": "yn", "op": "equals", "value": "yes"}
    assert ev({"all_of": [yes, yes]}) is True
    assert ev({"all_of": [yes, no]}) is False
    assert ev({"all_of": []}) is True
    assert ev({"any_of": [no, yes]}) is True
    assert ev({"any_of": [no, no]}) is False
    assert ev({"any_of": []}) is False
    assert ev({"not": no}) is True
    assert ev({"not": {"all_of": [yes, {"not": no}]}}) is False
    assert ev(None) is True


def test_no_eval_of_strings():
    """A string that looks like code is just a value compared for equality."""
    assert ev({"item": "yn", "op": "equals", "value": "__import__('os').system('false')"}) is False


def test_referenced_items():
    cond = {"all_of": [{"item": "a", "op": "answered"},
                       {"fact": "amount_granted", "op": "lt", "value": {"item": "b", "times": 2}}]}
    assert conditions.referenced_items(cond) == {"a", "b"}


@pytest.mark.parametrize(
    "cond, location, fragment",
    [
        ("yes", "c", "must be an object"),
        ({"item": "nope", "op": "answered"}, "c.item", "unknown item"),
        ({"fact": "ethnicity", "op": "answered"}, "c.fact", "unknown case fact"),
        ({"item": "yn", "op": "like", "value": "x"}, "c.op", "unknown operator"),
        ({"item": "yn", "op": "equals"}, "c.value", "needs a value"),
        ({"item": "yn", "op": "in", "value": "x"}, "c.value", "list of values"),
        ({"item": "num", "op": "lt", "value": "seven"}, "c.value", "number or a date"),
        ({"all_of": {"item": "yn"}}, "c.all_of", "list of conditions"),
        ({"all_of": [], "any_of": []}, "c", "exactly one key"),
        ({"item": "yn", "fact": "ownership", "op": "answered"}, "c", "either an item or a case fact"),
        ({"not": {"item": "yn", "op": "equals", "value": "x", "extra": 1}}, "c.not", "unexpected key"),
        ({"item": "num", "op": "lt", "value": {"item": "ghost"}}, "c.value.item", "unknown item"),
        ({"item": "num", "op": "lt", "value": {"item": "dec", "times": "x"}}, "c.value.times", "must be a number"),
        ({"any_of": [{"item": "yn", "op": "answered"}, {"item": "zzz", "op": "answered"}]}, "c.any_of[1].item", "unknown item"),
    ],
)
def test_validation_locates_problems(cond, location, fragment):
    problems = conditions.validate(cond, "c", ITEMS, FACT_KINDS)
    assert problems, cond
    assert problems[0].location == location
    assert fragment in problems[0].message


# --- comparing in the item's own type (issue #17) ---------------------------------------------

KINDS = {"code": "text", "count": "number", "share": "number", "scale": "number", "when": "date", "note": "text"}


def _typed(cond, answers):
    return conditions.evaluate(cond, lambda kind, name: answers.get(name), lambda kind, name: KINDS.get(name))


def test_a_number_written_for_a_choice_code_matches_the_code():
    cond = {"item": "code", "op": "equals", "value": 1}
    assert _typed(cond, {"code": "1"})
    assert not _typed(cond, {"code": "2"})
    assert not conditions.evaluate(cond, lambda kind, name: "1")  # untyped: the number never equals the text
    assert _typed({"item": "code", "op": "in", "value": [1, 2]}, {"code": "2"})
    assert _typed({"item": "code", "op": "contains", "value": 3}, {"code": ["1", "3"]})
    assert _typed({"item": "code", "op": "not_equals", "value": 1}, {"code": "2"})
    assert not _typed({"item": "code", "op": "equals", "value": 1}, {"code": "01"})  # codes stay text: "01" is not "1"


def test_numbers_compare_as_numbers_whatever_their_stored_form():
    assert _typed({"item": "share", "op": "equals", "value": 12.5}, {"share": "12.50"})  # decimal answers are text
    assert _typed({"item": "scale", "op": "equals", "value": "3"}, {"scale": 3})  # scale answers are whole numbers
    assert _typed({"item": "count", "op": "in", "value": ["2", 3]}, {"count": 2})
    assert not _typed({"item": "count", "op": "equals", "value": "two"}, {"count": 2})


def test_dates_compare_as_dates():
    assert _typed({"item": "when", "op": "equals", "value": "2026-03-01"}, {"when": date(2026, 3, 1)})


def test_missing_answers_still_never_match():
    assert not _typed({"item": "code", "op": "equals", "value": 1}, {})
    assert _typed({"item": "code", "op": "not_equals", "value": 1}, {})


def test_validation_reports_a_comparison_that_can_never_match():
    def choices_of(kind, name):
        return {"1", "2"} if name == "code" else None

    def check(cond):
        return [p.message for p in conditions.validate(cond, "c", KINDS, FACT_KINDS, choices_of, lambda k, n: KINDS.get(n))]

    assert check({"item": "code", "op": "equals", "value": 1}) == []  # compares as the code "1"
    assert check({"item": "code", "op": "equals", "value": "1"}) == []
    [missing] = check({"item": "code", "op": "equals", "value": 3})
    assert "not one of the choices" in missing
    [boolean] = check({"item": "code", "op": "equals", "value": True})
    assert "never" in boolean
    [text] = check({"item": "count", "op": "equals", "value": "many"})
    assert "not a number" in text
    [not_date] = check({"item": "when", "op": "in", "value": ["soon"]})
    assert "not a date" in not_date
    assert check({"item": "count", "op": "equals", "value": "4"}) == []


def test_as_kind_gives_choice_codes_as_text():
    assert conditions.as_kind(1, "text") == "1"
    assert conditions.as_kind(1.0, "text") == "1"
    assert conditions.as_kind(Decimal("2.50"), "text") == "2.5"
    assert conditions.as_kind("7", "number") == Decimal(7)

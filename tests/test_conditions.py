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

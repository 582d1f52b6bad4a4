"""Flags, visibility, required items, score and answer normalization on the all-types template."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.assessment import Evaluation, normalize_answer
from app.domain.facts import CaseFacts
from app.errors import AnswerError
from app.exchange.json_format import read_template_file
from tests.conftest import DATA


@pytest.fixture(scope="module")
def content():
    return read_template_file(DATA / "all_types.json")


def facts(**kw):
    base = dict(case_reference="T-1", ownership="women_led", amount_requested=Decimal(100000))
    base.update(kw)
    return CaseFacts(**base)


def test_flag_raised_with_its_explanation(content):
    ev = Evaluation(content, facts(), {"family_asked": "yes"})
    flags = ev.flags()
    assert [f.item_key for f in flags] == ["family_asked"]
    assert "unequal treatment" in flags[0].explanation["en"]
    assert flags[0].section_key == "basics"
    assert not Evaluation(content, facts(), {"family_asked": "no"}).flags()


def test_conditional_item_appears_and_becomes_required(content):
    ev = Evaluation(content, facts(), {"family_asked": "no"})
    assert not ev.is_visible("family_all")
    assert "family_all" not in [i.key for i in ev.missing_required()]
    ev = Evaluation(content, facts(), {"family_asked": "yes"})
    assert ev.is_visible("family_all")
    assert "family_all" in [i.key for i in ev.missing_required()]


def test_fact_condition_drives_visibility(content):
    assert not Evaluation(content, facts(decision="granted"), {}).is_visible("reasons")
    assert Evaluation(content, facts(decision="refused"), {}).is_visible("reasons")


def test_hidden_answers_are_kept_but_excluded_from_flags_and_score(content):
    answers = {"family_asked": "no", "family_all": "no", "minutes": 10}
    ev = Evaluation(content, facts(), answers)
    assert not ev.is_visible("family_all")
    assert ev.answers["family_all"] == "no"  # kept
    assert [f.item_key for f in ev.flags()] == ["minutes"]
    # a hidden item referenced by a condition counts as unanswered
    cf = facts(decision="granted", amount_granted=Decimal(30000))
    ev = Evaluation(content, cf, {"reasons": "Recorded."})
    assert not ev.is_visible("reasons")
    # the hidden "reasons" answer does not count: the ratio flag stands as if no reasons were given
    assert ev.is_flagged("confidence") is True


def test_fact_based_flag_with_nested_combinators(content):
    cf = facts(decision="partly_granted", amount_granted=Decimal(30000))
    assert Evaluation(content, cf, {}).is_flagged("confidence")  # ratio 0.3 and no reasons
    assert not Evaluation(content, cf, {"reasons": "Lower turnover than planned."}).is_flagged("confidence")
    assert Evaluation(content, facts(), {"confidence": 2}).is_flagged("confidence")
    assert not Evaluation(content, facts(), {"confidence": 4}).is_flagged("confidence")


def test_required_interplay_and_progress(content):
    ev = Evaluation(content, facts(decision="refused", amount_granted=Decimal(0)), {})
    assert [i.key for i in ev.missing_required()] == ["family_asked", "reasons"]
    assert ev.required_progress() == (0, 2)
    ev = Evaluation(content, facts(decision="refused", amount_granted=Decimal(0)), {"family_asked": "yes", "reasons": "x"})
    assert [i.key for i in ev.missing_required()] == ["family_all"]
    assert ev.required_progress() == (2, 3)
    assert ev.section_progress("numbers") == (1, 7)


def test_score_weights(content):
    ev = Evaluation(content, facts(), {})
    assert ev.score() is None
    # family_asked (weight 2) flagged, minutes (weight 1) clean -> 1/3
    ev = Evaluation(content, facts(), {"family_asked": "yes", "family_all": "yes", "minutes": 45})
    assert ev.score() == pytest.approx(2 / 4)  # family_all weight 1 clean too: (1+1)/(2+1+1)
    # weight 0 items never count
    ev = Evaluation(content, facts(), {"fees": {"amount": "100", "currency": "SEK"}})
    assert ev.score() is None
    ev = Evaluation(content, facts(), {"family_asked": "no"})
    assert ev.score() == 1.0


@pytest.mark.parametrize(
    "key, value, stored",
    [
        ("family_asked", "na", "na"),
        ("channel", "video", "video"),
        ("documents", ["appraisal", "cash_flow", "cash_flow"], ["cash_flow", "appraisal"]),
        ("summary", "Fine", "Fine"),
        ("reasons", "Long\ntext", "Long\ntext"),
        ("minutes", "45", 45),
        ("minutes", 45.0, 45),
        ("rate_offered", "4.25", "4.25"),
        ("fees", {"amount": "1234.5", "currency": "EUR"}, {"amount": "1234.50", "currency": "EUR"}),
        ("follow_up", "2026-12-01", "2026-12-01"),
        ("confidence", "3", 3),
        ("summary", "", None),
        ("documents", [], None),
    ],
)
def test_normalize_answer(content, key, value, stored):
    assert normalize_answer(content.item(key), value) == stored


@pytest.mark.parametrize(
    "key, value",
    [
        ("family_asked", "maybe"),
        ("channel", "phone"),
        ("documents", ["cash_flow", "tax_return"]),
        ("minutes", "4.5"),
        ("minutes", -1),
        ("minutes", 601),
        ("minutes", True),
        ("rate_offered", "abc"),
        ("rate_offered", "NaN"),
        ("fees", "100"),
        ("fees", {"amount": "1", "currency": "XYZ"}),
        ("follow_up", "01/12/2026"),
        ("confidence", 6),
        ("confidence", 0),
        ("intro", "anything"),
        ("summary", "x" * 501),
    ],
)
def test_invalid_answers_are_refused(content, key, value):
    with pytest.raises(AnswerError) as info:
        normalize_answer(content.item(key), value)
    assert info.value.message

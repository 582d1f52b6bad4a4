"""The two bundled checklists (Credit decision, Advice meeting): every flag rule, table-driven,
evaluated by the app's own engine; the generator's output is byte-stable."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.domain.assessment import Evaluation, normalize_answer
from app.domain.facts import CaseFacts
from app.domain.template import TemplateContent, parse_template, validate_content

ROOT = Path(__file__).resolve().parent.parent
FILES = {"credit_decision": "credit-decision.json", "advice_meeting": "advice-meeting.json"}
LANGS = ("en", "sv", "fr")


def load(key: str) -> TemplateContent:
    return parse_template(json.loads((ROOT / "checklists" / FILES[key]).read_text(encoding="utf-8")))


def case(**kw: Any) -> CaseFacts:
    base: dict[str, Any] = dict(
        case_reference="GBG-1", case_date=date(2026, 3, 2), ownership="mixed", decision="granted",
        amount_requested=Decimal(400000), amount_granted=Decimal(400000), decision_date=date(2026, 3, 16),
        collateral_required=False, personal_guarantee_required=False, interest_rate=Decimal("6.5"),
        standard_rate=Decimal("6.5"), application_complete=True,
    )
    base.update(kw)
    return CaseFacts(**base)


def evaluate(content: TemplateContent, facts: CaseFacts, answers: dict[str, Any]) -> Evaluation:
    return Evaluation(content, facts, {k: normalize_answer(content.item(k), v) for k, v in answers.items()})


# (checklist, item, facts of the flagged case, answers, facts of the clean case, answers)
TEAM = {"meeting_attendees": "team"}
RULES: list[tuple[str, str, dict, dict, dict, dict]] = [
    ("both", "addressed_whom", {}, {**TEAM, "addressed_whom": "one_co_owner"}, {}, {**TEAM, "addressed_whom": "all_equally"}),
    ("both", "same_information", {}, {"same_information": "no"}, {}, {"same_information": "yes"}),
    ("both", "neutral_language", {}, {"neutral_language": "no"}, {}, {"neutral_language": "yes"}),
    ("both", "family_questions", {}, {"family_questions": "this_client"}, {}, {"family_questions": "all_clients"}),
    ("both", "growth_questions", {}, {"growth_questions": "no"}, {}, {"growth_questions": "yes"}),
    ("both", "standard_documents", {}, {"standard_documents": "no"}, {}, {"standard_documents": "yes"}),
    ("both", "selective_encouragement", {}, {"selective_encouragement": "less"}, {}, {"selective_encouragement": "same"}),
    ("both", "steered_to_microcredit", {}, {"steered_to_microcredit": "instead"}, {}, {"steered_to_microcredit": "as_complement"}),
    ("both", "same_advice", {}, {"same_advice": "unsure"}, {}, {"same_advice": "yes"}),
    ("credit_decision", "same_terms", {}, {"same_terms": "no"}, {}, {"same_terms": "yes"}),
    ("credit_decision", "incomplete_handling", {"application_complete": False}, {"incomplete_handling": "not_told"},
     {"application_complete": False}, {"incomplete_handling": "in_writing"}),
    ("credit_decision", "written_criteria", {}, {"written_criteria": "no"}, {}, {"written_criteria": "yes"}),
    ("credit_decision", "plan_strength", {"decision": "refused", "amount_granted": Decimal(0)}, {"plan_strength": 5},
     {"decision": "refused", "amount_granted": Decimal(0)}, {"plan_strength": 2}),
    ("credit_decision", "exception_documented", {}, {"exception_made": "yes", "exception_documented": "no"},
     {}, {"exception_made": "yes", "exception_documented": "yes"}),
    ("credit_decision", "rate_reason", {"interest_rate": Decimal("7.5")}, {"rate_reason": "judgement"},
     {"interest_rate": Decimal("7.5")}, {"rate_reason": "risk_class"}),
    ("credit_decision", "collateral_standard", {"collateral_required": True, "collateral_value": Decimal(1000000)},
     {"collateral_standard": "standard"},  # loan-to-value 40 %: far above the usual cover
     {"collateral_required": True, "collateral_value": Decimal(500000)}, {"collateral_standard": "standard"}),
    ("credit_decision", "guarantee_from_whom",
     {"personal_guarantee_required": True, "guarantor": "one_of_the_owners", "guarantee_amount": Decimal(100000)},
     {"guarantee_from_whom": "same_terms"},
     {"personal_guarantee_required": True, "guarantor": "all_owners"}, {"guarantee_from_whom": "same_terms"}),
    ("credit_decision", "term_deviations", {}, {"term_deviations": "unfavourable_other"},
     {}, {"term_deviations": "unfavourable_objective"}),
    ("credit_decision", "processing_time_normal", {"decision_date": date(2026, 4, 20)}, {},
     {"decision_date": date(2026, 4, 20)}, {"processing_time_normal": "yes"}),
    ("credit_decision", "reasons_given", {"decision": "refused", "amount_granted": Decimal(0)}, {"reasons_given": "no"},
     {"decision": "refused", "amount_granted": Decimal(0)}, {"reasons_given": "yes"}),
    ("credit_decision", "servicing_equal", {}, {"servicing_equal": "different"}, {}, {"servicing_equal": "not_yet"}),
    ("advice_meeting", "sector_judgement", {}, {"sector_judgement": "gender_typed"}, {}, {"sector_judgement": "market_evidence"}),
    ("advice_meeting", "discouraged", {}, {"discouraged": "discouraged"}, {}, {"discouraged": "wait_with_reason"}),
    ("advice_meeting", "follow_up_offered", {}, {"follow_up_offered": "no"}, {}, {"follow_up_offered": "yes"}),
]
CASES = [(key, row) for row in RULES for key in (FILES if row[0] == "both" else [row[0]])]


@pytest.mark.parametrize(("template", "row"), CASES, ids=[f"{k}-{r[1]}" for k, r in CASES])
def test_rule_flags_when_it_should_and_not_otherwise(template, row):
    content = load(template)
    _, key, bad_facts, bad, good_facts, good = row
    assert evaluate(content, case(**bad_facts), bad).is_flagged(key)
    assert not evaluate(content, case(**good_facts), good).is_flagged(key)


@pytest.mark.parametrize("template", FILES)
def test_every_rule_of_the_checklist_is_in_the_table(template):
    content = load(template)
    ruled = {i.key for i in content.items() if i.flag_when is not None}
    assert ruled == {r[1] for k, r in CASES if k == template}


@pytest.mark.parametrize("template", FILES)
def test_texts_sources_and_privacy(template):
    content = load(template)
    assert validate_content(content) == []
    for it in content.items():
        for lang in LANGS:
            assert it.label[lang].strip() and it.guidance[lang].strip(), (it.key, lang)
            if it.flag_when is not None:
                assert it.flag_explanation[lang].strip(), (it.key, lang)
        assert it.sources, it.key
    private = {i.key for i in content.items() if i.private}
    assert {"same_advice", "what_would_differ"} <= private
    assert all(content.section_of(k).key == "reflection" for k in private)
    assert all("2004/113/EC" not in s or "Directive" in s for i in content.items() for s in i.sources)
    assert "Kanze" in " ".join(content.item("family_questions").sources)


def test_advice_meeting_asks_no_credit_decision_item():
    keys = {i.key for i in load("advice_meeting").items()}
    assert not keys & {"plan_strength", "written_criteria", "term_deviations", "rate_reason", "collateral_standard"}
    assert "na" in load("credit_decision").item("term_deviations").option_values()


def test_a_completed_case_with_an_unfavourable_deviation_is_flagged():
    content = load("credit_decision")
    answers = {"meeting_attendees": "one_person", "same_information": "yes", "neutral_language": "yes",
               "family_questions": "no", "growth_questions": "yes", "standard_documents": "yes",
               "selective_encouragement": "same", "written_criteria": "yes", "plan_strength": 3,
               "exception_made": "no", "collateral_standard": "standard", "term_deviations": "unfavourable_other",
               "steered_to_microcredit": "no", "processing_time_normal": "yes", "same_advice": "yes",
               "same_terms": "yes", "deviation_reason": None}
    answers = {k: v for k, v in answers.items() if v is not None and k in {i.key for i in content.items()}}
    ev = evaluate(content, case(collateral_required=True), answers)
    assert ev.missing_required() == []  # complete: it could be completed and signed
    assert [f.item_key for f in ev.flags()] == ["term_deviations"]


def test_family_budget_asked_of_everyone_by_policy_is_not_flagged():
    for key in FILES:
        assert not evaluate(load(key), case(), {"family_questions": "all_clients"}).flags()


def test_blank_collateral_and_guarantee_facts_do_not_hide_the_items():
    content = load("credit_decision")
    ev = evaluate(content, case(collateral_required=None, personal_guarantee_required=None), {})
    assert ev.is_visible("guarantee_from_whom") and ev.is_visible("collateral_standard")


def test_generator_output_is_byte_stable():
    spec = importlib.util.spec_from_file_location("build_checklists", ROOT / "scripts" / "build_checklists.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for key, name in FILES.items():
        assert module.render(key).encode("utf-8") == (ROOT / "checklists" / name).read_bytes()
    assert module.main(["--check"]) == 0

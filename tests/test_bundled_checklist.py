"""The bundled checklist ``checklists/equal-treatment-credit.json``: format, canonical form,
translations, the conditions' references, and how its visibility and flag rules behave."""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.domain.assessment import Evaluation, normalize_answer
from app.domain.facts import FACT_CHOICES, FACT_KINDS, CaseFacts
from app.domain.template import ITEM_TYPES, TemplateContent, parse_template, validate_content

ROOT = Path(__file__).resolve().parent.parent
PATH = ROOT / "checklists" / "equal-treatment-credit.json"
SCHEMA = ROOT / "checklists" / "template.schema.json"
GENERATOR = ROOT / "scripts" / "build_bundled_checklist.py"
LANGS = ("en", "sv", "fr")
SECTIONS = ("meeting", "questions", "assessment", "terms", "decision", "reflection")


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return json.loads(PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def content(data) -> TemplateContent:
    return parse_template(data)


def _conditions(content: TemplateContent):
    """(location, condition) of every visible_when and flag_when."""
    for section in content.sections:
        if section.visible_when is not None:
            yield section.key, section.visible_when
        for item in section.items:
            for name in ("visible_when", "flag_when"):
                cond = getattr(item, name)
                if cond is not None:
                    yield f"{item.key}.{name}", cond


def _nodes(cond: Any):
    """Every dict inside a condition, the condition itself included."""
    if isinstance(cond, dict):
        yield cond
        for value in cond.values():
            yield from _nodes(value)
    elif isinstance(cond, list):
        for value in cond:
            yield from _nodes(value)


# --- format -------------------------------------------------------------------------------------


def test_header(content, data):
    assert data["format"] == "likvard-template/1"
    assert content.key == "equal_treatment_credit"
    assert content.languages == ["en", "sv", "fr"]
    assert content.default_language == "en"
    assert content.title == {
        "en": "Equal treatment in credit and business advice",
        "sv": "Likabehandling i kredit- och affärsrådgivning",
        "fr": "Égalité de traitement dans le crédit et le conseil aux entreprises",
    }
    assert all(content.description.get(lang, "").strip() for lang in LANGS)


def test_validate_content_reports_no_problem_at_all(content):
    assert validate_content(content) == []  # not even a missing-translation warning


def test_matches_the_json_schema(data):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_file_is_canonical_byte_for_byte(content):
    raw = PATH.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw == content.canonical_json().encode("utf-8")


def test_generator_script_is_in_sync_with_the_file():
    spec = importlib.util.spec_from_file_location("build_bundled_checklist", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render().encode("utf-8") == PATH.read_bytes(), "run python scripts/build_bundled_checklist.py"
    assert module.main(["--check"]) == 0


# --- texts --------------------------------------------------------------------------------------


def test_every_section_and_item_has_label_and_guidance_in_every_language(content):
    for section in content.sections:
        assert all(section.title.get(lang, "").strip() for lang in LANGS), section.key
        for item in section.items:
            for lang in LANGS:
                assert item.label.get(lang, "").strip(), (item.key, "label", lang)
                assert item.guidance.get(lang, "").strip(), (item.key, "guidance", lang)
            for option in item.options:
                assert all(option.label.get(lang, "").strip() for lang in LANGS), (item.key, option.value)


def test_every_flag_has_an_explanation_in_every_language(content):
    flagged = [i for i in content.items() if i.flag_when is not None]
    assert len(flagged) >= 20
    for item in flagged:
        for lang in LANGS:
            assert item.flag_explanation.get(lang, "").strip(), (item.key, lang)


def test_translations_are_not_copies_of_the_english(content):
    for item in content.items():
        for texts in (item.label, item.guidance, item.flag_explanation):
            if texts:
                assert texts["sv"] != texts["en"] and texts["fr"] != texts["en"], item.key


SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-ZÅÄÖÉÈ«\u201c\u201d])")


def test_guidance_and_explanations_are_one_to_three_sentences(content):
    for item in content.items():
        assert len(item.label["en"]) <= 200, item.key
        for texts in (item.guidance, item.flag_explanation):
            for lang, text in texts.items():
                assert 1 <= len(SENTENCE_END.split(text.strip())) <= 3, (item.key, lang, text)


# --- structure ----------------------------------------------------------------------------------


def test_six_sections_of_four_to_seven_items(content):
    assert [s.key for s in content.sections] == list(SECTIONS)
    for section in content.sections:
        assert 4 <= len(section.items) <= 7, section.key
    assert 30 <= len(content.items()) <= 40


def test_uses_every_item_type_but_decimal(content):
    used = {i.type for i in content.items()}
    assert used == set(ITEM_TYPES) - {"decimal"}
    assert sum(i.type == "yes_no_na" for i in content.items()) > len(content.items()) / 3


def test_weights_and_required(content):
    weights = {i.key: i.weight for i in content.items()}
    assert {0, 1, 2} <= set(weights.values())
    for key in ("family_questions", "growth_questions", "amount_matches_need", "reasons_given", "same_terms"):
        assert weights[key] == 2
        assert content.item(key).required
    for item in content.items():
        if item.weight == 0:
            assert item.flag_when is None, f"{item.key}: a flagged item should count in the score"
    assert not any(i.required for i in content.items() if i.type == "note")


def test_conditions_use_every_combinator(content):
    keys = {k for _, cond in _conditions(content) for node in _nodes(cond) for k in node}
    assert {"all_of", "any_of", "not"} <= keys


def test_condition_values_exist(content):
    """Compared values are real options or fact choices (validate_content does not check this)."""
    items = {i.key: i for i in content.items()}
    for loc, cond in _conditions(content):
        for node in _nodes(cond):
            if "op" not in node or "value" not in node:
                continue
            value = node["value"]
            values = value if isinstance(value, list) else [value]
            if "item" in node:
                target = items[node["item"]]
                if target.type in ("yes_no_na", "single_choice", "multiple_choice"):
                    assert set(values) <= set(target.option_values()), (loc, node)
                elif target.type == "scale":
                    assert all(isinstance(v, int) and 1 <= v <= 5 for v in values), (loc, node)
            else:
                kind = FACT_KINDS[node["fact"]]
                if kind == "choice":
                    assert set(values) <= set(FACT_CHOICES[node["fact"]]), (loc, node)
                elif kind == "bool":
                    assert all(isinstance(v, bool) for v in values), (loc, node)
                elif kind == "number":
                    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values), (loc, node)


# --- behaviour ----------------------------------------------------------------------------------


def facts(**kw: Any) -> CaseFacts:
    base: dict[str, Any] = dict(
        case_reference="GBG-2025-00001", case_date=date(2025, 3, 3), ownership="women_led",
        sector="care_and_health", legal_form="cooperative", amount_requested=Decimal(400000),
        collateral_required=False, personal_guarantee_required=False,
    )
    base.update(kw)
    return CaseFacts(**base)


def evaluate(content: TemplateContent, case: CaseFacts | None = None, **raw: Any) -> Evaluation:
    """An evaluation with answers normalized as the app stores them."""
    answers = {key: normalize_answer(content.item(key), value) for key, value in raw.items()}
    return Evaluation(content, case or facts(), answers)


def flagged(ev: Evaluation) -> set[str]:
    return {f.item_key for f in ev.flags()}


GOOD_ANSWERS: dict[str, Any] = {
    "meeting_attendees": "one_person",
    "meeting_minutes": 75,
    "same_information": "yes",
    "discouraged": "no",
    "neutral_language": "yes",
    "ownership_self_declared": "yes",
    "family_questions": "no",
    "growth_questions": "yes",
    "question_balance": 3,
    "documents_requested": ["business_plan", "cash_flow_forecast", "annual_accounts"],
    "standard_documents": "yes",
    "sector_judgement": "market_evidence",
    "written_criteria": "yes",
    "plan_strength": 4,
    "exception_made": "no",
    "amount_matches_need": "yes",
    "term_deviations": ["none"],
    "fees_charged": {"amount": "2500", "currency": "SEK"},
    "decision_communicated": "2025-03-20",
    "processing_time_normal": "yes",
    "same_advice": "yes",
    "same_terms": "yes",
}


def granted_case(**kw: Any) -> CaseFacts:
    base: dict[str, Any] = dict(decision="granted", amount_granted=Decimal(400000), decision_date=date(2025, 3, 17))
    base.update(kw)
    return facts(**base)


def test_a_clean_granted_case_has_no_flag_and_a_full_score(content):
    ev = evaluate(content, granted_case(), **GOOD_ANSWERS)
    assert ev.flags() == []
    assert ev.missing_required() == []
    assert ev.score() == 1.0
    hidden = {i.key for i in content.items()} - {i.key for i in ev.visible_items()}
    assert hidden == {
        "addressed_whom", "family_reason", "exception_documented", "reduction_reason_recorded",
        "collateral_standard", "guarantee_from_whom", "deviation_reason", "reasons_given", "delay_reason",
        "referral_offered", "withdrawal_followup", "what_would_differ",
    }


def test_partly_granted_under_half_raises_the_ratio_flag(content):
    case = granted_case(decision="partly_granted", amount_granted=Decimal(120000))
    assert case.granted_ratio == Decimal("0.3")
    ev = evaluate(content, case, **GOOD_ANSWERS)
    assert ev.is_visible("amount_matches_need")
    assert ev.is_flagged("amount_matches_need")  # even though the advisor answered "yes"
    assert ev.is_flagged("plan_strength")  # a strong plan cut to under half deserves a second look
    explanation = next(f for f in ev.flags() if f.item_key == "amount_matches_need").explanation
    assert "half" in explanation["en"] and "hälften" in explanation["sv"] and "moitié" in explanation["fr"]
    # the reduction now needs a recorded reason, reasons given to the client and a referral
    assert {"reduction_reason_recorded", "reasons_given", "referral_offered"} <= {
        i.key for i in ev.missing_required()}


def test_partly_granted_over_half_is_not_flagged_unless_the_amount_falls_short(content):
    case = granted_case(decision="partly_granted", amount_granted=Decimal(300000))
    answers = dict(GOOD_ANSWERS, reduction_reason_recorded="yes", reasons_given="yes", referral_offered="yes")
    ev = evaluate(content, case, **answers)
    assert flagged(ev) == set()
    ev = evaluate(content, case, **dict(answers, amount_matches_need="no"))
    assert flagged(ev) == {"amount_matches_need"}
    # exactly half is not "below half"
    ev = evaluate(content, granted_case(decision="partly_granted", amount_granted=Decimal(200000)), **answers)
    assert not ev.is_flagged("amount_matches_need")


def test_refused_case_checks_reasons_and_referral(content):
    case = granted_case(decision="refused", amount_granted=Decimal(0))
    ev = evaluate(content, case, **dict(GOOD_ANSWERS, reduction_reason_recorded="no", reasons_given="no",
                                        referral_offered="no", plan_strength=5))
    assert not ev.is_visible("amount_matches_need")
    assert flagged(ev) == {"reduction_reason_recorded", "reasons_given", "referral_offered", "plan_strength"}
    ev = evaluate(content, case, **dict(GOOD_ANSWERS, reduction_reason_recorded="yes", reasons_given="yes",
                                        referral_offered="yes", plan_strength=2))
    assert flagged(ev) == set()


def test_family_question_is_flagged_and_asks_for_a_reason(content):
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, family_questions="yes"))
    assert flagged(ev) == {"family_questions"}
    assert ev.is_visible("family_reason")
    assert [i.key for i in ev.missing_required()] == ["family_reason"]
    flag = ev.flags()[0]
    assert flag.section_key == "questions"
    assert all(flag.explanation[lang] for lang in LANGS)


def test_growth_questions_not_asked_and_risk_heavy_meeting_are_flagged(content):
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, growth_questions="no", question_balance=1))
    assert flagged(ev) == {"growth_questions", "question_balance"}
    assert not evaluate(content, granted_case(), **dict(GOOD_ANSWERS, question_balance=3)).flags()


def test_documents_about_a_non_owner_partner_and_non_standard_lists_are_flagged(content):
    answers = dict(GOOD_ANSWERS, documents_requested=["business_plan", "partner_information"],
                   standard_documents="no")
    assert flagged(evaluate(content, granted_case(), **answers)) == {"documents_requested", "standard_documents"}


def test_sector_judged_by_gender_image_is_flagged(content):
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, sector_judgement="gender_typed"))
    assert flagged(ev) == {"sector_judgement"}


def test_who_was_addressed_only_asked_for_a_couple_or_a_team(content):
    assert not evaluate(content, granted_case(), meeting_attendees="one_person").is_visible("addressed_whom")
    for attendees in ("couple", "team"):
        ev = evaluate(content, granted_case(), meeting_attendees=attendees, addressed_whom="other_person")
        assert ev.is_visible("addressed_whom")
        assert ev.is_flagged("addressed_whom")
    ev = evaluate(content, granted_case(), meeting_attendees="couple", addressed_whom="all_equally")
    assert not ev.is_flagged("addressed_whom")
    # the answer no longer counts once the item is hidden again
    ev = evaluate(content, granted_case(), meeting_attendees="one_person", addressed_whom="other_person")
    assert not ev.is_flagged("addressed_whom")


def test_undocumented_exception_is_flagged(content):
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, exception_made="yes", exception_documented="no"))
    assert ev.is_visible("exception_documented")
    assert flagged(ev) == {"exception_documented"}
    assert not evaluate(content, granted_case(), exception_made="no").is_visible("exception_documented")


def test_personal_guarantee_from_a_non_owner_is_flagged(content):
    ev = evaluate(content, granted_case(), **GOOD_ANSWERS)
    assert not ev.is_visible("guarantee_from_whom") and not ev.is_visible("collateral_standard")
    case = granted_case(personal_guarantee_required=True)
    ev = evaluate(content, case, **dict(GOOD_ANSWERS, collateral_standard="yes",
                                        guarantee_from_whom=["owners", "spouse_partner"]))
    assert ev.is_visible("guarantee_from_whom")
    assert flagged(ev) == {"guarantee_from_whom"}
    ev = evaluate(content, case, **dict(GOOD_ANSWERS, collateral_standard="yes", guarantee_from_whom=["owners"]))
    assert flagged(ev) == set()


def test_collateral_item_shows_for_collateral_or_guarantee(content):
    for kw in ({"collateral_required": True}, {"personal_guarantee_required": True}):
        ev = evaluate(content, granted_case(**kw), collateral_standard="no")
        assert ev.is_visible("collateral_standard")
        assert ev.is_flagged("collateral_standard")
    ev = evaluate(content, granted_case(collateral_required=None, personal_guarantee_required=None))
    assert not ev.is_visible("collateral_standard")


def test_deviation_from_standard_terms_needs_a_reason(content):
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, term_deviations=["interest_rate", "fees"]))
    assert ev.is_visible("deviation_reason")
    assert flagged(ev) == {"term_deviations"}
    assert [i.key for i in ev.missing_required()] == ["deviation_reason"]
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, term_deviations=["interest_rate"],
                                                  deviation_reason="Public guarantee lowers the risk class."))
    assert flagged(ev) == set()
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, deviation_reason="left over from an edit"))
    assert not ev.is_visible("deviation_reason")
    assert flagged(ev) == set()


def test_long_processing_time_is_flagged_and_asks_why(content):
    slow = granted_case(decision_date=date(2025, 3, 3) + timedelta(days=45))
    assert slow.processing_days == 45
    ev = evaluate(content, slow, **GOOD_ANSWERS)
    assert flagged(ev) == {"processing_time_normal"}
    assert ev.is_visible("delay_reason")
    ev = evaluate(content, granted_case(decision_date=date(2025, 4, 2)), **GOOD_ANSWERS)  # 30 days
    assert flagged(ev) == set()
    assert not ev.is_visible("delay_reason")
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, processing_time_normal="no"))
    assert flagged(ev) == {"processing_time_normal"}
    assert ev.is_visible("delay_reason")


def test_withdrawn_application_asks_for_follow_up(content):
    case = facts(decision="withdrawn")
    ev = evaluate(content, case, withdrawal_followup="no")
    assert ev.is_visible("withdrawal_followup")
    assert ev.is_flagged("withdrawal_followup")
    for key in ("amount_matches_need", "reduction_reason_recorded", "reasons_given", "referral_offered",
                "decision_communicated"):
        assert not ev.is_visible(key), key


@pytest.mark.parametrize("answer", ["no", "unsure"])
def test_self_reflection_doubt_is_flagged_and_asks_what_would_differ(content, answer):
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, same_terms=answer))
    assert flagged(ev) == {"same_terms"}
    assert ev.is_visible("what_would_differ")
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, same_advice=answer))
    assert flagged(ev) == {"same_advice"}
    assert ev.is_visible("what_would_differ")


def test_no_flag_rule_fires_on_an_empty_checklist_of_an_ordinary_case(content):
    assert evaluate(content, granted_case()).flags() == []
    assert evaluate(content, facts()).flags() == []  # no decision yet


def test_information_items_do_not_change_the_score(content):
    base = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, growth_questions="no")).score()
    assert base is not None and 0 < base < 1
    extra = dict(GOOD_ANSWERS, growth_questions="no", peer_reviewer="AL", meeting_minutes=10,
                 meeting_attendees="team", addressed_whom="all_equally")
    more = evaluate(content, granted_case(), **extra).score()
    assert more > base  # addressed_whom (weight 1) answered without a flag adds to the clean share
    ev = evaluate(content, granted_case(), **dict(GOOD_ANSWERS, growth_questions="no", peer_reviewer="AL",
                                                  meeting_minutes=10))
    assert ev.score() == base

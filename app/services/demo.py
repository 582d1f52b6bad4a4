"""Realistic demo cases: several advisors, branches, sectors and ownership groups.

Facts are consistent (a refused case has no amount granted, decisions follow the case date) and
answers are consistent with the facts: visibility is respected and each item's flag is raised
with a probability that depends on the ownership group, so the indicators show the kind of
gaps the training is about.
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from app.domain.assessment import Evaluation
from app.domain.facts import DEFAULT_TEMPLATE_OF_MEETING, CaseFacts
from app.domain.template import Item, TemplateContent
from app.enums import AssessmentStatus
from app.errors import NotFoundError
from app.i18n import _
from app.services import Services

ADVISORS = ("Anna Lindqvist", "Erik Johansson", "Maria Andersson", "Karim Benali", "Sofie Dubois",
            "Jonas Berg", "Lena Ek", "Pierre Martin")
BRANCHES = {"Göteborg": "GBG", "Borås": "BOR", "Trollhättan": "THN", "Skövde": "SKV", "Uddevalla": "UDV",
            "Dunkerque": "DKQ"}
OWNERSHIP_WEIGHTS = {"women_led": 0.32, "men_led": 0.4, "mixed": 0.18, "not_disclosed": 0.1}
SECTOR_WEIGHTS = {
    "women_led": {"care_and_health": 5, "personal_services": 4, "retail": 3, "education": 2, "culture": 2,
                  "hospitality": 2, "professional_services": 2, "ict": 1, "agriculture": 1, "manufacturing": 1},
    "men_led": {"construction": 5, "manufacturing": 4, "transport": 3, "ict": 3, "retail": 2, "agriculture": 2,
                "professional_services": 2, "hospitality": 1, "real_estate": 1},
}
LEGAL_FORMS = {"sole_trader": 4, "limited_company": 4, "cooperative": 3, "social_enterprise": 2, "partnership": 1,
               "non_profit": 1}
# Probability that an answer shows the behaviour its flag is about, by ownership group.
FLAG_PROBABILITY = {"women_led": 0.22, "mixed": 0.15, "men_led": 0.07, "not_disclosed": 0.12}


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def demo_facts(rng: random.Random, index: int, today: date) -> CaseFacts:
    """Consistent facts for one demo case."""
    ownership = _weighted(rng, OWNERSHIP_WEIGHTS)
    sectors = SECTOR_WEIGHTS.get(ownership) or {**SECTOR_WEIGHTS["women_led"], **SECTOR_WEIGHTS["men_led"]}
    branch = rng.choice(list(BRANCHES))
    case_date = today - timedelta(days=rng.randint(0, 540))
    requested = Decimal(int(min(5_000_000, max(25_000, rng.lognormvariate(12.4, 0.8))) // 5000 * 5000))
    women = ownership in ("women_led", "mixed")
    approve = 0.62 if women else 0.7
    roll = rng.random()
    if roll < approve:
        decision = "granted"
    elif roll < approve + 0.16:
        decision = "partly_granted"
    elif roll < approve + 0.16 + 0.14:
        decision = "refused"
    else:
        decision = "withdrawn"
    if decision == "granted":
        granted: Decimal | None = requested
    elif decision == "partly_granted":
        ratio = rng.uniform(0.25, 0.7) if women else rng.uniform(0.45, 0.9)
        granted = Decimal(int(requested * Decimal(str(round(ratio, 2))) // 1000 * 1000))
    else:
        granted = Decimal(0) if decision == "refused" else None
    decided = (today - case_date).days > 3 and rng.random() > 0.05
    decision_date = case_date + timedelta(days=rng.randint(3, 55 if women else 35)) if decided else None
    if decision_date and decision_date > today:
        decision_date = today
    return CaseFacts(
        case_reference=f"{BRANCHES[branch]}-{case_date.year}-{index:05d}",
        case_date=case_date,
        advisor=rng.choice(ADVISORS),
        branch=branch,
        ownership=ownership,
        sector=_weighted(rng, sectors),
        legal_form=_weighted(rng, LEGAL_FORMS),
        amount_requested=requested,
        amount_granted=granted if decided else None,
        currency="EUR" if branch == "Dunkerque" else "SEK",
        collateral_required=rng.random() < (0.55 if women else 0.4),
        personal_guarantee_required=rng.random() < (0.45 if women else 0.28),
        interest_rate=Decimal(str(round(rng.uniform(4.0, 8.5) + (0.4 if women else 0), 2))),
        decision=decision if decided else None,
        decision_date=decision_date,
    )


def _candidates(item: Item, facts: CaseFacts, rng: random.Random) -> list[Any]:
    t = item.type
    if t == "yes_no_na":
        return ["yes", "no", "na"]
    if t == "single_choice":
        return item.option_values()
    if t == "multiple_choice":
        values = item.option_values()
        return [rng.sample(values, k) for k in (1, 2, min(3, len(values)))] + [[v] for v in values]
    if t == "scale":
        return [1, 2, 3, 4, 5]
    if t == "integer":
        low = int(item.minimum) if item.minimum is not None else 15
        high = int(item.maximum) if item.maximum is not None else 120
        return [rng.randint(low, high) for _ in range(4)]
    if t == "decimal":
        return [str(round(rng.uniform(item.minimum or 0, item.maximum or 10), 2)) for _ in range(4)]
    if t == "money":
        return [{"amount": str(Decimal(rng.randrange(500, 15000, 250))), "currency": facts.currency} for _ in range(3)]
    if t == "date":
        base = facts.decision_date or facts.case_date or date.today()
        return [base.isoformat()]
    if t == "short_text":
        return [_("See the credit memo."), _("Discussed with the client.")]
    if t == "long_text":
        return [_("The same criteria were applied as for comparable cases; reasons are recorded in the credit memo."),
                _("The client was offered the same information and follow-up as other clients.")]
    return []


def demo_answers(content: TemplateContent, facts: CaseFacts, rng: random.Random,
                 complete: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers consistent with visibility and facts; flags more likely for some groups."""
    answers: dict[str, Any] = {}
    comments: dict[str, str] = {}
    p_flag = FLAG_PROBABILITY.get(facts.ownership or "not_disclosed", 0.1)
    for item in content.items():
        if not item.answerable or not Evaluation(content, facts, answers).is_visible(item.key):
            continue
        if not complete and rng.random() < 0.35:
            continue
        if not item.required and item.type in ("short_text", "long_text") and rng.random() < 0.6:
            continue
        candidates = _candidates(item, facts, rng)
        if item.type == "yes_no_na" and rng.random() < 0.9:
            candidates = [c for c in candidates if c != "na"]
        flagged: list[Any] = []
        clean: list[Any] = []
        for value in candidates:
            trial = Evaluation(content, facts, {**answers, item.key: value})
            (flagged if trial.is_flagged(item.key) else clean).append(value)
        pool = flagged if (flagged and (not clean or rng.random() < p_flag)) else clean or flagged
        if not pool:
            continue
        answers[item.key] = rng.choice(pool)
        if pool is flagged and rng.random() < 0.5:
            comments[item.key] = _("Discussed in the team; see the credit memo.")
    return answers, comments


def create_demo_cases(services: Services, count: int, seed: int | None = 20081, today: date | None = None) -> int:
    """Insert ``count`` demo cases over the published templates. Returns the number inserted."""
    versions = services.templates.published_versions()
    if not versions:
        raise NotFoundError(_("No published checklist to fill; import a template first."))
    rng = random.Random(seed)
    today = today or date.today()
    contents = {v.id: services.templates.content(v.id) for v in versions}
    start = services.assessments.count() + 1
    taken = services.assessments.references_in_use()  # a reference names one case only
    batch: list[tuple[uuid.UUID, CaseFacts, dict[str, Any], dict[str, str], str]] = []
    inserted = 0
    for n in range(count):
        version = rng.choice(versions)
        facts = demo_facts(rng, start + n, today)
        # the meeting type picks the checklist, as in the New case form (no extra draw: the
        # seeded sequence of the demo stays the same)
        meeting = "credit_decision" if facts.decision is not None else "advice_meeting"
        wanted = DEFAULT_TEMPLATE_OF_MEETING[meeting]
        version = next((v for v in versions if v.template_key == wanted), version)
        facts = dataclasses.replace(facts, meeting_type=meeting,
                                    standard_rate=Decimal("6.00") if facts.interest_rate is not None else None)
        while facts.case_reference in taken:
            start += 1
            facts = dataclasses.replace(facts, case_reference=facts.case_reference.rsplit("-", 1)[0]
                                        + f"-{start + n:05d}")
        taken.add(facts.case_reference)
        complete = facts.decision is not None and rng.random() < 0.8
        answers, comments = demo_answers(contents[version.id], facts, rng, complete)
        batch.append((version.id, facts, answers, comments, AssessmentStatus.COMPLETED if complete else AssessmentStatus.DRAFT))
        if len(batch) >= 250:
            inserted += services.assessments.bulk_create(batch)
            batch = []
    if batch:
        inserted += services.assessments.bulk_create(batch)
    return inserted

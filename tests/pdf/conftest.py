"""Fixtures for PDF, signing and verification tests: keys in temporary folders, a filled case."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from app.domain.facts import CaseFacts

PASSWORD = "korrekt häst batteri"  # a test password, never a real one

LONG_COMMENT = " ".join(
    f"Stycke {n}: kunden frågade om räntan och vi förklarade villkoren; hon hade en tydlig plan för tillväxt, "
    "men vi ställde ändå frågor om barnomsorg & familj <vilket vi inte gör för alla>." for n in range(1, 61))


def swedish_facts(**changes) -> CaseFacts:
    facts = CaseFacts(
        case_reference="GBG-2026-014", case_date=date(2026, 3, 2), advisor="Åsa Lindström", branch="Göteborg",
        ownership="women_led", sector="care_and_health", legal_form="cooperative",
        amount_requested=Decimal("250000"), amount_granted=Decimal("120000"), currency="SEK",
        collateral_required=True, personal_guarantee_required=False, interest_rate=Decimal("5.125"),
        decision="partly_granted", decision_date=date(2026, 3, 20))
    for key, value in changes.items():
        setattr(facts, key, value)
    return facts


def drawing() -> dict:
    wave = [[10 + i * 3, 60 + 30 * math.sin(i / 4), 0.6] for i in range(80)]
    return {"format": "likvard-strokes/1", "width": 300, "height": 120, "strokes": [wave, [[40, 20], [60, 100]]]}


def fill_case(services, version, *, complete=True, long_comment=False, with_drawing=True, **facts):
    """A partly granted case with every item type answered, Swedish comments (å ä ö é)."""
    case = swedish_facts(**facts)
    n = 1
    while services.assessments.reference_in_use(case.case_reference):  # one case per reference
        n += 1
        case.case_reference = f"{swedish_facts(**facts).case_reference}-{n}"
    aid = services.assessments.create(version.id, case)
    services.assessments.set_answers(aid, {
        "family_asked": "yes", "family_all": "no", "channel": "office",
        "documents": ["cash_flow", "personal_statement"], "summary": "Café i Majorna – två ägare",
        "reasons": "Säkerheten räckte inte för hela beloppet.", "minutes": 15, "rate_offered": "5.25",
        "fees": {"amount": "1500", "currency": "SEK"}, "follow_up": "2026-06-01", "confidence": 2,
    }, {
        "family_asked": "Frågade om hennes barn – åtgärdat i utbildningen. Très bien noté.",
        "reasons": LONG_COMMENT if long_comment else "Kunden fick skälen skriftligt på svenska.",
    })
    if with_drawing:
        services.records.set_drawing(aid, drawing())
    if complete:
        services.assessments.complete(aid)
    return aid

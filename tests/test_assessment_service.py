"""Assessment use cases: create, answer, comment, complete, list, search, events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.domain.facts import CaseFacts
from app.errors import AnswerError, CompletionError, LikvardError, LockedAssessmentError
from app.services.assessments import AssessmentFilter, FactsError
from app.storage.models import AssessmentRow, EventRow

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)


def make(services, version, **kw):
    facts = CaseFacts(**{"case_reference": "GBG-1", "ownership": "women_led", **kw})
    return services.assessments.create(version.id, facts)


def test_completion_refuses_and_names_missing_items(services, all_types_version):
    aid = make(services, all_types_version, decision="refused", amount_granted=Decimal(0))
    with pytest.raises(CompletionError) as info:
        services.assessments.complete(aid)
    assert info.value.missing == ["family_asked", "reasons"]
    assert "Were questions about family" in info.value.message
    services.assessments.set_answers(aid, {"family_asked": "yes", "reasons": "Weak cash flow."})
    with pytest.raises(CompletionError) as info:
        services.assessments.complete(aid)
    assert info.value.missing == ["family_all"]
    services.assessments.set_answer(aid, "family_all", "no")
    rec = services.assessments.complete(aid)
    assert rec.status == "completed" and rec.completed_at is not None
    with pytest.raises(LockedAssessmentError):
        services.assessments.set_answer(aid, "summary", "late edit")
    with pytest.raises(LockedAssessmentError):
        services.assessments.update_facts(aid, rec.facts)


def test_flag_count_and_score_are_kept_in_step(services, all_types_version):
    aid = make(services, all_types_version)
    services.assessments.set_answer(aid, "family_asked", "yes")
    row = services.assessments.list()[0]
    assert row.flag_count == 1 and row.score == 0.0
    services.assessments.set_answer(aid, "family_asked", "no")
    row = services.assessments.list()[0]
    assert row.flag_count == 0 and row.score == 1.0


def test_bad_answers_and_facts_change_nothing(services, all_types_version):
    aid = make(services, all_types_version)
    services.assessments.set_answer(aid, "minutes", 30)
    with pytest.raises(AnswerError):
        services.assessments.set_answers(aid, {"summary": "ok", "minutes": "many"})
    assert services.assessments.get(aid).answers == {"minutes": 30}
    with pytest.raises(AnswerError):
        services.assessments.set_answer(aid, "no_such_item", "x")
    with pytest.raises(FactsError) as info:
        services.assessments.update_facts(aid, CaseFacts(case_reference="", amount_requested=Decimal(-5)))
    assert {f for f, _m in info.value.problems} == {"case_reference", "amount_requested"}


def test_new_cases_need_a_published_version(services, all_types_version):
    from app.exchange.json_format import read_template_file
    from tests.conftest import DATA

    content = read_template_file(DATA / "all_types.json")
    content.title["en"] = "draft"
    draft = services.templates.add_version(content, publish=False).version
    with pytest.raises(LikvardError):
        services.assessments.create(draft.id, CaseFacts(case_reference="X"))


def test_search_filters_and_sort(services, all_types_version):
    make(services, all_types_version, case_reference="GBG-001", advisor="Anna Lindqvist", branch="Göteborg",
         sector="care_and_health", case_date=date(2026, 1, 5))
    make(services, all_types_version, case_reference="BOR-002", advisor="Erik", branch="Borås",
         ownership="men_led", sector="construction", case_date=date(2026, 2, 5))
    make(services, all_types_version, case_reference="DKQ-003", advisor="Pierre", branch="Dunkerque",
         ownership="mixed", sector="retail", case_date=date(2026, 3, 5))
    refs = lambda flt: [r.case_reference for r in services.assessments.list(flt)]  # noqa: E731
    assert refs(AssessmentFilter(search="bor")) == ["BOR-002", "GBG-001"]  # Borås, Göteborg
    assert refs(AssessmentFilter(search="BOR-0")) == ["BOR-002"]
    assert refs(AssessmentFilter(search="LINDQ")) == ["GBG-001"]
    assert refs(AssessmentFilter(search="Care")) == ["GBG-001"]  # sector label
    assert refs(AssessmentFilter(search="göteBORG")) == ["GBG-001"]
    assert refs(AssessmentFilter(search="BORÅS")) == ["BOR-002"]  # SQLite's lower() alone misses Å
    assert refs(AssessmentFilter(ownership="mixed")) == ["DKQ-003"]
    assert refs(AssessmentFilter(date_from=date(2026, 2, 1), sort="case_date", descending=False)) == ["BOR-002", "DKQ-003"]
    assert refs(AssessmentFilter(sort="case_reference", descending=False)) == ["BOR-002", "DKQ-003", "GBG-001"]
    assert refs(AssessmentFilter(template_key="all_types", status="draft", date_to=date(2026, 1, 31))) == ["GBG-001"]
    assert services.assessments.count(AssessmentFilter(status="completed")) == 0


def test_every_change_records_an_event(services, all_types_version):
    aid = make(services, all_types_version, decision="granted")
    services.assessments.set_answer(aid, "family_asked", "no")
    services.assessments.set_answer(aid, "family_asked", "no")  # no change, no event
    services.assessments.complete(aid)
    with services.db.session() as s:
        kinds = [e.kind for e in s.query(EventRow).filter(EventRow.entity_id == aid).order_by(EventRow.at)]
    assert kinds == ["assessment.created", "assessment.answers_set", "assessment.completed"]


def test_to_dict_carries_template_version_and_hash(services, all_types_version):
    aid = make(services, all_types_version)
    services.assessments.set_answer(aid, "family_asked", "yes", comment="Asked about her children")
    data = services.assessments.get(aid).to_dict()
    assert data["template"] == {"key": "all_types", "version": 1, "content_hash": all_types_version.content_hash}
    assert data["flags"] == ["family_asked"]
    assert data["answers"] == [{"item": "family_asked", "value": "yes", "comment": "Asked about her children"}]


def test_names_sort_as_the_language_does(services, all_types_version):
    from app import i18n

    for n, branch in enumerate(["Örebro", "Alingsås", "Zinkgruvan", "Ängelholm", "Åmål", "borås"]):
        make(services, all_types_version, case_reference=f"X-{n}", branch=branch)
    order = lambda: [r.branch for r in services.assessments.list(AssessmentFilter(sort="branch", descending=False))]  # noqa: E731
    i18n.set_language("sv")
    try:
        assert order() == ["Alingsås", "borås", "Zinkgruvan", "Åmål", "Ängelholm", "Örebro"]
    finally:
        i18n.set_language("en")
    assert order() == ["Alingsås", "Åmål", "Ängelholm", "borås", "Örebro", "Zinkgruvan"]  # accents folded


def test_the_list_flags_a_signed_case_whose_hash_was_recomputed_after_a_change(services, all_types_version):
    """Changed behind the application's back with its signed hash recomputed to match the new data:
    the list still shows it "tampered" (the hash its sign event recorded differs), an intact signed
    case and a completed one not; the sync's check (AuditService.record_problems) agrees."""
    from sqlalchemy import update

    from app.exchange.assessment_format import content_hash
    from tests.pdf.conftest import fill_case

    forged, intact = fill_case(services, all_types_version), fill_case(services, all_types_version)
    completed = fill_case(services, all_types_version)
    for case_id in (forged, intact):
        services.records.sign(case_id, "Signe")
    listed = services.assessments.summaries([forged, intact, completed])
    assert not any(s.tampered for s in listed.values())
    assert services.audit.record_problems([forged, intact, completed]) == {}
    with services.db.engine.begin() as conn:  # a colleague with the file, as the app computes the hash
        conn.execute(update(AssessmentRow).where(AssessmentRow.id == forged)
                     .values(amount_granted=AssessmentRow.amount_granted + 1000))
    forged_hash = content_hash(services.assessments.get(forged))
    with services.db.engine.begin() as conn:
        conn.execute(update(AssessmentRow).where(AssessmentRow.id == forged).values(signed_hash=forged_hash))
    assert services.records.matches_signature(services.assessments.get(forged))  # the data check alone passes
    listed = services.assessments.summaries([forged, intact, completed])
    assert [listed[i].tampered for i in (forged, intact, completed)] == [True, False, False]
    assert [s.id for s in services.assessments.list() if s.tampered] == [forged]
    assert set(services.audit.record_problems([forged, intact, completed])) == {forged}


@pytest.mark.parametrize("char", ["\x00", "\x01", "\t", "\n", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff"])
def test_a_fact_with_an_invisible_character_is_refused_with_its_field(services, all_types_version, char):
    """Pasted or imported control characters: invisible on screen, and no spreadsheet or PDF export
    can hold some of them; the facts say which field, the case is not created."""
    before = services.assessments.count()
    with pytest.raises(FactsError) as info:
        make(services, all_types_version, case_reference="GBG" + char + "1", advisor="Åsa" + char,
             branch="Göteborg")
    assert {f for f, _m in info.value.problems} == {"case_reference", "advisor"}
    assert f"U+{ord(char):04X}" in str(info.value)
    assert services.assessments.count() == before
    make(services, all_types_version, case_reference="GBG-Ö 1", advisor="Élodie Fèvre-Åström")  # letters are fine

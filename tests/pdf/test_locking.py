"""Signing locks a case; amendments are new revisions; the storage guard backs the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import LockedAssessmentError
from app.exchange.assessment_format import content_hash
from app.pdf.strokes import DrawingError
from app.services.records import AmendmentExistsError
from app.storage.models import AnswerRow, AssessmentRow, EventRow, SignedDocumentRow
from tests.pdf.conftest import drawing, fill_case

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)


def _events(services, aid):
    with services.db.session() as s:
        return [e.kind for e in s.scalars(select(EventRow).where(EventRow.entity_id == aid).order_by(EventRow.at))]


def test_signing_needs_a_completed_case_and_locks_it(services, all_types_version):
    aid = fill_case(services, all_types_version, complete=False)
    with pytest.raises(LockedAssessmentError):
        services.records.sign(aid)
    services.assessments.complete(aid)
    rec = services.records.sign(aid, "Åsa Lindström")
    assert rec.status == "signed" and rec.signed_by == "Åsa Lindström" and rec.signed_at is not None
    assert rec.signed_hash == content_hash(rec) and len(rec.signed_hash) == 64
    assert services.records.is_intact(aid)
    assert _events(services, aid)[-1] == "assessment.signed"
    with pytest.raises(LockedAssessmentError):
        services.records.sign(aid)


def test_a_signed_case_cannot_be_changed_through_the_services(services, all_types_version):
    aid = fill_case(services, all_types_version)
    services.records.sign(aid)
    before = services.assessments.get(aid)
    attempts = [
        lambda: services.assessments.set_answer(aid, "channel", "video"),
        lambda: services.assessments.set_comment(aid, "channel", "changed"),
        lambda: services.assessments.update_facts(aid, before.facts),
        lambda: services.assessments.delete_draft(aid),
        lambda: services.assessments.complete(aid),
        lambda: services.records.set_drawing(aid, drawing()),
        lambda: services.records.clear_drawing(aid),
    ]
    for attempt in attempts:
        with pytest.raises(LockedAssessmentError):
            attempt()
    after = services.assessments.get(aid)
    assert after.answers == before.answers and after.comments == before.comments
    assert after.signed_hash == before.signed_hash and services.records.is_intact(aid)


def test_the_storage_guard_refuses_changes_to_a_signed_row(services, all_types_version):
    aid = fill_case(services, all_types_version)
    services.records.sign(aid)
    changes = [
        lambda s: setattr(s.get(AssessmentRow, aid), "advisor", "Someone else"),
        lambda s: setattr(s.get(AssessmentRow, aid), "status", "completed"),
        lambda s: setattr(s.get(AssessmentRow, aid), "signature_drawing", None),
        lambda s: setattr(s.get(AssessmentRow, aid), "signed_hash", "0" * 64),
        lambda s: setattr(s.scalars(select(AnswerRow).where(AnswerRow.assessment_id == aid)).first(), "comment", "x"),
        lambda s: s.add(AnswerRow(assessment=s.get(AssessmentRow, aid), item_key="summary2", value="x", comment="")),
        lambda s: s.delete(s.scalars(select(AnswerRow).where(AnswerRow.assessment_id == aid)).first()),
        lambda s: s.delete(s.get(AssessmentRow, aid)),
    ]
    for change in changes:
        with pytest.raises(LockedAssessmentError):
            with services.db.session() as s:
                change(s)
    assert services.records.is_intact(aid)


def test_a_completed_case_takes_a_drawing_but_nothing_else(services, all_types_version):
    aid = fill_case(services, all_types_version, with_drawing=False)
    rec = services.records.set_drawing(aid, drawing())
    assert rec.signature_drawing["strokes"][1] == [[40.0, 20.0], [60.0, 100.0]]
    assert services.records.clear_drawing(aid).signature_drawing is None
    with pytest.raises(LockedAssessmentError):
        with services.db.session() as s:
            s.get(AssessmentRow, aid).signed_hash = "0" * 64  # signing fields only with status signed
    assert _events(services, aid)[-2:] == ["assessment.drawing_set", "assessment.drawing_cleared"]


@pytest.mark.parametrize("bad", [
    {"format": "other", "width": 1, "height": 1, "strokes": []},
    {"width": 0, "height": 10, "strokes": [[[1, 1]]]},
    {"width": 10, "height": 10, "strokes": [[[1, "x"]]]},
    {"width": 10, "height": 10, "strokes": [[[1, float("nan")]]]},
    {"width": 10, "height": 10, "strokes": "no"},
])
def test_a_malformed_drawing_is_refused(services, all_types_version, bad):
    aid = fill_case(services, all_types_version, complete=False, with_drawing=False)
    with pytest.raises(DrawingError):
        services.records.set_drawing(aid, bad)


def test_an_amendment_is_a_new_revision_and_the_original_stays_intact(services, all_types_version):
    aid = fill_case(services, all_types_version)
    original = services.records.sign(aid)
    with pytest.raises(LockedAssessmentError):
        services.records.amend(fill_case(services, all_types_version))  # completed, not signed: no amendment
    new_id = services.records.amend(aid)
    amendment = services.assessments.get(new_id)
    assert amendment.status == "draft" and amendment.revision == 2 and amendment.amends_id == aid
    assert amendment.answers == original.answers and amendment.comments == original.comments
    assert amendment.facts == original.facts and amendment.template_version_id == original.template_version_id
    assert amendment.signature_drawing is None  # a new revision is signed anew

    services.assessments.set_answer(new_id, "channel", "video", comment="Rättat efter samtal")
    services.assessments.complete(new_id)
    services.records.sign(new_id)

    again = services.assessments.get(aid)
    assert again.status == "signed" and again.answers["channel"] == "office"
    assert again.signed_hash == original.signed_hash == content_hash(again)
    assert services.records.is_intact(aid) and services.records.is_intact(new_id)
    with pytest.raises(AmendmentExistsError) as info:
        services.records.amend(aid)
    assert info.value.existing == new_id
    third = services.records.amend(new_id)
    chain = services.records.chain(new_id)
    assert [(r.id, r.revision, r.status) for r in chain] == [
        (aid, 1, "signed"), (new_id, 2, "signed"), (third, 3, "draft")]
    assert services.records.chain(aid) == chain
    assert _events(services, new_id)[0] == "assessment.amended"


def test_signed_documents_are_never_changed(services, all_types_version, identity, tmp_path):
    from tests.pdf.conftest import PASSWORD

    aid = fill_case(services, all_types_version)
    result = services.summaries.export_pdf(aid, tmp_path / "s.pdf", lang="en", identity=identity, password=PASSWORD)
    docs = services.records.signed_documents(aid)
    assert [d.id for d in docs] == [result.document_id] and docs[0].sha256 == result.sha256
    assert services.records.signed_document(result.document_id) == (tmp_path / "s.pdf").read_bytes()
    with pytest.raises(LockedAssessmentError):
        with services.db.session() as s:
            s.get(SignedDocumentRow, result.document_id).content = b"%PDF-forged"
    with pytest.raises(LockedAssessmentError):
        with services.db.session() as s:
            s.delete(s.get(SignedDocumentRow, result.document_id))

"""Private reflection items stay in the case: never in the summary PDF (pdftotext), never in the
per-case export embedded in it, never in the signed content; a signed summary still re-imports."""

from __future__ import annotations

from app.exchange.assessment_format import content_hash, signed_content
from app.pdf.document import read_embedded
from tests.pdf.conftest import PASSWORD, swedish_facts
from tests.pdf.helpers import pdftotext

SECRET = "Jag hade nog frågat en man om tillväxt i stället"


def _reflective_case(services):
    version = services.templates.find_version("credit_decision")
    facts = swedish_facts(meeting_type="credit_decision", standard_rate=None, collateral_value=None)
    aid = services.assessments.create(version.id, facts)
    services.assessments.set_answers(aid, {"same_advice": "no", "same_terms": "unsure", "what_would_differ": SECRET,
                                           "term_deviations": "unfavourable_other"})
    services.assessments.set_comment(aid, "same_terms", "PRIVAT-KOMMENTAR")
    return aid


def test_no_private_item_reaches_the_pdf_or_the_export(services, identity, tmp_path):
    aid = _reflective_case(services)
    rec = services.assessments.get(aid)
    assert rec.answers["what_would_differ"] == SECRET  # kept in the case
    assert {"same_advice", "same_terms"} <= {f.item_key for f in rec.evaluation().flags()}  # counted for aggregates
    out = tmp_path / "summary.pdf"
    services.summaries.export_pdf(aid, out, lang="sv")
    text = pdftotext(out)
    content = rec.content
    for key in ("same_advice", "same_terms", "what_would_differ"):
        assert content.text(content.item(key).label, "sv")[:40] not in text, key
    assert SECRET not in text and "PRIVAT-KOMMENTAR" not in text
    assert "villkoren avviker" in text.lower() or content.text(content.item("term_deviations").label, "sv")[:30] in text
    embedded = read_embedded(out.read_bytes())
    keys = {a["item"] for a in embedded["answers"]}
    assert keys == {"term_deviations"}
    assert not {"same_advice", "same_terms", "what_would_differ"} & set(embedded["flags"])
    assert SECRET not in str(embedded) and SECRET not in str(rec.to_dict())
    assert "what_would_differ" not in signed_content(rec)["answers"]


def test_a_signed_summary_with_private_answers_verifies_and_reimports(services, identity, tmp_path, db_path):
    aid = _reflective_case(services)
    services.assessments.set_answers(aid, {k: v for k, v in {
        "meeting_attendees": "one_person", "same_information": "yes", "neutral_language": "yes",
        "family_questions": "no", "growth_questions": "yes", "standard_documents": "yes",
        "selective_encouragement": "same", "written_criteria": "yes", "plan_strength": 3, "exception_made": "no",
        "collateral_standard": "standard", "steered_to_microcredit": "no", "processing_time_normal": "yes",
        "reasons_given": "yes", "incomplete_handling": None}.items() if v is not None})
    rec = services.assessments.complete(aid)
    out = tmp_path / "signed.pdf"
    services.summaries.export_pdf(aid, out, lang="en", identity=identity, password=PASSWORD)
    signed = services.assessments.get(aid)
    assert signed.status == "signed" and signed.signed_hash == content_hash(signed)
    assert services.records.is_intact(aid)
    assert rec is not None and SECRET not in pdftotext(out)
    # the embedded data alone recomputes the signed hash: the PDF imports as a signed case elsewhere
    from app.bootstrap import start

    other = start(tmp_path / "other.sqlite", language="en")
    result = other.summaries.import_pdf(out)
    assert result.status == "signed"
    assert "what_would_differ" not in other.assessments.get(aid).answers
    other.db.close()

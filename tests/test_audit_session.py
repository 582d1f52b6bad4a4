"""A normal session of work leaves an intact audit log with old and new values (issue 13)."""

from __future__ import annotations

import csv
import shutil
import stat

from app.services.audit import AuditFilter
from tests.conftest import DATA
from tests.pdf.conftest import PASSWORD, fill_case


def test_a_session_of_work_leaves_an_intact_log_with_old_and_new_values(services, all_types_version, identity,
                                                                          tmp_path):
    aid = fill_case(services, all_types_version, complete=False)
    services.assessments.set_answer(aid, "channel", "video", comment="moved to video")
    facts = services.assessments.get(aid).facts
    facts.advisor = "Björn Berg"
    services.assessments.update_facts(aid, facts)
    services.assessments.complete(aid)
    services.summaries.export_pdf(aid, tmp_path / "signed.pdf", lang="en", identity=identity, password=PASSWORD)
    services.summaries.export_pdf(aid, tmp_path / "plain.pdf", lang="sv")
    new = services.records.amend(aid)
    services.trust.add(identity.certificate_path)
    draft = services.templates.create_draft(all_types_version.id)
    content = services.templates.content(draft.id)
    services.templates.update_draft(draft.id, content)
    services.templates.publish(draft.id)

    # the signed PDF imported into a second database
    from app.bootstrap import start

    other = start(tmp_path / "other.sqlite", language="en")
    other.templates.import_file(DATA / "all_types.json")
    assert other.summaries.import_pdf(tmp_path / "signed.pdf").status == "signed"
    assert other.audit.verify().state == "intact" and other.audit.verify_records() == []
    imported = other.audit.list(AuditFilter(kind="assessment.imported"))
    assert imported[0].payload["pdf_sha256"] and imported[0].payload["signed_hash"]
    other.db.close()

    verdict = services.audit.verify()
    assert verdict.state == "intact", verdict.problems
    assert services.audit.verify_records() == []
    kinds = [e.kind for e in services.audit.list()]
    for kind in ("assessment.created", "assessment.answers_set", "assessment.facts_updated", "assessment.completed",
                 "assessment.signed", "assessment.pdf_signed", "assessment.pdf_exported", "assessment.amended",
                 "trust.added", "template.draft_created", "template.draft_updated", "template.published"):
        assert kind in kinds, kind
    seqs = [e.seq for e in services.audit.list()]
    assert seqs == list(range(1, len(seqs) + 1))

    case = services.audit.list(AuditFilter(assessment_id=aid))
    assert {e.entity_id for e in case} == {aid, new}  # the case's revisions too
    answers = [e for e in case if e.kind == "assessment.answers_set"]
    assert answers[0].payload["changes"]["channel"] == {"old": None, "new": "office"}
    assert answers[-1].payload["changes"]["channel"] == {"old": "office", "new": "video", "old_comment": "",
                                                         "new_comment": "moved to video"}
    assert "channel: office \u2192 video" in answers[-1].change_text()
    fact_change = next(e for e in case if e.kind == "assessment.facts_updated")
    assert fact_change.payload["changes"]["advisor"] == {"old": "Åsa Lindström", "new": "Björn Berg"}
    signed = next(e for e in case if e.kind == "assessment.signed")
    rec = services.assessments.get(aid)
    doc = services.records.signed_documents(aid)[0]
    assert signed.payload["signed_hash"] == rec.signed_hash and signed.payload["pdf_sha256"] == doc.sha256
    exported = next(e for e in case if e.kind == "assessment.pdf_exported")
    assert len(exported.payload["sha256"]) == 64 and exported.case_reference == rec.facts.case_reference
    assert {e.what for e in case} >= {"Case created", "Answers changed", "Case signed"}

    # template events say which template and version, not only what happened
    published = next(e for e in services.audit.list(AuditFilter(kind="template.published")))
    assert published.change_text() == "version 2"
    added = [e.change_text() for e in services.audit.list(AuditFilter(kind="template.version_added"))]
    assert "template all_types, version 1" in added

    out = tmp_path / "audit.csv"
    assert services.audit.export_csv(out) == len(kinds)
    rows = list(csv.DictReader(out.read_text("utf-8-sig").splitlines()))
    assert rows[0]["seq"] == "1" and len(rows[-1]["mac"]) == 64


def test_the_key_and_anchor_are_private_and_made_with_the_database(services):
    from app.storage.audit import audit_dir

    folder = audit_dir()
    keys = list(folder.glob("*.key"))
    anchors = list(folder.glob("*.anchor"))
    assert len(keys) == 1 and len(anchors) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(keys[0].stat().st_mode) == 0o600 and stat.S_IMODE(anchors[0].stat().st_mode) == 0o600
    assert services.audit.verify().state == "intact"


def test_entries_of_an_older_database_are_sealed_on_first_open_and_that_is_an_event(tmp_path):
    from app.bootstrap import start

    path = tmp_path / "old.sqlite"
    shutil.copyfile(DATA / "likvard-0001.sqlite", path)
    services = start(path, language="en", install_bundled=False)
    try:
        entries = services.audit.list()
        sealed = [e for e in entries if e.kind == "audit.sealed"]
        assert len(sealed) == 1 and sealed[0].payload["count"] == len(entries) - 1 >= 3
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        assert services.audit.verify().state == "intact"
    finally:
        services.db.close()
    again = start(path, language="en", install_bundled=False)
    try:
        assert len([e for e in again.audit.list() if e.kind == "audit.sealed"]) == 1  # sealed once
    finally:
        again.db.close()

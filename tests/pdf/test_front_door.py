"""The services are the one front door: case references on the CLI, the trust list records events."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.errors import LikvardError
from app.services.assessments import AmbiguousReferenceError
from app.storage.models import EventRow
from tests.conftest import run_cli
from tests.pdf.conftest import fill_case


def test_a_case_is_named_by_its_id_or_its_reference(services, all_types_version):
    aid = fill_case(services, all_types_version, case_reference="MLM-7")
    assert services.assessments.resolve(str(aid)) == aid
    assert services.assessments.resolve(" MLM-7 ") == aid
    with pytest.raises(LikvardError, match="NOPE"):
        services.assessments.resolve("NOPE")
    # a reference names one case, but an amendment shares its original's reference
    services.records.sign(aid)
    second = services.records.amend(aid)
    with pytest.raises(AmbiguousReferenceError) as caught:
        services.assessments.resolve("MLM-7")
    assert set(caught.value.candidates) == {aid, second}
    assert str(aid) in caught.value.message and str(second) in caught.value.message


def test_the_command_line_accepts_a_case_reference(services, all_types_version, db_path, tmp_path):
    aid = fill_case(services, all_types_version, case_reference="MLM-8")
    services.db.close()
    shown = run_cli("assessments", "show", "MLM-8", "--json", "--db", str(db_path))
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == str(aid)
    out = tmp_path / "by-ref.pdf"
    exported = run_cli("export-pdf", "MLM-8", str(out), "--db", str(db_path))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    signed = run_cli("sign", "MLM-8", "--by", "Åsa", "--db", str(db_path))
    assert signed.returncode == 0, signed.stderr
    amended = run_cli("amend", "MLM-8", "--db", str(db_path))
    assert amended.returncode == 0, amended.stderr
    # the original and its amendment share the reference now: a clear error names both
    again = run_cli("assessments", "show", "MLM-8", "--db", str(db_path))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert str(aid) in again.stderr and "2 assessments" in again.stderr


def test_a_trust_list_change_is_recorded(services, identity, tmp_path):
    added = services.trust.add(identity.certificate_path)
    assert [t.fingerprint for t in services.trust.list()] == [identity.fingerprint]
    services.trust.remove(added[0].fingerprint[:16])
    assert services.trust.list() == []
    with services.db.session() as s:
        events = [(e.kind, e.payload["fingerprint"]) for e in s.scalars(
            select(EventRow).where(EventRow.kind.like("trust.%")).order_by(EventRow.at))]
    assert events == [("trust.added", identity.fingerprint), ("trust.removed", identity.fingerprint)]


def test_trust_changes_on_the_command_line_are_recorded_in_the_database(identity, db_path):
    assert run_cli("trust", "add", str(identity.certificate_path), "--db", str(db_path)).returncode == 0
    listed = run_cli("trust", "list", "--json")  # listing needs no database
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["fingerprint"] == identity.fingerprint
    from app.bootstrap import start

    services = start(db_path, language="en")
    try:
        with services.db.session() as s:
            kinds = [e.kind for e in s.scalars(select(EventRow).where(EventRow.kind.like("trust.%")))]
    finally:
        services.db.close()
    assert kinds == ["trust.added"]

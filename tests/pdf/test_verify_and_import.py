"""`likvard verify` exit codes and output; the embedded copy re-imported into another database."""

from __future__ import annotations

import json

import pytest

from app.services.summaries import ImportPdfError
from tests.conftest import DATA, run_cli
from tests.pdf.conftest import PASSWORD, fill_case
from tests.pdf.helpers import append_content_update


@pytest.fixture
def exported(services, all_types_version, identity, tmp_path):
    aid = fill_case(services, all_types_version)
    signed = tmp_path / "signed.pdf"
    services.summaries.export_pdf(aid, signed, lang="sv", identity=identity, password=PASSWORD)
    draft = fill_case(services, all_types_version, complete=False)
    plain = tmp_path / "plain.pdf"
    services.summaries.export_pdf(draft, plain, lang="en")
    return aid, signed, draft, plain


def test_verify_exit_codes(exported, identity, tmp_path):
    _aid, signed, _draft, plain = exported
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"this is not a pdf at all")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(signed.read_bytes()[:2000])
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(append_content_update(signed.read_bytes()))

    proc = run_cli("verify", str(signed))
    assert proc.returncode == 0, proc.stderr
    assert "Åsa Lindström" in proc.stdout and "intact" in proc.stdout
    assert "signer not in the trust list" in proc.stdout and "Signing time:" in proc.stdout

    proc = run_cli("verify", str(signed), "--trust", str(identity.certificate_path))
    assert proc.returncode == 0 and "Trust: trusted" in proc.stdout

    assert run_cli("verify", str(altered)).returncode == 1
    said = {}
    for path in (plain, garbage, truncated, tmp_path / "missing.pdf"):
        proc = run_cli("verify", str(path))
        assert proc.returncode == 2, (path, proc.stdout, proc.stderr)
        assert proc.stderr.strip()
        said[path] = proc.stderr
    assert "no digital signature" in said[plain]  # the run above (verify only reads the file)


def test_verify_uses_the_trust_list_and_reports_json(exported, identity):
    _aid, signed, _draft, _plain = exported
    assert run_cli("trust", "add", str(identity.certificate_path)).returncode == 0
    listing = run_cli("trust", "list", "--json")
    assert json.loads(listing.stdout)[0]["fingerprint"] == identity.fingerprint
    proc = run_cli("verify", str(signed), "--json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["state"] == "intact"
    sig = report["signatures"][0]
    assert sig["trust"] == "trusted" and sig["integrity"] == "intact" and sig["covers_whole_file"]
    assert sig["signer"] == "Åsa Lindström" and sig["organisation"] == "Kreditgarantiföreningen Väst"
    assert run_cli("trust", "remove", identity.fingerprint[:12]).returncode == 0
    assert json.loads(run_cli("verify", str(signed), "--json").stdout)["signatures"][0]["trust"] == "untrusted"


def test_verify_in_swedish(exported):
    _aid, signed, _draft, _plain = exported
    proc = run_cli("verify", str(signed), "--lang", "sv")
    assert proc.returncode == 0 and "Åsa Lindström" in proc.stdout


def _fresh_services(tmp_path, name="fresh.sqlite", with_template=True):
    from app.bootstrap import start

    svc = start(tmp_path / name, language="en")
    if with_template:
        svc.templates.import_file(DATA / "all_types.json")
    return svc


def test_the_embedded_json_round_trips_into_a_fresh_database(services, exported, tmp_path):
    aid, signed, draft, plain = exported
    original = services.assessments.get(aid)
    fresh = _fresh_services(tmp_path)
    try:
        result = fresh.summaries.import_pdf(signed)
        assert result.created and result.status == "signed" and result.signatures == 1
        copy = fresh.assessments.get(aid)
        assert copy.status == "signed" and copy.signed_hash == original.signed_hash
        assert copy.answers == original.answers and copy.comments == original.comments
        assert copy.facts == original.facts and copy.signature_drawing == original.signature_drawing
        assert copy.template_hash == original.template_hash and copy.signed_by == original.signed_by
        assert fresh.records.is_intact(aid)
        assert fresh.records.signed_documents(aid)[0].size == signed.stat().st_size  # the signed PDF is kept
        assert not fresh.summaries.import_pdf(signed).created  # once only

        again = fresh.summaries.import_pdf(plain)
        assert again.created and again.status == "draft"
        assert fresh.assessments.get(draft).answers == services.assessments.get(draft).answers
    finally:
        fresh.db.close()


def test_import_needs_the_template_version_and_changes_nothing_without_it(exported, tmp_path):
    _aid, signed, _draft, _plain = exported
    fresh = _fresh_services(tmp_path, with_template=False)
    try:
        with pytest.raises(ImportPdfError) as info:
            fresh.summaries.import_pdf(signed)
        assert "all_types" in info.value.message and "import that template version first" in info.value.message
        assert fresh.assessments.count() == 0
    finally:
        fresh.db.close()


def test_import_refuses_an_altered_pdf_and_a_pdf_without_data(exported, tmp_path):
    _aid, signed, _draft, _plain = exported
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(append_content_update(signed.read_bytes()))
    other = tmp_path / "other.pdf"
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(other))
    c.drawString(100, 700, "Not a summary")
    c.save()
    fresh = _fresh_services(tmp_path)
    try:
        with pytest.raises(ImportPdfError, match="altered"):
            fresh.summaries.import_pdf(altered)
        with pytest.raises(ImportPdfError, match="no Likvärd assessment data"):
            fresh.summaries.import_pdf(other)
        assert fresh.assessments.count() == 0
    finally:
        fresh.db.close()


def test_import_pdf_on_the_command_line(exported, tmp_path):
    aid, signed, _draft, _plain = exported
    db = tmp_path / "cli.sqlite"
    assert run_cli("templates", "import", str(DATA / "all_types.json"), "--db", str(db)).returncode == 0
    proc = run_cli("import-pdf", str(signed), "--db", str(db))
    assert proc.returncode == 0 and str(aid) in proc.stdout
    shown = json.loads(run_cli("assessments", "show", str(aid), "--json", "--db", str(db)).stdout)
    assert shown["status"] == "signed"
    proc = run_cli("import-pdf", str(signed), "--db", str(tmp_path / "empty.sqlite"))
    assert proc.returncode == 1 and "import that template version first" in proc.stderr


def test_an_amendment_imports_after_the_revision_it_amends(services, all_types_version, identity, tmp_path):
    aid = fill_case(services, all_types_version)
    first = tmp_path / "rev1.pdf"
    services.summaries.export_pdf(aid, first, lang="en", identity=identity, password=PASSWORD)
    new_id = services.records.amend(aid)
    services.assessments.set_answer(new_id, "channel", "video", comment="Rättat")
    services.assessments.complete(new_id)
    second = tmp_path / "rev2.pdf"
    services.summaries.export_pdf(new_id, second, lang="en", identity=identity, password=PASSWORD)

    fresh = _fresh_services(tmp_path)
    try:
        with pytest.raises(ImportPdfError, match="import that one's PDF first"):
            fresh.summaries.import_pdf(second)
        assert fresh.assessments.count() == 0
        fresh.summaries.import_pdf(first)
        fresh.summaries.import_pdf(second)
        chain = fresh.records.chain(new_id)
        assert [(r.id, r.revision, r.status) for r in chain] == [(aid, 1, "signed"), (new_id, 2, "signed")]
        assert fresh.records.is_intact(aid) and fresh.records.is_intact(new_id)
    finally:
        fresh.db.close()

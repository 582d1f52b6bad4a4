"""Digital signatures: pdfsig agrees, tampering is caught, failures write nothing and lock nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.errors import LockedAssessmentError, WrongPasswordError
from app.exchange.assessment_format import content_hash
from app.fileio import FileWriteError
from app.pdf.verify import verify_pdf
from app.storage.models import SignedDocumentRow
from tests.conftest import run_cli
from tests.pdf.conftest import PASSWORD, fill_case
from tests.pdf.helpers import append_content_update, flip_byte_in_signed_range, pdfsig, pdftotext, qpdf_check, words


@pytest.fixture
def signed_pdf(services, all_types_version, identity, tmp_path):
    aid = fill_case(services, all_types_version)
    out = tmp_path / "signed.pdf"
    result = services.summaries.export_pdf(aid, out, lang="sv", organisation="Kreditgarantiföreningen Väst",
                                         identity=identity, password=PASSWORD)
    return aid, out, result


def test_pdfsig_reports_the_signature_valid_and_covering_the_whole_file(signed_pdf):
    _aid, out, _result = signed_pdf
    report = pdfsig(out)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Åsa Lindström" in report
    assert "ETSI.CAdES.detached" in report  # PAdES
    assert "SHA-256" in report or "SHA256" in report
    check = qpdf_check(out)
    assert check.returncode == 0, check.stdout + check.stderr


def test_signing_locks_the_case_and_embeds_the_signed_data(services, signed_pdf, identity):
    from app.pdf.document import read_embedded

    aid, out, result = signed_pdf
    rec = services.assessments.get(aid)
    assert rec.status == "signed" and rec.signed_by == "Åsa Lindström" and rec.signed_hash == content_hash(rec)
    data = read_embedded(out.read_bytes())
    assert data["status"] == "signed" and data["signed_hash"] == rec.signed_hash
    assert data["signature_drawing"] == rec.signature_drawing
    text = words(pdftotext(out))
    assert rec.signed_hash in text  # printed with the signature block
    assert "Signerad med Likvärd" in text and "Digitalt signerad av Åsa Lindström" in text  # the stamp, in Swedish
    assert "Digital signatur: Åsa Lindström" in text and "Signed with" not in text
    docs = services.records.signed_documents(aid)
    assert len(docs) == 1 and docs[0].certificate_sha256 == identity.fingerprint
    report = verify_pdf(out, [identity.certificate()])
    assert report.state == "intact" and report.signatures[0].trust == "trusted"
    assert report.signatures[0].covers_whole_file


def test_a_signed_case_can_be_exported_and_signed_again(services, signed_pdf, identity, tmp_path):
    aid, _out, _result = signed_pdf
    before = services.assessments.get(aid)
    again = services.summaries.export_pdf(aid, tmp_path / "again.pdf", lang="en", identity=identity, password=PASSWORD)
    assert again.signed and services.assessments.get(aid).signed_at == before.signed_at
    assert len(services.records.signed_documents(aid)) == 2


@pytest.mark.parametrize("tool", ["pdfsig", "likvard"])
def test_a_changed_byte_in_the_signed_range_is_reported_invalid(signed_pdf, tmp_path, tool):
    _aid, out, _result = signed_pdf
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(flip_byte_in_signed_range(out.read_bytes()))
    if tool == "pdfsig":
        report = pdfsig(forged)
        assert "Signature Validation: Signature is Valid." not in report
        assert "Digest Mismatch" in report or "Invalid" in report
    else:
        proc = run_cli("verify", str(forged))
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "altered" in proc.stdout and "NOT intact" in proc.stderr


def test_an_incremental_update_changing_content_is_detected(signed_pdf, tmp_path):
    _aid, out, _result = signed_pdf
    forged = tmp_path / "appended.pdf"
    forged.write_bytes(append_content_update(out.read_bytes()))
    assert "Approved: 1 000 000 SEK" in pdftotext(forged, 1, 1)  # the forgery shows on the page
    result = verify_pdf(forged)
    assert result.state == "altered" and result.exit_code == 1
    assert result.signatures[0].integrity == "altered" and not result.signatures[0].covers_whole_file
    proc = run_cli("verify", str(forged))
    assert proc.returncode == 1
    assert "changed after it was signed" in proc.stdout


def test_a_wrong_password_gives_a_clear_error_and_no_file(services, all_types_version, identity, tmp_path):
    aid = fill_case(services, all_types_version)
    out = tmp_path / "never.pdf"
    with pytest.raises(WrongPasswordError) as info:
        services.summaries.export_pdf(aid, out, lang="en", identity=identity, password="wrong")
    assert "password" in info.value.message and identity.name in info.value.message
    assert not out.exists() and not list(tmp_path.glob(".never.pdf*"))
    assert services.assessments.get(aid).status == "completed"  # not locked
    with services.db.session() as s:
        assert s.scalars(select(SignedDocumentRow)).first() is None

    proc = run_cli("export-pdf", str(aid), str(out), "--sign", "--password-env", "LIKVARD_TEST_PW",
                   env={"LIKVARD_TEST_PW": "wrong", "LIKVARD_DB": str(services.db.path)})
    assert proc.returncode == 1
    assert "password" in proc.stderr and "wrong" in proc.stderr
    assert not out.exists()
    proc = run_cli("export-pdf", str(aid), str(out), "--sign", "--password-env", "LIKVARD_UNSET_VAR",
                   env={"LIKVARD_DB": str(services.db.path)})
    assert proc.returncode == 1 and "LIKVARD_UNSET_VAR" in proc.stderr and not out.exists()


def test_an_unwritable_output_path_gives_a_clear_error(services, all_types_version, identity, tmp_path):
    aid = fill_case(services, all_types_version)
    for target in (tmp_path / "missing-folder" / "out.pdf", tmp_path):
        with pytest.raises(FileWriteError) as info:
            services.summaries.export_pdf(aid, target, lang="en", identity=identity, password=PASSWORD)
        assert str(target.name) in info.value.message or "folder" in info.value.message
    assert services.assessments.get(aid).status == "completed"  # nothing locked
    proc = run_cli("export-pdf", str(aid), str(tmp_path / "missing-folder" / "out.pdf"),
                   env={"LIKVARD_DB": str(services.db.path)})
    assert proc.returncode == 1 and "does not exist" in proc.stderr


def test_a_draft_is_not_signed(services, all_types_version, identity, tmp_path):
    aid = fill_case(services, all_types_version, complete=False)
    with pytest.raises(LockedAssessmentError):
        services.summaries.export_pdf(aid, tmp_path / "d.pdf", lang="en", identity=identity, password=PASSWORD)
    assert not (tmp_path / "d.pdf").exists()


def test_the_password_is_never_logged(services, all_types_version, tmp_path, caplog):
    import logging

    from app.pdf.identity import create_identity

    caplog.set_level(logging.DEBUG)
    secret = "unik-lösen-1234"
    ident = create_identity("Bo Ek", "Org", secret)
    aid = fill_case(services, all_types_version)
    services.summaries.export_pdf(aid, tmp_path / "p.pdf", lang="en", identity=ident, password=secret)
    with pytest.raises(WrongPasswordError):
        services.summaries.export_pdf(aid, tmp_path / "q.pdf", lang="en", identity=ident, password=secret + "x")
    assert secret not in caplog.text
    assert secret.encode() not in ident.path.read_bytes()
    with services.db.session() as s:
        from app.storage.models import EventRow

        assert secret not in json.dumps([e.payload for e in s.scalars(select(EventRow))], ensure_ascii=False)

"""Issue 13 item 1: no forged PDF becomes a signed case.

Only a PDF whose one digital signature verifies over the whole file (no later update, nothing
appended) may create a signed, locked case, and the signer recorded is the certificate's. Each
forgery below is imported into a fresh database: it is refused, or it becomes an unsigned draft.
"""

from __future__ import annotations

import dataclasses
import io
import re

import pytest

from app.exchange.assessment_format import content_hash, write_assessment
from app.services.summaries import ImportPdfError
from tests.conftest import DATA
from tests.pdf.conftest import PASSWORD, fill_case
from tests.pdf.helpers import append_content_update, flip_byte_in_signed_range

FLIPPED = {"family_asked": "no"}  # the forger's change: an answer that raised a flag


def _fresh(tmp_path, name):
    from app.bootstrap import start

    svc = start(tmp_path / f"{name}.sqlite", language="en")
    svc.templates.import_file(DATA / "all_types.json")
    return svc


def _forged_record(rec, *, answers=None, signed_by=None, rehash=True, **changes):
    forged = dataclasses.replace(rec, answers={**rec.answers, **(answers or {})}, **changes)
    if signed_by is not None:
        forged = dataclasses.replace(forged, signed_by=signed_by)
    if rehash:
        forged = dataclasses.replace(forged, signed_hash=content_hash(forged))
    return forged


def _replace_embedded(pdf: bytes, data: dict, *, in_place: bool) -> bytes:
    """An incremental update that replaces the embedded JSON: a new stream object for the same
    name (``in_place=False``) or new content for the existing stream object (``in_place=True``)."""
    import json

    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    payload = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if in_place:
        names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
        spec = names[1].get_object()
        ref = spec["/EF"].raw_get("/F")
        stream = ref.get_object()
        stream._data = payload  # re-encoded (Flate) on write
        stream._encoded_data = None
        stream["/Params"] = generic.DictionaryObject({generic.NameObject("/Size"): generic.NumberObject(len(payload))})
        writer.mark_update(ref)
    else:
        names = writer.root["/Names"]["/EmbeddedFiles"]
        del names["/Names"]  # drop the signed entry; embed_file starts a new name tree
        writer.update_container(names)
        stream = embed.EmbeddedFileObject.from_file_data(writer, data=payload, mime_type="application/json")
        embed.embed_file(writer, embed.FileSpec(file_spec_string="likvard-assessment.json",
                                                file_name="likvard-assessment.json", embedded_data=stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _remove_signature_value(pdf: bytes, data: dict | None = None) -> bytes:
    """An incremental update that removes the signature dictionary (/V) of the field (and, with
    ``data``, replaces the embedded JSON in the same update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if "/V" in field:
            del field["/V"]
            writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    stripped = out.getvalue()
    return _replace_embedded(stripped, data, in_place=False) if data is not None else stripped


def _transplant_contents(target: bytes, donor: bytes) -> bytes:
    """Put the CMS signature of ``donor`` into ``target``'s /Contents (padded to its length)."""
    pattern = re.compile(rb"/Contents\s*<([0-9a-fA-F]+)>")
    t, d = pattern.search(target), pattern.search(donor)
    hexed = d.group(1)[: len(t.group(1))].ljust(len(t.group(1)), b"0")
    return target[: t.start(1)] + hexed + target[t.end(1):]


@pytest.fixture
def genuine(services, all_types_version, identity, tmp_path):
    aid = fill_case(services, all_types_version)
    path = tmp_path / "genuine.pdf"
    services.summaries.export_pdf(aid, path, lang="sv", identity=identity, password=PASSWORD)
    return services.assessments.get(aid), path.read_bytes()


def test_the_genuine_signed_summary_imports_as_signed_by_its_certificate(genuine, tmp_path):
    rec, pdf = genuine
    (tmp_path / "g.pdf").write_bytes(pdf)
    fresh = _fresh(tmp_path, "control")
    try:
        result = fresh.summaries.import_pdf(tmp_path / "g.pdf")
        assert result.created and result.status == "signed" and result.signer == "Åsa Lindström"
        assert fresh.assessments.get(rec.id).signed_by == "Åsa Lindström" and not result.downgraded
    finally:
        fresh.db.close()


def test_no_forgery_becomes_a_signed_case(services, genuine, tmp_path):
    from app.pdf.identity import create_identity, load_signer

    rec, pdf = genuine
    summaries = services.summaries
    mallory = create_identity("Mallory Forger", "Elsewhere AB", PASSWORD)
    mallory_signer = {"signer": load_signer(mallory, PASSWORD), "name": "Mallory Forger",
                      "organisation": "Elsewhere AB", "fingerprint": mallory.fingerprint}
    lookalike = create_identity("Åsa Lindström", "Kreditgarantiföreningen Väst", PASSWORD, key_type="ec")
    lookalike_signer = {"signer": load_signer(lookalike, PASSWORD), "name": "Åsa Lindström",
                        "organisation": "Kreditgarantiföreningen Väst", "fingerprint": lookalike.fingerprint}

    def unsigned(forged):
        return summaries.render_pdf(forged, "sv")[0]

    flipped = _forged_record(rec, answers=FLIPPED)
    forgeries = {
        "signature stripped (re-rendered without it), data unchanged": unsigned(rec),
        "signature stripped, an answer flipped, hash recomputed": unsigned(flipped),
        "signature stripped, signed_by changed to the head of credit": unsigned(
            _forged_record(rec, signed_by="Head of Credit")),
        "signature stripped, status signed without any hash": unsigned(
            dataclasses.replace(flipped, signed_hash=None)),
        "signature stripped, a completed case claimed signed": unsigned(_forged_record(
            dataclasses.replace(rec, status="completed", signed_at=None, signed_by=None, signed_hash=None),
            answers=FLIPPED, status="signed", signed_by="Åsa Lindström")),
        "signature dictionary removed by an incremental update": _remove_signature_value(pdf),
        "signature dictionary removed and the embedded JSON replaced in one update": _remove_signature_value(
            pdf, write_assessment(flipped, "sv")),
        "incremental update replacing the embedded file with an edited copy": _replace_embedded(
            pdf, write_assessment(flipped, "sv"), in_place=False),
        "incremental update rewriting the embedded stream object in place": _replace_embedded(
            pdf, write_assessment(flipped, "sv"), in_place=True),
        "incremental update changing only signed_by": _replace_embedded(
            pdf, write_assessment(_forged_record(rec, signed_by="Head of Credit", rehash=False), "sv"),
            in_place=False),
        "incremental update adding visible content": append_content_update(pdf),
        "one byte changed inside the signed range": flip_byte_in_signed_range(pdf),
        "edited copy signed by another key, still claiming the original signer": summaries.render_pdf(
            flipped, "sv", sign=mallory_signer)[0],
        "the genuine CMS signature transplanted into an edited copy": _transplant_contents(
            summaries.render_pdf(flipped, "sv", sign=mallory_signer)[0], pdf),
        "a JSON copy appended after %%EOF": pdf + b"\n" + repr(write_assessment(flipped)).encode() + b"\n%%EOF\n",
        "a whole edited unsigned PDF appended after the signed one": pdf + unsigned(flipped),
    }
    outcomes = {}
    for n, (name, forged) in enumerate(forgeries.items()):
        path = tmp_path / f"forgery-{n}.pdf"
        path.write_bytes(forged)
        fresh = _fresh(tmp_path, f"forgery-{n}")
        try:
            try:
                result = fresh.summaries.import_pdf(path)
                outcomes[name] = f"imported as {result.status}"
                assert result.status != "signed", name
                assert result.downgraded or result.status == "draft" or not result.created, name
            except ImportPdfError as exc:
                outcomes[name] = "refused: " + exc.message
            with fresh.db.session() as s:
                from sqlalchemy import func, select

                from app.storage.models import AssessmentRow

                assert s.scalar(select(func.count()).select_from(AssessmentRow)
                                .where(AssessmentRow.status == "signed")) == 0, name
        finally:
            fresh.db.close()
    assert len(forgeries) >= 10 and len(outcomes) == len(forgeries)
    print(f"\n{len(forgeries)} forgeries tried, none became a signed case:")
    for name, outcome in outcomes.items():
        print(f"  {name}: {outcome}")

    # a lookalike self-signed certificate with the same name is a valid signature by *that* key:
    # the case is signed, but the certificate kept with it is the lookalike's, and verify says untrusted
    path = tmp_path / "lookalike.pdf"
    path.write_bytes(summaries.render_pdf(flipped, "sv", sign=lookalike_signer)[0])
    fresh = _fresh(tmp_path, "lookalike")
    try:
        result = fresh.summaries.import_pdf(path)
        docs = fresh.records.signed_documents(result.assessment_id)
        assert [d.certificate_sha256 for d in docs] == [lookalike.fingerprint]
        assert result.trust == "untrusted"
    finally:
        fresh.db.close()


def test_an_unsigned_copy_of_a_signed_case_is_said_to_be_a_draft_on_the_command_line(services, genuine, tmp_path):
    from tests.conftest import run_cli

    rec, _pdf = genuine
    path = tmp_path / "stripped.pdf"
    path.write_bytes(services.summaries.render_pdf(rec, "en")[0])
    db = tmp_path / "cli.sqlite"
    assert run_cli("templates", "import", str(DATA / "all_types.json"), "--db", str(db)).returncode == 0
    result = run_cli("import-pdf", str(path), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "unsigned draft" in result.stderr and "(draft)" in result.stdout

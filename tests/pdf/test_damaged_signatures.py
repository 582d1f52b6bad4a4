"""Issue 13 item 2: verify and import-pdf never crash on a damaged signature or a mutated file;
bytes appended after %%EOF mean the signature does not cover the whole file."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.pdf.verify import ALTERED, INTACT, VerificationResult, verify_pdf_bytes
from app.services.summaries import ImportPdfError
from tests.conftest import DATA, run_cli
from tests.pdf.conftest import PASSWORD, fill_case

CONTENTS = re.compile(rb"/Contents\s*<([0-9a-fA-F]+)>")


@pytest.fixture(scope="module")
def signed_pdf(tmp_path_factory):
    """One signed summary for the module (keys and database of their own)."""
    folder = tmp_path_factory.mktemp("damaged")
    mp = pytest.MonkeyPatch()
    mp.setenv("LIKVARD_KEYS_DIR", str(folder / "keys"))
    mp.setenv("LIKVARD_TRUST_DIR", str(folder / "trust"))
    try:
        from app.bootstrap import start
        from app.pdf.identity import create_identity

        services = start(folder / "source.sqlite", language="en")
        services.templates.import_file(DATA / "all_types.json")
        identity = create_identity("Åsa Lindström", "Kreditgarantiföreningen Väst", PASSWORD)
        aid = fill_case(services, services.templates.find_version("all_types"))
        path = folder / "signed.pdf"
        services.summaries.export_pdf(aid, path, lang="en", identity=identity, password=PASSWORD)
        services.db.close()
    finally:
        mp.undo()
    return path.read_bytes()


def _damage(pdf: bytes, offset: int) -> bytes:
    """Change one hex digit of the CMS signature in /Contents."""
    at = CONTENTS.search(pdf).start(1) + offset
    data = bytearray(pdf)
    data[at] = ord("0") if data[at] != ord("0") else ord("1")
    return bytes(data)


def _positions(pdf: bytes, count: int) -> list[int]:
    """``count`` offsets spread over the CMS, with the ones that once slipped through."""
    used = len(CONTENTS.search(pdf).group(1).rstrip(b"0"))
    spread = [n * used // count for n in range(count)]
    return sorted({*spread, 51, 84, 951, used + 10})  # digest set, NULL params, version, padding


def test_a_damaged_signature_is_invalid_never_a_traceback(signed_pdf, services, tmp_path):
    assert verify_pdf_bytes(signed_pdf).state == INTACT
    positions = _positions(signed_pdf, 24)
    assert len(positions) >= 15
    for offset in positions:
        result = verify_pdf_bytes(_damage(signed_pdf, offset))
        assert result.state == ALTERED and result.exit_code == 1, offset
        assert all(sig.integrity == ALTERED for sig in result.signatures), offset
        path = tmp_path / f"damaged-{offset}.pdf"
        path.write_bytes(_damage(signed_pdf, offset))
        with pytest.raises(ImportPdfError):
            services.summaries.import_pdf(path)
    print(f"\n{len(positions)} damaged signatures tried, every one reported invalid (exit 1)")
    # the command line: exit 1 and "invalid", no traceback
    for offset in positions[::14]:
        path = tmp_path / f"damaged-{offset}.pdf"
        for args in (["verify", str(path)], ["import-pdf", str(path)]):
            proc = run_cli(*args)
            assert proc.returncode == 1, (offset, args, proc.stderr)
            assert "Traceback" not in proc.stderr
            if args[0] == "verify":
                assert "invalid" in proc.stdout


@pytest.mark.parametrize("tail", [b"garbage", b"\n%%EOF\n", b"\n" + b"x" * 3000, b"\n\n"])
def test_bytes_after_eof_are_not_covered_by_the_signature(signed_pdf, tmp_path, tail):
    path = tmp_path / "appended.pdf"
    path.write_bytes(signed_pdf + tail)
    result = verify_pdf_bytes(path.read_bytes())
    assert result.state == ALTERED and result.exit_code == 1
    assert not result.signatures[0].covers_whole_file
    assert "does not cover the whole file" in " ".join(result.signatures[0].problems)


def test_appended_bytes_on_the_command_line(signed_pdf, tmp_path):
    path = tmp_path / "appended.pdf"
    path.write_bytes(signed_pdf + b"\n% appended\n")
    proc = run_cli("verify", str(path))
    assert proc.returncode == 1 and "does not cover the whole file" in proc.stdout
    assert "NOT intact" in proc.stderr and "Traceback" not in proc.stderr


def _mutations(pdf: bytes):
    size = len(pdf)
    position = st.integers(0, size - 1)
    flip = st.tuples(st.just("flip"), position, st.integers(1, 255))
    insert = st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=64))
    delete = st.tuples(st.just("delete"), position, st.integers(1, 512))
    truncate = st.tuples(st.just("truncate"), position, st.just(0))
    append = st.tuples(st.just("append"), st.just(size), st.binary(min_size=1, max_size=256))
    hexdigit = st.tuples(st.just("contents"), st.integers(0, 4000), st.sampled_from(b"0123456789abcdef"))
    return st.lists(st.one_of(flip, insert, delete, truncate, append, hexdigit), min_size=1, max_size=3)


def _apply(pdf: bytes, steps) -> bytes:
    data = bytearray(pdf)
    for kind, at, arg in steps:
        at = min(at, len(data))
        if kind == "flip" and at < len(data):
            data[at] ^= arg
        elif kind == "insert":
            data[at:at] = arg
        elif kind == "delete":
            del data[at:at + arg]
        elif kind == "truncate":
            del data[at:]
        elif kind == "append":
            data += arg
        elif kind == "contents":
            match = CONTENTS.search(bytes(data))
            if match:
                where = match.start(1) + at % len(match.group(1))
                data[where] = arg
    return bytes(data)


def _same_file(data: bytes, original: bytes) -> bool:
    """``data`` is ``original`` written differently: the same bytes, or only the letter case of hex
    digits in the signature's /Contents changed (the same signature value: PDF hex strings are
    case-insensitive), which no verifier can or should tell apart."""
    if data == original:
        return True
    ours, theirs = CONTENTS.search(data), CONTENTS.search(original)
    if ours is None or theirs is None or ours.span() != theirs.span():
        return False
    return (data[:ours.start(1)] == original[:theirs.start(1)] and data[ours.end(1):] == original[theirs.end(1):]
            and ours.group(1).lower() == theirs.group(1).lower())


def test_a_hex_digit_case_change_is_the_same_file(signed_pdf):
    """The fuzz test's one exemption: an upper-case hex digit in /Contents written in lower case
    (found by the fuzzer) verifies as the same signature -- and nothing else is exempt."""
    match = CONTENTS.search(signed_pdf)
    assert match is not None
    digits = match.group(1)
    at = next(n for n, c in enumerate(digits) if chr(c) in "ABCDEF")
    recased = bytearray(signed_pdf)
    recased[match.start(1) + at] = ord(chr(digits[at]).lower())
    assert _same_file(bytes(recased), signed_pdf)
    assert verify_pdf_bytes(bytes(recased)).state == INTACT
    changed = bytearray(signed_pdf)
    changed[match.start(1) + at] = ord("0") if digits[at] != ord("0") else ord("1")
    assert not _same_file(bytes(changed), signed_pdf)


@pytest.mark.fuzz
def test_fuzz_mutated_signed_pdfs(signed_pdf, services, tmp_path):
    """verify always returns a verdict, and no mutated file becomes a signed case. Each example
    starts from an empty database (a draft imported by an earlier example is removed: its id would
    otherwise hide a later forgery behind "already there")."""
    from sqlalchemy import func, select

    from app.storage.models import AssessmentRow

    path = tmp_path / "mutated.pdf"
    tried = {"n": 0}

    @settings(max_examples=int(os.environ.get("LIKVARD_FUZZ_EXAMPLES", "200")), deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(steps=_mutations(signed_pdf))
    def check(steps):
        data = _apply(signed_pdf, steps)
        if _same_file(data, signed_pdf):
            return
        tried["n"] += 1
        result = verify_pdf_bytes(data)
        assert isinstance(result, VerificationResult) and result.exit_code in (0, 1, 2)
        path.write_bytes(data)
        try:
            imported = services.summaries.import_pdf(path)
        except ImportPdfError:
            imported = None
        with services.db.session() as s:
            assert s.scalar(select(func.count()).select_from(AssessmentRow)
                            .where(AssessmentRow.status == "signed")) == 0
        if imported is not None and imported.created:
            services.assessments.delete_draft(imported.assessment_id)

    check()
    print(f"\n{tried['n']} mutated signed PDFs tried")


def _rewrite_cms(pdf: bytes, change) -> bytes:
    """``pdf`` with its CMS signature's DER bytes passed through ``change`` (same length)."""
    match = CONTENTS.search(pdf)
    digits = match.group(1)
    used = len(digits.rstrip(b"0"))
    used += used % 2
    der = bytes.fromhex(digits[:used].decode())
    changed = change(der)
    assert len(changed) == len(der) and changed != der
    return pdf[:match.start(1)] + changed.hex().upper().encode() + pdf[match.start(1) + used:]


def _refused(services, tmp_path, data: bytes, why: str) -> None:
    result = verify_pdf_bytes(data)
    assert result.state == ALTERED and result.exit_code == 1
    assert why in " ".join(result.signatures[0].problems)
    path = tmp_path / "changed.pdf"
    path.write_bytes(data)
    with pytest.raises(ImportPdfError):
        services.summaries.import_pdf(path)


def test_a_signer_identifier_written_in_another_letter_case_is_refused(signed_pdf, services, tmp_path):
    """Found by the fuzzer: "Väst" written "VÄst" in the signer identifier (not covered by the
    signature) still found the certificate through pyHanko's normalised name match."""
    from asn1crypto import cms

    def recase(der: bytes) -> bytes:
        signer = cms.ContentInfo.load(der)["content"]["signer_infos"][0]
        sid = signer["sid"].chosen["issuer"].dump()
        at = der.index(signer.dump()) + signer.dump().index(sid) + sid.index("ä".encode()) + 1
        return der[:at] + b"\x84" + der[at + 1:]  # C3 A4 "ä" -> C3 84 "Ä"

    _refused(services, tmp_path, _rewrite_cms(signed_pdf, recase), "identifier does not match")


def test_a_changed_certificate_is_refused(signed_pdf, services, tmp_path):
    """The certificate set is outside what the signature covers; a self-signed certificate whose
    validity, name or extensions were edited no longer carries its own valid signature."""
    from asn1crypto import cms

    def later(der: bytes) -> bytes:
        cert = cms.ContentInfo.load(der)["content"]["certificates"][0].chosen
        validity = cert["tbs_certificate"]["validity"].dump()
        at = der.index(cert.dump()) + cert.dump().index(validity)
        end = bytearray(validity)
        end[-3] = ord("0") + (end[-3] - ord("0") + 1) % 10  # a digit of the "not after" time
        return der[:at] + bytes(end) + der[at + len(validity):]

    data = _rewrite_cms(signed_pdf, later)
    result = verify_pdf_bytes(data)
    assert result.state == ALTERED
    _refused(services, tmp_path, data, "")


@pytest.mark.parametrize("version", [3, 4, 5])
def test_a_cms_version_other_than_its_content_prescribes_is_refused(signed_pdf, services, tmp_path, version):
    """Found by the fuzzer: the SignedData version (not covered by the signature) set from 1 to 3, 4
    or 5 still verified; RFC 5652 prescribes 1 for what our signatures hold."""
    from asn1crypto import cms

    def bump(der: bytes) -> bytes:
        signed = cms.ContentInfo.load(der)["content"]
        at = der.index(signed.dump()) + len(signed.dump()) - len(signed.contents) + 2  # 02 01 <version>
        assert der[at] == 1
        return der[:at] + bytes([version]) + der[at + 1:]

    _refused(services, tmp_path, _rewrite_cms(signed_pdf, bump), "CMS version")

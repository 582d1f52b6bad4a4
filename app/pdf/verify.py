"""Verifying a signed PDF: who signed, when, is it intact, is the signer trusted.

Integrity covers the whole file: a later incremental update is accepted only when it adds
validation data or further signatures; one that changes content (pages, the embedded data...)
makes the result "altered", as does any changed byte inside the signed range.
Trust is judged against the trust list (organisation CA certificates) as of the signing time the
signature states (a B-B signature carries no trusted timestamp).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.fileio import describe_os_error
from app.i18n import N_, _, ngettext

log = logging.getLogger(__name__)

INTACT, ALTERED = "intact", "altered"
TRUSTED, UNTRUSTED, INVALID = "trusted", "untrusted", "invalid"
UNSIGNED, UNREADABLE = "unsigned", "unreadable"

INTEGRITY_LABELS = {INTACT: N_("intact"), ALTERED: N_("altered")}
TRUST_LABELS = {TRUSTED: N_("trusted"), UNTRUSTED: N_("signer not in the trust list"), INVALID: N_("invalid")}


@dataclass
class SignatureReport:
    """One signature of the file."""

    field_name: str
    signer: str
    organisation: str
    subject: str
    certificate_sha256: str
    signing_time: datetime | None
    integrity: str  # intact / altered
    trust: str  # trusted / untrusted / invalid
    covers_whole_file: bool
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == INTACT and self.trust != INVALID

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field_name, "signer": self.signer, "organisation": self.organisation,
            "subject": self.subject, "certificate_sha256": self.certificate_sha256,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "integrity": self.integrity, "trust": self.trust, "covers_whole_file": self.covers_whole_file,
            "problems": list(self.problems),
        }


@dataclass
class VerificationResult:
    """The verdict on a file: ``intact``, ``altered``, ``unsigned`` or ``unreadable``."""

    path: str
    state: str
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""

    @property
    def exit_code(self) -> int:
        """0 intact, 1 invalid or altered, 2 unreadable or unsigned (the CLI's exit code)."""
        if self.state in (UNSIGNED, UNREADABLE):
            return 2
        return 0 if self.state == INTACT else 1

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.path, "state": self.state, "error": self.error,
                "signatures": [s.to_dict() for s in self.signatures]}


def _roots(trust_roots: list[Any]) -> list[Any]:
    """asn1crypto certificates from cryptography ones (or asn1crypto ones, passed through)."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    out = []
    for cert in trust_roots:
        if isinstance(cert, asn1_x509.Certificate):
            out.append(cert)
        else:
            out.append(asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)))
    return out


def verify_pdf(path: str | Path, trust_roots: list[Any] | None = None) -> VerificationResult:
    """Check every signature of the PDF at ``path`` against ``trust_roots`` (certificates)."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        return VerificationResult(str(source), UNREADABLE, error=_("Cannot read {path}: {error}").format(
            path=source, error=describe_os_error(exc)))
    return verify_pdf_bytes(data, trust_roots, name=str(source))


def verify_pdf_bytes(data: bytes, trust_roots: list[Any] | None = None, name: str = "") -> VerificationResult:
    """Like :func:`verify_pdf`, on bytes. Never raises: a damaged file or signature is a verdict.

    Bytes after the last ``%%EOF`` (not a proper incremental update) mean the signatures do not
    cover the whole file: the verdict is "altered" (as pdfsig's "Not total document signed").
    """
    from app.pdf.document import quiet_pyhanko

    quiet_pyhanko()
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        return VerificationResult(name, UNREADABLE, error=_("This is not a PDF file."))
    end = _end_of_pdf(data)
    try:
        result = _verify_revisions(data[:end] if end else data, trust_roots, name)
    except Exception as exc:  # noqa: BLE001  pyHanko raises many kinds of errors on damaged files
        log.debug("verification failed", exc_info=True)
        result = VerificationResult(name, UNREADABLE, error=_("The PDF cannot be read: {error}").format(error=exc))
    if end and result.signatures:
        extra = len(data) - end
        for report in result.signatures:
            report.covers_whole_file = False
            report.integrity = ALTERED
            report.problems.append(ngettext(
                "The signature does not cover the whole file: {count} byte was added after its end.",
                "The signature does not cover the whole file: {count} bytes were added after its end.",
                extra).format(count=extra))
        result.state = ALTERED
    return result


def _end_of_pdf(data: bytes) -> int:
    """Where the PDF ends when bytes that are not an incremental update follow its last ``%%EOF``
    (0 when nothing but line ends follows, or no ``%%EOF`` can be read as the end of a PDF)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    tail_start = data.rfind(b"%%EOF")
    if tail_start >= 0 and data[tail_start + 5:] in (b"", b"\n", b"\r\n", b"\r"):
        try:
            PdfFileReader(io.BytesIO(data), strict=False)
            return 0  # the file ends at its last %%EOF and reads as it is
        except Exception:  # noqa: BLE001
            tail_start = data.rfind(b"%%EOF", 0, tail_start)  # a stray %%EOF was appended
    tries = 0
    while tail_start >= 0 and tries < 8:
        end = tail_start + 5
        end += 2 if data[end:end + 2] == b"\r\n" else 1 if data[end:end + 1] in (b"\n", b"\r") else 0
        try:
            PdfFileReader(io.BytesIO(data[:end]), strict=False)
            return end
        except Exception:  # noqa: BLE001
            tail_start = data.rfind(b"%%EOF", 0, tail_start)
            tries += 1
    return 0


def _verify_revisions(data: bytes, trust_roots: list[Any] | None, name: str) -> VerificationResult:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # noqa: BLE001
        return VerificationResult(name, UNREADABLE, error=_("The PDF cannot be read: {error}").format(error=exc))
    try:
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001  a signature field whose CMS cannot be parsed: damaged
        if not _has_signature_value(reader):
            return VerificationResult(name, UNREADABLE, error=_("The PDF cannot be read: {error}").format(error=exc))
        return VerificationResult(name, ALTERED, [_damaged_report(exc)])
    if not signatures:
        return VerificationResult(name, UNSIGNED, error=_("The PDF has no digital signature."))
    roots = _roots(trust_roots or [])
    reports = [_check(sig, roots) for sig in signatures]
    state = INTACT if all(r.ok for r in reports) else ALTERED
    return VerificationResult(name, state, reports)


def _has_signature_value(reader: Any) -> bool:
    try:
        fields = reader.root["/AcroForm"]["/Fields"]
        return any("/V" in f.get_object() and f.get_object().get("/FT") == "/Sig" for f in fields)
    except Exception:  # noqa: BLE001
        return False


def _damaged_report(exc: BaseException, field_name: str = "") -> SignatureReport:
    return SignatureReport(field_name=field_name, signer="", organisation="", subject="", certificate_sha256="",
                           signing_time=None, integrity=ALTERED, trust=INVALID, covers_whole_file=False,
                           problems=[_("The signature is damaged and cannot be checked: {error}").format(
                               error=str(exc) or type(exc).__name__)])


def _cms_problem(sig: Any) -> str:
    """Why the CMS signature object itself is malformed ("" when it parses fully and nothing but
    zero padding follows it in /Contents)."""
    from asn1crypto import cms

    try:
        contents = bytes(sig.sig_object["/Contents"])
        info = cms.ContentInfo.load(contents, strict=False)
        info.native  # noqa: B018  parse every part: a damaged inner length shows here
        used = len(info.dump())
    except Exception as exc:  # noqa: BLE001
        return str(exc) or type(exc).__name__
    if contents[used:].strip(b"\x00"):
        return _("bytes after the signature in /Contents")
    signed = info["content"].native if info["content_type"].native == "signed_data" else {}
    declared = [a["algorithm"] for a in signed.get("digest_algorithms") or []]
    if signed:
        for algorithm in info["content"]["digest_algorithms"]:
            original = algorithm.dump()
            if algorithm.dump(force=True) != original:
                return _("a malformed digest algorithm")
    if signed and signed.get("version") != _expected_version(info["content"]):
        return _("an unknown CMS version")
    if not signed or not signed.get("signer_infos"):
        return _("an unknown CMS version")
    for signer, raw in zip(signed["signer_infos"], info["content"]["signer_infos"], strict=True):
        # RFC 5652 5.3: v1 for a signer named by issuer and serial number, v3 by key identifier
        expected = "v3" if raw["sid"].name == "subject_key_identifier" else "v1"
        if signer.get("version") != expected:
            return _("an unknown CMS version")
        if (signer.get("digest_algorithm") or {}).get("algorithm") not in declared:
            return _("the digest algorithm is not among those the signature declares")
    return _certificate_problem(sig, info)


def _expected_version(signed_data: Any) -> str:
    """The SignedData version RFC 5652 (5.1) prescribes for what the structure holds. The version is
    not covered by the signature, so any other value is a changed file."""
    certificates = [c.name for c in signed_data["certificates"] or []]
    crls = [c.name for c in signed_data["crls"] or []]
    if "other" in certificates or "other" in crls:
        return "v5"
    if "v2_attr_cert" in certificates:
        return "v4"
    if ("v1_attr_cert" in certificates or any(s["sid"].name == "subject_key_identifier"
                                              for s in signed_data["signer_infos"])
            or signed_data["encap_content_info"]["content_type"].native != "data"):
        return "v3"
    return "v1"


def _certificate_problem(sig: Any, info: Any) -> str:
    """The certificate set of a CMS signature is not covered by the signature itself, and a
    self-signed or untrusted signer's certificate is never checked against a trusted issuer: a
    changed name, date or extension in it would still verify. So the signer's certificate must carry
    a valid signature of its issuer whenever that issuer is in the file (always for a self-signed
    certificate)."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    signer = sig.signer_cert
    if signer is None:
        return ""
    for signer_info in info["content"]["signer_infos"]:
        sid = signer_info["sid"]
        # pyHanko finds the signer's certificate by a normalised name (letter case, spaces), and the
        # identifier is not covered by the signature: an identifier written differently from the
        # certificate is a changed file, not another way of writing the same one
        if sid.name == "issuer_and_serial_number" and sid.chosen["issuer"].dump() != signer.issuer.dump():
            return _("the signer's identifier does not match its certificate")
    issuers = [c.chosen for c in info["content"]["certificates"] or []
               if c.name == "certificate" and c.chosen.subject == signer.issuer]
    if not issuers:
        return ""  # the issuer is not in the file: the trust check decides
    try:
        child = x509.load_der_x509_certificate(signer.dump())
        for candidate in issuers:
            try:
                child.verify_directly_issued_by(x509.load_der_x509_certificate(candidate.dump()))
                return ""
            except (InvalidSignature, ValueError, TypeError):
                continue
    except ValueError as exc:
        return str(exc) or type(exc).__name__
    return _("the signer's certificate is damaged (its issuer's signature on it does not match)")


def _check(sig: Any, roots: list[Any]) -> SignatureReport:
    try:
        problem = _cms_problem(sig)
        if problem:
            return _damaged_report(ValueError(problem), str(getattr(sig, "field_name", "") or ""))
        return _check_signature(sig, roots)
    except Exception as exc:  # noqa: BLE001  pyHanko raises many kinds of errors on damaged signatures
        log.debug("signature check failed", exc_info=True)
        return _damaged_report(exc, str(getattr(sig, "field_name", "") or ""))


def _check_signature(sig: Any, roots: list[Any]) -> SignatureReport:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    cert = sig.signer_cert
    subject = cert.subject.native if cert is not None else {}
    report = SignatureReport(
        field_name=str(sig.field_name or ""),
        signer=str(subject.get("common_name", "")) if isinstance(subject, dict) else "",
        organisation=str(subject.get("organization_name", "")) if isinstance(subject, dict) else "",
        subject=cert.subject.human_friendly if cert is not None else "",
        certificate_sha256=cert.sha256.hex() if cert is not None else "",
        signing_time=None, integrity=ALTERED, trust=INVALID, covers_whole_file=False,
    )
    try:
        moment = sig.self_reported_timestamp
    except Exception:
        moment = None
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)
        status = validate_pdf_signature(
            sig, context,
            key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                                   match_all_key_usages=False),
        )
    except (SignatureValidationError, ValueError, KeyError) as exc:
        report.problems.append(_("The signature cannot be checked: {error}").format(error=exc))
        return report
    report.signing_time = status.signer_reported_dt
    report.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    later_ok = status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES,
                                             ModificationLevel.FORM_FILLING) and status.docmdp_ok is not False
    if not (status.intact and status.valid):
        report.problems.append(_("The signed content has been changed, or the signature does not match it."))
    elif not (report.covers_whole_file or later_ok):
        report.problems.append(_("The file was changed after it was signed (an update changes its content)."))
    else:
        report.integrity = INTACT
        if not report.covers_whole_file:
            report.problems.append(_("Signatures or validation data were added after this signature."))
    report.trust = _trust(status, report)
    return report


def _trust(status: Any, report: SignatureReport) -> str:
    if status.trusted:
        return TRUSTED
    indic = getattr(status, "trust_problem_indic", None)
    name = getattr(indic, "name", "") or ""
    if status.revoked or name in ("REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE", "EXPIRED",
                                   "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "CRYPTO_CONSTRAINTS_FAILURE",
                                   "SIG_CONSTRAINTS_FAILURE"):
        report.problems.append(_("The signer's certificate is not valid for this signature ({reason}).").format(
            reason=name.lower().replace("_", " ") or "?"))
        return INVALID
    return UNTRUSTED

"""Verifying a signed PDF: who signed, when, is it intact, is the signer trusted.

Integrity covers the whole file: a later incremental update is accepted only when it adds
validation data or further signatures; one that changes content (pages, the embedded data...)
makes the result "altered", as does any changed byte inside the signed range.
Trust is judged against the trust list (organisation CA certificates) as of the signing time the
signature states (a B-B signature carries no trusted timestamp).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.i18n import N_, _

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
            path=source, error=exc.strerror))
    return verify_pdf_bytes(data, trust_roots, name=str(source))


def verify_pdf_bytes(data: bytes, trust_roots: list[Any] | None = None, name: str = "") -> VerificationResult:
    """Like :func:`verify_pdf`, on bytes."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from app.pdf.document import quiet_pyhanko

    quiet_pyhanko()
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        return VerificationResult(name, UNREADABLE, error=_("This is not a PDF file."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds of errors on damaged files
        return VerificationResult(name, UNREADABLE, error=_("The PDF cannot be read: {error}").format(error=exc))
    if not signatures:
        return VerificationResult(name, UNSIGNED, error=_("The PDF has no digital signature."))
    roots = _roots(trust_roots or [])
    reports = [_check(sig, roots) for sig in signatures]
    state = INTACT if all(r.ok for r in reports) else ALTERED
    return VerificationResult(name, state, reports)


def _check(sig: Any, roots: list[Any]) -> SignatureReport:
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

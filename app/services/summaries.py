"""PDF summaries: render, export (optionally signed, which signs the case) and import them.

The summary carries the case in the ``likvard-assessment/1`` format (embedded file). Importing
re-creates the case; only a PDF whose digital signature verifies over the whole file may create a
signed, locked case, and the signer recorded is the certificate's (see :meth:`SummaryService.import_pdf`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.assessment import normalize_answer
from app.domain.facts import CaseFacts
from app.enums import AssessmentStatus
from app.errors import LikvardError, LockedAssessmentError, SigningError
from app.exchange.assessment_format import (
    AssessmentData,
    AssessmentFormatError,
    content_hash,
    read_assessment,
    write_assessment,
)
from app.fileio import FileWriteError, atomic_write_with, describe_os_error
from app.i18n import _
from app.services.assessments import FACT_COLUMNS, AssessmentRecord, AssessmentService
from app.services.events import record
from app.services.records import RecordService
from app.storage.db import Database
from app.storage.models import AnswerRow, AssessmentRow, SignedDocumentRow, Template, TemplateVersionRow, utcnow


class ImportPdfError(LikvardError):
    """A PDF summary cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    pages: int
    size: int
    sha256: str
    signed: bool
    document_id: uuid.UUID | None = None


@dataclass(frozen=True)
class CaseImportResult:
    """What an import of a PDF summary did. ``downgraded`` holds why a case the file calls signed
    (or completed) was imported as an unsigned draft, else ""."""

    assessment_id: uuid.UUID
    created: bool
    status: str
    signatures: int
    signer: str = ""
    downgraded: str = ""
    trust: str = ""  # of a signed case's signer: trusted / untrusted / invalid (see app.pdf.verify)
    certificate_sha256: str = ""


class SummaryService:
    """Render, export and import PDF summaries."""

    def __init__(self, db: Database, actor: str = "", assessments: AssessmentService | None = None,
                 records: RecordService | None = None) -> None:
        self.db = db
        self.actor = actor
        self.assessments = assessments or AssessmentService(db, actor)
        self.records = records or RecordService(db, actor, self.assessments)

    # --- PDF export ---------------------------------------------------------------------------

    def render_pdf(self, rec: AssessmentRecord, lang: str, *, organisation: str = "", logo_path: str = "",
                   sign: dict[str, Any] | None = None) -> tuple[bytes, int]:
        """The finished summary bytes (embedded data; signed when ``sign`` holds the signer)."""
        from app.i18n import format_datetime, translate_in
        from app.pdf.document import SignRequest, finish_pdf
        from app.pdf.summary import SummaryOptions, build_summary

        caption: list[str] = []
        if sign is not None:
            caption = [translate_in(lang, "Digital signature: {name}").format(name=sign["name"]),
                       translate_in(lang, "Certificate SHA-256: {fingerprint}").format(
                           fingerprint=" ".join(sign["fingerprint"][i:i + 4] for i in range(0, 20, 4)) + "…")]
        summary = build_summary(rec, SummaryOptions(lang=lang, organisation=organisation, logo_path=logo_path,
                                                    reserve_signature_box=sign is not None, signer_caption=caption))
        embedded = write_assessment(rec, lang)
        request = None
        if sign is not None:
            assert summary.signature_box is not None and summary.signature_page is not None
            when = format_datetime(rec.signed_at, lang) if rec.signed_at else ""
            request = SignRequest(
                signer=sign["signer"], signer_name=sign["name"], organisation=sign.get("organisation", ""),
                box=summary.signature_box, page=summary.signature_page,
                stamp_lines=(translate_in(lang, "Digitally signed by {name}").format(name=sign["name"]),
                             sign.get("organisation", ""), translate_in(lang, "Signed with Likv\u00e4rd")),
                reason=translate_in(lang, "Signed assessment summary, {when}").format(when=when) if when else "",
            )
        return finish_pdf(summary.data, embedded, request), summary.pages

    def export_pdf(self, assessment_id: uuid.UUID, out: str | Path, *, lang: str, organisation: str = "",
                   logo_path: str = "", identity: Any = None, password: str | None = None) -> ExportResult:
        """Write the PDF summary to ``out`` atomically; with ``identity`` sign it digitally.

        Signing a completed case signs (locks) it in the same step. The password is checked before
        anything is written or locked; a failure leaves no file and the case unchanged.
        """
        target = Path(out).expanduser()
        if target.is_dir():
            raise FileWriteError(_("{path} is a folder; give a file name for the PDF.").format(path=target))
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise FileWriteError(_("The folder {folder} does not exist.").format(folder=folder))
        if not os.access(folder, os.W_OK):
            raise FileWriteError(_("Cannot write {path}: {error}").format(path=target, error=_("permission denied")))
        rec = self.assessments.get(assessment_id)
        if rec.status == AssessmentStatus.SIGNED and content_hash(rec) != rec.signed_hash:
            # never print "Signed" and the old hash over data that no longer matches it
            raise SigningError(_("{reference}: the stored data of this signed record no longer matches its "
                                 "signature (it was changed outside Likvärd); it is not exported. "
                                 "Run “likvard verify-db” for details.").format(
                                     reference=rec.facts.case_reference))
        if identity is None:
            data, pages = self.render_pdf(rec, lang, organisation=organisation, logo_path=logo_path)
            digest = hashlib.sha256(data).hexdigest()

            def write_plain(fh: Any) -> None:
                fh.write(data)
                with self.db.session() as s:
                    record(s, "assessment.pdf_exported", rec.id, self.actor, lang=lang, signed=False, sha256=digest)

            atomic_write_with(target, write_plain)
            return ExportResult(target, pages, len(data), digest, False)

        from app.pdf.identity import load_signer

        if rec.status == AssessmentStatus.DRAFT:
            raise LockedAssessmentError(_("Complete the assessment before signing it."))
        signer = load_signer(identity, password or "")  # WrongPasswordError: nothing written, nothing locked
        signer_name = identity.common_name or identity.name
        lock = rec.status == AssessmentStatus.COMPLETED
        if lock:
            signed_at = utcnow()
            rec = dataclasses.replace(rec, status=AssessmentStatus.SIGNED, signed_at=signed_at, signed_by=signer_name)
            rec = dataclasses.replace(rec, signed_hash=content_hash(rec))
        data, pages = self.render_pdf(rec, lang, organisation=organisation, logo_path=logo_path, sign={
            "signer": signer, "name": signer_name, "organisation": identity.organisation,
            "fingerprint": identity.fingerprint})
        digest = hashlib.sha256(data).hexdigest()
        doc_id = uuid.uuid4()

        def write_signed(fh: Any) -> None:
            fh.write(data)
            # the case is locked and the PDF kept in the same transaction, once the file is written
            with self.db.session() as s:
                row = self.assessments.row_in(s, rec.id)
                if lock:
                    current = self.assessments.record_in(s, row)
                    if row.status != AssessmentStatus.COMPLETED or content_hash(dataclasses.replace(
                            current, status=AssessmentStatus.SIGNED, signed_at=rec.signed_at, signed_by=signer_name)) != rec.signed_hash:
                        raise SigningError(_("The assessment changed while it was being signed; try again."))
                    self.records.lock_in(s, row, current, signer_name, rec.signed_at or utcnow(),
                                         pdf_sha256=digest, document=doc_id)
                s.add(SignedDocumentRow(id=doc_id, assessment_id=rec.id, language=lang, signer=signer_name,
                                        certificate_sha256=identity.fingerprint, sha256=digest, content=data))
                record(s, "assessment.pdf_signed", rec.id, self.actor, lang=lang, sha256=digest,
                       certificate_sha256=identity.fingerprint, document=str(doc_id),
                       signed_hash=rec.signed_hash)

        atomic_write_with(target, write_signed)
        return ExportResult(target, pages, len(data), digest, True, doc_id)

    # --- PDF import ---------------------------------------------------------------------------

    def import_pdf(self, path: str | Path) -> CaseImportResult:
        """Re-create the assessment embedded in a PDF summary (all or nothing).

        The template version must be present (same key and content hash). Only a PDF with exactly
        one digital signature that verifies and covers the whole file (no later update, nothing
        appended) creates a signed, locked case; its signer is the certificate's, and the data must
        match its signed hash. A PDF that is signed but fails that check is refused; a PDF without
        a signature whose data says "signed" is imported as an unsigned draft (``downgraded``).
        """
        from app.pdf.document import read_embedded
        from app.pdf.identity import trust_roots
        from app.pdf.verify import ALTERED, INTACT, UNREADABLE, verify_pdf_bytes

        source = Path(path).expanduser()
        try:
            pdf = source.read_bytes()
        except OSError as exc:
            raise ImportPdfError(_("Cannot read {path}: {error}").format(path=source, error=describe_os_error(exc))) from exc
        try:
            roots = trust_roots()
        except LikvardError:
            roots = []  # an unreadable trust list changes the trust verdict only, never integrity
        check = verify_pdf_bytes(pdf, roots, name=str(source))
        if check.state == UNREADABLE:
            raise ImportPdfError(check.error)
        if check.state == ALTERED:
            raise ImportPdfError(_("{path} was altered after it was signed, or its signature is invalid; "
                                   "it is not imported.").format(path=source.name))
        signed_ok = (check.state == INTACT and len(check.signatures) == 1
                     and check.signatures[0].covers_whole_file)
        if check.signatures and not signed_ok:
            raise ImportPdfError(_("The signature of {path} does not cover the whole file (it was changed or "
                                   "added to after signing); it is not imported.").format(path=source.name))
        try:
            data = read_embedded(pdf)
        except LikvardError as exc:
            raise ImportPdfError(exc.message) from exc
        try:
            parsed = read_assessment(data, source.name)
        except AssessmentFormatError as exc:
            raise ImportPdfError(exc.message) from exc
        downgraded = signer = ""
        if parsed.status == AssessmentStatus.SIGNED and not signed_ok:
            downgraded = _("{path} says the case is signed but carries no valid digital signature; it was "
                           "imported as an unsigned draft.").format(path=source.name)
        elif parsed.status == AssessmentStatus.SIGNED:
            cert_signer = check.signatures[0].signer
            if cert_signer and parsed.signed_by and parsed.signed_by != cert_signer:
                raise ImportPdfError(_(
                    "{path} says it was signed by {claimed}, but its certificate is {signer}'s; "
                    "it is not imported.").format(path=source.name, claimed=parsed.signed_by, signer=cert_signer))
            signer = cert_signer or parsed.signed_by
        elif signed_ok:
            downgraded = _("{path} is signed but its case was not; it was imported as an unsigned draft.").format(
                path=source.name)
        try:
            return self._store_import(parsed, pdf if signer else None, check, signer, downgraded)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ImportPdfError(_("The assessment data in {path} is incomplete: {error}").format(
                path=source.name, error=exc)) from exc

    def _store_import(self, data: AssessmentData, signed_pdf: bytes | None, check: Any, signer: str,
                      downgraded: str) -> CaseImportResult:
        from app.pdf.strokes import normalize_drawing

        status = AssessmentStatus.DRAFT if downgraded else data.status
        with self.db.session() as s:
            existing = s.get(AssessmentRow, data.id)
            if existing is not None:
                return CaseImportResult(data.id, False, existing.status, len(check.signatures))
            version = s.scalars(
                select(TemplateVersionRow).join(Template)
                .where(Template.key == data.template_key, TemplateVersionRow.content_hash == data.template_hash)).first()
            if version is None:
                raise ImportPdfError(_(
                    "The checklist {key} version {version} (content {hash}) is not in this database; "
                    "import that template version first.").format(
                        key=data.template_key, version=data.template_version, hash=data.template_hash[:12]))
            content = self.assessments.content_of(version)
            facts = CaseFacts.from_dict(data.facts)
            problems = facts.validate()
            if problems:
                raise ImportPdfError("; ".join(msg for _field, msg in problems))
            amends = data.amends_id
            if amends is not None and s.get(AssessmentRow, amends) is None:
                raise ImportPdfError(_(
                    "This is revision {revision}, an amendment of assessment {id}; import that one's PDF first.").format(
                        revision=data.revision, id=amends))
            row = AssessmentRow(
                id=data.id, template_version=version, status=AssessmentStatus.DRAFT, revision=data.revision, amends_id=amends,
                signature_drawing=normalize_drawing(data.signature_drawing),
                **{name: getattr(facts, name) for name in FACT_COLUMNS},
            )
            for answer in data.answers:
                item = content.item(answer["item"])
                row.answers.append(AnswerRow(item_key=item.key, value=normalize_answer(item, answer.get("value")),
                                             comment=answer.get("comment") or ""))
            s.add(row)
            s.flush()
            self.assessments.refresh_summary(s, row)
            rec = self.assessments.record_in(s, row)
            if status != AssessmentStatus.DRAFT:
                row.status = AssessmentStatus.COMPLETED
                row.completed_at = data.completed_at or utcnow()
            if status == AssessmentStatus.SIGNED:
                if content_hash(rec) != data.signed_hash:
                    raise ImportPdfError(_("The embedded data does not match its signed hash; it is not imported."))
                row.status = AssessmentStatus.SIGNED
                row.signed_at = data.signed_at or utcnow()
                row.signed_by = signer
                row.signed_hash = data.signed_hash
            bound: dict[str, Any] = {}
            if signed_pdf is not None:
                first = check.signatures[0]
                document = SignedDocumentRow(id=uuid.uuid4(), assessment_id=row.id, language=data.language,
                                             signer=first.signer, certificate_sha256=first.certificate_sha256,
                                             sha256=hashlib.sha256(signed_pdf).hexdigest(), content=signed_pdf)
                s.add(document)
                bound = {"signed_hash": row.signed_hash, "pdf_sha256": document.sha256, "document": str(document.id)}
            record(s, "assessment.imported", row.id, self.actor, source="pdf", status=status,
                   claimed_status=data.status, signatures=len(check.signatures), signer=signer,
                   reference=row.case_reference, **bound)
            first_sig = check.signatures[0] if signer else None
            return CaseImportResult(data.id, True, status, len(check.signatures), signer, downgraded,
                                    first_sig.trust if first_sig else "",
                                    first_sig.certificate_sha256 if first_sig else "")

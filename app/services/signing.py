"""Signing: the drawn signature, locking a case by signing it, amendments, PDF summaries.

A completed case is **signed**: its status becomes ``signed`` (final) and the SHA-256 of its
canonical data is stored. A later change is an **amendment**: a new draft revision copying the
facts and answers, linked to the signed one, which stays intact and viewable. Exporting with a
digital signature signs the case and the PDF together; the signed PDF is kept in the database.
Every change records an event.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.assessment import normalize_answer, status_label
from app.domain.facts import CaseFacts
from app.errors import LikvardError, LockedAssessmentError, NotFoundError, SigningError
from app.fileio import FileWriteError, atomic_write_with
from app.i18n import _
from app.services.assessments import FACT_COLUMNS, AssessmentRecord, AssessmentService
from app.services.events import record
from app.storage.db import Database
from app.storage.models import AnswerRow, AssessmentRow, SignedDocumentRow, Template, TemplateVersionRow, utcnow

log = logging.getLogger(__name__)

SIGNED_FORMAT = "likvard-signed/1"
ASSESSMENT_FORMAT = "likvard-assessment/1"


class AmendmentExistsError(LikvardError):
    """The signed assessment already has an amendment; ``existing`` is its id."""

    def __init__(self, message: str, existing: uuid.UUID) -> None:
        super().__init__(message)
        self.existing = existing


class ImportPdfError(LikvardError):
    """A PDF summary cannot be imported; nothing was changed."""


def signed_content(rec: AssessmentRecord) -> dict[str, Any]:
    """What a signature covers: the case's identity, template version, facts, answers, comments
    and drawn signature (not the signing envelope: who, when)."""
    return {
        "format": SIGNED_FORMAT,
        "id": str(rec.id),
        "revision": rec.revision,
        "amends_id": str(rec.amends_id) if rec.amends_id else None,
        "template": {"key": rec.template_key, "version": rec.template_version, "content_hash": rec.template_hash},
        "facts": rec.facts.to_dict(),
        "answers": {key: rec.answers[key] for key in sorted(rec.answers)},
        "comments": {key: rec.comments[key] for key in sorted(rec.comments) if rec.comments[key]},
        "signature_drawing": rec.signature_drawing,
    }


def content_hash(rec: AssessmentRecord) -> str:
    """SHA-256 of the canonical JSON of :func:`signed_content`."""
    canonical = json.dumps(signed_content(rec), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RevisionInfo:
    """One revision in a chain of amendments."""

    id: uuid.UUID
    revision: int
    status: str
    amends_id: uuid.UUID | None
    signed_at: datetime | None
    signed_by: str | None
    updated_at: datetime


@dataclass(frozen=True)
class SignedDocumentInfo:
    """A signed PDF kept with its assessment."""

    id: uuid.UUID
    assessment_id: uuid.UUID
    created_at: datetime
    language: str
    signer: str
    certificate_sha256: str
    sha256: str
    size: int


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
class ImportResult:
    """What an import of a PDF summary did."""

    assessment_id: uuid.UUID
    created: bool
    status: str
    signatures: int


class SigningService:
    """Drawn signatures, signing (locking), amendments, PDF export and import."""

    def __init__(self, db: Database, actor: str = "", assessments: AssessmentService | None = None) -> None:
        self.db = db
        self.actor = actor
        self.assessments = assessments or AssessmentService(db, actor)

    def _row(self, s: Session, assessment_id: uuid.UUID) -> AssessmentRow:
        row = s.get(AssessmentRow, assessment_id)
        if row is None:
            raise NotFoundError(_("No assessment {id}.").format(id=assessment_id))
        return row

    # --- the drawn signature ---------------------------------------------------------------

    def set_drawing(self, assessment_id: uuid.UUID, drawing: dict[str, Any] | None) -> AssessmentRecord:
        """Store (or with None clear) the drawn signature of a draft or completed case."""
        from app.pdf.strokes import normalize_drawing

        normalized = normalize_drawing(drawing)
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            if row.status == "signed":
                raise LockedAssessmentError(_("This assessment is signed and cannot be changed; amend it instead."))
            if row.signature_drawing != normalized:
                row.signature_drawing = normalized
                row.updated_at = utcnow()
                if normalized is None:
                    record(s, "assessment.drawing_cleared", row.id, self.actor)
                else:
                    record(s, "assessment.drawing_set", row.id, self.actor,
                           strokes=len(normalized["strokes"]))
        return self.assessments.get(assessment_id)

    def clear_drawing(self, assessment_id: uuid.UUID) -> AssessmentRecord:
        return self.set_drawing(assessment_id, None)

    # --- signing and amending ---------------------------------------------------------------

    def _lock(self, s: Session, row: AssessmentRow, rec: AssessmentRecord, signed_by: str,
              signed_at: datetime) -> str:
        if row.status == "signed":
            raise LockedAssessmentError(_("This assessment is already signed."))
        if row.status != "completed":
            raise LockedAssessmentError(_("Only a completed assessment can be signed; complete it first."))
        digest = content_hash(rec)
        row.status = "signed"
        row.signed_at = signed_at
        row.signed_by = signed_by
        row.signed_hash = digest
        row.updated_at = signed_at
        record(s, "assessment.signed", row.id, self.actor, signed_by=signed_by, signed_hash=digest,
               revision=row.revision)
        return digest

    def sign(self, assessment_id: uuid.UUID, signed_by: str | None = None) -> AssessmentRecord:
        """Sign a completed case: status ``signed`` (final), the hash of its data stored."""
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            rec = self.assessments._record(s, row)
            self._lock(s, row, rec, (signed_by or self.actor or "").strip(), utcnow())
        return self.assessments.get(assessment_id)

    def is_intact(self, assessment_id: uuid.UUID) -> bool:
        """Whether a signed case's data still has the hash stored when it was signed."""
        rec = self.assessments.get(assessment_id)
        if rec.status != "signed" or not rec.signed_hash:
            raise LikvardError(_("This assessment is not signed."))
        return content_hash(rec) == rec.signed_hash

    def amend(self, assessment_id: uuid.UUID) -> uuid.UUID:
        """Start an amendment of a signed case: a new draft revision with its facts and answers."""
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            if row.status != "signed":
                raise LockedAssessmentError(_("Only a signed assessment is amended; this one can still be changed."))
            existing = s.scalar(select(AssessmentRow.id).where(AssessmentRow.amends_id == row.id))
            if existing is not None:
                raise AmendmentExistsError(
                    _("This assessment already has an amendment; continue with that revision."), existing)
            new = AssessmentRow(
                template_version_id=row.template_version_id, status="draft", revision=row.revision + 1,
                amends_id=row.id, flag_count=row.flag_count, score=row.score,
                **{name: getattr(row, name) for name in FACT_COLUMNS},
            )
            for answer in row.answers:
                new.answers.append(AnswerRow(item_key=answer.item_key, value=answer.value, comment=answer.comment))
            s.add(new)
            s.flush()
            record(s, "assessment.amended", new.id, self.actor, amends=str(row.id), revision=new.revision)
            return new.id

    def chain(self, assessment_id: uuid.UUID) -> list[RevisionInfo]:
        """Every revision of the case this assessment belongs to, oldest first."""
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            seen = {row.id}
            while row.amends_id is not None:
                parent = s.get(AssessmentRow, row.amends_id)
                if parent is None or parent.id in seen:
                    break
                seen.add(parent.id)
                row = parent
            out: list[RevisionInfo] = []
            current: AssessmentRow | None = row
            while current is not None:
                out.append(RevisionInfo(current.id, current.revision, current.status, current.amends_id,
                                        current.signed_at, current.signed_by, current.updated_at))
                current = s.scalars(select(AssessmentRow).where(AssessmentRow.amends_id == current.id)).first()
                if current is not None and current.id in {r.id for r in out}:
                    break
            return out

    # --- signed documents -------------------------------------------------------------------

    def signed_documents(self, assessment_id: uuid.UUID) -> list[SignedDocumentInfo]:
        """The signed PDFs kept for an assessment, oldest first."""
        with self.db.session() as s:
            rows = s.scalars(select(SignedDocumentRow).where(SignedDocumentRow.assessment_id == assessment_id)
                             .order_by(SignedDocumentRow.created_at))
            return [SignedDocumentInfo(r.id, r.assessment_id, r.created_at, r.language, r.signer,
                                       r.certificate_sha256, r.sha256, len(r.content)) for r in rows]

    def signed_document(self, document_id: uuid.UUID) -> bytes:
        """The bytes of a kept signed PDF."""
        with self.db.session() as s:
            row = s.get(SignedDocumentRow, document_id)
            if row is None:
                raise NotFoundError(_("No signed document {id}.").format(id=document_id))
            return row.content

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
        embedded = rec.to_dict()
        embedded["language"] = lang
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

        if rec.status == "draft":
            raise LockedAssessmentError(_("Complete the assessment before signing it."))
        signer = load_signer(identity, password or "")  # WrongPasswordError: nothing written, nothing locked
        signer_name = identity.common_name or identity.name
        lock = rec.status == "completed"
        if rec.status == "signed" and content_hash(rec) != rec.signed_hash:
            raise SigningError(_("The stored data of this signed assessment no longer matches its signed hash."))
        if lock:
            signed_at = utcnow()
            rec = dataclasses.replace(rec, status="signed", signed_at=signed_at, signed_by=signer_name)
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
                row = self._row(s, rec.id)
                if lock:
                    current = self.assessments._record(s, row)
                    if row.status != "completed" or content_hash(dataclasses.replace(
                            current, status="signed", signed_at=rec.signed_at, signed_by=signer_name)) != rec.signed_hash:
                        raise SigningError(_("The assessment changed while it was being signed; try again."))
                    self._lock(s, row, current, signer_name, rec.signed_at or utcnow())
                s.add(SignedDocumentRow(id=doc_id, assessment_id=rec.id, language=lang, signer=signer_name,
                                        certificate_sha256=identity.fingerprint, sha256=digest, content=data))
                record(s, "assessment.pdf_signed", rec.id, self.actor, lang=lang, sha256=digest,
                       certificate_sha256=identity.fingerprint, document=str(doc_id))

        atomic_write_with(target, write_signed)
        return ExportResult(target, pages, len(data), digest, True, doc_id)

    # --- PDF import ---------------------------------------------------------------------------

    def import_pdf(self, path: str | Path) -> ImportResult:
        """Re-create the assessment embedded in a PDF summary (all or nothing).

        The template version must be present (same key and content hash). A digitally signed PDF
        must be intact, and a signed case's data must match its signed hash.
        """
        from app.pdf.document import read_embedded
        from app.pdf.verify import ALTERED, UNREADABLE, verify_pdf_bytes

        source = Path(path).expanduser()
        try:
            pdf = source.read_bytes()
        except OSError as exc:
            raise ImportPdfError(_("Cannot read {path}: {error}").format(path=source, error=exc.strerror)) from exc
        check = verify_pdf_bytes(pdf, [], name=str(source))
        if check.state == UNREADABLE:
            raise ImportPdfError(check.error)
        if check.state == ALTERED:
            raise ImportPdfError(_("{path} was altered after it was signed; it is not imported.").format(
                path=source.name))
        data = read_embedded(pdf)
        if data is None or data.get("format") != ASSESSMENT_FORMAT:
            raise ImportPdfError(_("{path} carries no Likvärd assessment data.").format(path=source.name))
        try:
            return self._import_data(data, pdf if check.signatures else None, check)
        except (KeyError, TypeError, ValueError) as exc:
            raise ImportPdfError(_("The assessment data in {path} is incomplete: {error}").format(
                path=source.name, error=exc)) from exc

    def _import_data(self, data: dict[str, Any], signed_pdf: bytes | None, check: Any) -> ImportResult:
        from app.pdf.strokes import normalize_drawing

        assessment_id = uuid.UUID(data["id"])
        tpl = data["template"]
        status = data["status"]
        if status not in ("draft", "completed", "signed"):
            raise ImportPdfError(_("Unknown status \u201c{status}\u201d.").format(status=status))
        with self.db.session() as s:
            existing = s.get(AssessmentRow, assessment_id)
            if existing is not None:
                return ImportResult(assessment_id, False, existing.status, len(check.signatures))
            version = s.scalars(
                select(TemplateVersionRow).join(Template)
                .where(Template.key == tpl["key"], TemplateVersionRow.content_hash == tpl["content_hash"])).first()
            if version is None:
                raise ImportPdfError(_(
                    "The checklist {key} version {version} (content {hash}) is not in this database; "
                    "import that template version first.").format(
                        key=tpl["key"], version=tpl.get("version", "?"), hash=tpl["content_hash"][:12]))
            content = self.assessments._content(version)
            facts = CaseFacts.from_dict(data["facts"])
            problems = facts.validate()
            if problems:
                raise ImportPdfError("; ".join(msg for _field, msg in problems))
            amends = uuid.UUID(data["amends_id"]) if data.get("amends_id") else None
            if amends is not None and s.get(AssessmentRow, amends) is None:
                raise ImportPdfError(_(
                    "This is revision {revision}, an amendment of assessment {id}; import that one's PDF first.").format(
                        revision=data.get("revision", "?"), id=amends))
            row = AssessmentRow(
                id=assessment_id, template_version=version, status="draft",
                revision=int(data.get("revision") or 1), amends_id=amends,
                signature_drawing=normalize_drawing(data.get("signature_drawing")),
                **{name: getattr(facts, name) for name in FACT_COLUMNS},
            )
            for answer in data.get("answers", []):
                item = content.item(answer["item"])
                row.answers.append(AnswerRow(item_key=item.key, value=normalize_answer(item, answer.get("value")),
                                             comment=answer.get("comment") or ""))
            s.add(row)
            s.flush()
            self.assessments._refresh_summary(s, row)
            rec = self.assessments._record(s, row)
            if status != "draft":
                row.status = "completed"
                row.completed_at = _parse_dt(data.get("completed_at")) or utcnow()
            if status == "signed":
                signed_at = _parse_dt(data.get("signed_at")) or utcnow()
                if content_hash(rec) != data.get("signed_hash"):
                    raise ImportPdfError(_("The embedded data does not match its signed hash; it is not imported."))
                row.status = "signed"
                row.signed_at = signed_at
                row.signed_by = data.get("signed_by") or ""
                row.signed_hash = data["signed_hash"]
            record(s, "assessment.imported", row.id, self.actor, source="pdf", status=status,
                   signatures=len(check.signatures))
            if signed_pdf is not None and check.signatures:
                first = check.signatures[0]
                s.add(SignedDocumentRow(assessment_id=row.id, language=_guess_lang(data), signer=first.signer,
                                        certificate_sha256=first.certificate_sha256,
                                        sha256=hashlib.sha256(signed_pdf).hexdigest(), content=signed_pdf))
            return ImportResult(assessment_id, True, status, len(check.signatures))


def _parse_dt(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _guess_lang(data: dict[str, Any]) -> str:
    return str(data.get("language") or "")[:8]


def describe(rec: AssessmentRecord) -> str:
    """``Case GBG-1, revision 2 (Signed)`` for messages."""
    return _("Case {reference}, revision {revision} ({status})").format(
        reference=rec.facts.case_reference, revision=rec.revision, status=status_label(rec.status))


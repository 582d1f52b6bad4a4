"""Signed records: the drawn signature, locking a case by signing it, amendments, revisions.

A completed case is **signed**: its status becomes ``signed`` (final) and the SHA-256 of its
canonical data is stored (:func:`app.exchange.assessment_format.content_hash`). A later change is
an **amendment**: a new draft revision copying the facts and answers, linked to the signed one,
which stays intact and viewable. Signed PDFs are kept with their case. Every change records an event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.assessment import status_label
from app.enums import AssessmentStatus
from app.errors import LikvardError, LockedAssessmentError, NotFoundError
from app.exchange.assessment_format import content_hash
from app.i18n import _
from app.pdf import strokes as _strokes
from app.services.assessments import FACT_COLUMNS, AssessmentRecord, AssessmentService, store_item_flags
from app.services.events import record
from app.storage.db import Database
from app.storage.models import AnswerRow, AssessmentRow, ItemFlagRow, SignedDocumentRow, utcnow

#: The format of a drawn signature (the GUI pad writes it, the PDF summary draws it).
DRAWING_FORMAT_ID = _strokes.FORMAT_ID

class AmendmentExistsError(LikvardError):
    """The signed assessment already has an amendment; ``existing`` is its id."""

    def __init__(self, message: str, existing: uuid.UUID) -> None:
        super().__init__(message)
        self.existing = existing


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


class RecordService:
    """Drawn signatures, signing (locking), integrity, amendments and the kept signed PDFs."""

    def __init__(self, db: Database, actor: str = "", assessments: AssessmentService | None = None) -> None:
        self.db = db
        self.actor = actor
        self.assessments = assessments or AssessmentService(db, actor)

    def _row(self, s: Session, assessment_id: uuid.UUID) -> AssessmentRow:
        return self.assessments.row_in(s, assessment_id)

    # --- the drawn signature ---------------------------------------------------------------

    def set_drawing(self, assessment_id: uuid.UUID, drawing: dict[str, Any] | None) -> AssessmentRecord:
        """Store (or with None clear) the drawn signature of a draft or completed case."""
        from app.pdf.strokes import normalize_drawing

        normalized = normalize_drawing(drawing)
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            if row.status == AssessmentStatus.SIGNED:
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

    def lock_in(self, s: Session, row: AssessmentRow, rec: AssessmentRecord, signed_by: str,
                signed_at: datetime, *, pdf_sha256: str | None = None, document: uuid.UUID | None = None) -> str:
        """Sign (lock) ``row`` inside the session ``s``; returns the content hash stored.

        The "assessment.signed" event binds the record to the audit log: it holds the content hash
        and, when the case is signed by a signed PDF, that PDF's SHA-256 (see AuditService.verify_records)."""
        if row.status == AssessmentStatus.SIGNED:
            raise LockedAssessmentError(_("This assessment is already signed."))
        if row.status != AssessmentStatus.COMPLETED:
            raise LockedAssessmentError(_("Only a completed assessment can be signed; complete it first."))
        digest = content_hash(rec)
        row.status = AssessmentStatus.SIGNED
        row.signed_at = signed_at
        row.signed_by = signed_by
        row.signed_hash = digest
        row.updated_at = signed_at
        extra: dict[str, Any] = {}
        if pdf_sha256 is not None:
            extra = {"pdf_sha256": pdf_sha256, "document": str(document) if document else None}
        record(s, "assessment.signed", row.id, self.actor, signed_by=signed_by, signed_hash=digest,
               revision=row.revision, reference=row.case_reference, **extra)
        return digest

    def sign(self, assessment_id: uuid.UUID, signed_by: str | None = None) -> AssessmentRecord:
        """Sign a completed case: status ``signed`` (final), the hash of its data stored."""
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            rec = self.assessments.record_in(s, row)
            self.lock_in(s, row, rec, (signed_by or self.actor or "").strip(), utcnow())
        return self.assessments.get(assessment_id)

    def is_intact(self, assessment_id: uuid.UUID) -> bool:
        """Whether a signed case's data still has the hash stored when it was signed."""
        rec = self.assessments.get(assessment_id)
        if rec.status != AssessmentStatus.SIGNED or not rec.signed_hash:
            raise LikvardError(_("This assessment is not signed."))
        return content_hash(rec) == rec.signed_hash

    @staticmethod
    def matches_signature(rec: AssessmentRecord) -> bool:
        """False for a signed record whose data no longer has its signed hash (changed outside Likvärd)."""
        return rec.status != AssessmentStatus.SIGNED or (bool(rec.signed_hash) and content_hash(rec) == rec.signed_hash)

    def amend(self, assessment_id: uuid.UUID) -> uuid.UUID:
        """Start an amendment of a signed case: a new draft revision with its facts and answers."""
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            if row.status != AssessmentStatus.SIGNED:
                raise LockedAssessmentError(_("Only a signed assessment is amended; this one can still be changed."))
            existing = s.scalar(select(AssessmentRow.id).where(AssessmentRow.amends_id == row.id))
            if existing is not None:
                raise AmendmentExistsError(
                    _("This assessment already has an amendment; continue with that revision."), existing)
            new = AssessmentRow(
                template_version_id=row.template_version_id, status=AssessmentStatus.DRAFT, revision=row.revision + 1,
                amends_id=row.id, flag_count=row.flag_count, score=row.score,
                **{name: getattr(row, name) for name in FACT_COLUMNS},
            )
            for answer in row.answers:
                new.answers.append(AnswerRow(item_key=answer.item_key, value=answer.value, comment=answer.comment))
            s.add(new)
            s.flush()
            store_item_flags(s, new, s.scalars(select(ItemFlagRow.item_key).where(ItemFlagRow.assessment_id == row.id)))
            record(s, "assessment.amended", new.id, self.actor, amends=str(row.id), revision=new.revision,
                   reference=row.case_reference)
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


def describe(rec: AssessmentRecord) -> str:
    """``Case GBG-1, revision 2 (Signed)`` for messages."""
    return _("Case {reference}, revision {revision} ({status})").format(
        reference=rec.facts.case_reference, revision=rec.revision, status=status_label(rec.status))

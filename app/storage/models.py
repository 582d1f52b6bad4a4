"""SQLAlchemy 2.0 typed models. Portable SQL only (SQLite now, PostgreSQL in team mode)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    event,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from app.domain.template import immutable_version_error
from app.enums import AssessmentStatus, VersionStatus
from app.errors import CaseReferenceError, ImmutableVersionError, LockedAssessmentError
from app.i18n import _


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact Decimal stored as a scaled integer (amount * 10**scale).

    Exact on every backend and still summable by SQL: ``SUM(col) / 10**scale``.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 2) -> None:
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * (10**self.scale)).to_integral_value())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / (10**self.scale)).quantize(Decimal(1).scaleb(-self.scale))


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime}


class Template(Base):
    __tablename__ = "templates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    versions: Mapped[list[TemplateVersionRow]] = relationship(
        back_populates="template", order_by="TemplateVersionRow.number", cascade="all, delete-orphan"
    )


class TemplateVersionRow(Base):
    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("templates.id"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # what a partial spreadsheet import left out: {"file", "skipped": [{sheet, row, reason, kind}], "item_rows"}
    import_report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    template: Mapped[Template] = relationship(back_populates="versions")


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_status", "status"),
        Index("ix_assessments_case_date", "case_date"),
        Index("ix_assessments_updated_at", "updated_at"),
        Index("ix_assessments_amends_id", "amends_id"),
        Index("ix_assessments_owner", "owner"),
        UniqueConstraint("amends_id", name="uq_assessments_amends_id"),
        # One case per reference (migration 0003); revisions share their original's reference.
        Index("uq_assessments_root_reference", "case_reference", "reference_duplicate", unique=True,
              sqlite_where=text("amends_id IS NULL"), postgresql_where=text("amends_id IS NULL")),
        # The insights (migration 0010): the counted cases (no training answers), in the grouped
        # pass's order, with every column the indicators and their filters read ...
        Index("ix_assessments_insights", "ownership", "decision", "collateral_required",
              "personal_guarantee_required", "flag_count", "amount_requested", "amount_granted", "interest_rate",
              "case_date", "decision_date", "score", "status", "id", "branch", "advisor", "sector",
              "template_version_id", "training_exercise_id",
              sqlite_where=text("training_exercise_id IS NULL"), postgresql_where=text("training_exercise_id IS NULL")),
        # The case list's default order (migration 0014): the last changed counted cases first.
        Index("ix_assessments_listed", "updated_at", "id",
              sqlite_where=text("training_exercise_id IS NULL"), postgresql_where=text("training_exercise_id IS NULL")),
        # ... and the superseded cases come from the few amendments.
        Index("ix_assessments_amending", "status", "amends_id",
              sqlite_where=text("amends_id IS NOT NULL"), postgresql_where=text("amends_id IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    template_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("template_versions.id"))
    status: Mapped[str] = mapped_column(String(16), default=AssessmentStatus.DRAFT)
    case_reference: Mapped[str] = mapped_column(String(100))
    case_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    advisor: Mapped[str] = mapped_column(String(200), default="")
    branch: Mapped[str] = mapped_column(String(200), default="")
    ownership: Mapped[str | None] = mapped_column(String(20), nullable=True)
    sector: Mapped[str | None] = mapped_column(String(40), nullable=True)
    legal_form: Mapped[str | None] = mapped_column(String(40), nullable=True)
    amount_requested: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2), nullable=True)
    amount_granted: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2), nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="SEK")
    collateral_required: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    personal_guarantee_required: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    interest_rate: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Richer case facts (migration 0005).
    meeting_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    application_complete: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    collateral_value: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2), nullable=True)
    guarantee_amount: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2), nullable=True)
    guarantor: Mapped[str | None] = mapped_column(String(30), nullable=True)
    standard_rate: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4), nullable=True)
    flag_count: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Revisions (migration 0002): a signed case is final; a change is a new revision amending it.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    amends_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("assessments.id", name="fk_assessments_amends_id"), nullable=True)
    signed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    signed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    signed_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    signature_drawing: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Non-zero only for an old signed case that shared its reference with another (migration 0003).
    reference_duplicate: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A trainee's answers to a training exercise (migration 0007): never a real case, so never in
    # the case list nor in insights. No foreign key: SQLite cannot add one without rebuilding the
    # table (and its partial unique index); the exercise service keeps it consistent.
    training_exercise_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # Team mode (migration 0011): the server login that pushed the case; NULL on a laptop.
    owner: Mapped[str | None] = mapped_column(String(63), nullable=True)
    template_version: Mapped[TemplateVersionRow] = relationship()
    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", lazy="selectin"
    )


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "item_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    assessment: Mapped[AssessmentRow] = relationship(back_populates="answers")


class ItemFlagRow(Base):
    """One checklist item flagged in one assessment (migration 0006), kept in step with the answers
    by the assessment service, so that insights count flags per item with SQL."""

    __tablename__ = "item_flags"
    __table_args__ = (Index("ix_item_flags_item_key", "item_key"),)

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(64), primary_key=True)


class ExerciseRow(Base):
    """A training exercise (migration 0007): a vignette bound to a published template version, with
    the trainer's model answers and debriefs. ``content`` holds the exercise as its
    ``likvard-exercise/1`` entry (see app.exchange.exercise_format)."""

    __tablename__ = "exercises"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    template_key: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExerciseAttemptRow(Base):
    """One trainee's go at an exercise: their answers are the training assessment ``assessment_id``."""

    __tablename__ = "exercise_attempts"
    __table_args__ = (Index("ix_exercise_attempts_exercise", "exercise_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    exercise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    trainee: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    agreement: Mapped[float | None] = mapped_column(nullable=True)
    flag_agreement: Mapped[float | None] = mapped_column(nullable=True)


class EventRow(Base):
    """Every state change, recorded by the services: the audit log (chained by app.storage.audit).

    ``seq`` numbers the entries 1, 2, 3...; ``prev_mac`` is the MAC of entry ``seq - 1`` and ``mac``
    the keyed hash over this entry's canonical fields. Entries not yet sealed have all three NULL.

    ``origin`` (migration 0012) is ``''`` for this database's own entries, the only ones its chain
    reads; on the team server, the installation id of the laptop that pushed an entry (its chain
    kept as the laptop sealed it, numbered per origin). See app.services.sync.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_entity", "entity_id"),
                      Index("uq_events_origin_seq", "origin", "seq", unique=True),
                      Index("ix_events_kind", "kind"), Index("ix_events_at", "at"))

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    prev_mac: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Team mode (migration 0013): on the server, the login that added the entry (a trigger sets it).
    owner: Mapped[str | None] = mapped_column(String(63), nullable=True)
    origin: Mapped[str] = mapped_column(String(64), default="", server_default="")


class SignedDocumentRow(Base):
    """A digitally signed PDF summary, kept byte for byte as it was handed out (never changed)."""

    __tablename__ = "signed_documents"
    __table_args__ = (Index("ix_signed_documents_assessment", "assessment_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str] = mapped_column(String(8))
    signer: Mapped[str] = mapped_column(String(300))
    certificate_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class TeamMemberRow(Base):
    """A login of the shared server (team mode, migration 0011): its role (app.enums.TeamRole), branch
    and shown name. The server's row-level security policies read it; empty on a laptop."""

    __tablename__ = "team_members"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    branch: Mapped[str] = mapped_column(String(200), default="", server_default="")
    display_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncRecordRow(Base):
    """On a laptop: what was last pushed to (``case``, ``document``) or pulled from (``exercise``)
    the server ``server``, with its content hash then (migration 0012; see app.services.sync)."""

    __tablename__ = "sync_records"

    server: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncConflictRow(Base):
    """On a laptop: a conflict a sync found with ``server`` (migration 0012), shown until it is gone."""

    __tablename__ = "sync_conflicts"

    server: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    reference: Mapped[str] = mapped_column(String(300), default="", server_default="")
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    laptop_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    server_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)


class SettingRow(Base):
    """Shared settings stored with the data (organisation profile...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


_LOCKED_VERSION_FIELDS = ("content", "content_hash", "number", "template_id")
_ASSESSMENT_LIFECYCLE_FIELDS = {"status", "updated_at", "completed_at", "answers", "signature_drawing"}
_ASSESSMENT_SIGNING_FIELDS = {"signed_at", "signed_by", "signed_hash"}


def _old_value(state: Any, name: str) -> Any:
    hist = state.attrs[name].history
    return hist.deleted[0] if hist.deleted else getattr(state.obj(), name)


def _signed_error() -> LockedAssessmentError:
    return LockedAssessmentError(_("This assessment is signed and cannot be changed; amend it instead."))


@event.listens_for(Session, "before_flush")
def _guard_immutable(session: Session, flush_context: Any, instances: Any) -> None:
    """Last line of defence: published versions, completed and signed assessments never change.

    A completed assessment may only take its drawn signature and be signed (status, signed_*);
    a signed one, its answers and its signed documents never change and are never deleted.
    """
    from sqlalchemy import inspect

    for obj in session.dirty:
        if isinstance(obj, TemplateVersionRow):
            state = inspect(obj)
            old_status = _old_value(state, "status")
            if old_status != VersionStatus.DRAFT:
                for name in _LOCKED_VERSION_FIELDS:
                    if state.attrs[name].history.has_changes():
                        raise immutable_version_error(obj.number, old_status)
        elif isinstance(obj, AssessmentRow):
            state = inspect(obj)
            old_status = _old_value(state, "status")
            changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
            if old_status == AssessmentStatus.SIGNED:
                if changed:
                    raise _signed_error()
            elif old_status != AssessmentStatus.DRAFT:
                allowed = _ASSESSMENT_LIFECYCLE_FIELDS | (_ASSESSMENT_SIGNING_FIELDS if obj.status == AssessmentStatus.SIGNED else set())
                if changed - allowed or obj.status == AssessmentStatus.DRAFT:
                    raise LockedAssessmentError(_("This assessment is completed and cannot be changed."))
        elif isinstance(obj, AnswerRow):
            parent = obj.assessment
            if parent is not None and session.is_modified(obj):
                parent_status = _old_value(inspect(parent), "status")
                if parent_status == AssessmentStatus.SIGNED:
                    raise _signed_error()
                if parent_status != AssessmentStatus.DRAFT:
                    raise LockedAssessmentError(_("This assessment is completed and cannot be changed."))
        elif isinstance(obj, SignedDocumentRow) and session.is_modified(obj):
            raise _signed_error()
    for obj in session.new:
        if isinstance(obj, AnswerRow) and obj.assessment is not None and inspect(obj.assessment).persistent:
            parent_status = _old_value(inspect(obj.assessment), "status")
            if parent_status == AssessmentStatus.SIGNED:
                raise _signed_error()
            if parent_status != AssessmentStatus.DRAFT:
                raise LockedAssessmentError(_("This assessment is completed and cannot be changed."))
    for obj in session.deleted:
        if isinstance(obj, TemplateVersionRow) and obj.status != VersionStatus.DRAFT:
            raise ImmutableVersionError(_("A published version cannot be deleted."))
        if isinstance(obj, AssessmentRow) and _old_value(inspect(obj), "status") == AssessmentStatus.SIGNED:
            raise _signed_error()
        if isinstance(obj, AnswerRow) and obj.assessment is not None and obj.assessment.status == AssessmentStatus.SIGNED:
            raise _signed_error()
        if isinstance(obj, SignedDocumentRow):
            raise _signed_error()


def duplicate_reference_error(reference: str) -> CaseReferenceError:
    return CaseReferenceError(_("The case reference {reference} is already used by another case; "
                                "each case needs its own reference.").format(reference=reference), reference)


@event.listens_for(Session, "before_flush")
def _unique_reference(session: Session, flush_context: Any, instances: Any) -> None:
    """One case per reference in a database (the unique index of migration 0003 backs this up
    with a bare IntegrityError; this gives the typed, translated error first).

    A revision (amendment) keeps the reference of the case it amends."""
    from sqlalchemy import inspect

    roots: list[AssessmentRow] = []
    with session.no_autoflush:
        for obj in [*session.new, *session.dirty]:
            if not isinstance(obj, AssessmentRow):
                continue
            state = inspect(obj)
            if state.persistent and not state.attrs["case_reference"].history.has_changes() \
                    and not state.attrs["amends_id"].history.has_changes():
                continue
            if obj.amends_id is None:
                roots.append(obj)
                continue
            original = session.get(AssessmentRow, obj.amends_id)
            if original is not None and original.case_reference != obj.case_reference:
                raise CaseReferenceError(_("A revision keeps the case reference of the assessment it amends "
                                           "({reference}).").format(reference=original.case_reference),
                                         obj.case_reference)
        if not roots:
            return
        seen: set[str] = set()
        for obj in roots:
            if obj.case_reference in seen:
                raise duplicate_reference_error(obj.case_reference)
            seen.add(obj.case_reference)
        own = [obj.id for obj in roots if obj.id is not None]
        references = sorted(seen)
        for start in range(0, len(references), 500):
            query = select(AssessmentRow.case_reference).where(
                AssessmentRow.amends_id.is_(None), AssessmentRow.case_reference.in_(references[start:start + 500]))
            if own:
                query = query.where(AssessmentRow.id.not_in(own))
            taken = session.execute(query.limit(1)).scalar()
            if taken is not None:
                raise duplicate_reference_error(taken)


def get_version_row(session: Session, version_id: Any) -> TemplateVersionRow:
    """The template version ``version_id``; NotFoundError when there is none."""
    from app.errors import NotFoundError

    row = session.get(TemplateVersionRow, version_id)
    if row is None:
        raise NotFoundError(_("No such template version."))
    return row

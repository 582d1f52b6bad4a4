"""Assessments: create a case, record facts and answers, complete it, list and search cases."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, delete, false, func, or_, select
from sqlalchemy.orm import Session

from app.domain.assessment import Evaluation, normalize_answer, status_label
from app.domain.facts import SECTOR_LABELS, CaseFacts
from app.domain.template import TemplateContent, parse_template
from app.enums import AssessmentStatus, VersionStatus
from app.errors import AnswerError, CompletionError, LikvardError, LockedAssessmentError, NotFoundError
from app.i18n import _, ngettext
from app.services.events import record, sign_bindings
from app.services.listing import AssessmentFilter as AssessmentFilter  # re-exported: the list's filter
from app.services.listing import AssessmentSummary as AssessmentSummary  # and its rows
from app.storage.db import Database
from app.storage.functions import casefold, locale_sort_key
from app.storage.models import (
    AnswerRow,
    AssessmentRow,
    ItemFlagRow,
    Template,
    TemplateVersionRow,
    duplicate_reference_error,
    get_version_row,
    utcnow,
)

FACT_COLUMNS = (
    "case_reference", "case_date", "advisor", "branch", "ownership", "sector", "legal_form",
    "amount_requested", "amount_granted", "currency", "collateral_required",
    "personal_guarantee_required", "interest_rate", "decision", "decision_date",
    "meeting_type", "application_complete", "collateral_value", "guarantee_amount", "guarantor",
    "standard_rate",
)
TEXT_SORTS = ("case_reference", "advisor", "branch")
SORTABLE = {
    "case_reference": AssessmentRow.case_reference,
    "case_date": AssessmentRow.case_date,
    "advisor": AssessmentRow.advisor,
    "branch": AssessmentRow.branch,
    "ownership": AssessmentRow.ownership,
    "sector": AssessmentRow.sector,
    "decision": AssessmentRow.decision,
    "status": AssessmentRow.status,
    "flag_count": AssessmentRow.flag_count,
    "score": AssessmentRow.score,
    "amount_requested": AssessmentRow.amount_requested,
    "updated_at": AssessmentRow.updated_at,
}


def store_item_flags(s: Session, row: AssessmentRow, keys: Iterable[str]) -> None:
    """Record which items ``row`` flags (the ``item_flags`` table insights count in SQL)."""
    if row.id is None:
        s.flush()
    wanted = set(keys)
    existing = set(s.scalars(select(ItemFlagRow.item_key).where(ItemFlagRow.assessment_id == row.id)))
    if existing - wanted:
        s.execute(delete(ItemFlagRow).where(ItemFlagRow.assessment_id == row.id,
                                            ItemFlagRow.item_key.in_(sorted(existing - wanted))))
    s.add_all(ItemFlagRow(assessment_id=row.id, item_key=key) for key in sorted(wanted - existing))


class AmbiguousReferenceError(LikvardError):
    """A case reference names several assessments; ``candidates`` holds their ids."""

    def __init__(self, message: str, candidates: list[uuid.UUID]) -> None:
        super().__init__(message)
        self.candidates = candidates


class FactsError(LikvardError):
    """Case facts failed validation; ``problems`` holds (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(msg for _field, msg in problems))


@dataclass
class AssessmentRecord:
    """One assessment with its template content, facts and answers."""

    id: uuid.UUID
    status: str
    template_version_id: uuid.UUID
    template_key: str
    template_version: int
    template_hash: str
    content: TemplateContent
    facts: CaseFacts
    answers: dict[str, Any]
    comments: dict[str, str]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    # revisions and signing (see app.services.records)
    revision: int = 1
    amends_id: uuid.UUID | None = None
    signed_at: datetime | None = None
    signed_by: str | None = None
    signed_hash: str | None = None
    signature_drawing: dict[str, Any] | None = None

    def evaluation(self) -> Evaluation:
        return Evaluation(self.content, self.facts, self.answers)

    @property
    def editable(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready export of the assessment (the ``likvard-assessment/1`` format)."""
        from app.exchange.assessment_format import write_assessment

        return write_assessment(self)


def _facts_of(row: AssessmentRow) -> CaseFacts:
    return CaseFacts(**{name: getattr(row, name) for name in FACT_COLUMNS})


class AssessmentService:
    def __init__(self, db: Database, actor: str = "") -> None:
        self.db = db
        self.actor = actor
        self._content_cache: dict[uuid.UUID, TemplateContent] = {}

    def _content(self, row: TemplateVersionRow) -> TemplateContent:
        content = self._content_cache.get(row.id)
        if content is None or row.status == AssessmentStatus.DRAFT:
            content = parse_template(row.content)
            if row.status != AssessmentStatus.DRAFT:
                self._content_cache[row.id] = content  # published content never changes
        return content

    def _row(self, s: Session, assessment_id: uuid.UUID) -> AssessmentRow:
        row = s.get(AssessmentRow, assessment_id)
        if row is None:
            raise NotFoundError(_("No assessment {id}.").format(id=assessment_id))
        return row

    def _record(self, s: Session, row: AssessmentRow) -> AssessmentRecord:
        version = row.template_version
        return AssessmentRecord(
            id=row.id, status=row.status, template_version_id=version.id, template_key=version.template.key,
            template_version=version.number, template_hash=version.content_hash, content=self._content(version),
            facts=_facts_of(row), answers={a.item_key: a.value for a in row.answers if a.value is not None},
            comments={a.item_key: a.comment for a in row.answers if a.comment},
            created_at=row.created_at, updated_at=row.updated_at, completed_at=row.completed_at,
            revision=row.revision, amends_id=row.amends_id, signed_at=row.signed_at, signed_by=row.signed_by,
            signed_hash=row.signed_hash, signature_drawing=row.signature_drawing,
        )

    def _refresh_summary(self, s: Session, row: AssessmentRow) -> Evaluation:
        """Keep the denormalized flag count and score in step with the answers."""
        content = self._content(row.template_version)
        ev = Evaluation(content, _facts_of(row), {a.item_key: a.value for a in row.answers if a.value is not None})
        flags = ev.flags()
        row.flag_count = len(flags)
        row.score = ev.score()
        row.updated_at = utcnow()
        store_item_flags(s, row, [flag.item_key for flag in flags])
        return ev

    @staticmethod
    def _check_editable(row: AssessmentRow) -> None:
        if row.status != AssessmentStatus.DRAFT:
            raise LockedAssessmentError(_("This assessment is {status} and cannot be changed.").format(status=status_label(row.status)))

    # --- commands ------------------------------------------------------------------------

    def create(self, template_version_id: uuid.UUID, facts: CaseFacts) -> uuid.UUID:
        """Open a new case on a published template version."""
        problems = facts.validate()
        if problems:
            raise FactsError(problems)
        with self.db.session() as s:
            version = get_version_row(s, template_version_id)
            if version.status != VersionStatus.PUBLISHED:
                raise LikvardError(_("New cases use published template versions only."))
            row = AssessmentRow(template_version=version, status=AssessmentStatus.DRAFT,
                                **{name: getattr(facts, name) for name in FACT_COLUMNS})
            s.add(row)
            s.flush()
            self._refresh_summary(s, row)
            record(s, "assessment.created", row.id, self.actor, template_version=str(version.id),
                   reference=row.case_reference)
            return row.id

    def update_facts(self, assessment_id: uuid.UUID, facts: CaseFacts) -> AssessmentRecord:
        problems = facts.validate()
        if problems:
            raise FactsError(problems)
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            self._check_editable(row)
            changed = [n for n in FACT_COLUMNS if getattr(row, n) != getattr(facts, n)]
            changes = {n: {"old": getattr(row, n), "new": getattr(facts, n)} for n in changed}
            for name in changed:
                setattr(row, name, getattr(facts, name))
            self._refresh_summary(s, row)
            if changed:
                record(s, "assessment.facts_updated", row.id, self.actor, fields=changed, changes=changes)
            return self._record(s, row)

    def set_answer(self, assessment_id: uuid.UUID, item_key: str, value: Any,
                   comment: str | None = None) -> AssessmentRecord:
        """Store one answer (and optionally its comment). ``None`` clears the answer."""
        return self.set_answers(assessment_id, {item_key: value}, {item_key: comment} if comment is not None else None)

    def set_comment(self, assessment_id: uuid.UUID, item_key: str, comment: str) -> AssessmentRecord:
        return self.set_answers(assessment_id, {}, {item_key: comment})

    def set_answers(self, assessment_id: uuid.UUID, values: dict[str, Any],
                    comments: dict[str, str | None] | None = None) -> AssessmentRecord:
        """Store several answers and comments in one transaction (one autosave)."""
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            self._check_editable(row)
            content = self._content(row.template_version)
            existing = {a.item_key: a for a in row.answers}
            keys = set(values) | set(comments or {})
            changed: list[str] = []
            changes: dict[str, dict[str, Any]] = {}
            for key in keys:
                try:
                    item = content.item(key)
                except KeyError:
                    raise AnswerError(_("The checklist has no item \u201c{key}\u201d.").format(key=key)) from None
                answer = existing.get(key)
                if answer is None:
                    answer = AnswerRow(item_key=key, value=None, comment="")
                    row.answers.append(answer)
                if key in values:
                    normalized = normalize_answer(item, values[key])
                    if answer.value != normalized:
                        changes.setdefault(key, {}).update(old=answer.value, new=normalized)
                        answer.value = normalized
                        changed.append(key)
                if comments and comments.get(key) is not None and answer.comment != comments[key]:
                    changes.setdefault(key, {}).update(old_comment=answer.comment or "",
                                                       new_comment=comments[key] or "")
                    answer.comment = comments[key] or ""
                    if key not in changed:
                        changed.append(key)
                answer.updated_at = utcnow()
            self._refresh_summary(s, row)
            if changed:
                record(s, "assessment.answers_set", row.id, self.actor, items=sorted(changed),
                       changes={key: changes[key] for key in sorted(changes)})
            return self._record(s, row)

    def complete(self, assessment_id: uuid.UUID) -> AssessmentRecord:
        """Mark the case completed; refused (CompletionError) while required items are missing."""
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            self._check_editable(row)
            rec = self._record(s, row)
            ev = rec.evaluation()
            missing = ev.missing_required()
            if missing:
                lang_labels = [rec.content.text(i.label, _current_lang()) for i in missing]
                raise CompletionError(
                    ngettext("One required item is not answered: {items}",
                             "{count} required items are not answered: {items}", len(missing)).format(
                        count=len(missing), items="; ".join(lang_labels)),
                    [i.key for i in missing],
                )
            problems = rec.facts.validate()
            if problems:
                raise FactsError(problems)
            self._refresh_summary(s, row)
            row.status = AssessmentStatus.COMPLETED
            row.completed_at = utcnow()
            record(s, "assessment.completed", row.id, self.actor, flags=row.flag_count, score=row.score)
            return self._record(s, row)

    def delete_draft(self, assessment_id: uuid.UUID) -> None:
        """Delete a draft case (completed cases are kept)."""
        with self.db.session() as s:
            row = self._row(s, assessment_id)
            self._check_editable(row)
            s.delete(row)
            record(s, "assessment.deleted", assessment_id, self.actor, reference=row.case_reference)

    # --- queries -------------------------------------------------------------------------

    def get(self, assessment_id: uuid.UUID) -> AssessmentRecord:
        with self.db.session() as s:
            return self._record(s, self._row(s, assessment_id))

    def _filtered(self, query: Select[Any], flt: AssessmentFilter | None) -> Select[Any]:
        # A trainee's answers to an exercise are not a case: never listed, searched or counted.
        query = query.where(AssessmentRow.training_exercise_id.is_(None))
        if flt is None:
            return query
        if flt.status:
            query = query.where(AssessmentRow.status == flt.status)
        if flt.ownership:
            query = query.where(AssessmentRow.ownership == flt.ownership)
        if flt.date_from:
            query = query.where(AssessmentRow.case_date >= flt.date_from)
        if flt.date_to:
            query = query.where(AssessmentRow.case_date <= flt.date_to)
        if flt.template_key:
            query = query.where(AssessmentRow.template_version_id.in_(
                select(TemplateVersionRow.id).join(Template).where(Template.key == flt.template_key)))
        text = flt.search.strip()
        if text:
            folded = text.casefold()
            pattern = f"%{folded}%"
            sectors = [code for code, label in SECTOR_LABELS.items()
                       if folded in _(label).casefold() or folded in code]
            query = query.where(or_(
                casefold(AssessmentRow.case_reference).like(pattern),
                casefold(AssessmentRow.advisor).like(pattern),
                casefold(AssessmentRow.branch).like(pattern),
                AssessmentRow.sector.in_(sectors) if sectors else false(),
            ))
        return query

    def ids(self, flt: AssessmentFilter | None = None) -> list[uuid.UUID]:
        """Ids of the matching cases, sorted: cheap even for 100 000 cases."""
        flt = flt or AssessmentFilter()
        column: SQLColumnExpression[Any] = SORTABLE.get(flt.sort, AssessmentRow.updated_at)
        if flt.sort in TEXT_SORTS:
            column = locale_sort_key(column)  # names sort as the language does (å ä ö after z in Swedish)
        # descending: ties by id descending too, so the default order is ix_assessments_listed read backwards
        order = [column.desc(), AssessmentRow.id.desc()] if flt.descending else [column.asc(), AssessmentRow.id.asc()]
        with self.db.session() as s:
            return list(s.scalars(self._filtered(select(AssessmentRow.id), flt).order_by(*order)))

    def reference_in_use(self, reference: str, exclude: uuid.UUID | None = None) -> bool:
        """Whether another case already has this reference (one case per reference in a database;
        revisions share their original's). ``exclude``: the case being edited."""
        with self.db.session() as s:
            query = select(AssessmentRow.id).where(AssessmentRow.amends_id.is_(None),
                                                   AssessmentRow.case_reference == reference.strip())
            if exclude is not None:
                query = query.where(AssessmentRow.id != exclude)
            return s.scalar(query.limit(1)) is not None

    def reference_problem(self, reference: str, exclude: uuid.UUID | None = None) -> str | None:
        """The message to show next to the reference field when it is taken, else None."""
        if reference.strip() and self.reference_in_use(reference, exclude):
            return str(duplicate_reference_error(reference.strip()))
        return None

    def references_in_use(self) -> set[str]:
        """Every case reference in the database."""
        with self.db.session() as s:
            return set(s.scalars(select(AssessmentRow.case_reference).where(AssessmentRow.amends_id.is_(None))))

    def count(self, flt: AssessmentFilter | None = None) -> int:
        with self.db.session() as s:
            return s.scalar(self._filtered(select(func.count(AssessmentRow.id)), flt)) or 0

    def summaries(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, AssessmentSummary]:
        """Light rows for the given ids (one query)."""
        if not ids:
            return {}
        q = (
            select(AssessmentRow, TemplateVersionRow.title, TemplateVersionRow.number)
            .join(TemplateVersionRow, AssessmentRow.template_version_id == TemplateVersionRow.id)
            .where(AssessmentRow.id.in_(list(ids)))
        )
        out: dict[uuid.UUID, AssessmentSummary] = {}
        with self.db.session() as s:
            rows = s.execute(q.execution_options(populate_existing=False)).all()
            tampered = self._tampered_rows(s, [row for row, _t, _n in rows])
            for row, title, number in rows:
                out[row.id] = AssessmentSummary(
                    id=row.id, case_reference=row.case_reference, case_date=row.case_date, advisor=row.advisor,
                    branch=row.branch, ownership=row.ownership, sector=row.sector, decision=row.decision,
                    amount_requested=row.amount_requested, amount_granted=row.amount_granted, currency=row.currency,
                    status=row.status, flag_count=row.flag_count, score=row.score, template_title=title,
                    template_version=number, updated_at=row.updated_at,
                    tampered=row.id in tampered,
                )
        return out

    def list(self, flt: AssessmentFilter | None = None, limit: int | None = None) -> list[AssessmentSummary]:
        ids = self.ids(flt)
        if limit is not None:
            ids = ids[:limit]
        rows: dict[uuid.UUID, AssessmentSummary] = {}
        for start in range(0, len(ids), 500):
            rows.update(self.summaries(ids[start:start + 500]))
        return [rows[i] for i in ids if i in rows]

    def tampered(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """The signed cases among ``ids`` changed outside Likvärd: the case list's ``tampered`` flag
        (the sync does not push them). See :meth:`_tampered_rows`."""
        out: set[uuid.UUID] = set()
        with self.db.session() as s:
            for start in range(0, len(ids), 500):
                rows = s.scalars(select(AssessmentRow).where(AssessmentRow.id.in_(list(ids[start:start + 500])),
                                                             AssessmentRow.status == AssessmentStatus.SIGNED))
                out |= self._tampered_rows(s, list(rows))
        return out

    def _tampered_rows(self, s: Session, rows: Sequence[AssessmentRow]) -> set[uuid.UUID]:
        """The signed ones of ``rows`` whose stored data no longer matches their signed hash, or whose
        signed hash is not the one their sign event recorded (data changed and the hash recomputed
        behind the application's back; ``likvard verify-db`` finds both). One indexed query for the
        sign events of the rows, however many."""
        signed = [row for row in rows if row.status == AssessmentStatus.SIGNED]
        bound, _docs = sign_bindings(s, [row.id for row in signed], documents=False)
        return {row.id for row in signed
                if (row.id in bound and bound[row.id] != row.signed_hash) or not self._matches_signature(s, row)}

    def _matches_signature(self, s: Session, row: AssessmentRow) -> bool:
        from app.exchange.assessment_format import content_hash

        try:
            return content_hash(self._record(s, row)) == row.signed_hash
        except Exception:  # noqa: BLE001 - rows too damaged to read do not match either
            return False

    # --- for the other services (inside their own session) ------------------------------

    def row_in(self, s: Session, assessment_id: uuid.UUID) -> AssessmentRow:
        """The stored row of an assessment in the session ``s``; NotFoundError when there is none."""
        return self._row(s, assessment_id)

    def record_in(self, s: Session, row: AssessmentRow) -> AssessmentRecord:
        """The record of ``row`` as the session ``s`` sees it (uncommitted changes included)."""
        return self._record(s, row)

    def content_of(self, version: TemplateVersionRow) -> TemplateContent:
        """The parsed content of a template version (cached once published)."""
        return self._content(version)

    def refresh_summary(self, s: Session, row: AssessmentRow) -> Evaluation:
        """Recompute the stored flag count and score of ``row`` from its answers."""
        return self._refresh_summary(s, row)

    def resolve(self, text: str) -> uuid.UUID:
        """The assessment named by ``text``: its id or its case reference.

        An unknown one is a NotFoundError; a reference several revisions or cases share is an
        :class:`AmbiguousReferenceError` whose message lists the candidates' ids."""
        text = (text or "").strip()
        try:
            wanted = uuid.UUID(text)
        except ValueError:
            wanted = None
        with self.db.session() as s:
            if wanted is not None and s.get(AssessmentRow, wanted) is not None:
                return wanted
            rows = s.execute(select(AssessmentRow.id, AssessmentRow.revision, AssessmentRow.status)
                             .where(AssessmentRow.case_reference == text)
                             .order_by(AssessmentRow.revision)).all()
        if wanted is not None and not rows:
            raise NotFoundError(_("No assessment {id}.").format(id=wanted))
        if not rows:
            raise NotFoundError(_("\u201c{text}\u201d is not an assessment id nor the reference of a case.").format(
                text=text))
        if len(rows) > 1:
            candidates = "\n".join(
                "  " + _("{id} (revision {revision}, {status})").format(
                    id=r.id, revision=r.revision, status=status_label(r.status)) for r in rows)
            raise AmbiguousReferenceError(
                _("The case reference \u201c{text}\u201d names {count} assessments; give one of these ids:").format(
                    text=text, count=len(rows)) + "\n" + candidates, [r.id for r in rows])
        return uuid.UUID(str(rows[0].id))

    def bulk_create(self, cases: Iterable[tuple[uuid.UUID, CaseFacts, dict[str, Any], dict[str, str], str]]) -> int:
        """Insert many cases at once (demo data): (version id, facts, answers, comments, status)."""
        count = 0
        with self.db.session() as s:
            versions: dict[uuid.UUID, TemplateVersionRow] = {}
            for version_id, facts, answers, comments, status in cases:
                version = versions.get(version_id) or get_version_row(s, version_id)
                versions[version_id] = version
                content = self._content(version)
                row = AssessmentRow(template_version=version, status=AssessmentStatus.DRAFT,
                                    **{name: getattr(facts, name) for name in FACT_COLUMNS})
                for key, value in answers.items():
                    row.answers.append(AnswerRow(item_key=key, value=normalize_answer(content.item(key), value),
                                                 comment=comments.get(key, "")))
                s.add(row)
                ev = self._refresh_summary(s, row)
                if status == AssessmentStatus.COMPLETED and not ev.missing_required():
                    row.status = AssessmentStatus.COMPLETED
                    row.completed_at = utcnow()
                count += 1
            s.flush()
            record(s, "assessment.bulk_created", None, self.actor, count=count)
        return count


def _current_lang() -> str:
    from app.i18n import get_language

    return get_language()

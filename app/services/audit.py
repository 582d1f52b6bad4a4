"""The audit log: list, describe, export and verify the chained events; verify the signed records.

Every event is sealed by :mod:`app.storage.audit` with HMAC-SHA256 under a per-database key kept
in the user's private folder (why HMAC rather than Ed25519: see that module). :meth:`AuditService.verify`
walks the chain and compares its head with the anchor kept beside the key;
:meth:`AuditService.verify_records` checks every signed record against its stored hash, the hash
in its sign event and its stored signed PDFs (see ``likvard audit verify`` and ``likvard verify-db``).
"""

from __future__ import annotations

import builtins
import csv
import hashlib
import hmac
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from app.enums import AssessmentStatus
from app.exchange.assessment_format import content_hash
from app.fileio import atomic_write_bytes
from app.i18n import N_, _, format_datetime, ngettext
from app.services.assessments import AssessmentService
from app.services.events import sign_bindings
from app.storage import audit as chain
from app.storage.db import Database
from app.storage.functions import casefold
from app.storage.models import AssessmentRow, EventRow, SignedDocumentRow

INTACT = "intact"
BROKEN = "broken"
NO_KEY = "no_key"

#: What each kind of event means, in words (translated when shown).
KIND_LABELS: dict[str, str] = {
    "assessment.created": N_("Case created"),
    "assessment.facts_updated": N_("Case facts changed"),
    "assessment.answers_set": N_("Answers changed"),
    "assessment.completed": N_("Case completed"),
    "assessment.signed": N_("Case signed"),
    "assessment.pdf_exported": N_("PDF summary exported"),
    "assessment.pdf_signed": N_("Signed PDF summary exported"),
    "assessment.amended": N_("Amendment started"),
    "assessment.imported": N_("Case imported"),
    "assessment.deleted": N_("Draft case deleted"),
    "assessment.bulk_created": N_("Demo cases added"),
    "assessment.drawing_set": N_("Signature drawn"),
    "assessment.drawing_cleared": N_("Drawn signature cleared"),
    "assessment.duplicate_reference": N_("Duplicate case reference resolved"),
    "template.created": N_("Template created"),
    "template.version_added": N_("Template version added"),
    "template.draft_created": N_("Template draft created"),
    "template.draft_updated": N_("Template draft edited"),
    "template.draft_deleted": N_("Template draft deleted"),
    "template.published": N_("Template version published"),
    "template.retired": N_("Template version retired"),
    "trust.added": N_("Certificate added to the trust list"),
    "trust.removed": N_("Certificate removed from the trust list"),
    "backup.restored": N_("Backup restored"),
    "exercise.created": N_("Training exercise added"),
    "exercise.updated": N_("Training exercise changed"),
    "exercise.deleted": N_("Training exercise deleted"),
    "exercise.started": N_("Training exercise started"),
    "exercise.submitted": N_("Training exercise submitted"),
    "exercise.certificate_issued": N_("Training certificate issued"),
    "sync.completed": N_("Synced with the server"),
    chain.SEALED: N_("Earlier entries sealed into the audit log"),
    chain.MISMATCH: N_("Audit log entries found missing"),
}


def kind_label(kind: str) -> str:
    """The kind of an event in words, in the current language."""
    label = KIND_LABELS.get(kind)
    return _(label) if label else kind


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "\u2013"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the log, with the case it concerns (if any)."""

    id: uuid.UUID
    seq: int | None
    at: datetime
    kind: str
    entity_id: uuid.UUID | None
    actor: str
    payload: dict[str, Any]
    case_reference: str = ""

    @property
    def what(self) -> str:
        return kind_label(self.kind)

    def changes(self) -> list[tuple[str, str, str]]:
        """(what, old, new) for each changed fact, answer or comment."""
        from app.domain.facts import fact_label

        out: list[tuple[str, str, str]] = []
        changes = self.payload.get("changes")
        if isinstance(changes, dict):
            for name, change in changes.items():
                if not isinstance(change, dict):
                    continue
                label = fact_label(name) if self.kind == "assessment.facts_updated" else name
                if "old" in change or "new" in change:
                    out.append((label, _value_text(change.get("old")), _value_text(change.get("new"))))
                if "old_comment" in change or "new_comment" in change:
                    out.append((_("{item} (comment)").format(item=name), _value_text(change.get("old_comment")),
                                _value_text(change.get("new_comment"))))
        return out

    def change_text(self) -> str:
        """``item: old → new; ...`` or the event's other details in short."""
        parts = [f"{label}: {old} \u2192 {new}" for label, old, new in self.changes()]
        if parts:
            return "; ".join(parts)
        p = self.payload
        if self.kind in ("assessment.pdf_exported", "assessment.pdf_signed") and p.get("sha256"):
            return _("file SHA-256 {hash}").format(hash=str(p["sha256"])[:16] + "\u2026")
        if self.kind == "assessment.signed":
            return _("signed by {name}; content hash {hash}").format(
                name=p.get("signed_by") or "\u2013", hash=str(p.get("signed_hash") or "")[:16] + "\u2026")
        if self.kind in ("trust.added", "trust.removed"):
            return str(p.get("subject") or p.get("fingerprint") or "")
        if self.kind == chain.SEALED:
            return _("{count} entries").format(count=p.get("count", 0))
        if self.kind == chain.MISMATCH:
            return _("the log ended at entry {expected}, then at entry {found}").format(
                expected=p.get("expected_seq"), found=p.get("found_seq"))
        if self.kind == "assessment.imported":
            return _("status {status}").format(status=p.get("status", ""))
        if self.kind == "assessment.bulk_created":
            count = int(p.get("count", 0))
            return ngettext("{count} case", "{count} cases", count).format(count=count)
        if self.kind.startswith("template."):
            key, number = p.get("key"), p.get("number")
            if key and number is not None:
                return _("template {key}, version {number}").format(key=key, number=number)
            if key:
                return _("template {key}").format(key=key)
            if number is not None:
                return _("version {number}").format(number=number)
        if self.kind == "backup.restored" and p.get("source"):
            return _("from {file}").format(file=Path(str(p["source"])).name)
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "id": str(self.id), "at": self.at.isoformat(), "kind": self.kind,
                "what": self.what, "entity_id": str(self.entity_id) if self.entity_id else None,
                "case_reference": self.case_reference, "actor": self.actor, "changes": self.change_text(),
                "payload": self.payload}


@dataclass
class AuditFilter:
    """Which entries to show: a case (all its revisions), a kind, an actor, a time range, a text."""

    assessment_id: uuid.UUID | None = None
    case_reference: str | None = None
    kind: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str = ""


@dataclass(frozen=True)
class AuditVerdict:
    """The outcome of :meth:`AuditService.verify`."""

    state: str
    entries: int
    message: str
    broken_seq: int | None = None
    broken_at: datetime | None = None
    broken_kind: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return {INTACT: 0, BROKEN: 1, NO_KEY: 2}[self.state]


@dataclass(frozen=True)
class RecordProblem:
    """Something wrong with a signed record (``likvard verify-db``)."""

    assessment_id: uuid.UUID
    case_reference: str
    revision: int
    problem: str

    def __str__(self) -> str:
        return _("{reference} (revision {revision}): {problem}").format(
            reference=self.case_reference, revision=self.revision, problem=self.problem)


class AuditService:
    """The audit log over one database."""

    def __init__(self, db: Database, actor: str = "", assessments: AssessmentService | None = None) -> None:
        self.db = db
        self.actor = actor
        self.assessments = assessments or AssessmentService(db, actor)

    def prepare(self) -> int:
        """At open: give a new database its key, seal entries written without it; returns how many."""
        with self.db.session() as s:
            return chain.seal_pending(s)

    # --- listing ------------------------------------------------------------------------------

    def _filtered(self, query: Select[Any], flt: AuditFilter | None) -> Select[Any]:
        query = query.outerjoin(AssessmentRow, AssessmentRow.id == EventRow.entity_id)
        if flt is None:
            return query
        if flt.assessment_id is not None:
            ids = [r.id for r in self._chain_ids(flt.assessment_id)]
            query = query.where(EventRow.entity_id.in_(ids))
        if flt.case_reference:
            query = query.where(AssessmentRow.case_reference == flt.case_reference)
        if flt.kind:
            query = query.where(EventRow.kind == flt.kind)
        if flt.actor:
            query = query.where(EventRow.actor == flt.actor)
        if flt.since is not None:
            query = query.where(EventRow.at >= flt.since)
        if flt.until is not None:
            query = query.where(EventRow.at < flt.until)
        text = flt.text.strip().casefold()
        if text:
            pattern = f"%{text}%"
            kinds = [k for k, label in KIND_LABELS.items() if text in _(label).casefold()]
            query = query.where(or_(casefold(AssessmentRow.case_reference).like(pattern),
                                    casefold(EventRow.actor).like(pattern), EventRow.kind.like(pattern),
                                    EventRow.kind.in_(kinds) if kinds else false()))
        return query

    def _chain_ids(self, assessment_id: uuid.UUID) -> list[Any]:
        from app.services.records import RecordService

        return RecordService(self.db, self.actor, self.assessments).chain(assessment_id)

    def ids(self, flt: AuditFilter | None = None, *, newest_first: bool = True) -> list[uuid.UUID]:
        """The ids of the matching entries, newest first (by sequence number, then time)."""
        order = (EventRow.seq.desc().nulls_first(), EventRow.at.desc()) if newest_first else (
            EventRow.seq.asc().nulls_last(), EventRow.at.asc())
        with self.db.session() as s:
            return list(s.scalars(self._filtered(select(EventRow.id), flt).order_by(*order)))

    def count(self, flt: AuditFilter | None = None) -> int:
        with self.db.session() as s:
            return s.scalar(self._filtered(select(func.count(EventRow.id)), flt)) or 0

    def entries(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, AuditEntry]:
        """The entries with these ids (one query)."""
        if not ids:
            return {}
        with self.db.session() as s:
            rows = s.execute(select(EventRow, AssessmentRow.case_reference)
                             .outerjoin(AssessmentRow, AssessmentRow.id == EventRow.entity_id)
                             .where(EventRow.id.in_(list(ids))))
            return {e.id: _entry(e, ref) for e, ref in rows}

    def list(self, flt: AuditFilter | None = None, *, newest_first: bool = False) -> list[AuditEntry]:
        ids = self.ids(flt, newest_first=newest_first)
        out: dict[uuid.UUID, AuditEntry] = {}
        for start in range(0, len(ids), 500):
            out.update(self.entries(ids[start:start + 500]))
        return [out[i] for i in ids if i in out]

    def kinds(self) -> builtins.list[str]:
        with self.db.session() as s:
            return sorted(s.scalars(select(EventRow.kind).distinct()))

    def actors(self) -> builtins.list[str]:
        with self.db.session() as s:
            return sorted(a for a in s.scalars(select(EventRow.actor).distinct()) if a)

    def export_csv(self, path: str | Path, flt: AuditFilter | None = None) -> int:
        """Write the matching entries (oldest first) to a CSV file atomically; returns how many."""
        entries = self.list(flt)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["seq", "time_utc", "time", "actor", "kind", "what", "case_reference", "changes", "mac"])
        macs = self._macs([e.id for e in entries])
        for e in entries:
            writer.writerow([e.seq if e.seq is not None else "", e.at.isoformat(), format_datetime(e.at), e.actor,
                             e.kind, e.what, e.case_reference, e.change_text(), macs.get(e.id, "")])
        atomic_write_bytes(path, buffer.getvalue().encode("utf-8-sig"))
        return len(entries)

    def _macs(self, ids: builtins.list[uuid.UUID]) -> dict[uuid.UUID, str]:
        out: dict[uuid.UUID, str] = {}
        with self.db.session() as s:
            for start in range(0, len(ids), 500):
                out.update({i: m or "" for i, m in s.execute(
                    select(EventRow.id, EventRow.mac).where(EventRow.id.in_(ids[start:start + 500])))})
        return out

    # --- verification ------------------------------------------------------------------------

    def verify(self) -> AuditVerdict:
        """Walk the chain: intact, broken (naming the first broken entry) or no key on this computer.

        Only this database's own entries (origin ``''``): on a team server, the entries laptops
        pushed keep their laptops' chains, sealed with keys the server does not have."""
        with self.db.session() as s:
            total = s.scalar(select(func.count(EventRow.id)).where(chain.LOCAL)) or 0
            keys = chain.key_for(s)
            if keys is None and not chain.is_sealed(self.db.engine):
                return AuditVerdict(NO_KEY, total, _(
                    "The audit log of a shared server database is not sealed on this computer: its entries "
                    "are protected by the server's permissions, kept by its administrator."))
            if keys is None:
                return AuditVerdict(NO_KEY, total, _(
                    "The audit log cannot be verified on this computer: its key is not here (the database "
                    "was created or sealed on another computer or user account). Nothing is known to be wrong."))
            problems: list[tuple[int | None, datetime | None, str, str]] = []
            expected, prev = 1, ""
            for row in s.scalars(select(EventRow).where(chain.LOCAL, EventRow.seq.is_not(None)).order_by(EventRow.seq)
                                 .execution_options(yield_per=1000)):
                seq = int(row.seq or 0)
                if seq != expected:
                    problems.append((seq, row.at, row.kind, ngettext_missing(expected, seq)))
                elif (row.prev_mac or "") != prev:
                    problems.append((seq, row.at, row.kind,
                                     _("it does not follow the entry before it (entries reordered or replaced)")))
                elif not hmac.compare_digest(row.mac or "", keys.mac(chain.entry_fields(row))):
                    problems.append((seq, row.at, row.kind, _("it was changed after it was written")))
                elif row.kind == chain.MISMATCH:
                    p = row.payload or {}
                    problems.append((seq, row.at, row.kind, _(
                        "entries were found missing when it was written: the log had ended at entry {expected}, "
                        "it then ended at entry {found}").format(expected=p.get("expected_seq"),
                                                                  found=p.get("found_seq"))))
                expected, prev = seq + 1, row.mac or ""
                s.expunge(row)
            head = (expected - 1, prev)
            unsealed = s.scalar(select(func.count(EventRow.id)).where(chain.LOCAL, EventRow.seq.is_(None))) or 0
            anchor_problem = chain.anchor_problem(s, keys, head)
            anchor = keys.read_anchor()
        if anchor_problem == "entries_deleted" and anchor is not None:
            problems.append((anchor.seq, None, "", _(
                "the last entries were deleted: entry {expected} was the last one written on this computer, "
                "the log now ends at entry {found}").format(expected=anchor.seq, found=head[0])))
        elif anchor_problem == "head_replaced" and anchor is not None:
            problems.append((anchor.seq, None, "", _(
                "the last entry written on this computer (entry {expected}) was replaced").format(expected=anchor.seq)))
        elif anchor_problem == "anchor_missing":
            problems.append((None, None, "", _("the record of the log's last entry, kept beside its key, is missing")))
        if unsealed:
            problems.append((None, None, "", _("{count} entries are not sealed: they were written without the key "
                                               "(another computer) or added behind the application's back; they "
                                               "are sealed at the next change made here").format(count=unsealed)))
        if not problems:
            return AuditVerdict(INTACT, total, _("The audit log is intact: {count} entries.").format(count=total))
        texts = [self._problem_text(p) for p in problems]
        first = problems[0]
        return AuditVerdict(BROKEN, total, texts[0], first[0], first[1], first[2], texts)

    @staticmethod
    def _problem_text(problem: tuple[int | None, datetime | None, str, str]) -> str:
        seq, at, kind, why = problem
        if seq is None:
            return _("The audit log is broken: {why}.").format(why=why)
        if at is None:
            return _("The audit log is broken at entry {seq}: {why}.").format(seq=seq, why=why)
        return _("The audit log is broken at entry {seq} ({time}, {what}): {why}.").format(
            seq=seq, time=format_datetime(at), what=kind_label(kind), why=why)

    def verify_records(self) -> builtins.list[RecordProblem]:
        """Check every signed record: its data against its stored hash and its sign event, its
        stored signed PDFs (unchanged, still verifying, carrying this record), and that a record
        with a sign event is still signed. An empty list: all intact."""
        problems: list[RecordProblem] = []
        with self.db.session() as s:
            bound_hash, bound_docs = self._bindings(s)
            wanted = set(bound_hash) | set(bound_docs)
            rows = s.scalars(select(AssessmentRow).where(or_(AssessmentRow.status == AssessmentStatus.SIGNED,
                                                             AssessmentRow.id.in_(list(wanted)))))
            seen: set[uuid.UUID] = set()
            for row in rows:
                seen.add(row.id)
                problems.extend(self._check_record(s, row, bound_hash.get(row.id), bound_docs.get(row.id, {})))
            for missing in sorted(wanted - seen, key=str):
                problems.append(RecordProblem(missing, "?", 0, _(
                    "this signed record was deleted from the database (its sign event remains)")))
        return problems

    def document_problems(self, document_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Of the stored signed PDFs ``document_ids``, those that do not match their record as
        :meth:`verify_records` checks them (bytes against their stored hash and their sign event,
        the signature intact over the whole file, the embedded case and signed hash the record's):
        document id -> the first problem. The sync does not push them."""
        out: dict[uuid.UUID, str] = {}
        ids = list(document_ids)
        with self.db.session() as s:
            for start in range(0, len(ids), 500):
                docs = list(s.scalars(select(SignedDocumentRow).where(SignedDocumentRow.id.in_(ids[start:start + 500]))))
                bound_hash, bound_docs = self._bindings(s, {d.assessment_id for d in docs})
                for doc in docs:
                    row = s.get(AssessmentRow, doc.assessment_id)
                    doc_id = str(doc.id)
                    expected = bound_docs.get(doc.assessment_id, {}).get(doc_id)
                    problems: list[str] = []
                    if expected is not None and hashlib.sha256(doc.content).hexdigest() != expected:
                        problems.append(_("its signed PDF {document} was replaced or changed").format(
                            document=doc_id[:8]))
                    if row is None:
                        problems.append(_("this signed record was deleted from the database (its sign event "
                                          "remains)"))
                    else:
                        problems.extend(self._check_document(
                            doc_id, doc, row, bound_hash.get(row.id) or row.signed_hash,
                            already_reported=bool(problems)))
                    if problems:
                        out[doc.id] = problems[0]
        return out

    @staticmethod
    def _bindings(s: Session, ids: set[uuid.UUID] | None = None) -> tuple[dict[uuid.UUID, str],
                                                                           dict[uuid.UUID, dict[str, str]]]:
        """What the sign events bind (of the cases ``ids``, or all): see :func:`sign_bindings`."""
        return sign_bindings(s, ids)

    def record_problems(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Of the cases ``ids``, those no longer as their sign event left them, as :meth:`verify_records`
        checks them: still signed, with the signed hash the event recorded (a hash recomputed after
        the data was changed behind the application's back differs from it). Case id -> the first
        problem. As there, a case without a sign event is not checked here; its data against its
        stored hash is :meth:`AssessmentService.tampered`'s check, its signed PDFs
        :meth:`document_problems`'. The sync does not push them."""
        out: dict[uuid.UUID, str] = {}
        ids = list(ids)
        with self.db.session() as s:
            for start in range(0, len(ids), 500):
                bound, _docs = sign_bindings(s, ids[start:start + 500], documents=False)
                if not bound:
                    continue
                for case_id, status, signed_hash in s.execute(
                        select(AssessmentRow.id, AssessmentRow.status, AssessmentRow.signed_hash)
                        .where(AssessmentRow.id.in_(list(bound)))):
                    problems = self._binding_problems(status, signed_hash, bound[case_id])
                    if problems:
                        out[case_id] = problems[0]
        return out

    @staticmethod
    def _binding_problems(status: str, signed_hash: str | None, bound: str | None) -> builtins.list[str]:
        """How a record differs from what its sign event binds (``bound``: the signed hash it recorded)."""
        out: list[str] = []
        if bound is not None and status != AssessmentStatus.SIGNED:
            out.append(_("its status was changed from signed to {status}").format(status=_(status)))
        if bound is not None and signed_hash != bound:
            out.append(_("its stored signed hash differs from the one recorded when it was signed"))
        return out

    def _check_record(self, s: Session, row: AssessmentRow, bound: str | None,
                      documents: dict[str, str]) -> builtins.list[RecordProblem]:
        out = self._binding_problems(row.status, row.signed_hash, bound)
        rec = self.assessments.record_in(s, row)
        if row.status == AssessmentStatus.SIGNED and row.signed_hash and content_hash(rec) != row.signed_hash:
            out.append(_("its data no longer matches its signed hash") + self._what_changed(s, row, rec))
        docs = {str(d.id): d for d in s.scalars(select(SignedDocumentRow)
                                                .where(SignedDocumentRow.assessment_id == row.id))}
        for doc_id, sha in documents.items():
            if doc_id not in docs:
                out.append(_("its signed PDF {document} was deleted").format(document=doc_id[:8]))
            elif hashlib.sha256(docs[doc_id].content).hexdigest() != sha:
                out.append(_("its signed PDF {document} was replaced or changed").format(document=doc_id[:8]))
        for doc_id, doc in docs.items():
            out.extend(self._check_document(doc_id, doc, row, bound or row.signed_hash,
                                            already_reported=doc_id in documents))
        return [RecordProblem(row.id, row.case_reference, row.revision, p) for p in out]

    @staticmethod
    def _check_document(doc_id: str, doc: SignedDocumentRow, row: AssessmentRow, signed_hash: str | None,
                        already_reported: bool) -> builtins.list[str]:
        from app.pdf.document import read_embedded
        from app.pdf.verify import INTACT as PDF_INTACT
        from app.pdf.verify import verify_pdf_bytes

        out: list[str] = []
        short = doc_id[:8]
        if hashlib.sha256(doc.content).hexdigest() != doc.sha256 and not already_reported:
            out.append(_("its signed PDF {document} was replaced or changed").format(document=short))
        check = verify_pdf_bytes(doc.content, [], name=short)
        if check.state != PDF_INTACT or not all(sig.covers_whole_file for sig in check.signatures):
            out.append(_("its signed PDF {document} no longer verifies").format(document=short))
            return out
        try:
            data = read_embedded(doc.content) or {}
        except Exception:  # noqa: BLE001 - any damage is reported, never raised
            data = {}
        if str(data.get("id")) != str(row.id):
            out.append(_("its signed PDF {document} belongs to another case ({reference})").format(
                document=short, reference=(data.get("facts") or {}).get("case_reference", "?")))
        elif signed_hash and data.get("signed_hash") != signed_hash:
            out.append(_("its signed PDF {document} carries other data than the record").format(document=short))
        return out

    @staticmethod
    def _what_changed(s: Session, row: AssessmentRow, rec: Any) -> str:
        """`` (changed: answer q1, fact advisor)`` from the data embedded in its signed PDF, if kept."""
        from app.pdf.document import read_embedded

        doc = s.scalars(select(SignedDocumentRow).where(SignedDocumentRow.assessment_id == row.id)
                        .order_by(SignedDocumentRow.created_at)).first()
        if doc is None:
            return ""
        try:
            data = read_embedded(doc.content) or {}
        except Exception:  # noqa: BLE001
            return ""
        if str(data.get("id")) != str(row.id):
            return ""
        signed_answers = {a.get("item"): (a.get("value"), a.get("comment") or "") for a in data.get("answers") or []}
        now = {k: (rec.answers.get(k), rec.comments.get(k, "")) for k in set(rec.answers) | set(rec.comments)}
        changed = [_("answer {item}").format(item=k) for k in sorted(set(signed_answers) | set(now), key=str)
                   if signed_answers.get(k, (None, "")) != now.get(k, (None, ""))]
        facts = rec.facts.to_dict()
        changed += [_("fact {name}").format(name=k) for k in sorted(facts)
                    if (data.get("facts") or {}).get(k) != facts[k]]
        return (" (" + _("changed: {what}").format(what=", ".join(changed)) + ")") if changed else ""


def ngettext_missing(expected: int, found: int) -> str:
    from app.i18n import ngettext

    count = found - expected
    if count <= 0:
        return _("its number {found} repeats or goes back (entries reordered)").format(found=found)
    return ngettext("entry {first} before it is missing (deleted)", "entries {first} to {last} before it are missing "
                    "(deleted)", count).format(first=expected, last=found - 1)


def _entry(e: EventRow, reference: str | None) -> AuditEntry:
    return AuditEntry(e.id, e.seq, e.at, e.kind, e.entity_id, e.actor or "", e.payload or {},
                      reference or str((e.payload or {}).get("reference") or ""))

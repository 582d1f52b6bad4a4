"""The SQL of the sync (app.services.sync): reading cases on either side, inserting them on the server,
the laptop's records of what was pushed and the conflicts found.

Portable SQLAlchemy Core: ``INSERT ... ON CONFLICT DO NOTHING`` through the dialect's own insert
(PostgreSQL and SQLite both have it), ``current_user`` only on PostgreSQL. Every function takes a
Connection: the caller owns the transaction (one server transaction per batch).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.enums import AssessmentStatus, VersionStatus
from app.storage.models import (
    AnswerRow,
    AssessmentRow,
    EventRow,
    ExerciseRow,
    ItemFlagRow,
    SettingRow,
    SignedDocumentRow,
    SyncConflictRow,
    SyncRecordRow,
    Template,
    TemplateVersionRow,
    utcnow,
)

ASSESSMENTS: Table = AssessmentRow.__table__  # type: ignore[assignment]
ANSWERS: Table = AnswerRow.__table__  # type: ignore[assignment]
FLAGS: Table = ItemFlagRow.__table__  # type: ignore[assignment]
DOCUMENTS: Table = SignedDocumentRow.__table__  # type: ignore[assignment]
EVENTS: Table = EventRow.__table__  # type: ignore[assignment]
TEMPLATES: Table = Template.__table__  # type: ignore[assignment]
VERSIONS: Table = TemplateVersionRow.__table__  # type: ignore[assignment]
EXERCISES: Table = ExerciseRow.__table__  # type: ignore[assignment]
RECORDS: Table = SyncRecordRow.__table__  # type: ignore[assignment]
CONFLICTS: Table = SyncConflictRow.__table__  # type: ignore[assignment]

#: The columns of a case that travel (``owner`` is the server's, set to the login that pushed it).
CASE_COLUMNS = tuple(c.name for c in ASSESSMENTS.columns if c.name != "owner")
PUSHED_STATUSES = (AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED)
#: SQLite's limit of bound parameters is 32766, PostgreSQL's 65535: IN lists stay well under both.
CHUNK = 500

KIND_CASE = "case"
KIND_DOCUMENT = "document"
KIND_EXERCISE = "exercise"
KIND_TEMPLATE = "template"
KIND_EVENT = "event"


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return str(value)


def digest(data: Any) -> str:
    """The SHA-256 of ``data``'s canonical JSON (sorted keys, UTC times, decimals as text)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class CaseData:
    """One case as read from a database: its columns, its template version (key, number, hash),
    answers, flags and signed PDFs (id -> sha256 of the bytes stored)."""

    columns: dict[str, Any]
    template: tuple[str, int, str]
    answers: list[dict[str, Any]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    documents: dict[uuid.UUID, str] = field(default_factory=dict)

    @property
    def id(self) -> uuid.UUID:
        return uuid.UUID(str(self.columns["id"]))

    @property
    def signed(self) -> bool:
        return self.columns["status"] == AssessmentStatus.SIGNED

    @property
    def reference(self) -> str:
        revision = int(self.columns["revision"] or 1)
        return str(self.columns["case_reference"]) + (f" r{revision}" if revision > 1 else "")

    def content_hash(self) -> str:
        """What must be the same on the laptop and the server (signed PDFs are compared apart)."""
        columns = {k: v for k, v in self.columns.items() if k != "template_version_id"}
        answers = sorted(([a["id"], a["item_key"], a["value"], a["comment"], a["updated_at"]]
                          for a in self.answers), key=lambda a: str(a[1]))
        return digest({"case": columns, "template": list(self.template), "answers": answers,
                       "flags": sorted(self.flags)})


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_cases(conn: Connection, ids: Sequence[uuid.UUID], *, document_hashes: bool = True) -> dict[uuid.UUID, CaseData]:
    """The cases ``ids`` (those this connection may see) with their answers, flags and PDF hashes."""
    out: dict[uuid.UUID, CaseData] = {}
    cols = [ASSESSMENTS.c[name] for name in CASE_COLUMNS]
    for part in _chunks(list(ids)):
        rows = conn.execute(select(*cols, TEMPLATES.c.key, VERSIONS.c.number, VERSIONS.c.content_hash)
                            .join(VERSIONS, VERSIONS.c.id == ASSESSMENTS.c.template_version_id)
                            .join(TEMPLATES, TEMPLATES.c.id == VERSIONS.c.template_id)
                            .where(ASSESSMENTS.c.id.in_(part)))
        for row in rows:
            m = row._mapping
            data = CaseData({name: m[name] for name in CASE_COLUMNS}, (m["key"], int(m["number"]), m["content_hash"]))
            out[data.id] = data
        for row in conn.execute(select(ANSWERS).where(ANSWERS.c.assessment_id.in_(part))):
            case = out.get(row.assessment_id)
            if case is not None:
                case.answers.append(dict(row._mapping))
        for row in conn.execute(select(FLAGS).where(FLAGS.c.assessment_id.in_(part))):
            if row.assessment_id in out:
                out[row.assessment_id].flags.append(row.item_key)
        if document_hashes:
            for doc in conn.execute(select(DOCUMENTS.c.id, DOCUMENTS.c.assessment_id, DOCUMENTS.c.sha256)
                                    .where(DOCUMENTS.c.assessment_id.in_(part))):
                if doc.assessment_id in out:
                    out[doc.assessment_id].documents[doc.id] = doc.sha256
    return out


def documents_with_content(conn: Connection, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    """The signed PDFs ``ids`` in full (to push them)."""
    out: list[dict[str, Any]] = []
    for part in _chunks(list(ids)):
        out.extend(dict(r._mapping) for r in conn.execute(select(DOCUMENTS).where(DOCUMENTS.c.id.in_(part))))
    return out


# --- the laptop's side ------------------------------------------------------------------------

def candidate_ids(conn: Connection) -> list[uuid.UUID]:
    """Every completed or signed real case (no training answers), originals before their amendments."""
    return list(conn.scalars(select(ASSESSMENTS.c.id).where(
        ASSESSMENTS.c.status.in_([str(s) for s in PUSHED_STATUSES]), ASSESSMENTS.c.training_exercise_id.is_(None))
        .order_by(ASSESSMENTS.c.revision, ASSESSMENTS.c.created_at, ASSESSMENTS.c.id)))


def records(conn: Connection, server: str, kind: str, ids: Sequence[uuid.UUID] | None = None) -> dict[uuid.UUID, str]:
    """entity id -> the content hash recorded at the last push (or pull) with ``server``."""
    query = select(RECORDS.c.entity_id, RECORDS.c.content_hash).where(RECORDS.c.server == server,
                                                                      RECORDS.c.kind == kind)
    if ids is None:
        return {r.entity_id: r.content_hash for r in conn.execute(query)}
    out: dict[uuid.UUID, str] = {}
    for part in _chunks(list(ids)):
        out.update({r.entity_id: r.content_hash for r in conn.execute(query.where(RECORDS.c.entity_id.in_(part)))})
    return out


def save_records(conn: Connection, server: str, kind: str, hashes: dict[uuid.UUID, str]) -> None:
    """Record (replacing) what was pushed or pulled."""
    if not hashes:
        return
    ids = list(hashes)
    for part in _chunks(ids):
        conn.execute(delete(RECORDS).where(RECORDS.c.server == server, RECORDS.c.kind == kind,
                                           RECORDS.c.entity_id.in_(part)))
    now = utcnow()
    conn.execute(RECORDS.insert(), [{"server": server, "kind": kind, "entity_id": i, "content_hash": h,
                                     "synced_at": now} for i, h in hashes.items()])


@dataclass(frozen=True)
class Conflict:
    """A conflict found by a sync: what (kind, id, reference), why (a reason code) and the hashes."""

    kind: str
    entity_id: uuid.UUID
    reference: str
    reason: str
    detail: str = ""
    laptop_hash: str = ""
    server_hash: str = ""
    detected_at: datetime | None = None


def save_conflicts(conn: Connection, server: str, found: Sequence[Conflict], cleared: Iterable[tuple[str, uuid.UUID]]) -> None:
    """Keep ``found`` (replacing an older conflict of the same thing) and drop those ``cleared``."""
    gone = [*cleared, *((c.kind, c.entity_id) for c in found)]
    by_kind: dict[str, list[uuid.UUID]] = defaultdict(list)
    for kind, entity in gone:
        by_kind[kind].append(entity)
    for kind, entities in by_kind.items():
        for part in _chunks(entities):
            conn.execute(delete(CONFLICTS).where(CONFLICTS.c.server == server, CONFLICTS.c.kind == kind,
                                                 CONFLICTS.c.entity_id.in_(part)))
    if found:
        now = utcnow()
        unique = {(c.kind, c.entity_id): c for c in found}
        conn.execute(CONFLICTS.insert(), [
            {"server": server, "kind": c.kind, "entity_id": c.entity_id, "reference": c.reference[:300],
             "reason": c.reason, "detail": c.detail, "laptop_hash": c.laptop_hash, "server_hash": c.server_hash,
             "detected_at": c.detected_at or now} for c in unique.values()])


def load_conflicts(conn: Connection, server: str | None = None) -> list[Conflict]:
    query = select(CONFLICTS).order_by(CONFLICTS.c.detected_at, CONFLICTS.c.kind, CONFLICTS.c.reference)
    if server is not None:
        query = query.where(CONFLICTS.c.server == server)
    return [Conflict(r.kind, r.entity_id, r.reference, r.reason, r.detail, r.laptop_hash, r.server_hash,
                     r.detected_at) for r in conn.execute(query)]


def setting(conn: Connection, key: str) -> Any:
    return conn.scalar(select(SettingRow.value).where(SettingRow.key == key))


def set_setting(conn: Connection, key: str, value: Any) -> None:
    table: Table = SettingRow.__table__  # type: ignore[assignment]
    if conn.execute(update(table).where(table.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(table.insert().values(key=key, value=value))


def local_events(conn: Connection, after_seq: int, limit: int) -> list[dict[str, Any]]:
    """This database's own sealed audit entries after ``after_seq``, in order."""
    return [dict(r._mapping) for r in conn.execute(
        select(EVENTS).where(EVENTS.c.origin == "", EVENTS.c.seq.is_not(None), EVENTS.c.seq > after_seq)
        .order_by(EVENTS.c.seq).limit(limit))]


# --- the server's side ------------------------------------------------------------------------

def insert_ignoring(conn: Connection, table: Table) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise NotImplementedError(conn.dialect.name)


def insert_new(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], key: str = "id") -> set[Any]:
    """Insert ``rows``, skipping those that clash with a row already there (any unique key);
    returns the ``key`` values of the rows inserted."""
    if not rows:
        return set()
    stmt = insert_ignoring(conn, table).returning(table.c[key])
    inserted: set[Any] = set()
    for part in _chunks(list(rows), max(1, 30000 // max(1, len(rows[0])))):
        inserted.update(conn.scalars(stmt, list(part)).all())
    return inserted


def login(conn: Connection) -> str | None:
    """The server's ``current_user`` (the owner of what this connection pushes)."""
    if conn.dialect.name == "postgresql":
        return str(conn.scalar(select(func.current_user())))
    return None


def existing_ids(conn: Connection, table: Table, ids: Sequence[Any]) -> set[Any]:
    found: set[Any] = set()
    for part in _chunks(list(ids)):
        found.update(conn.scalars(select(table.c.id).where(table.c.id.in_(part))))
    return found


def server_versions(conn: Connection, keys: Iterable[str]) -> dict[tuple[str, int], tuple[uuid.UUID, str]]:
    """(template key, number) -> (version id, content hash) on the server."""
    wanted = sorted(set(keys))
    out: dict[tuple[str, int], tuple[uuid.UUID, str]] = {}
    for part in _chunks(wanted):
        for r in conn.execute(select(TEMPLATES.c.key, VERSIONS.c.number, VERSIONS.c.id, VERSIONS.c.content_hash)
                              .join(TEMPLATES, TEMPLATES.c.id == VERSIONS.c.template_id)
                              .where(TEMPLATES.c.key.in_(part))):
            out[(r.key, int(r.number))] = (r.id, r.content_hash)
    return out


def version_with_template(conn: Connection, key: str, number: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A version (key, number) and its template, as rows to copy into another database."""
    row = conn.execute(select(VERSIONS, TEMPLATES.c.key, TEMPLATES.c.created_at.label("template_created_at"))
                       .join(TEMPLATES, TEMPLATES.c.id == VERSIONS.c.template_id)
                       .where(TEMPLATES.c.key == key, VERSIONS.c.number == number)).first()
    if row is None:
        return None
    m = dict(row._mapping)
    template = {"id": m["template_id"], "key": m.pop("key"), "created_at": m.pop("template_created_at")}
    return template, m


def copy_version(conn: Connection, template: dict[str, Any], version: dict[str, Any]) -> tuple[uuid.UUID, str] | None:
    """Put a template version into this database (its template too), keeping the ids when free;
    returns the (id, content hash) now stored under its key and number."""
    template_id = conn.scalar(select(TEMPLATES.c.id).where(TEMPLATES.c.key == template["key"]))
    if template_id is None:
        row = dict(template)
        if existing_ids(conn, TEMPLATES, [row["id"]]):
            row["id"] = uuid.uuid4()
        insert_new(conn, TEMPLATES, [row])
        template_id = conn.scalar(select(TEMPLATES.c.id).where(TEMPLATES.c.key == template["key"]))
    row = {k: v for k, v in version.items() if k in VERSIONS.c}
    row["template_id"] = template_id
    if existing_ids(conn, VERSIONS, [row["id"]]):
        row["id"] = uuid.uuid4()
    insert_new(conn, VERSIONS, [row])
    found = conn.execute(select(VERSIONS.c.id, VERSIONS.c.content_hash).where(
        VERSIONS.c.template_id == template_id, VERSIONS.c.number == version["number"])).first()
    return (found.id, found.content_hash) if found is not None else None


def case_rows(case: CaseData, version_id: uuid.UUID, owner: str | None) -> dict[str, Any]:
    row = dict(case.columns)
    row["template_version_id"] = version_id
    row["owner"] = owner
    return row


def replace_children(conn: Connection, case: CaseData) -> None:
    """A completed case the laptop changed since the server got it (signed since): its answers and
    flags as the laptop has them (never for a case signed on the server: the caller checks)."""
    conn.execute(delete(ANSWERS).where(ANSWERS.c.assessment_id == case.id))
    conn.execute(delete(FLAGS).where(FLAGS.c.assessment_id == case.id))
    if case.answers:
        conn.execute(ANSWERS.insert(), case.answers)
    if case.flags:
        conn.execute(FLAGS.insert(), [{"assessment_id": case.id, "item_key": k} for k in case.flags])


def update_unsigned_case(conn: Connection, case: CaseData, version_id: uuid.UUID, owner: str | None) -> bool:
    """Update the server's copy of a case that is not signed there; False when it is (or is gone)."""
    values = {k: v for k, v in case_rows(case, version_id, owner).items() if k != "id"}
    result = conn.execute(update(ASSESSMENTS).where(ASSESSMENTS.c.id == case.id,
                                                    ASSESSMENTS.c.status != str(AssessmentStatus.SIGNED))
                          .values(**values))
    return bool(result.rowcount)


def published_versions(conn: Connection) -> list[tuple[str, int, str]]:
    """(key, number, content hash) of every published template version."""
    return [(r.key, int(r.number), r.content_hash) for r in conn.execute(
        select(TEMPLATES.c.key, VERSIONS.c.number, VERSIONS.c.content_hash)
        .join(TEMPLATES, TEMPLATES.c.id == VERSIONS.c.template_id)
        .where(VERSIONS.c.status == str(VersionStatus.PUBLISHED)).order_by(TEMPLATES.c.key, VERSIONS.c.number))]


def all_exercises(conn: Connection) -> dict[str, dict[str, Any]]:
    return {r.key: dict(r._mapping) for r in conn.execute(select(EXERCISES))}


def update_exercise(conn: Connection, key: str, row: dict[str, Any]) -> None:
    values = {k: v for k, v in row.items() if k not in ("id", "key", "created_at")}
    conn.execute(update(EXERCISES).where(EXERCISES.c.key == key).values(**values))


def events_present(conn: Connection, origin: str, seqs: Sequence[int]) -> dict[int, uuid.UUID]:
    """seq -> id of the entries of ``origin`` with these numbers on the server."""
    out: dict[int, uuid.UUID] = {}
    for part in _chunks(list(seqs)):
        out.update({int(r.seq): r.id for r in conn.execute(select(EVENTS.c.seq, EVENTS.c.id).where(
            and_(EVENTS.c.origin == origin, EVENTS.c.seq.in_(part))))})
    return out

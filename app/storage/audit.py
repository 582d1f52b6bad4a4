"""The audit chain: every event is sealed with HMAC-SHA256 under a per-database key.

Why HMAC and not an Ed25519 signature per entry: the threat is a colleague who edits the SQLite
file behind the application's back. Both resist that only while the secret stays out of the
database, and both then keep that secret in the same place (the user's private 0700 folder), so
a signature adds no protection here; HMAC needs no key pair or password prompt, costs
microseconds per autosave, and a missing key is simply "cannot be verified on this computer".
(A public-key signature would matter only for third parties verifying without the secret, which
the signed PDFs already provide for the records themselves.)

Each entry holds its sequence number, the previous entry's MAC and its own MAC over a canonical
JSON of its fields (:func:`canonical`). The MAC of the head (and its number) is also kept beside
the key, outside the database (the *anchor*), and rewritten after each commit, so deleting the
last entries is noticed too. Entries written without the key (by an older version, or on another
computer) are sealed, in order, at the next write on a computer with the key; that sealing is
itself an event ("audit.sealed").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import uuid
import weakref
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from app.storage.models import EventRow, SettingRow, utcnow

DATABASE_ID_SETTING = "audit.database_id"
#: Events the chain itself writes.
SEALED = "audit.sealed"
MISMATCH = "audit.mismatch"
RESTORED = "backup.restored"
#: This database's own entries: the chain never reads the entries laptops pushed to a team server
#: (``events.origin`` is their installation id there; see app.services.sync).
LOCAL = EventRow.origin == ""


def audit_dir() -> Path:
    """The private folder of audit keys and anchors (``LIKVARD_AUDIT_DIR`` overrides it): 0700."""
    value = os.environ.get("LIKVARD_AUDIT_DIR")
    if value:
        folder = Path(value).expanduser()
    else:
        from app.paths import user_data_dir

        folder = user_data_dir() / "audit"
    folder.mkdir(parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(folder, 0o700)
    return folder


def _write_private(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically as a 0600 file."""
    if durable:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
    else:  # the anchor, after every commit: one fixed temporary name per process is enough
        tmp = str(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@dataclass(frozen=True)
class Anchor:
    """The head of the log as this computer last committed it (kept outside the database)."""

    seq: int
    mac: str
    database_path: str = ""


class AuditKey:
    """The key and anchor files of one database (by its id) in the audit folder."""

    def __init__(self, database_id: str, folder: Path | None = None) -> None:
        self.database_id = database_id
        self.folder = folder or audit_dir()
        self._key: bytes | None = None
        self.last_written: Anchor | None = None  # by this process: spares reading the file back

    @property
    def key_path(self) -> Path:
        return self.folder / f"{self.database_id}.key"

    @property
    def anchor_path(self) -> Path:
        return self.folder / f"{self.database_id}.anchor"

    def key(self) -> bytes | None:
        if self._key is None:
            try:
                self._key = bytes.fromhex(self.key_path.read_text("ascii").strip())
            except (OSError, ValueError):
                return None
        return self._key

    def create(self, database_path: str) -> bytes:
        key = secrets.token_bytes(32)
        _write_private(self.key_path, key.hex().encode("ascii"))
        self._key = key
        self.write_anchor(Anchor(0, "", database_path))
        return key

    def read_anchor(self) -> Anchor | None:
        try:
            data = json.loads(self.anchor_path.read_text("utf-8"))
            return Anchor(int(data["seq"]), str(data["mac"]), str(data.get("database_path", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write_anchor(self, anchor: Anchor) -> None:
        data = {"database_id": self.database_id, "seq": anchor.seq, "mac": anchor.mac,
                "database_path": anchor.database_path}
        # not fsynced: after a power cut an older anchor only lags behind the log, which is accepted
        _write_private(self.anchor_path, json.dumps(data).encode("utf-8"), durable=False)
        self.last_written = anchor

    def mac(self, fields: dict[str, Any]) -> str:
        key = self.key()
        assert key is not None
        return hmac.new(key, canonical(fields), hashlib.sha256).hexdigest()


def entry_fields(row: EventRow, seq: int | None = None, prev_mac: str | None = None) -> dict[str, Any]:
    """The fields a MAC covers."""
    at = row.at if row.at is not None else utcnow()
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return {
        "seq": row.seq if seq is None else seq,
        "prev": (row.prev_mac if prev_mac is None else prev_mac) or "",
        "id": uuid.UUID(str(row.id)).hex,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "kind": row.kind,
        "entity": uuid.UUID(str(row.entity_id)).hex if row.entity_id else None,
        "actor": row.actor or "",
        "payload": row.payload or {},
    }


def canonical(fields: dict[str, Any]) -> bytes:
    """The canonical JSON bytes of an entry (sorted keys, no spaces, UTF-8)."""
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def json_ready(value: Any) -> Any:
    """``value`` as it reads back from the JSON column (dates, decimals, uuids as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


# --- which key belongs to which database ------------------------------------------------------

_KEYS: weakref.WeakKeyDictionary[Engine, AuditKey] = weakref.WeakKeyDictionary()


def database_id(session: Session) -> str | None:
    row = session.get(SettingRow, DATABASE_ID_SETTING)
    return str(row.value) if row is not None and row.value else None


def is_sealed(engine: Engine) -> bool:
    """Whether this database's log is sealed by the HMAC chain: a SQLite file's is. A server
    database's events are kept by the server's own permissions (the administrator grants them),
    not by a key on one laptop."""
    return engine.dialect.name == "sqlite"


def database_path(engine: Engine) -> str:
    return (engine.url.database or "") if engine.dialect.name == "sqlite" else engine.url.render_as_string()


def key_for(session: Session, *, create: bool = False) -> AuditKey | None:
    """The audit key of the session's database; with ``create`` a new database gets its id and key
    (only while its log holds no sealed entry: a sealed log keeps the key it was sealed with)."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    if engine.dialect.name != "sqlite":
        # A server database is written by many people, each with their own login: a key every
        # client holds could reseal anything, so no client seals the server's log (see is_sealed).
        return None
    with session.no_autoflush:
        db_id = database_id(session)
        if db_id is None:
            if not create or session.scalar(select(EventRow.id).where(LOCAL, EventRow.seq.is_not(None)).limit(1)):
                return None
            db_id = uuid.uuid4().hex
            session.merge(SettingRow(key=DATABASE_ID_SETTING, value=db_id))
            keys = AuditKey(db_id)
            keys.create(database_path(engine))
            _KEYS[engine] = keys
            return keys
    cached = _KEYS.get(engine)
    if cached is not None and cached.database_id == db_id and cached.key() is not None:
        return cached
    keys = AuditKey(db_id)
    if keys.key() is None:
        return None
    _KEYS[engine] = keys
    return keys


# --- appending --------------------------------------------------------------------------------

def _head(session: Session) -> tuple[int, str]:
    row = session.execute(select(EventRow.seq, EventRow.mac).where(LOCAL, EventRow.seq.is_not(None))
                          .order_by(EventRow.seq.desc()).limit(1)).first()
    if row is None or row[0] is None:
        return 0, ""
    return int(row[0]), str(row[1] or "")


def anchor_problem(session: Session, keys: AuditKey, head: tuple[int, str], *, fast: bool = False) -> str | None:
    """Why the log's head does not continue the anchor (entries deleted or replaced), else None."""
    mine = keys.last_written
    if fast and mine is not None and mine.seq == head[0] and hmac.compare_digest(mine.mac, head[1]) \
            and keys.anchor_path.exists():
        return None  # the head is what this process wrote last
    anchor = keys.read_anchor()
    if anchor is None:
        return "anchor_missing"
    if anchor.seq == head[0]:
        return None if hmac.compare_digest(anchor.mac, head[1]) else "head_replaced"
    if anchor.seq > head[0]:
        return "entries_deleted"
    if anchor.seq == 0:
        return None
    # the anchor lags (a crash between commit and anchor write): the entry it names must be unchanged
    mac = session.scalar(select(EventRow.mac).where(LOCAL, EventRow.seq == anchor.seq))
    return None if mac is not None and hmac.compare_digest(mac, anchor.mac) else "head_replaced"


def _seal(row: EventRow, keys: AuditKey, seq: int, prev: str) -> str:
    if row.at is None:
        row.at = utcnow()
    if row.id is None:
        row.id = uuid.uuid4()
    row.payload = json_ready(row.payload or {})
    row.seq, row.prev_mac = seq, prev
    row.mac = keys.mac(entry_fields(row))
    return row.mac


def chain_new(session: Session, new: list[EventRow]) -> None:
    """Seal ``new`` (events added to the session) after the head, first sealing any entries written
    without the key (with an "audit.sealed" event) and recording a broken anchor (entries deleted)."""
    keys = key_for(session, create=True)
    if keys is None:
        return  # no key on this computer: the entries stay unsealed until a computer with it writes
    with session.no_autoflush:
        seq, mac = _head(session)
        problem = anchor_problem(session, keys, (seq, mac), fast=True)
        anchor = keys.read_anchor() if problem is not None else None
        actor = new[0].actor if new else ""
        to_seal: list[EventRow] = []
        if problem is not None:
            restored = next((e for e in new if e.kind == RESTORED), None)
            details = {"reason": problem, "expected_seq": anchor.seq if anchor else None, "found_seq": seq}
            if restored is not None:  # a deliberate restore of an older database
                restored.payload = {**(restored.payload or {}), "log_rolled_back": details}
            else:
                to_seal.append(EventRow(kind=MISMATCH, entity_id=None, actor=actor, payload=details, at=utcnow()))
        new_ids = {e.id for e in new if e.id is not None}
        legacy: list[EventRow] = []
        if session.scalar(select(EventRow.id).where(LOCAL, EventRow.seq.is_(None)).limit(1)) is not None:
            legacy = [e for e in session.scalars(select(EventRow).where(LOCAL, EventRow.seq.is_(None))
                                                 .order_by(EventRow.at, EventRow.id)) if e.id not in new_ids]
        if legacy:
            to_seal.extend(legacy)
            to_seal.append(EventRow(kind=SEALED, entity_id=None, actor=actor, at=utcnow(), payload={
                "count": len(legacy), "first_at": legacy[0].at.isoformat() if legacy[0].at else None,
                "last_at": legacy[-1].at.isoformat() if legacy[-1].at else None}))
        for row in [*to_seal, *new]:
            if row not in session:
                session.add(row)
            seq += 1
            mac = _seal(row, keys, seq, mac)
        engine = session.get_bind()
        session.info["audit_anchor"] = (keys, Anchor(seq, mac, database_path(engine)))  # type: ignore[arg-type]


def seal_pending(session: Session) -> int:
    """At open: create the key of a new database and seal the entries written without it (older
    versions, another computer); returns how many. A head that does not continue the anchor is
    left for the next recorded change to report (a restore records itself first)."""
    keys = key_for(session, create=True)
    if keys is None:
        return 0
    pending = len(session.scalars(select(EventRow.id).where(LOCAL, EventRow.seq.is_(None))).all())
    if pending and anchor_problem(session, keys, _head(session)) is None:
        chain_new(session, [])
        return pending
    return 0


@event.listens_for(Session, "before_flush")
def _chain_events(session: Session, flush_context: Any, instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, EventRow) and obj.seq is None]
    if new:
        new.sort(key=lambda e: getattr(e, "_order", 0))
        chain_new(session, new)


@event.listens_for(Session, "after_commit")
def _write_anchor(session: Session) -> None:
    pending = session.info.pop("audit_anchor", None)
    if pending is not None:
        keys, anchor = pending
        try:
            keys.write_anchor(anchor)
        except OSError:  # the commit stands; a lagging anchor is accepted by verification
            pass


@event.listens_for(Session, "after_rollback")
def _drop_anchor(session: Session) -> None:
    session.info.pop("audit_anchor", None)

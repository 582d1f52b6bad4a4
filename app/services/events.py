"""Recording events: every state change leaves one, in the same transaction.

The events are the audit log: :mod:`app.storage.audit` chains each one to the previous by a keyed
hash when the session flushes. Payload values are stored as JSON (dates, decimals as text).
"""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage import audit  # noqa: F401  (registers the chaining hooks)
from app.storage.audit import json_ready
from app.storage.models import EventRow, utcnow

_order = itertools.count()

#: The events binding a signed record: its signed hash (``assessment.signed``; ``assessment.imported``
#: with a ``signed_hash``), a signed PDF's bytes (``document`` and ``pdf_sha256`` or ``sha256``).
SIGN_KINDS = ("assessment.signed", "assessment.pdf_signed", "assessment.imported")
HASH_KINDS = ("assessment.signed", "assessment.imported")


def record(session: Session, kind: str, entity_id: uuid.UUID | None, actor: str = "", **payload: Any) -> EventRow:
    """Add an event to the session (committed with the change it describes)."""
    event = EventRow(id=uuid.uuid4(), at=utcnow(), kind=kind, entity_id=entity_id, actor=actor,
                     payload=json_ready(payload))
    event._order = next(_order)  # type: ignore[attr-defined]  # the order the chain seals them in
    session.add(event)
    return event


def sign_bindings(session: Session, ids: Collection[uuid.UUID] | None = None, *, documents: bool = True,
                  ) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, dict[str, str]]]:
    """What the sign events bind (of the cases ``ids``, or all): case -> signed hash, and case ->
    {document id: SHA-256 of the signed PDF's bytes} (left empty when not ``documents``).

    The events are sealed in the audit log's chain: a signed hash recomputed behind the
    application's back no longer matches the one its sign event holds."""
    bound_hash: dict[uuid.UUID, str] = {}
    bound_docs: dict[uuid.UUID, dict[str, str]] = defaultdict(dict)
    kinds = SIGN_KINDS if documents else HASH_KINDS
    query = select(EventRow.entity_id, EventRow.kind, EventRow.payload)
    if ids is None:
        query = query.where(EventRow.kind.in_(kinds))
    elif not ids:
        return bound_hash, bound_docs
    else:
        # ``kind || ''``: found by the case ids' index (ix_events_entity), not by kind, which
        # SQLite would otherwise pick and read every sign event of the database
        query = query.where(EventRow.entity_id.in_(list(ids)), EventRow.kind.concat("").in_(kinds))
    for entity_id, kind, payload in session.execute(query):
        if entity_id is None:
            continue
        p = payload or {}
        if kind in HASH_KINDS and p.get("signed_hash"):
            bound_hash[entity_id] = str(p["signed_hash"])
        if documents and p.get("document") and (p.get("pdf_sha256") or p.get("sha256")):
            bound_docs[entity_id][str(p["document"])] = str(p.get("pdf_sha256") or p.get("sha256"))
    return bound_hash, bound_docs

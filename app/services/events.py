"""Recording events: every state change leaves one, in the same transaction.

The events are the audit log: :mod:`app.storage.audit` chains each one to the previous by a keyed
hash when the session flushes. Payload values are stored as JSON (dates, decimals as text).
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.storage import audit  # noqa: F401  (registers the chaining hooks)
from app.storage.audit import json_ready
from app.storage.models import EventRow, utcnow

_order = itertools.count()


def record(session: Session, kind: str, entity_id: uuid.UUID | None, actor: str = "", **payload: Any) -> EventRow:
    """Add an event to the session (committed with the change it describes)."""
    event = EventRow(id=uuid.uuid4(), at=utcnow(), kind=kind, entity_id=entity_id, actor=actor,
                     payload=json_ready(payload))
    event._order = next(_order)  # type: ignore[attr-defined]  # the order the chain seals them in
    session.add(event)
    return event

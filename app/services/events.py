"""Recording events: every state change leaves one, in the same transaction."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.storage.models import EventRow


def record(session: Session, kind: str, entity_id: uuid.UUID | None, actor: str = "", **payload: Any) -> EventRow:
    """Add an event to the session (committed with the change it describes)."""
    event = EventRow(kind=kind, entity_id=entity_id, actor=actor, payload=payload)
    session.add(event)
    return event

"""The case list's first screen read straight from the SQLite file, before SQLAlchemy is loaded.

Only the standard library: the desktop app shows the list from here while the database layer
(SQLAlchemy, the migration check, the start-up backup) is still loading. The file is opened
read-only (``mode=ro``: this module can never write to or damage it), and only when it is a
SQLite database at exactly the schema this code writes (``HEAD_REVISION``); anything else gives
``None`` and the normal path, with its checks, backups, migrations and recovery, decides.

The SQL mirrors :class:`app.services.assessments.AssessmentService` (``count``, ``ids`` with the
list's default order, ``summaries``) and reads the values as the SQLAlchemy column types of
app/storage/models.py store them on SQLite (UUIDs as 32 hex digits, dates and timestamps as ISO
text, amounts as scaled integers); a test compares both paths row by row.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.storage.schema import HEAD_REVISION, SQLITE_MAGIC

#: Raised by every function here when the file cannot be read as expected: the caller falls back
#: to the normal path (which reports a damaged file properly).
QuickReadError = (sqlite3.Error, ValueError, TypeError, OSError)

_LISTED = "training_exercise_id IS NULL"  # a trainee's answers to an exercise are not a case
SUMMARY_COLUMNS = ("id", "case_reference", "case_date", "advisor", "branch", "ownership", "sector", "decision",
                   "amount_requested", "amount_granted", "currency", "status", "flag_count", "score", "updated_at")
#: the scale of the ScaledDecimal amount columns (app/storage/models.py)
AMOUNT_SCALE = 2


def open_readonly(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to ``path`` when it is a SQLite file at ``HEAD_REVISION``, else None."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                return None
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != HEAD_REVISION:
        conn.close()
        return None
    return conn


def count(conn: sqlite3.Connection) -> int:
    """The number of cases (as ``AssessmentService.count()`` with no filter)."""
    return int(conn.execute(f"SELECT count(id) FROM assessments WHERE {_LISTED}").fetchone()[0])


def ids(conn: sqlite3.Connection, limit: int | None = None) -> list[uuid.UUID]:
    """The case ids in the list's default order, the last changed first (``AssessmentFilter()``);
    the first ``limit`` only when given."""
    query = f"SELECT id FROM assessments WHERE {_LISTED} ORDER BY updated_at DESC, id DESC"
    rows = conn.execute(query + " LIMIT ?", (limit,)) if limit is not None else conn.execute(query)
    return [_uuid(value) for (value,) in rows]


def summary_rows(conn: sqlite3.Connection, wanted: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    """The list's columns of the cases ``wanted``, converted as the ORM converts them, plus
    ``template_title`` and ``template_version``."""
    if not wanted:
        return []
    columns = ", ".join(f"a.{name}" for name in SUMMARY_COLUMNS)
    marks = ", ".join("?" for _ in wanted)
    query = (f"SELECT {columns}, v.title, v.number FROM assessments a "
             f"JOIN template_versions v ON a.template_version_id = v.id WHERE a.id IN ({marks})")
    out = []
    for row in conn.execute(query, [value.hex for value in wanted]):
        values = dict(zip(SUMMARY_COLUMNS, row[:len(SUMMARY_COLUMNS)], strict=True))
        values["id"] = uuid.UUID(hex=values["id"])
        values["case_date"] = date.fromisoformat(values["case_date"]) if values["case_date"] is not None else None
        for name in ("amount_requested", "amount_granted"):
            values[name] = _scaled(values[name])
        values["flag_count"] = int(values["flag_count"])
        values["score"] = float(values["score"]) if values["score"] is not None else None
        values["updated_at"] = _timestamp(values["updated_at"])
        values["template_title"], values["template_version"] = row[-2], int(row[-1])
        out.append(values)
    return out


def published_templates(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(key, title) of the latest published version of each template, by key (as
    ``TemplateService.published_versions()``)."""
    latest: dict[str, str] = {}
    rows = conn.execute("SELECT t.key, v.title FROM template_versions v JOIN templates t ON v.template_id = t.id "
                        "WHERE v.status = 'published' ORDER BY t.key, v.number")
    for key, title in rows:
        latest[key] = title
    return list(latest.items())


_new = object.__new__
_set = object.__setattr__


def _uuid(value: str) -> uuid.UUID:
    """``uuid.UUID(hex=value)`` for the 32 hex digits SQLAlchemy's Uuid type stores on SQLite, in a
    third of the time (10 000 ids at start-up): what ``UUID.__init__`` ends with, minus its parsing."""
    if len(value) != 32:
        raise ValueError(f"not a stored UUID: {value!r}")
    made = _new(uuid.UUID)
    _set(made, "int", int(value, 16))
    _set(made, "is_safe", uuid.SafeUUID.unknown)
    return made


def _scaled(value: int | None) -> Decimal | None:
    """A ScaledDecimal column's value (an integer: amount * 10**scale)."""
    if value is None:
        return None
    return (Decimal(value) / (10 ** AMOUNT_SCALE)).quantize(Decimal(1).scaleb(-AMOUNT_SCALE))


def _timestamp(value: str) -> datetime:
    """A UTCDateTime column's value: ISO text in UTC, returned timezone-aware."""
    stamp = datetime.fromisoformat(value)
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp

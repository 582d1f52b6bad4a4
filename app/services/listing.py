"""The case list's rows and filter, and its first screen read before the database layer is loaded.

No SQLAlchemy here (nor in what this module imports): the desktop app imports it to show the
case list at once, while :func:`app.bootstrap.start` (SQLAlchemy, the migration check, the
start-up backup) runs in the background.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.enums import AssessmentStatus

if TYPE_CHECKING:
    import sqlite3


@dataclass(frozen=True)
class AssessmentSummary:
    """A light row for lists."""

    id: uuid.UUID
    case_reference: str
    case_date: date | None
    advisor: str
    branch: str
    ownership: str | None
    sector: str | None
    decision: str | None
    amount_requested: Decimal | None
    amount_granted: Decimal | None
    currency: str
    status: str
    flag_count: int
    score: float | None
    template_title: str
    template_version: int
    updated_at: datetime
    #: a signed case whose stored data no longer matches its signed hash (changed outside Likvärd)
    tampered: bool = False
    #: False while ``tampered`` is not known yet: a signed case read by :class:`QuickCaseList`
    #: (its signature is checked once the database layer is loaded); the list shows "…" meanwhile
    tamper_known: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id), "case_reference": self.case_reference,
            "case_date": self.case_date.isoformat() if self.case_date else None,
            "advisor": self.advisor, "branch": self.branch, "ownership": self.ownership,
            "sector": self.sector, "decision": self.decision,
            "amount_requested": str(self.amount_requested) if self.amount_requested is not None else None,
            "amount_granted": str(self.amount_granted) if self.amount_granted is not None else None,
            "currency": self.currency, "status": self.status, "flag_count": self.flag_count,
            "score": self.score, "template": self.template_title, "template_version": self.template_version,
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass
class AssessmentFilter:
    """What the case list shows: free-text search and filters."""

    search: str = ""
    status: str | None = None
    ownership: str | None = None
    template_key: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "updated_at"
    descending: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


class QuickCaseList:
    """The case list's first screen, read-only, from a SQLite file at the current schema.

    :meth:`open` gives None whenever the normal path must decide (no file yet, an older or newer
    schema, not a SQLite file, a read error); the GUI then waits for :func:`app.bootstrap.start`.
    Only the list's default order and no filter: searching and sorting wait for the services.
    The number of cases and the first ids are read at :meth:`open`, the whole order by
    :meth:`ids`, rows on demand (a row that cannot be read is left out: the list shows it once the
    services are open). Use it from one thread, and :meth:`close` it once the services are open.
    """

    #: how many ids :meth:`open` reads (the first screen; all 10 000 take ~20 ms more)
    FIRST_IDS = 200

    def __init__(self, conn: sqlite3.Connection, total: int, first_ids: list[uuid.UUID],
                 first_rows: list[dict[str, Any]] | None = None) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._total = total
        self._first_ids = first_ids
        self._ids: list[uuid.UUID] | None = first_ids if len(first_ids) == total else None
        #: the first page's rows, read by :meth:`open`; the list's first :meth:`summaries` takes them
        self._first_rows = {row["id"]: row for row in first_rows or ()}

    @classmethod
    def open(cls, db_path: str | Path | None) -> QuickCaseList | None:
        from app.paths import default_database, is_database_url
        from app.storage import quick

        where = db_path if db_path is not None else default_database()
        if is_database_url(where):  # a server database: only the services read it
            return None
        try:
            path = Path(where).expanduser().resolve()
        except (OSError, RuntimeError):
            return None
        conn = quick.open_readonly(path)
        if conn is None:
            return None
        try:
            total = quick.count(conn)
            first = quick.ids(conn, cls.FIRST_IDS)  # from indexes only (ix_assessments_listed) ...
            rows = quick.summary_rows(conn, first)  # ... the first page from the table: damaged, the normal path says so
        except quick.QuickReadError:
            conn.close()
            return None
        return cls(conn, total, first, rows)

    def count(self, flt: AssessmentFilter | None = None) -> int:
        self._check(flt)
        return self._total

    def first_ids(self) -> list[uuid.UUID]:
        """The first :attr:`FIRST_IDS` ids of :meth:`ids`."""
        return list(self._first_ids)

    def ids(self, flt: AssessmentFilter | None = None) -> list[uuid.UUID]:
        """The ids in the list's default order (as ``AssessmentService.ids()``); only the first ones
        when the file can no longer be read."""
        from app.storage import quick

        self._check(flt)
        if self._ids is None and self._conn is not None:
            try:
                self._ids = quick.ids(self._conn)
            except quick.QuickReadError:
                return self.first_ids()
        return list(self._ids) if self._ids is not None else self.first_ids()

    def summaries(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, AssessmentSummary]:
        """As :meth:`AssessmentService.summaries`, except that a signed case's ``tampered`` is
        not known yet (``tamper_known`` False); empty once closed or when the file cannot be read."""
        from app.storage import quick

        if self._conn is None:
            return {}
        if ids and all(i in self._first_rows for i in ids):  # the first page, read by open(): not twice
            rows = [self._first_rows[i] for i in ids]
            self._first_rows = {}
        else:
            try:
                rows = quick.summary_rows(self._conn, ids)
            except quick.QuickReadError:
                return {}
        out = {}
        for values in rows:
            signed = values["status"] == AssessmentStatus.SIGNED
            out[values["id"]] = AssessmentSummary(**values, tamper_known=not signed)
        return out

    def published_templates(self) -> list[tuple[str, str]]:
        """(key, title) of each template new cases can be filled with, as the list's filter shows them."""
        from app.storage import quick

        if self._conn is None:
            return []
        try:
            return quick.published_templates(self._conn)
        except quick.QuickReadError:
            return []

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @staticmethod
    def _check(flt: AssessmentFilter | None) -> None:
        if flt is not None and flt != AssessmentFilter():
            raise ValueError("the quick case list reads the default order only")

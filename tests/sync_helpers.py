"""Helpers of the sync tests and benchmark: a migrated server database, laptops with cases."""

from __future__ import annotations

import dataclasses
import random
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from app.enums import AssessmentStatus

_TEMPLATES: dict[int, str] = {}


def server_template(pg_server: Any) -> str:
    """The name of a database migrated to HEAD once per cluster (copied per test: fast)."""
    key = id(pg_server)
    if key not in _TEMPLATES:
        from app.storage.db import prepare_schema

        url = pg_server.create_database("likvard_sync_template")
        prepare_schema(url)  # the app's own Alembic migrations make the schema
        _TEMPLATES[key] = db_name(url)
    return _TEMPLATES[key]


def server_url(pg_server: Any) -> str:
    """A fresh server database at HEAD (a copy of the migrated template)."""
    return pg_server.create_database("likvard_sync", template=server_template(pg_server))


def laptop(path: Path) -> Any:
    """Services over a new laptop database (bundled checklists installed, as at a first start)."""
    from app.bootstrap import start

    return start(path, language="en", backup=False)


def add_cases(services: Any, prefix: str, count: int, *, seed: int = 1,
              status: str = AssessmentStatus.COMPLETED) -> list[uuid.UUID]:
    """``count`` demo-like completed cases with references ``<prefix>-00001``...; returns their ids."""
    from app.services.demo import demo_answers, demo_facts

    rng = random.Random(seed)
    versions = services.templates.published_versions()
    version = next(v for v in versions if v.template_key != "all_types")
    content = services.templates.content(version.id)
    batch = []
    for n in range(count):
        facts = demo_facts(rng, n + 1, date(2026, 6, 1))
        facts = dataclasses.replace(facts, case_reference=f"{prefix}-{n + 1:05d}", decision="granted",
                                    decision_date=date(2026, 6, 1), amount_granted=facts.amount_requested)
        answers, comments = demo_answers(content, facts, rng, True)
        batch.append((version.id, facts, answers, comments, status))
    before = set(services.assessments.ids())
    services.assessments.bulk_create(batch)
    return sorted(set(services.assessments.ids()) - before, key=str)


def server_counts(pg_server: Any, url: str) -> dict[str, int]:
    db = db_name(url)
    out = {}
    for table in ("assessments", "answers", "item_flags", "signed_documents"):
        out[table] = pg_server.psql(f"SELECT count(*) FROM {table}", db)[0][0]
    out["events"] = pg_server.psql("SELECT count(*) FROM events WHERE origin <> ''", db)[0][0]
    return out


def db_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).database)

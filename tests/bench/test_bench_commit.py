"""What durability costs (issue 13, item 8): one autosave commit (one answer through the real
AssessmentService, in WAL mode) with ``synchronous=NORMAL`` against ``FULL``, and a raw SQL
UPDATE of one row with FULL as the floor. Skipped by default; run with
``python -m pytest tests/bench/test_bench_commit.py --benchmark-enable --benchmark-only``.
The database sits in ``LIKVARD_BENCH_DIR`` (default: the test's temporary folder), which should
be on the disk the users have, since fsync is what is measured.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from pathlib import Path

import pytest

from app.domain.facts import CaseFacts
from tests.conftest import DATA

pytestmark = pytest.mark.benchmark


def _folder(tmp_path: Path) -> Path:
    base = os.environ.get("LIKVARD_BENCH_DIR")
    if not base:
        return tmp_path
    folder = Path(base) / tmp_path.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("mode", ["NORMAL", "FULL"])
def test_one_autosave_commit(benchmark, tmp_path, monkeypatch, mode):
    from app.bootstrap import start
    from app.storage import db as storage

    monkeypatch.setattr(storage, "SYNCHRONOUS", mode)
    services = start(_folder(tmp_path) / f"bench-{mode}.sqlite", language="en")
    try:
        version = services.templates.import_file(DATA / "all_types.json").version
        case_id = services.assessments.create(version.id, CaseFacts(case_reference="BENCH-1"))
        texts = (f"answer {n}" for n in itertools.count())
        benchmark(lambda: services.assessments.set_answers(case_id, {"summary": next(texts)}))
        with services.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == {"NORMAL": 1, "FULL": 2}[mode]
    finally:
        services.db.close()


def test_raw_sql_commit_floor(benchmark, tmp_path):
    conn = sqlite3.connect(_folder(tmp_path) / "raw.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE answers (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO answers VALUES ('summary', '')")
    counter = itertools.count()

    def commit() -> None:
        conn.execute("BEGIN")
        conn.execute("UPDATE answers SET value = ? WHERE key = 'summary'", (f"answer {next(counter)}",))
        conn.execute("COMMIT")

    benchmark(commit)
    conn.close()

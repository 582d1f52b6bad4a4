"""The case list's first screen read read-only with sqlite3 before SQLAlchemy loads (issue 15,
start-up): the same ids, order and rows as AssessmentService, on a real SQLite file; any file
the normal path must decide about (new, older, newer, foreign, not SQLite) is left to it, untouched."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.facts import CaseFacts
from app.enums import AssessmentStatus
from app.services.listing import AssessmentFilter, QuickCaseList
from app.storage.schema import HEAD_REVISION
from tests.conftest import DATA, ROOT
from tests.pdf.conftest import fill_case

EXTRA_DRAFTS = 260  # more than QuickCaseList.FIRST_IDS: the rest of the order is read later


def build_varied_cases(services) -> dict[str, uuid.UUID]:
    """Cases of every shape the list shows: amounts with cents and none, EUR and SEK, no date,
    completed, signed, signed then changed outside Likvärd, an amendment, a trainee's attempt (not
    listed), and enough drafts for more than one page."""
    from sqlalchemy import insert

    from app.storage.models import AssessmentRow

    version = services.templates.find_version("all_types")
    made = {}
    made["completed"] = fill_case(services, version)
    made["signed"] = fill_case(services, version, case_reference="GBG-2026-020")
    services.records.sign(made["signed"], "Åsa Lindström")
    made["tampered"] = fill_case(services, version, case_reference="GBG-2026-021")
    services.records.sign(made["tampered"], "Åsa Lindström")
    made["amended"] = fill_case(services, version, case_reference="GBG-2026-022")
    services.records.sign(made["amended"], "Åsa Lindström")
    made["amendment"] = services.records.amend(made["amended"])
    made["euro"] = services.assessments.create(version.id, CaseFacts(
        case_reference="LYON-7", case_date=date(2025, 12, 31), advisor="Élodie Fèvre", branch="Lyon",
        ownership="mixed", sector="retail", amount_requested=Decimal("1234567.89"), currency="EUR"))
    made["bare"] = services.assessments.create(version.id, CaseFacts(case_reference="Ö-utan-datum"))
    for _exercise in services.exercises.list()[:1]:
        made["training"] = services.exercises.start(_exercise.key, "Trainee Tove").assessment_id
    bundled = services.templates.published_versions()[0]
    start = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
    rows = [{"id": uuid.uuid4(), "template_version_id": bundled.id, "status": str(AssessmentStatus.DRAFT),
             "case_reference": f"MLM-{n:04d}", "case_date": date(2026, 1, 1) + timedelta(days=n % 90),
             "advisor": "Märta Öberg" if n % 2 else "Anders Åkesson", "branch": "Malmö", "ownership": "men_led",
             "sector": "construction", "currency": "SEK", "amount_requested": Decimal(n * 1000) + Decimal("0.5"),
             "flag_count": n % 4, "score": (n % 10) / 10 if n % 7 else None,
             "created_at": start, "updated_at": start + timedelta(minutes=n // 3)}  # ties: the id decides
            for n in range(EXTRA_DRAFTS)]
    with services.db.engine.begin() as conn:
        conn.execute(insert(AssessmentRow.__table__), rows)
    # changed outside Likvärd: the stored data no longer matches the signed hash
    with sqlite3.connect(services.db.path) as conn:
        conn.execute("UPDATE assessments SET advisor = 'Someone Else' WHERE id = ?", (made["tampered"].hex,))
    conn.close()
    return made


@pytest.fixture
def varied(services):
    return services, build_varied_cases(services)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_quick_list_reads_the_same_ids_order_and_rows_as_the_services(varied, db_path):
    services, made = varied
    normal = services.assessments
    before = _sha(db_path)
    quick = QuickCaseList.open(db_path)
    assert quick is not None
    try:
        ids = normal.ids()
        assert quick.count() == normal.count() == len(ids) and len(ids) > QuickCaseList.FIRST_IDS
        assert made["training"] not in ids  # a trainee's attempt is not a case, on both paths
        assert quick.first_ids() == ids[:QuickCaseList.FIRST_IDS]
        assert quick.ids() == ids
        expected = normal.summaries(ids)
        got = quick.summaries(ids)
        assert got.keys() == expected.keys()
        for case_id, row in expected.items():
            if row.status == AssessmentStatus.SIGNED:  # its signature is checked once the services are open
                assert got[case_id].tamper_known is False
                assert dataclasses.replace(got[case_id], tampered=row.tampered, tamper_known=True) == row
            else:
                assert got[case_id] == row and got[case_id].tamper_known
        assert expected[made["tampered"]].tampered and not expected[made["signed"]].tampered
        assert expected[made["euro"]].amount_requested == Decimal("1234567.89")
        assert expected[made["bare"]].case_date is None and expected[made["bare"]].amount_requested is None
        assert quick.published_templates() == [(v.template_key, v.title)
                                               for v in services.templates.published_versions()]
        with pytest.raises(ValueError):
            quick.ids(AssessmentFilter(search="GBG"))  # searching waits for the services
    finally:
        quick.close()
    assert _sha(db_path) == before  # read-only: never written
    assert quick.summaries(ids[:3]) == {} and quick.published_templates() == []  # closed: nothing, no error


def test_an_empty_database_gives_an_empty_quick_list(services, db_path):
    services.db.close()
    quick = QuickCaseList.open(db_path)
    assert quick is not None
    assert quick.count() == 0 and quick.ids() == [] and quick.first_ids() == []
    assert [key for key, _title in quick.published_templates()] == sorted(
        v.template_key for v in services.templates.published_versions())
    quick.close()


def _set_revision(path, revision: str | None) -> None:
    conn = sqlite3.connect(path)
    with conn:
        if revision is None:
            conn.execute("DROP TABLE alembic_version")
        else:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


@pytest.mark.parametrize("revision", ["0008", "0001", "9999", None])
def test_a_database_at_another_schema_is_left_to_the_normal_path(services, db_path, tmp_path, revision):
    services.db.close()
    path = tmp_path / "other.sqlite"
    shutil.copyfile(db_path, path)
    _set_revision(path, revision)
    before = _sha(path)
    assert QuickCaseList.open(path) is None  # older: backup + migration; newer or foreign: refused
    assert _sha(path) == before


def test_a_real_old_database_is_left_to_the_migration(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(DATA / "likvard-0001.sqlite", path)
    assert QuickCaseList.open(path) is None
    assert path.read_bytes() == (DATA / "likvard-0001.sqlite").read_bytes()


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"SQLite format 3\x00" + bytes(range(256)) * 32])
def test_missing_empty_foreign_or_damaged_files_are_left_to_the_normal_path(tmp_path, content):
    assert QuickCaseList.open(tmp_path / "none.sqlite") is None
    assert not (tmp_path / "none.sqlite").exists()  # not created either
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    assert QuickCaseList.open(path) is None
    assert path.read_bytes() == content


def test_a_folder_is_left_to_the_normal_path(tmp_path):
    assert QuickCaseList.open(tmp_path) is None


def test_the_first_screen_imports_no_database_layer():
    """What the GUI imports to show the list at once: no SQLAlchemy, no Alembic."""
    code = ("import sys; from app.services.listing import QuickCaseList; import app.storage.quick; "
            "import app.domain.status, app.services; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_head_revision_is_the_newest_migration():
    from app.storage.db import HEAD_REVISION as DB_HEAD
    from app.storage.db import known_revisions

    assert HEAD_REVISION == DB_HEAD == known_revisions()[-1]


def test_a_database_damaged_inside_is_left_to_the_normal_path(varied, db_path):
    """Header and schema intact, the cases' table damaged: no quick list (the normal path reports it)."""
    services, _made = varied
    services.db.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'assessments'").fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    data[(root - 1) * page_size:root * page_size] = bytes([0xA5]) * page_size
    db_path.write_bytes(bytes(data))
    assert QuickCaseList.open(db_path) is None
    assert db_path.read_bytes() == bytes(data)


def test_the_default_order_is_read_from_its_index_without_a_sort(varied, db_path):
    """The list's default order (last changed first, ties by id descending) is
    ix_assessments_listed read backwards, on the quick path and over the services: no row is
    sorted, the first page is the index's last entries (migration 0014)."""
    from sqlalchemy import select

    from app.storage import quick as quick_sql
    from app.storage.models import AssessmentRow

    services, _made = varied
    conn = sqlite3.connect(db_path)
    try:
        plan = " | ".join(row[-1] for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM assessments WHERE training_exercise_id IS NULL "
            "ORDER BY updated_at DESC, id DESC LIMIT 200"))
        assert "ix_assessments_listed" in plan and "TEMP B-TREE" not in plan, plan
        assert quick_sql.ids(conn, 200) == services.assessments.ids(AssessmentFilter())[:200]
    finally:
        conn.close()
    query = services.assessments._filtered(select(AssessmentRow.id), AssessmentFilter()).order_by(
        AssessmentRow.updated_at.desc(), AssessmentRow.id.desc())
    with services.db.engine.connect() as c:
        sql = str(query.compile(dialect=c.dialect, compile_kwargs={"literal_binds": True}))
        plan = " | ".join(row[-1] for row in c.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "ix_assessments_listed" in plan and "TEMP B-TREE" not in plan, plan
    ids = services.assessments.ids(AssessmentFilter())
    rows = services.assessments.summaries(ids)
    keys = [(rows[i].updated_at, i.hex) for i in ids]
    assert keys == sorted(keys, reverse=True)  # newest first, ties by id descending


def test_the_first_page_is_read_once(varied, db_path):
    """open() reads the first page's rows (which also shows a damaged table); the list's first
    summaries() takes them without asking the file again, later ones ask it."""
    services, _made = varied
    services.db.close()
    quick = QuickCaseList.open(db_path)
    assert quick is not None
    try:
        statements: list[str] = []
        quick._conn.set_trace_callback(statements.append)  # type: ignore[union-attr]
        first = quick.first_ids()
        page = quick.summaries(first)
        assert set(page) == set(first) and statements == []
        again = quick.summaries(first[:3])
        assert len(statements) == 1 and again == {i: page[i] for i in first[:3]}
    finally:
        quick.close()

"""The SQLite store: migrations, refusals, round trips, pragmas."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.domain.facts import CaseFacts
from app.errors import DatabaseCorruptError, DatabaseTooNewError, LockedAssessmentError, StorageError
from app.storage.db import HEAD_REVISION, known_revisions, open_database
from app.storage.models import AnswerRow, AssessmentRow

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)


def test_migration_from_an_empty_database(tmp_path):
    path = tmp_path / "new.sqlite"
    db = open_database(path)
    with db.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == HEAD_REVISION
        tables = {r[0] for r in conn.execute(text("select name from sqlite_master where type='table'"))}
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.close()
    assert {"templates", "template_versions", "assessments", "answers", "events", "settings"} <= tables
    # a zero-byte file is no longer taken for a new database: see test_bad_database_files.py (issue 13)


def test_head_revision_matches_the_migration_scripts():
    assert known_revisions()[-1] == HEAD_REVISION


def test_models_and_migrations_agree(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.storage.models import Base

    db = open_database(tmp_path / "cmp.sqlite")
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    db.close()


def test_refuses_a_database_from_newer_code(tmp_path):
    path = tmp_path / "newer.sqlite"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("update alembic_version set version_num='9999'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNewError) as info:
        open_database(path)
    assert "newer version" in info.value.message
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"this is not a database at all" * 10, b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 200])
def test_a_broken_file_is_never_overwritten(tmp_path, content):
    path = tmp_path / "broken.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseCorruptError):
        open_database(path)
    assert path.read_bytes() == content


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(StorageError):
        open_database(tmp_path)


def test_round_trip_of_facts_and_answers(services, all_types_version, db_path):
    facts = CaseFacts(case_reference="GBG-1", case_date=date(2026, 3, 1), advisor="Anna", branch="Göteborg",
                      ownership="mixed", sector="care_and_health", legal_form="cooperative",
                      amount_requested=Decimal("250000.50"), amount_granted=Decimal("125000.25"), currency="SEK",
                      collateral_required=True, personal_guarantee_required=False, interest_rate=Decimal("5.125"),
                      decision="partly_granted", decision_date=date(2026, 3, 20))
    aid = services.assessments.create(all_types_version.id, facts)
    services.assessments.set_answer(aid, "documents", ["appraisal", "cash_flow"], comment="Åsa's note — très bien")
    services.assessments.set_answer(aid, "fees", {"amount": "99.9", "currency": "EUR"})
    services.db.close()
    db = open_database(db_path)
    from app.services import Services

    again = Services(db).assessments.get(aid)
    assert again.facts == facts
    assert again.facts.granted_ratio == Decimal("0.5000")
    assert again.answers == {"documents": ["cash_flow", "appraisal"], "fees": {"amount": "99.90", "currency": "EUR"}}
    assert again.comments == {"documents": "Åsa's note — très bien"}
    with db.engine.connect() as conn:  # amounts are exact scaled integers, summable in SQL
        assert conn.execute(text("select amount_requested from assessments")).scalar() == 25000050
    db.close()


def test_storage_refuses_changes_to_a_completed_assessment(services, all_types_version):
    aid = services.assessments.create(all_types_version.id, CaseFacts(case_reference="X-1", decision="granted"))
    services.assessments.set_answer(aid, "family_asked", "no")
    services.assessments.complete(aid)
    with pytest.raises(LockedAssessmentError):
        with services.db.session() as s:
            s.get(AssessmentRow, aid).advisor = "Someone else"
    with pytest.raises(LockedAssessmentError):
        with services.db.session() as s:
            answer = s.query(AnswerRow).filter_by(assessment_id=aid).one()
            answer.value = "yes"
    assert services.assessments.get(aid).answers == {"family_asked": "no"}

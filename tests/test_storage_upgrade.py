"""Upgrading databases written by earlier releases (Electrum's habit: real old files as fixtures)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import create_engine, text

from app.storage.backups import backup_folder
from app.storage.db import HEAD_REVISION, _alembic_config, open_database
from tests.conftest import DATA

FIXTURE_0001 = DATA / "likvard-0001.sqlite"  # written by release 0.1.0 (schema 0001): 12 demo cases


def _counts(path):
    con = sqlite3.connect(path)
    try:
        return {
            "assessments": con.execute("select count(*) from assessments").fetchone()[0],
            "answers": con.execute("select count(*) from answers").fetchone()[0],
            "comments": con.execute("select count(*) from answers where comment != ''").fetchone()[0],
            "completed": con.execute("select count(*) from assessments where status='completed'").fetchone()[0],
            "answer_rows": sorted(con.execute("select assessment_id, item_key, value, comment from answers").fetchall()),
        }
    finally:
        con.close()


def test_a_0001_database_upgrades_to_head_keeping_its_data_and_a_backup(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE_0001, path)
    before = _counts(path)
    assert before["answers"] > 100 and before["comments"] > 0 and before["completed"] > 0

    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("select version_num from alembic_version")).scalar() == HEAD_REVISION
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("select count(*) from assessments where revision = 1 and amends_id is null "
                                     "and signed_hash is null")).scalar() == before["assessments"]
            assert conn.execute(text("select count(*) from signed_documents")).scalar() == 0
    finally:
        db.close()
    assert _counts(path) == before  # every answer and comment kept (a table rebuild must not cascade)
    backups = list(backup_folder(path).glob("old-*-before-migration-0001.sqlite"))  # in the backups folder
    assert len(backups) == 1
    assert _counts(backups[0]) == before
    con = sqlite3.connect(backups[0])
    assert con.execute("select version_num from alembic_version").fetchone()[0] == "0001"
    con.close()


def test_an_upgraded_case_can_be_signed_and_amended(tmp_path):
    from app.services import Services

    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE_0001, path)
    db = open_database(path)
    try:
        services = Services(db, actor="tester")
        completed = services.assessments.list()
        case = next(c for c in completed if c.status == "completed")
        before = services.assessments.get(case.id)
        signed = services.records.sign(case.id)
        assert signed.status == "signed" and signed.answers == before.answers
        new_id = services.records.amend(case.id)
        assert services.assessments.get(new_id).answers == before.answers
        assert services.records.is_intact(case.id)
    finally:
        db.close()


def test_a_database_built_at_0001_in_the_test_upgrades_with_its_rows(tmp_path):
    from alembic import command

    path = tmp_path / "built.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    command.upgrade(_alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("insert into templates (id, key, created_at) values ('t1', 'k', '2026-01-01 00:00:00')"))
        conn.execute(text(
            "insert into template_versions (id, template_id, number, status, title, content, content_hash, created_at,"
            " created_by, updated_at) values ('v1', 't1', 1, 'published', 'T', '{}', 'h', '2026-01-01', '', '2026-01-01')"))
        conn.execute(text(
            "insert into assessments (id, template_version_id, status, case_reference, advisor, branch, currency,"
            " flag_count, created_at, updated_at) values ('a1', 'v1', 'completed', 'REF-1', 'Åsa', 'Göteborg', 'SEK',"
            " 0, '2026-01-01', '2026-01-01')"))
        conn.execute(text("insert into answers (id, assessment_id, item_key, value, comment, updated_at) values"
                          " ('n1', 'a1', 'q', '\"yes\"', 'Très bien', '2026-01-01')"))
    engine.dispose()

    open_database(path).close()
    con = sqlite3.connect(path)
    assert con.execute("select item_key, value, comment from answers").fetchall() == [("q", '"yes"', "Très bien")]
    assert con.execute("select case_reference, revision, status from assessments").fetchall() == [("REF-1", 1, "completed")]
    con.close()
    assert list(backup_folder(path).glob("built-*-before-migration-0001.sqlite"))


def test_downgrade_to_0001_keeps_the_cases(tmp_path):
    from alembic import command

    path = tmp_path / "down.sqlite"
    shutil.copyfile(FIXTURE_0001, path)
    before = _counts(path)
    open_database(path).close()
    engine = create_engine(f"sqlite:///{path}")
    command.downgrade(_alembic_config(engine), "0001")
    engine.dispose()
    assert _counts(path) == before


def test_a_damaged_old_database_is_refused_before_migrating(tmp_path):
    """A damaged data page passes the cheap check of every start, but the thorough check made
    before a migration rewrites tables refuses the file and leaves it, and no backup, behind."""
    from app.errors import DatabaseCorruptError

    data = bytearray(FIXTURE_0001.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    leaf = next(p for p in range(2, len(data) // size) if data[p * size] == 13)  # a table leaf page
    data[leaf * size + 3:leaf * size + 5] = b"\xff\xff"  # an impossible cell count
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorruptError):
        open_database(path)
    assert path.read_bytes() == bytes(data)
    # nothing beside it ("xdg-data" is the test's own user data folder, where the open lock lives)
    assert [p.name for p in tmp_path.iterdir() if p.name != "xdg-data"] == ["damaged.sqlite"]



def test_0005_keeps_every_case_and_the_richer_facts_round_trip(tmp_path):
    from decimal import Decimal

    from app.bootstrap import start

    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE_0001, path)
    before = _counts(path)
    services = start(path, language="en")
    try:
        cases = services.assessments.list()
        assert len(cases) == before["assessments"]
        old = services.assessments.get(cases[0].id)
        assert old.facts.meeting_type is None and old.facts.standard_rate is None
        assert "meeting_type" not in old.facts.to_dict()  # an old case's signed content is unchanged
        facts = old.facts.copy()
        facts.meeting_type, facts.application_complete = "credit_decision", False
        facts.collateral_value, facts.guarantee_amount = Decimal("800000.00"), Decimal("50000.00")
        facts.personal_guarantee_required, facts.guarantor = True, "one_of_the_owners"
        facts.interest_rate, facts.standard_rate = Decimal("7.25"), Decimal("6.5")
        services.assessments.update_facts(old.id, facts)
        again = services.assessments.get(old.id).facts
        assert (again.meeting_type, again.application_complete, again.guarantor) == ("credit_decision", False,
                                                                                      "one_of_the_owners")
        assert again.rate_above_standard == Decimal("0.75")
        assert again.collateral_value == Decimal("800000.00") and again.loan_to_value is not None
    finally:
        services.db.close()
    assert _counts(path)["answers"] == before["answers"]

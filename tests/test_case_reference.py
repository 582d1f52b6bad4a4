"""One case per reference in a database (issue 10, item 2): service, storage, migration 0003, demo."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.domain.facts import CaseFacts
from app.errors import CaseReferenceError
from tests.conftest import DATA, run_cli
from tests.test_storage_upgrade import FIXTURE_0001

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)


def test_a_second_case_with_the_same_reference_is_refused(services, all_types_version):
    first = services.assessments.create(all_types_version.id, CaseFacts(case_reference="GBG-1"))
    with pytest.raises(CaseReferenceError) as caught:
        services.assessments.create(all_types_version.id, CaseFacts(case_reference="GBG-1"))
    assert "GBG-1" in str(caught.value) and "already used" in str(caught.value)
    assert services.assessments.count() == 1
    second = services.assessments.create(all_types_version.id, CaseFacts(case_reference="GBG-2"))
    with pytest.raises(CaseReferenceError):
        services.assessments.update_facts(second, CaseFacts(case_reference="GBG-1"))
    assert services.assessments.get(second).facts.case_reference == "GBG-2"
    services.assessments.update_facts(first, CaseFacts(case_reference="GBG-1", advisor="Åsa"))  # its own reference
    assert services.assessments.reference_in_use("GBG-1")
    assert not services.assessments.reference_in_use("GBG-1", exclude=first)
    assert services.assessments.reference_problem("GBG-2", exclude=first)


def test_a_revision_shares_its_original_s_reference_and_keeps_it(services, all_types_version):
    from tests.pdf.conftest import fill_case

    aid = fill_case(services, all_types_version)
    reference = services.assessments.get(aid).facts.case_reference
    services.records.sign(aid)
    revision = services.records.amend(aid)
    record = services.assessments.get(revision)
    assert record.facts.case_reference == reference
    services.assessments.update_facts(revision, record.facts)
    changed = record.facts.copy()
    changed.case_reference = "OTHER-1"
    with pytest.raises(CaseReferenceError):
        services.assessments.update_facts(revision, changed)
    with pytest.raises(CaseReferenceError):  # nor a new case with the signed case's reference
        services.assessments.create(all_types_version.id, CaseFacts(case_reference=reference))


def test_the_database_refuses_a_duplicate_written_past_the_services(services, all_types_version):
    services.assessments.create(all_types_version.id, CaseFacts(case_reference="RAW-1"))
    with services.db.engine.begin() as conn:
        row = dict(conn.execute(text("select * from assessments")).mappings().one())
        row["id"] = "0" * 32
        columns = ", ".join(row)
        with pytest.raises(IntegrityError):
            conn.execute(text(f"insert into assessments ({columns}) values ({', '.join(':' + c for c in row)})"), row)


@pytest.mark.sqlite_only  # a subprocess or the file itself
def test_import_of_another_case_with_a_taken_reference_is_refused_in_the_cli(services, all_types_version, tmp_path):
    from tests.pdf.conftest import fill_case

    aid = fill_case(services, all_types_version, complete=False)
    plain = tmp_path / "plain.pdf"
    services.summaries.export_pdf(aid, plain, lang="en")
    reference = services.assessments.get(aid).facts.case_reference
    other_db = tmp_path / "other.sqlite"
    env = {"LIKVARD_DB": str(other_db)}
    assert run_cli("templates", "import", str(DATA / "all_types.json"), env=env).returncode == 0
    from app.bootstrap import start

    other = start(other_db, language="en")
    try:
        version = other.templates.find_version("all_types")
        other.assessments.create(version.id, CaseFacts(case_reference=reference))
    finally:
        other.db.close()
    proc = run_cli("import-pdf", str(plain), env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert reference in proc.stderr and "already used" in proc.stderr and "Traceback" not in proc.stderr
    # the same case's PDF into its own database is recognised as already there
    assert not services.summaries.import_pdf(plain).created


def test_demo_cases_have_unique_references_even_when_run_twice(services):
    from app.services.demo import create_demo_cases

    create_demo_cases(services, 30, seed=1)
    create_demo_cases(services, 30, seed=1)
    references = [row.case_reference for row in services.assessments.list()]
    assert len(references) == 60 and len(set(references)) == 60


def _dup_fixture(tmp_path):
    """The real 0001 file with duplicates added: a draft and a completed copy, a signed pair, a name clash."""
    path = tmp_path / "dups.sqlite"
    shutil.copyfile(FIXTURE_0001, path)
    con = sqlite3.connect(path)
    rows = con.execute("select * from assessments order by created_at").fetchall()
    names = [d[0] for d in con.execute("select * from assessments").description]
    ref = names.index("case_reference")
    status = names.index("status")
    created = names.index("created_at")
    first_ref = rows[0][ref]

    def copy(n, reference, state, when):
        values = list(rows[n])
        values[0] = f"{n:02d}" + "d" * 30
        values[ref], values[status], values[created] = reference, state, when
        con.execute(f"insert into assessments values ({', '.join('?' * len(values))})", values)
        return values[0]

    ids = {
        "original": rows[0][0],
        "draft_dup": copy(1, first_ref, "draft", "2026-12-01 00:00:00"),
        "completed_dup": copy(2, first_ref, "completed", "2026-12-02 00:00:00"),
        "taken_name": copy(3, f"{first_ref} (2)", "draft", "2026-12-03 00:00:00"),
        "signed_a": copy(4, "SIGNED-1", "signed", "2026-11-01 00:00:00"),
        "signed_b": copy(5, "SIGNED-1", "signed", "2026-11-02 00:00:00"),
        "draft_c": copy(6, "SIGNED-1", "draft", "2026-10-01 00:00:00"),
    }
    con.commit()
    con.close()
    return path, first_ref, ids


def test_migration_0003_renames_later_duplicates_and_keeps_every_case(tmp_path):
    from app.storage.db import open_database

    path, first_ref, ids = _dup_fixture(tmp_path)
    con = sqlite3.connect(path)
    before = con.execute("select count(*) from assessments").fetchone()[0]
    answers = con.execute("select count(*) from answers").fetchone()[0]
    con.close()

    open_database(path).close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("select count(*) from assessments").fetchone()[0] == before
        assert con.execute("select count(*) from answers").fetchone()[0] == answers
        refs = dict(con.execute("select id, case_reference from assessments").fetchall())
        assert [r for r in refs.values()].count(first_ref) == 1
        # a completed case keeps the reference before drafts; then the oldest; (2) is taken by another case
        assert refs[ids["completed_dup"]] == first_ref
        assert refs[ids["original"]] == f"{first_ref} (3)"
        assert refs[ids["draft_dup"]] == f"{first_ref} (4)"
        assert refs[ids["taken_name"]] == f"{first_ref} (2)"
        # signed cases never change: both keep SIGNED-1, the draft that shared it is renamed
        assert refs[ids["signed_a"]] == refs[ids["signed_b"]] == "SIGNED-1"
        assert refs[ids["draft_c"]] == "SIGNED-1 (2)"
        events = {entity: json.loads(payload) for entity, payload in con.execute(
            "select entity_id, payload from events where kind = 'assessment.duplicate_reference'")}
        assert events[ids["draft_dup"]] == {"old_reference": first_ref, "new_reference": f"{first_ref} (4)"}
        assert events[ids["draft_c"]] == {"old_reference": "SIGNED-1", "new_reference": "SIGNED-1 (2)"}
        assert events[ids["signed_b"]]["reference_kept"] is True
        assert len(events) == 4
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("update assessments set case_reference = ? where id = ?", (first_ref, ids["taken_name"]))
    finally:
        con.close()


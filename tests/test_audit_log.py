"""Tamper evidence (issue 13, item 6): the chained audit log and the check of signed records.

Every test edits a real database file with sqlite3 behind the application's back, as a colleague
with the file but without the audit key would, and expects ``likvard audit verify`` and/or
``likvard verify-db`` to exit 1 naming what was changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3

import pytest

from app.cli import run
from tests.conftest import DATA
from tests.pdf.conftest import PASSWORD, fill_case


@pytest.fixture(scope="module")
def signed_db(tmp_path_factory):
    """A database with two cases signed by signed PDFs (built once, copied per test)."""
    from app.bootstrap import start
    from app.pdf.identity import create_identity

    root = tmp_path_factory.mktemp("signed")
    with pytest.MonkeyPatch.context() as mp:
        for var, sub in (("LIKVARD_KEYS_DIR", "keys"), ("LIKVARD_TRUST_DIR", "trust"), ("LIKVARD_AUDIT_DIR", "audit"),
                         ("XDG_DATA_HOME", "xdg"), ("XDG_CONFIG_HOME", "xdgc"), ("LIKVARD_CONFIG", "settings.json"),
                         ("LIKVARD_DB", "db.sqlite"), ("LIKVARD_LOG_DIR", "logs")):
            mp.setenv(var, str(root / sub))
        services = start(root / "db.sqlite", language="en")
        services.templates.import_file(DATA / "all_types.json")
        version = services.templates.find_version("all_types")
        ident = create_identity("Åsa Lindström", "Kreditgarantiföreningen Väst", PASSWORD)
        first = fill_case(services, version)
        services.summaries.export_pdf(first, root / "a.pdf", lang="en", identity=ident, password=PASSWORD)
        second = fill_case(services, version, case_reference="GBG-2026-015")
        services.summaries.export_pdf(second, root / "b.pdf", lang="en", identity=ident, password=PASSWORD)
        services.db.close()
    return root, first, second


@pytest.fixture
def case_db(signed_db, tmp_path, monkeypatch):
    root, first, second = signed_db
    shutil.copytree(root / "audit", tmp_path / "audit")
    shutil.copy(root / "db.sqlite", tmp_path / "case.sqlite")
    monkeypatch.setenv("LIKVARD_AUDIT_DIR", str(tmp_path / "audit"))
    return tmp_path / "case.sqlite", first, second


def cli(capsys, db, *args):
    code = run([*args, "--db", str(db), "--lang", "en"])
    out = capsys.readouterr()
    return code, out.out, out.err


def sql(db, statement, *params):
    conn = sqlite3.connect(db)
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def query(db, statement, *params):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def test_an_untouched_database_is_intact(case_db, capsys):
    db, _first, _second = case_db
    assert cli(capsys, db, "audit", "verify")[0] == 0
    code, out, err = cli(capsys, db, "verify-db")
    assert code == 0, err
    assert "intact" in out


# --- signed records (verify-db) -----------------------------------------------------------------

def test_an_edited_answer_of_a_signed_case_is_found(case_db, capsys):
    db, first, _second = case_db
    sql(db, "update answers set value = '\"no\"' where assessment_id = ? and item_key = 'family_asked'", first.hex)
    code, _out, err = cli(capsys, db, "verify-db")
    assert code == 1
    assert "GBG-2026-014" in err and "no longer matches its signed hash" in err and "answer family_asked" in err


def test_an_edited_answer_with_its_hash_recomputed_is_found(case_db, capsys):
    from app.bootstrap import start
    from app.exchange.assessment_format import content_hash

    db, first, second = case_db
    sql(db, "update answers set value = '\"no\"' where assessment_id = ? and item_key = 'family_asked'", first.hex)
    services = start(db, language="en", install_bundled=False)
    forged = content_hash(services.assessments.get(first))
    services.db.close()
    sql(db, "update assessments set signed_hash = ? where id = ?", forged, first.hex)
    code, _out, err = cli(capsys, db, "verify-db")
    assert code == 1 and "differs from the one recorded when it was signed" in err
    # the case list and the sync's check find it as verify-db does, from the sign event
    services = start(db, language="en", install_bundled=False)
    try:
        listed = services.assessments.summaries([first, second])
        assert (listed[first].tampered, listed[second].tampered) == (True, False)
        assert services.assessments.tampered([first, second]) == {first}
        problems = services.audit.record_problems([first, second])
        assert list(problems) == [first] and "differs from the one recorded when it was signed" in problems[first]
    finally:
        services.db.close()


def test_record_problems_follows_verify_db_on_status_and_missing_sign_events(case_db, capsys):
    """A signed case set back to completed is found; a signed case without a sign event is not (as
    verify-db: only what a sign event binds is checked against it)."""
    from app.bootstrap import start

    db, first, second = case_db
    sql(db, "update assessments set status = 'completed' where id = ?", first.hex)
    signing = "from events where entity_id = ? and kind = 'assessment.signed'"
    assert query(db, "select count(*) " + signing, second.hex) == [(1,)]
    sql(db, "delete " + signing, second.hex)
    code, _out, err = cli(capsys, db, "verify-db")
    assert code == 1 and "status was changed from signed to" in err and "GBG-2026-015" not in err
    services = start(db, language="en", install_bundled=False)
    try:
        problems = services.audit.record_problems([first, second])
        assert list(problems) == [first] and "status was changed from signed to" in problems[first]
        assert services.audit.record_problems([]) == {}
    finally:
        services.db.close()


def test_a_signed_status_changed_to_draft_is_found(case_db, capsys):
    db, first, _second = case_db
    sql(db, "update assessments set status = 'draft' where id = ?", first.hex)
    code, _out, err = cli(capsys, db, "verify-db")
    assert code == 1 and "GBG-2026-014" in err and "status was changed from signed to draft" in err


def test_a_changed_fact_is_found(case_db, capsys):
    db, first, _second = case_db
    sql(db, "update assessments set advisor = 'Someone Else' where id = ?", first.hex)
    code, _out, err = cli(capsys, db, "verify-db")
    assert code == 1 and "GBG-2026-014" in err and "fact advisor" in err


def test_replaced_signed_pdf_bytes_are_found(case_db, capsys):
    db, first, _second = case_db
    (content,) = query(db, "select content from signed_documents where assessment_id = ?", first.hex)[0]
    changed = content.replace(b"Helvetica", b"Helvetica", 1) + b"\n% appended\n"
    sql(db, "update signed_documents set content = ?, sha256 = ? where assessment_id = ?", changed,
        hashlib.sha256(changed).hexdigest(), first.hex)
    code, _out, err = cli(capsys, db, "verify-db")
    assert code == 1 and "GBG-2026-014" in err and "was replaced or changed" in err


def test_a_deleted_signed_pdf_is_found(case_db, capsys):
    db, first, _second = case_db
    sql(db, "delete from signed_documents where assessment_id = ?", first.hex)
    code, _out, err = cli(capsys, db, "verify-db")
    assert code == 1 and "GBG-2026-014" in err and "was deleted" in err


def test_another_cases_signed_pdf_copied_over_is_found(case_db, capsys):
    db, first, second = case_db
    content, sha = query(db, "select content, sha256 from signed_documents where assessment_id = ?", second.hex)[0]
    sql(db, "update signed_documents set content = ?, sha256 = ? where assessment_id = ?", content, sha, first.hex)
    code, _out, err = cli(capsys, db, "verify-db")
    assert code == 1 and "belongs to another case (GBG-2026-015)" in err


# --- the chain (audit verify) --------------------------------------------------------------------

def test_an_event_deleted_in_the_middle_is_found(case_db, capsys):
    db, _first, _second = case_db
    sql(db, "delete from events where seq = 5")
    code, _out, err = cli(capsys, db, "audit", "verify")
    assert code == 1 and "broken at entry 6" in err and "entry 5 before it is missing" in err


def test_the_last_event_deleted_is_found(case_db, capsys):
    db, _first, _second = case_db
    (last,) = query(db, "select max(seq) from events")[0]
    sql(db, "delete from events where seq = ?", last)
    code, _out, err = cli(capsys, db, "audit", "verify")
    assert code == 1 and f"entry {last} was the last one written on this computer" in err


def test_an_edited_event_payload_is_found(case_db, capsys):
    db, first, _second = case_db
    (seq, payload), *_rest = query(db, "select seq, payload from events where kind = 'assessment.answers_set' "
                                       "and entity_id = ? order by seq", first.hex)
    data = json.loads(payload)
    data["changes"]["family_asked"]["new"] = "no"
    sql(db, "update events set payload = ? where seq = ?", json.dumps(data), seq)
    code, _out, err = cli(capsys, db, "audit", "verify")
    assert code == 1 and f"broken at entry {seq}" in err and "Answers changed" in err
    assert "changed after it was written" in err


def test_resequenced_events_are_found(case_db, capsys):
    db, _first, _second = case_db
    sql(db, "delete from events where seq = 4")
    sql(db, "update events set seq = seq - 1 where seq > 4")
    code, _out, err = cli(capsys, db, "audit", "verify")
    assert code == 1 and "broken at entry 4" in err


def test_swapped_events_are_found(case_db, capsys):
    db, _first, _second = case_db
    sql(db, "update events set seq = -1 where seq = 3")
    sql(db, "update events set seq = 3 where seq = 4")
    sql(db, "update events set seq = 4 where seq = -1")
    code, _out, err = cli(capsys, db, "audit", "verify")
    assert code == 1 and "broken at entry 3" in err


def test_a_deletion_stays_visible_after_later_work(case_db, capsys):
    """Deleting the last entries and then working on must not make the log intact again."""
    from app.bootstrap import start

    db, _first, _second = case_db
    (last,) = query(db, "select max(seq) from events")[0]
    sql(db, "delete from events where seq >= ?", last - 1)
    services = start(db, language="en", install_bundled=False)
    version = services.templates.find_version("all_types")
    fill_case(services, version, complete=False, case_reference="NEW-1")
    services.db.close()
    code, _out, err = cli(capsys, db, "audit", "verify")
    assert code == 1 and "entries were found missing" in err and f"ended at entry {last}" in err


def test_a_missing_key_is_said_not_broken(case_db, capsys):
    db, _first, _second = case_db
    for key in (db.parent / "audit").glob("*.key"):
        key.unlink()
    code, _out, err = cli(capsys, db, "audit", "verify")
    assert code == 2 and "cannot be verified on this computer" in err


def test_an_unsigned_export_of_an_edited_signed_case_is_refused(case_db, capsys, tmp_path):
    db, first, _second = case_db
    sql(db, "update answers set value = '\"no\"' where assessment_id = ? and item_key = 'family_asked'", first.hex)
    out = tmp_path / "edited.pdf"
    code, _out, err = cli(capsys, db, "export-pdf", "GBG-2026-014", str(out))
    assert code == 1 and "no longer matches its signature" in err and not out.exists()

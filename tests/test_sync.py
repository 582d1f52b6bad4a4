"""Sync of laptops with the team server (issue 16) on a real PostgreSQL server: two laptops at once,
a sync killed mid-batch and resumed, signed records never overwritten, conflicts kept, pulls.

The server is a throwaway cluster (tests/pg.py); its schema is made by the app's own migrations
once and copied per test. The sync connects as the superuser here (row-level security is h44's).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.enums import AssessmentStatus
from tests.sync_helpers import add_cases, db_name, laptop, server_counts, server_url

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def _server_ids(pg_server, url, table="assessments") -> list[str]:
    return [str(r[0]) for r in pg_server.psql(f"SELECT id FROM {table}", db_name(url))]


def _laptop_answers(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM answers a JOIN assessments s ON s.id = a.assessment_id "
                            "WHERE s.status IN ('completed', 'signed')").fetchone()[0]


def test_two_laptops_syncing_at_once_give_the_server_exactly_their_union(pg_server, tmp_path):
    url = server_url(pg_server)
    a, b = laptop(tmp_path / "a.sqlite"), laptop(tmp_path / "b.sqlite")
    a_ids = add_cases(a, "A", 60, seed=1)
    b_ids = add_cases(b, "B", 60, seed=2)
    add_cases(b, "BD", 5, seed=3, status=AssessmentStatus.DRAFT)  # drafts stay on the laptop
    # a signed case and its (completed) amendment: the original must reach the server first
    a.records.sign(a_ids[0], "Anna")
    amendment = a.records.amend(a_ids[0])
    a.assessments.complete(amendment)
    results: dict[str, object] = {}
    errors: list[BaseException] = []

    def run(name, services):
        try:
            results[name] = services.sync.sync(url, batch_size=7)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=("a", a)), threading.Thread(target=run, args=("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    ra, rb = results["a"], results["b"]
    assert (ra.pushed, rb.pushed, ra.conflicts, rb.conflicts) == (61, 60, [], [])
    on_server = _server_ids(pg_server, url)
    assert len(on_server) == len(set(on_server))
    assert set(on_server) == {str(i) for i in [*a_ids, amendment, *b_ids]}
    counts = server_counts(pg_server, url)
    assert counts["answers"] == _laptop_answers(tmp_path / "a.sqlite") + _laptop_answers(tmp_path / "b.sqlite")
    db = db_name(url)
    assert pg_server.psql("SELECT DISTINCT owner FROM assessments", db) == [("postgres",)]
    assert pg_server.psql(f"SELECT status, amends_id FROM assessments WHERE id = '{amendment}'", db) == [
        ("completed", a_ids[0])]
    # each laptop's audit entries, numbered per origin, the chains as the laptops sealed them
    origins = dict(pg_server.psql("SELECT origin, count(*) FROM events GROUP BY origin", db))
    assert set(origins) == {a.sync.installation_id(), b.sync.installation_id()}
    assert origins[a.sync.installation_id()] == ra.events and origins[b.sync.installation_id()] == rb.events
    # again: nothing to do, nothing doubled
    again = a.sync.sync(url, batch_size=7)
    assert (again.pushed, again.already, again.unchanged, again.conflicts) == (0, 0, 61, [])
    assert server_counts(pg_server, url) == {**counts, "events": counts["events"] + again.events}
    assert again.events == 1  # the previous sync's own "sync.completed" entry
    # the laptop's own chain still verifies; the server's chain ignores the laptops' entries
    assert a.audit.verify().state == "intact"
    from app.services import Services
    from app.storage.db import open_database

    server_db = open_database(url=url)
    try:
        verdict = Services(server_db).audit.verify()
        assert verdict.entries == 0 and verdict.state in ("intact", "no_key")
    finally:
        server_db.close()


def _backend_waiting(pg_server, db: str) -> bool:
    rows = pg_server.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                          "AND wait_event_type = 'Lock'", db)
    return bool(rows[0][0])


def test_a_sync_killed_mid_batch_and_run_again_loses_nothing_and_doubles_nothing(pg_server, tmp_path):
    url = server_url(pg_server)
    path = tmp_path / "k.sqlite"
    k = laptop(path)
    ids = add_cases(k, "K", 400, seed=4)
    k.db.close()
    db = db_name(url)
    env = {**os.environ, "LIKVARD_DB": str(path)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "sync", "--server", url, "--batch", "10"],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    blocker = pg_server.connect(db)
    try:
        deadline = time.monotonic() + 30
        while pg_server.psql("SELECT count(*) FROM assessments", db)[0][0] < 10:  # a first batch committed
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.005)
        # hold the next batch in the middle of its transaction (its answers wait for this lock) ...
        blocker.execute("LOCK TABLE answers IN SHARE MODE")
        while not _backend_waiting(pg_server, db):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)  # ... and kill the sync there
        proc.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
    deadline = time.monotonic() + 10
    while pg_server.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         "AND pid <> pg_backend_pid()", db)[0][0] and time.monotonic() < deadline:
        time.sleep(0.02)  # the server notices the dead client and rolls its batch back
    landed = len(_server_ids(pg_server, url))
    assert 10 <= landed < 400 and landed % 10 == 0  # whole batches only
    with sqlite3.connect(path) as conn:
        recorded = conn.execute("SELECT count(*) FROM sync_records WHERE kind = 'case'").fetchone()[0]
    assert recorded <= landed
    k = laptop(path)
    try:
        result = k.sync.sync(url, batch_size=50)
    finally:
        k.db.close()
    assert result.conflicts == []
    assert result.already == landed - recorded and result.pushed == 400 - landed
    on_server = _server_ids(pg_server, url)
    assert sorted(on_server) == sorted(str(i) for i in ids)
    assert server_counts(pg_server, url)["answers"] == _laptop_answers(path)
    # a laptop that lost its records of what it pushed (restored from a backup) finds them all there
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM sync_records")
    k = laptop(path)
    try:
        again = k.sync.sync(url, batch_size=100)
    finally:
        k.db.close()
    assert (again.pushed, again.already, again.conflicts) == (0, 400, [])


def _server_row(pg_server, url, case_id) -> list[tuple]:
    db = db_name(url)
    return [*pg_server.psql(f"SELECT * FROM assessments WHERE id = '{case_id}'", db),
            *pg_server.psql(f"SELECT item_key, value::text, comment FROM answers WHERE assessment_id = '{case_id}' "
                            "ORDER BY item_key", db)]


def test_a_signed_record_changed_behind_the_apps_back_is_not_synced_and_is_reported(pg_server, tmp_path):
    from app import cli

    url = server_url(pg_server)
    path = tmp_path / "s.sqlite"
    s = laptop(path)
    ids = add_cases(s, "S", 3, seed=5)
    s.records.sign(ids[0], "Sven")
    assert s.sync.sync(url).pushed == 3
    before = _server_row(pg_server, url, ids[0])
    s.db.close()
    with sqlite3.connect(path) as conn:  # a colleague edits the signed case in the file
        conn.execute("UPDATE assessments SET amount_granted = amount_granted * 2, advisor = 'Mallory' "
                     "WHERE id = ?", (ids[0].hex,))
        conn.execute("UPDATE answers SET comment = 'changed' WHERE assessment_id = ?", (ids[0].hex,))
    assert cli.run(["--db", str(path), "sync", "--server", url]) == 1  # conflicts: non-zero
    assert _server_row(pg_server, url, ids[0]) == before
    s = laptop(path)
    try:
        conflicts = s.sync.conflicts()
        assert [(c.entity_id, c.reason) for c in conflicts] == [(ids[0], "tampered")]  # found before the server's
        assert conflicts[0].reference.startswith("S-0000") and conflicts[0].laptop_hash
        again = s.sync.sync(url)  # never resolved silently: still there at the next sync
        assert [(c.entity_id, c.reason) for c in again.conflicts] == [(ids[0], "tampered")]
        assert len(s.sync.conflicts()) == 1
    finally:
        s.db.close()
    assert _server_row(pg_server, url, ids[0]) == before


def test_a_signed_case_tampered_with_before_its_first_push_never_reaches_the_server(pg_server, tmp_path,
                                                                                       capsys, identity):
    """The case list's "tampered" check runs before a signed case (or amendment) is pushed, and
    verify-db's check before a signed PDF is: a forged record stays on the laptop, reported at every
    sync; the rest of the batch goes on."""
    from app import cli
    from tests.pdf.conftest import PASSWORD

    url = server_url(pg_server)
    db = db_name(url)
    path = tmp_path / "t.sqlite"
    t = laptop(path)
    ids = add_cases(t, "T", 6, seed=9)
    forged, answer_forged, intact, pdf_intact, pdf_forged = ids[:5]
    for case_id in (forged, answer_forged, intact):
        t.records.sign(case_id, "Tilda")
    for case_id in (pdf_intact, pdf_forged):  # signed by a signed PDF, kept in the database
        t.summaries.export_pdf(case_id, tmp_path / f"{case_id}.pdf", lang="en", identity=identity,
                               password=PASSWORD)
    amendment = t.records.amend(intact)
    t.assessments.complete(amendment)
    t.records.sign(amendment, "Tilda")
    t.db.close()
    with sqlite3.connect(path) as conn:  # behind the app's back, before any sync
        conn.execute("UPDATE assessments SET amount_granted = amount_granted + 1 WHERE id = ?", (forged.hex,))
        changed = conn.execute("UPDATE answers SET comment = 'forged' WHERE id = (SELECT min(id) FROM answers "
                               "WHERE assessment_id = ?)", (answer_forged.hex,)).rowcount
        assert changed == 1
        conn.execute("UPDATE assessments SET advisor = 'Mallory' WHERE id = ?", (amendment.hex,))
        # a signed PDF swapped, its stored hash updated to match: the bytes no longer verify
        content = conn.execute("SELECT content FROM signed_documents WHERE assessment_id = ?",
                               (pdf_forged.hex,)).fetchone()[0]
        swapped = content.replace(b"/Producer", b"/Producex", 1) if b"/Producer" in content else content + b"%x"
        assert swapped != content
        import hashlib

        conn.execute("UPDATE signed_documents SET content = ?, sha256 = ? WHERE assessment_id = ?",
                     (swapped, hashlib.sha256(swapped).hexdigest(), pdf_forged.hex))
    t = laptop(path)
    try:
        listed = t.assessments.summaries([forged, answer_forged, intact, amendment])
        assert [listed[i].tampered for i in (forged, answer_forged, intact, amendment)] == [True, True, False, True]
        result = t.sync.sync(url, batch_size=4)
        found = {(c.kind, c.entity_id, c.reason) for c in result.conflicts}
        doc_id = t.records.signed_documents(pdf_forged)[0].id
        assert found == {("case", forged, "tampered"), ("case", answer_forged, "tampered"),
                         ("case", amendment, "tampered"), ("document", doc_id, "tampered")}
        assert result.pushed == 4  # the rest of the batch: the intact signed cases, the PDF cases, ids[5]
    finally:
        t.db.close()
    on_server = set(_server_ids(pg_server, url))
    assert str(forged) not in on_server and str(answer_forged) not in on_server and str(amendment) not in on_server
    assert {str(i) for i in (intact, pdf_intact, pdf_forged, ids[5])} <= on_server
    assert pg_server.psql(f"SELECT status FROM assessments WHERE id = '{intact}'", db) == [("signed",)]
    documents = {str(r[0]) for r in pg_server.psql("SELECT assessment_id FROM signed_documents", db)}
    assert documents == {str(pdf_intact)}  # the swapped PDF stayed on the laptop
    # the next sync reports them again (nothing recorded as pushed), in the CLI's words too
    capsys.readouterr()
    assert cli.run(["--db", str(path), "sync", "--server", url]) == 1
    out = capsys.readouterr().out
    reference = next(c.reference for c in result.conflicts if c.entity_id == forged)
    assert out.count("changed on this laptop after it was signed") == 4 and f"Case {reference}:" in out
    with sqlite3.connect(path) as conn:
        recorded = {r[0] for r in conn.execute("SELECT entity_id FROM sync_records WHERE kind = 'case'")}
    assert forged.hex not in recorded and amendment.hex not in recorded
    assert str(forged) not in set(_server_ids(pg_server, url))


def _forge_with_recomputed_hash(path: Path, case_id) -> None:
    """Change a signed case's amount behind the app's back, then store the signed hash of the
    changed data (computed as the app computes it): the case's data matches its stored hash again."""
    from app.exchange.assessment_format import content_hash

    with sqlite3.connect(path) as conn:
        assert conn.execute("UPDATE assessments SET amount_granted = amount_granted + 1000 WHERE id = ?",
                            (case_id.hex,)).rowcount == 1
    f = laptop(path)
    try:
        forged_hash = content_hash(f.assessments.get(case_id))
    finally:
        f.db.close()
    with sqlite3.connect(path) as conn:
        old = conn.execute("SELECT signed_hash FROM assessments WHERE id = ?", (case_id.hex,)).fetchone()[0]
        assert old and forged_hash != old
        conn.execute("UPDATE assessments SET signed_hash = ? WHERE id = ?", (forged_hash, case_id.hex))


def test_a_signed_case_forged_with_its_signed_hash_recomputed_never_reaches_the_server(pg_server, tmp_path, capsys):
    """Data changed and the stored signed hash recomputed to match (a plain SHA-256): the hash the
    sealed sign event recorded still differs, as verify-db finds; the case stays on the laptop, a
    "tampered" conflict with verify-db's words, at every sync. The case list shows it too."""
    from app import cli

    url = server_url(pg_server)
    path = tmp_path / "r.sqlite"
    r = laptop(path)
    ids = add_cases(r, "R", 3, seed=12)
    forged, intact, completed = ids
    for case_id in (forged, intact):
        r.records.sign(case_id, "Rut")
    r.db.close()
    _forge_with_recomputed_hash(path, forged)
    r = laptop(path)
    try:
        assert r.assessments.tampered([forged, intact]) == {forged}
        listed = r.assessments.summaries([forged, intact, completed])
        assert [listed[i].tampered for i in (forged, intact, completed)] == [True, False, False]
        result = r.sync.sync(url)
        assert [(c.kind, c.entity_id, c.reason) for c in result.conflicts] == [("case", forged, "tampered")]
        assert "differs from the one recorded when it was signed" in result.conflicts[0].detail
        assert result.pushed == 2
        problems = r.audit.verify_records()
        assert [p.assessment_id for p in problems] == [forged]
    finally:
        r.db.close()
    on_server = set(_server_ids(pg_server, url))
    assert str(forged) not in on_server and {str(intact), str(completed)} <= on_server
    assert pg_server.psql(f"SELECT status FROM assessments WHERE id = '{intact}'", db_name(url)) == [("signed",)]
    capsys.readouterr()
    assert cli.run(["--db", str(path), "sync", "--server", url]) == 1
    assert capsys.readouterr().out.count("changed on this laptop after it was signed") == 1
    assert str(forged) not in set(_server_ids(pg_server, url))


def test_a_case_whose_signed_status_was_taken_back_behind_the_apps_back_is_not_pushed(pg_server, tmp_path):
    """A signed case set back to completed with raw SQL (its sign event remains): verify-db's
    "status was changed from signed" problem holds it back as well."""
    url = server_url(pg_server)
    path = tmp_path / "u.sqlite"
    u = laptop(path)
    unsigned, intact = add_cases(u, "U", 2, seed=13)
    for case_id in (unsigned, intact):
        u.records.sign(case_id, "Ulf")
    u.db.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE assessments SET status = 'completed', signed_hash = NULL, signed_at = NULL, "
                     "signed_by = NULL WHERE id = ?", (unsigned.hex,))
    u = laptop(path)
    try:
        result = u.sync.sync(url)
    finally:
        u.db.close()
    assert [(c.entity_id, c.reason) for c in result.conflicts] == [(unsigned, "tampered")]
    assert "status was changed from signed to" in result.conflicts[0].detail
    assert set(_server_ids(pg_server, url)) == {str(intact)}


def test_a_case_changed_on_the_server_and_on_the_laptop_is_a_conflict_and_a_copied_database_too(
        pg_server, tmp_path, capsys):
    from app import cli

    url = server_url(pg_server)
    db = db_name(url)
    path = tmp_path / "c.sqlite"
    c = laptop(path)
    ids = add_cases(c, "C", 4, seed=6)
    assert c.sync.sync(url).pushed == 4
    # completed on the laptop, signed here since: the server's copy is updated (it is as we left it)
    c.records.sign(ids[1], "Cecilia")
    assert c.sync.sync(url).pushed == 1
    assert pg_server.psql(f"SELECT status, signed_by FROM assessments WHERE id = '{ids[1]}'", db) == [
        ("signed", "Cecilia")]
    # changed on the server (an administrator) and signed on the laptop: a conflict, nothing overwritten
    pg_server.psql(f"UPDATE assessments SET advisor = 'Admin' WHERE id = '{ids[0]}'", db)
    c.records.sign(ids[0], "Cecilia")
    result = c.sync.sync(url)
    assert [(x.entity_id, x.reason) for x in result.conflicts] == [(ids[0], "changed_both")]
    assert pg_server.psql(f"SELECT status, advisor FROM assessments WHERE id = '{ids[0]}'", db) == [
        ("completed", "Admin")]
    c.db.close()
    # the database copied onto a second laptop: both sign the same completed case differently
    copy = tmp_path / "copy.sqlite"
    shutil.copy(path, copy)
    c, d = laptop(path), laptop(copy)
    try:
        c.records.sign(ids[2], "Cecilia")
        d.records.sign(ids[2], "David")
        assert c.sync.sync(url).pushed == 1
        result = d.sync.sync(url)
        reasons = {(x.kind, x.reason) for x in result.conflicts}
        assert ("case", "signed_differs") in reasons and ("event", "events_differ") in reasons
        assert pg_server.psql(f"SELECT signed_by FROM assessments WHERE id = '{ids[2]}'", db) == [("Cecilia",)]
    finally:
        c.db.close()
        d.db.close()
    capsys.readouterr()
    assert cli.run(["--db", str(copy), "sync", "--server", url, "--batch", "2"]) == 1
    out = capsys.readouterr().out
    reference = pg_server.psql(f"SELECT case_reference FROM assessments WHERE id = '{ids[2]}'", db)[0][0]
    assert "Conflicts" in out and reference in out and "signed on the server with other data" in out
    assert "audit entries with the same numbers differ" in out


def test_published_templates_and_exercises_are_pulled_and_kept(pg_server, tmp_path):
    from app.services import Services
    from app.storage.db import open_database

    url = server_url(pg_server)
    db = db_name(url)
    server_db = open_database(url=url)
    try:
        admin = Services(server_db, actor="admin")
        admin.templates.import_file(DATA / "all_types.json")
        admin.templates.install_bundled()
        admin.exercises.install_bundled()
    finally:
        server_db.close()
    pg_server.psql("UPDATE exercises SET key = 'srv-' || key, id = gen_random_uuid()", db)
    p = laptop(tmp_path / "p.sqlite")
    try:
        before = {(v.template_key, v.number, v.content_hash) for v in p.templates.list_versions()}
        result = p.sync.sync(url)
        assert result.conflicts == [] and result.pulled_versions == 1
        server_exercises = pg_server.psql("SELECT count(*) FROM exercises", db)[0][0]
        assert result.pulled_exercises == server_exercises > 0
        after = {(v.template_key, v.number, v.content_hash) for v in p.templates.list_versions()}
        assert after - before == {("all_types", 1, p.templates.find_version("all_types").content_hash)}
        assert p.templates.find_version("all_types").status == "published"
        assert any(e.key.startswith("srv-") for e in p.exercises.list())
        # the bundled versions, the same on both sides, were left as they were
        assert before <= after
        again = p.sync.sync(url)
        assert (again.pulled, again.conflicts) == (0, [])
        # the server changes an exercise: the laptop's untouched copy follows it
        pg_server.psql("UPDATE exercises SET content_hash = 'x' || substr(content_hash, 2), position = 42 "
                       "WHERE key = (SELECT min(key) FROM exercises)", db)
        assert p.sync.sync(url).pulled_exercises == 1
        with sqlite3.connect(tmp_path / "p.sqlite") as conn:
            assert conn.execute("SELECT count(*) FROM exercises WHERE position = 42").fetchone()[0] == 1
    finally:
        p.db.close()

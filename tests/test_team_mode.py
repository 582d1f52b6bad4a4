"""Team mode end to end on a real PostgreSQL server: ``server init`` (schema, roles, row-level
security, the bundled checklists), two agents and an advisor added, two laptops syncing with their
own logins at once, and then each role's own connection sees what the contract says."""

from __future__ import annotations

import threading

import pytest

from app.services.server import ServerService
from tests.sync_helpers import add_cases, db_name, laptop

pytestmark = pytest.mark.postgres
PASSWORD = "Lika villkor för alla 2026"
USERS = {"tm_anna": ("agent", "Borås"), "tm_bo": ("agent", "Skövde"), "tm_cecilia": ("advisor", "Borås")}


@pytest.fixture
def team_server(pg_server):
    for login in USERS:
        pg_server.psql(f'DROP ROLE IF EXISTS "{login}"')
    url = pg_server.create_database("likvard_team")
    admin = ServerService(url)
    report = admin.init()
    for login, (role, branch) in USERS.items():
        admin.add_user(login, role, PASSWORD, branch=branch, name=login[3:].title())
    yield url, report
    pg_server.psql(f'DROP DATABASE IF EXISTS "{db_name(url)}" WITH (FORCE)')
    for login in USERS:
        pg_server.psql(f'DROP ROLE IF EXISTS "{login}"')


def test_two_agents_sync_with_their_own_logins_and_see_only_what_their_role_allows(pg_server, team_server,
                                                                                    tmp_path):
    url, report = team_server
    db = db_name(url)
    assert report.checklists_installed and report.exercises_installed  # what laptops pull, cases refer to
    laptops = {}
    for login in ("tm_anna", "tm_bo"):
        services = laptop(tmp_path / f"{login}.sqlite")
        add_cases(services, login.upper(), 25, seed=len(laptops) + 1)
        laptops[login] = services
    results, errors = {}, []

    def run(login):
        try:
            results[login] = laptops[login].sync.sync(pg_server.url(db, login), batch_size=10)
        except Exception as exc:  # reported below with the login
            errors.append((login, exc))

    threads = [threading.Thread(target=run, args=(login,)) for login in laptops]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    for login, result in results.items():
        assert (result.pushed, result.conflicts) == (25, []), (login, result)
        assert result.events > 0
    owners = dict(pg_server.psql("SELECT owner, count(*) FROM assessments GROUP BY owner", db))
    assert owners == {"tm_anna": 25, "tm_bo": 25}

    def visible(login, sql="SELECT case_reference FROM assessments"):
        with pg_server.connect(db, user=login) as conn:
            return {row[0] for row in conn.execute(sql).fetchall()}

    everything = {r[0]: r[1] for r in pg_server.psql("SELECT case_reference, branch FROM assessments", db)}
    assert visible("tm_anna") == {ref for ref in everything if ref.startswith("TM_ANNA")}
    assert visible("tm_bo") == {ref for ref in everything if ref.startswith("TM_BO")}
    # the advisor of Borås: the Borås cases of both agents, none of another branch
    borås = {ref for ref, branch in everything.items() if branch == "Borås"}
    assert borås and visible("tm_cecilia") == borås
    # an agent's answers: only their own cases' answers
    with pg_server.connect(db, user="tm_bo") as conn:
        foreign = conn.execute("SELECT count(*) FROM answers a JOIN assessments s ON s.id = a.assessment_id "
                               "WHERE s.owner <> current_user").fetchone()[0]
        assert foreign == 0
    # a second sync finds everything there: nothing pushed twice
    again = laptops["tm_anna"].sync.sync(pg_server.url(db, "tm_anna"), batch_size=10)
    assert (again.pushed, again.already + again.unchanged, again.conflicts) == (0, 25, [])
    assert pg_server.psql("SELECT count(*) FROM assessments", db)[0][0] == 50
    # every audit entry is stamped with the login that pushed it, whatever the laptop sent
    stamped = dict(pg_server.psql("SELECT owner, count(*) FROM events WHERE origin <> '' GROUP BY owner", db))
    assert set(stamped) == {"tm_anna", "tm_bo"}
    for services in laptops.values():
        services.db.close()


def _indexes(pg_server, db) -> dict[str, str]:
    return dict(pg_server.psql("SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'assessments' "
                               "AND indexname LIKE 'uq_assessments_%reference'", db))


def test_two_agents_may_use_the_same_case_reference_on_the_server(pg_server, team_server, tmp_path):
    url, _report = team_server
    db = db_name(url)
    indexes = _indexes(pg_server, db)  # init: one case per reference and owner, the laptops' predicate
    assert list(indexes) == ["uq_assessments_owner_reference"]
    assert "(owner, case_reference, reference_duplicate) WHERE (amends_id IS NULL)" in indexes[
        "uq_assessments_owner_reference"]
    ids = {}
    for n, login in enumerate(("tm_anna", "tm_bo")):
        services = laptop(tmp_path / f"{login}.sqlite")
        try:
            ids[login] = set(add_cases(services, "GBG-2026", 3, seed=n + 1))  # GBG-2026-00001 ... on both
            result = services.sync.sync(pg_server.url(db, login))
            assert (result.pushed, result.conflicts) == (3, []), (login, result.conflicts)
        finally:
            services.db.close()
    rows = pg_server.psql("SELECT case_reference, owner, id FROM assessments ORDER BY 1, 2", db)
    assert [(ref, owner) for ref, owner, _id in rows] == [
        (f"GBG-2026-{n:05d}", login) for n in (1, 2, 3) for login in ("tm_anna", "tm_bo")]
    for login in ("tm_anna", "tm_bo"):
        with pg_server.connect(db, user=login) as conn:
            assert {r[0] for r in conn.execute("SELECT id FROM assessments").fetchall()} == ids[login]
    # one agent's second laptop with the same reference on another case: still one per owner
    other = laptop(tmp_path / "anna2.sqlite")
    try:
        add_cases(other, "GBG-2026", 1, seed=9)
        result = other.sync.sync(pg_server.url(db, "tm_anna"))
        assert (result.pushed, [c.reason for c in result.conflicts]) == (0, ["refused"])
    finally:
        other.db.close()


def test_upgrade_gives_a_server_of_the_previous_init_the_per_owner_reference_index(pg_server, team_server):
    url, _report = team_server
    db = db_name(url)
    # as the previous version's init left it: the app's global index (migration 0003), no per-owner one
    pg_server.psql("DROP INDEX IF EXISTS uq_assessments_owner_reference; CREATE UNIQUE INDEX IF NOT EXISTS "
                   "uq_assessments_root_reference ON assessments (case_reference, reference_duplicate) "
                   "WHERE amends_id IS NULL", db)
    assert list(_indexes(pg_server, db)) == ["uq_assessments_root_reference"]
    ServerService(url).upgrade()
    assert list(_indexes(pg_server, db)) == ["uq_assessments_owner_reference"]
    ServerService(url).upgrade()  # again: harmless
    assert list(_indexes(pg_server, db)) == ["uq_assessments_owner_reference"]


def test_an_audit_entry_is_added_only_about_ones_own_case(pg_server, team_server, tmp_path):
    import uuid

    import psycopg

    from app.services.events import record

    url, _report = team_server
    db = db_name(url)
    cases = {}
    for n, login in enumerate(("tm_anna", "tm_bo")):
        services = laptop(tmp_path / f"{login}.sqlite")
        cases[login] = add_cases(services, login.upper(), 2, seed=n + 1)
        assert services.sync.sync(pg_server.url(db, login)).conflicts == []
        services.db.close()
    anna, bo = cases["tm_anna"][0], cases["tm_bo"][0]
    insert = ("INSERT INTO events (id, at, kind, entity_id, actor, payload) VALUES (%s, now(), "
              "'assessment.pdf_exported', %s, 'x', '{}')")
    with pg_server.connect(db, user="tm_anna") as conn:  # Anna's own login
        conn.execute(insert, (uuid.uuid4(), anna))  # her case: yes
        conn.execute(insert, (uuid.uuid4(), None))  # about no case: yes
        conn.execute(insert, (uuid.uuid4(), uuid.uuid4()))  # a template's, a case never pushed: yes
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(insert, (uuid.uuid4(), bo))  # Bo's case: refused
        conn.rollback()
    pg_server.psql(f"UPDATE assessments SET branch = 'Borås' WHERE id = '{anna}'", db)
    with pg_server.connect(db, user="tm_cecilia") as conn:  # the advisor of Borås sees Anna's case ...
        assert conn.execute("SELECT count(*) FROM assessments WHERE id = %s", (anna,)).fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(insert, (uuid.uuid4(), anna))  # ... but writes entries about her own only
        conn.rollback()
    # Bo's laptop holds an entry about Anna's case (e.g. he imported her signed PDF): his sync goes on,
    # the server keeps the rest of his log, and that entry is reported (it stays in his own log)
    services = laptop(tmp_path / "tm_bo.sqlite")
    try:
        with services.db.session() as s:
            foreign = record(s, "assessment.pdf_exported", anna, "Bo").id
        services.records.sign(bo, "Bo")
        result = services.sync.sync(pg_server.url(db, "tm_bo"))
        assert [(c.kind, c.entity_id, c.reason) for c in result.conflicts] == [("event", foreign, "event_refused")]
        assert result.pushed == 1 and result.events >= 2
        assert services.audit.verify().state == "intact"
    finally:
        services.db.close()
    assert pg_server.psql(f"SELECT count(*) FROM events WHERE id = '{foreign}'", db) == [(0,)]
    assert pg_server.psql(f"SELECT count(*) FROM events WHERE entity_id = '{bo}' AND kind = 'assessment.signed'",
                          db) == [(1,)]

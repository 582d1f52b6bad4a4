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

"""The shared server (team mode): ``server init``, roles, row-level security, the signed guard, add-user.

Access is tested with each role's OWN connection: the throwaway cluster (tests/pg.py) lets any
role log in over its Unix socket by trust, so row-level security and privileges apply to that role
exactly as to a laptop logging in with its password. One server database is prepared for the
module (init, users, cases); tests that write roll their transaction back.

Logins are prefixed ``srv_``: roles belong to the whole cluster, which other test modules share.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import subprocess
import sys
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.enums import AssessmentStatus
from app.services.server import ServerError, ServerService
from app.storage import server_sql as q

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Korrekt häst batteri 42"  # a sentence nobody else uses: searched for in the server log
USERS = {  # login: (role, branch)
    "srv_anna": ("agent", "Borås"),
    "srv_ada": ("agent", "Borås"),
    "srv_bo": ("agent", "Skövde"),
    "srv_cecilia": ("advisor", "Borås"),
    "srv_tove": ("trainer", ""),
}


def _dbname(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).database


def _drop_logins(pg_server, logins) -> None:
    for login in logins:
        pg_server.psql(f'DROP ROLE IF EXISTS "{login}"')


def _seed(url: str) -> dict[str, uuid.UUID]:
    """Cases as the sync leaves them on the server (inserted by the administrator, who owns the tables)."""
    from sqlalchemy import insert

    from app.storage.db import make_engine
    from app.storage.models import (
        AnswerRow,
        AssessmentRow,
        ItemFlagRow,
        SignedDocumentRow,
        Template,
        TemplateVersionRow,
    )

    template_id, version_id = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    ids: dict[str, uuid.UUID] = {}
    rows = []

    def case(ref, owner, branch, ownership, decision, status=AssessmentStatus.COMPLETED, **extra):
        ids[ref] = uuid.uuid4()
        rows.append(dict(id=ids[ref], template_version_id=version_id, status=status, case_reference=ref,
                         case_date=date(2026, 3, 1), decision_date=date(2026, 3, 11), advisor=owner, branch=branch,
                         ownership=ownership, decision=decision, amount_requested=100000,
                         amount_granted=100000 if decision == "granted" else None, currency="SEK",
                         collateral_required=False, personal_guarantee_required=False, flag_count=0, score=0.5,
                         created_at=now, updated_at=now, completed_at=now, revision=1, reference_duplicate=0,
                         owner=owner, **extra))

    for i in range(6):
        case(f"ANNA-{i}", "srv_anna", "Borås", "men_led", "granted")
    for i in range(6):
        case(f"ADA-{i}", "srv_ada", "Borås", "women_led", "granted" if i < 3 else "refused")
    for i in range(4):
        case(f"BO-{i}", "srv_bo", "Skövde", "men_led", "refused")
    for i in range(2):
        case(f"BOX-{i}", "srv_bo", "Skövde", "mixed", "granted")  # 2 mixed cases: a suppressed cell
    case("ANNA-SIGNED", "srv_anna", "Borås", "women_led", "granted", status=AssessmentStatus.SIGNED,
         signed_at=now, signed_by="Anna Berg", signed_hash="ab" * 32)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(Template), [dict(id=template_id, key="srv", created_at=now)])
            conn.execute(insert(TemplateVersionRow), [dict(
                id=version_id, template_id=template_id, number=1, status="published", title="Server test",
                content={"key": "srv", "version": 1, "sections": []}, content_hash="0" * 64, created_at=now,
                created_by="", updated_at=now)])
            conn.execute(insert(AssessmentRow), rows)
            conn.execute(insert(AnswerRow), [dict(id=uuid.uuid4(), assessment_id=ids[ref], item_key="q1",
                                                  value="secret answer", comment="secret comment", updated_at=now)
                                             for ref in ("ANNA-0", "ADA-0", "BO-0", "ANNA-SIGNED")])
            conn.execute(insert(ItemFlagRow), [dict(assessment_id=ids[ref], item_key="q1")
                                               for ref in ("ANNA-0", "ADA-0", "BO-0")])
            conn.execute(insert(SignedDocumentRow), [dict(
                id=uuid.uuid4(), assessment_id=ids["ANNA-SIGNED"], created_at=now, language="sv", signer="Anna Berg",
                certificate_sha256="cd" * 32, sha256="ef" * 32, content=b"%PDF-1.7 signed")])
    finally:
        engine.dispose()
    return ids


@pytest.fixture(scope="module")
def server(pg_server):
    """(database name, admin URL, case ids) of one prepared server with USERS and the seed."""
    _drop_logins(pg_server, USERS)
    url = pg_server.create_database("likvard_server")
    svc = ServerService(url)
    svc.init()
    for login, (role, branch) in USERS.items():
        svc.add_user(login, role, PASSWORD, branch=branch, name=login.removeprefix("srv_").title())
    ids = _seed(url)
    yield _dbname(url), url, ids
    pg_server.psql(f'DROP DATABASE IF EXISTS "{_dbname(url)}" WITH (FORCE)')
    _drop_logins(pg_server, USERS)


@contextmanager
def as_role(pg_server, db, login):
    """A connection of ``login`` (its privileges and row-level security apply), always rolled back."""
    conn = pg_server.connect(db, user=login)
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


def refs(conn, sql="SELECT case_reference FROM assessments", params=None) -> set[str]:
    return {row[0] for row in conn.execute(sql, params).fetchall()}


# --- init ------------------------------------------------------------------------------------------


def _policies(pg_server, db) -> list[tuple]:
    return pg_server.psql("SELECT tablename, policyname, cmd, roles::text, qual, with_check FROM pg_policies "
                          "ORDER BY 1, 2", db)


def test_init_on_a_fresh_database_and_twice(pg_server, pg_url):
    from app.storage.db import HEAD_REVISION

    db = _dbname(pg_url)
    report = ServerService(pg_url).init()
    assert report.revision_before is None and report.revision_after == HEAD_REVISION
    assert report.database == db and report.admin == "postgres" and report.unmanaged_tables == []
    groups = pg_server.psql("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'likvard_%' ORDER BY 1")
    assert groups == [("likvard_advisor", False), ("likvard_agent", False), ("likvard_trainer", False)]
    secured = pg_server.psql("SELECT relname FROM pg_class WHERE relrowsecurity AND relnamespace = "
                             "'public'::regnamespace ORDER BY 1", db)
    assert [r[0] for r in secured] == sorted(q.RLS_TABLES)
    policies = _policies(pg_server, db)
    assert len(policies) == len(q.POLICIES)
    triggers = pg_server.psql("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal "
                              "ORDER BY 1, 2", db)
    assert ("assessments", "likvard_signed_guard") in triggers and ("answers", "likvard_signed_guard") in triggers
    assert ("signed_documents", "likvard_signed_guard") in triggers
    # init again (and upgrade): nothing created twice, the same rules, no error
    again = ServerService(pg_url).init()
    assert again.roles_created == [] and again.revision_before == HEAD_REVISION
    assert _policies(pg_server, db) == policies
    ServerService(pg_url).upgrade()
    assert _policies(pg_server, db) == policies
    assert pg_server.psql("SELECT has_database_privilege('public', current_database(), 'CONNECT')", db) == [(False,)]


def test_every_table_of_the_models_has_its_rules():
    """A new table must be named in app.storage.server_sql (else no role may read it on the server)."""
    from app.storage.models import Base

    assert sorted(Base.metadata.tables) == sorted(t for t in q.MANAGED_TABLES if t != "alembic_version")
    assert set(q.TRAINER_ASSESSMENT_COLUMNS) <= set(Base.metadata.tables["assessments"].columns.keys())
    for forbidden in ("case_reference", "owner", "signed_by", "signed_hash", "signed_at", "signature_drawing"):
        assert forbidden not in q.TRAINER_ASSESSMENT_COLUMNS


def test_refuses_other_databases_and_non_administrators(pg_server, server, tmp_path):
    db, _url, _ids = server
    for address in ("sqlite:///" + str(tmp_path / "x.sqlite"), str(tmp_path / "x.sqlite"), "mysql://a@b/c"):
        with pytest.raises(ServerError):
            ServerService(address)
    with pytest.raises(ServerError, match="cannot prepare the server"):
        ServerService(pg_server.url(db, user="srv_anna")).init()
    with pytest.raises(ServerError, match="not a Likvärd server yet"):
        ServerService(pg_server.create_database()).upgrade()


# --- row-level security, with each role's own connection ----------------------------------------------


def test_agent_sees_and_changes_only_their_own_cases(pg_server, server):
    import psycopg

    db, _url, ids = server
    with as_role(pg_server, db, "srv_anna") as conn:
        assert refs(conn) == {f"ANNA-{i}" for i in range(6)} | {"ANNA-SIGNED"}
        # another agent of the same branch, another branch: nothing, even by id
        assert refs(conn, "SELECT case_reference FROM assessments WHERE id = ANY(%s)",
                    ([ids["ADA-0"], ids["BO-0"]],)) == set()
        assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 2  # ANNA-0 and ANNA-SIGNED
        assert conn.execute("UPDATE assessments SET decision = 'refused' WHERE owner <> current_user").rowcount == 0
        assert conn.execute("DELETE FROM assessments WHERE id = %s", (ids["BO-1"],)).rowcount == 0
        assert conn.execute("UPDATE answers SET comment = 'x' WHERE assessment_id = %s",
                            (ids["ADA-0"],)).rowcount == 0
        assert conn.execute("UPDATE assessments SET decision = 'refused' WHERE id = %s",
                            (ids["ANNA-1"],)).rowcount == 1  # their own draft-like case: yes
    with as_role(pg_server, db, "srv_bo") as conn:
        assert refs(conn) == {f"BO-{i}" for i in range(4)} | {"BOX-0", "BOX-1"}
    with as_role(pg_server, db, "srv_anna") as conn:
        assert conn.execute("SELECT login, branch FROM team_members").fetchall() == [("srv_anna", "Borås")]
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("UPDATE assessments SET owner = 'srv_bo' WHERE id = %s", (ids["ANNA-2"],))


def test_agent_cannot_insert_a_case_of_another_owner(pg_server, server):
    import psycopg

    db, _url, ids = server
    version = pg_server.psql("SELECT id FROM template_versions", db)[0][0]
    insert = ("INSERT INTO assessments (id, template_version_id, status, case_reference, advisor, branch, currency, "
              "flag_count, created_at, updated_at, revision, reference_duplicate, owner) VALUES "
              "(%s, %s, 'completed', %s, '', 'Borås', 'SEK', 0, now(), now(), 1, 0, %s)")
    with as_role(pg_server, db, "srv_anna") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(insert, (uuid.uuid4(), version, "FORGED", "srv_bo"))
    with as_role(pg_server, db, "srv_anna") as conn:
        new = uuid.uuid4()
        conn.execute(insert, (new, version, "MINE", None))  # no owner: the server fills in current_user
        assert conn.execute("SELECT owner FROM assessments WHERE id = %s", (new,)).fetchone() == ("srv_anna",)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO answers (id, assessment_id, item_key, value, comment, updated_at) "
                         "VALUES (%s, %s, 'q2', '1', '', now())", (uuid.uuid4(), ids["BO-0"]))


def test_advisor_reads_their_branch_and_writes_only_their_own(pg_server, server):
    db, _url, ids = server
    with as_role(pg_server, db, "srv_cecilia") as conn:
        seen = refs(conn)
        assert seen == {f"ANNA-{i}" for i in range(6)} | {f"ADA-{i}" for i in range(6)} | {"ANNA-SIGNED"}
        assert not any(r.startswith("BO") for r in seen)  # Skövde is another branch
        assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 3  # their branch's answers
        assert conn.execute("UPDATE assessments SET decision = 'refused' WHERE id = %s",
                            (ids["ANNA-1"],)).rowcount == 0  # read, not write
        assert conn.execute("DELETE FROM answers WHERE assessment_id = %s", (ids["ADA-0"],)).rowcount == 0


def test_trainer_reads_insight_columns_only(pg_server, server):
    import psycopg

    db, _url, _ids = server
    versions = pg_server.psql("SELECT count(*) FROM template_versions", db)[0][0]  # the seed's and the bundled
    assert versions > 1
    with as_role(pg_server, db, "srv_tove") as conn:
        rows = conn.execute("SELECT ownership, decision, count(*), sum(amount_granted) FROM assessments "
                            "WHERE training_exercise_id IS NULL GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
        assert sum(r[2] for r in rows) == 19  # every branch's cases, as aggregates
        assert conn.execute("SELECT count(*) FROM item_flags").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM template_versions").fetchone()[0] == versions
        assert conn.execute("UPDATE template_versions SET title = title").rowcount == versions  # trainers write
        assert conn.execute("SELECT count(*) FROM exercise_attempts").fetchone()[0] == 0
    with as_role(pg_server, db, "srv_cecilia") as conn:  # advisors and agents only read them
        assert conn.execute("SELECT count(*) FROM template_versions").fetchone()[0] == versions
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("UPDATE template_versions SET title = title")
    for forbidden in ("SELECT case_reference FROM assessments", "SELECT * FROM assessments",
                      "SELECT signed_by FROM assessments", "SELECT owner FROM assessments",
                      "SELECT value, comment FROM answers", "SELECT count(*) FROM answers",
                      "SELECT content FROM signed_documents", "UPDATE assessments SET decision = 'refused'"):
        with as_role(pg_server, db, "srv_tove") as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                conn.execute(forbidden)


def test_insights_service_works_for_a_trainer_with_suppression(pg_server, server):
    """The app's own insights service on the trainer's connection: figures, and the small cell suppressed."""
    from app.services.insights import InsightsService
    from app.storage.db import open_database
    from app.storage.insights import InsightFilter

    db, _url, _ids = server
    trainer_db = open_database(url=pg_server.url(db, user="srv_tove"))
    try:
        insights = InsightsService(trainer_db)
        groups = {g.group: g for g in insights.indicators(InsightFilter())}
        assert groups["men_led"].cases.value == 10 and groups["women_led"].cases.value == 7
        approval = {key: g.cells["approval"] for key, g in groups.items() if key in ("men_led", "women_led", "mixed")}
        assert approval["men_led"].value == pytest.approx(0.6) and approval["women_led"].value == pytest.approx(4 / 7)
        assert approval["mixed"].suppressed and approval["mixed"].value is None  # 2 cases < MIN_CELL
        assert insights.choices()["branch"] == ["Borås", "Skövde"]
        assert insights.trend(InsightFilter())
        insights.training_needs(InsightFilter(), "branch", "en")
    finally:
        trainer_db.close()


# --- the signed guard ----------------------------------------------------------------------------------


def test_nobody_but_the_owner_changes_a_signed_record(pg_server, server):
    import psycopg

    db, _url, ids = server
    signed = ids["ANNA-SIGNED"]
    attempts = [("UPDATE assessments SET decision = 'refused' WHERE id = %s", signed),
                ("DELETE FROM assessments WHERE id = %s", signed),
                ("UPDATE answers SET value = '\"changed\"' WHERE assessment_id = %s", signed),
                ("DELETE FROM answers WHERE assessment_id = %s", signed),
                ("UPDATE signed_documents SET content = 'x' WHERE assessment_id = %s", signed),
                ("DELETE FROM signed_documents WHERE assessment_id = %s", signed)]
    for statement, case_id in attempts:  # its own agent, who sees it and holds the table privileges
        with as_role(pg_server, db, "srv_anna") as conn:
            with pytest.raises(psycopg.Error) as caught:
                conn.execute(statement, (case_id,))
            assert caught.value.sqlstate == q.SIGNED_SQLSTATE, statement
    # the table owner (the administrator) still can, e.g. to erase a case under GDPR
    with as_role(pg_server, db, "postgres") as conn:
        assert conn.execute("UPDATE answers SET comment = '' WHERE assessment_id = %s", (signed,)).rowcount == 1
    assert pg_server.psql(f"SELECT decision FROM assessments WHERE id = '{signed}'", db) == [("granted",)]


# --- people ----------------------------------------------------------------------------------------


def _scram_matches(verifier: str, password: str) -> bool:
    """RFC 5802/7677: ``SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey`` of ``password``."""
    head, keys = verifier.split("$", 1)[1].split("$")
    iterations, salt = head.split(":")
    stored, server_key = (base64.b64decode(k) for k in keys.split(":"))
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return (hashlib.sha256(client_key).digest() == stored
            and hmac.new(salted, b"Server Key", "sha256").digest() == server_key)


def test_add_user_stores_only_a_scram_hash(pg_server, server):
    db, url, _ids = server
    log = pg_server.root / "log"
    start = log.stat().st_size
    login = "srv_dora"
    _drop_logins(pg_server, [login])
    pg_server.psql(f'ALTER DATABASE "{db}" SET log_statement = \'all\'')  # every statement into the log
    try:
        ServerService(url).add_user(login, "advisor", PASSWORD, branch="Skövde", name="Dora Ek")
        (stored,) = pg_server.psql(f"SELECT rolpassword FROM pg_authid WHERE rolname = '{login}'")[0]
        assert stored.startswith("SCRAM-SHA-256$") and PASSWORD not in stored
        assert _scram_matches(stored, PASSWORD) and not _scram_matches(stored, PASSWORD + "x")
        with log.open("rb") as fh:
            fh.seek(start)
            written = fh.read().decode("utf-8", "replace")
        assert 'CREATE ROLE "srv_dora"' in written and PASSWORD not in written  # the hash travelled, not it
        assert pg_server.psql(f"SELECT pg_has_role('{login}', 'likvard_advisor', 'MEMBER')") == [(True,)]
        users = {u.login: u for u in ServerService(url).list_users()}
        assert (users[login].role, users[login].branch, users[login].display_name) == ("advisor", "Skövde", "Dora Ek")
        assert users[login].groups == ["likvard_advisor"] and users["srv_tove"].groups == ["likvard_trainer"]
        with as_role(pg_server, db, login) as conn:  # a Skövde advisor: Bo's cases
            assert refs(conn) == {f"BO-{i}" for i in range(4)} | {"BOX-0", "BOX-1"}
        ServerService(url).remove_user(login)
        assert pg_server.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{login}'") == []
        assert login not in {u.login for u in ServerService(url).list_users()}
    finally:
        pg_server.psql(f'ALTER DATABASE "{db}" RESET log_statement')
        _drop_logins(pg_server, [login])


@pytest.mark.parametrize("login", ["Anna", "1anna", "an na", "x" * 64, "", "pg_anna", "likvard_agent", "postgres",
                                   'a"; DROP ROLE postgres; --', "anna'", "åsa"])
def test_bad_logins_are_refused(pg_server, server, login):
    _db, url, _ids = server
    before = pg_server.psql("SELECT count(*) FROM pg_roles")
    with pytest.raises(ServerError):
        ServerService(url).add_user(login, "agent", PASSWORD, branch="Borås")
    assert pg_server.psql("SELECT count(*) FROM pg_roles") == before


def test_add_user_refusals(pg_server, server):
    _db, url, _ids = server
    svc = ServerService(url)
    with pytest.raises(ServerError, match="already exists"):
        svc.add_user("srv_anna", "agent", PASSWORD, branch="Borås")
    with pytest.raises(ServerError, match="too short"):
        svc.add_user("srv_new", "agent", "short", branch="Borås")
    with pytest.raises(ServerError, match="needs a branch"):
        svc.add_user("srv_new", "advisor", PASSWORD)
    with pytest.raises(ServerError, match="not a role"):
        svc.add_user("srv_new", "boss", PASSWORD, branch="Borås")
    assert pg_server.psql("SELECT 1 FROM pg_roles WHERE rolname = 'srv_new'") == []


# --- the command line --------------------------------------------------------------------------------


def test_cli_init_add_user_list(pg_server, tmp_path):
    url = pg_server.create_database()
    login = "srv_erik"
    _drop_logins(pg_server, [login])

    def cli(*args, stdin=""):
        return subprocess.run([sys.executable, str(ROOT / "main.py"), "server", *args, "--server", url],
                              input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)

    try:
        done = cli("init")
        assert done.returncode == 0, done.stderr
        assert "Next steps" in done.stdout and "hostssl" in done.stdout and "scram-sha-256" in done.stdout
        assert "pg_dump" in done.stdout and "likvard server add-user" in done.stdout and "likvard sync" in done.stdout
        done = cli("add-user", login, "--role", "agent", "--branch", "Borås", "--name", "Erik Ek", "--password-stdin",
                   stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        assert f"postgresql+psycopg://{login}@" in done.stdout
        done = cli("list-users")
        assert done.returncode == 0 and f"{login}\tagent\tBorås\tErik Ek" in done.stdout
        done = cli("add-user", "Bad Name", "--role", "agent", "--branch", "B", "--password-stdin", stdin=PASSWORD)
        assert done.returncode == 1 and "cannot be a login" in done.stderr and "Traceback" not in done.stderr
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "server", "init", "--server",
                               str(tmp_path / "x.sqlite")], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 1 and "PostgreSQL" in done.stderr and "Traceback" not in done.stderr
    finally:
        _drop_logins(pg_server, [login])


def test_sync_shaped_upserts_as_an_agent(pg_server, server):
    """What the sync does with the agent's own login: an upsert by UUID of their own case works, of
    another's is refused (never silently applied), and an event is inserted once (DO NOTHING)."""
    import psycopg

    db, _url, ids = server
    upsert = ("INSERT INTO assessments (id, template_version_id, status, case_reference, advisor, branch, currency, "
              "flag_count, created_at, updated_at, revision, reference_duplicate, owner) "
              "SELECT %s, v.id, 'completed', %s, '', 'Borås', 'SEK', 0, now(), now(), 1, 0, current_user "
              "FROM template_versions v LIMIT 1 ON CONFLICT (id) DO UPDATE SET decision = 'withdrawn' "
              "WHERE assessments.status <> 'signed'")
    event = ("INSERT INTO events (id, at, kind, entity_id, actor, payload) VALUES (%s, now(), 'assessment.completed', "
             "%s, 'Anna', '{}') ON CONFLICT (id) DO NOTHING")
    with as_role(pg_server, db, "srv_anna") as conn:
        assert conn.execute(upsert, (ids["ANNA-3"], "ANNA-3")).rowcount == 1
        assert conn.execute(upsert, (ids["ANNA-SIGNED"], "ANNA-SIGNED")).rowcount == 0  # signed: left alone
        event_id = uuid.uuid4()
        assert conn.execute(event, (event_id, ids["ANNA-3"])).rowcount == 1
        assert conn.execute(event, (event_id, ids["ANNA-3"])).rowcount == 0  # a resend is a no-op
        assert conn.execute("SELECT count(*) FROM events WHERE id = %s", (event_id,)).fetchone() == (1,)
    with as_role(pg_server, db, "srv_anna") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(upsert, (ids["BO-2"], "BO-2"))  # Bo's case: refused, not overwritten
    with as_role(pg_server, db, "srv_bo") as conn:  # nor does Bo read Anna's events
        conn.execute(event, (uuid.uuid4(), ids["BO-2"]))
        assert conn.execute("SELECT count(*) FROM events WHERE entity_id = %s", (ids["ANNA-3"],)).fetchone() == (0,)
    assert pg_server.psql(f"SELECT decision FROM assessments WHERE id = '{ids['BO-2']}'", db) == [("refused",)]


def test_a_createrole_database_owner_can_administer(pg_server):
    """The README's administrator: not a superuser, a role with CREATEROLE that owns the database."""
    admin, login = "srv_admin", "srv_fia"
    _drop_logins(pg_server, [login])
    pg_server.psql(f'DROP ROLE IF EXISTS "{admin}"')
    pg_server.psql(f'CREATE ROLE "{admin}" LOGIN CREATEROLE')
    db = _dbname(pg_server.create_database())
    pg_server.psql(f'ALTER DATABASE "{db}" OWNER TO "{admin}"')
    try:
        svc = ServerService(pg_server.url(db, user=admin))
        svc.init()
        svc.add_user(login, "agent", PASSWORD, branch="Borås")
        assert pg_server.psql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'", db) == [(admin,)]
        with as_role(pg_server, db, login) as conn:
            assert refs(conn) == set()
            assert conn.execute("SELECT login FROM team_members").fetchall() == [(login,)]
    finally:
        pg_server.psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        _drop_logins(pg_server, [login, admin])


def test_the_apps_services_on_an_agents_connection(pg_server, server):
    """The app opened on the server with an agent's login: no audit key is made for the server (init
    gave it an id no computer holds a key for), and the case list is the agent's own cases."""
    import psycopg

    from app.services import Services
    from app.storage.audit import DATABASE_ID_SETTING
    from app.storage.db import open_database

    db, _url, _ids = server
    audit_id = pg_server.psql(f"SELECT value::text FROM settings WHERE key = '{DATABASE_ID_SETTING}'", db)
    assert len(audit_id) == 1 and audit_id[0][0].startswith('"server-')
    svc = Services(open_database(url=pg_server.url(db, user="srv_ada")), actor="Ada")
    try:
        assert svc.audit.prepare() == 0
        assert {a.case_reference for a in svc.assessments.list()} == {f"ADA-{i}" for i in range(6)}
    finally:
        svc.db.close()
    with as_role(pg_server, db, "srv_tove") as conn:
        assert conn.execute("UPDATE settings SET value = '\"mine\"' WHERE key = %s",
                            (DATABASE_ID_SETTING,)).rowcount == 0
        conn.execute("INSERT INTO settings (key, value) VALUES ('templates.imported.x', 'null')")  # a marker: yes
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO settings (key, value) VALUES ('audit.other', 'null')")
    assert pg_server.psql(f"SELECT value::text FROM settings WHERE key = '{DATABASE_ID_SETTING}'", db) == audit_id

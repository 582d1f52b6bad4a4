"""PostgreSQL as a backend (team mode): ``--db`` / ``LIKVARD_DB`` take a server URL; a server
database is opened as its administrator prepared it (never created or migrated silently); its
password comes from the keyring, else is asked (a terminal) or refused clearly (a script); the
file-only features (backups, restore) say why not; the insights report runs on it.

On the throwaway cluster of tests/pg.py. The storage, service and insights modules run on both
backends through ``pytest.mark.both_backends`` (tests/conftest.py).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.postgres

PASSWORD = "sekret-Åsa-1"


def _server_url(pg_server, pg_template):
    name = f"likvard_be_{os.getpid()}_{time.monotonic_ns()}"
    pg_server.psql(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}" STRATEGY FILE_COPY')
    return name, pg_server.url(name)


@pytest.fixture
def server_db(pg_server, pg_template):
    """(name, URL) of a prepared server database (schema, bundled checklists, all-types template)."""
    name, url = _server_url(pg_server, pg_template)
    yield name, url
    pg_server.psql(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def password_login(pg_server):
    """A login whose socket connections must give a password (scram), as a real server asks."""
    login = "h42_pw"
    pg_server.psql(f"DROP ROLE IF EXISTS {login}")
    pg_server.psql(f"CREATE ROLE {login} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
    hba = pg_server.root / "data" / "pg_hba.conf"
    original = hba.read_text()
    hba.write_text(f"local all {login} scram-sha-256\n" + original)
    pg_server.psql("SELECT pg_reload_conf()")
    time.sleep(0.2)
    yield login
    hba.write_text(original)
    pg_server.psql("SELECT pg_reload_conf()")


# --- opening: never a silent schema change ------------------------------------------------------

def test_an_empty_server_database_is_refused_and_left_empty(pg_server, pg_url):
    from app.errors import ServerNotPreparedError
    from app.storage.db import open_database

    with pytest.raises(ServerNotPreparedError, match="likvard server init"):
        open_database(url=pg_url)
    from sqlalchemy.engine import make_url

    name = make_url(pg_url).database
    assert pg_server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name) == [(0,)]
    # the same through LIKVARD_DB and the command line: a clear error, exit 1, nothing created
    done = run_cli("templates", "list", env={"LIKVARD_DB": pg_url})
    assert done.returncode == 1 and "likvard server init" in done.stderr and "Traceback" not in done.stderr
    assert pg_server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name) == [(0,)]


def test_older_and_newer_schemas_are_refused_untouched(pg_server, pg_url):
    from alembic import command

    from app.errors import DatabaseTooNewError, ServerNotPreparedError
    from app.storage.db import (
        HEAD_REVISION,
        _alembic_config,
        current_revision,
        make_engine,
        open_database,
        prepare_schema,
    )

    engine = make_engine(pg_url)
    try:
        command.upgrade(_alembic_config(engine), "0010")
        with pytest.raises(ServerNotPreparedError, match="likvard server upgrade") as raised:
            open_database(url=pg_url)
        assert "0010" in raised.value.message
        assert current_revision(engine) == "0010"  # not migrated by the open
        assert prepare_schema(engine) == "0010" and current_revision(engine) == HEAD_REVISION
        open_database(url=pg_url).close()
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        with pytest.raises(DatabaseTooNewError, match="newer version"):
            open_database(url=pg_url)
    finally:
        engine.dispose()


# --- passwords ----------------------------------------------------------------------------------

def test_the_password_is_asked_when_the_server_asks_and_never_shown(pg_server, server_db, password_login):
    from app.bootstrap import start, start_asking
    from app.credentials import PasswordRequired

    name, _url = server_db
    url = pg_server.url(name, user=password_login)
    with pytest.raises(PasswordRequired) as raised:
        start(url)
    assert not raised.value.refused and password_login in raised.value.message
    asked: list[PasswordRequired] = []
    answers = iter(["wrong", PASSWORD])

    def ask(exc: PasswordRequired) -> str:
        asked.append(exc)
        return next(answers)

    services = start_asking(url, ask)
    try:
        assert [e.refused for e in asked] == [False, True]  # asked, then the wrong one refused
        assert services.templates.find_version("all_types") is not None
        assert PASSWORD not in services.db.url and "***" in services.db.url
        assert all(PASSWORD not in e.message and PASSWORD not in e.url for e in asked)
    finally:
        services.db.close()
    with pytest.raises(PasswordRequired):  # giving up (None) raises the server's question
        start_asking(url, lambda exc: None)


def test_the_cli_refuses_clearly_without_a_terminal_and_asks_in_one(pg_server, server_db, password_login):
    name, _url = server_db
    url = pg_server.url(name, user=password_login)
    before = pg_server.psql("SELECT count(*) FROM events", name)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", url, "templates", "list"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "asks for the password" in done.stderr and "keyring" in done.stderr and "Traceback" not in done.stderr
    assert pg_server.psql("SELECT count(*) FROM events", name) == before
    # in a terminal: getpass asks (no echo), the command runs; the password is printed nowhere
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execv(sys.executable, [sys.executable, str(ROOT / "main.py"), "--db", url, "templates", "list"])
    output = b""
    sent = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if not sent and b"Password for" in output:
            os.write(fd, PASSWORD.encode() + b"\n")
            sent = True
    _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    assert sent and os.waitstatus_to_exitcode(status) == 0, text
    assert "all_types" in text and PASSWORD not in text


# --- file-only features on a server ---------------------------------------------------------------

def test_backups_are_the_administrators_on_a_server(server_db, tmp_path):
    from app.bootstrap import start
    from app.errors import StorageError

    _name, url = server_db
    services = start(url)
    try:
        assert services.db.is_server and services.db.path is None
        assert services.backups.automatic_backup() is None
        for attempt in (services.backups.backup_now, services.backups.list,
                        lambda: services.backups.restore(tmp_path / "x.sqlite")):
            with pytest.raises(StorageError, match="pg_dump"):
                attempt()
    finally:
        services.db.close()
    for args in (["backup"], ["backup", "--list"], ["restore", str(tmp_path / "x.sqlite")]):
        done = run_cli(*args, "--db", url)
        assert done.returncode == 1 and "pg_dump" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not list(tmp_path.iterdir())


def test_the_audit_log_of_a_server_is_recorded_but_not_sealed_on_a_laptop(server_db, all_types_version_on):
    from app.domain.facts import CaseFacts
    from app.services.audit import NO_KEY

    services = all_types_version_on(server_db[1])
    aid = services.assessments.create(services.templates.find_version("all_types").id,
                                      CaseFacts(case_reference="PG-1"))
    services.assessments.set_answer(aid, "documents", ["appraisal"])
    entries = services.audit.list()
    assert [e for e in entries if e.kind == "assessment.created"]
    verdict = services.audit.verify()
    assert verdict.state == NO_KEY and "server" in verdict.message
    assert not any(p.name.endswith(".key") for p in _audit_files())


def _audit_files():
    from app.storage.audit import audit_dir

    folder = audit_dir()
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def all_types_version_on():
    opened = []

    def open_(url):
        from app.bootstrap import start

        services = start(url)
        opened.append(services)
        return services

    yield open_
    for services in opened:
        services.db.close()


# --- insights on the server -----------------------------------------------------------------------

def test_likvard_report_on_a_server_suppresses_small_cells(server_db):
    from app.bootstrap import start
    from app.exchange.insights_export import suppressed_marker
    from tests.test_insights import seed

    _name, url = server_db
    services = start(url)
    try:
        seed(services, services.templates.find_version("all_types").id)
    finally:
        services.db.close()
    done = run_cli("report", "--db", url)
    assert done.returncode == 0, done.stderr
    assert suppressed_marker() in done.stdout  # the 3 cases of undisclosed ownership, for one
    assert "Traceback" not in done.stderr

"""Shared fixtures: offscreen Qt, a fresh database file and settings file per test."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANGUAGE", "en")

# Fuzz tests (marked fuzz): a few hundred examples in all by default, thousands with LIKVARD_FUZZ=thorough.
settings.register_profile("default", max_examples=50, deadline=None, derandomize=False,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                 HealthCheck.data_too_large, HealthCheck.filter_too_much])
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1500)
settings.load_profile("thorough" if os.environ.get("LIKVARD_FUZZ") == "thorough" else "default")

from tests.pg import pg_server, pg_url  # noqa: E402, F401 (fixtures: a throwaway PostgreSQL cluster)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    """Every test gets its own database and settings; the language starts as English."""
    monkeypatch.setenv("LIKVARD_DB", str(tmp_path / "likvard.sqlite"))
    monkeypatch.setenv("LIKVARD_CONFIG", str(tmp_path / "settings.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("LIKVARD_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("LIKVARD_TRUST_DIR", str(tmp_path / "trust"))
    monkeypatch.setenv("LIKVARD_LOG_DIR", str(tmp_path / "logs"))
    from app import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")




# --- the backend matrix: SQLite and PostgreSQL ---------------------------------------------------
# A module opts in with ``pytestmark = pytest.mark.both_backends``: each of its tests that uses the
# ``services`` fixture (directly or through another fixture) runs on a SQLite file and on a fresh
# PostgreSQL database (a copy of one migrated template database, made once per session). A test
# about the file itself (backups, damage, locking, a second connection to ``db_path``) is marked
# ``sqlite_only`` and runs on SQLite alone.

def pytest_configure(config):
    config.addinivalue_line("markers", "both_backends: the module's `services` tests run on SQLite and PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: in a both_backends module, a test about the SQLite file")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends") \
            and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                             indirect=True)


@pytest.fixture
def backend(request) -> str:
    """The database the test's ``services`` run on: "sqlite" unless the module opted in (above)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:  # noqa: F811 (the fixture of tests.pg)
    """The name of a PostgreSQL database prepared as ``services`` expects: the schema made by the
    app's own migrations (prepare_schema), the bundled checklists and exercises installed by the
    same service calls as at a file's start-up, and the all-types test template."""
    from sqlalchemy.engine import make_url

    from app.services import Services
    from app.storage.db import open_database, prepare_schema

    url = pg_server.create_database("likvard_template")
    prepare_schema(url)
    db = open_database(url=url)
    try:
        svc = Services(db, actor="test")
        svc.templates.install_bundled()
        svc.exercises.install_bundled()
        svc.templates.import_file(DATA / "all_types.json")
    finally:
        db.close()
    return str(make_url(url).database)


_COPIES = itertools.count(1)


@pytest.fixture
def db_path(tmp_path, backend, request):
    """Where the test's database is: a SQLite file's path, or (backend "postgresql") the URL of a
    fresh copy of ``pg_template``, dropped after the test. ``open_database(db_path)``,
    ``start(db_path)`` and ``--db`` take either."""
    if backend != "postgresql":
        yield tmp_path / "likvard.sqlite"
        return
    server = request.getfixturevalue("pg_server")
    name = f"likvard_copy_{os.getpid()}_{next(_COPIES)}"
    # FILE_COPY: for a small template faster than PostgreSQL 15's default (WAL_LOG), 0.5 s against 0.8
    server.psql(f'CREATE DATABASE "{name}" TEMPLATE "{request.getfixturevalue("pg_template")}" STRATEGY FILE_COPY')
    yield server.url(name)
    server.psql(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def services(db_path, backend):
    """Services over a fresh database with the bundled checklist and the all-types test template
    (on PostgreSQL the template database already holds them)."""
    from app.bootstrap import start

    svc = start(db_path, language="en")
    if backend != "postgresql":
        svc.templates.import_file(DATA / "all_types.json")
    yield svc
    svc.db.close()


@pytest.fixture
def identity():
    """A self-signed signing identity in the test's own keys folder (password: tests.pdf.conftest.PASSWORD)."""
    from app.pdf.identity import create_identity
    from tests.pdf.conftest import PASSWORD

    return create_identity("Åsa Lindström", "Kreditgarantiföreningen Väst", PASSWORD)


@pytest.fixture
def all_types_version(services):
    return services.templates.find_version("all_types")


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd or ROOT, timeout=300)


def have(tool: str) -> bool:
    return shutil.which(tool) is not None

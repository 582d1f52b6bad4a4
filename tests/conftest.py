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


#: Fixtures that stand for a prepared database: a test using one gets, through ``services``, a copy of
#: that database (built once per session by the named function after the base set-up) instead of the base.
PREPARED_DATABASES = {"seeded": "tests.test_insights:seed_all_types"}

_ENVIRONMENT = {"LIKVARD_CONFIG": "settings.json", "XDG_DATA_HOME": "xdg-data", "XDG_CONFIG_HOME": "xdg-config",
                "LIKVARD_KEYS_DIR": "keys", "LIKVARD_TRUST_DIR": "trust", "LIKVARD_LOG_DIR": "logs"}


class DatabaseTemplates:
    """Databases set up once per session (migrated, bundled checklists and exercises installed, the
    all-types template imported, optionally seeded), copied per test with their audit key and anchor:
    the same start as a fresh database at a fraction of the cost (Alembic and the imports run once)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[str, tuple[Path, str, bytes, dict]] = {}

    def _build(self, name: str, prepare: str | None) -> tuple[Path, str, bytes, dict]:
        import importlib
        import json
        import sqlite3
        from datetime import date

        from app.bootstrap import start
        from app.storage.audit import audit_dir

        folder = self.folder / name / date.today().isoformat()
        folder.mkdir(parents=True)
        path = folder / "likvard.sqlite"
        with pytest.MonkeyPatch.context() as mp:  # the set-up's own settings, keys, backups and audit folder
            for variable, leaf in _ENVIRONMENT.items():
                mp.setenv(variable, str(folder / leaf))
            mp.delenv("LIKVARD_AUDIT_DIR", raising=False)
            mp.setenv("LIKVARD_DB", str(path))
            svc = start(path, language="en")
            try:
                svc.templates.import_file(DATA / "all_types.json")
                if prepare:
                    module, function = prepare.split(":")
                    getattr(importlib.import_module(module), function)(svc)
            finally:
                svc.db.close()
            keys = audit_dir()
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0, wal  # the copied file alone is the database
        (key_path,) = keys.glob("*.key")  # the one database of the set-up
        database_id = key_path.stem
        anchor = json.loads((keys / f"{database_id}.anchor").read_text("utf-8"))
        return path, database_id, key_path.read_bytes(), anchor

    def start(self, db_path: Path, prepare: str | None = None):
        """Services over a copy of the prepared database at ``db_path`` (the caller closes them)."""
        import json
        from datetime import date

        from app.bootstrap import start
        from app.storage.audit import audit_dir

        name = prepare.rpartition(":")[2] if prepare else "base"
        if name not in self.built or self.built[name][0].parent.name != date.today().isoformat():
            self.built[name] = self._build(name, prepare)  # again after midnight: "today" stays today
        source, database_id, key, anchor = self.built[name]
        shutil.copyfile(source, db_path)
        keys = audit_dir()
        fd = os.open(keys / f"{database_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        anchor = {**anchor, "database_path": str(Path(db_path).expanduser().resolve())}
        fd = os.open(keys / f"{database_id}.anchor", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(anchor).encode("utf-8"))
        return start(db_path, language="en")


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory) -> DatabaseTemplates:
    return DatabaseTemplates(tmp_path_factory.mktemp("database-templates"))


@pytest.fixture
def services(db_path, backend, database_templates, request):
    """Services over a new database with the bundled checklists and the all-types test template: on
    SQLite a copy of one set up once per session, on PostgreSQL a copy of ``pg_template``; a
    PREPARED_DATABASES fixture in the test picks its prepared copy (on PostgreSQL: prepared here)."""
    prepared = [PREPARED_DATABASES[name] for name in PREPARED_DATABASES if name in request.fixturenames]
    if backend == "postgresql":
        import importlib

        from app.bootstrap import start

        svc = start(db_path, language="en")
        if prepared:
            module, function = prepared[0].split(":")
            getattr(importlib.import_module(module), function)(svc)
    else:
        svc = database_templates.start(db_path, prepared[0] if prepared else None)
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

"""Shared fixtures: offscreen Qt, a fresh database file and settings file per test."""

from __future__ import annotations

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


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "likvard.sqlite"


@pytest.fixture
def services(db_path):
    """Services over a fresh database with the bundled checklist and the all-types test template."""
    from app.bootstrap import start

    svc = start(db_path, language="en")
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

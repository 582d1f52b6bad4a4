"""A throwaway PostgreSQL 15 cluster for the tests (team mode runs on PostgreSQL).

``pg_server`` (session scope) starts one cluster in a temporary folder on a Unix socket, with
``fsync=off`` (a test cluster), and stops and removes it at the end. ``pg_server.create_database()``
makes a fresh, empty database and returns its SQLAlchemy URL; ``pg_server.url(dbname, user)`` builds
one; ``pg_server.psql(sql, dbname)`` runs SQL as the superuser. Needs the server binaries (Debian:
postgresql-15, installed by .ci/run) and psycopg 3 (the test extras); the tests are skipped with
the reason when either is missing. As root (initdb refuses root) the cluster runs as ``postgres``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, f"{command[-3:]}: {done.stdout}{done.stderr}"


class PgServer:
    """A running throwaway cluster (see the module docstring)."""

    def __init__(self, root: Path, sock: Path, port: int, prefix: list[str], pg_ctl: str) -> None:
        self.root, self.sock, self.port, self.prefix, self.pg_ctl = root, sock, port, prefix, pg_ctl
        self._names = itertools.count(1)

    def url(self, dbname: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        auth = user if password is None else f"{user}:{password}"
        return f"postgresql+psycopg://{auth}@/{dbname}?host={self.sock}&port={self.port}"

    def connect(self, dbname: str = "postgres", user: str = "postgres", **kw: Any) -> Any:
        import psycopg

        return psycopg.connect(host=str(self.sock), port=self.port, user=user, dbname=dbname, **kw)

    def psql(self, sql: str, dbname: str = "postgres") -> list[tuple[Any, ...]]:
        """Run ``sql`` as the superuser (autocommit) and return the rows of its last statement."""
        with self.connect(dbname, autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def create_database(self, prefix: str = "likvard", template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``); returns its URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        suffix = f" TEMPLATE {template}" if template else ""
        self.psql(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self.prefix, self.pg_ctl, "-D", str(self.root / "data"), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed (Debian: postgresql-15)")
    pytest.importorskip("psycopg", reason="psycopg 3 is not installed (pip install 'psycopg[binary]')")
    # not under pytest's temp dir: that one is private to root, and the server runs as postgres
    root = Path(tempfile.mkdtemp(prefix="likvard-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        prefix = [runuser, "-u", "postgres", "--"]
    port = _free_port()
    # scram for passwords (roles of team mode log in with them); the superuser over the socket by trust
    _run([*prefix, initdb, "-D", str(data), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
          "-E", "UTF8", "--locale=C.UTF-8"])
    options = (f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
               f"-c synchronous_commit=off -c max_connections=200")
    _run([*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"])
    server = PgServer(root, sock, port, prefix, pg_ctl)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database on the throwaway cluster (the app's migrations make its schema)."""
    return pg_server.create_database()

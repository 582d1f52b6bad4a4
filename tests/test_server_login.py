"""Real password logins (team mode): a cluster of this module's own that listens on 127.0.0.1 with
``scram-sha-256`` for every TCP login (the shared test cluster lets every role in by trust over its
socket). A person added with ``server add-user`` logs in with their password and not with another;
the administrator's missing password is asked for (PasswordRequired), or refused clearly when no
terminal is there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.pg import PgServer, _bin, _free_port, _run

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent
ADMIN_PASSWORD = "admin-secret-7"
PASSWORD = "Anna har ett långt lösenord"


@pytest.fixture(scope="module")
def tcp_server():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed (Debian: postgresql-15)")
    pytest.importorskip("psycopg")
    root = Path(tempfile.mkdtemp(prefix="likvard-pg-tcp-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser")
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        prefix = [runuser, "-u", "postgres", "--"]
    port = _free_port()
    _run([*prefix, initdb, "-N", "-D", str(data), "-U", "postgres", "--auth-local=trust",
          "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"])
    options = f"-k {sock} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    _run([*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"])
    server = PgServer(root, sock, port, prefix, pg_ctl)
    try:
        server.psql(f"ALTER ROLE postgres PASSWORD '{ADMIN_PASSWORD}'")
        server.psql("CREATE DATABASE likvard")
        yield server
    finally:
        server.stop()


def tcp_url(server: PgServer, user: str, password: str | None = None) -> str:
    auth = user if password is None else f"{user}:{password}"
    return f"postgresql+psycopg://{auth}@127.0.0.1:{server.port}/likvard"


def test_passwords_over_tcp(tcp_server):
    import psycopg

    from app.credentials import PasswordRequired, password_error
    from app.services.server import ServerService

    with pytest.raises(PasswordRequired) as asked:  # the administrator's password: asked for, not guessed
        ServerService(tcp_url(tcp_server, "postgres")).init()
    assert not asked.value.refused
    with pytest.raises(PasswordRequired) as refused:
        ServerService(tcp_url(tcp_server, "postgres", "wrong-password")).init()
    assert refused.value.refused
    admin = ServerService(tcp_url(tcp_server, "postgres", ADMIN_PASSWORD))
    admin.init()
    admin.add_user("anna", "agent", PASSWORD, branch="Borås", name="Anna Berg")
    with psycopg.connect(host="127.0.0.1", port=tcp_server.port, dbname="likvard", user="anna",
                         password=PASSWORD) as conn:
        assert conn.execute("SELECT current_user, count(*) FROM assessments").fetchone() == ("anna", 0)
    with pytest.raises(psycopg.OperationalError) as caught:
        psycopg.connect(host="127.0.0.1", port=tcp_server.port, dbname="likvard", user="anna",
                        password=PASSWORD + "!")
    asked = password_error(caught.value, tcp_url(tcp_server, "anna"))
    assert asked is not None and asked.refused
    # the app's own way in, with the laptop's URL (trainers and agents open the server like this)
    from app.storage.db import open_database

    db = open_database(url=tcp_url(tcp_server, "anna", PASSWORD))
    db.close()


def test_cli_without_a_terminal_says_what_to_do(tcp_server):
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "server", "list-users", "--server",
                           tcp_url(tcp_server, "postgres")], capture_output=True, text=True, cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "asks for the password" in done.stderr and "keyring" in done.stderr


def _in_terminal(args: list[str], answers: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the CLI in a pseudo-terminal, answering each password prompt in turn."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal (getpass reads /dev/tty)
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, str(ROOT / "main.py"), *args], env)
    output, pending, deadline, answered = b"", list(answers), time.monotonic() + 60, 0
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if pending and output[answered:].rstrip().endswith(b":"):  # a new prompt
            time.sleep(0.2)  # getpass has switched the echo off and waits
            os.write(fd, pending.pop(0).encode() + b"\n")
            answered = len(output)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


def test_cli_asks_for_passwords_in_a_terminal(tcp_server):
    """add-user in a terminal: the administrator's password (a wrong one first), then the new one twice."""
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "LANGUAGE": "en"}
    code, out = _in_terminal(["server", "add-user", "bo", "--role", "advisor", "--branch", "Skövde", "--server",
                              tcp_url(tcp_server, "postgres")],
                             ["Bo:s lösenord 1", "Bo:s lösenord 1", "wrong", ADMIN_PASSWORD], env)
    assert code == 0, out
    assert "New password for bo" in out and "Password for postgres@127.0.0.1" in out
    assert "refused the password" in out and "Added bo (advisor)" in out
    assert "Bo:s lösenord 1" not in out and ADMIN_PASSWORD not in out  # never echoed
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=tcp_server.port, dbname="likvard", user="bo",
                         password="Bo:s lösenord 1") as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("bo",)
    code, out = _in_terminal(["server", "add-user", "cy", "--role", "trainer", "--server",
                              tcp_url(tcp_server, "postgres", ADMIN_PASSWORD)], ["long enough 1", "long enough 2"], env)
    assert code == 1 and "The two passwords differ" in out

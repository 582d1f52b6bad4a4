"""Bad database files (issue 13, item 5): each gives a clear, translated error and no traceback,
and a file that is not ours, or is refused, is left byte for byte as it was. The database, its
journal files and the user data folder are private to the user."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def cli(*args: str, db: Path, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """The real command line. ``unprivileged``: as root, without the capabilities that let root
    ignore file permissions, so a read-only file is read-only here too."""
    prefix: list[str] = []
    if unprivileged and os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        prefix = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]
    env = {**os.environ, "LIKVARD_DB": str(db), "LANGUAGE": "en"}
    return subprocess.run([*prefix, sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def a_database_with_cases(folder: Path, count: int = 5) -> Path:
    path = folder / "cases.sqlite"
    result = cli("demo", "--count", str(count), "--seed", "1", db=path)
    assert result.returncode == 0, result.stderr
    return path


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "xdg-data")


def test_garbage_inside_a_page_at_the_current_revision_says_damaged(tmp_path):
    path = a_database_with_cases(tmp_path)
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='assessments'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    offset = (root - 1) * size
    assert data[offset] in (5, 13)  # a table b-tree page
    data[offset + 3:offset + 5] = b"\xff\xff"  # an impossible cell count
    path.write_bytes(bytes(data))
    message = refused(cli("assessments", "list", db=path), "damaged", "backup")
    assert "malformed" in message  # the detail stays, after the plain words
    assert path.read_bytes() == bytes(data)


def test_a_read_only_file_is_said_to_be_read_only_on_write(tmp_path):
    path = a_database_with_cases(tmp_path, 2)
    path.chmod(0o444)
    before = path.read_bytes()
    refused(cli("demo", "--count", "1", db=path, unprivileged=True), "read-only")
    assert path.read_bytes() == before
    listed = cli("assessments", "list", db=path, unprivileged=True)  # reading still works
    assert listed.returncode == 0, listed.stderr
    assert "2 assessments" in listed.stderr


def test_a_read_only_folder_is_not_called_damaged(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = a_database_with_cases(folder, 1)
    before = path.read_bytes()
    folder.chmod(0o555)
    try:
        message = refused(cli("assessments", "list", db=path, unprivileged=True), "not writable", str(folder))
        assert "damaged" not in message
        message = refused(cli("assessments", "list", db=folder / "new.sqlite", unprivileged=True), "not writable")
        assert "damaged" not in message
    finally:
        folder.chmod(0o755)
    assert path.read_bytes() == before
    assert listing(folder) == ["cases.sqlite"]


def test_another_applications_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO notes (body) VALUES (?)", [("meeting",), ("groceries",)])
    conn.commit()
    conn.close()
    before = path.read_bytes()
    refused(cli("assessments", "list", db=path), "another application", "left untouched")
    assert path.read_bytes() == before
    assert listing(tmp_path) == ["notes.sqlite"]
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]
    conn.close()


def test_a_newer_database_in_rollback_journal_mode_stays_byte_identical(tmp_path):
    path = a_database_with_cases(tmp_path, 1)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = path.read_bytes()
    assert before[18:20] == b"\x01\x01"  # rollback journal, not WAL
    refused(cli("assessments", "list", db=path), "newer version", "left untouched")
    assert path.read_bytes() == before
    assert listing(tmp_path) == ["cases.sqlite"]


def test_a_zero_byte_file_is_refused_untouched(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    refused(cli("assessments", "list", db=path), "empty (0 bytes)", "left untouched")
    assert path.read_bytes() == b""
    assert listing(tmp_path) == ["empty.sqlite"]


def test_the_database_its_journal_and_the_data_folder_are_private(tmp_path, monkeypatch):
    from app.paths import user_data_dir
    from app.storage.db import open_database

    monkeypatch.delenv("LIKVARD_DB")
    old = os.umask(0o022)
    try:
        db = open_database()
        try:
            with db.session() as s:
                from sqlalchemy import text

                s.execute(text("INSERT INTO settings (key, value) VALUES ('probe', '1')"))
            path = db.path
            assert path is not None and path.parent == user_data_dir()
            for name in (path.name, path.name + "-wal", path.name + "-shm"):
                assert stat.S_IMODE(path.with_name(name).stat().st_mode) == 0o600, name
            assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        finally:
            db.close()
        path.parent.chmod(0o755)  # a folder made by an older version is tightened on the next open
        path.chmod(0o644)
        open_database().close()
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)

"""Backups (issue 13, build 3): automatic at start-up and before migrations, rotated, private;
on demand; restore keeps the replaced database aside; a damaged database is moved aside, never lost."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.facts import CaseFacts
from app.errors import StorageError
from app.storage.backups import STAMP, backup_folder, list_backups
from tests.conftest import run_cli


def _cases(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
    finally:
        conn.close()


def _add_cases(services, version, prefix, count):
    for n in range(count):
        services.assessments.create(version.id, CaseFacts(case_reference=f"{prefix}-{n}"))


def test_start_up_makes_one_private_backup_per_hour(db_path):
    from app.bootstrap import start

    start(db_path, language="en").db.close()
    backups = list_backups(db_path)
    assert [b.reason for b in backups] == ["startup"]
    assert stat.S_IMODE(backups[0].path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_folder(db_path).stat().st_mode) == 0o700
    assert stat.S_IMODE(backup_folder(db_path).parent.stat().st_mode) == 0o700
    start(db_path, language="en").db.close()
    assert len(list_backups(db_path)) == 1  # not again within the hour


def test_old_backups_are_pruned_but_the_newest_few_stay(services, db_path):
    from app.services.backups import KEEP_NEWEST, prune

    made = services.backups.backup_now()
    folder = backup_folder(db_path)
    now = datetime.now(UTC)
    for days in (1, 2, 3, 4, 20, 21, 30):
        stamp = (now - timedelta(days=days)).strftime(STAMP)
        shutil.copyfile(made, folder / f"likvard-{stamp}-startup.sqlite")
    removed = prune(db_path, keep_days=14)
    left = list_backups(db_path)
    # the newest five (two of today, 1-3 days old), the 4-day-old one (within 14 days); not 20, 21, 30
    assert KEEP_NEWEST == 5
    assert len(left) == 6 and len(removed) == 3
    assert all(b.created > now - timedelta(days=14) for b in left)
    assert len(prune(db_path, keep_days=0)) == 1  # the newest five stay whatever their age
    assert made in [b.path for b in left]


def test_restore_brings_the_backup_back_and_keeps_the_replaced_database(services, all_types_version, db_path):
    _add_cases(services, all_types_version, "KEEP", 3)
    backup = services.backups.backup_now()
    _add_cases(services, all_types_version, "LATER", 2)
    aside = services.backups.restore(backup)
    assert len(services.assessments.list()) == 3
    assert _cases(aside) == 5  # the replaced database, kept as a backup
    assert [b.reason for b in list_backups(db_path)][0] == "before-restore"
    from sqlalchemy import text

    with services.db.engine.connect() as conn:
        kinds = [r[0] for r in conn.execute(text("SELECT kind FROM events ORDER BY at"))]
    assert kinds[-1] == "backup.restored"
    listed = services.backups.list()
    assert {(i.reason, i.cases) for i in listed} >= {("manual", 3), ("before-restore", 5)}


def test_restore_refuses_what_is_not_a_likvard_database_we_can_open(services, all_types_version, db_path, tmp_path):
    _add_cases(services, all_types_version, "STAY", 2)
    foreign = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    newer = services.backups.backup_now(tmp_path / "newer.sqlite")
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    for bad, words in ((foreign, "not a Likvärd database"), (newer, "newer version")):
        with pytest.raises(StorageError) as info:
            services.backups.restore(bad)
        assert words in info.value.message
    assert len(services.assessments.list()) == 2


def test_cli_backup_list_and_restore(tmp_path):
    db = tmp_path / "cli.sqlite"
    env = {"LIKVARD_DB": str(db)}
    assert run_cli("demo", "--count", "3", "--seed", "1", env=env).returncode == 0
    copy = tmp_path / "copy.sqlite"
    made = run_cli("backup", str(copy), env=env)
    assert made.returncode == 0, made.stderr
    assert "Backed up to" in made.stdout
    assert _cases(copy) == 3 and stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert run_cli("demo", "--count", "4", "--seed", "2", env=env).returncode == 0
    assert run_cli("backup", env=env).returncode == 0
    listed = run_cli("backup", "--list", env=env)
    assert "manual" in listed.stdout and "7 cases" in listed.stdout, listed.stdout
    restored = run_cli("restore", str(copy), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "kept as" in restored.stdout
    assert _cases(db) == 3
    refused = run_cli("restore", str(tmp_path / "missing.sqlite"), env=env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert _cases(db) == 3


def test_cli_restore_over_a_damaged_database_moves_it_aside_untouched(tmp_path):
    db = tmp_path / "cli.sqlite"
    env = {"LIKVARD_DB": str(db)}
    assert run_cli("demo", "--count", "2", "--seed", "1", env=env).returncode == 0
    copy = tmp_path / "good.sqlite"
    assert run_cli("backup", str(copy), env=env).returncode == 0
    damaged = b"SQLite format 3\x00" + os.urandom(4000)
    db.write_bytes(damaged)
    result = run_cli("restore", str(copy), env=env)
    assert result.returncode == 0, result.stderr
    asides = list(tmp_path.glob("cli.damaged-*.sqlite"))
    assert len(asides) == 1 and asides[0].read_bytes() == damaged
    assert _cases(db) == 2

"""Backup files of a database: copies made with SQLite's online backup API (consistent even while
the database is in use), owner-only (0600) in a private (0700) folder of the user data folder,
one sub-folder per database. The use cases (rotation, restore, events) are in app/services/backups.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.errors import DatabaseCorruptError, DatabaseForeignError, DatabaseTooNewError, StorageError
from app.fileio import describe_os_error
from app.i18n import _

STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.sqlite$")


@dataclass(frozen=True)
class BackupFile:
    """One backup: where it is, when it was made and why ("startup", "manual", "before-migration-0001"...)."""

    path: Path
    created: datetime
    reason: str
    size: int


def backup_folder(db_path: Path) -> Path:
    """The private folder holding the backups of ``db_path`` (created 0700 on demand)."""
    from app.paths import private_dir

    resolved = db_path.expanduser().resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    private_dir("backups")
    return private_dir("backups", f"{resolved.stem}-{digest}")


def copy_database(source: Path, target: Path) -> Path:
    """Copy the database ``source`` to ``target`` with the backup API: atomically (a temporary file
    renamed into place), fsynced, 0600, in rollback-journal mode so it is one self-contained file."""
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StorageError(_("Cannot write the backup {path}: {error}").format(path=target, error=describe_os_error(exc))) from exc
    os.close(fd)
    try:
        os.chmod(tmp, 0o600)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        for leftover in (tmp, tmp + "-journal"):
            try:
                os.unlink(leftover)
            except OSError:
                pass
        if isinstance(exc, sqlite3.Error | OSError):
            raise StorageError(_("Cannot write the backup {path}: {error}").format(path=target, error=exc)) from exc
        raise
    return target


def make_backup(db_path: Path, reason: str) -> Path:
    """A new backup of ``db_path`` in its backup folder; the name records the time and ``reason``."""
    stamp = datetime.now(UTC).strftime(STAMP)
    target = backup_folder(db_path) / f"{db_path.stem}-{stamp}-{reason}.sqlite"
    return copy_database(db_path, target)


def list_backups(db_path: Path) -> list[BackupFile]:
    """The backups of ``db_path``, newest first."""
    found = []
    for path in backup_folder(db_path).glob("*.sqlite"):
        match = _NAME.match(path.name)
        if match is None:
            continue
        created = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC)
        found.append(BackupFile(path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def inspect_database(path: Path) -> tuple[str, int]:
    """Check, reading only, that ``path`` is a sound Likvärd database this code can open.
    Returns its schema revision and number of cases; raises a StorageError saying what is wrong."""
    from app.storage.db import SQLITE_MAGIC, known_revisions

    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StorageError(_("Cannot read {path}: {error}").format(path=path, error=describe_os_error(exc))) from exc
    if header != SQLITE_MAGIC:
        raise DatabaseCorruptError(_("{path} is not a Likvärd database (or it is damaged).").format(path=path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables or "assessments" not in tables:
                raise DatabaseForeignError(_("{path} is not a Likvärd database.").format(path=path))
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else ""
            if revision not in known_revisions():
                raise DatabaseTooNewError(_("{path} was written by a newer version of Likvärd (schema {revision})."
                                            ).format(path=path, revision=revision))
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise DatabaseCorruptError(_("{path} is damaged ({error}).").format(path=path,
                                                                                  error=check[0] if check else "?"))
            cases = conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorruptError(_("{path} is damaged ({error}).").format(path=path, error=exc)) from exc
    return revision, int(cases)

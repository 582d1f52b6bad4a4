"""Backups: automatic ones at start-up (and before each migration, see app/storage/db.py), kept
``Settings.backup_keep_days`` days plus always the newest few; backing up on demand; restoring a
backup (the replaced database is kept aside first) and recovering from a damaged database (moved
aside, never overwritten or deleted)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.errors import StorageError
from app.fileio import describe_os_error
from app.i18n import _
from app.storage.backups import BackupFile, copy_database, inspect_database, list_backups, make_backup
from app.storage.db import Database, migrate
from app.storage.locking import database_lock

log = logging.getLogger(__name__)

#: Always kept, however old: the newest backups.
KEEP_NEWEST = 5
#: No automatic backup when the newest one is younger than this (a script running the command line
#: in a loop must not fill the disk).
AUTOMATIC_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class BackupInfo:
    """A backup as the user chooses among them: when, why, and what is in it (or what is wrong)."""

    path: Path
    created: datetime
    reason: str
    size: int
    cases: int | None  # None: the file cannot be restored (``problem`` says why)
    problem: str = ""

    @property
    def good(self) -> bool:
        return self.cases is not None


def describe(backup: BackupFile) -> BackupInfo:
    try:
        _revision, cases = inspect_database(backup.path)
    except StorageError as exc:
        return BackupInfo(backup.path, backup.created, backup.reason, backup.size, None, exc.message)
    return BackupInfo(backup.path, backup.created, backup.reason, backup.size, cases)


def backups_of(db_path: Path) -> list[BackupInfo]:
    """Every backup of the database at ``db_path``, newest first, each checked."""
    return [describe(b) for b in list_backups(db_path)]


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    for backup in list_backups(db_path):
        info = describe(backup)
        if info.good:
            return info
    return None


def prune(db_path: Path, keep_days: int, keep_newest: int = KEEP_NEWEST) -> list[Path]:
    """Delete the backups older than ``keep_days`` days, except the ``keep_newest`` newest."""
    limit = datetime.now(UTC) - timedelta(days=max(keep_days, 0))
    removed = []
    for backup in list_backups(db_path)[keep_newest:]:
        if backup.created < limit:
            try:
                backup.path.unlink()
            except OSError as exc:
                log.warning("cannot remove the old backup %s: %s", backup.path, exc)
                continue
            removed.append(backup.path)
    return removed


def _aside_name(path: Path, what: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}.{what}-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.{what}-{stamp}-{n}{path.suffix}")
    return candidate


def recover_damaged(db_path: Path, backup: Path) -> Path:
    """Replace a damaged (unopenable) database by ``backup``: the damaged file and its journal
    files are first moved aside (renamed, never deleted or overwritten). Returns where it went."""
    inspect_database(backup)
    with database_lock(db_path):
        aside = _aside_name(db_path, "damaged")
        try:
            os.replace(db_path, aside)
            for extra in ("-wal", "-shm", "-journal"):
                journal = db_path.with_name(db_path.name + extra)
                if journal.exists():
                    os.replace(journal, aside.with_name(aside.name + extra))
        except OSError as exc:
            raise StorageError(_("Cannot move the damaged database aside: {error}").format(error=describe_os_error(exc))) from exc
        copy_database(backup, db_path)
    return aside


def server_backups_message() -> str:
    return _("Backups of the shared server database are made by its administrator (pg_dump), not by "
             "Likvärd on this computer; restoring one is the administrator's too.")


class BackupService:
    """Backing up and restoring the open database."""

    def __init__(self, db: Database, actor: str = "", keep_days: int = 14) -> None:
        self.db = db
        self.actor = actor
        self.keep_days = keep_days

    @property
    def path(self) -> Path:
        if self.db.is_server:
            raise StorageError(server_backups_message())
        if self.db.path is None:
            raise StorageError(_("This database is not a file and cannot be backed up."))
        return self.db.path

    def list(self) -> list[BackupInfo]:
        return backups_of(self.path)

    def automatic_backup(self) -> Path | None:
        """The start-up backup (skipped if one was made within the hour), then old ones are pruned.
        A failure is logged, never fatal: the work goes on without it. None on a server database."""
        if self.db.is_server:
            return None
        try:
            existing = list_backups(self.path)
            if existing and datetime.now(UTC) - existing[0].created < AUTOMATIC_INTERVAL:
                return None
            made = make_backup(self.path, "startup")
            prune(self.path, self.keep_days)
            return made
        except (StorageError, OSError) as exc:
            log.warning("automatic backup failed: %s", exc)
            return None

    def backup_now(self, target: Path | None = None) -> Path:
        """A backup on demand: to ``target`` if given, else to the backups folder."""
        if target is None:
            made = make_backup(self.path, "manual")
            prune(self.path, self.keep_days)
            return made
        target = target.expanduser().resolve()
        if target == self.path:
            raise StorageError(_("A backup cannot replace the database itself."))
        if not target.parent.is_dir():
            raise StorageError(_("The folder {folder} does not exist.").format(folder=target.parent))
        return copy_database(self.path, target)

    def note_recovery(self, source: Path, damaged_copy: Path) -> None:
        """Record that a damaged database was replaced by ``source`` (see recover_damaged)."""
        from app.services.events import record

        with self.db.session() as s:
            record(s, "backup.restored", None, self.actor, source=str(source), damaged_copy=str(damaged_copy))

    def restore(self, source: Path) -> Path:
        """Replace the open database's content by the backup ``source``. The current content is kept
        aside first as a backup (reason "before-restore"), whose path is returned. The backup is
        written into the live file with the backup API, so other open connections stay valid;
        an older backup is then migrated. Records the event "backup.restored"."""
        from app.services.events import record

        source = source.expanduser().resolve()
        if source == self.path:
            raise StorageError(_("This is the database itself, not a backup."))
        revision, cases = inspect_database(source)
        aside = make_backup(self.path, "before-restore")
        import sqlite3

        with database_lock(self.path):
            self.db.engine.dispose()
            try:
                src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
                try:
                    dst = sqlite3.connect(str(self.path), timeout=30)
                    try:
                        src.backup(dst)
                    finally:
                        dst.close()
                finally:
                    src.close()
            except sqlite3.Error as exc:
                raise StorageError(_("The backup could not be restored ({error}); the database is unchanged, and "
                                     "a copy of it is in {aside}.").format(error=exc, aside=aside)) from exc
            migrate(self.db.engine, self.path)
        with self.db.session() as s:
            record(s, "backup.restored", None, self.actor, source=str(source), revision=revision, cases=cases,
                   replaced_copy=str(aside))
        return aside

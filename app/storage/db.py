"""Opening the database: checks, backup, migrations, the session factory.

Order on open: refuse a file that is not a SQLite database (never overwrite it), refuse a
database written by newer code, back up before migrating, migrate with Alembic.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from app.errors import (
    DatabaseBusyError,
    DatabaseCorruptError,
    DatabaseForeignError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    ServerNotPreparedError,
    StorageError,
)
from app.fileio import describe_os_error
from app.i18n import _
from app.paths import resource_path
from app.storage.functions import register_sqlite_functions
from app.storage.locking import database_lock
from app.storage.schema import HEAD_REVISION as HEAD_REVISION  # re-exported (tests, CLI)
from app.storage.schema import SQLITE_MAGIC

log = logging.getLogger(__name__)

#: FULL: a commit that returned (an answer shown as "Saved") survives a power cut too, not only a
#: crash of the program; NORMAL in WAL mode may lose the last commits on power loss. Measured in
#: tests/bench/test_bench_commit.py: FULL adds one fsync per commit, a few milliseconds, against
#: an autosave pause of 400 ms.
SYNCHRONOUS = "FULL"
#: How long a write waits for another connection's lock before DatabaseBusyError (callers retry).
BUSY_TIMEOUT_MS = 5000


class Database:
    """An open database: the engine and the one session factory."""

    def __init__(self, engine: Engine, path: Path | None) -> None:
        self.engine = engine
        self.path = path
        self.sessionmaker = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        session = self.sessionmaker()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            try:
                session.rollback()
            except Exception:  # a locked or damaged file can refuse the rollback too
                log.debug("rollback failed", exc_info=True)
            translated = storage_error(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_server(self) -> bool:
        """A server database (PostgreSQL): no file, so no backups, lock or file checks here."""
        return self.engine.dialect.name != "sqlite"


def storage_error(exc: BaseException, path: Path | None) -> StorageError | None:
    """The typed, translated error for a failure of SQLite itself (locked, read-only, damaged, disk).

    Constraint violations (IntegrityError) and our own errors are left alone: callers handle them.
    """
    from sqlalchemy.exc import DatabaseError as SADatabaseError
    from sqlalchemy.exc import IntegrityError

    if isinstance(exc, IntegrityError | sqlite3.IntegrityError):
        return None
    if isinstance(exc, SADatabaseError):
        orig = exc.orig
    elif isinstance(exc, sqlite3.DatabaseError):
        orig = exc
    else:
        return None
    detail = str(orig)
    lowered = detail.lower()
    where = str(path) if path is not None else _("The database")
    if "locked" in lowered or "busy" in lowered:
        return DatabaseBusyError(_("The database is busy: another program or window is writing to it. "
                                   "Nothing was lost; it will be tried again."))
    if "readonly" in lowered or "read-only" in lowered:
        return DatabaseReadOnlyError(_("{path} is read-only: changes cannot be saved. "
                                       "Check the permissions of the file and of its folder.").format(path=where))
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return DatabaseCorruptError(_("{path} is damaged ({error}). Restore it from a backup "
                                      "(File \u2192 Restore from backup\u2026 or \u201clikvard restore\u201d).")
                                    .format(path=where, error=detail))
    return StorageError(_("{path} could not be used: {error}").format(path=where, error=detail))


def _set_sqlite_pragmas(dbapi_conn: Any, record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.close()
    register_sqlite_functions(dbapi_conn)


def _check_sqlite_file(path: Path) -> bool:
    """Refuse, without touching it, a file that is not a healthy Likvärd database we can open.

    Returns True when there is no file yet (a new database). Refused, byte for byte untouched: an
    empty (zero-byte) file, which may be a database cut short; anything that is not SQLite;
    another application's SQLite file; a database written by newer code (before anything could
    switch its journal mode). Every open checks the header and reads the schema (cheap).
    ``PRAGMA quick_check`` over every page (about 0.2 s for 90 MB) runs only when the file is not
    at the current schema, i.e. before a migration rewrites its tables; not at every start.
    """
    if not path.exists():
        if not os.access(path.parent, os.W_OK):
            raise DatabaseReadOnlyError(_("The folder {folder} is not writable, so no database can be created "
                                          "in it. Check its permissions.").format(folder=path.parent))
        return True
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StorageError(_("Cannot read the database {path}: {error}").format(path=path, error=describe_os_error(exc))) from exc
    if not header:
        raise DatabaseCorruptError(_("{path} is empty (0 bytes): it may be a database that was cut short. It has "
                                     "been left untouched; restore a backup, or remove the file to start a new "
                                     "database.").format(path=path))
    if header != SQLITE_MAGIC:
        raise DatabaseCorruptError(
            _("{path} is not a Likvärd database (or it is damaged). It has been left untouched.").format(path=path)
        )
    if not os.access(path.parent, os.W_OK):
        # SQLite writes its journal beside the file: without that even reading a WAL database fails
        raise DatabaseReadOnlyError(_("The folder {folder} is not writable: Likvärd keeps the database's journal "
                                      "beside it. Check the folder's permissions, or copy the database to a "
                                      "folder you can write to.").format(folder=path.parent))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            revision = _stored_revision(conn)
            if revision is None and objects:
                raise DatabaseForeignError(_("{path} is a database of another application, not of Likvärd. It has "
                                             "been left untouched.").format(path=path))
            if revision is not None and revision != HEAD_REVISION:
                if revision not in known_revisions():
                    raise DatabaseTooNewError(
                        _("This database was written by a newer version of Likvärd (schema {revision}). "
                          "Update the application to open it. It has been left untouched.").format(revision=revision))
                row = conn.execute("PRAGMA quick_check").fetchone()
            else:
                row = ("ok",)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_CANTOPEN":
            raise StorageError(_("Cannot open the database {path} ({error}). It has been left untouched.")
                               .format(path=path, error=exc)) from exc
        raise DatabaseCorruptError(
            _("{path} is damaged and cannot be opened ({error}). It has been left untouched.").format(path=path, error=exc)
        ) from exc
    if not row or row[0] != "ok":
        raise DatabaseCorruptError(
            _("{path} is damaged and cannot be opened ({error}). It has been left untouched.").format(
                path=path, error=row[0] if row else "?"
            )
        )
    return False


def _stored_revision(conn: sqlite3.Connection) -> str | None:
    """The schema revision of a file, read without writing (a migration is coming if it is not HEAD)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision stored in the database, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            if inspect(conn).has_table("assessments"):
                raise DatabaseCorruptError(_("The database has no schema version; it has been left untouched."))
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resource_path("app", "storage", "migrations")))
    config.attributes["engine"] = engine
    return config


def known_revisions() -> list[str]:
    """Every revision the migration scripts know, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(resource_path("app", "storage", "migrations")))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def migrate(engine: Engine, path: Path | None = None) -> str | None:
    """Bring the schema to HEAD_REVISION. Returns the path of the backup made, if any."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return None
    known = known_revisions()
    if revision is not None and revision not in known:
        raise DatabaseTooNewError(
            _("This database was written by a newer version of Likvärd (schema {revision}). "
              "Update the application to open it.").format(revision=revision)
        )
    backup = None
    if revision is not None and path is not None and path.exists():
        from app.storage.backups import make_backup

        backup = str(make_backup(path, f"before-migration-{revision}"))
        log.info("Backed up the database to %s before migrating", backup)
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")
    return backup


def make_engine(url: str) -> Engine:
    """An engine with the pragmas Likvärd relies on (SQLite: WAL, foreign keys); a server's
    connections are checked before use (a laptop's window stays open across network cuts)."""
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def is_server(engine: Engine) -> bool:
    """True for a server database (PostgreSQL), False for a SQLite file."""
    return engine.dialect.name != "sqlite"


def prepare_schema(url_or_engine: str | Engine) -> str:
    """Create or upgrade a server database's schema to HEAD_REVISION with the app's own Alembic
    migrations (``likvard server init`` / ``upgrade`` and the tests); returns the revision it was
    at before ("" for an empty database). Never called when a server database is merely opened."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        before = _connect_checked(engine, current_revision)
        migrate(engine, None)
        return before or ""
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def _connect_checked(engine: Engine, action: Any) -> Any:
    """``action(engine)`` with a server's connection failures told in words (a password asked)."""
    from sqlalchemy.exc import DBAPIError

    try:
        return action(engine)
    except DBAPIError as exc:
        from app.credentials import password_error, redact, without_password

        url = without_password(engine.url.render_as_string(hide_password=False))  # no password kept
        asked = password_error(exc, url)
        if asked is not None:
            raise asked from exc
        raise StorageError(_("Cannot use the database server {server}: {error}").format(
            server=redact(url), error=str(exc.orig).strip())) from exc


def _check_server(engine: Engine) -> None:
    """A server database is opened as it is: prepared by its administrator, at this code's schema."""
    from app.credentials import redact

    revision = _connect_checked(engine, current_revision)
    where = redact(engine.url.render_as_string(hide_password=False))
    if revision is None:
        raise ServerNotPreparedError(
            _("{server} is not a prepared Likvärd server database: its administrator runs "
              "“likvard server init” first.").format(server=where))
    if revision == HEAD_REVISION:
        return
    if revision not in known_revisions():
        raise DatabaseTooNewError(
            _("This database was written by a newer version of Likvärd (schema {revision}). "
              "Update the application to open it.").format(revision=revision))
    raise ServerNotPreparedError(
        _("{server} has an older Likvärd schema ({revision}) than this version needs ({head}): its "
          "administrator runs “likvard server upgrade” first. Nothing was changed.")
        .format(server=where, revision=revision, head=HEAD_REVISION))


def open_database(path: str | Path | None = None, *, url: str | None = None) -> Database:
    """Open the database at ``path`` or ``url``: a file (or a ``sqlite://`` URL) is created and
    migrated as needed; a server database (PostgreSQL URL) is opened only when it is already at
    this code's schema (see :func:`prepare_schema`). A server that asks for a password raises
    :class:`app.credentials.PasswordRequired` (resolve the URL with the keyring first)."""
    if url is None:
        from app.paths import default_database, is_database_url

        where = path if path is not None else default_database()
        if is_database_url(where):
            url = str(where)
    if url is None:
        file_path = Path(where)
        file_path = file_path.expanduser().resolve()
        if file_path.is_dir():
            raise StorageError(_("{path} is a folder, not a database file.").format(path=file_path))
        try:
            file_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(_("Cannot create the folder {path}: {error}").format(path=file_path.parent, error=describe_os_error(exc))) from exc
        url = f"sqlite:///{file_path}"
        # checked, created and migrated by one program at a time (two starting on a new file)
        with database_lock(file_path):
            if _check_sqlite_file(file_path):
                _create_private_file(file_path)
            _make_files_private(file_path)
            engine = _open_engine(url, file_path)
    elif url.startswith("sqlite"):
        file_path = None
        engine = _open_engine(url, None)
    else:
        file_path = None
        try:
            engine = make_engine(url)
        except Exception as exc:  # a URL naming a driver that is not installed, a malformed URL
            from app.credentials import redact

            raise StorageError(_("Cannot use the database server {server}: {error}").format(
                server=redact(url), error=exc)) from exc
        try:
            _check_server(engine)
        except BaseException:
            engine.dispose()
            raise
    return Database(engine, file_path)


def _create_private_file(path: Path) -> None:
    """Create the new, empty database file readable by its owner only; SQLite gives its -wal and
    -shm files the same permissions."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StorageError(_("Cannot create the database {path}: {error}").format(path=path, error=describe_os_error(exc))) from exc
    os.close(fd)


def _make_files_private(path: Path) -> None:
    """0600 for the database and its journal files, 0700 for the user data folder (other users of
    the computer must not read cases). A folder chosen elsewhere by the user is left as it is."""
    from app.paths import make_private, user_data_dir

    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        candidate = path.with_name(name)
        if candidate.exists() and _owned(candidate):
            make_private(candidate)
    if path.parent == user_data_dir():
        make_private(path.parent)


def _owned(path: Path) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or path.stat().st_uid == getuid()


def _open_engine(url: str, file_path: Path | None) -> Engine:
    engine = make_engine(url)
    try:
        migrate(engine, file_path)
    except StorageError:
        engine.dispose()
        raise
    except Exception as exc:  # sqlite3.OperationalError, permission problems...
        engine.dispose()
        translated = storage_error(exc, file_path)
        if translated is not None:
            raise translated from exc
        raise StorageError(_("Cannot open the database: {error}").format(error=exc)) from exc
    return engine

"""Opening the database: checks, backup, migrations, the session factory.

Order on open: refuse a file that is not a SQLite database (never overwrite it), refuse a
database written by newer code, back up before migrating, migrate with Alembic.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DatabaseCorruptError, DatabaseTooNewError, StorageError
from app.i18n import _
from app.paths import resource_path
from app.storage.functions import register_sqlite_functions

log = logging.getLogger(__name__)

#: The newest migration this code knows; a test checks it against the migration scripts.
HEAD_REVISION = "0005"
SQLITE_MAGIC = b"SQLite format 3\x00"


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
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)


def _set_sqlite_pragmas(dbapi_conn: Any, record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    register_sqlite_functions(dbapi_conn)


def _check_sqlite_file(path: Path) -> None:
    """Refuse, without touching it, a file that is not a healthy SQLite database.

    Every open checks the header and reads the schema (cheap). ``PRAGMA quick_check`` over every
    page (about 0.2 s for 90 MB) runs only when the file is not at the current
    schema, i.e. before a migration rewrites its tables; not at every start.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StorageError(_("Cannot read the database {path}: {error}").format(path=path, error=exc.strerror)) from exc
    if header != SQLITE_MAGIC:
        raise DatabaseCorruptError(
            _("{path} is not a Likvärd database (or it is damaged). It has been left untouched.").format(path=path)
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if _stored_revision(conn) != HEAD_REVISION:
                row = conn.execute("PRAGMA quick_check").fetchone()
            else:
                row = ("ok",)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorruptError(
            _("{path} is damaged and cannot be opened ({error}). It has been left untouched.").format(path=path, error=exc)
        ) from exc
    if not row or row[0] != "ok":
        raise DatabaseCorruptError(
            _("{path} is damaged and cannot be opened ({error}). It has been left untouched.").format(
                path=path, error=row[0] if row else "?"
            )
        )


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


def _backup(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


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
        backup = str(_backup(path, revision))
        log.info("Backed up the database to %s before migrating", backup)
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")
    return backup


def make_engine(url: str) -> Engine:
    """An engine with the pragmas Likvärd relies on (SQLite: WAL, foreign keys)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def open_database(path: str | Path | None = None, *, url: str | None = None) -> Database:
    """Open (creating and migrating as needed) the database at ``path`` or ``url``."""
    if url is None:
        from app.paths import default_database_path

        file_path = Path(path) if path is not None else default_database_path()
        file_path = file_path.expanduser().resolve()
        if file_path.is_dir():
            raise StorageError(_("{path} is a folder, not a database file.").format(path=file_path))
        try:
            file_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(_("Cannot create the folder {path}: {error}").format(path=file_path.parent, error=exc.strerror)) from exc
        _check_sqlite_file(file_path)
        url = f"sqlite:///{file_path}"
    else:
        file_path = None
    engine = make_engine(url)
    try:
        migrate(engine, file_path)
    except StorageError:
        engine.dispose()
        raise
    except Exception as exc:  # sqlite3.OperationalError, permission problems...
        engine.dispose()
        raise StorageError(_("Cannot open the database: {error}").format(error=exc)) from exc
    return Database(engine, file_path)

"""Start-up in a fixed order, shared by the CLI and the GUI: settings -> language -> database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import i18n
from app.services import Services
from app.settings import Settings, load_settings
from app.storage.db import open_database

if TYPE_CHECKING:
    from app.credentials import PasswordRequired


def configure_logging(level: int = logging.WARNING) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def start(db_path: str | Path | None = None, *, language: str | None = None,
          settings: Settings | None = None, install_bundled: bool = True, backup: bool = True,
          password: str | None = None) -> Services:
    """Load settings, set the language, open (back up before migrating, migrate) the database, make
    the start-up backup, install bundled checklists.

    ``db_path`` is a file path or a server URL (``postgresql+psycopg://anna@db.example/likvard``;
    ``LIKVARD_DB`` when None). A server's password: ``password`` when given, else the one in the
    URL, else the system keyring's; a server that asks for one raises
    :class:`app.credentials.PasswordRequired` (the caller asks the person and calls again). A server
    database is used as its administrator prepared it: no schema change, no backup, no lock, and
    the bundled checklists are not installed (templates there are the administrator's and trainers')."""
    settings = settings or load_settings()
    i18n.set_language(language or settings.effective_language())
    from app.paths import default_database, is_database_url

    where = db_path if db_path is not None else default_database()
    if is_database_url(where):
        from app.credentials import connection_url

        db = open_database(url=connection_url(str(where), password))
    else:
        db = open_database(where)
    services = Services(db, actor=settings.actor)
    services.settings = settings
    services.backups.keep_days = settings.backup_keep_days
    if db.is_server:
        return services
    if db.path is not None:
        from app.storage.locking import database_lock

        # two programs starting on a new file would both create its audit key and seal the same entries
        with database_lock(db.path):
            services.audit.prepare()  # a new database gets its audit key; older entries are sealed
    else:
        services.audit.prepare()
    if backup and db.path is not None:
        services.backups.automatic_backup()
    if install_bundled:
        if db.path is not None:
            from app.storage.locking import database_lock

            with database_lock(db.path):  # two programs starting on a new file would both insert them
                services.templates.install_bundled()
                services.exercises.install_bundled()
        else:
            services.templates.install_bundled()
            services.exercises.install_bundled()
    return services


def start_asking(db_path: str | Path | None, ask: Callable[[PasswordRequired], str | None], *,
                 tries: int = 3, **options: Any) -> Services:
    """:func:`start`, asking ``ask(error)`` for the server's password (app.credentials.asking)."""
    from app.credentials import asking

    return asking(lambda password: start(db_path, password=password, **options), ask,
                  password=options.pop("password", None), tries=tries)

"""Start-up in a fixed order, shared by the CLI and the GUI: settings -> language -> database."""

from __future__ import annotations

import logging
from pathlib import Path

from app import i18n
from app.services import Services
from app.settings import Settings, load_settings
from app.storage.db import open_database


def configure_logging(level: int = logging.WARNING) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def start(db_path: str | Path | None = None, *, language: str | None = None,
          settings: Settings | None = None, install_bundled: bool = True, backup: bool = True) -> Services:
    """Load settings, set the language, open (back up before migrating, migrate) the database, make
    the start-up backup, install bundled checklists."""
    settings = settings or load_settings()
    i18n.set_language(language or settings.effective_language())
    db = open_database(db_path)
    services = Services(db, actor=settings.actor)
    services.settings = settings
    if db.path is not None:
        from app.storage.locking import database_lock

        # two programs starting on a new file would both create its audit key and seal the same entries
        with database_lock(db.path):
            services.audit.prepare()  # a new database gets its audit key; older entries are sealed
    else:
        services.audit.prepare()
    services.backups.keep_days = settings.backup_keep_days
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

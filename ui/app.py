"""GUI start-up: settings -> language -> QApplication -> the window on screen -> cases -> database.

The window is shown before the database layer (SQLAlchemy, migrations) is even imported. Right
after, when the file is a SQLite database at the current schema, the case list's first screen is
read from it read-only with the standard library (app.services.listing.QuickCaseList); then the
database is opened off the UI thread (migration check, start-up backup, bundled checklists) and
the same list continues over the services. Any other file (new, older, damaged) takes the normal
path: the window fills in once the database is open, with its backup, migration or recovery.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import cast

from ui.window.language import install_qt_translations  # light: Qt is imported when it is called

_T0 = time.perf_counter()


def run_gui(db_path: str | Path | None = None, language: str | None = None) -> int:
    # Before PySide6: every module imported after it is scanned by PySide's import hook.
    from app import i18n
    from app.settings import load_settings

    settings = load_settings()
    i18n.set_language(language or settings.effective_language())
    i18n.catalog()
    from ui import pyside_hook

    pyside_hook.install()  # PySide6's per-import source scan, made cheap (the database layer loads after it)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.style import STYLE_ARGS, apply_style

    existing = cast("QApplication | None", QApplication.instance())  # a QApplication when there is one
    app = existing or QApplication([*sys.argv, *STYLE_ARGS])
    app.setApplicationName("Likvärd")
    app.setOrganizationName("Likvard")
    app.setApplicationDisplayName("Likvärd")
    app.setDesktopFileName("se.likvard.Likvard")  # the installed .desktop entry: its icon on Wayland and docks
    from ui import tasks
    from ui.main_window import MainWindow

    apply_style(app, set_style=existing is not None)
    from ui import crash

    crash.install()  # an unexpected error: a dialog with copyable details and the user log
    window = MainWindow()
    window.show()
    check = os.environ.get("LIKVARD_EXIT_WHEN_SHOWN")  # start-up check for CI and benchmarks
    if check:
        def shown() -> None:
            print(f"shown: {window.windowTitle()} {window.isVisible()} {time.perf_counter() - _T0:.3f}", flush=True)

        def ready() -> None:
            source = "services" if window.services is not None else "quick"  # which path filled the list
            print(f"ready: {window.is_ready} {time.perf_counter() - _T0:.3f} {source}", flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
        window.list_ready.connect(lambda: QTimer.singleShot(0, ready))

    holder: dict[str, object] = {}

    def open_services() -> object:
        from app.bootstrap import configure_logging, start

        configure_logging()
        services = start(db_path, language=i18n.get_language(), settings=settings,
                         password=holder.get("password"))  # type: ignore[arg-type]
        holder["started"] = services  # closed on quit even if the window never received it
        return services

    def opened(services: object) -> None:
        holder["services"] = services
        recovered = holder.pop("recovered", None)
        if recovered is not None:  # recorded in the restored database, now that it is open
            services.backups.note_recovery(*recovered)  # type: ignore[attr-defined, misc]
        window.attach(services)  # type: ignore[arg-type]
        install_qt_translations(app, i18n.get_language())
        password = holder.pop("password", None)
        if password is not None:  # it worked: now it may be kept
            from ui.password_dialog import keep_if_asked

            keep_if_asked(str(holder["url"]), str(password), bool(holder.pop("remember", False)),
                          lambda text: window.statusBar().showMessage(text, 10000))

    def failed(exc: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        from app.credentials import PasswordRequired
        from app.errors import DatabaseCorruptError, StorageError
        from app.paths import default_database, is_database_url

        if isinstance(exc, PasswordRequired):  # a server database: ask, then try again
            from ui.password_dialog import ask_password

            answer = ask_password(window, exc)
            if answer is not None:
                holder["password"], holder["remember"] = answer
                holder["url"] = exc.url
                tasks.run_in_background(open_services, on_done=opened, on_error=failed)
                return
        window.release_quick_list()  # the file may be moved aside: no connection of ours stays open on it
        if isinstance(exc, DatabaseCorruptError) and "tried_backup" not in holder \
                and not is_database_url(str(db_path if db_path is not None else default_database())):
            from app.paths import default_database_path
            from ui.backup_dialog import offer_backup_for_damaged

            holder["tried_backup"] = True
            path = Path(db_path) if db_path is not None else default_database_path()
            recovered = offer_backup_for_damaged(window, path.expanduser().resolve(), exc)
            if recovered is not None:
                holder["recovered"] = recovered
                tasks.run_in_background(open_services, on_done=opened, on_error=failed)
                return
        message = exc.message if isinstance(exc, StorageError) else str(exc)
        QMessageBox.critical(window, "Likvärd", message)
        holder["code"] = 1
        app.exit(1)

    def first_screen() -> None:
        from app.services.listing import QuickCaseList

        quick = QuickCaseList.open(db_path)  # None: a new, older or unreadable file takes the normal path
        if quick is not None:
            window.show_quick_list(quick)
        QTimer.singleShot(0, lambda: tasks.run_in_background(open_services, on_done=opened, on_error=failed))

    QTimer.singleShot(0, first_screen)
    code = app.exec()
    tasks.wait_for_all()  # quit while the database was still opening (start-up checks): let it finish
    window.release_quick_list()
    services = holder.get("services") or holder.get("started")
    if services is not None:
        services.db.close()  # type: ignore[attr-defined]
    return int(holder.get("code", code))  # type: ignore[call-overload]

"""GUI start-up in a fixed order: paths -> logging -> database -> QApplication -> translators -> window."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def run_gui(db_path: str | Path | None = None, language: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.bootstrap import configure_logging, start
    from app.errors import StorageError

    configure_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Likvärd")
    app.setOrganizationName("Likvard")
    try:
        services = start(db_path, language=language)
    except StorageError as exc:
        QMessageBox.critical(None, "Likvärd", exc.message)
        return 1
    from ui.main_window import MainWindow
    from ui.style import apply_style

    apply_style(app)
    window = MainWindow(services)
    window.show()
    if os.environ.get("LIKVARD_EXIT_WHEN_SHOWN"):  # start-up check for CI and benchmarks
        from PySide6.QtCore import QTimer

        def report() -> None:
            print(f"shown: {window.windowTitle()} {window.isVisible()}", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
    code = app.exec()
    services.db.close()
    return code

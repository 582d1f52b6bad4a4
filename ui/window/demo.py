"""Demo cases for exploring the app: added off the UI thread, in chunks, with a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from app.i18n import _, ngettext
from ui import tasks

if TYPE_CHECKING:
    from ui.main_window import MainWindow

DEMO_COUNT = 200
DEMO_CHUNK = 25


def load_demo_cases(window: MainWindow, count: int = DEMO_COUNT) -> None:
    """Add ``count`` demo cases; the window's list shows them and its status bar says how many."""
    from app.services.demo import create_demo_cases

    services = window.services
    progress = QProgressDialog(_("Creating demo cases…"), "", 0, count, window)
    progress.setWindowTitle(_("Load demo cases"))
    progress.setCancelButton(None)
    progress.setMinimumDuration(300)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setAutoClose(True)
    progress.setValue(0)
    window.demo_progress = progress
    window.act_demo.setEnabled(False)

    def work(report: Callable[[int, int], None]) -> int:
        done = 0
        seed = 20081 + services.assessments.count()
        while done < count:
            step = min(DEMO_CHUNK, count - done)
            done += create_demo_cases(services, step, seed=seed + done)
            report(done, count)
        return done

    def finished(inserted: int) -> None:
        progress.setValue(count)
        progress.close()
        window.demo_progress = None
        window.act_demo.setEnabled(True)
        window.list_page.refresh()
        window.statusBar().showMessage(ngettext("{count} demo case added.", "{count} demo cases added.",
                                                inserted).format(count=inserted), 6000)

    def failed(exc: BaseException) -> None:
        progress.close()
        window.demo_progress = None
        window.act_demo.setEnabled(True)
        QMessageBox.warning(window, _("Load demo cases"), str(exc))

    tasks.run_in_background(work, on_done=finished, on_error=failed,
                            progress=lambda done, total: progress.setValue(done))

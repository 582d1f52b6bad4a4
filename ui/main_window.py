"""The main window (placeholder until the desktop client lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from app.i18n import _
from app.services import Services


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle(_("Likvärd"))
        count = services.assessments.count()
        self.setCentralWidget(QLabel(_("{count} cases in {path}").format(count=count, path=services.db.path)))
        self.resize(1000, 700)

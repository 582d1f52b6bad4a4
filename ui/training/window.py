"""Tools → Training…: the window of the three pages."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from app.i18n import _
from app.services import Services
from ui.training.exercises_page import EditPage
from ui.training.practise import PractisePage
from ui.training.results import ResultsPage
from ui.widgets import guard_wheel


class TrainingWindow(QMainWindow):
    """Tools → Training…: practise, results, and the exercise editor."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Training"))
        self.resize(1280, 800)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("trainingTabs")
        self.practise = PractisePage(services)
        self.results = ResultsPage(services)
        self.editor = EditPage(services)
        self.tabs.addTab(self.practise, _("&Practise"))
        self.tabs.addTab(self.results, _("&Results"))
        self.tabs.addTab(self.editor, _("E&xercises"))
        self.editor.changed.connect(self.practise.refresh)
        self.editor.changed.connect(self.results.fill_exercises)
        self.tabs.currentChanged.connect(lambda i: self.results.refresh() if self.tabs.widget(i) is self.results
                                         else None)
        self.setCentralWidget(self.tabs)
        guard_wheel(self)

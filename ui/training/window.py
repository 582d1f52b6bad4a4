"""Tools → Training…: the window of the three pages."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget

from app.i18n import _
from app.services import Services
from ui.training.exercises_page import EditPage
from ui.training.practise import PractisePage
from ui.training.results import ResultsPage
from ui.widgets import fit_to_screen, guard_wheel


class TrainingWindow(QMainWindow):
    """Tools → Training…: practise, results, and the exercise editor."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Training"))
        fit_to_screen(self, 1280, 800)
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
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        guard_wheel(self)
        self.practise.exercises.setFocus()  # Enter starts the exercise chosen

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page is self.results:
            self.results.refresh()
        focused = QApplication.focusWidget()
        if focused is self.tabs.tabBar() or (page is not None and focused is not None and page.isAncestorOf(focused)):
            return  # the keyboard is on the tabs or already on the page
        targets: dict[QWidget, QWidget] = {self.practise: self.practise.focus_target(),
                                           self.results: self.results.exercise, self.editor: self.editor.list}
        if page in targets:
            targets[page].setFocus()

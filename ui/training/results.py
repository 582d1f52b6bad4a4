"""Results: how the trainees answered one exercise (suppressed below 5), CSV export, certificates."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _, format_datetime, format_percent, ngettext
from app.services import Services
from ui.style import flag_icon
from ui.training.common import KeyRole, save_certificate
from ui.widgets import guard_wheel


class ResultsPage(QWidget):
    """The trainer's view: how the trainees answered one exercise."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        exercise_label = QLabel(_("&Exercise"))
        top.addWidget(exercise_label)
        self.exercise = QComboBox()
        self.exercise.setAccessibleName(_("Exercise"))
        exercise_label.setBuddy(self.exercise)
        self.exercise.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.exercise, 1)
        self.export_button = QPushButton(_("Export CSV…"))
        self.export_button.clicked.connect(lambda: self.export())
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("resultsSummary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("resultsTable")
        self.table.setAccessibleName(_("Answers per item"))
        self.table.setHorizontalHeaderLabels([_("Item"), _("Model answer"), _("Trainees' answers"), _("Matching the model"),
                                              _("Flag missed")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        lower_widget = QWidget()
        lower = QHBoxLayout(lower_widget)
        lower.setContentsMargins(0, 0, 0, 0)
        from ui.filling import wrapping_list

        self.missed = wrapping_list("mostMissed")
        self.missed.setAccessibleName(_("Most missed flags"))
        box = QVBoxLayout()
        box.addWidget(QLabel(_("Most missed flags")))
        box.addWidget(self.missed)
        lower.addLayout(box, 1)
        self.completions = QListWidget()
        self.completions.setObjectName("completions")
        self.completions.setAccessibleName(_("Completed by"))
        box = QVBoxLayout()
        box.addWidget(QLabel(_("Completed by")))
        box.addWidget(self.completions)
        self.certificate_button = QPushButton(_("&Certificate…"))
        self.certificate_button.clicked.connect(self._certificate)
        box.addWidget(self.certificate_button)
        lower.addLayout(box, 1)
        splitter.addWidget(lower_widget)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        guard_wheel(self)
        self.fill_exercises()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self.table.resizeRowsToContents()  # the wrapped texts at the columns' new widths

    def fill_exercises(self) -> None:
        current = self.exercise.currentData()
        self.exercise.blockSignals(True)
        self.exercise.clear()
        for info in self.services.exercises.list():
            self.exercise.addItem(info.title, info.key)
        self.exercise.setCurrentIndex(max(0, self.exercise.findData(current)))
        self.exercise.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        key = self.exercise.currentData()
        self.table.setRowCount(0)
        self.missed.clear()
        self.completions.clear()
        if not key:
            self.summary.setText(_("No exercises."))
            return
        results = self.services.exercises.results(key)
        # two counts, two plurals: "3 attempts submitted by 1 trainee" needs each noun to follow its own number
        attempts = ngettext("{count} attempt submitted", "{count} attempts submitted", results.submitted).format(
            count=results.submitted)
        text = ngettext("{attempts} by {trainees} trainee.", "{attempts} by {trainees} trainees.",
                        results.trainees).format(attempts=attempts, trainees=results.trainees)
        if results.suppressed:
            text += " " + _("Fewer than 5 trainees: the answers are not shown, so that no one's can be recognised.")
        elif results.mean_agreement is not None:
            text += " " + _("Mean agreement {score}; mean agreement on flags {flags}.").format(
                score=format_percent(results.mean_agreement), flags=format_percent(results.mean_flag_agreement))
        self.summary.setText(text)
        for item in results.items:
            n = self.table.rowCount()
            self.table.insertRow(n)
            cells = [item.label, item.model,
                     _("suppressed") if item.counts is None else "\n".join(
                         f"{answer}: {count}" for answer, count in item.counts.items()),
                     "" if item.agreed is None else str(item.agreed),
                     "" if item.missed_flags is None else str(item.missed_flags)]
            for column, value in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()
        for _key, label, count in results.most_missed:
            self.missed.addItem(QListWidgetItem(flag_icon(), f"{label} ({count})"))
        for attempt_id, trainee, submitted in results.completions:
            entry = QListWidgetItem(f"{trainee} \u2014 {format_datetime(submitted)}")
            entry.setData(KeyRole, attempt_id)
            self.completions.addItem(entry)

    def export(self, path: str | None = None) -> None:
        key = self.exercise.currentData()
        if not key:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Export the results"), f"{key}-results.csv",
                                                        _("CSV files (*.csv)"))
            if not path:
                return
        try:
            self.services.exercises.export_results(key, path, "csv")
        except LikvardError as exc:
            QMessageBox.warning(self, _("Export the results"), exc.message)

    def _certificate(self) -> None:
        entry = self.completions.currentItem()
        if entry is None:
            QMessageBox.information(self, _("Training certificate"), _("Choose who completed the exercise first."))
            return
        save_certificate(self, self.services, entry.data(KeyRole))

"""The debrief a trainee reads after submitting: their answers against the model answers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_percent, get_language, ngettext
from app.services.exercises import Debrief
from ui.style import flag_icon, make_heading
from ui.training.common import KeyRole, answer_text

COLUMNS = 5


class DebriefView(QWidget):
    """The trainee's answers against the model answers, item by item, with the debriefs."""

    certificate_requested = Signal(object)  # attempt id
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.debrief: Debrief | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        make_heading(self.title, 1.3)
        layout.addWidget(self.title)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("debriefSummary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("debriefTable")
        self.table.setAccessibleName(_("Debrief, item by item"))
        self.table.setHorizontalHeaderLabels([_("Item"), _("Your answer"), _("Model answer"), _("Flag"), _("Debrief")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move through it
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(_("&Back to the exercises"))
        self.back_button.clicked.connect(self.back.emit)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.certificate_button = QPushButton(_("&Certificate…"))
        self.certificate_button.setToolTip(_("Save a PDF certificate of completion"))
        self.certificate_button.clicked.connect(
            lambda: self.certificate_requested.emit(self.debrief.attempt.id if self.debrief else None))
        buttons.addWidget(self.certificate_button)
        layout.addLayout(buttons)

    def show_debrief(self, debrief: Debrief) -> None:
        self.debrief = debrief
        lang = get_language()
        content, comparison = debrief.content, debrief.comparison
        self.title.setText(_("Debrief: {title}").format(title=debrief.exercise.title_in(lang)))
        agreement = format_percent(comparison.agreement) if comparison.agreement is not None else "\u2014"
        parts = [
            _("Agreement with the model answers: {score} ({agreed} of {counted} items).").format(
                score=agreement, agreed=comparison.agreed, counted=comparison.counted),
            _("Agreement on flags: {score}.").format(score=format_percent(comparison.flag_agreement)),
            ngettext("{count} flag missed", "{count} flags missed", len(comparison.missed_flags)).format(
                count=len(comparison.missed_flags)) + "; " +
            ngettext("{count} flag raised wrongly", "{count} flags raised wrongly", len(comparison.wrong_flags)).format(
                count=len(comparison.wrong_flags)) + ".",
        ]
        self.summary.setText(" ".join(parts))
        self.table.setRowCount(0)
        for row in comparison.items:
            n = self.table.rowCount()
            self.table.insertRow(n)
            label = QTableWidgetItem(content.text(content.item(row.item_key).label, lang))
            label.setData(KeyRole, row.item_key)
            self.table.setItem(n, 0, label)
            mine = QTableWidgetItem(answer_text(content, row.item_key, row.trainee, lang))
            model = QTableWidgetItem(answer_text(content, row.item_key, row.model, lang))
            if row.counted and not row.agrees:
                mine.setForeground(Qt.GlobalColor.darkRed)
                font = mine.font()
                font.setBold(True)
                mine.setFont(font)
                mine.setToolTip(_("Differs from the model answer"))
            self.table.setItem(n, 1, mine)
            self.table.setItem(n, 2, model)
            if row.flag_missed:
                flag = QTableWidgetItem(flag_icon(), _("Missed"))
            elif row.flag_wrong:
                flag = QTableWidgetItem(flag_icon(), _("Raised wrongly"))
            elif row.flag_model:
                flag = QTableWidgetItem(flag_icon(), _("Raised, as in the model"))
            else:
                flag = QTableWidgetItem("")
            self.table.setItem(n, 3, flag)
            self.table.setItem(n, 4, QTableWidgetItem(debrief.exercise.debrief_in(row.item_key, lang)))
        QTimer.singleShot(0, self, self._fit_rows)  # not after the view is gone

    def _fit_rows(self) -> None:
        """Row heights once the columns have their real widths; the first difference in view."""
        self.table.resizeRowsToContents()
        if self.debrief is None:
            return
        for n, row in enumerate(self.debrief.comparison.items):
            if (row.counted and not row.agrees) or row.flag_missed or row.flag_wrong:
                cell = self.table.item(n, 0)
                if cell is not None:
                    self.table.scrollToItem(cell, QAbstractItemView.ScrollHint.PositionAtTop)
                    self.table.setCurrentCell(n, 0)  # the keyboard starts reading there
                break

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    def row_texts(self) -> list[list[str]]:
        """The table as text (for tests)."""
        rows = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(COLUMNS)]
            rows.append([cell.text() if cell is not None else "" for cell in cells])
        return rows

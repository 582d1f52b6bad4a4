"""The import report of a spreadsheet: every row (or feature of a row) that was left out, and why.

Shown after a partial XLSForm import, next to the template editor (not modal), so the trainer can
go through it while fixing the draft. The whole report can be copied as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, ngettext

# What a report entry is about (SkippedRow.kind), as the trainer reads it.
KIND_LABELS = {
    "type": N_("Question type"),
    "repeat": N_("Repeat"),
    "calculate": N_("Calculation"),
    "condition": N_("Condition"),
    "constraint": N_("Constraint"),
    "column": N_("Column"),
    "rename": N_("Renamed"),
    "group": N_("Group"),
    "choice": N_("Choice"),
    "label": N_("Label"),
    "placeholder": N_("Placeholder"),
    "language": N_("Language"),
    "sheet": N_("Sheet"),
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else _("Other")


def report_text(skipped: Sequence[Any]) -> str:
    """The report as plain text, one line per entry (what Copy puts on the clipboard)."""
    return "\n".join(
        _("{sheet} row {row}\t{kind}\t{reason}").format(sheet=s.sheet, row=s.row, kind=kind_label(getattr(s, "kind", "")),
                                                       reason=s.reason)
        for s in skipped)


class ImportReportDialog(QDialog):
    """The row-by-row report of an import, resizable, with a Copy button."""

    def __init__(self, skipped: Sequence[Any], title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.skipped = list(skipped)
        self.setWindowTitle(_("Import report: {title}").format(title=title))
        self.setSizeGripEnabled(True)
        self.resize(860, 520)
        layout = QVBoxLayout(self)
        counts = Counter(kind_label(getattr(s, "kind", "")) for s in self.skipped)
        summary = ngettext(
            "{count} entry: what the spreadsheet holds that a checklist cannot, and what was changed on import.",
            "{count} entries: what the spreadsheet holds that a checklist cannot, and what was changed on import.",
            len(self.skipped)).format(count=len(self.skipped))
        by_kind = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
        self.summary = QLabel(summary + ("\n" + by_kind if by_kind else "") + "\n" + _(
            "The draft holds the rest. Fix what you need in the editor; this window can stay open."))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(self.skipped), 4)
        self.table.setHorizontalHeaderLabels([_("Sheet"), _("Row"), _("What"), _("Why")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, s in enumerate(self.skipped):
            row_item = QTableWidgetItem()
            row_item.setData(Qt.ItemDataRole.DisplayRole, s.row)
            reason = QTableWidgetItem(s.reason)
            reason.setToolTip(s.reason)
            for c, cell in enumerate((QTableWidgetItem(s.sheet), row_item, QTableWidgetItem(kind_label(getattr(s, "kind", ""))), reason)):
                self.table.setItem(r, c, cell)
        self.table.resizeRowsToContents()
        self.table.setAccessibleName(_("Import report"))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("Copy the report"))
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def text(self) -> str:
        return report_text(self.skipped)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

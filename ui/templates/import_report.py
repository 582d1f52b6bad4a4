"""The import report of a spreadsheet: every row (or feature of a row) that was left out, and why.

Shown after a partial XLSForm import, next to the template editor (not modal), so the trainer can
go through it while fixing the draft; reopened later from the draft (the report is kept with it).
A row about an item that was imported (a dropped condition, bound, column...) selects that item in
the editor when clicked; a row whose question was not imported says so in its tooltip. The whole
report can be copied as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
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
from ui.widgets import fit_to_screen

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
    """The row-by-row report of an import, resizable, with a Copy button.

    ``item_at(sheet, row)`` names the imported item a spreadsheet row became (or None); clicking
    such a row emits ``item_chosen`` with the item's key."""

    item_chosen = Signal(str)

    def __init__(self, skipped: Sequence[Any], title: str, parent: QWidget | None = None,
                 item_at: Callable[[str, int], str | None] | None = None) -> None:
        super().__init__(parent)
        self.skipped = list(skipped)
        self.targets = [item_at(s.sheet, s.row) if item_at is not None else None for s in self.skipped]
        self.setWindowTitle(_("Import report: {title}").format(title=title))
        self.setSizeGripEnabled(True)
        fit_to_screen(self, 860, 520)  # a 1366x768 laptop shows all of it
        layout = QVBoxLayout(self)
        counts = Counter(kind_label(getattr(s, "kind", "")) for s in self.skipped)
        summary = ngettext(
            "{count} entry: what the spreadsheet holds that a checklist cannot, and what was changed on import.",
            "{count} entries: what the spreadsheet holds that a checklist cannot, and what was changed on import.",
            len(self.skipped)).format(count=len(self.skipped))
        by_kind = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
        self.summary = QLabel(summary + ("\n" + by_kind if by_kind else "") + "\n" + _(
            "The draft holds the rest. Fix what you need in the editor; this window can stay open.")
            + ("\n" + _("Click a row to select the item it is about.") if item_at is not None else ""))
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
            key = self.targets[r]
            if key is not None:
                where = _("Click to select the item \u201c{key}\u201d in the editor.").format(key=key)
            elif item_at is not None:
                where = _("This content was not imported: there is no item to select in the editor.")
            else:
                where = ""
            cells = (QTableWidgetItem(s.sheet), row_item, QTableWidgetItem(kind_label(getattr(s, "kind", ""))), reason)
            for c, cell in enumerate(cells):
                cell.setToolTip("\n".join(t for t in (s.reason, where) if t) if c == 3 else where)
                self.table.setItem(r, c, cell)
        self.table.resizeRowsToContents()
        self.table.setAccessibleName(_("Import report"))
        self.table.cellClicked.connect(lambda r, _c: self.choose(r))
        self.table.cellActivated.connect(lambda r, _c: self.choose(r))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("Copy the report"))
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def choose(self, row: int) -> None:
        """Lead to the item the row is about, if it was imported."""
        if 0 <= row < len(self.targets) and self.targets[row] is not None:
            self.item_chosen.emit(self.targets[row])

    def text(self) -> str:
        return report_text(self.skipped)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

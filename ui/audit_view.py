"""The audit log window (Tools → Audit log…, global or for the open case): a lazy table of the
entries, filters, CSV export and a Verify button. Every use case is a method of AuditService."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import UTC, datetime, time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import N_, _, format_datetime, ngettext
from app.services import Services
from app.services.audit import AuditEntry, AuditFilter, kind_label
from ui import tasks
from ui.widgets import date_edit, fit_to_screen, guard_wheel

PAGE_SIZE = 200
MAX_PAGES = 20
COLUMNS = (("seq", N_("No.")), ("at", N_("Time")), ("actor", N_("Who")), ("what", N_("What")),
           ("case", N_("Case")), ("change", N_("Old \u2192 new")))


class AuditTableModel(QAbstractTableModel):
    """Entries by id, newest first; one page of entries fetched per cache miss."""

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.filter = AuditFilter()
        self._ids: list[uuid.UUID] = []
        self._pages: OrderedDict[int, dict[uuid.UUID, AuditEntry]] = OrderedDict()

    def set_filter(self, flt: AuditFilter) -> None:
        self.filter = flt
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._ids = self.services.audit.ids(self.filter)
        self._pages.clear()
        self.endResetModel()

    def entry(self, row: int) -> AuditEntry | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self.services.audit.entries(self._ids[page_no * PAGE_SIZE:(page_no + 1) * PAGE_SIZE])
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        return page.get(self._ids[row])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                               Qt.ItemDataRole.AccessibleTextRole):
            return None
        entry = self.entry(index.row())
        if entry is None:
            return None
        key = COLUMNS[index.column()][0]
        if key == "seq":
            return str(entry.seq) if entry.seq is not None else "\u2013"
        if key == "at":
            return format_datetime(entry.at.astimezone())
        if key == "actor":
            return entry.actor or "\u2013"
        if key == "what":
            return entry.what
        if key == "case":
            return entry.case_reference
        return entry.change_text()


class AuditDialog(QDialog):
    """The audit log, for the whole database or for one case (all its revisions)."""

    def __init__(self, services: Services, assessment_id: uuid.UUID | None = None, case_reference: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.assessment_id = assessment_id
        self.setWindowTitle(_("Audit log \u2014 {case}").format(case=case_reference) if assessment_id
                            else _("Audit log"))
        fit_to_screen(self, 1000, 560)  # a 1366x768 laptop shows all of it
        layout = QVBoxLayout(self)

        filters = QFormLayout()
        row = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Kind of entry"))
        self.kind.addItem(_("All kinds"), None)
        for kind in services.audit.kinds():
            self.kind.addItem(kind_label(kind), kind)
        self.actor = QComboBox()
        self.actor.setAccessibleName(_("Who"))
        self.actor.addItem(_("Everyone"), None)
        for actor in services.audit.actors():
            self.actor.addItem(actor, actor)
        self.since = date_edit()  # the locale's own date format, wheel-guarded
        self.since.setAccessibleName(_("From date"))
        self.until = date_edit()
        self.until.setAccessibleName(_("To date"))
        self.since.setDate(QDate(2000, 1, 1))
        self.until.setDate(QDate.currentDate())
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("Search case, person or kind"))
        self.text.setAccessibleName(_("Search the audit log"))
        self.text.setClearButtonEnabled(True)
        for label, widget in ((_("&Kind:"), self.kind), (_("W&ho:"), self.actor), (_("F&rom:"), self.since),
                              (_("T&o:"), self.until)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget)
        filters.addRow(row)
        search_label = QLabel(_("&Search:"))
        search_label.setBuddy(self.text)
        filters.addRow(search_label, self.text)
        layout.addLayout(filters)

        self.model = AuditTableModel(services, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Audit log entries"))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((50, 160, 130, 210, 130)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(_("Verification result"))
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.verdict, 1)
        self.count_label = QLabel()
        bottom.addWidget(self.count_label)
        self.verify_button = QPushButton(_("&Verify"))
        self.verify_button.setToolTip(_("Check that no entry was changed or deleted behind the application's back"))
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton(_("&Export CSV…"))
        self.export_button.clicked.connect(self.export_csv)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.verify_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        for combo in (self.kind, self.actor):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.since.dateChanged.connect(self.apply_filter)
        self.until.dateChanged.connect(self.apply_filter)
        self.text.textChanged.connect(self.apply_filter)
        self.apply_filter()
        self.text.setFocus()
        guard_wheel(self)  # the wheel over an unfocused field scrolls, never changes a filter

    def current_filter(self) -> AuditFilter:
        since = self.since.date().toPython()
        until = self.until.date().toPython()
        return AuditFilter(
            assessment_id=self.assessment_id, kind=self.kind.currentData(), actor=self.actor.currentData(),
            since=datetime.combine(since, time.min).astimezone(UTC) if since.year > 2000 else None,
            until=datetime.combine(until, time.max).astimezone(UTC), text=self.text.text())

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        count = self.model.rowCount()
        self.count_label.setText(ngettext("{count} entry", "{count} entries", count).format(count=count))

    def verify(self) -> None:
        self.verdict.setText(_("Verifying…"))
        tasks.run_in_background(self.services.audit.verify, on_done=self._show_verdict,
                                on_error=lambda exc: self.verdict.setText(str(exc)))

    def _show_verdict(self, verdict: Any) -> None:
        colour = {"intact": "#1b5e20", "broken": "#b00020"}.get(verdict.state, "#7a4f00")
        self.verdict.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.verdict.setText(verdict.message)
        self.verdict.setToolTip("\n".join(verdict.problems))

    def export_csv(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getSaveFileName(self, _("Export the audit log"), "audit-log.csv",
                                                        _("CSV files (*.csv)"))
        if not path:
            return
        try:
            count = self.services.audit.export_csv(path, self.current_filter())
        except LikvardError as exc:
            self.verdict.setText(exc.message)
            return
        self.verdict.setStyleSheet("")
        self.verdict.setText(ngettext("Wrote {count} entry to {path}.", "Wrote {count} entries to {path}.",
                                      count).format(count=count, path=path))

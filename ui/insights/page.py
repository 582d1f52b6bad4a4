"""The Insights page: filters, the indicator table, charts and training needs (aggregates only).

Everything shown comes from ``services.insights.report()`` run off the UI thread; there is no
way from here to a case (no drill-down).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.facts import choice_label
from app.i18n import _, format_decimal, format_percent, get_language
from app.services.insights import (
    DIMENSION_LABELS,
    MEASURES,
    MIN_CELL,
    OWNERSHIP_GROUPS,
    InsightFilter,
    InsightsReport,
    measure_label,
    quarter_label,
)
from app.services.insights_view import format_value, indicator_header, indicator_rows, suppressed_marker
from ui.insights.charts import BarChart, TrendChart
from ui.tasks import run_in_background
from ui.widgets import date_edit, guard_wheel

NO_DATE = QDate(2000, 1, 1)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
#: The indicator table's numeric columns (value, interval, ratio, cases), right-aligned.
NUMERIC_INDICATOR_COLUMNS = (2, 3, 4, 6)
#: The training-needs table's numeric columns (flags, share of cases).
NUMERIC_NEEDS_COLUMNS = (2, 3)


class InsightsPage(QWidget):
    """Aggregated equal-opportunity figures for the filters chosen."""

    computed = Signal()  # a report is shown (tests wait on it)

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.report: InsightsReport | None = None
        self._pending = False
        self._busy = False
        outer = QVBoxLayout(self)
        heading = QLabel(_("Equal-opportunity insights"))
        from ui.style import make_heading

        make_heading(heading)
        outer.addWidget(heading)
        outer.addWidget(self._filters())
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        outer.addWidget(self.progress)
        self.note = QLabel(_("Aggregates only: any figure built from fewer than 5 cases is suppressed."))
        self.note.setObjectName("hint")
        outer.addWidget(self.note)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._indicator_tab(), _("&Indicators"))
        self.tabs.addTab(self._needs_tab(), _("&Training needs"))
        outer.addWidget(self.tabs, 1)
        self.fill_choices()
        guard_wheel(self)  # the wheel over an unfocused field scrolls, never changes a filter

    # --- building ---------------------------------------------------------------------------

    def _date_edit(self, name: str) -> QDateEdit:
        edit = date_edit()  # the locale's short date format and a calendar popup
        edit.setAccessibleName(name)
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(_("any"))
        edit.setDate(NO_DATE)
        edit.dateChanged.connect(lambda _d: self.refresh())
        return edit

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.currentIndexChanged.connect(lambda _i: self.refresh())
        return combo

    def _filters(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.date_from, self.date_to = self._date_edit(_("From date")), self._date_edit(_("To date"))
        self.branch, self.advisor = self._combo(_("Branch")), self._combo(_("Advisor"))
        self.template, self.sector = self._combo(_("Template")), self._combo(_("Sector"))
        for label, widget in ((_("From"), self.date_from), (_("To"), self.date_to), (_("Branch"), self.branch),
                              (_("Advisor"), self.advisor), (_("Template"), self.template),
                              (_("Sector"), self.sector)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget)
        row.addStretch(1)
        self.export_button = QPushButton(_("E&xport…"))
        self.export_button.clicked.connect(self.export)
        row.addWidget(self.export_button)
        return box

    def _indicator_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        charts = QHBoxLayout()
        left = QVBoxLayout()
        self.measure = QComboBox()
        self.measure.setAccessibleName(_("Indicator shown in the chart"))
        for m in MEASURES:
            if m.kind == "rate":
                self.measure.addItem(measure_label(m.key), m.key)
        self.measure.currentIndexChanged.connect(lambda _i: self._show_charts())
        left.addWidget(self.measure)
        self.bars = BarChart()
        left.addWidget(self.bars, 1)
        charts.addLayout(left, 1)
        self.trend = TrendChart()
        charts.addWidget(self.trend, 1)
        layout.addLayout(charts, 2)
        self.table = QTableWidget(0, len(indicator_header()))
        self.table.setHorizontalHeaderLabels(indicator_header())
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 3)
        return page

    def _needs_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.breakdown = QComboBox()
        self.breakdown.setAccessibleName(_("Breakdown"))
        self.breakdown.currentIndexChanged.connect(lambda _i: self._show_needs())
        form.addRow(_("&Breakdown"), self.breakdown)
        layout.addLayout(form)
        split = QSplitter()
        self.needs = QTableWidget(0, 4)
        self.needs.setHorizontalHeaderLabels([_("Slice"), _("Item"), _("Flags"), _("Share of cases")])
        self.needs.verticalHeader().setVisible(False)
        self.needs.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.needs.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.needs.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # header and content fit
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)  # the long item text
        header.setStretchLastSection(True)
        self.needs.setWordWrap(True)
        self.needs.currentCellChanged.connect(lambda row, *_a: self._show_guidance(row))
        split.addWidget(self.needs)
        self.guidance = QTextBrowser()
        self.guidance.setAccessibleName(_("Guidance"))
        self.guidance.setPlaceholderText(_("Select an item to read its guidance."))
        split.addWidget(self.guidance)
        split.setSizes([700, 300])
        layout.addWidget(split, 1)
        return page

    def fill_choices(self) -> None:
        """Fill the filter lists from the counted cases (the role decides the advisors offered)."""
        choices = self.services.insights.choices()
        settings = self.services.settings
        me = settings.name.strip()
        self._pending = True
        try:
            for combo, values, labels in (
                    (self.branch, choices["branch"], None), (self.template, choices["template"], None),
                    (self.sector, choices["sector"], "sector")):
                combo.clear()
                combo.addItem(_("All"), "")
                for value in values:
                    combo.addItem(choice_label(labels, value) if labels else value, value)
            self.advisor.clear()
            self.advisor.addItem(_("All"), "")
            advisors = choices["advisor"] if settings.role == "trainer" else ([me] if me else [])
            for value in advisors:
                self.advisor.addItem(value, value)
            self.breakdown.clear()
            self.breakdown.addItem(_("All cases"), "all")
            for dim in ("branch", "ownership", "quarter") + (("advisor",) if settings.role == "trainer" else ()):
                self.breakdown.addItem(_(DIMENSION_LABELS[dim]), dim)
            if me and settings.role != "trainer":
                self.breakdown.addItem(_("My cases"), "own")
        finally:
            self._pending = False

    # --- computing --------------------------------------------------------------------------

    def filters(self) -> InsightFilter:
        def day(edit: QDateEdit) -> Any:
            return None if edit.date() == NO_DATE else edit.date().toPython()

        return InsightFilter(day(self.date_from), day(self.date_to), self.branch.currentData() or None,
                             self.advisor.currentData() or None, self.template.currentData() or None,
                             self.sector.currentData() or None)

    def refresh(self) -> None:
        """Compute the report for the current filters off the UI thread."""
        if self._pending:
            return
        settings = self.services.settings
        filters, service = self.filters(), self.services.insights
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self._busy = True

        def work(report):
            return service.report(filters, role=settings.role, me=settings.name.strip(), report=report)

        run_in_background(work, self._show, self._failed, self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.progress.setVisible(False)
        self.note.setText(getattr(exc, "message", str(exc)))

    def _show(self, report: InsightsReport) -> None:
        self._busy = False
        self.progress.setVisible(False)
        self.report = report
        self.note.setText(_("Aggregates only: any figure built from fewer than 5 cases is suppressed."))
        rows = indicator_rows(report)
        marker = suppressed_marker()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setTextAlignment(RIGHT if c in NUMERIC_INDICATOR_COLUMNS and value != marker else LEFT)
                if row[2] == marker:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(r, c, item)
        self._show_charts()
        self._show_needs()
        self.computed.emit()

    def _show_charts(self) -> None:
        report = self.report
        if report is None:
            return
        key = self.measure.currentData() or "approval"
        bars = []
        for row in report.groups:
            cell = row.cells[key]
            note = _("suppressed") if cell.suppressed else format_value(key, cell.value)
            bars.append((row.group, choice_label("ownership", row.group), cell.value, cell.low, cell.high, note))
        self.bars.set_data(measure_label(key), bars, percent=True)  # the chart offers rates only
        quarters = list(report.trend)
        series = [(g, choice_label("ownership", g),
                   [report.trend[q][g].value if g in report.trend[q] else None for q in quarters])
                  for g in OWNERSHIP_GROUPS]
        self.trend.set_data(_("Approval rate by quarter"), [quarter_label(int(q)) for q in quarters], series,
                            note=_("Dashes and grey ticks: a quarter with fewer than {n} cases, not shown").format(n=MIN_CELL))

    def _show_needs(self) -> None:
        report = self.report
        if report is None:
            return
        dim = self.breakdown.currentData() or "all"
        needs = report.needs if dim == "all" else report.own if dim == "own" else report.breakdowns.get(dim, [])
        self._needs = needs
        self.needs.setRowCount(len(needs))
        marker = suppressed_marker()
        for r, need in enumerate(needs):
            slice_name = quarter_label(int(need.slice)) if dim == "quarter" and need.slice else \
                choice_label("ownership", need.slice) if dim == "ownership" else need.slice
            if need.suppressed:
                flags = share = marker
            else:
                flags = format_decimal(need.flags)
                # a private item is counted, never shared out: a dash, said in its tooltip
                share = format_percent(need.share, digits=0) if need.share is not None else "\u2014"
            values = [slice_name, need.label, flags, share]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setTextAlignment(RIGHT if c in NUMERIC_NEEDS_COLUMNS and value != marker else LEFT)
                if need.suppressed and c >= 2:
                    item.setForeground(self.palette().placeholderText())
                if c == 3 and not need.suppressed and need.share is None:
                    item.setToolTip(_("A private item: counted, never shown as a share."))
                self.needs.setItem(r, c, item)
        self.needs.resizeColumnToContents(1)
        self.needs.setColumnWidth(1, min(self.needs.columnWidth(1), 520))
        self.needs.resizeRowsToContents()
        self.guidance.clear()

    def _show_guidance(self, row: int) -> None:
        needs = getattr(self, "_needs", [])
        if 0 <= row < len(needs):
            need = needs[row]
            self.guidance.setPlainText(f"{need.label}\n\n{need.guidance}")

    # --- exports ----------------------------------------------------------------------------

    def export(self, path: str | None = None, lang: str | None = None) -> None:
        """Write the shown report as PDF, XLSX, CSV or JSON (by the file's extension), in ``lang``
        (default: the window's language; the export runs in a worker thread, so it is fixed here)."""
        lang = lang or get_language()
        if self.report is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Export insights"), "insights.pdf",
                _("PDF report (*.pdf);;Excel workbook (*.xlsx);;CSV (*.csv);;JSON (*.json)"))
            if not path:
                return
        from pathlib import Path

        fmt = Path(path).suffix.lower().lstrip(".") or "pdf"
        report, organisation = self.report, self.services.settings.organisation

        def work():
            return self.services.insights.export_report(report, fmt, path, organisation=organisation, lang=lang)

        run_in_background(work, lambda _r: self.note.setText(_("Exported to {path}.").format(path=path)),
                          self._failed)

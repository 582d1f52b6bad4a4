"""The case list: search, filters, a lazily loaded table, and an empty state on first start."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.facts import OWNERSHIP, choice_label
from app.domain.status import status_label
from app.enums import ASSESSMENT_STATUSES
from app.i18n import _, format_decimal, ngettext, pgettext
from app.services import Services
from app.services.listing import AssessmentFilter, QuickCaseList
from ui.case_model import COLUMNS, CaseTableModel, IdRole
from ui.style import make_heading
from ui.widgets import OptionalDateEdit, guard_wheel

SEARCH_DELAY_MS = 250


class CaseTable(QTableView):
    """The table; Enter opens the current case."""

    activated_case = Signal(object)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_case.emit(self.currentIndex().data(IdRole))
            return
        super().keyPressEvent(event)


class CaseListPage(QWidget):
    open_case = Signal(object)  # uuid
    new_case = Signal()
    load_demo = Signal()

    def __init__(self, services: Services | None, parent: QWidget | None = None, *,
                 quick: QuickCaseList | None = None) -> None:
        """Over ``services``, or first over ``quick`` (the file read before the database layer is
        loaded: the rows in the default order, searching and sorting off) until :meth:`attach`."""
        super().__init__(parent)
        self.services: Services | None = services
        self.quick = quick if services is None else None
        self.model = CaseTableModel(services, self, quick=self.quick)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self._total = (services.assessments if services is not None else quick).count()  # type: ignore[union-attr]
        self._sized = False
        self._pending_select: uuid.UUID | None = None
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self._empty: QWidget | None = None  # built when first shown: not at a start with cases
        self.list_page = self._build_list()
        self.stack.addWidget(self.list_page)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self._show_empty_if_needed()
        self._enable_filters(self.services is not None)
        if self._total:
            self.model.refresh()

    def attach(self, services: Services) -> None:
        """The database is open: the same rows come from the services, searching and sorting work."""
        self.services = services
        self.quick = None
        self.fill_templates()
        self._total = services.assessments.count()
        self._enable_filters(True)
        self._show_empty_if_needed()
        self.model.attach(services)

    def _enable_filters(self, enabled: bool) -> None:
        """Off while only the quick first page is read (a moment at start-up): the rows are shown,
        searching, filtering and sorting wait for the database."""
        for widget in (self.search, self.status, self.ownership, self.template, self.date_from, self.date_to,
                       self.reset_button):
            widget.setEnabled(enabled)
        self.table.horizontalHeader().setSectionsClickable(enabled)
        if enabled:
            self.search.setClearButtonEnabled(True)  # its icon costs ~5 ms: not before the first rows show
            self.reset_button.setEnabled(self.filtering())

    # --- construction --------------------------------------------------------------------

    @property
    def empty(self) -> QWidget:
        """The first-start page (no cases yet: what to do first)."""
        if self._empty is None:
            self._empty = self._build_empty()
            self.stack.addWidget(self._empty)
        return self._empty

    def _build_empty(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 46)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        title = QLabel(_("No cases yet"))
        title.setObjectName("emptyTitle")
        make_heading(title, 1.6)
        inner.addWidget(title)
        text = QLabel(_(
            "After or during a client meeting, open a case, record its facts and answer the checklist. "
            "Likvärd flags answers that may be a sign of unequal treatment of women and men, and says why.\n\n"
            "Start with New case (Ctrl+N), or load a set of demo cases to explore the app first."))
        text.setWordWrap(True)
        inner.addWidget(text)
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        self.empty_new = QPushButton(_("New case…"))
        self.empty_new.setProperty("primary", True)
        self.empty_new.clicked.connect(self.new_case.emit)
        buttons.addWidget(self.empty_new)
        self.empty_demo = QPushButton(_("Load demo cases"))
        self.empty_demo.clicked.connect(self.load_demo.emit)
        buttons.addWidget(self.empty_demo)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        # wide enough for both buttons whole ("Charger des dossiers de démonstration" is long)
        margins = inner.contentsMargins()
        needed = (self.empty_new.sizeHint().width() + buttons.spacing() + self.empty_demo.sizeHint().width()
                  + margins.left() + margins.right() + 2)
        card.setMaximumWidth(max(card.maximumWidth(), needed))
        card.setMinimumWidth(min(needed, card.maximumWidth()))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _build_list(self) -> QWidget:
        page = QWidget(self.stack)  # every widget made with its parent: styled once, not again when reparented
        layout = QVBoxLayout(page)
        layout.setContentsMargins(14, 12, 14, 8)
        layout.setSpacing(8)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.search = QLineEdit(page)
        self.search.setPlaceholderText(_("Search case reference, advisor, branch, sector…"))
        self.search.setAccessibleName(_("Search cases"))
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        bar.addWidget(self.search, 2)

        self.status = QComboBox(page)
        self.status.setAccessibleName(_("Status"))
        self.status.addItem(_("All statuses"), None)
        for status in ASSESSMENT_STATUSES:
            self.status.addItem(status_label(status), status)
        self.status.currentIndexChanged.connect(self.apply_filter)
        bar.addWidget(self.status)

        self.ownership = QComboBox(page)
        self.ownership.setAccessibleName(_("Ownership"))
        self.ownership.addItem(_("All ownership"), None)
        for value in OWNERSHIP:
            self.ownership.addItem(choice_label("ownership", value), value)
        self.ownership.currentIndexChanged.connect(self.apply_filter)
        bar.addWidget(self.ownership)

        self.template = QComboBox(page)
        self.template.setAccessibleName(_("Checklist"))
        self.template.addItem(_("All checklists"), None)
        self.fill_templates()
        self.template.currentIndexChanged.connect(self.apply_filter)
        bar.addWidget(self.template)
        guard_wheel(self.status, self.ownership, self.template)
        layout.addLayout(bar)

        dates = QHBoxLayout()
        dates.setSpacing(8)
        from_label = QLabel(_("Case date from"), page)
        self.date_from = OptionalDateEdit(page, none_text=_("Any"))
        self.date_from.setAccessibleName(_("Case date from"))
        from_label.setBuddy(self.date_from.edit)
        to_label = QLabel(pgettext("date range", "to"), page)
        self.date_to = OptionalDateEdit(page, none_text=_("Any"))
        self.date_to.setAccessibleName(_("Case date to"))
        to_label.setBuddy(self.date_to.edit)
        self.date_from.changed.connect(self.apply_filter)
        self.date_to.changed.connect(self.apply_filter)
        dates.addWidget(from_label)
        dates.addWidget(self.date_from)
        dates.addWidget(to_label)
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        self.reset_button = QPushButton(_("Clear filters"), page)
        self.reset_button.clicked.connect(self.clear_filters)
        dates.addWidget(self.reset_button)
        self.count_label = QLabel(page)
        self.count_label.setObjectName("muted")
        dates.addWidget(self.count_label)
        layout.addLayout(dates)

        self.table = CaseTable(page)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Cases"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(False)  # sorting is a new query, driven by the header below
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self.model.sort)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setResizeContentsPrecision(40)  # size columns from the visible rows only, never all
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 14)
        self._size_columns()
        self.table.doubleClicked.connect(self._activated)
        self.table.activated_case.connect(self.open_case.emit)
        layout.addWidget(self.table, 1)
        self.no_match = QLabel(_("No case matches the search and filters."), page)
        self.no_match.setObjectName("muted")
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.hide()
        layout.addWidget(self.no_match)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self._escape_search)
        return page

    def _size_columns(self) -> None:
        m = self.fontMetrics().horizontalAdvance("M")
        widths = {"case_reference": 11, "case_date": 7, "ownership": 7, "sector": 12, "amount_requested": 9,
                  "decision": 8, "status": 7, "flag_count": 4, "score": 5, "advisor": 10, "branch": 7,
                  "template": 16, "updated_at": 7}
        for n, (key, header, _sort) in enumerate(COLUMNS):
            width = max(widths.get(key, 8) * m, self.fontMetrics().horizontalAdvance(_(header)) + 3 * m)
            self.table.setColumnWidth(n, width)

    #: how many of the first rows the columns are fitted to
    FIT_ROWS = 40

    def _fit_columns(self) -> None:
        """Fit the columns to the first rows' contents, within reason. Measured from the texts
        (QTableView.resizeColumnsToContents asks the style sheet for every cell: ~60 ms at start-up)."""
        from PySide6.QtGui import QFontMetrics

        metrics = self.table.fontMetrics()
        m = metrics.horizontalAdvance("M")
        header = self.table.horizontalHeader()
        header_font = header.font()
        header_font.setWeight(header_font.Weight.DemiBold)  # the style sheet's 600
        header_metrics = QFontMetrics(header_font)
        icon = self.table.iconSize().width() if self.table.iconSize().isValid() else 16
        rows = [s for s in (self.model.summary(r) for r in range(min(self.model.rowCount(), self.FIT_ROWS))) if s]
        for n, (key, title, _sort) in enumerate(COLUMNS):
            cells = max((metrics.horizontalAdvance(self.model.display(s, key)) for s in rows), default=0) + 6
            if key in ("status", "flag_count"):  # a check mark or a flag beside the text
                cells += max(icon, 16) + 4
            heading = header_metrics.horizontalAdvance(_(title)) + 12 + 25  # padding and the sort arrow
            width = max(cells, heading) + m
            self.table.setColumnWidth(n, min(max(width, 4 * m), 22 * m))

    def fill_templates(self) -> None:
        current = self.template.currentData()
        while self.template.count() > 1:
            self.template.removeItem(1)
        if self.services is not None:
            templates = [(v.template_key, v.title) for v in self.services.templates.published_versions()]
        else:
            templates = self.quick.published_templates() if self.quick is not None else []
        for key, title in templates:
            self.template.addItem(title, key)
        index = self.template.findData(current) if current else 0
        self.template.setCurrentIndex(max(index, 0))

    # --- behaviour -----------------------------------------------------------------------

    def current_filter(self) -> AssessmentFilter:
        return AssessmentFilter(
            search=self.search.text().strip(),
            status=self.status.currentData(),
            ownership=self.ownership.currentData(),
            template_key=self.template.currentData(),
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            sort=self.model.filter.sort,
            descending=self.model.filter.descending,
        )

    def filtering(self) -> bool:
        f = self.current_filter()
        return bool(f.search or f.status or f.ownership or f.template_key or f.date_from or f.date_to)

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self.model.set_filter(self.current_filter())

    def clear_filters(self) -> None:
        widgets = (self.search, self.status, self.ownership, self.template, self.date_from, self.date_to)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.status, self.ownership, self.template):
            combo.setCurrentIndex(0)
        self.date_from.set_value(None)
        self.date_to.set_value(None)
        for widget in widgets:
            widget.blockSignals(False)
        self.apply_filter()

    def _escape_search(self) -> None:
        if self.search.text():
            self.search.clear()
            self.apply_filter()
        else:
            self.table.setFocus()

    def refresh(self, recount: bool = True) -> None:
        """Re-query (after new cases or changes)."""
        if recount and self.services is not None:
            self._total = self.services.assessments.count()
        self._show_empty_if_needed()
        self.model.refresh()

    def _show_empty_if_needed(self) -> None:
        self.stack.setCurrentWidget(self.empty if self._total == 0 else self.list_page)  # builds it the first time

    def _loaded(self, rows: int) -> None:
        if rows and self._total == 0:
            self._total = rows
        self._show_empty_if_needed()
        if self.filtering():
            self.count_label.setText(ngettext("{count} of {total} case", "{count} of {total} cases", self._total).format(
                count=format_decimal(rows), total=format_decimal(self._total)))
        else:
            self.count_label.setText(ngettext("{count} case", "{count} cases", rows).format(count=format_decimal(rows)))
        self.no_match.setVisible(rows == 0 and self._total > 0)
        self.reset_button.setEnabled(self.filtering())
        if rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        if self._pending_select is not None:
            case_id, self._pending_select = self._pending_select, None
            self.select_case(case_id)
        if rows and not self._sized:
            self._sized = True
            self._fit_columns()

    def _failed(self, message: str) -> None:
        self.count_label.setText(_("The list could not be loaded: {error}").format(error=message))

    def _activated(self, index: QModelIndex) -> None:
        case_id = index.data(IdRole)
        if case_id is not None:
            self.open_case.emit(case_id)

    def current_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def focus_search(self) -> None:
        if self._total == 0:
            self.refresh()  # cases may have arrived from elsewhere (CLI, another window)
        if self._total:
            self.search.setFocus()
            self.search.selectAll()

    def select_case(self, case_id: uuid.UUID) -> None:
        """Select a case now, or once the list has been re-queried."""
        if self.model.loading:
            self._pending_select = case_id
            return
        row = self.model.row_of(case_id)
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))

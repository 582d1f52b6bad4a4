"""The case list's Qt model: ids only, summaries fetched on demand in pages and cached.

Over 100 000 cases the model holds 100 000 UUIDs and at most ``MAX_PAGES`` pages of summaries;
``rowCount`` never touches the database and ``data`` fetches one page (one query) on a miss.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from app.domain.facts import choice_label
from app.domain.status import status_label
from app.enums import AssessmentStatus
from app.i18n import N_, _, format_date, format_money, format_percent, ngettext
from app.services import Services
from app.services.listing import AssessmentFilter, AssessmentSummary, QuickCaseList
from ui import tasks
from ui.style import check_icon, flag_icon

PAGE_SIZE = 200
MAX_PAGES = 20

# (key, header, sort key in AssessmentFilter or None)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("case_reference", N_("Case"), "case_reference"),
    ("case_date", N_("Date"), "case_date"),
    ("ownership", N_("Ownership"), "ownership"),
    ("sector", N_("Sector"), "sector"),
    ("amount_requested", N_("Requested"), "amount_requested"),
    ("decision", N_("Decision"), "decision"),
    ("status", N_("Status"), "status"),
    ("flag_count", N_("Flags"), "flag_count"),
    ("score", N_("Score"), "score"),
    ("advisor", N_("Advisor"), "advisor"),
    ("branch", N_("Branch"), "branch"),
    ("template", N_("Checklist"), None),
    ("updated_at", N_("Last change"), "updated_at"),
)
COLUMN_KEYS = [c[0] for c in COLUMNS]
IdRole = Qt.ItemDataRole.UserRole + 1

# The roles as ints (Qt passes ``role`` as an int; comparing it with enum members costs attribute lookups)
_ID = int(IdRole)
_DISPLAY, _TOOLTIP, _DECORATION, _ALIGNMENT, _ACCESSIBLE, _FOREGROUND = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ForegroundRole))
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _DECORATION, _ALIGNMENT, _ACCESSIBLE, _FOREGROUND))
_HEADER_ROLES = frozenset((_DISPLAY, _TOOLTIP, _ACCESSIBLE))
_HORIZONTAL, _VERTICAL = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_COLUMNS = frozenset(n for n, key in enumerate(COLUMN_KEYS) if key in ("amount_requested", "flag_count", "score"))


class CaseTableModel(QAbstractTableModel):
    """Rows are case ids; cells come from :class:`AssessmentSummary` pages fetched lazily.

    Built with ``services``, or first over a :class:`QuickCaseList` (the file read before the
    database layer is loaded: the default order, no filter) until :meth:`attach` gives the services."""

    loaded = Signal(int)  # number of rows after a (re)query
    failed = Signal(str)

    def __init__(self, services: Services | None, parent: Any = None, *, quick: QuickCaseList | None = None) -> None:
        super().__init__(parent)
        self.services: Services | None = services
        self.quick = quick if services is None else None
        self.filter = AssessmentFilter()
        self._ids: list[uuid.UUID] = []
        self._row_of: dict[uuid.UUID, int] = {}
        self._pages: OrderedDict[int, dict[uuid.UUID, AssessmentSummary]] = OrderedDict()
        self._generation = 0
        self.page_fetches = 0
        self.loading = False

    # --- querying ------------------------------------------------------------------------

    def set_filter(self, flt: AssessmentFilter) -> None:
        self.filter = flt
        self.refresh()

    def attach(self, services: Services) -> None:
        """Switch from the quick first page to the services: the same ids come back, so the rows,
        the current row and the scroll position stay; the cached pages are read again."""
        self.services = services
        self.quick = None
        self.refresh()

    def refresh(self) -> None:
        """Re-query the ids (off the UI thread); the view keeps its rows until they arrive."""
        self._generation += 1
        generation = self._generation
        flt = AssessmentFilter(**{**self.filter.__dict__, "extra": dict(self.filter.extra)})
        self.loading = True
        services = self.services
        if services is None:  # the quick first page: the first ids on the UI thread (its connection's)
            assert self.quick is not None
            first = self.quick.first_ids()
            self._set_ids(generation, first + [None] * (self.quick.count(flt) - len(first)))  # type: ignore[list-item]
            return
        tasks.run_in_background(
            lambda: services.assessments.ids(flt),
            on_done=lambda ids: self._set_ids(generation, ids),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def read_all_quick_ids(self) -> None:
        """The quick first page knows the first ids only (rows further down show "…"): read the
        whole order, once the list is on screen."""
        if self.quick is None or not self._ids or self._ids[-1] is not None:
            return
        ids = self.quick.ids()
        known = self._ids.index(None)  # type: ignore[arg-type]
        if len(ids) != len(self._ids) or ids[:known] != self._ids[:known]:
            self._set_ids(self._generation, ids)  # changed meanwhile by another program
            return
        self._ids = ids  # type: ignore[assignment]
        self._row_of = {}
        self._pages.clear()  # pages read with placeholders lack their rows
        self.dataChanged.emit(self.index(known, 0), self.index(len(ids) - 1, len(COLUMNS) - 1))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.loading = False
            self.failed.emit(str(exc))

    def _set_ids(self, generation: int, ids: list[uuid.UUID]) -> None:
        if generation != self._generation:
            return  # a newer query is on its way
        if ids == self._ids and ids:  # the same rows (the services took over): keep selection and scroll
            self._pages.clear()
            self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(COLUMNS) - 1))
            self.loading = False
            self.loaded.emit(len(ids))
            return
        self.beginResetModel()
        self._ids = ids
        self._row_of = {}
        self._pages.clear()
        self.endResetModel()
        self.loading = False
        self.loaded.emit(len(ids))

    def invalidate(self, assessment_id: uuid.UUID) -> None:
        """Forget the cached row of one case (after it changed) and repaint it."""
        row = self.row_of(assessment_id)
        if row is None:
            return
        self._pages.pop(row // PAGE_SIZE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- lookup --------------------------------------------------------------------------

    def id_at(self, row: int) -> uuid.UUID | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, assessment_id: uuid.UUID) -> int | None:
        if not self._row_of and self._ids:
            self._row_of = {i: n for n, i in enumerate(self._ids) if i is not None}
        return self._row_of.get(assessment_id)

    def summary(self, row: int) -> AssessmentSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            ids = [i for i in self._ids[page_no * PAGE_SIZE:(page_no + 1) * PAGE_SIZE] if i is not None]
            page = (self.services.assessments if self.services is not None else self.quick).summaries(ids)  # type: ignore[union-attr]
            self.page_fetches += 1
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])  # type: ignore[arg-type]  # None (not read yet): no row

    @property
    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    # --- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # asked ~750 times as the header is first sized and drawn: unused roles answered first
        if role not in _HEADER_ROLES:
            return None
        if orientation == _HORIZONTAL and 0 <= section < len(COLUMNS):
            if role == _DISPLAY or role == _ACCESSIBLE:
                return _(COLUMNS[section][1])
            if role == _TOOLTIP and COLUMNS[section][2]:
                return _("Click to sort by this column")
        if orientation == _VERTICAL and role == _DISPLAY:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][2] is None:
            return
        self.filter.sort = COLUMNS[column][2] or "updated_at"
        self.filter.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    def sort_column(self) -> int:
        for n, (_key, _header, sort) in enumerate(COLUMNS):
            if sort == self.filter.sort:
                return n
        return len(COLUMNS) - 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and every role the delegate asks (~1 500 calls to paint one
        # screen): the roles are plain ints looked up in sets, the unused ones answered first.
        if role not in _ROLES or not index.isValid():
            return self.id_at(index.row()) if role == _ID and index.isValid() else None
        column = index.column()
        if role == _ALIGNMENT:
            return _ALIGN_RIGHT if column in _RIGHT_COLUMNS else _ALIGN_LEFT
        summary = self.summary(index.row())
        key = COLUMN_KEYS[column]
        if summary is None:
            return _("…") if role == _DISPLAY and column == 0 else None
        if role == _DECORATION:
            if key == "flag_count" and summary.flag_count:
                return flag_icon()
            if key == "status" and summary.status != AssessmentStatus.DRAFT:
                return check_icon()
            return None
        if role == _FOREGROUND:
            return QColor("#b00020") if key == "status" and summary.tampered else None
        text = self.display(summary, key)
        if role == _TOOLTIP:
            if key == "flag_count" and summary.flag_count:
                return ngettext("{count} flagged answer", "{count} flagged answers", summary.flag_count).format(count=summary.flag_count)
            return text or None
        if role == _ACCESSIBLE and key == "flag_count":
            return ngettext("{count} flag", "{count} flags", summary.flag_count).format(count=summary.flag_count)
        return text

    @staticmethod
    def display(summary: AssessmentSummary, key: str) -> str:
        if key == "case_reference":
            return summary.case_reference
        if key == "case_date":
            return format_date(summary.case_date, fmt="short") if summary.case_date else ""
        if key in ("ownership", "sector", "decision"):
            return choice_label(key, getattr(summary, key))
        if key == "amount_requested":
            return format_money(summary.amount_requested, summary.currency)
        if key == "status":
            if not summary.tamper_known:  # a signed case whose signature is checked once the database is open
                return _("…")
            if summary.tampered:
                return _("{status} — changed outside Likvärd!").format(status=status_label(summary.status))
            return status_label(summary.status)
        if key == "flag_count":
            return str(summary.flag_count) if summary.flag_count else ""
        if key == "score":
            return format_percent(summary.score) if summary.score is not None else ""
        if key == "advisor":
            return summary.advisor
        if key == "branch":
            return summary.branch
        if key == "template":
            return _("{title} (v{number})").format(title=summary.template_title, number=summary.template_version)
        if key == "updated_at":
            return format_date(summary.updated_at, fmt="short")
        return ""

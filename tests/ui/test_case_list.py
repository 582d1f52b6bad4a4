"""The case list: a lazy model over 100 000 cases, sorting, search and filters, the empty state."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import insert

from app.domain.facts import CaseFacts
from app.storage.models import AssessmentRow
from ui.case_model import COLUMN_KEYS, MAX_PAGES, PAGE_SIZE, CaseTableModel


def insert_cases(services, version_id: uuid.UUID, count: int) -> None:
    """Insert ``count`` light cases fast: the first through SQLAlchemy core, the others with the very
    values SQLAlchemy would store (its bind processors, its column defaults) in one executemany of the
    driver, on the same connection and transaction; the first row read back proves the values alike."""
    now = datetime.now(UTC)
    owners = ("women_led", "men_led", "mixed", "not_disclosed")
    rows = [
        {
            "id": uuid.uuid4(), "template_version_id": version_id, "status": "completed" if n % 3 == 0 else "draft",
            "case_reference": f"BULK-{n:06d}", "case_date": date(2025, 1, 1) + timedelta(days=n % 365),
            "advisor": f"Advisor {n % 7}", "branch": ("Göteborg", "Borås", "Skövde")[n % 3],
            "ownership": owners[n % 4], "sector": "retail", "currency": "SEK", "flag_count": n % 4,
            "score": (n % 10) / 10, "created_at": now, "updated_at": now - timedelta(seconds=n),
        }
        for n in range(count)
    ]
    table = AssessmentRow.__table__
    defaults = {c.name: c.default.arg for c in table.c
                if c.name not in rows[0] and c.default is not None and c.default.is_scalar}
    names = [*rows[0], *defaults]
    with services.db.engine.begin() as conn:
        conn.execute(insert(table), rows[:1])
        by_column = []
        for name in names:
            values = [row.get(name, defaults.get(name)) for row in rows]
            process = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            by_column.append(list(map(process, values)) if process else values)
        stored = list(zip(*by_column, strict=True))
        columns = ", ".join(names)
        first = conn.exec_driver_sql(f"SELECT {columns} FROM assessments WHERE id = ?", stored[0][:1]).one()
        assert tuple(first) == stored[0], (tuple(first), stored[0])  # what SQLAlchemy stored
        if count > 1:
            conn.exec_driver_sql(f"INSERT INTO assessments ({columns}) VALUES ({', '.join('?' * len(names))})",
                                 stored[1:])


class CountingSummaries:
    """Wraps our own service call to count the rows the model asks for."""

    def __init__(self, services) -> None:
        self.original = services.assessments.summaries
        self.calls: list[int] = []
        services.assessments.summaries = self

    def __call__(self, ids):
        self.calls.append(len(ids))
        return self.original(ids)


def test_the_model_over_100000_cases_never_loads_all_rows(qtbot, services, all_types_version, styled_app):
    started = time.perf_counter()
    insert_cases(services, all_types_version.id, 100_000)
    counter = CountingSummaries(services)
    model = CaseTableModel(services)
    model.refresh()
    assert model.rowCount() == 100_000
    assert model.columnCount() == len(COLUMN_KEYS)
    assert counter.calls == []  # rowCount needs ids only

    middle = model.index(54_321, 0)
    text = model.data(middle)
    assert text.startswith("BULK-")
    assert counter.calls == [PAGE_SIZE]  # one page around the row, one query
    model.data(model.index(54_322, 3))
    model.data(model.index(54_399, 6))
    assert counter.calls == [PAGE_SIZE]  # same page: served from the cache

    for row in range(0, 100_000, 997):  # scroll through everything
        model.data(model.index(row, 0))
    assert model.cached_rows <= MAX_PAGES * PAGE_SIZE
    assert sum(counter.calls) < 100_000 // 2

    # a real view only asks for what it shows
    from PySide6.QtWidgets import QTableView

    counter.calls.clear()
    view = QTableView()
    qtbot.addWidget(view)
    model2 = CaseTableModel(services)
    model2.refresh()
    view.setModel(model2)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()
    qtbot.wait(10)
    assert 1 <= len(counter.calls) <= 3
    assert sum(counter.calls) <= 3 * PAGE_SIZE
    assert time.perf_counter() - started < 40


def test_sorting_by_a_header_requeries_the_ids(qtbot, services, all_types_version, styled_app):
    insert_cases(services, all_types_version.id, 500)
    model = CaseTableModel(services)
    model.refresh()
    column = COLUMN_KEYS.index("case_reference")
    model.sort(column, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, column)) == "BULK-000000"
    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, column)) == "BULK-000499"
    assert model.filter.sort == "case_reference" and model.filter.descending
    template_column = COLUMN_KEYS.index("template")
    model.sort(template_column, Qt.SortOrder.AscendingOrder)  # not sortable: nothing happens
    assert model.filter.sort == "case_reference"
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Case"
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def test_search_box_and_filters(qtbot, window, services, all_types_version):
    insert_cases(services, all_types_version.id, 300)
    page = window.list_page
    page.refresh()
    assert page.stack.currentWidget() is page.list_page
    assert page.model.rowCount() == 300
    assert page.count_label.text() == "300 cases"
    qtbot.keyClicks(page.search, "BULK-00012")
    assert page.model.rowCount() == 300  # debounced: not yet
    qtbot.waitUntil(lambda: page.model.rowCount() == 10, timeout=2000)
    assert page.count_label.text() == "10 of 300 cases"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 300, timeout=2000)
    page.status.setCurrentIndex(page.status.findData("completed"))
    assert page.model.rowCount() == 100
    page.ownership.setCurrentIndex(page.ownership.findData("mixed"))
    assert page.model.rowCount() == 25  # n % 3 == 0 and n % 4 == 2
    page.date_from.set_value(date(2025, 2, 1))
    page.date_from.changed.emit()
    assert all(page.model.summary(r).case_date >= date(2025, 2, 1) for r in range(page.model.rowCount()))
    page.template.setCurrentIndex(page.template.findData("equal_treatment_credit") if
                                  page.template.findData("equal_treatment_credit") > 0 else 0)
    page.clear_filters()
    assert page.model.rowCount() == 300
    # the header click sorts through a new query
    header = page.table.horizontalHeader()
    column = COLUMN_KEYS.index("case_reference")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().center().__class__(header.sectionViewportPosition(column) + 5, 5))
    first = page.model.data(page.model.index(0, column))
    assert first in ("BULK-000000", "BULK-000299")
    assert page.model.filter.sort == "case_reference"


def test_empty_state_offers_demo_cases_and_opening_a_case(qtbot, window, services):
    page = window.list_page
    assert page.stack.currentWidget() is page.empty
    qtbot.mouseClick(page.empty_demo, Qt.MouseButton.LeftButton)
    assert services.assessments.count() == 200
    assert page.stack.currentWidget() is page.list_page
    assert page.model.rowCount() == 200
    assert "200 demo cases added" in window.statusBar().currentMessage()
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(3, 0))
    case_id = page.current_id()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.filling is not None and window.filling.record.id == case_id
    window.show_list()
    assert window.stack.currentWidget() is page
    assert page.current_id() == case_id


@pytest.mark.parametrize("lang, typed, expected", [("sv", "1 234,50", "1234.50"), ("en", "1,234.50", "1234.50"),
                                                   ("fr", "1 234,50", "1234.50")])
def test_amounts_are_read_in_the_locale_format(qtbot, services, styled_app, lang, typed, expected):
    from app import i18n
    from ui.facts_dialog import FactsDialog

    i18n.set_language(lang)
    dialog = FactsDialog(services)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.case_reference, "REF-1")
    qtbot.keyClicks(dialog.amount_requested, typed)
    facts, problems = dialog.facts()
    assert problems == {}
    assert str(facts.amount_requested) == expected
    dialog.set_facts(CaseFacts(case_reference="X", amount_requested=facts.amount_requested))
    assert dialog.amount_requested.value() == facts.amount_requested


def test_the_window_shows_before_the_database_and_fills_in_when_attached(qtbot, services, styled_app):
    from ui.main_window import MainWindow

    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.show()
    assert not window.act_new.isEnabled() and not window.act_find.isEnabled()
    assert window.stack.currentWidget() is window.opening
    window.close()  # closing before the database is open keeps the last view for next time
    with qtbot.waitSignal(window.list_ready, timeout=2000):
        window.attach(services)
    assert window.is_ready
    assert window.act_new.isEnabled()
    assert window.stack.currentWidget() is window.list_page

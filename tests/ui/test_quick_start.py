"""Start-up: the case list read read-only from the file before the database layer loads, then the
same list over the services (issue 15). The rows shown first are those shown after, in every
language; the switch keeps the selection; sorting, filtering and opening a case then work; a
database the normal path must handle (older, damaged) never takes the quick path."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt

from app import i18n
from app.services.listing import QuickCaseList
from app.storage.schema import HEAD_REVISION
from tests.conftest import DATA, ROOT
from tests.test_quick_list import build_varied_cases
from ui.case_model import COLUMN_KEYS, CaseTableModel

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole,
         Qt.ItemDataRole.TextAlignmentRole)


@pytest.fixture
def varied(services):
    made = build_varied_cases(services)
    yield services, made
    i18n.set_language("en")


def _cells(model: CaseTableModel, role=Qt.ItemDataRole.DisplayRole) -> list[list[object]]:
    return [[model.data(model.index(row, column), role) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


@pytest.mark.parametrize("lang", ["en", "sv", "fr"])
def test_the_quick_rows_are_the_rows_of_the_services_in_every_language(qapp, varied, db_path, lang):
    services, made = varied
    i18n.set_language(lang)
    normal = CaseTableModel(services)
    normal.refresh()
    quick = QuickCaseList.open(db_path)
    model = CaseTableModel(None, quick=quick)
    model.refresh()
    assert model.rowCount() == normal.rowCount() > QuickCaseList.FIRST_IDS
    assert model.data(model.index(QuickCaseList.FIRST_IDS + 5, 0)) == "…"  # further down: read a moment later
    model.read_all_quick_ids()
    status = COLUMN_KEYS.index("status")
    signed_rows = {normal.row_of(made[key]) for key in ("signed", "tampered", "amended")}
    for role in ROLES:
        expected, got = _cells(normal, role), _cells(model, role)
        for row in range(normal.rowCount()):
            if row in signed_rows:  # the signature is checked once the database is open: "…" meanwhile
                if role == Qt.ItemDataRole.DisplayRole:
                    assert got[row][status] == "…"
                got[row][status] = expected[row][status]
            assert got[row] == expected[row], (role, row)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [normal.headerData(c, Qt.Orientation.Horizontal) for c in range(normal.columnCount())]
    euro = _cells(model)[normal.row_of(made["euro"])]
    money = euro[COLUMN_KEYS.index("amount_requested")]
    assert "1" in money and ("€" in money or "EUR" in money)

    model.attach(services)  # now every cell, the signed ones too, comes from the services
    assert _cells(model) == _cells(normal)
    tampered = model.data(model.index(normal.row_of(made["tampered"]), status))
    assert tampered != "…" and "!" in tampered
    quick.close()


def _window(qtbot, styled_app, quick):
    from ui.main_window import MainWindow

    win = MainWindow(restore=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_quick_list(quick)
    return win


def test_the_window_shows_the_quick_list_then_continues_over_the_services(qtbot, styled_app, varied, db_path):
    services, made = varied
    quick = QuickCaseList.open(db_path)
    win = _window(qtbot, styled_app, quick)
    page = win.list_page
    assert win.is_ready and win.services is None
    assert page.stack.currentWidget() is page.list_page
    assert page.model.rowCount() == services.assessments.count()
    assert page.count_label.text() == f"{services.assessments.count()} cases"
    # what needs the database waits for it, visibly off
    for widget in (page.search, page.status, page.ownership, page.template, page.date_from, page.reset_button):
        assert not widget.isEnabled()
    assert not page.table.horizontalHeader().sectionsClickable()
    assert not win.act_new.isEnabled() and not win.act_find.isEnabled() and not win.act_templates.isEnabled()
    assert [page.template.itemText(n) for n in range(1, page.template.count())] == [
        v.title for v in services.templates.published_versions()]
    qtbot.waitUntil(lambda: page.model.id_at(page.model.rowCount() - 1) is not None)  # the whole order, read after
    page.table.setCurrentIndex(page.model.index(7, 0))
    chosen = page.current_id()
    first_texts = [page.model.data(page.model.index(r, 0)) for r in range(30)]
    win.grab().save(str(db_path.parent / "quick_list.png"))

    win.attach(services)
    assert win.services is services and page.quick is None and quick._conn is None  # closed once attached
    assert win.list_page is page  # the same list, not rebuilt
    assert page.current_id() == chosen  # the selection stays
    assert [page.model.data(page.model.index(r, 0)) for r in range(30)] == first_texts
    assert page.search.isEnabled() and page.status.isEnabled() and page.table.horizontalHeader().sectionsClickable()
    assert page.search.isClearButtonEnabled()
    assert win.act_new.isEnabled() and win.act_find.isEnabled()

    # sorting: a click on the Case header
    header = page.table.horizontalHeader()
    case_column = COLUMN_KEYS.index("case_reference")
    header.setSortIndicator(case_column, Qt.SortOrder.AscendingOrder)
    references = [page.model.summary(r).case_reference for r in range(page.model.rowCount())]
    assert references == sorted(references, key=i18n.sort_key)
    # filtering: the search
    page.search.setText("LYON")
    page.apply_filter()
    assert page.model.rowCount() == 1 and page.model.summary(0).id == made["euro"]
    assert page.count_label.text() == f"1 of {services.assessments.count()} cases"
    # opening a case
    page.table.doubleClicked.emit(page.model.index(0, 0))
    assert win.filling is not None and win.filling.record.id == made["euro"]


def test_a_case_opened_before_the_database_is_open_opens_once_it_is(qtbot, styled_app, varied, db_path):
    services, made = varied
    quick = QuickCaseList.open(db_path)
    win = _window(qtbot, styled_app, quick)
    row = win.list_page.model.row_of(made["completed"])
    assert row is not None
    win.list_page.table.doubleClicked.emit(win.list_page.model.index(row, 0))
    assert win.filling is None  # not yet: it opens as soon as the services are there
    win.attach(services)
    assert win.filling is not None and win.filling.record.id == made["completed"]


def test_the_quick_list_lets_go_of_the_file_when_the_database_cannot_be_opened(qtbot, styled_app, varied, db_path):
    services, _made = varied
    quick = QuickCaseList.open(db_path)
    win = _window(qtbot, styled_app, quick)
    win.release_quick_list()  # ui/app.py, before the damaged-database dialog moves the file aside
    assert quick._conn is None
    model = win.list_page.model
    model._pages.clear()
    assert model.data(model.index(0, 0)) == "…" and model.data(model.index(0, 1)) is None  # no error, no rows
    win.attach(services)  # the restored database: its rows
    assert model.data(model.index(0, 0)) == services.assessments.summaries([model.id_at(0)])[model.id_at(0)].case_reference


def test_an_empty_database_shows_the_first_start_card_at_once(qtbot, styled_app, services, db_path):
    quick = QuickCaseList.open(db_path)
    win = _window(qtbot, styled_app, quick)
    page = win.list_page
    assert win.is_ready and page.stack.currentWidget() is page.empty
    win.attach(services)
    assert page.stack.currentWidget() is page.empty and win.act_new.isEnabled()


def _start_up(db_path) -> str:
    """The real start-up (ui/app.py) in its own process, until the list is filled."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from ui.app import run_gui
        sys.exit(run_gui({str(db_path)!r}, language="en"))
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIKVARD_EXIT_WHEN_SHOWN": "1"}  # the test's folders
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith("ready:"))


def test_start_up_over_a_current_database_fills_the_list_from_the_file(services, db_path, tmp_path):
    services.db.close()
    assert _start_up(db_path).endswith(" quick")


def test_start_up_over_an_older_database_backs_up_and_migrates_first(tmp_path):
    from app.storage.backups import backup_folder

    path = tmp_path / "old.sqlite"
    shutil.copyfile(DATA / "likvard-0001.sqlite", path)
    line = _start_up(path)
    assert line.startswith("ready: True") and line.endswith(" services")  # the list waited for the migration
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    conn.close()
    assert len(list(backup_folder(path).glob("old-*-before-migration-0001.sqlite"))) == 1

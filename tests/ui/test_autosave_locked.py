"""Autosave against a database another program keeps locked (issue 13, item 3): nothing typed is
dropped, the UI thread never waits on the lock, the view says it is retrying, and closing asks."""

from __future__ import annotations

import sqlite3
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.facts import CaseFacts
from tests.ui.conftest import when_modal
from tests.ui.test_autosave import _fresh_answers

BUSY = "Not saved yet: the database is busy, retrying…"


@pytest.fixture
def short_busy_timeout(monkeypatch, services):
    from app.storage import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 800)
    services.db.engine.dispose()  # pooled connections pick the pragma up again


@pytest.fixture
def real_threads():
    """Storage runs in the real thread pool here: the point is that the UI thread does not wait."""
    from ui import tasks

    tasks.set_synchronous(False)
    yield
    tasks.wait_for_all()


class Lock:
    """A second connection holding the write lock, as another program writing would."""

    def __init__(self, path) -> None:
        self.conn = sqlite3.connect(str(path), timeout=0, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.conn is not None:
            self.conn.execute("ROLLBACK")
            self.conn.close()
            self.conn = None


def _open(window, services, version, reference):
    case_id = services.assessments.create(version.id, CaseFacts(case_reference=reference))
    view = window.open_case(case_id)
    view.select_section(1)
    return case_id, view


def test_a_locked_database_keeps_the_answer_retries_and_never_blocks_the_ui(
        qtbot, window, services, all_types_version, db_path, short_busy_timeout, real_threads):
    case_id, view = _open(window, services, all_types_version, "LOCK-1")
    lock = Lock(db_path)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    try:
        view.items["summary"].editor.edit.setText("Typed while locked")
        qtbot.waitUntil(lambda: view.save_label.text() == BUSY, timeout=5000)
        assert window.save_status.text() == BUSY
        assert view.autosaver.values == {"summary": "Typed while locked"}  # kept, not dropped
        qtbot.wait(1500)  # a further attempt or two, each waiting 0.8 s for the lock, off the UI thread
        assert view.save_label.text() == BUSY
        assert view.autosaver.failures >= 2
    finally:
        lock.release()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < 0.5, max(gaps)  # the event loop ran all along
    qtbot.waitUntil(lambda: view.save_label.text().startswith("Saved"), timeout=10000)
    timer.stop()
    assert _fresh_answers(db_path, case_id) == {"summary": "Typed while locked"}


def _click(box: QMessageBox, text: str) -> None:
    for button in box.buttons():
        if button.text() == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


def test_closing_with_a_locked_database_asks_and_retries_until_stored(
        qtbot, window, services, all_types_version, db_path, short_busy_timeout, real_threads):
    case_id, view = _open(window, services, all_types_version, "LOCK-2")
    lock = Lock(db_path)
    failures: list[BaseException] = []
    seen: list[str] = []
    try:
        view.items["summary"].editor.edit.setText("Must not be lost")

        def first(box):  # still locked: ask to close without saving, then think better of it
            seen.append(box.text())
            _click(box, "Close without saving…")
            when_modal(QMessageBox, second, failures)

        def second(box):
            seen.append(box.text())
            _click(box, "Cancel")

        when_modal(QMessageBox, first, failures)
        window.close()
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=8000)
        assert not failures, failures
        assert "is not saved" in seen[0] and "database is busy" in seen[0]
        assert "lost for good" in seen[1]
        assert window.isVisible()
        assert view.autosaver.values == {"summary": "Must not be lost"}

        def retry(box):  # the other program finished: trying again stores it and closes
            seen.append(box.text())
            lock.release()
            _click(box, "Try again")

        when_modal(QMessageBox, retry, failures)
        window.close()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
        assert not failures, failures
    finally:
        lock.release()
    assert _fresh_answers(db_path, case_id) == {"summary": "Must not be lost"}


def test_closing_without_saving_needs_an_explicit_confirmation(
        qtbot, window, services, all_types_version, db_path, short_busy_timeout, real_threads):
    case_id, view = _open(window, services, all_types_version, "LOCK-3")
    lock = Lock(db_path)
    failures: list[BaseException] = []
    try:
        view.items["summary"].editor.edit.setText("Given up")
        when_modal(QMessageBox, lambda box: (_click(box, "Close without saving…"), when_modal(
            QMessageBox, lambda sure: _click(sure, "Close and lose them"), failures)), failures)
        window.close()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=8000)
        assert not failures, failures
    finally:
        lock.release()
    QApplication.processEvents()
    assert _fresh_answers(db_path, case_id) == {}


def test_a_read_only_database_is_said_so_and_the_answer_kept(qtbot, styled_app, services, all_types_version, db_path):
    """SQLite refusing writes (here: the file opened read-only) shows a plain message, no traceback."""
    from app.services import Services
    from app.storage.db import Database, make_engine
    from ui.main_window import MainWindow

    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="RO-1"))
    read_only = Services(Database(make_engine(f"sqlite:///file:{db_path}?mode=ro&uri=true"), db_path))
    window = MainWindow(read_only, restore=False)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    view.select_section(1)
    view.items["summary"].editor.edit.setText("Cannot be written")
    qtbot.waitUntil(lambda: view.save_label.text().startswith("Not saved:"), timeout=3000)
    assert "is read-only" in view.save_label.text() and str(db_path) in view.save_label.text()
    assert "Traceback" not in view.save_label.text() and "sqlite3" not in view.save_label.text()
    assert view.autosaver.values == {"summary": "Cannot be written"}
    view.autosaver.values.clear()  # let the window close without asking
    view.autosaver.timer.stop()
    read_only.db.close()

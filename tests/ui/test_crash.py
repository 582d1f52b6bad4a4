"""The global exception hook: a dialog with copyable details and a rotating log without case data
(issue 13, build item 6)."""

from __future__ import annotations

import stat
import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from app.domain.facts import CaseFacts


@pytest.fixture
def hook(monkeypatch, tmp_path):
    monkeypatch.setenv("LIKVARD_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    from ui import crash

    crash.install()
    yield crash
    dialog = crash.current_dialog()
    if dialog is not None:
        dialog.close()


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_shows_copyable_details_and_is_logged_without_case_data(qtbot, hook, window, services,
                                                                                   all_types_version, tmp_path):
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="SECRET-REF-77"))
    services.assessments.set_answer(case_id, "summary", "Private answer text", comment="Private comment")
    view = window.open_case(case_id)

    def broken() -> None:
        raise ValueError("boom in a slot")

    button = QPushButton("Break", view)
    button.clicked.connect(broken)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hook.current_dialog() is not None and hook.current_dialog().isVisible(), timeout=2000)
    dialog = hook.current_dialog()
    text = dialog.details.toPlainText()
    assert "ValueError: boom in a slot" in text and "Traceback" in text
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == text
    log = hook.log_path()
    assert log.parent == tmp_path / "logs"
    content = log.read_text(encoding="utf-8")
    assert "ValueError: boom in a slot" in content
    for private in ("SECRET-REF-77", "Private answer text", "Private comment"):
        assert private not in content
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_background_thread_is_reported_on_the_gui_thread(qtbot, hook):
    def task() -> None:
        raise RuntimeError("boom in the background")

    worker = threading.Thread(target=task, name="export-task")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: hook.current_dialog() is not None and hook.current_dialog().isVisible(), timeout=2000)
    assert "RuntimeError: boom in the background" in hook.current_dialog().details.toPlainText()
    assert "thread export-task" in hook.log_path().read_text(encoding="utf-8")


def test_the_log_rotates(hook, tmp_path):
    from ui.crash import LOG_BACKUPS, LOG_BYTES, report

    for _n in range(12):
        try:
            raise KeyError("x" * (LOG_BYTES // 8))
        except KeyError:
            report(*sys.exc_info())
    files = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert files[0] == "likvard.log" and 1 < len(files) <= LOG_BACKUPS + 1

"""Autosave: within a second, no Save button, flushed on section change and close, nothing shown as
"Saved" is lost when the process is killed, and invalid input is never stored."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from PySide6.QtCore import Qt

from app.domain.facts import CaseFacts
from tests.conftest import ROOT


def _fresh_answers(db_path, case_id):
    """Read through a second, independent connection: what another process would see."""
    from app.services import Services
    from app.storage.db import open_database

    db = open_database(db_path)
    try:
        return Services(db).assessments.get(case_id).answers
    finally:
        db.close()


def test_a_change_is_stored_within_a_second_and_the_window_says_saved(qtbot, window, services, all_types_version,
                                                                        db_path):
    from ui.filling import AUTOSAVE_DELAY_MS

    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="A-1"))
    view = window.open_case(case_id)
    assert not [b for b in view.findChildren(type(view.complete_button)) if b.text() == "Save"]  # no Save button
    view.select_section(1)
    qtbot.keyClicks(view.items["summary"].editor.edit, "Typed")
    assert view.save_label.text() == "Saving…"
    assert _fresh_answers(db_path, case_id) == {}
    qtbot.waitUntil(lambda: view.save_label.text().startswith("Saved"), timeout=1000)
    assert AUTOSAVE_DELAY_MS <= 500
    assert _fresh_answers(db_path, case_id) == {"summary": "Typed"}
    assert view.autosaver.saves == 1  # one transaction for the burst of keystrokes


def test_pending_changes_are_flushed_on_section_change_and_on_close(qtbot, window, services, all_types_version,
                                                                      db_path):
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="A-2"))
    view = window.open_case(case_id)
    qtbot.mouseClick(view.items["channel"].editor.buttons["office"], Qt.MouseButton.LeftButton)
    view.next_section()  # no waiting: the section change stores it
    assert _fresh_answers(db_path, case_id) == {"channel": "office"}
    qtbot.keyClicks(view.items["summary"].editor.edit, "Last words")
    window.close()
    assert _fresh_answers(db_path, case_id) == {"channel": "office", "summary": "Last words"}


def test_invalid_input_shows_an_inline_error_and_is_not_saved(qtbot, window, services, all_types_version, db_path):
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="A-3"))
    view = window.open_case(case_id)
    view.select_section(1)
    minutes = view.items["minutes"]
    qtbot.keyClicks(minutes.editor.edit, "700")
    assert minutes.error.isVisible() and minutes.error.text() == "The value must be at most 600."
    assert minutes.editor.edit.property("invalid") is True
    qtbot.keyClicks(view.items["rate_offered"].editor.edit, "1.2.3")
    assert view.items["rate_offered"].error.isVisible()
    view.flush()
    assert _fresh_answers(db_path, case_id) == {}
    minutes.editor.edit.setText("60")
    assert not minutes.error.isVisible()
    view.flush()
    assert _fresh_answers(db_path, case_id) == {"minutes": 60}
    # clearing an answer is a change too
    minutes.editor.edit.clear()
    view.flush()
    assert _fresh_answers(db_path, case_id) == {}


def test_a_completed_case_is_read_only(qtbot, window, services, all_types_version):
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="A-4"))
    services.assessments.set_answers(case_id, {"family_asked": "no", "channel": "video"})
    services.assessments.complete(case_id)
    view = window.open_case(case_id)
    for index in range(len(view.content.sections)):
        view.select_section(index)
    assert view.done_banner.isVisible()
    assert not view.complete_button.isVisible()
    assert not window.act_complete.isEnabled()
    for widget in view.items.values():
        assert all(not w.isEnabled() for w in widget.inputs() if w.isVisibleTo(widget)), widget.key
    assert view.items["channel"].editor.buttons["video"].isChecked()


def test_killing_the_app_loses_nothing_shown_as_saved(tmp_path, services, all_types_version, db_path):
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="KILL-1"))
    services.db.close()
    script = textwrap.dedent(f"""
        import os, signal, sys, uuid
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from app.bootstrap import start
        from ui.main_window import MainWindow
        services = start({str(db_path)!r}, language="en")
        window = MainWindow(services, restore=False)
        window.show()
        view = window.open_case(uuid.UUID({str(case_id)!r}))
        view.select_section(1)
        view.items["summary"].editor.edit.setText("Kept after a crash")
        def check():
            if view.save_label.text().startswith("Saved"):
                print("SAVED", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
        from PySide6.QtCore import QTimer
        timer = QTimer()
        timer.timeout.connect(check)
        timer.start(20)
        app.exec()
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert "SAVED" in result.stdout, result.stderr
    assert result.returncode == -9
    assert _fresh_answers(db_path, case_id) == {"summary": "Kept after a crash"}

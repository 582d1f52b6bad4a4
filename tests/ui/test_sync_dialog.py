"""File -> Sync with server…: the dialog drives a real sync to a real PostgreSQL server on its own
thread (the window keeps processing events), shows progress, the summary and the conflicts, keeps the
address without its password, and can be used with the keyboard alone."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QProgressBar, QPushButton, QTableWidget

from tests.sync_helpers import add_cases, db_name, server_url

pytestmark = pytest.mark.postgres


def _sync_dialog(qtbot, window):
    from ui.sync import SyncDialog

    action = window.act_sync
    assert action in window.menuBar().actions()[0].menu().actions()  # in the File menu
    action.trigger()
    dialog = window.sync_dialog
    assert isinstance(dialog, SyncDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_the_sync_dialog_syncs_on_a_thread_and_shows_summary_and_conflicts(qtbot, window, services, pg_server,
                                                                          db_path, tmp_path):
    url = server_url(pg_server)
    ids = add_cases(services, "G", 120, seed=7)
    services.records.sign(ids[0], "Greta")
    dialog = _sync_dialog(qtbot, window)
    for kind in (QLineEdit, QProgressBar, QTableWidget, QPushButton):
        for widget in dialog.findChildren(kind):
            assert widget.accessibleName() or widget.text(), widget  # every input and output is named
    assert dialog.server.text() == ""
    # keyboard only: the address field has the focus first; Return starts the sync (default button)
    dialog.server.setFocus()
    secret = url.replace("postgres@", "postgres:s3cret@")  # trust login: the password is not checked
    qtbot.keyClicks(dialog.server, secret)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))  # runs only if the UI thread is free
    timer.start(5)
    qtbot.keyClick(dialog.server, Qt.Key.Key_Return)
    assert dialog.running and not dialog.sync_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    timer.stop()
    assert len(ticks) > 3 and dialog.progress_updates >= 2  # the window kept running while it synced
    result = dialog.last_result
    assert result is not None and result.pushed == 120 and result.conflicts == []
    assert "Pushed 120 cases" in dialog.summary.text()
    assert dialog.progress.value() == dialog.progress.maximum()
    assert pg_server.psql("SELECT count(*) FROM assessments", db_name(url))[0][0] == 120
    # the address is remembered, never its password
    from sqlalchemy.engine import make_url

    remembered = services.settings.extra["sync_server"]
    assert make_url(remembered) == make_url(url) and "s3cret" not in remembered
    assert "s3cret" not in (tmp_path / "settings.json").read_text("utf-8")
    # a signed case changed behind the app's back: the conflict shows in the list
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE assessments SET advisor = 'Mallory' WHERE id = ?", (ids[0].hex,))
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert dialog.conflicts.rowCount() == 1
    assert "changed on this laptop after it was signed" in dialog.conflicts.item(0, 2).text()
    assert dialog.conflicts.item(0, 1).text().startswith("G-")
    dialog.grab().save(str(tmp_path / "sync_dialog.png"))
    # opened again: the address and the conflict are still there
    dialog.close()
    again = _sync_dialog(qtbot, window)
    assert again.server.text() == remembered and again.conflicts.rowCount() == 1


def test_cancel_stops_after_a_whole_batch_and_a_bad_address_is_a_message(qtbot, window, services, pg_server):
    url = server_url(pg_server)
    add_cases(services, "H", 300, seed=8)
    dialog = _sync_dialog(qtbot, window)
    dialog.server.setText("not a server")
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    assert not dialog.running and "address" in dialog.status.text()
    dialog.server.setText(url)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.progress_updates >= 2, timeout=30000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    result = dialog.last_result
    landed = pg_server.psql("SELECT count(*) FROM assessments", db_name(url))[0][0]
    assert result.cancelled and landed == result.pushed == 200  # stopped after the first whole batch
    assert "cancelled" in dialog.status.text()
    # an unreachable server: a message, the dialog usable again
    dialog.server.setText(url.replace(db_name(url), "no_such_database"))
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert "failed" in dialog.status.text() and dialog.sync_button.isEnabled()

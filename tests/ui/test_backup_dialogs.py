"""Backups in the GUI (issue 13, build 3): File → Back up now…, File → Restore from backup… (a list
with dates and case counts), and at start-up a damaged database offers the newest good backup,
keeping the damaged file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain.facts import CaseFacts
from app.storage.backups import list_backups
from tests.conftest import ROOT
from tests.ui.conftest import when_modal


def _cases(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
    finally:
        conn.close()


def test_back_up_now_and_restore_from_the_list(qtbot, window, services, all_types_version, db_path, tmp_path):
    from ui.backup_dialog import RestoreDialog

    for n in range(3):
        services.assessments.create(all_types_version.id, CaseFacts(case_reference=f"B-{n}"))
    failures: list[BaseException] = []
    said: list[str] = []

    def acknowledge(box):
        said.append(box.text())
        box.accept()

    when_modal(QMessageBox, acknowledge, failures)
    window.act_backup.trigger()
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert not failures, failures
    manual = [b for b in list_backups(db_path) if b.reason == "manual"]
    assert len(manual) == 1 and str(manual[0].path) in said[0]
    services.assessments.create(all_types_version.id, CaseFacts(case_reference="B-late"))
    window.list_page.refresh()

    shown: list[list[str]] = []

    def choose(dialog):
        rows = [" | ".join(dialog.table.item(r, c).text() for c in range(3)) for r in range(dialog.table.rowCount())]
        shown.append(rows)
        dialog.grab().save(str(tmp_path / "restore_dialog.png"))
        row = next(r for r, info in enumerate(dialog.backups) if info.reason == "manual")
        dialog.table.selectRow(row)
        assert dialog.restore_button.isEnabled()
        dialog.restore_button.click()

    when_modal(RestoreDialog, choose, failures)
    window.act_restore.trigger()
    assert not failures, failures
    assert any("on request | 3 cases" in row for row in shown[0]), shown
    assert len(services.assessments.list()) == 3
    assert window.list_page.model.rowCount() == 3
    assert "Backup restored" in window.statusBar().currentMessage()
    assert any(b.reason == "before-restore" for b in list_backups(db_path))


def _damaged_with_a_backup(services, version, db_path, count=2) -> bytes:
    for n in range(count):
        services.assessments.create(version.id, CaseFacts(case_reference=f"D-{n}"))
    services.backups.backup_now()
    services.db.close()
    damaged = b"SQLite format 3\x00" + os.urandom(8192)
    db_path.write_bytes(damaged)
    return damaged


def test_the_damaged_database_dialog_restores_the_newest_good_backup_and_keeps_the_file(
        qtbot, styled_app, services, all_types_version, db_path):
    from app.errors import DatabaseCorruptError
    from app.storage.db import open_database
    from ui.backup_dialog import offer_backup_for_damaged

    damaged = _damaged_with_a_backup(services, all_types_version, db_path)
    with pytest.raises(DatabaseCorruptError) as info:
        open_database(db_path)
    failures: list[BaseException] = []
    texts: list[str] = []

    def decline(box):
        texts.append(box.text())
        next(b for b in box.buttons() if b.text() == "Quit").click()

    when_modal(QMessageBox, decline, failures)
    assert offer_backup_for_damaged(None, db_path, info.value) is None
    assert db_path.read_bytes() == damaged  # saying no changes nothing

    def accept(box):
        box.grab().save(str(db_path.parent / "damaged_dialog.png"))
        next(b for b in box.buttons() if b.text() == "Restore the backup").click()

    when_modal(QMessageBox, accept, failures)
    source, aside = offer_backup_for_damaged(None, db_path, info.value)
    assert not failures, failures
    assert "2 cases" in texts[0] and "damaged" in texts[0]
    assert aside.read_bytes() == damaged and aside.parent == db_path.parent  # never overwritten or deleted
    assert _cases(db_path) == 2 and source.parent != db_path.parent


def test_start_up_on_a_damaged_database_offers_the_backup(services, all_types_version, db_path):
    """The real start-up (ui/app.py) in its own process: the dialog comes, is answered, the cases show."""
    damaged = _damaged_with_a_backup(services, all_types_version, db_path, 3)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox
        app = QApplication([])
        def answer():
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox):
                print("DIALOG", box.objectName(), flush=True)
                next(b for b in box.buttons() if b.text() == "Restore the backup").click()
            else:
                QTimer.singleShot(20, answer)
        QTimer.singleShot(20, answer)
        from ui.app import run_gui
        sys.exit(run_gui({str(db_path)!r}, language="en"))
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIKVARD_EXIT_WHEN_SHOWN": "1"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "DIALOG damaged_database" in result.stdout and "ready: True" in result.stdout, result.stdout
    ready = next(line for line in result.stdout.splitlines() if line.startswith("ready:"))
    assert ready.endswith(" services")  # a damaged file never fills the list from the quick read-only path
    asides = list(db_path.parent.glob("likvard.damaged-*.sqlite"))
    assert len(asides) == 1 and asides[0].read_bytes() == damaged
    assert _cases(db_path) == 3
    conn = sqlite3.connect(db_path)
    kinds = [r[0] for r in conn.execute("SELECT kind FROM events")]
    conn.close()
    assert "backup.restored" in kinds

"""The desktop app on a shared PostgreSQL database: the start-up asks the server's password in a
small keyboard-only dialog, then the case list shows the server's cases and a case opens.

Real widgets offscreen (pytest-qt) and the throwaway cluster of tests/pg.py.
"""

from __future__ import annotations

import os

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.test_backends import PASSWORD, password_login, server_db  # noqa: F401 (fixtures)

pytestmark = pytest.mark.postgres

class MemoryKeyring(KeyringBackend):
    """A stand-in for the operating system's keyring (Secret Service, Keychain...)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)


@pytest.fixture
def system_keyring():
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


SHOTS = os.environ.get("LIKVARD_SHOTS")  # a folder: screenshots of the dialog and the window


def _shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


def test_the_password_dialog_is_usable_with_the_keyboard_alone(qtbot, qapp):
    from app.credentials import PasswordRequired
    from ui.password_dialog import PasswordDialog

    url = "postgresql+psycopg://anna@db.example/likvard"
    dialog = PasswordDialog(PasswordRequired("The server asks for the password of anna@db.example:5432/likvard.",
                                             url))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    for widget in (dialog.password, dialog.remember, dialog.message):
        assert widget.accessibleName()
    assert "anna@db.example:5432/likvard" in dialog.password.accessibleDescription()
    qtbot.keyClicks(QApplication.focusWidget(), PASSWORD)
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.remember
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    _shot(dialog, "password_dialog.png")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.answer() == (PASSWORD, True)


def test_the_app_started_on_a_server_url_asks_the_password_and_shows_its_cases(
        qtbot, qapp, pg_server, server_db, password_login, monkeypatch, system_keyring, tmp_path):  # noqa: F811
    from app.bootstrap import start
    from app.services.demo import create_demo_cases
    from ui.app import run_gui
    from ui.main_window import MainWindow
    from ui.password_dialog import PasswordDialog

    name, admin_url = server_db
    services = start(admin_url)
    try:
        create_demo_cases(services, 12, seed=3)
        expected = services.assessments.count()
    finally:
        services.db.close()
    url = pg_server.url(name, user=password_login)  # no password in it: the server asks
    monkeypatch.setenv("LIKVARD_DB", url)
    seen: dict[str, object] = {}

    def drive(tries: int = 0) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, PasswordDialog) and "dialog" not in seen:
            seen["dialog"] = widget.message.text()
            qtbot.keyClicks(widget.password, PASSWORD)
            widget.remember.setChecked(True)
            qtbot.keyClick(widget.password, Qt.Key.Key_Return)
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)
        if window is not None and window.is_ready:
            page = window.list_page
            seen["rows"] = page.model.rowCount()
            page.table.setFocus()
            page.table.setCurrentIndex(page.model.index(2, 0))
            seen["chosen"] = page.current_id()
            qtbot.keyClick(page.table, Qt.Key.Key_Return)
            seen["opened"] = window.filling.record.id if window.filling is not None else None
            _shot(window, "main_window_on_postgresql.png")
            seen["status"] = window.statusBar().currentMessage()
            QApplication.instance().exit(0)
            return
        if tries < 1500:
            QTimer.singleShot(20, lambda: drive(tries + 1))
        else:
            QApplication.instance().exit(3)

    QTimer.singleShot(0, drive)
    code = run_gui(None, "en")
    assert code == 0, seen
    assert "asks for the password" in str(seen["dialog"])
    assert seen["rows"] == expected == 12
    assert seen["opened"] is not None and seen["opened"] == seen["chosen"]
    # remembered in the system keyring (asked for), never in a file of ours; the next start needs no question
    from app.credentials import SERVICE, account

    assert system_keyring.entries == {(SERVICE, account(url)): PASSWORD}
    assert not any(PASSWORD.encode() in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    again = start(url)
    try:
        assert again.assessments.count() == 12
    finally:
        again.db.close()

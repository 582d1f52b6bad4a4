"""The password of a shared server database, asked when the server asks for it (team mode).

Shown by the start-up (ui/app.py) when opening a ``postgresql+psycopg://`` database raises
:class:`app.credentials.PasswordRequired`: the server's question (or refusal) in words, the
password field, and "Remember in the system keyring". Usable with the keyboard alone: the field
has the focus, Tab reaches the checkbox (Space toggles it), Enter connects, Escape cancels.
The password is handed to the connection only; it is never shown, logged or written by us.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.credentials import PasswordRequired, account
from app.i18n import _


class PasswordDialog(QDialog):
    """Asks for the password of ``error.url``'s account."""

    def __init__(self, error: PasswordRequired, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Server password"))
        self.setAccessibleName(_("Server password"))
        layout = QVBoxLayout(self)
        self.message = QLabel(error.message)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Why the password is asked"))
        layout.addWidget(self.message)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        self.password.setAccessibleDescription(_("The password of {account}").format(account=account(error.url)))
        label = QLabel(_("&Password for {account}:").format(account=account(error.url)))
        label.setBuddy(self.password)
        form.addRow(label, self.password)
        layout.addLayout(form)
        self.remember = QCheckBox(_("&Remember in the system keyring"))
        self.remember.setAccessibleName(_("Remember in the system keyring"))
        self.remember.setToolTip(_("Kept by the operating system's keyring, never in Likvärd's own files"))
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Connect"))
        ok.setAccessibleName(_("Connect"))
        ok.setDefault(True)
        ok.setEnabled(False)
        self.password.textChanged.connect(lambda text: ok.setEnabled(bool(text)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()

    def answer(self) -> tuple[str, bool]:
        return self.password.text(), self.remember.isChecked()


def keep_if_asked(url: str, password: str, remember: bool, say: Callable[[str], None]) -> None:
    """After the password worked: keep it in the system keyring when the person asked to
    (``say`` shows a message when there is no keyring here)."""
    from app.credentials import remember as keep

    if remember and not keep(url, password):
        say(_("There is no system keyring here: the password was not remembered."))


def ask_password(parent: QWidget | None, error: PasswordRequired) -> tuple[str, bool] | None:
    """Show the dialog; (password, remember it) or None when cancelled."""
    dialog = PasswordDialog(error, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()
    finally:
        dialog.password.clear()
        dialog.deleteLater()

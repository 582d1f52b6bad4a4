"""The dialog that creates a self-signed signing identity."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _
from app.services import Services
from ui.widgets import ErrorLabel


class NewIdentityDialog(QDialog):
    """Create a self-signed signing identity (name, organisation, password twice)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New signing identity"))
        self.identity: Any = None
        self.services = services
        settings = services.settings
        layout = QVBoxLayout(self)
        intro = QLabel(_("A signing identity is a key and a certificate kept on this computer, protected by a "
                         "password that is asked each time you sign. If your organisation issues identities, "
                         "import theirs instead."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(settings.name)
        self.name.setAccessibleName(_("Your name"))
        self.organisation = QLineEdit(settings.organisation)
        self.organisation.setAccessibleName(_("Organisation"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(_("Repeat the password"))
        form.addRow(_("Your name"), self.name)
        form.addRow(_("Organisation"), self.organisation)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Repeat the password"), self.repeat)
        layout.addLayout(form)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Create"))
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def create(self) -> None:
        if not self.name.text().strip():
            self.error.show_message(_("Enter your name."))
            return
        if len(self.password.text()) < 8:
            self.error.show_message(_("Choose a password of at least 8 characters."))
            return
        if self.password.text() != self.repeat.text():
            self.error.show_message(_("The two passwords differ."))
            return
        try:
            self.identity = self.services.identities.create(self.name.text().strip(), self.organisation.text().strip(),
                                            self.password.text())
        except LikvardError as exc:
            self.error.show_message(exc.message)
            return
        self.accept()

"""The trust list (in Settings)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _
from app.services import Services
from ui.widgets import ErrorLabel


class TrustListWidget(QWidget):
    """The organisation CA certificates that make a signer "trusted"."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trust = services.trust
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(_("Signatures by certificates issued by these organisation CAs are reported as trusted."))
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.list = QTreeWidget()
        self.list.setAccessibleName(_("Trusted certificates"))
        self.list.setHeaderLabels([_("Certificate"), _("Fingerprint (SHA-256)")])
        self.list.setRootIsDecorated(False)
        self.list.setMinimumHeight(110)
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        add = QPushButton(_("Add certificate\u2026"))
        add.clicked.connect(self.add)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self.remove)
        buttons.addWidget(add)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for cert in self.trust.list():
            info = cert.to_dict()
            row = QTreeWidgetItem([info.get("subject", ""), info.get("fingerprint", "")[:29] + "\u2026"])
            row.setData(0, Qt.ItemDataRole.UserRole, info.get("fingerprint", ""))
            row.setToolTip(1, info.get("fingerprint", ""))
            self.list.addTopLevelItem(row)
        self.remove_button.setEnabled(self.list.topLevelItemCount() > 0)

    def add(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Add a trusted certificate"), str(Path.home()),
                                                        _("Certificates (*.pem *.crt *.cer *.der)"))
            if not path:
                return
        try:
            self.trust.add(path)
        except LikvardError as exc:
            self.error.show_message(exc.message)
            return
        self.error.show_message(None)
        self.refresh()

    def remove(self) -> None:
        row = self.list.currentItem()
        if row is None:
            return
        try:
            self.trust.remove(row.data(0, Qt.ItemDataRole.UserRole))
        except LikvardError as exc:
            self.error.show_message(exc.message)
            return
        self.refresh()

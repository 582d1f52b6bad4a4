"""Small helpers of the PDF dialogs: file names, the system viewer, identity import, passwords."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _
from app.services.assessments import AssessmentRecord


def suggested_name(record: AssessmentRecord, lang: str) -> str:
    reference = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in record.facts.case_reference) or "case"
    return f"{reference}-r{getattr(record, 'revision', 1)}-{lang}.pdf"


def open_in_viewer(path: str | Path) -> bool:
    """Open a file in the system's viewer; False when there is none (or it refused)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def tell_no_viewer(parent: QWidget | None, path: str | Path) -> QMessageBox:
    """Say (without blocking) that no PDF viewer opened ``path``, and where the file is."""
    box = QMessageBox(QMessageBox.Icon.Information, _("Open the PDF"),
                      _("The PDF is ready, but no PDF viewer could be opened. The file is here:\n{path}").format(
                          path=path), QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def import_identity_interactively(services: Any, parent: QWidget) -> Any:
    """Ask for a PKCS#12 file and its password; returns the imported identity or None."""
    path, _filter = QFileDialog.getOpenFileName(parent, _("Import a signing identity"), str(Path.home()),
                                                _("PKCS#12 files (*.p12 *.pfx)"))
    if not path:
        return None
    password, ok = ask_password(parent, _("Password of {file}").format(file=Path(path).name))
    if not ok:
        return None
    try:
        return services.identities.import_pkcs12(path, password)
    except LikvardError as exc:
        QMessageBox.warning(parent, _("Import a signing identity"), exc.message)
        return None


def ask_password(parent: QWidget, label: str) -> tuple[str, bool]:
    from PySide6.QtWidgets import QInputDialog

    return QInputDialog.getText(parent, _("Password"), label, QLineEdit.EchoMode.Password)


# --- export -------------------------------------------------------------------------------------

"""What the pages of the Training window share: the item-data role, answers as read, certificates."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.domain.template import TemplateContent
from app.errors import LikvardError
from app.i18n import _
from app.services import Services

KeyRole = Qt.ItemDataRole.UserRole


def answer_text(content: TemplateContent, key: str, value: Any, lang: str) -> str:
    """An answer as read (option labels), for the debrief table."""
    if value in (None, "", [], {}):
        return "\u2014"
    item = content.item(key)
    if item.type == "yes_no_na":
        return {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable")}.get(value, str(value))
    if item.type in ("single_choice", "multiple_choice"):
        labels = {o.value: content.text(o.label, lang) for o in item.options}
        return "; ".join(labels.get(v, str(v)) for v in (value if isinstance(value, list) else [value]))
    if item.type == "scale":
        return _("{value} of 5").format(value=value)
    return str(value)


def save_certificate(parent: QWidget, services: Services, attempt_id: uuid.UUID | None, path: str | None = None) -> None:
    """Save the PDF certificate of a submitted attempt (asks where when ``path`` is None)."""
    if attempt_id is None:
        return
    if path is None:
        path, _filter = QFileDialog.getSaveFileName(parent, _("Save the certificate"), "certificate.pdf",
                                                    _("PDF files (*.pdf)"))
        if not path:
            return
    try:
        services.exercises.write_certificate(attempt_id, path, organisation=services.settings.organisation)
    except LikvardError as exc:
        QMessageBox.warning(parent, _("Training certificate"), exc.message)

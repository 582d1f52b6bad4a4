"""A grid of translatable texts: one row per field, one column per language."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.i18n import (
    LANGUAGE_NAMES,
    _,
)
from ui.style import repolish


class TextsGrid(QWidget):
    """Texts side by side for every language; a missing translation is marked."""

    edited = Signal(str, str, str)  # field, language, text

    def __init__(self, fields: list[tuple[str, str, bool]], languages: list[str], default_language: str,
                 values: dict[str, dict[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        self.editors: dict[tuple[str, str], QWidget] = {}
        for col, lang in enumerate(languages):
            head = QLabel(LANGUAGE_NAMES.get(lang, lang) + (" \u2605" if lang == default_language else ""))
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            if lang == default_language:
                head.setToolTip(_("Default language"))
            grid.addWidget(head, 0, col)
        row = 1
        for field, title, multiline in fields:
            label = QLabel(title)
            label.setObjectName("muted")
            grid.addWidget(label, row, 0, 1, len(languages))
            row += 1
            texts = values.get(field) or {}
            any_text = any(v.strip() for v in texts.values())
            for col, lang in enumerate(languages):
                edit = QPlainTextEdit(texts.get(lang, ""))
                edit.setTabChangesFocus(True)
                lines = 5 if multiline else 2
                edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
                edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * (lines + 3) + 12)
                edit.textChanged.connect(lambda f=field, lg=lang, e=edit: self._changed(f, lg, e.toPlainText(), e))
                edit.setAccessibleName(_("{field} ({language})").format(field=title, language=LANGUAGE_NAMES.get(lang, lang)))
                missing = any_text and not texts.get(lang, "").strip()
                self._mark(edit, missing)
                grid.addWidget(edit, row, col)
                self.editors[(field, lang)] = edit
            row += 1
        for col in range(len(languages)):
            grid.setColumnStretch(col, 1)

    def _mark(self, edit: QWidget, missing: bool) -> None:
        edit.setProperty("invalid", missing)
        edit.setToolTip(_("Missing translation") if missing else "")
        if isinstance(edit, (QLineEdit, QPlainTextEdit)):
            edit.setPlaceholderText(_("Missing translation") if missing else "")
        repolish(edit)

    def _changed(self, field: str, lang: str, text: str, edit: QWidget) -> None:
        self._mark(edit, not text.strip())
        self.edited.emit(field, lang, text)


# --- the draft editor -------------------------------------------------------------------------



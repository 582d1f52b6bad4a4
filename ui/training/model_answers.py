"""The editor's right column: the model answers filled in the checklist's own form, and the
debrief of the item in hand, per language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Evaluation
from app.domain.facts import CaseFacts
from app.domain.template import TemplateContent
from app.enums import LANGUAGE_CODES, LANGUAGE_NAMES
from app.i18n import _, get_language
from ui.widgets import guard_wheel


class ModelAnswersPane(QWidget):
    """The filling form of the bound template (the template preview's items), filled with the
    model answers, live visibility and flags under the exercise's facts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.templates.preview import PreviewPane

        self.preview = PreviewPane()
        self.preview.decision.hide()  # the exercise's facts decide
        self.preview.decision_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        self.facts = CaseFacts(case_reference="EXERCISE")
        self.preview._facts = lambda: self.facts  # type: ignore[method-assign]  # the exercise's facts

    def load(self, content: TemplateContent, facts: CaseFacts, answers: dict[str, Any]) -> None:
        self.facts = facts
        self.preview.content = content
        self.preview.widgets = {}
        self.preview.render()
        for key, value in answers.items():
            widget = self.preview.widgets.get(key)
            if widget is not None:
                widget.load(value, "")
        self.preview.update_state()
        guard_wheel(self.preview)

    def item_at(self, widget: QWidget | None) -> str | None:
        """The key of the item whose form holds ``widget`` (None outside the form)."""
        from ui.items import ItemWidget

        while widget is not None and widget is not self:
            if isinstance(widget, ItemWidget):
                return widget.key
            widget = widget.parentWidget()
        return None

    def answers(self) -> dict[str, Any]:
        content = self.preview.content
        values: dict[str, Any] = {}
        for key, widget in self.preview.widgets.items():
            try:
                value = widget.value()
            except Exception:  # noqa: BLE001 - an unreadable input is left out (the check says so)
                continue
            if value not in (None, "", []):
                values[key] = value
        if content is None:
            return values
        ev = Evaluation(content, self.facts, values)
        return {key: value for key, value in values.items() if ev.is_visible(key)}


class DebriefEditor(QWidget):
    """The debrief of one item per language: what the trainee reads under the model answer.

    The item follows the model-answer form (the item last clicked or tabbed into) or is chosen in
    the list; the list marks, after each label, the languages an item's debrief is written in."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts: dict[str, dict[str, str]] = {}
        self._labels: dict[str, str] = {}
        self._current: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        label = QLabel(_("&Debrief of"))
        row.addWidget(label)
        self.item = QComboBox()
        self.item.setObjectName("debriefItem")
        self.item.setAccessibleName(_("Item of the debrief"))
        self.item.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item.setMinimumContentsLength(20)
        label.setBuddy(self.item)
        self.item.currentIndexChanged.connect(lambda _i: self._show(self.item.currentData()))
        row.addWidget(self.item, 1)
        layout.addLayout(row)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QPlainTextEdit] = {}
        for column, lang in enumerate(LANGUAGE_CODES):
            name = QLabel(LANGUAGE_NAMES[lang])
            edit = QPlainTextEdit()
            edit.setObjectName(f"debrief_{lang}")
            edit.setAccessibleName(_("Debrief ({language})").format(language=LANGUAGE_NAMES[lang]))
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 4)
            edit.textChanged.connect(lambda lang=lang: self._edited(lang))
            name.setBuddy(edit)
            grid.addWidget(name, 0, column)
            grid.addWidget(edit, 1, column)
            self.edits[lang] = edit
        layout.addLayout(grid, 1)
        guard_wheel(self)

    def set_items(self, content: TemplateContent | None, debrief: dict[str, dict[str, str]]) -> None:
        """The answerable items of ``content`` (and any item a debrief names that the checklist lacks,
        so that it can be emptied), with ``debrief`` as the texts."""
        self._texts = {key: dict(texts) for key, texts in debrief.items()}
        lang = get_language()
        self._labels = {}
        if content is not None:
            for item in content.items():
                if item.answerable:
                    self._labels[item.key] = content.text(item.label, lang) or item.key
        for key in self._texts:
            if key not in self._labels:
                self._labels[key] = _("{key} (not in this checklist)").format(key=key)
        keep = self._current
        self.item.blockSignals(True)
        self.item.clear()
        for key, text in self._labels.items():
            self.item.addItem(text, key)
        self.item.blockSignals(False)
        self._refresh_marks()
        self.select(keep if keep in self._labels else next(iter(self._labels), None))

    def select(self, key: str | None) -> None:
        index = self.item.findData(key) if key is not None else -1
        if index >= 0 and index != self.item.currentIndex():
            self.item.setCurrentIndex(index)
        else:
            self._show(key if index >= 0 else None)

    def current(self) -> str | None:
        return self._current

    def _show(self, key: str | None) -> None:
        self._current = key
        texts = self._texts.get(key or "", {})
        for lang, edit in self.edits.items():
            blocked = edit.blockSignals(True)
            edit.setPlainText(texts.get(lang, ""))
            edit.blockSignals(blocked)
            edit.setEnabled(key is not None)

    def _edited(self, lang: str) -> None:
        if self._current is None:
            return
        text = self.edits[lang].toPlainText()
        texts = self._texts.setdefault(self._current, {})
        if text.strip():
            texts[lang] = text
        else:
            texts.pop(lang, None)
        if not texts:
            self._texts.pop(self._current, None)
        self._refresh_marks(self._current)
        self.changed.emit()

    def _refresh_marks(self, only: str | None = None) -> None:
        for index in range(self.item.count()):
            key = self.item.itemData(index)
            if only is not None and key != only:
                continue
            langs = [lang for lang in LANGUAGE_CODES if lang in self._texts.get(key, {})]
            text = self._labels[key] + (f"  ({', '.join(langs)})" if langs else "")
            if self.item.itemText(index) != text:
                self.item.setItemText(index, text)

    def debrief(self) -> dict[str, dict[str, str]]:
        """Item -> language -> text, the empty ones left out, in the list's order."""
        order = [self.item.itemData(i) for i in range(self.item.count())]
        out = {key: {lang: self._texts[key][lang] for lang in LANGUAGE_CODES if lang in self._texts[key]}
               for key in order if self._texts.get(key)}
        out.update({key: texts for key, texts in self._texts.items() if key not in out and texts})
        return out

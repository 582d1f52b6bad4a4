"""One widget per checklist item type, inside an :class:`ItemWidget` frame with its label,
guidance (help toggle), comment (collapsible), inline error and flag explanation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.facts import CURRENCIES
from app.domain.template import Item, TemplateContent
from app.i18n import NumberParseError, _, format_decimal
from ui.style import flag_icon, repolish
from ui.widgets import ErrorLabel, NumberEdit, OptionalDateEdit, currency_combo, guard_wheel, mark_invalid

RADIO_LIMIT = 6  # more options than this: a combo box
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
WINDOW_KEYS = {
    (_CTRL, Qt.Key.Key_PageDown), (_CTRL, Qt.Key.Key_PageUp), (_CTRL, Qt.Key.Key_Return), (_CTRL, Qt.Key.Key_Enter),
    (_ALT, Qt.Key.Key_Left), (_ALT, Qt.Key.Key_Right),
}


class InputError(ValueError):
    """The text typed cannot be read (shown inline, never saved)."""


class Editor(QWidget):
    """Base of the per-type editors. ``edited`` fires on every user change."""

    edited = Signal()

    def __init__(self, item: Item, content: TemplateContent, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.content = content
        self.lang = lang
        self.label = content.text(item.label, lang)
        self._loading = False

    def text(self, texts: dict[str, str]) -> str:
        return self.content.text(texts, self.lang)

    def _emit(self, *_args: Any) -> None:
        if not self._loading:
            self.edited.emit()

    def load(self, value: Any) -> None:
        self._loading = True
        try:
            self.set_value(value)
        finally:
            self._loading = False

    def value(self) -> Any:  # pragma: no cover - overridden
        return None

    def set_value(self, value: Any) -> None:  # pragma: no cover - overridden
        pass

    def inputs(self) -> list[QWidget]:
        """The focusable inputs, in tab order."""
        return []

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.inputs():
            widget.setEnabled(not read_only)


class ChoiceEditor(Editor):
    """Radio buttons (yes/no/n.a., scale, single choice with few options) with a Clear link."""

    def __init__(self, item: Item, content: TemplateContent, lang: str, options: list[tuple[str, str]],
                 horizontal: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(item, content, lang, parent)
        layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(self) if horizontal else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14 if horizontal else 4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        for value, text in options:
            button = QRadioButton(text)
            button.setAccessibleName(_("{label}: {option}").format(label=self.label, option=text))
            self.group.addButton(button)
            self.buttons[value] = button
            layout.addWidget(button)
            button.toggled.connect(lambda checked, *_a: checked and self._emit())
        self.clear_button = QToolButton()
        self.clear_button.setText(_("Clear"))
        self.clear_button.setProperty("link", True)
        self.clear_button.setAccessibleName(_("Clear the answer to {label}").format(label=self.label))
        self.clear_button.clicked.connect(self._clear)
        self.clear_button.setEnabled(False)
        layout.addWidget(self.clear_button)
        if horizontal:
            layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_a: self.clear_button.setEnabled(self.group.checkedButton() is not None
                                                                                  and self.isEnabled()))

    def _clear(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self.clear_button.setEnabled(False)
        self._emit()

    def value(self) -> Any:
        for value, button in self.buttons.items():
            if button.isChecked():
                return int(value) if self.item.type == "scale" else value
        return None

    def set_value(self, value: Any) -> None:
        self.group.setExclusive(False)
        for option, button in self.buttons.items():
            button.setChecked(value is not None and str(value) == option)
        self.group.setExclusive(True)
        self.clear_button.setEnabled(value is not None)

    def inputs(self) -> list[QWidget]:
        return [*self.buttons.values(), self.clear_button]

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.clear_button.setVisible(not read_only)


class ComboEditor(Editor):
    """A single choice among many options."""

    def __init__(self, item: Item, content: TemplateContent, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(item, content, lang, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.addItem(_("Not answered"), None)
        for option in item.options:
            self.combo.addItem(self.text(option.label), option.value)
        self.combo.setAccessibleName(self.label)
        self.combo.currentIndexChanged.connect(self._emit)
        guard_wheel(self.combo)
        layout.addWidget(self.combo)
        layout.addStretch(1)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def inputs(self) -> list[QWidget]:
        return [self.combo]


class MultiEditor(Editor):
    def __init__(self, item: Item, content: TemplateContent, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(item, content, lang, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.boxes: dict[str, QCheckBox] = {}
        for option in item.options:
            box = QCheckBox(self.text(option.label))
            box.setAccessibleName(_("{label}: {option}").format(label=self.label, option=self.text(option.label)))
            box.toggled.connect(self._emit)
            self.boxes[option.value] = box
            layout.addWidget(box)

    def value(self) -> Any:
        return [value for value, box in self.boxes.items() if box.isChecked()] or None

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for option, box in self.boxes.items():
            box.setChecked(option in chosen)

    def inputs(self) -> list[QWidget]:
        return list(self.boxes.values())


class ShortTextEditor(Editor):
    def __init__(self, item: Item, content: TemplateContent, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(item, content, lang, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setMaxLength(500)
        self.edit.setAccessibleName(self.label)
        self.edit.textChanged.connect(self._emit)
        layout.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.text() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(value or "")

    def inputs(self) -> list[QWidget]:
        return [self.edit]


class PlainText(QPlainTextEdit):
    """A QPlainTextEdit where Tab moves focus (keyboard users must be able to leave it)."""

    def __init__(self, lines: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.lines = lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        hint = super().sizeHint()
        margins = self.contentsMargins()
        height = self.fontMetrics().lineSpacing() * self.lines + margins.top() + margins.bottom() + 12
        return QSize(hint.width(), height)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        self.setFixedHeight(self.sizeHint().height())

    def event(self, event) -> bool:
        # The window's navigation shortcuts win over the text editor's own use of these keys.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier, event.key()) in WINDOW_KEYS:
                event.ignore()
                return True
        return super().event(event)


class LongTextEditor(Editor):
    def __init__(self, item: Item, content: TemplateContent, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(item, content, lang, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = PlainText(4)
        self.edit.setAccessibleName(self.label)
        self.edit.textChanged.connect(self._emit)
        layout.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.toPlainText() or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText(value or "")

    def inputs(self) -> list[QWidget]:
        return [self.edit]


class NumberEditor(Editor):
    """Whole or decimal numbers typed in the locale's format; money adds a currency."""

    def __init__(self, item: Item, content: TemplateContent, lang: str, currency: str = "SEK",
                 parent: QWidget | None = None) -> None:
        super().__init__(item, content, lang, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = NumberEdit(integer=item.type == "integer")
        self.edit.setAccessibleName(self.label)
        self.edit.textChanged.connect(self._emit)
        layout.addWidget(self.edit)
        self.currency: QComboBox | None = None
        if item.type == "money":
            self.currency = currency_combo()
            self.currency.setAccessibleName(_("{label}: currency").format(label=self.label))
            index = self.currency.findData(currency if currency in CURRENCIES else "SEK")
            self.currency.setCurrentIndex(max(index, 0))
            self.currency.currentIndexChanged.connect(self._emit)
            layout.addWidget(self.currency)
        low = format_decimal(item.minimum) if item.minimum is not None else None
        high = format_decimal(item.maximum) if item.maximum is not None else None
        rng = ""
        if low is not None and high is not None:
            rng = _("from {minimum} to {maximum}").format(minimum=low, maximum=high)
        elif low is not None:
            rng = _("at least {minimum}").format(minimum=low)
        elif high is not None:
            rng = _("at most {maximum}").format(maximum=high)
        if rng:
            hint = QLabel(rng)
            hint.setObjectName("muted")
            layout.addWidget(hint)
            self.edit.setAccessibleDescription(" ".join(rng))
        layout.addStretch(1)

    def value(self) -> Any:
        try:
            number = self.edit.value()
        except NumberParseError as exc:
            raise InputError(str(exc)) from None
        if number is None:
            return None
        if self.item.type == "integer":
            return int(number)
        if self.item.type == "decimal":
            return str(number)
        return {"amount": str(number), "currency": self.currency.currentData() if self.currency else "SEK"}

    def set_value(self, value: Any) -> None:
        if isinstance(value, dict):
            self.edit.set_value(value.get("amount"))
            if self.currency is not None and value.get("currency"):
                self.currency.setCurrentIndex(max(self.currency.findData(value["currency"]), 0))
        else:
            self.edit.set_value(Decimal(str(value)) if value not in (None, "") else None)

    def inputs(self) -> list[QWidget]:
        return [self.edit] + ([self.currency] if self.currency is not None else [])


class DateEditor(Editor):
    def __init__(self, item: Item, content: TemplateContent, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(item, content, lang, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.date = OptionalDateEdit()
        self.date.setAccessibleName(self.label)
        self.date.changed.connect(self._emit)
        layout.addWidget(self.date)

    def value(self) -> Any:
        value = self.date.value()
        return value.isoformat() if value else None

    def set_value(self, value: Any) -> None:
        self.date.set_value(date.fromisoformat(value) if isinstance(value, str) and value else None)

    def inputs(self) -> list[QWidget]:
        return [self.date.none, self.date.edit]

    def set_read_only(self, read_only: bool) -> None:
        self.date.none.setEnabled(not read_only)
        self.date.edit.setEnabled(not read_only and not self.date.none.isChecked())


def make_editor(item: Item, content: TemplateContent, lang: str, currency: str = "SEK") -> Editor | None:
    t = item.type
    if t == "yes_no_na":
        return ChoiceEditor(item, content, lang, [("yes", _("Yes")), ("no", _("No")), ("na", _("Not applicable"))])
    if t == "scale":
        return ChoiceEditor(item, content, lang, [(str(n), str(n)) for n in range(1, 6)])
    if t == "single_choice":
        if len(item.options) <= RADIO_LIMIT:
            vertical = sum(len(content.text(o.label, lang)) for o in item.options) > 60
            return ChoiceEditor(item, content, lang, [(o.value, content.text(o.label, lang)) for o in item.options],
                                horizontal=not vertical)
        return ComboEditor(item, content, lang)
    if t == "multiple_choice":
        return MultiEditor(item, content, lang)
    if t == "short_text":
        return ShortTextEditor(item, content, lang)
    if t == "long_text":
        return LongTextEditor(item, content, lang)
    if t in ("integer", "decimal", "money"):
        return NumberEditor(item, content, lang, currency)
    if t == "date":
        return DateEditor(item, content, lang)
    return None


class ItemWidget(QFrame):
    """An item as the agent sees it: label, help toggle, editor, error, flag and comment."""

    edited = Signal(str)  # item key
    comment_edited = Signal(str)

    def __init__(self, item: Item, content: TemplateContent, lang: str, currency: str = "SEK",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("item")
        self.item = item
        self.key = item.key
        self.label_text = content.text(item.label, lang)
        self.setAccessibleName(self.label_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)

        header = QHBoxLayout()
        header.setSpacing(6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        text = self.label_text + (" *" if item.required else "")
        self.label.setText(text)
        font = self.label.font()
        font.setBold(item.answerable)
        self.label.setFont(font)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        header.addWidget(self.label, 1)
        guidance = content.text(item.guidance, lang)
        if item.sources:  # law and research, shown with the guidance
            guidance += "\n\n" + _("Law and sources:") + "\n" + "\n".join("\u2022 " + s for s in item.sources)
        self.help_button = QToolButton()
        self.help_button.setText(_("Guidance"))
        self.help_button.setProperty("link", True)
        self.help_button.setCheckable(True)
        self.help_button.setAccessibleName(_("Show the guidance for {label}").format(label=self.label_text))
        self.help_button.setToolTip(_("Show or hide the guidance (F1)"))
        self.help_button.setVisible(bool(guidance) and item.answerable)
        header.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)
        self.comment_button = QToolButton()
        self.comment_button.setText(_("Comment"))
        self.comment_button.setProperty("link", True)
        self.comment_button.setCheckable(True)
        self.comment_button.setAccessibleName(_("Show the comment for {label}").format(label=self.label_text))
        self.comment_button.setVisible(item.answerable)
        header.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        self.guidance = QLabel(guidance)
        self.guidance.setObjectName("guidance")
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.PlainText)
        self.guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guidance.setVisible(bool(guidance) and not item.answerable)
        layout.addWidget(self.guidance)
        self.help_button.toggled.connect(self.guidance.setVisible)

        self.editor = make_editor(item, content, lang, currency)
        if self.editor is not None:
            self.editor.edited.connect(lambda: self.edited.emit(self.key))
            layout.addWidget(self.editor)
        notes = []
        if item.private:
            notes.append(_("Private: kept in this case and counted only in aggregates; never printed in the "
                           "summary or exported."))
        if item.type in ("short_text", "long_text"):
            notes.append(_("Do not record health, pregnancy or other personal details."))
        self.privacy_hint = QLabel(" ".join(notes))
        self.privacy_hint.setObjectName("hint")
        self.privacy_hint.setWordWrap(True)
        self.privacy_hint.setVisible(bool(notes))
        layout.addWidget(self.privacy_hint)
        self.error = ErrorLabel()
        layout.addWidget(self.error)

        self.flag_box = QFrame()
        self.flag_box.setObjectName("flagBox")
        flag_layout = QHBoxLayout(self.flag_box)
        flag_layout.setContentsMargins(8, 6, 8, 6)
        icon = QLabel()
        size = self.fontMetrics().height()
        icon.setPixmap(flag_icon().pixmap(size, size))
        icon.setAccessibleName(_("Flag"))
        flag_layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.flag_text = QLabel()
        self.flag_text.setObjectName("flagText")
        self.flag_text.setWordWrap(True)
        self.flag_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        flag_layout.addWidget(self.flag_text, 1)
        self.flag_box.hide()
        layout.addWidget(self.flag_box)

        self.comment = PlainText(2)
        self.comment.setPlaceholderText(_("Comment (optional): what happened, why, what was agreed"))
        self.comment.setAccessibleName(_("Comment on {label}").format(label=self.label_text))
        self.comment.hide()
        self.comment.textChanged.connect(self._comment_changed)
        layout.addWidget(self.comment)
        self.comment_button.toggled.connect(self._toggle_comment)
        self._loading = False
        self.flag_explanation: str | None = None
        self.read_only = False

    # --- state ---------------------------------------------------------------------------

    def _toggle_comment(self, shown: bool) -> None:
        self.comment.setVisible(shown)
        if shown and not self._loading:
            self.comment.setFocus()

    def _comment_changed(self) -> None:
        if not self._loading:
            self._update_comment_button()
            self.comment_edited.emit(self.key)

    def _update_comment_button(self) -> None:
        has = bool(self.comment.toPlainText().strip())
        self.comment_button.setText(_("Comment ✓") if has else _("Comment"))

    def load(self, value: Any, comment: str) -> None:
        """Show a stored answer and comment without reporting them as edits."""
        self._loading = True
        try:
            if self.editor is not None:
                self.editor.load(value)
            self.comment.setPlainText(comment or "")
            self.comment_button.setChecked(bool(comment))
            self.comment.setVisible(bool(comment))
            self._update_comment_button()
        finally:
            self._loading = False

    def value(self) -> Any:
        """The answer as typed (raises InputError when it cannot be read)."""
        return self.editor.value() if self.editor is not None else None

    def comment_text(self) -> str:
        return self.comment.toPlainText()

    def set_error(self, message: str | None) -> None:
        self.error.show_message(message)
        if self.editor is not None and isinstance(self.editor, NumberEditor):
            mark_invalid(self.editor.edit, bool(message))

    def show_label(self, text: str) -> None:
        """The label with its placeholders filled in (``${key}`` -> that item's answer)."""
        shown = text + (" *" if self.item.required else "")
        if self.label.text() != shown:
            self.label.setText(shown)
            self.setAccessibleName(text)

    def set_flag(self, explanation: str | None) -> None:
        flagged = explanation is not None
        self.flag_explanation = explanation
        self.flag_text.setText(_("Flagged: {explanation}").format(explanation=explanation) if flagged else "")
        self.flag_box.setVisible(flagged)
        self.setAccessibleDescription(_("Flagged: {explanation}").format(explanation=explanation) if flagged else "")
        if bool(self.property("flagged")) != flagged:
            self.setProperty("flagged", flagged)
            repolish(self)

    def set_current(self, current: bool) -> None:
        if bool(self.property("current")) != current:
            self.setProperty("current", current)
            repolish(self)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.editor is not None:
            self.editor.set_read_only(read_only)
        self.comment.setReadOnly(read_only)
        if read_only and not self.comment.toPlainText().strip():
            self.comment_button.setVisible(False)
            self.comment.hide()

    def toggle_help(self) -> None:
        if self.help_button.isVisible():
            self.help_button.toggle()

    def inputs(self) -> list[QWidget]:
        return self.editor.inputs() if self.editor is not None else []

    def focus_input(self) -> None:
        """Put the keyboard focus on the answer (the checked radio button if any)."""
        widgets = [w for w in self.inputs() if w.isEnabled()]
        checked = [w for w in widgets if isinstance(w, QRadioButton) and w.isChecked()]
        target = (checked or widgets or [self.help_button if self.help_button.isVisible() else self])[0]
        target.setFocus(Qt.FocusReason.OtherFocusReason)

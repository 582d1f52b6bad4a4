"""Small reusable input widgets: locale-aware numbers and money, a date that may be empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollBar,
    QWidget,
)

from app.domain.facts import CURRENCIES, choice_label
from app.enums import Language
from app.i18n import NumberParseError, _, format_decimal, get_language, parse_decimal, sort_key
from ui.shortcuts import unique_shortcuts  # noqa: F401  (where the views have always found it)
from ui.style import fit_to_screen as fit_to_screen  # where the windows have always found it
from ui.style import repolish

_QT_LOCALES: dict[str, str] = {Language.EN: "en_GB", Language.SV: "sv_SE", Language.FR: "fr_FR"}


def qt_locale() -> QLocale:
    """The QLocale matching the active language (calendar and date format)."""
    return QLocale(_QT_LOCALES.get(get_language(), "en_GB"))


VALUE_WIDGETS = (QAbstractSpinBox, QComboBox, QAbstractSlider)  # spin/date/time edits, combos, sliders (not scroll bars)


class _WheelGuard(QObject):
    """Lets the mouse wheel change a value only when the widget has the keyboard focus.

    Over an unfocused input the wheel scrolls the page instead: the event is handed to the
    parents, as Qt would do with an ignored event (Qt does not propagate non-spontaneous ones,
    so it is done here for both kinds)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        assert isinstance(event, QWheelEvent)
        parent = watched.parentWidget()
        while parent is not None:
            copy = QWheelEvent(parent.mapFromGlobal(event.globalPosition()), event.globalPosition(),
                               event.pixelDelta(), event.angleDelta(), event.buttons(), event.modifiers(),
                               event.phase(), event.inverted(), event.source())
            copy.accept()
            QApplication.sendEvent(parent, copy)
            if copy.isAccepted():
                break
            parent = parent.parentWidget()
        event.accept()
        return True


_WHEEL_GUARD: _WheelGuard | None = None


def guard_wheel(*widgets: QWidget) -> None:
    """Stop the mouse wheel from changing values by accident (issue 10, item 1).

    Applies to each widget given that is a value widget (combo box, spin box, date edit,
    slider, ...) and to every such widget inside it: the focus policy becomes StrongFocus
    (the wheel no longer takes the focus) and a wheel over an unfocused one scrolls the page.
    Call it on a container after building it, or on single widgets added later."""
    global _WHEEL_GUARD
    if _WHEEL_GUARD is None:
        _WHEEL_GUARD = _WheelGuard(QApplication.instance())
    for root in widgets:
        if isinstance(root, VALUE_WIDGETS):  # Qt's value widgets hold none inside (and searching
            targets = [root]                  # a combo box wraps its popup's parts: ~5 ms at start-up)
        else:
            targets = [widget for kind in VALUE_WIDGETS for widget in root.findChildren(kind)]
        for widget in targets:
            if isinstance(widget, QScrollBar) or widget.property("wheelGuarded"):
                continue
            widget.setProperty("wheelGuarded", True)
            if widget.focusPolicy() & Qt.FocusPolicy.WheelFocus == Qt.FocusPolicy.WheelFocus:
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(_WHEEL_GUARD)


def nothing_imported(file: str) -> str:
    """The first line of every import error: the user must know no half of the file got in."""
    from pathlib import Path

    return _("Nothing was imported from {file}; nothing in the database changed.").format(file=Path(file).name)


def show_import_error(parent: QWidget, title: str, file: str, details: str) -> None:
    """An import failed: say that nothing was imported, then why (modal, like every error box)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, nothing_imported(file), QMessageBox.StandardButton.Ok, parent)
    box.setInformativeText(details)
    box.exec()


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(parent: QWidget | None = None) -> QDateEdit:
    """A QDateEdit with a calendar popup in the locale's short format."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setLocale(qt_locale())
    edit.setDisplayFormat(qt_locale().dateFormat(QLocale.FormatType.ShortFormat).replace("yy", "yyyy")
                          .replace("yyyyyyyy", "yyyy"))
    edit.setDate(QDate.currentDate())
    guard_wheel(edit)
    return edit


class ErrorLabel(QLabel):
    """An inline validation message shown under its field (hidden when empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))
        self.setAccessibleName(message or "")


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    if bool(widget.property("invalid")) != invalid:
        widget.setProperty("invalid", invalid)
        repolish(widget)


class NumberEdit(QLineEdit):
    """A number typed in the locale's format ("1 234,50" in Swedish); ``value()`` parses it."""

    def __init__(self, parent: QWidget | None = None, *, integer: bool = False) -> None:
        super().__init__(parent)
        self.integer = integer
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        example = format_decimal(Decimal("1234") if integer else Decimal("1234.5"))
        self.setPlaceholderText(_("e.g. {example}").format(example=example))
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 14)
        self.editingFinished.connect(self._reformat)

    def _reformat(self) -> None:
        """Show the number as it is shown when the case is opened again ("8500" -> "8 500")."""
        try:
            number = self.value()
        except NumberParseError:
            return  # the inline error says what is wrong; the text stays as typed
        if number is not None and self.text() != format_decimal(number):
            blocked = self.blockSignals(True)  # the value is the same: no edit to save
            try:
                self.setText(format_decimal(number))
            finally:
                self.blockSignals(blocked)

    def _update_clear_button(self) -> None:
        self.setClearButtonEnabled(self.isEnabled() and not self.isReadOnly())

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 (Qt naming)
        super().setReadOnly(read_only)
        self._update_clear_button()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt naming)
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self._update_clear_button()

    def value(self) -> Decimal | None:
        """The number, ``None`` when empty; raises NumberParseError with a translated message."""
        text = self.text().strip()
        if not text:
            return None
        number = parse_decimal(text)
        if self.integer and number != number.to_integral_value():
            raise NumberParseError(_("Enter a whole number."))
        return number

    def set_value(self, value: Decimal | int | str | None) -> None:
        self.setText(format_decimal(value) if value not in (None, "") else "")

    def problem(self) -> str | None:
        try:
            self.value()
        except NumberParseError as exc:
            return str(exc)
        return None


def choice_combo(fact: str, values: tuple[str, ...], empty: str, sort: bool = False) -> QComboBox:
    """A combo box of a choice fact's values, shown by their translated labels ("Other" last when
    sorted), with ``empty`` (data None) first."""
    combo = QComboBox()
    combo.addItem(empty, None)
    labelled = [(choice_label(fact, v), v) for v in values]
    if sort:
        other = [lv for lv in labelled if lv[1] == "other"]
        labelled = sorted((lv for lv in labelled if lv[1] != "other"), key=lambda lv: sort_key(lv[0])) + other
    for label, value in labelled:
        combo.addItem(label, value)
    guard_wheel(combo)
    return combo


def tri_state_combo() -> QComboBox:
    """Yes / No / Not recorded (data True / False / None), for a yes-no fact that may be unknown."""
    combo = QComboBox()
    combo.addItem(_("Not recorded"), None)
    combo.addItem(_("Yes"), True)
    combo.addItem(_("No"), False)
    guard_wheel(combo)
    return combo


def select_data(combo: QComboBox, value: Any) -> None:
    """Select the entry whose data is ``value`` (the first entry when there is none)."""
    for n in range(combo.count()):
        if combo.itemData(n) == value:
            combo.setCurrentIndex(n)
            return
    combo.setCurrentIndex(0)


def currency_combo(parent: QWidget | None = None) -> QComboBox:
    combo = QComboBox(parent)
    for code in CURRENCIES:
        combo.addItem(code, code)
    guard_wheel(combo)
    return combo


class OptionalDateEdit(QWidget):
    """A date with a calendar, or no date at all ("No date" ticked)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, none_text: str | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = date_edit(self)
        self.none = QCheckBox(none_text or _("No date"), self)
        layout.addWidget(self.edit)
        layout.addWidget(self.none)
        layout.addStretch(1)
        self.none.setChecked(True)
        self.edit.setEnabled(False)
        self.none.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.setFocusProxy(self.edit)

    def _toggled(self, checked: bool) -> None:
        self.edit.setEnabled(not checked)
        if not checked:
            self.edit.setFocus()
        self.changed.emit()

    def value(self) -> date | None:
        return None if self.none.isChecked() else from_qdate(self.edit.date())

    def set_value(self, value: date | None) -> None:
        blocked = self.blockSignals(True)
        try:
            self.none.setChecked(value is None)
            self.edit.setEnabled(value is not None)
            if value is not None:
                self.edit.setDate(to_qdate(value))
        finally:
            self.blockSignals(blocked)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt naming)
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)
        self.none.setAccessibleName(_("{label}: no date").format(label=name))

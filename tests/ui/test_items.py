"""The widget of each item type on its own: values in and out, clearing, read-only."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from app.domain.template import parse_template
from ui.items import ChoiceEditor, ComboEditor, InputError, ItemWidget


def _content():
    options = [{"value": f"o{n}", "label": {"en": f"Option {n}"}} for n in range(8)]
    return parse_template({
        "format": "likvard-template/1", "key": "widgets", "default_language": "en", "languages": ["en"],
        "title": {"en": "Widgets"},
        "sections": [{"key": "s", "title": {"en": "S"}, "items": [
            {"key": "many", "type": "single_choice", "label": {"en": "Many options"}, "options": options},
            {"key": "scale", "type": "scale", "label": {"en": "Scale"}},
            {"key": "when", "type": "date", "label": {"en": "When"}},
            {"key": "note", "type": "note", "label": {"en": "Read this first."}, "guidance": {"en": "Details."}},
            {"key": "amount", "type": "money", "label": {"en": "Amount"}, "min": 0},
            {"key": "count", "type": "integer", "label": {"en": "Count"}},
        ]}],
    })


@pytest.fixture
def content():
    return _content()


def _widget(qtbot, content, key):
    widget = ItemWidget(content.item(key), content, "en", "EUR")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_many_options_use_a_combo_box(qtbot, content):
    widget = _widget(qtbot, content, "many")
    assert isinstance(widget.editor, ComboEditor)
    edits = []
    widget.edited.connect(edits.append)
    widget.editor.combo.setCurrentIndex(widget.editor.combo.findData("o5"))
    assert widget.value() == "o5" and edits == ["many"]
    widget.editor.combo.setCurrentIndex(0)
    assert widget.value() is None


def test_scale_radios_and_clear(qtbot, content):
    widget = _widget(qtbot, content, "scale")
    assert isinstance(widget.editor, ChoiceEditor)
    assert list(widget.editor.buttons) == ["1", "2", "3", "4", "5"]
    widget.editor.buttons["3"].click()
    assert widget.value() == 3
    assert widget.editor.clear_button.isEnabled()
    widget.editor.clear_button.click()
    assert widget.value() is None
    widget.load(5, "")
    assert widget.editor.buttons["5"].isChecked()


def test_date_with_no_date(qtbot, content):
    widget = _widget(qtbot, content, "when")
    assert widget.value() is None
    assert not widget.editor.date.edit.isEnabled()
    widget.editor.date.none.setChecked(False)
    widget.editor.date.edit.setDate(QDate(2026, 2, 3))
    assert widget.value() == "2026-02-03"
    widget.load("2025-12-24", "")
    assert widget.editor.date.value() == date(2025, 12, 24)
    widget.load(None, "")
    assert widget.value() is None


def test_note_shows_guidance_without_an_answer(qtbot, content):
    widget = _widget(qtbot, content, "note")
    assert widget.editor is None
    assert widget.inputs() == []
    assert widget.guidance.isVisible() and widget.guidance.text() == "Details."
    assert not widget.comment_button.isVisible()


def test_money_keeps_its_currency_and_bad_numbers_raise(qtbot, content):
    widget = _widget(qtbot, content, "amount")
    assert widget.editor.currency.currentData() == "EUR"  # the case's currency by default
    widget.editor.edit.setText("12.5")
    assert widget.value() == {"amount": "12.5", "currency": "EUR"}
    widget.editor.edit.setText("twelve")
    with pytest.raises(InputError):
        widget.value()
    widget.load({"amount": "99.00", "currency": "SEK"}, "note")
    assert widget.editor.currency.currentData() == "SEK"
    assert widget.comment.isVisible() and widget.comment_text() == "note"
    count = _widget(qtbot, content, "count")
    count.editor.edit.setText("2.5")
    with pytest.raises(InputError):
        count.value()


def test_read_only_disables_every_input(qtbot, content):
    for key in ("many", "scale", "when", "amount"):
        widget = _widget(qtbot, content, key)
        widget.set_read_only(True)
        assert all(not w.isEnabled() for w in widget.inputs() if w.isVisibleTo(widget)), key
        assert widget.comment.isReadOnly()


def test_a_money_field_is_formatted_when_editing_finishes_and_read_only_has_no_clear_button(qtbot, content):
    from decimal import Decimal

    from PySide6.QtCore import Qt

    from app import i18n

    i18n.set_language("sv")
    widget = _widget(qtbot, content, "amount")
    edits = []
    widget.edited.connect(edits.append)
    edit = widget.editor.edit
    qtbot.keyClicks(edit, "8500")
    assert edit.text() == "8500"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == i18n.format_decimal(Decimal(8500)) == "8\u00a0500"
    assert widget.value() == {"amount": "8500", "currency": "EUR"}
    count = len(edits)
    qtbot.keyClicks(edit, ",5")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "8\u00a0500,5" and len(edits) == count + 2  # two keystrokes, no edit from the format
    qtbot.keyClicks(edit, "x")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "8\u00a0500,5x"  # unreadable input stays as typed (the inline error explains)
    assert edit.isClearButtonEnabled()
    widget.set_read_only(True)
    assert not edit.isClearButtonEnabled()
    widget.set_read_only(False)
    assert edit.isClearButtonEnabled()
    edit.setReadOnly(True)
    assert not edit.isClearButtonEnabled()

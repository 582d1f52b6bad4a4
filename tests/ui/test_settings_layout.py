"""Settings: no literal "&" on screen and the dialog fits a 1366×768 laptop (issue 10, item 6)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget


def _shown_ampersands(dialog) -> list[str]:
    """Texts that show a lone "&": a QLabel renders it literally unless it has a buddy (then it is the
    mnemonic); buttons, group boxes and tabs always take "&x" as a mnemonic and "&&" as a literal "&"."""
    found = []
    for label in dialog.findChildren(QLabel):
        text = label.text().replace("&&", "")
        if "&" in text and label.buddy() is None and label.textFormat() != label.textFormat().RichText:
            found.append(label.text())
    for widget in [*dialog.findChildren(QAbstractButton), *dialog.findChildren(QGroupBox)]:
        text = (widget.text() if isinstance(widget, QAbstractButton) else widget.title()).replace("&&", "")
        if text.endswith("&"):
            found.append(text)
    for tabs in dialog.findChildren(QTabWidget):
        found += [tabs.tabText(n) for n in range(tabs.count()) if tabs.tabText(n).replace("&&", "").endswith("&")]
    return found


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_settings_show_no_literal_ampersand_and_fit_a_laptop_screen(qtbot, services, styled_app, lang, tmp_path):
    from app import i18n
    from ui.settings_dialog import SettingsDialog

    i18n.set_language(lang)
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _shown_ampersands(dialog) == []
    assert dialog.sizeHint().height() <= 700, dialog.sizeHint()
    dialog.resize(dialog.sizeHint())
    dialog.grab().save(str(tmp_path / f"settings-{lang}.png"))

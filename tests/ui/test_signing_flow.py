"""From the main window: draw a signature, sign and export, amend, revisions, templates, language switch."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.pdf.conftest import PASSWORD, drawing, fill_case
from tests.ui.conftest import reactivate, when_modal


def test_draw_sign_amend_and_revisions(qtbot, window, services, all_types_version, identity, tmp_path):
    from ui.pdf import ExportPdfDialog, RevisionsDialog, SignatureDialog

    aid = fill_case(services, all_types_version, with_drawing=False)
    window.list_page.refresh()
    view = window.open_case(aid)
    assert view.signature_button.isVisible() and not view.amend_button.isVisible()
    assert window.act_sign_pdf.isEnabled() and not window.act_amend.isEnabled()

    failures: list[BaseException] = []

    def draw(dialog):
        assert isinstance(dialog, SignatureDialog)
        dialog.pad.set_drawing(drawing())
        dialog.pad.changed.emit()
        assert dialog.clear_button.isEnabled()
        dialog.save()

    when_modal(SignatureDialog, draw, failures)
    window.act_signature.trigger()
    assert not failures, failures
    reactivate(qtbot, window)
    assert services.assessments.get(aid).signature_drawing is not None

    out = tmp_path / "signed.pdf"

    def sign(dialog):
        assert isinstance(dialog, ExportPdfDialog) and dialog.sign.isChecked()
        dialog.path.setText(str(out))
        dialog.open_after.setChecked(False)
        dialog.password.setText(PASSWORD)
        dialog.export()

    when_modal(ExportPdfDialog, sign, failures)
    window.act_sign_pdf.trigger()
    assert not failures, failures
    reactivate(qtbot, window)
    assert out.exists()
    assert window.filling.record.status == "signed"
    assert window.filling.amend_button.isVisible() and not window.filling.signature_button.isVisible()
    assert "Signed by" in window.filling.done_text.text()
    assert window.act_amend.isEnabled()

    when_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click(), failures)
    window.act_amend.trigger()
    assert not failures, failures
    reactivate(qtbot, window)
    amended = window.filling.record
    assert amended.revision == 2 and amended.status == "draft" and amended.amends_id == aid
    assert amended.answers == services.assessments.get(aid).answers
    assert "Revision 2" in window.filling.done_text.text()
    assert services.assessments.get(aid).status == "signed"  # the original stays signed

    def pick_first(dialog):
        assert isinstance(dialog, RevisionsDialog)
        assert dialog.list.topLevelItemCount() == 2
        dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Open).click()

    when_modal(RevisionsDialog, pick_first, failures)
    window.filling.revisions_button.click()
    assert not failures, failures
    reactivate(qtbot, window)
    assert window.filling.record.id == aid


def test_templates_window_from_the_menu(qtbot, window):
    window.act_templates.trigger()
    manager = window.template_manager
    qtbot.addWidget(manager)
    assert manager.isVisible() and manager.versions.topLevelItemCount() >= 1
    manager.close()


def test_language_switch_keeps_the_open_case_and_its_answers(qtbot, window, services, all_types_version):
    from app import i18n

    aid = fill_case(services, all_types_version, complete=False)
    window.list_page.refresh()
    view = window.open_case(aid)
    view.select_section(1)
    view.items["summary"].editor.edit.setText("Unsaved until the switch")  # autosave still pending
    try:
        successor = window.switch_language("sv")
        qtbot.addWidget(successor)
        assert successor is not window and not window.isVisible()
        qtbot.waitUntil(lambda: successor.filling is not None, timeout=3000)  # reopened after it is shown
        assert successor.filling is not None and successor.filling.record.id == aid
        assert services.assessments.get(aid).answers["summary"] == "Unsaved until the switch"
        assert successor.act_new.text() == i18n.translate_in("sv", "&New case…")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Avbryt"  # Qt's own catalog
        successor.filling.flush()
    finally:
        i18n.set_language("en")
        from PySide6.QtWidgets import QApplication

        from ui.app import install_qt_translations

        install_qt_translations(QApplication.instance(), "en")

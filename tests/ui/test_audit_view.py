"""The audit log window, the red banner and the case-list mark of a signed record changed
outside Likvärd (issue 13)."""

from __future__ import annotations

import csv
import sqlite3

from PySide6.QtWidgets import QApplication

from app.storage.models import AssessmentRow
from tests.pdf.conftest import fill_case
from ui.audit_view import AuditDialog
from ui.case_model import COLUMNS


def _tamper(services, aid):
    conn = sqlite3.connect(services.db.path)
    conn.execute("update answers set value = '\"no\"' where assessment_id = ? and item_key = 'family_asked'",
                 (aid.hex,))
    conn.commit()
    conn.close()


def test_a_signed_case_changed_outside_the_app_shows_a_red_banner_and_is_marked_in_the_list(
        window, services, all_types_version, qtbot, tmp_path):
    aid = fill_case(services, all_types_version)
    services.records.sign(aid, "Åsa Lindström")
    view = window.open_case(aid)
    assert view is not None and view.tamper_banner.isHidden()
    window.show_list()
    _tamper(services, aid)
    view = window.open_case(aid)
    assert view.tamper_banner.isVisible()
    assert "changed outside Likvärd" in view.tamper_text.text()
    view.grab().save(str(tmp_path / "banner.png"))
    window.show_list()
    model = window.list_page.model
    model.refresh()
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    row = model.row_of(aid)
    status = [n for n, c in enumerate(COLUMNS) if c[0] == "status"][0]
    assert "changed outside Likvärd" in model.data(model.index(row, status))


def test_a_signed_case_changed_with_its_hash_recomputed_is_marked_too(window, services, all_types_version, qtbot,
                                                                        tmp_path):
    """The signed hash recomputed after the change (a plain SHA-256): the banner and the list's mark
    still show it, from the hash its sign event recorded."""
    from app.exchange.assessment_format import content_hash

    aid = fill_case(services, all_types_version)
    services.records.sign(aid, "Åsa Lindström")
    _tamper(services, aid)
    forged = content_hash(services.assessments.get(aid))
    conn = sqlite3.connect(services.db.path)
    conn.execute("update assessments set signed_hash = ? where id = ?", (forged, aid.hex))
    conn.commit()
    conn.close()
    view = window.open_case(aid)
    assert view is not None and view.tamper_banner.isVisible()
    view.grab().save(str(tmp_path / "banner.png"))
    window.show_list()
    model = window.list_page.model
    model.refresh()
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    status = [n for n, c in enumerate(COLUMNS) if c[0] == "status"][0]
    assert "changed outside Likvärd" in model.data(model.index(model.row_of(aid), status))
    window.list_page.grab().save("/tmp/h46/list_recomputed.png")


def test_the_audit_log_window_lists_filters_verifies_and_exports(window, services, all_types_version, qtbot,
                                                                 tmp_path):
    aid = fill_case(services, all_types_version)
    services.assessments.get(aid)
    services.records.sign(aid, "Åsa Lindström")
    window.act_audit.trigger()
    dialog = window.audit_dialog
    assert isinstance(dialog, AuditDialog)
    qtbot.waitExposed(dialog)
    total = dialog.model.rowCount()
    assert total >= 5
    whats = {dialog.model.data(dialog.model.index(r, 3)) for r in range(total)}
    assert {"Case created", "Answers changed", "Case signed"} <= whats
    changes = [dialog.model.data(dialog.model.index(r, 5)) for r in range(total)]
    assert any("family_asked: \u2013 \u2192 yes" in c for c in changes)
    dialog.kind.setCurrentIndex(dialog.kind.findData("assessment.signed"))
    assert dialog.model.rowCount() == 1
    dialog.kind.setCurrentIndex(0)
    dialog.text.setText("signed")
    assert 1 <= dialog.model.rowCount() < total
    dialog.text.clear()
    dialog.verify_button.click()
    assert "intact" in dialog.verdict.text()
    dialog.export_csv(str(tmp_path / "log.csv"))
    assert len(list(csv.reader((tmp_path / "log.csv").read_text("utf-8-sig").splitlines()))) == total + 1
    for widget in (dialog.kind, dialog.actor, dialog.since, dialog.until, dialog.text, dialog.table):
        assert widget.accessibleName()
    dialog.resize(1100, 520)
    QApplication.processEvents()
    dialog.grab().save(str(tmp_path / "audit.png"))
    dialog.close()

    # per case, and a broken log said as such
    with services.db.session() as s:
        reference = s.get(AssessmentRow, aid).case_reference
    window.open_case(aid)
    window.act_case_audit.trigger()
    case_dialog = window.audit_dialog
    assert case_dialog.assessment_id == aid and reference in case_dialog.windowTitle()
    assert 0 < case_dialog.model.rowCount() < total
    conn = sqlite3.connect(services.db.path)
    conn.execute("delete from events where seq = 2")
    conn.commit()
    conn.close()
    case_dialog.verify_button.click()
    assert "broken at entry 3" in case_dialog.verdict.text()
    case_dialog.close()

"""A fresh draft shows "No score yet", never a score, until an item counting towards it is answered."""

from __future__ import annotations

from app.domain.facts import CaseFacts


def test_a_fresh_draft_shows_no_score_yet(qtbot, window, services, all_types_version):
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="SC-1"))
    view = window.open_case(case_id)
    assert view.score_label.text() == "No score yet"
    view.items["family_asked"].editor.buttons["no"].click()
    view.flush()
    assert view.score_label.text().startswith("Score 100")

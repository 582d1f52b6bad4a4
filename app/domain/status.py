"""The names of assessment statuses (kept apart from the evaluation: the case list's first screen
imports only this)."""

from __future__ import annotations

from app.enums import AssessmentStatus
from app.i18n import N_, _

STATUS_LABELS: dict[str, str] = {AssessmentStatus.DRAFT: N_("Draft"), AssessmentStatus.COMPLETED: N_("Completed"), AssessmentStatus.SIGNED: N_("Signed")}


def status_label(status: str) -> str:
    """The translated name of an assessment status."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status

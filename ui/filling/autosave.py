"""Autosave of the filling view: changed answers and comments stored in one transaction after a
short pause, off the UI thread, retried while the database is busy; and the question asked when
the window closes with changes the database did not take."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import AnswerError, DatabaseBusyError, LikvardError, LockedAssessmentError
from app.i18n import _, ngettext
from app.services import Services
from app.services.assessments import AssessmentRecord
from ui import tasks

AUTOSAVE_DELAY_MS = 400
#: Waits between attempts while the database stays locked (each attempt itself waits the busy timeout).
RETRY_DELAYS_MS = (500, 1000, 2000, 4000, 8000, 15000)


class Autosaver(QObject):
    """Collects changed answers and comments; stores them in one transaction after a short pause.

    Storing runs off the UI thread (ui/tasks.py). A pending answer is forgotten only once a commit
    that holds it has returned: a locked database (another program writing) is retried with
    backoff and the view says so. ``flush()`` stores at once on the calling thread (completing,
    exporting), ``save_in_background(then)`` stores without blocking and calls ``then(ok)``.
    ``state`` is "saved", "pending", "retrying" (busy) or "error"; ``changed`` fires whenever it
    or the saved time changes.
    """

    changed = Signal()
    stored = Signal(object)  # the AssessmentRecord returned by the service

    def __init__(self, services: Services, assessment_id: uuid.UUID, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.assessment_id = assessment_id
        self.values: dict[str, Any] = {}
        self.comments: dict[str, str] = {}
        self.state = "saved"
        self.saved_at: datetime | None = None
        self.error = ""
        self.saves = 0
        self.failures = 0  # consecutive failed attempts: the backoff step
        self.saving = False  # a background store is under way
        self._waiters: list[Callable[[bool], None]] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_DELAY_MS)
        self.timer.timeout.connect(self.save_in_background)

    @property
    def pending(self) -> bool:
        return bool(self.values or self.comments)

    @property
    def unsaved(self) -> bool:
        """Something typed is not yet known to be committed."""
        return self.pending or self.saving

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value
        self._schedule()

    def set_comment(self, key: str, comment: str) -> None:
        self.comments[key] = comment
        self._schedule()

    def discard(self, key: str) -> None:
        """Forget a pending value that turned out to be invalid."""
        self.values.pop(key, None)
        if not self.pending and self.state == "pending":
            self.state = "saved"
            self.changed.emit()

    def _schedule(self) -> None:
        if self.state != "retrying":  # while retrying the next attempt takes the new answer too
            self.state = "pending"
            self.timer.start(AUTOSAVE_DELAY_MS)
        self.changed.emit()

    def _store(self, values: dict[str, Any], comments: dict[str, str]) -> AssessmentRecord:
        return self.services.assessments.set_answers(self.assessment_id, values, dict(comments))

    def _settle(self, values: dict[str, Any], comments: dict[str, str], record: AssessmentRecord) -> None:
        """A commit holding ``values``/``comments`` returned: forget those not changed again since."""
        for key, value in values.items():
            if key in self.values and self.values[key] == value:
                del self.values[key]
        for key, comment in comments.items():
            if key in self.comments and self.comments[key] == comment:
                del self.comments[key]
        self.saves += 1
        self.failures = 0
        self.saved_at = datetime.now()
        self.error = ""
        self.state = "pending" if self.pending else "saved"
        self.changed.emit()
        self.stored.emit(record)

    def _failed(self, exc: BaseException) -> None:
        """Keep everything pending; retry a busy database with backoff, show any other error."""
        self.failures += 1
        if isinstance(exc, DatabaseBusyError):
            self.state = "retrying"
            self.error = exc.message
            delay = RETRY_DELAYS_MS[min(self.failures, len(RETRY_DELAYS_MS)) - 1]
            self.timer.start(delay)
        else:
            self.state = "error"
            self.error = exc.message if isinstance(exc, LikvardError) else str(exc)
            if not isinstance(exc, AnswerError | LockedAssessmentError):
                delay = RETRY_DELAYS_MS[min(self.failures, len(RETRY_DELAYS_MS)) - 1]
                self.timer.start(delay)
        self.changed.emit()

    def save_in_background(self, then: Callable[[bool], None] | None = None) -> None:
        """Store what is pending without blocking the UI; ``then(ok)`` is called when it is known."""
        self.timer.stop()
        if then is not None:
            self._waiters.append(then)
        if self.saving:
            return  # the running store calls us again when it finishes
        if not self.pending:
            self._notify(self.state != "error" and self.state != "retrying")
            return
        values, comments = dict(self.values), dict(self.comments)
        self.saving = True

        def done(record: AssessmentRecord) -> None:
            if not shiboken6.isValid(self):
                return  # the view was closed meanwhile (its close stored everything first)
            self.saving = False
            self._settle(values, comments, record)
            self._after_attempt(True)

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.saving = False
            self._failed(exc)
            self._after_attempt(False)

        tasks.run_in_background(lambda: self._store(values, comments), on_done=done, on_error=failed)

    def _after_attempt(self, ok: bool) -> None:
        if ok and self.pending and self._waiters:
            self.save_in_background()  # answers typed during the store: the waiters want them too
            return
        if ok and self.pending and not self.timer.isActive():
            self.timer.start(AUTOSAVE_DELAY_MS)
        self._notify(ok and not self.pending)

    def _notify(self, ok: bool) -> None:
        waiters, self._waiters = self._waiters, []
        for then in waiters:
            then(ok)

    def flush(self) -> bool:
        """Store what is pending now, on this thread. Returns False if storing failed (kept pending)."""
        self.timer.stop()
        if not self.pending:
            return self.state not in ("error", "retrying")
        values, comments = dict(self.values), dict(self.comments)
        try:
            record = self._store(values, comments)
        except Exception as exc:  # anything: the answers stay pending and the view says why
            self._failed(exc)
            return False
        self._settle(values, comments, record)
        return True


def ask_unsaved_on_close(parent: QWidget, saver: Autosaver) -> str:
    """Closing with answers the database did not take: "retry", "discard" (after a second,
    explicit warning) or "cancel"."""
    count = len(set(saver.values) | set(saver.comments))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setObjectName("unsaved_on_close")
    box.setWindowTitle(_("Unsaved changes"))
    box.setText(ngettext("One change is not saved: {error}", "{count} changes are not saved: {error}", count)
                .format(count=count, error=saver.error))
    retry = box.addButton(_("Try again"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Close without saving\u2026"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.exec()
    clicked = box.clickedButton()
    if clicked is retry:
        return "retry"
    if clicked is not discard:
        return "cancel"
    sure = QMessageBox(parent)
    sure.setIcon(QMessageBox.Icon.Critical)
    sure.setObjectName("confirm_discard")
    sure.setWindowTitle(_("Close without saving"))
    sure.setText(ngettext("The unsaved change will be lost for good. Close anyway?",
                          "The {count} unsaved changes will be lost for good. Close anyway?", count).format(count=count))
    lose = sure.addButton(_("Close and lose them"), QMessageBox.ButtonRole.DestructiveRole)
    keep = sure.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    sure.setDefaultButton(keep)
    sure.exec()
    return "discard" if sure.clickedButton() is lose else "cancel"



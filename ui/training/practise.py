"""Practise: pick an exercise, answer it beside its vignette (the filling view), submit, debrief."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _, get_language, ngettext
from app.services import Services
from ui.training.common import KeyRole, save_certificate
from ui.training.debrief import DebriefView
from ui.widgets import guard_wheel

SUBMIT_SHORTCUT = "Ctrl+Return"


class PractisePage(QWidget):
    """Pick an exercise, answer it beside its vignette, submit, read the debrief."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.attempt_id: uuid.UUID | None = None
        self.filling: Any = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self._build_picker()
        self._build_session()
        self.debrief_view = DebriefView()
        self.debrief_view.back.connect(self.show_picker)
        self.debrief_view.certificate_requested.connect(self.save_certificate)
        self.stack.addWidget(self.debrief_view)
        self.refresh()

    def _build_picker(self) -> None:
        picker = QWidget()
        p_layout = QVBoxLayout(picker)
        intro = QLabel(_("Read the story of a client meeting and answer the checklist as if you had been the "
                         "advisor. When you submit, you see where your judgement differs from the trainer's "
                         "and why. Training answers never count as cases."))
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        p_layout.addWidget(intro)
        name_row = QHBoxLayout()
        name_label = QLabel(_("Your &name"))
        name_row.addWidget(name_label)
        self.trainee = QLineEdit(self.services.settings.name or self.services.actor)
        self.trainee.setAccessibleName(_("Trainee's name"))
        name_label.setBuddy(self.trainee)
        name_row.addWidget(self.trainee, 1)
        p_layout.addLayout(name_row)
        list_label = QLabel(_("&Exercises"))
        p_layout.addWidget(list_label)
        self.exercises = QListWidget()
        self.exercises.setObjectName("exerciseList")
        self.exercises.setAccessibleName(_("Exercises"))
        self.exercises.setAccessibleDescription(_("Enter starts the exercise"))
        self.exercises.itemActivated.connect(lambda _i: self.start())
        list_label.setBuddy(self.exercises)
        p_layout.addWidget(self.exercises, 1)
        start_row = QHBoxLayout()
        start_row.addStretch(1)
        self.start_button = QPushButton(_("&Start the exercise"))
        self.start_button.setProperty("primary", True)
        self.start_button.clicked.connect(self.start)
        start_row.addWidget(self.start_button)
        p_layout.addLayout(start_row)
        self.picker = picker
        self.stack.addWidget(picker)

    def _build_session(self) -> None:
        self.session = QWidget()
        s_layout = QVBoxLayout(self.session)
        s_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        self.session_back = QPushButton(_("&Back to the exercises"))
        self.session_back.setToolTip(_("Your answers so far stay saved; the exercise resumes later"))
        self.session_back.clicked.connect(self.leave_session)
        bar.addWidget(self.session_back)
        bar.addStretch(1)
        self.submit_button = QPushButton(_("S&ubmit"))
        self.submit_button.setProperty("primary", True)
        shortcut = QKeySequence(SUBMIT_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        self.submit_button.setToolTip(_("Hand in your answers and see the debrief ({shortcut})").format(
            shortcut=shortcut))
        self.submit_button.clicked.connect(lambda: self.submit())
        bar.addWidget(self.submit_button)
        s_layout.addLayout(bar)
        for keys, slot in ((SUBMIT_SHORTCUT, lambda: self.submit()),
                           ("Ctrl+Enter", lambda: self.submit()),
                           ("Alt+Right", lambda: self._section(1)), ("Ctrl+PgDown", lambda: self._section(1)),
                           ("Alt+Left", lambda: self._section(-1)), ("Ctrl+PgUp", lambda: self._section(-1))):
            action = QShortcut(QKeySequence(keys), self.session)
            action.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.activated.connect(slot)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.vignette = QTextBrowser()
        self.vignette.setObjectName("vignette")
        self.vignette.setAccessibleName(_("The story of the meeting"))
        self.vignette.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        self.splitter.addWidget(self.vignette)
        self.filling_holder = QWidget()
        self.filling_layout = QVBoxLayout(self.filling_holder)
        self.filling_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(self.filling_holder)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        s_layout.addWidget(self.splitter, 1)
        self.stack.addWidget(self.session)

    def focus_target(self) -> QWidget:
        """Where the keyboard starts on the page shown: the list, the story, or the debrief."""
        current = self.stack.currentWidget()
        if current is self.session:
            return self.vignette
        if current is self.debrief_view:
            return self.debrief_view.table
        return self.exercises

    def _section(self, step: int) -> None:
        if self.filling is not None:
            if step > 0:
                self.filling.next_section()
            else:
                self.filling.previous_section()

    def refresh(self) -> None:
        current = self.exercises.currentItem().data(KeyRole) if self.exercises.currentItem() else None
        self.exercises.clear()
        for info in self.services.exercises.list():
            entry = QListWidgetItem(info.title)
            entry.setData(KeyRole, info.key)
            entry.setToolTip(f"{info.key} \u2014 {info.template_key}@{info.template_version}")
            self.exercises.addItem(entry)
            if info.key == current:
                self.exercises.setCurrentItem(entry)
        if self.exercises.currentRow() < 0 and self.exercises.count():
            self.exercises.setCurrentRow(0)

    def select(self, key: str) -> None:
        for n in range(self.exercises.count()):
            entry = self.exercises.item(n)
            if entry is not None and entry.data(KeyRole) == key:
                self.exercises.setCurrentRow(n)

    def start(self) -> None:
        from ui.filling import FillingView

        entry = self.exercises.currentItem()
        if entry is None:
            return
        name = self.trainee.text().strip()
        if not name:
            QMessageBox.information(self, _("Training"), _("Enter your name: it goes on your certificate."))
            self.trainee.setFocus()
            return
        key = entry.data(KeyRole)
        try:
            attempt = self.services.exercises.start(key, name)
        except LikvardError as exc:
            QMessageBox.warning(self, _("Training"), exc.message)
            return
        self.attempt_id = attempt.id
        exercise = self.services.exercises.get(key)
        lang = get_language()
        self.vignette.setMarkdown(f"## {exercise.title_in(lang)}\n\n{exercise.vignette_in(lang)}")
        record = self.services.assessments.get(attempt.assessment_id)
        if self.filling is not None:
            self.filling.setParent(None)
            self.filling.deleteLater()
        self.filling = FillingView(self.services, record)
        for button in (self.filling.facts_button, self.filling.signature_button, self.filling.pdf_button,
                       self.filling.complete_button, self.filling.score_label):
            button.hide()  # a training attempt is submitted, never completed, signed or printed
        self.filling.fixed_title = exercise.title_in(lang)  # kept when the autosave refreshes the header
        self.filling.title.setText(self.filling.fixed_title)
        self.filling_layout.addWidget(self.filling)
        guard_wheel(self.filling)
        width = self.width() or 1200
        self.splitter.setSizes([width * 2 // 7, width * 5 // 7])
        self.stack.setCurrentWidget(self.session)
        self.vignette.setFocus()  # the story first; Tab goes on to the checklist

    def leave_session(self) -> None:
        if self.filling is not None:
            self.filling.flush()  # the answers so far stay saved; the attempt resumes later
        self.show_picker()

    def show_picker(self) -> None:
        self.refresh()
        self.stack.setCurrentWidget(self.picker)
        self.exercises.setFocus()

    def submit(self, confirm: bool = True) -> bool:
        if self.attempt_id is None or self.filling is None or self.stack.currentWidget() is not self.session:
            return False
        if not self.filling.flush():
            QMessageBox.warning(self, _("Training"), self.filling.autosaver.error)
            return False
        missing = len(self.filling.evaluation.missing_required())
        if confirm and missing:
            answer = QMessageBox.question(self, _("Submit"), ngettext(
                "One required item is not answered; it will count as not agreeing. Submit anyway?",
                "{count} required items are not answered; they will count as not agreeing. Submit anyway?",
                missing).format(count=missing))
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            debrief = self.services.exercises.submit(self.attempt_id)
        except LikvardError as exc:
            QMessageBox.warning(self, _("Training"), exc.message)
            return False
        self.debrief_view.show_debrief(debrief)
        self.stack.setCurrentWidget(self.debrief_view)
        self.debrief_view.table.setFocus()
        return True

    def save_certificate(self, attempt_id: uuid.UUID | None, path: str | None = None) -> None:
        save_certificate(self, self.services, attempt_id, path)

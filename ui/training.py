"""Training (Tools → Training…): trainees practise on case vignettes, trainers see the results
and write exercises. Everything goes through ``services.exercises``.

* Practise: pick an exercise, read the vignette beside the checklist (the filling view, autosaved
  as usual), submit, and read the debrief item by item.
* Results: per exercise, how the trainees answered (suppressed below 5 trainees), CSV export,
  certificates of completion.
* Edit: the exercise editor (vignettes, facts, model answers filled in the preview form), JSON
  import and export.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Evaluation
from app.domain.exercise import Exercise
from app.domain.facts import FACT_CHOICES, CaseFacts, choice_label, fact_label
from app.enums import LANGUAGE_CODES, LANGUAGE_NAMES
from app.errors import LikvardError
from app.i18n import _, format_datetime, format_percent, get_language, ngettext
from app.services import Services
from app.services.exercises import Debrief, ExerciseFormatError
from ui.style import flag_icon, make_heading

KeyRole = Qt.ItemDataRole.UserRole


def _answer_text(content: Any, key: str, value: Any, lang: str) -> str:
    """An answer as read (option labels), for the debrief table."""
    if value in (None, "", [], {}):
        return "\u2014"
    item = content.item(key)
    if item.type == "yes_no_na":
        return {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable")}.get(value, str(value))
    if item.type in ("single_choice", "multiple_choice"):
        labels = {o.value: content.text(o.label, lang) for o in item.options}
        return "; ".join(labels.get(v, str(v)) for v in (value if isinstance(value, list) else [value]))
    if item.type == "scale":
        return _("{value} of 5").format(value=value)
    return str(value)


class DebriefView(QWidget):
    """The trainee's answers against the model answers, item by item, with the debriefs."""

    certificate_requested = Signal(object)  # attempt id
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.debrief: Debrief | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel()
        make_heading(self.title, 1.3)
        layout.addWidget(self.title)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("debriefSummary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("debriefTable")
        self.table.setHorizontalHeaderLabels([_("Item"), _("Your answer"), _("Model answer"), _("Flag"), _("Debrief")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(_("Back to the exercises"))
        self.back_button.clicked.connect(self.back.emit)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.certificate_button = QPushButton(_("Certificate…"))
        self.certificate_button.setToolTip(_("Save a PDF certificate of completion"))
        self.certificate_button.clicked.connect(
            lambda: self.certificate_requested.emit(self.debrief.attempt.id if self.debrief else None))
        buttons.addWidget(self.certificate_button)
        layout.addLayout(buttons)

    def show_debrief(self, debrief: Debrief) -> None:
        self.debrief = debrief
        lang = get_language()
        content, comparison = debrief.content, debrief.comparison
        self.title.setText(_("Debrief: {title}").format(title=debrief.exercise.title_in(lang)))
        agreement = format_percent(comparison.agreement) if comparison.agreement is not None else "\u2014"
        parts = [
            _("Agreement with the model answers: {score} ({agreed} of {counted} items).").format(
                score=agreement, agreed=comparison.agreed, counted=comparison.counted),
            _("Agreement on flags: {score}.").format(score=format_percent(comparison.flag_agreement)),
            ngettext("{count} flag missed", "{count} flags missed", len(comparison.missed_flags)).format(
                count=len(comparison.missed_flags)) + "; " +
            ngettext("{count} flag raised wrongly", "{count} flags raised wrongly", len(comparison.wrong_flags)).format(
                count=len(comparison.wrong_flags)) + ".",
        ]
        self.summary.setText(" ".join(parts))
        self.table.setRowCount(0)
        for row in comparison.items:
            n = self.table.rowCount()
            self.table.insertRow(n)
            label = QTableWidgetItem(content.text(content.item(row.item_key).label, lang))
            label.setData(KeyRole, row.item_key)
            self.table.setItem(n, 0, label)
            mine = QTableWidgetItem(_answer_text(content, row.item_key, row.trainee, lang))
            model = QTableWidgetItem(_answer_text(content, row.item_key, row.model, lang))
            if row.counted and not row.agrees:
                mine.setForeground(Qt.GlobalColor.darkRed)
                font = mine.font()
                font.setBold(True)
                mine.setFont(font)
                mine.setToolTip(_("Differs from the model answer"))
            self.table.setItem(n, 1, mine)
            self.table.setItem(n, 2, model)
            if row.flag_missed:
                flag = QTableWidgetItem(flag_icon(), _("Missed"))
            elif row.flag_wrong:
                flag = QTableWidgetItem(flag_icon(), _("Raised wrongly"))
            elif row.flag_model:
                flag = QTableWidgetItem(flag_icon(), _("Raised, as in the model"))
            else:
                flag = QTableWidgetItem("")
            self.table.setItem(n, 3, flag)
            self.table.setItem(n, 4, QTableWidgetItem(debrief.exercise.debrief_in(row.item_key, lang)))
        QTimer.singleShot(0, self._fit_rows)

    def _fit_rows(self) -> None:
        """Row heights once the columns have their real widths; the first difference in view."""
        self.table.resizeRowsToContents()
        if self.debrief is None:
            return
        for n, row in enumerate(self.debrief.comparison.items):
            if (row.counted and not row.agrees) or row.flag_missed or row.flag_wrong:
                self.table.scrollToItem(self.table.item(n, 0), QAbstractItemView.ScrollHint.PositionAtTop)
                break

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    def row_texts(self) -> list[list[str]]:
        """The table as text (for tests)."""
        return [[self.table.item(r, c).text() if self.table.item(r, c) else "" for c in range(5)]
                for r in range(self.table.rowCount())]


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

        picker = QWidget()
        p_layout = QVBoxLayout(picker)
        intro = QLabel(_("Read the story of a client meeting and answer the checklist as if you had been the "
                         "advisor. When you submit, you see where your judgement differs from the trainer's "
                         "and why. Training answers never count as cases."))
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        p_layout.addWidget(intro)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(_("Your name")))
        self.trainee = QLineEdit(services.settings.name or services.actor)
        self.trainee.setAccessibleName(_("Trainee's name"))
        name_row.addWidget(self.trainee, 1)
        p_layout.addLayout(name_row)
        self.exercises = QListWidget()
        self.exercises.setObjectName("exerciseList")
        self.exercises.setAccessibleName(_("Exercises"))
        self.exercises.itemActivated.connect(lambda _i: self.start())
        p_layout.addWidget(self.exercises, 1)
        start_row = QHBoxLayout()
        start_row.addStretch(1)
        self.start_button = QPushButton(_("Start the exercise"))
        self.start_button.setProperty("primary", True)
        self.start_button.clicked.connect(self.start)
        start_row.addWidget(self.start_button)
        p_layout.addLayout(start_row)
        self.stack.addWidget(picker)

        self.session = QWidget()
        s_layout = QVBoxLayout(self.session)
        s_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.session_back = QPushButton(_("Back to the exercises"))
        self.session_back.clicked.connect(self.leave_session)
        bar.addWidget(self.session_back)
        bar.addStretch(1)
        self.submit_button = QPushButton(_("Submit"))
        self.submit_button.setProperty("primary", True)
        self.submit_button.setToolTip(_("Hand in your answers and see the debrief"))
        self.submit_button.clicked.connect(self.submit)
        bar.addWidget(self.submit_button)
        s_layout.addLayout(bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.vignette = QTextBrowser()
        self.vignette.setObjectName("vignette")
        self.vignette.setAccessibleName(_("The story of the meeting"))
        self.splitter.addWidget(self.vignette)
        self.filling_holder = QWidget()
        QVBoxLayout(self.filling_holder).setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(self.filling_holder)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        s_layout.addWidget(self.splitter, 1)
        self.stack.addWidget(self.session)

        self.debrief_view = DebriefView()
        self.debrief_view.back.connect(self.show_picker)
        self.debrief_view.certificate_requested.connect(self.save_certificate)
        self.stack.addWidget(self.debrief_view)
        self.refresh()

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
            if self.exercises.item(n).data(KeyRole) == key:
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
        self.filling.title.setText(exercise.title_in(lang))
        self.filling_holder.layout().addWidget(self.filling)
        width = self.width() or 1200
        self.splitter.setSizes([width * 2 // 7, width * 5 // 7])
        self.stack.setCurrentWidget(self.session)

    def leave_session(self) -> None:
        if self.filling is not None:
            self.filling.flush()  # the answers so far stay saved; the attempt resumes later
        self.show_picker()

    def show_picker(self) -> None:
        self.refresh()
        self.stack.setCurrentIndex(0)

    def submit(self, confirm: bool = True) -> bool:
        if self.attempt_id is None or self.filling is None:
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
        return True

    def save_certificate(self, attempt_id: uuid.UUID | None, path: str | None = None) -> None:
        save_certificate(self, self.services, attempt_id, path)


def save_certificate(parent: QWidget, services: Services, attempt_id: uuid.UUID | None, path: str | None = None) -> None:
    if attempt_id is None:
        return
    if path is None:
        path, _filter = QFileDialog.getSaveFileName(parent, _("Save the certificate"), "certificate.pdf",
                                                    _("PDF files (*.pdf)"))
        if not path:
            return
    try:
        services.exercises.write_certificate(attempt_id, path, organisation=services.settings.organisation)
    except LikvardError as exc:
        QMessageBox.warning(parent, _("Certificate"), exc.message)


class ResultsPage(QWidget):
    """The trainer's view: how the trainees answered one exercise."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Exercise")))
        self.exercise = QComboBox()
        self.exercise.setAccessibleName(_("Exercise"))
        self.exercise.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.exercise, 1)
        self.export_button = QPushButton(_("Export CSV…"))
        self.export_button.clicked.connect(lambda: self.export())
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("resultsSummary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("resultsTable")
        self.table.setHorizontalHeaderLabels([_("Item"), _("Model answer"), _("Trainees' answers"), _("Agreed"),
                                              _("Flag missed")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        lower = QHBoxLayout()
        from ui.filling import wrapping_list

        self.missed = wrapping_list("mostMissed")
        self.missed.setAccessibleName(_("Most missed flags"))
        box = QVBoxLayout()
        box.addWidget(QLabel(_("Most missed flags")))
        box.addWidget(self.missed)
        lower.addLayout(box, 1)
        self.completions = QListWidget()
        self.completions.setObjectName("completions")
        self.completions.setAccessibleName(_("Completed by"))
        box = QVBoxLayout()
        box.addWidget(QLabel(_("Completed by")))
        box.addWidget(self.completions)
        self.certificate_button = QPushButton(_("Certificate…"))
        self.certificate_button.clicked.connect(self._certificate)
        box.addWidget(self.certificate_button)
        lower.addLayout(box, 1)
        layout.addLayout(lower)
        self.fill_exercises()

    def fill_exercises(self) -> None:
        current = self.exercise.currentData()
        self.exercise.blockSignals(True)
        self.exercise.clear()
        for info in self.services.exercises.list():
            self.exercise.addItem(info.title, info.key)
        self.exercise.setCurrentIndex(max(0, self.exercise.findData(current)))
        self.exercise.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        key = self.exercise.currentData()
        self.table.setRowCount(0)
        self.missed.clear()
        self.completions.clear()
        if not key:
            self.summary.setText(_("No exercises."))
            return
        results = self.services.exercises.results(key)
        text = ngettext("{count} attempt submitted by {trainees} trainee.",
                        "{count} attempts submitted by {trainees} trainees.", results.submitted).format(
            count=results.submitted, trainees=results.trainees)
        if results.suppressed:
            text += " " + _("Fewer than 5 trainees: the answers are not shown, so that no one's can be recognised.")
        elif results.mean_agreement is not None:
            text += " " + _("Mean agreement {score}; mean agreement on flags {flags}.").format(
                score=format_percent(results.mean_agreement), flags=format_percent(results.mean_flag_agreement))
        self.summary.setText(text)
        for item in results.items:
            n = self.table.rowCount()
            self.table.insertRow(n)
            cells = [item.label, item.model,
                     _("suppressed") if item.counts is None else "\n".join(
                         f"{answer}: {count}" for answer, count in item.counts.items()),
                     "" if item.agreed is None else str(item.agreed),
                     "" if item.missed_flags is None else str(item.missed_flags)]
            for column, value in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()
        for _key, label, count in results.most_missed:
            self.missed.addItem(QListWidgetItem(flag_icon(), f"{label} ({count})"))
        for attempt_id, trainee, submitted in results.completions:
            entry = QListWidgetItem(f"{trainee} \u2014 {format_datetime(submitted)}")
            entry.setData(KeyRole, attempt_id)
            self.completions.addItem(entry)

    def export(self, path: str | None = None) -> None:
        key = self.exercise.currentData()
        if not key:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Export the results"), f"{key}-results.csv",
                                                        _("CSV files (*.csv)"))
            if not path:
                return
        try:
            self.services.exercises.export_results(key, path, "csv")
        except LikvardError as exc:
            QMessageBox.warning(self, _("Export the results"), exc.message)

    def _certificate(self) -> None:
        entry = self.completions.currentItem()
        if entry is None:
            QMessageBox.information(self, _("Certificate"), _("Choose who completed the exercise first."))
            return
        save_certificate(self, self.services, entry.data(KeyRole))


class ModelAnswersPane(QWidget):
    """The filling form of the bound template (the template preview's items), filled with the
    model answers, live visibility and flags under the exercise's facts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.templates.preview import PreviewPane

        self.preview = PreviewPane()
        self.preview.decision.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        self.facts = CaseFacts(case_reference="EXERCISE")
        self.preview._facts = lambda: self.facts  # type: ignore[method-assign]  # the exercise's facts

    def load(self, content: Any, facts: CaseFacts, answers: dict[str, Any]) -> None:
        self.facts = facts
        self.preview.content = content
        self.preview.widgets = {}
        self.preview.render()
        for key, value in answers.items():
            widget = self.preview.widgets.get(key)
            if widget is not None:
                widget.load(value, "")
        self.preview.update_state()

    def answers(self) -> dict[str, Any]:
        content = self.preview.content
        values: dict[str, Any] = {}
        for key, widget in self.preview.widgets.items():
            try:
                value = widget.value()
            except Exception:  # noqa: BLE001 - an unreadable input is left out (the check says so)
                continue
            if value not in (None, "", []):
                values[key] = value
        if content is None:
            return values
        ev = Evaluation(content, self.facts, values)
        return {key: value for key, value in values.items() if ev.is_visible(key)}


EDITABLE_FACTS = ("meeting_type", "case_date", "ownership", "sector", "legal_form", "amount_requested",
                  "amount_granted", "currency", "collateral_required", "personal_guarantee_required",
                  "interest_rate", "standard_rate", "decision", "decision_date", "application_complete",
                  "collateral_value", "guarantee_amount", "guarantor")


class ExerciseEditor(QDialog):
    """Write an exercise: key, template, titles and vignettes per language, facts, model answers."""

    def __init__(self, services: Services, key: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Exercise editor"))
        self.resize(1100, 760)
        self.debrief: dict[str, dict[str, str]] = {}
        self.swap_pair: str | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.key = QLineEdit()
        self.key.setAccessibleName(_("Key"))
        form.addRow(_("Key"), self.key)
        self.template = QComboBox()
        self.template.setAccessibleName(_("Checklist"))
        for version in services.templates.list_versions(status="published"):
            self.template.addItem(f"{version.title} ({version.template_key}@{version.number})",
                                  (version.template_key, version.number))
        self.template.currentIndexChanged.connect(lambda _i: self._load_answers())
        form.addRow(_("Checklist"), self.template)
        layout.addLayout(form)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QTabWidget()
        self.titles: dict[str, QLineEdit] = {}
        self.vignettes: dict[str, QPlainTextEdit] = {}
        for lang in LANGUAGE_CODES:
            page = QWidget()
            p_layout = QFormLayout(page)
            self.titles[lang] = QLineEdit()
            self.titles[lang].setAccessibleName(_("Title ({language})").format(language=LANGUAGE_NAMES[lang]))
            self.vignettes[lang] = QPlainTextEdit()
            self.vignettes[lang].setAccessibleName(_("Vignette ({language})").format(language=LANGUAGE_NAMES[lang]))
            p_layout.addRow(_("Title"), self.titles[lang])
            p_layout.addRow(_("Vignette"), self.vignettes[lang])
            left.addTab(page, LANGUAGE_NAMES[lang])
        self.facts_table = QTableWidget(len(EDITABLE_FACTS), 2)
        self.facts_table.setObjectName("factsTable")
        self.facts_table.setHorizontalHeaderLabels([_("Fact"), _("Value")])
        self.facts_table.verticalHeader().setVisible(False)
        self.facts_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for n, name in enumerate(EDITABLE_FACTS):
            label = QTableWidgetItem(fact_label(name))
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            label.setData(KeyRole, name)
            if name in FACT_CHOICES:
                label.setToolTip(", ".join(f"{code} = {choice_label(name, code)}" for code in FACT_CHOICES[name]))
            self.facts_table.setItem(n, 0, label)
            self.facts_table.setItem(n, 1, QTableWidgetItem(""))
        self.facts_table.itemChanged.connect(lambda _i: self._facts_changed())
        left.addTab(self.facts_table, _("Case facts"))
        splitter.addWidget(left)
        right = QWidget()
        r_layout = QVBoxLayout(right)
        r_layout.setContentsMargins(0, 0, 0, 0)
        r_layout.addWidget(QLabel(_("Model answers: fill the checklist as the trainer would.")))
        self.model = ModelAnswersPane()
        r_layout.addWidget(self.model, 1)
        splitter.addWidget(right)
        layout.addWidget(splitter, 1)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setObjectName("error")
        self.problems.hide()
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.saved_key: str | None = None
        if key:
            self.load(services.exercises.get(key))
        else:
            self._load_answers()

    def _facts_texts(self) -> dict[str, str]:
        out = {}
        for n in range(self.facts_table.rowCount()):
            name = self.facts_table.item(n, 0).data(KeyRole)
            value = self.facts_table.item(n, 1).text().strip()
            if value:
                out[name] = value
        return out

    def facts(self) -> CaseFacts:
        data: dict[str, Any] = {}
        for name, value in self._facts_texts().items():
            if name in ("collateral_required", "personal_guarantee_required", "application_complete"):
                data[name] = value.lower() in ("true", "yes", "1", "ja", "oui", _("Yes").lower())
            else:
                data[name] = value
        try:
            return CaseFacts.from_dict(data)
        except (TypeError, ValueError, ArithmeticError):
            return CaseFacts()

    def _facts_changed(self) -> None:
        self.model.facts = self.facts()
        self.model.preview.update_state()

    def load(self, exercise: Exercise) -> None:
        self.key.setText(exercise.key)
        self.debrief = dict(exercise.debrief)
        self.swap_pair = exercise.swap_pair
        for lang in LANGUAGE_CODES:
            self.titles[lang].setText(exercise.title.get(lang, ""))
            self.vignettes[lang].setPlainText(exercise.vignette.get(lang, ""))
        facts = exercise.facts.to_dict()
        self.facts_table.blockSignals(True)
        for n in range(self.facts_table.rowCount()):
            name = self.facts_table.item(n, 0).data(KeyRole)
            value = facts.get(name)
            self.facts_table.item(n, 1).setText("" if value is None else str(value).lower()
                                                if isinstance(value, bool) else str(value))
        self.facts_table.blockSignals(False)
        self.template.blockSignals(True)
        self.template.setCurrentIndex(max(0, self.template.findData((exercise.template_key, exercise.template_version))))
        self.template.blockSignals(False)
        self._load_answers(exercise.model_answers)

    def _load_answers(self, answers: dict[str, Any] | None = None) -> None:
        ref = self.template.currentData()
        if ref is None:
            return
        info = self.services.templates.find_version(*ref)
        self.model.load(self.services.templates.content(info.id), self.facts(),
                        answers if answers is not None else self.model.answers())

    def exercise(self) -> Exercise:
        key, number = self.template.currentData() or ("", 0)
        return Exercise(
            key=self.key.text().strip(), template_key=key, template_version=number,
            title={lang: edit.text() for lang, edit in self.titles.items() if edit.text().strip()},
            vignette={lang: edit.toPlainText() for lang, edit in self.vignettes.items() if edit.toPlainText().strip()},
            facts=self.facts(), model_answers=self.model.answers(), debrief=self.debrief, swap_pair=self.swap_pair)

    def save(self) -> bool:
        try:
            self.services.exercises.save(self.exercise())
        except ExerciseFormatError as exc:
            self.problems.setText(_("Not saved:") + "\n" + "\n".join(
                str(p).replace("exercises[0].", "") for p in exc.problems))
            self.problems.show()
            return False
        except LikvardError as exc:
            self.problems.setText(exc.message)
            self.problems.show()
            return False
        self.problems.hide()
        self.saved_key = self.key.text().strip()
        return True


class EditPage(QWidget):
    """The trainer's list of exercises: new, edit, delete, import and export JSON."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QHBoxLayout(self)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Exercises"))
        self.list.itemActivated.connect(lambda _i: self.edit())
        layout.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        for text, slot in ((_("New…"), self.new), (_("Edit…"), self.edit), (_("Delete"), self.delete),
                           (_("Import JSON…"), self.import_file), (_("Export JSON…"), self.export_file)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for info in self.services.exercises.list():
            entry = QListWidgetItem(f"{info.title}  ({info.key})")
            entry.setData(KeyRole, info.key)
            self.list.addItem(entry)

    def _key(self) -> str | None:
        entry = self.list.currentItem()
        return entry.data(KeyRole) if entry else None

    def new(self) -> None:
        ExerciseEditor(self.services, None, self).exec()
        self.refresh()
        self.changed.emit()

    def edit(self) -> None:
        key = self._key()
        if key:
            ExerciseEditor(self.services, key, self).exec()
            self.refresh()
            self.changed.emit()

    def delete(self) -> None:
        key = self._key()
        if not key:
            return
        if QMessageBox.question(self, _("Delete"), _("Delete the exercise {key}?").format(key=key)) \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            self.services.exercises.delete(key)
        except LikvardError as exc:
            QMessageBox.warning(self, _("Delete"), exc.message)
        self.refresh()
        self.changed.emit()

    def import_file(self, path: str | None = None) -> bool:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import exercises"), str(Path.home()),
                                                        _("Exercise files (*.json)"))
            if not path:
                return False
        try:
            self.services.exercises.import_file(path)
        except ExerciseFormatError as exc:
            QMessageBox.warning(self, _("Import exercises"), _("Nothing was imported:") + "\n" + exc.message)
            return False
        except LikvardError as exc:
            QMessageBox.warning(self, _("Import exercises"), exc.message)
            return False
        self.refresh()
        self.changed.emit()
        return True

    def export_file(self, path: str | None = None) -> None:
        key = self._key()
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Export exercises"), f"{key or 'exercises'}.json",
                                                        _("Exercise files (*.json)"))
            if not path:
                return
        try:
            self.services.exercises.export_file([key] if key else None, path)
        except LikvardError as exc:
            QMessageBox.warning(self, _("Export exercises"), exc.message)


class TrainingWindow(QMainWindow):
    """Tools → Training…: practise, results, and the exercise editor."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Training"))
        self.resize(1280, 800)
        self.tabs = QTabWidget()
        self.practise = PractisePage(services)
        self.results = ResultsPage(services)
        self.editor = EditPage(services)
        self.tabs.addTab(self.practise, _("Practise"))
        self.tabs.addTab(self.results, _("Results"))
        self.tabs.addTab(self.editor, _("Exercises"))
        self.editor.changed.connect(self.practise.refresh)
        self.editor.changed.connect(self.results.fill_exercises)
        self.tabs.currentChanged.connect(lambda i: self.results.refresh() if self.tabs.widget(i) is self.results
                                         else None)
        self.setCentralWidget(self.tabs)

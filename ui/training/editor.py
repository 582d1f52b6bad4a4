"""The exercise editor: key, checklist, titles and vignettes per language, case facts, model answers
filled in the checklist's form, and a debrief per item and language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.exercise import Exercise
from app.domain.facts import CaseFacts
from app.enums import LANGUAGE_CODES, LANGUAGE_NAMES
from app.errors import LikvardError
from app.i18n import _
from app.services import Services
from app.services.exercises import ExerciseFormatError
from ui.training.facts_form import FactsForm
from ui.training.model_answers import DebriefEditor, ModelAnswersPane
from ui.widgets import fit_to_screen, guard_wheel

LOCATION_PREFIX = "exercises[0]."


class ExerciseEditor(QDialog):
    """Write an exercise: key, template, titles and vignettes per language, facts, model answers,
    debriefs. Saved through ``services.exercises.save`` (the checks of an import)."""

    def __init__(self, services: Services, key: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Exercise editor"))
        fit_to_screen(self, 1200, 800)
        self.swap_pair: str | None = None
        self.saved_key: str | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.key = QLineEdit()
        self.key.setAccessibleName(_("Key"))
        self.key.setPlaceholderText(_("lower-case letters, digits, - and _"))
        form.addRow(_("&Key"), self.key)
        self.template = QComboBox()
        self.template.setAccessibleName(_("Checklist"))
        for version in services.templates.list_versions(status="published"):
            self.template.addItem(f"{version.title} ({version.template_key}@{version.number})",
                                  (version.template_key, version.number))
        self.template.currentIndexChanged.connect(lambda _i: self._load_answers())
        form.addRow(_("Check&list"), self.template)
        layout.addLayout(form)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.titles: dict[str, QLineEdit] = {}
        self.vignettes: dict[str, QPlainTextEdit] = {}
        for lang in LANGUAGE_CODES:
            page = QWidget()
            p_layout = QVBoxLayout(page)
            self.titles[lang] = QLineEdit()
            self.titles[lang].setAccessibleName(_("Title ({language})").format(language=LANGUAGE_NAMES[lang]))
            self.vignettes[lang] = QPlainTextEdit()
            self.vignettes[lang].setAccessibleName(_("Vignette ({language})").format(language=LANGUAGE_NAMES[lang]))
            self.vignettes[lang].setTabChangesFocus(True)
            for text, field, stretch in ((_("Title"), self.titles[lang], 0), (_("Vignette"), self.vignettes[lang], 1)):
                label = QLabel(text)
                label.setBuddy(field)
                p_layout.addWidget(label)
                p_layout.addWidget(field, stretch)
            self.tabs.addTab(page, LANGUAGE_NAMES[lang])
        self.facts_form = FactsForm()
        self.facts_form.changed.connect(self._facts_changed)
        self.tabs.addTab(self.facts_form, _("Case facts"))
        splitter.addWidget(self.tabs)

        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        top = QWidget()
        t_layout = QVBoxLayout(top)
        t_layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(_("Model answers: fill the checklist as the trainer would. Below, the debrief of the item "
                        "you are on: why this answer."))
        hint.setWordWrap(True)
        t_layout.addWidget(hint)
        self.model = ModelAnswersPane()
        t_layout.addWidget(self.model, 1)
        right.addWidget(top)
        self.debrief_editor = DebriefEditor()
        right.addWidget(self.debrief_editor)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.splitter, self.right = splitter, right

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setObjectName("error")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.hide()
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._following = False
        if key:
            self.load(services.exercises.get(key))
        else:
            self._load_answers()
        guard_wheel(self)
        em = self.fontMetrics().horizontalAdvance("M")
        right.setSizes([50 * em, 12 * em])

    def _follow_focus(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and on != self._following:
            if on:
                app.focusChanged.connect(self._focus_moved)
            else:
                app.focusChanged.disconnect(self._focus_moved)
            self._following = on

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self._follow_focus(True)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt naming)
        self._follow_focus(False)
        super().hideEvent(event)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The debrief follows the item being answered in the model-answer form."""
        key = self.model.item_at(new)
        if key is not None and key != self.debrief_editor.current():
            self.debrief_editor.select(key)

    def facts(self) -> CaseFacts:
        return self.facts_form.facts()

    def _facts_changed(self) -> None:
        self.facts_form.show_problems(self.facts_form.problems())
        self.model.facts = self.facts()
        self.model.preview.update_state()

    def load(self, exercise: Exercise) -> None:
        self.key.setText(exercise.key)
        self.swap_pair = exercise.swap_pair
        for lang in LANGUAGE_CODES:
            self.titles[lang].setText(exercise.title.get(lang, ""))
            self.vignettes[lang].setPlainText(exercise.vignette.get(lang, ""))
        self.facts_form.set_facts(exercise.facts)
        self.template.blockSignals(True)
        wanted = (exercise.template_key, exercise.template_version)  # findData() does not match tuples
        found = [n for n in range(self.template.count()) if tuple(self.template.itemData(n) or ()) == wanted]
        self.template.setCurrentIndex(found[0] if found else 0)
        self.template.blockSignals(False)
        self._load_answers(exercise.model_answers, exercise.debrief)

    def _load_answers(self, answers: dict[str, Any] | None = None,
                      debrief: dict[str, dict[str, str]] | None = None) -> None:
        ref = self.template.currentData()
        if ref is None:
            self.debrief_editor.set_items(None, debrief or self.debrief_editor.debrief())
            return
        info = self.services.templates.find_version(*ref)
        content = self.services.templates.content(info.id)
        self.model.load(content, self.facts(), answers if answers is not None else self.model.answers())
        self.debrief_editor.set_items(content, debrief if debrief is not None else self.debrief_editor.debrief())

    def exercise(self) -> Exercise:
        key, number = self.template.currentData() or ("", 0)
        return Exercise(
            key=self.key.text().strip(), template_key=key, template_version=number,
            title={lang: edit.text() for lang, edit in self.titles.items() if edit.text().strip()},
            vignette={lang: edit.toPlainText() for lang, edit in self.vignettes.items() if edit.toPlainText().strip()},
            facts=self.facts(), model_answers=self.model.answers(), debrief=self.debrief_editor.debrief(),
            swap_pair=self.swap_pair)

    def _refuse(self, problems: list[str]) -> None:
        self.problems.setText(_("Not saved:") + "\n" + "\n".join(problems))
        self.problems.show()

    def save(self) -> bool:
        facts_problems = self.facts_form.problems()
        self.facts_form.show_problems(facts_problems)
        if facts_problems:
            self.tabs.setCurrentWidget(self.facts_form)
            self._refuse([f"facts.{name}: {message}" for name, message in facts_problems.items()])
            return False
        try:
            self.services.exercises.save(self.exercise())
        except ExerciseFormatError as exc:
            located = [(p.location.removeprefix(LOCATION_PREFIX), p.message) for p in exc.problems]
            self.facts_form.show_problems({loc.removeprefix("facts."): message for loc, message in located
                                           if loc.startswith("facts.")})
            self._refuse([f"{loc}: {message}" if loc else message for loc, message in located])
            return False
        except LikvardError as exc:
            self._refuse([exc.message])
            return False
        self.problems.hide()
        self.saved_key = self.key.text().strip()
        return True

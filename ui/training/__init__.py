"""Training (Tools → Training…): trainees practise on case vignettes, trainers see the results
and write exercises. Everything goes through ``services.exercises``.

* ``window``: the TrainingWindow and its three tabs.
* ``practise``: pick an exercise, read the vignette beside the checklist (the filling view,
  autosaved as usual), submit; ``debrief``: the debrief, item by item.
* ``results``: per exercise, how the trainees answered (suppressed below 5 trainees), CSV export,
  certificates of completion.
* ``exercises_page``: the trainer's list of exercises, JSON import and export; ``editor``: the
  exercise editor, with ``facts_form`` (the case facts) and ``model_answers`` (the model answers in
  the checklist's form and the debrief per item and language).
"""

from ui.training.common import KeyRole, answer_text, save_certificate
from ui.training.debrief import DebriefView
from ui.training.editor import ExerciseEditor
from ui.training.exercises_page import EditPage
from ui.training.facts_form import EDITABLE_FACTS, FactsForm
from ui.training.model_answers import DebriefEditor, ModelAnswersPane
from ui.training.practise import PractisePage
from ui.training.results import ResultsPage
from ui.training.window import TrainingWindow

__all__ = ["EDITABLE_FACTS", "DebriefEditor", "DebriefView", "EditPage", "ExerciseEditor", "FactsForm", "KeyRole",
           "ModelAnswersPane", "PractisePage", "ResultsPage", "TrainingWindow", "answer_text", "save_certificate"]

"""Training exercises: a vignette with the trainer's model answers, and how a trainee's answers
compare with them (pure: no I/O).

An exercise is bound to one published template version. Its case facts are those of the story
told in the vignette; the model answers are what the trainer would answer, item by item; a
debrief explains, per item, why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain.assessment import Evaluation
from app.domain.facts import CaseFacts
from app.domain.template import TemplateContent
from app.enums import Language
from app.i18n import localized

#: Item types whose answers are free text: shown beside the model answer, never scored.
TEXT_TYPES = ("short_text", "long_text")


@dataclass
class Exercise:
    """One exercise as the ``likvard-exercise/1`` format and the database hold it."""

    key: str
    title: dict[str, str]
    template_key: str
    template_version: int
    vignette: dict[str, str]
    facts: CaseFacts
    model_answers: dict[str, Any]
    debrief: dict[str, dict[str, str]] = field(default_factory=dict)
    #: exercises sharing a swap-test id tell the same case with only the owner's gender changed
    swap_pair: str | None = None

    def title_in(self, lang: str) -> str:
        return localized(self.title, lang, Language.EN)[0] or self.key

    def vignette_in(self, lang: str) -> str:
        return localized(self.vignette, lang, Language.EN)[0]

    def debrief_in(self, item_key: str, lang: str) -> str:
        return localized(self.debrief.get(item_key) or {}, lang, Language.EN)[0]


@dataclass(frozen=True)
class ItemComparison:
    """One item of the debrief: the trainee's answer beside the model answer."""

    item_key: str
    trainee: Any
    model: Any
    counted: bool  # part of the agreement score (see :func:`compare_answers`)
    agrees: bool
    flag_model: bool  # the model answers flag this item
    flag_trainee: bool  # the trainee's answers flag it

    @property
    def flag_missed(self) -> bool:
        return self.flag_model and not self.flag_trainee

    @property
    def flag_wrong(self) -> bool:
        return self.flag_trainee and not self.flag_model


@dataclass(frozen=True)
class Comparison:
    """The trainee's answers against the model answers, item by item, with the two scores."""

    items: list[ItemComparison]
    agreement: float | None
    flag_agreement: float
    counted: int
    agreed: int

    @property
    def missed_flags(self) -> list[str]:
        return [c.item_key for c in self.items if c.flag_missed]

    @property
    def wrong_flags(self) -> list[str]:
        return [c.item_key for c in self.items if c.flag_wrong]


def scored_items(content: TemplateContent, facts: CaseFacts, model_answers: dict[str, Any]) -> list[str]:
    """The items the agreement score counts: answerable, not free text, visible under the model
    answers (and the exercise's facts), with a model answer; in template order."""
    ev = Evaluation(content, facts, model_answers)
    return [item.key for item in ev.visible_items()
            if item.answerable and item.type not in TEXT_TYPES and ev.is_answered(item.key)]


def compare_answers(content: TemplateContent, facts: CaseFacts, model_answers: dict[str, Any],
                    trainee_answers: dict[str, Any]) -> Comparison:
    """Compare a trainee's answers with the model answers.

    **Agreement score** = ``agreed / counted`` where *counted* are the items of
    :func:`scored_items` (answerable, not free text, visible under the model answers, with a model
    answer) and *agreed* those among them that the trainee's own answers also show and that the
    trainee answered with exactly the model answer (the stored, normalized value: same option, same
    set of options, same number). An unanswered or hidden item counts as not agreeing. ``None``
    when nothing is counted.

    **Flag agreement** is separate: both answer sets are evaluated with the checklist's rules
    (:class:`Evaluation` over the same facts); with *M* the items the model answers flag and *T*
    those the trainee's answers flag, it is ``|M ∩ T| / |M ∪ T|`` (1.0 when neither flags
    anything). *M − T* are the **missed** flags, *T − M* the flags **raised wrongly**.

    The items listed are every answerable item visible under either answer set, in template order.
    """
    model_ev = Evaluation(content, facts, model_answers)
    trainee_ev = Evaluation(content, facts, trainee_answers)
    counted_keys = set(scored_items(content, facts, model_answers))
    model_flags = {f.item_key for f in model_ev.flags()}
    trainee_flags = {f.item_key for f in trainee_ev.flags()}
    rows: list[ItemComparison] = []
    agreed = 0
    for item in content.items():
        if not item.answerable:
            continue
        shown_model = model_ev.is_visible(item.key)
        shown_trainee = trainee_ev.is_visible(item.key)
        if not (shown_model or shown_trainee):
            continue
        model = model_answers.get(item.key) if shown_model else None
        trainee = trainee_answers.get(item.key) if shown_trainee else None
        counted = item.key in counted_keys
        agrees = counted and shown_trainee and trainee is not None and trainee == model
        agreed += agrees
        rows.append(ItemComparison(item.key, trainee, model, counted, agrees,
                                   item.key in model_flags, item.key in trainee_flags))
    union = model_flags | trainee_flags
    flag_agreement = len(model_flags & trainee_flags) / len(union) if union else 1.0
    return Comparison(rows, agreed / len(counted_keys) if counted_keys else None, flag_agreement,
                      len(counted_keys), agreed)

"""The ``likvard-exercise/1`` file format: training exercises exchanged as JSON.

Schema: ``app/exchange/schemas/likvard-exercise-1.schema.json``. A file holds one or more
exercises::

    {"format": "likvard-exercise/1",
     "exercises": [{"key": ..., "title": {"en": ...}, "template": {"key": ..., "version": 1},
                    "vignette": {"en": ..., "sv": ..., "fr": ...}, "facts": {...},
                    "model_answers": {"item_key": value, ...},
                    "debrief": {"item_key": {"en": ...}, ...}, "swap_pair": "optional id"}]}

Reading checks everything — the structure, the facts, that each model answer fits its item of the
bound template version, that every scored item has a model answer — and reports *every* problem
with its location (``exercises[0].model_answers.family_questions: ...``) before anything is stored.
Writing gives the canonical text (keys in a fixed order, answers in template order), so
import then export is byte-stable.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.domain.assessment import Evaluation, normalize_answer
from app.domain.exercise import TEXT_TYPES, Exercise
from app.domain.facts import CaseFacts
from app.domain.template import TemplateContent
from app.enums import LANGUAGE_CODES
from app.errors import AnswerError, LikvardError, Problem
from app.fileio import atomic_write_bytes, read_file_bytes
from app.i18n import _

EXERCISE_FORMAT = "likvard-exercise/1"
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SCHEMA_FILE = ("app", "exchange", "schemas", "likvard-exercise-1.schema.json")
#: The facts an exercise does not carry: each attempt gets its own reference; advisor, branch are the trainee's.
NOT_EXERCISE_FACTS = ("case_reference", "advisor", "branch", "extra")
#: Looks up the content of ``key@version``; raises LookupError with a translated message.
Resolver = Callable[[str, int], TemplateContent]


class ExerciseFormatError(LikvardError):
    """An exercise file is invalid; ``problems`` lists every problem found, with its location."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(str(p) for p in problems))


def exercise_facts(facts: CaseFacts) -> dict[str, Any]:
    """The facts an exercise file records: set ones only, in CaseFacts order."""
    return {name: value for name, value in facts.to_dict().items()
            if name not in NOT_EXERCISE_FACTS and value is not None}


def _texts(data: Any, loc: str, problems: list[Problem], required: bool = True) -> dict[str, str]:
    if data is None and not required:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(loc, _("expected texts by language (en, sv, fr)")))
        return {}
    out: dict[str, str] = {}
    for lang, value in data.items():
        if lang not in LANGUAGE_CODES:
            problems.append(Problem(f"{loc}.{lang}", _("unknown language; use one of {languages}").format(
                languages=", ".join(LANGUAGE_CODES))))
        elif not isinstance(value, str):
            problems.append(Problem(f"{loc}.{lang}", _("expected a text")))
        elif value.strip():
            out[lang] = value
    if required and not out:
        problems.append(Problem(loc, _("a text in at least one language is required")))
    return {lang: out[lang] for lang in LANGUAGE_CODES if lang in out}


def _facts(data: Any, loc: str, problems: list[Problem]) -> CaseFacts:
    if not isinstance(data, dict):
        problems.append(Problem(loc, _("expected the case facts as an object")))
        return CaseFacts()
    known = set(CaseFacts.__dataclass_fields__) - set(NOT_EXERCISE_FACTS)
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            problems.append(Problem(f"{loc}.{name}", _("unknown case fact")))
            continue
        try:
            CaseFacts.from_dict({name: value})
        except (TypeError, ValueError, ArithmeticError):
            problems.append(Problem(f"{loc}.{name}", _("\u201c{value}\u201d is not a valid value").format(value=value)))
            continue
        clean[name] = value
    facts = CaseFacts.from_dict({**clean, "case_reference": "EXERCISE"})
    for name, message in facts.validate():
        problems.append(Problem(f"{loc}.{name}", message))
    return facts


def _entry(data: Any, loc: str, resolve: Resolver, problems: list[Problem]) -> Exercise | None:
    if not isinstance(data, dict):
        problems.append(Problem(loc, _("expected an exercise object")))
        return None
    known = {"key", "title", "template", "vignette", "facts", "model_answers", "debrief", "swap_pair"}
    for name in data:
        if name not in known:
            problems.append(Problem(f"{loc}.{name}", _("unknown field")))
    key = data.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        problems.append(Problem(f"{loc}.key", _("a key of lower-case letters, digits, - and _ is required")))
        key = ""
    title = _texts(data.get("title"), f"{loc}.title", problems)
    vignette = _texts(data.get("vignette"), f"{loc}.vignette", problems)
    facts = _facts(data.get("facts", {}), f"{loc}.facts", problems)
    swap_pair = data.get("swap_pair")
    if swap_pair is not None and (not isinstance(swap_pair, str) or not KEY_PATTERN.match(swap_pair)):
        problems.append(Problem(f"{loc}.swap_pair", _("a key of lower-case letters, digits, - and _ is required")))
        swap_pair = None
    template = data.get("template")
    content: TemplateContent | None = None
    t_key, t_version = "", 0
    if not isinstance(template, dict) or not isinstance(template.get("key"), str) \
            or not isinstance(template.get("version"), int) or isinstance(template.get("version"), bool):
        problems.append(Problem(f"{loc}.template", _("expected the template's key and version number")))
    else:
        t_key, t_version = template["key"], template["version"]
        try:
            content = resolve(t_key, t_version)
        except LookupError as exc:
            problems.append(Problem(f"{loc}.template", str(exc.args[0] if exc.args else exc)))
    raw_answers = data.get("model_answers")
    answers: dict[str, Any] = {}
    if not isinstance(raw_answers, dict):
        problems.append(Problem(f"{loc}.model_answers", _("expected the model answers as an object")))
    elif content is not None:
        items = {i.key: i for i in content.items()}
        for item_key, value in raw_answers.items():
            where = f"{loc}.model_answers.{item_key}"
            if item_key not in items:
                problems.append(Problem(where, _("the checklist has no item \u201c{key}\u201d").format(key=item_key)))
                continue
            try:
                normalized = normalize_answer(items[item_key], value)
            except AnswerError as exc:
                problems.append(Problem(where, exc.message))
                continue
            if normalized is not None:
                answers[item_key] = normalized
        ev = Evaluation(content, facts, answers)
        for item in ev.visible_items():
            if item.answerable and item.type not in TEXT_TYPES and not ev.is_answered(item.key):
                problems.append(Problem(f"{loc}.model_answers.{item.key}", _("no model answer for this item")))
        for item_key in answers:
            if not ev.is_visible(item_key):
                problems.append(Problem(f"{loc}.model_answers.{item_key}", _(
                    "the item is hidden under these facts and model answers; leave it out")))
    raw_debrief = data.get("debrief", {})
    debrief: dict[str, dict[str, str]] = {}
    if not isinstance(raw_debrief, dict):
        problems.append(Problem(f"{loc}.debrief", _("expected the debriefs as an object")))
    else:
        for item_key, texts in raw_debrief.items():
            where = f"{loc}.debrief.{item_key}"
            if content is not None and item_key not in {i.key for i in content.items()}:
                problems.append(Problem(where, _("the checklist has no item \u201c{key}\u201d").format(key=item_key)))
                continue
            found = _texts(texts, where, problems)
            if found:
                debrief[item_key] = found
    if content is not None:
        order = [i.key for i in content.items()]
        answers = {k: answers[k] for k in order if k in answers}
        debrief = {k: debrief[k] for k in order if k in debrief}
    return Exercise(key=key, title=title, template_key=t_key, template_version=t_version, vignette=vignette,
                    facts=facts, model_answers=answers, debrief=debrief, swap_pair=swap_pair)


def read_exercises(data: Any, resolve: Resolver, source: str | None = None) -> list[Exercise]:
    """Read a ``likvard-exercise/1`` document; :class:`ExerciseFormatError` lists every problem."""
    problems: list[Problem] = []
    if not isinstance(data, dict) or data.get("format") != EXERCISE_FORMAT:
        raise ExerciseFormatError([Problem("format", _("not a Likvärd exercise file (expected \u201c{format}\u201d)").format(
            format=EXERCISE_FORMAT))], source)
    for name in data:
        if name not in ("format", "exercises"):
            problems.append(Problem(name, _("unknown field")))
    entries = data.get("exercises")
    if not isinstance(entries, list) or not entries:
        raise ExerciseFormatError([*problems, Problem("exercises", _("expected a list of at least one exercise"))],
                                  source)
    out: list[Exercise] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        exercise = _entry(entry, f"exercises[{n}]", resolve, problems)
        if exercise is None:
            continue
        if exercise.key and exercise.key in seen:
            problems.append(Problem(f"exercises[{n}].key", _("the key \u201c{key}\u201d is used twice").format(
                key=exercise.key)))
        seen.add(exercise.key)
        out.append(exercise)
    if problems:
        raise ExerciseFormatError(problems, source)
    return out


def parse_exercises_text(text: str | bytes, resolve: Resolver, source: str | None = None) -> list[Exercise]:
    """Parse exercise JSON text (see :func:`read_exercises`)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExerciseFormatError([Problem("", _("the file is not UTF-8 text (byte {position})").format(
                position=exc.start))], source) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExerciseFormatError([Problem(_("line {line}, column {column}").format(line=exc.lineno, column=exc.colno),
                                           _("invalid JSON: {error}").format(error=exc.msg))], source) from None
    except (ValueError, RecursionError):
        raise ExerciseFormatError([Problem("", _("the file cannot be read as JSON"))], source) from None
    return read_exercises(data, resolve, source)


def read_exercise_file(path: str | Path, resolve: Resolver) -> list[Exercise]:
    p = Path(path)
    return parse_exercises_text(read_file_bytes(p), resolve, str(p))


def exercise_to_dict(exercise: Exercise) -> dict[str, Any]:
    """The canonical JSON-ready entry of one exercise (fixed key order)."""
    out: dict[str, Any] = {
        "key": exercise.key,
        "title": {lang: exercise.title[lang] for lang in LANGUAGE_CODES if lang in exercise.title},
        "template": {"key": exercise.template_key, "version": exercise.template_version},
        "vignette": {lang: exercise.vignette[lang] for lang in LANGUAGE_CODES if lang in exercise.vignette},
        "facts": exercise_facts(exercise.facts),
        "model_answers": dict(exercise.model_answers),
        "debrief": {key: {lang: texts[lang] for lang in LANGUAGE_CODES if lang in texts}
                    for key, texts in exercise.debrief.items()},
    }
    if exercise.swap_pair:
        out["swap_pair"] = exercise.swap_pair
    return out


def exercise_from_dict(data: dict[str, Any]) -> Exercise:
    """The inverse of :func:`exercise_to_dict` for an entry already validated (as stored)."""
    return Exercise(key=data["key"], title=dict(data["title"]), template_key=data["template"]["key"],
                    template_version=int(data["template"]["version"]), vignette=dict(data["vignette"]),
                    facts=CaseFacts.from_dict(data.get("facts") or {}), model_answers=dict(data["model_answers"]),
                    debrief={k: dict(v) for k, v in (data.get("debrief") or {}).items()},
                    swap_pair=data.get("swap_pair"))


def exercise_hash(exercise: Exercise) -> str:
    canonical = json.dumps(exercise_to_dict(exercise), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def exercises_text(exercises: list[Exercise]) -> str:
    """The canonical ``likvard-exercise/1`` text of ``exercises`` (UTF-8, 2-space indent, final newline)."""
    document = {"format": EXERCISE_FORMAT, "exercises": [exercise_to_dict(e) for e in exercises]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_exercise_file(exercises: list[Exercise], path: str | Path) -> Path:
    """Write the canonical text atomically."""
    return atomic_write_bytes(path, exercises_text(exercises).encode("utf-8"))

"""Training exercises: store and exchange them, let trainees answer them, debrief, results.

Every use case of training is a method here; the CLI (``likvard exercises ...``) and the GUI
(Tools → Training…) both call them. A trainee's answers are an ordinary assessment marked with
``training_exercise_id``: it autosaves like any case but is never listed as a case, never
searched, never counted in insights (see :mod:`app.storage.insights`). Every change records an
audit event.

Privacy: the results of an exercise are shown per item only when at least
:data:`app.services.insights.MIN_CELL` trainees submitted it; below that the counts per answer,
the missed flags and each trainee's score are suppressed. The list of who completed it (for the
certificates) is kept.
"""

from __future__ import annotations

import builtins
import csv
import hashlib
import io
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.exercise import Comparison, Exercise, compare_answers
from app.domain.template import TemplateContent
from app.enums import AssessmentStatus, VersionStatus
from app.errors import LikvardError, LockedAssessmentError, NotFoundError
from app.exchange.exercise_format import (
    ExerciseFormatError,
    exercise_from_dict,
    exercise_hash,
    exercise_to_dict,
    read_exercise_file,
    read_exercises,
    write_exercise_file,
)
from app.exchange.json_format import read_template_file
from app.fileio import atomic_write_bytes
from app.i18n import _, get_language
from app.paths import resource_path
from app.services.assessments import FACT_COLUMNS, AssessmentService
from app.services.events import record
from app.services.insights import MIN_CELL, is_suppressed
from app.storage.db import Database
from app.storage.models import (
    AssessmentRow,
    ExerciseAttemptRow,
    ExerciseRow,
    SettingRow,
    Template,
    TemplateVersionRow,
    utcnow,
)

__all__ = ["AttemptInfo", "Debrief", "ExerciseFormatError", "ExerciseInfo", "ExerciseResults", "ExerciseService",
           "ImportSummary", "ItemResult", "MIN_CELL"]

BUNDLED_FOLDER = ("checklists", "exercises")
RESULT_FORMATS = ("csv", "json")


@dataclass(frozen=True)
class ExerciseInfo:
    """An exercise as listed."""

    id: uuid.UUID
    key: str
    title: str
    template_key: str
    template_version: int
    swap_pair: str | None
    submitted: int  # attempts submitted


@dataclass(frozen=True)
class ImportSummary:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


@dataclass(frozen=True)
class AttemptInfo:
    id: uuid.UUID
    exercise_key: str
    assessment_id: uuid.UUID
    trainee: str
    started_at: datetime
    submitted_at: datetime | None
    agreement: float | None
    flag_agreement: float | None


@dataclass
class Debrief:
    """What a trainee sees after submitting: their answers against the model, item by item."""

    attempt: AttemptInfo
    exercise: Exercise
    content: TemplateContent
    comparison: Comparison


@dataclass
class ItemResult:
    """How the trainees answered one item. ``counts`` (answer label -> trainees), ``agreed``
    and the flag counts are None when suppressed."""

    item_key: str
    label: str
    model: str
    counted: bool
    counts: dict[str, int] | None
    agreed: int | None
    missed_flags: int | None
    wrong_flags: int | None


@dataclass
class ExerciseResults:
    """Per exercise, how a group of trainees answered (aggregates; see the module docstring)."""

    key: str
    title: str
    submitted: int
    trainees: int
    suppressed: bool
    mean_agreement: float | None
    mean_flag_agreement: float | None
    items: list[ItemResult]
    most_missed: list[tuple[str, str, int]]  # (item key, label, trainees who missed its flag)
    completions: list[tuple[uuid.UUID, str, datetime]]  # (attempt, trainee, submitted) for certificates
    scores: list[tuple[str, float | None]] = field(default_factory=list)  # per trainee, only when not suppressed

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["completions"] = [{"attempt": str(a), "trainee": t, "submitted_at": s.isoformat()}
                               for a, t, s in self.completions]
        data["most_missed"] = [{"item": k, "label": label, "missed": n} for k, label, n in self.most_missed]
        data["scores"] = [{"trainee": t, "agreement": a} for t, a in self.scores]
        return data


def _attempt_info(row: ExerciseAttemptRow, key: str) -> AttemptInfo:
    return AttemptInfo(row.id, key, row.assessment_id, row.trainee, row.started_at, row.submitted_at,
                       row.agreement, row.flag_agreement)


class ExerciseService:
    def __init__(self, db: Database, actor: str = "", assessments: AssessmentService | None = None) -> None:
        self.db = db
        self.actor = actor
        self.assessments = assessments or AssessmentService(db, actor)

    # --- the bound template -----------------------------------------------------------------

    def _version_row(self, s: Session, key: str, number: int) -> TemplateVersionRow | None:
        return s.scalar(select(TemplateVersionRow).join(Template).where(
            Template.key == key, TemplateVersionRow.number == number))

    def _resolver(self, s: Session) -> Any:
        def resolve(key: str, number: int) -> TemplateContent:
            row = self._version_row(s, key, number)
            if row is None:
                raise LookupError(_("there is no template \u201c{key}\u201d version {number} in this database").format(
                    key=key, number=number))
            if row.status != VersionStatus.PUBLISHED:
                raise LookupError(_("template \u201c{key}\u201d version {number} is not published").format(
                    key=key, number=number))
            return self.assessments.content_of(row)
        return resolve

    def template_content(self, exercise: Exercise) -> TemplateContent:
        """The content of the template version the exercise is bound to."""
        with self.db.session() as s:
            row = self._version_row(s, exercise.template_key, exercise.template_version)
            if row is None:
                raise NotFoundError(_("No template \u201c{key}\u201d version {number}.").format(
                    key=exercise.template_key, number=exercise.template_version))
            return self.assessments.content_of(row)

    # --- queries ----------------------------------------------------------------------------

    def _row(self, s: Session, key: str) -> ExerciseRow:
        row = s.scalar(select(ExerciseRow).where(ExerciseRow.key == key))
        if row is None:
            raise NotFoundError(_("No exercise \u201c{key}\u201d.").format(key=key))
        return row

    def list(self) -> builtins.list[ExerciseInfo]:
        """Every exercise, in the order they were added (bundled first)."""
        lang = get_language()
        with self.db.session() as s:
            submitted = dict(s.execute(select(ExerciseAttemptRow.exercise_id, func.count())
                                       .where(ExerciseAttemptRow.submitted_at.is_not(None))
                                       .group_by(ExerciseAttemptRow.exercise_id)).all())
            out = []
            for row in s.scalars(select(ExerciseRow).order_by(ExerciseRow.position, ExerciseRow.key)):
                ex = exercise_from_dict(row.content)
                out.append(ExerciseInfo(row.id, row.key, ex.title_in(lang), row.template_key, row.template_version,
                                        ex.swap_pair, int(submitted.get(row.id, 0))))
            return out

    def get(self, key: str) -> Exercise:
        with self.db.session() as s:
            return exercise_from_dict(self._row(s, key).content)

    # --- changes ----------------------------------------------------------------------------

    def _store(self, s: Session, exercises: builtins.list[Exercise]) -> ImportSummary:
        created: builtins.list[str] = []
        updated: builtins.list[str] = []
        unchanged: builtins.list[str] = []
        position = (s.scalar(select(func.max(ExerciseRow.position))) or 0)
        for ex in exercises:
            digest = exercise_hash(ex)
            row = s.scalar(select(ExerciseRow).where(ExerciseRow.key == ex.key))
            if row is None:
                position += 1
                row = ExerciseRow(key=ex.key, position=position, template_key=ex.template_key,
                                  template_version=ex.template_version, content=exercise_to_dict(ex),
                                  content_hash=digest)
                s.add(row)
                s.flush()
                record(s, "exercise.created", row.id, self.actor, key=ex.key, template=ex.template_key,
                       version=ex.template_version, content_hash=digest)
                created.append(ex.key)
            elif row.content_hash == digest:
                unchanged.append(ex.key)
            else:
                row.template_key, row.template_version = ex.template_key, ex.template_version
                row.content = exercise_to_dict(ex)
                record(s, "exercise.updated", row.id, self.actor, key=ex.key, old_hash=row.content_hash,
                       content_hash=digest)
                row.content_hash = digest
                row.updated_at = utcnow()
                updated.append(ex.key)
        return ImportSummary(created, updated, unchanged)

    def import_file(self, path: str | Path) -> ImportSummary:
        """Import a ``likvard-exercise/1`` file: all of it or, on any problem, nothing
        (:class:`ExerciseFormatError` lists every problem with its location). An exercise whose key
        exists is replaced by the file's version."""
        with self.db.session() as s:
            exercises = read_exercise_file(path, self._resolver(s))
            return self._store(s, exercises)

    def save(self, exercise: Exercise) -> ImportSummary:
        """Store one exercise written in the editor, checked exactly as a file's."""
        with self.db.session() as s:
            checked = read_exercises({"format": "likvard-exercise/1", "exercises": [exercise_to_dict(exercise)]},
                                     self._resolver(s))
            return self._store(s, checked)

    def validate(self, exercise: Exercise) -> builtins.list[str]:
        """The located problems of ``exercise`` (empty when it can be saved)."""
        try:
            with self.db.session() as s:
                read_exercises({"format": "likvard-exercise/1", "exercises": [exercise_to_dict(exercise)]},
                               self._resolver(s))
        except ExerciseFormatError as exc:
            return [str(p) for p in exc.problems]
        return []

    def export_file(self, keys: builtins.list[str] | None, path: str | Path) -> int:
        """Write the exercises ``keys`` (all when None) as one canonical ``likvard-exercise/1`` file."""
        wanted = keys if keys else [info.key for info in self.list()]
        exercises = [self.get(key) for key in wanted]
        if not exercises:
            raise LikvardError(_("There are no exercises to export."))
        write_exercise_file(exercises, path)
        return len(exercises)

    def delete(self, key: str) -> None:
        """Delete an exercise nobody has attempted (attempts keep their exercise)."""
        with self.db.session() as s:
            row = self._row(s, key)
            if s.scalar(select(func.count()).select_from(ExerciseAttemptRow)
                        .where(ExerciseAttemptRow.exercise_id == row.id)):
                raise LikvardError(_("Trainees have answered this exercise; it is kept with their answers."))
            s.delete(row)
            record(s, "exercise.deleted", row.id, self.actor, key=key)

    def install_bundled(self) -> ImportSummary:
        """Install the bundled exercises (``checklists/exercises/*.json``) not in the database yet,
        each bound to the version its bundled checklist was installed as. Exercises a trainer
        already has (same key) are left as they are."""
        folder = resource_path(*BUNDLED_FOLDER)
        created: builtins.list[str] = []
        if not folder.is_dir():
            return ImportSummary([], [], [])
        with self.db.session() as s:
            versions: dict[str, int | None] = {}

            def bundled_version(key: str) -> int | None:
                if key not in versions:
                    versions[key] = None
                    for candidate in resource_path("checklists").glob("*.json"):
                        try:
                            content = read_template_file(candidate)
                        except LikvardError:
                            continue
                        if content.key != key:
                            continue
                        row = s.scalar(select(TemplateVersionRow).join(Template).where(
                            Template.key == key, TemplateVersionRow.content_hash == content.content_hash(),
                            TemplateVersionRow.status == VersionStatus.PUBLISHED))
                        versions[key] = row.number if row is not None else None
                return versions[key]

            have = set(s.scalars(select(ExerciseRow.key)))
            for path in sorted(folder.glob("*.json")):
                raw = path.read_bytes()
                digest = hashlib.sha256(raw).hexdigest()
                marker = f"bundled-exercises:{path.name}"
                seen = s.get(SettingRow, marker)
                if seen is not None and seen.value == digest:
                    continue  # this exact file was installed before: nothing to parse at start-up
                data = json.loads(raw.decode("utf-8"))
                entries = []
                for entry in data.get("exercises", []):
                    if entry["key"] in have:
                        continue
                    number = bundled_version(entry["template"]["key"])
                    if number is None:
                        continue
                    entries.append({**entry, "template": {**entry["template"], "version": number}})
                if entries:
                    exercises = read_exercises({**data, "exercises": entries}, self._resolver(s), str(path))
                    created += self._store(s, exercises).created
                s.merge(SettingRow(key=marker, value=digest))
        return ImportSummary(created, [], [])

    # --- trainee mode -----------------------------------------------------------------------

    def start(self, key: str, trainee: str) -> AttemptInfo:
        """Start (or resume: the trainee's unsubmitted attempt) an exercise. The answers are a
        training assessment over the exercise's case facts; they autosave through the assessment
        service like any case's."""
        trainee = trainee.strip()
        with self.db.session() as s:
            ex_row = self._row(s, key)
            open_attempt = s.scalar(select(ExerciseAttemptRow).where(
                ExerciseAttemptRow.exercise_id == ex_row.id, ExerciseAttemptRow.trainee == trainee,
                ExerciseAttemptRow.submitted_at.is_(None)).order_by(ExerciseAttemptRow.started_at.desc()))
            if open_attempt is not None:
                return _attempt_info(open_attempt, key)
            exercise = exercise_from_dict(ex_row.content)
            version = self._version_row(s, exercise.template_key, exercise.template_version)
            if version is None:
                raise NotFoundError(_("No template \u201c{key}\u201d version {number}.").format(
                    key=exercise.template_key, number=exercise.template_version))
            facts = exercise.facts.copy()
            facts.case_reference = f"TRAINING-{key}-{uuid.uuid4().hex[:8].upper()}"
            facts.advisor = trainee
            row = AssessmentRow(template_version=version, status=AssessmentStatus.DRAFT,
                                training_exercise_id=ex_row.id,
                                **{name: getattr(facts, name) for name in FACT_COLUMNS})
            s.add(row)
            s.flush()
            self.assessments.refresh_summary(s, row)
            attempt = ExerciseAttemptRow(exercise_id=ex_row.id, assessment_id=row.id, trainee=trainee)
            s.add(attempt)
            s.flush()
            record(s, "exercise.started", attempt.id, self.actor, exercise=key, trainee=trainee,
                   assessment=str(row.id))
            return _attempt_info(attempt, key)

    def _attempt_row(self, s: Session, attempt_id: uuid.UUID) -> tuple[ExerciseAttemptRow, ExerciseRow]:
        attempt = s.get(ExerciseAttemptRow, attempt_id)
        if attempt is None:
            raise NotFoundError(_("No training attempt {id}.").format(id=attempt_id))
        exercise = s.get(ExerciseRow, attempt.exercise_id)
        assert exercise is not None
        return attempt, exercise

    def attempt(self, attempt_id: uuid.UUID) -> AttemptInfo:
        with self.db.session() as s:
            attempt, ex_row = self._attempt_row(s, attempt_id)
            return _attempt_info(attempt, ex_row.key)

    def attempts(self, key: str) -> builtins.list[AttemptInfo]:
        """Every attempt at an exercise, oldest first."""
        with self.db.session() as s:
            ex_row = self._row(s, key)
            rows = s.scalars(select(ExerciseAttemptRow).where(ExerciseAttemptRow.exercise_id == ex_row.id)
                             .order_by(ExerciseAttemptRow.started_at))
            return [_attempt_info(r, key) for r in rows]

    def _compare(self, s: Session, attempt: ExerciseAttemptRow, ex_row: ExerciseRow
                 ) -> tuple[Exercise, TemplateContent, Comparison]:
        exercise = exercise_from_dict(ex_row.content)
        assessment = self.assessments.row_in(s, attempt.assessment_id)
        rec = self.assessments.record_in(s, assessment)
        return exercise, rec.content, compare_answers(rec.content, rec.facts, exercise.model_answers, rec.answers)

    def submit(self, attempt_id: uuid.UUID) -> Debrief:
        """Hand in an attempt: its answers lock (the training assessment is completed, even with
        items left unanswered: they simply do not agree) and are compared with the model answers."""
        with self.db.session() as s:
            attempt, ex_row = self._attempt_row(s, attempt_id)
            if attempt.submitted_at is not None:
                raise LockedAssessmentError(_("This attempt was submitted already."))
            assessment = self.assessments.row_in(s, attempt.assessment_id)
            self.assessments.refresh_summary(s, assessment)
            exercise, content, comparison = self._compare(s, attempt, ex_row)
            now = utcnow()
            assessment.status = AssessmentStatus.COMPLETED
            assessment.completed_at = now
            attempt.submitted_at = now
            attempt.agreement = comparison.agreement
            attempt.flag_agreement = comparison.flag_agreement
            record(s, "exercise.submitted", attempt.id, self.actor, exercise=ex_row.key, trainee=attempt.trainee,
                   agreement=comparison.agreement, flag_agreement=comparison.flag_agreement,
                   missed_flags=comparison.missed_flags, wrong_flags=comparison.wrong_flags)
            return Debrief(_attempt_info(attempt, ex_row.key), exercise, content, comparison)

    def debrief(self, attempt_id: uuid.UUID) -> Debrief:
        """The comparison of a submitted attempt (or, before submitting, of the answers so far)."""
        with self.db.session() as s:
            attempt, ex_row = self._attempt_row(s, attempt_id)
            exercise, content, comparison = self._compare(s, attempt, ex_row)
            return Debrief(_attempt_info(attempt, ex_row.key), exercise, content, comparison)

    # --- trainer view -----------------------------------------------------------------------

    def results(self, key: str, lang: str | None = None) -> ExerciseResults:
        """How the trainees who submitted ``key`` answered, item by item (see the module docstring)."""
        from app.pdf.summary import format_answer, translator

        lang = lang or get_language()
        tr = translator(lang)[0]
        with self.db.session() as s:
            ex_row = self._row(s, key)
            rows = list(s.scalars(select(ExerciseAttemptRow).where(
                ExerciseAttemptRow.exercise_id == ex_row.id, ExerciseAttemptRow.submitted_at.is_not(None))
                .order_by(ExerciseAttemptRow.submitted_at)))
            compared = [(row, self._compare(s, row, ex_row)) for row in rows]
            exercise = exercise_from_dict(ex_row.content)
            content = compared[0][1][1] if compared else None
        if content is None:
            content = self.template_content(exercise)
        trainees = len({row.trainee for row in rows})
        suppressed = is_suppressed(trainees)
        items: builtins.list[ItemResult] = []
        missed_total: dict[str, int] = {}
        for item in content.items():
            if not item.answerable:
                continue
            per_item = [c for _row, (_e, _c, comparison) in compared for c in comparison.items if c.item_key == item.key]
            model = exercise.model_answers.get(item.key)
            if model is None and not per_item:
                continue
            counts: dict[str, int] = {}
            for c in per_item:
                label = format_answer(item, c.trainee, lang, content, tr) or tr("(no answer)")
                counts[label] = counts.get(label, 0) + 1
            missed = sum(1 for c in per_item if c.flag_missed)
            missed_total[item.key] = missed
            items.append(ItemResult(
                item.key, content.text(item.label, lang), format_answer(item, model, lang, content, tr),
                counted=any(c.counted for c in per_item) or model is not None,
                counts=None if suppressed else dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
                agreed=None if suppressed else sum(1 for c in per_item if c.agrees),
                missed_flags=None if suppressed else missed,
                wrong_flags=None if suppressed else sum(1 for c in per_item if c.flag_wrong)))
        labels = {i.item_key: i.label for i in items}
        most_missed = [] if suppressed else sorted(
            ((k, labels[k], n) for k, n in missed_total.items() if n), key=lambda t: (-t[2], t[0]))
        agreements = [row.agreement for row in rows if row.agreement is not None]
        flag_agreements = [row.flag_agreement for row in rows if row.flag_agreement is not None]
        return ExerciseResults(
            key=key, title=exercise.title_in(lang), submitted=len(rows), trainees=trainees, suppressed=suppressed,
            mean_agreement=None if suppressed or not agreements else sum(agreements) / len(agreements),
            mean_flag_agreement=None if suppressed or not flag_agreements else sum(flag_agreements) / len(flag_agreements),
            items=items, most_missed=most_missed,
            completions=[(row.id, row.trainee, row.submitted_at) for row in rows if row.submitted_at is not None],
            scores=[] if suppressed else [(row.trainee, row.agreement) for row in rows])

    def results_text(self, key: str, fmt: str = "csv", lang: str | None = None) -> str:
        """The results as CSV (one row per item and answer) or JSON."""
        if fmt not in RESULT_FORMATS:
            raise LikvardError(_("Unknown format \u201c{format}\u201d; use csv or json.").format(format=fmt))
        results = self.results(key, lang)
        if fmt == "json":
            return json.dumps(results.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["exercise", "item", "label", "model_answer", "answer", "trainees", "agreed",
                         "missed_flags", "wrong_flags", "suppressed"])
        for item in results.items:
            if item.counts is None:
                writer.writerow([key, item.item_key, item.label, item.model, "", "", "", "", "", "true"])
                continue
            for answer, count in item.counts.items() or {"": 0}.items():
                writer.writerow([key, item.item_key, item.label, item.model, answer, count, item.agreed,
                                 item.missed_flags, item.wrong_flags, "false"])
        return buffer.getvalue()

    def export_results(self, key: str, path: str | Path, fmt: str | None = None, lang: str | None = None) -> Path:
        """Write the results to ``path`` (format from ``fmt`` or the suffix), atomically."""
        fmt = fmt or Path(path).suffix.lstrip(".").lower()
        return atomic_write_bytes(path, self.results_text(key, fmt, lang).encode("utf-8"))

    def certificate(self, attempt_id: uuid.UUID, lang: str | None = None, organisation: str = "") -> bytes:
        """A PDF certificate of completion of a submitted attempt, in ``lang``."""
        from app.pdf.certificate import build_certificate

        lang = lang or get_language()
        with self.db.session() as s:
            attempt, ex_row = self._attempt_row(s, attempt_id)
            if attempt.submitted_at is None:
                raise LikvardError(_("A certificate is given once the exercise is submitted."))
            info = _attempt_info(attempt, ex_row.key)
            exercise = exercise_from_dict(ex_row.content)
            record(s, "exercise.certificate_issued", attempt.id, self.actor, exercise=ex_row.key,
                   trainee=attempt.trainee, language=lang)
        return build_certificate(info, exercise, lang, organisation)

    def write_certificate(self, attempt_id: uuid.UUID, path: str | Path, lang: str | None = None,
                          organisation: str = "") -> Path:
        return atomic_write_bytes(path, self.certificate(attempt_id, lang, organisation))

    def training_assessment_ids(self) -> builtins.list[uuid.UUID]:
        """The ids of every training assessment (for checks: they are never cases)."""
        with self.db.session() as s:
            return list(s.scalars(select(AssessmentRow.id).where(AssessmentRow.training_exercise_id.is_not(None))))

"""Training exercises: the bundled set, the likvard-exercise/1 format, trainee attempts, scoring,
results, certificates, and that training answers never count as cases."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal

import jsonschema
import pytest
from sqlalchemy import func

from app.domain.exercise import compare_answers
from app.domain.facts import CaseFacts
from app.enums import LANGUAGE_CODES
from app.errors import LikvardError, LockedAssessmentError, NotFoundError
from app.exchange.exercise_format import ExerciseFormatError
from app.services.assessments import AssessmentFilter
from app.storage.insights import InsightFilter, counted_cases, item_flag_counts
from tests.conftest import ROOT, have, run_cli

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)

BUNDLED = ROOT / "checklists" / "exercises" / "bundled.json"
SCHEMA = ROOT / "app" / "exchange" / "schemas" / "likvard-exercise-1.schema.json"

FAMILY_MODEL_COUNTED = 16  # see test_scoring_against_hand_computed_agreement


def _bundled() -> dict:
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def test_bundled_set_is_installed_in_three_languages(services):
    infos = services.exercises.list()
    assert len(infos) >= 8
    keys = {i.key for i in infos}
    assert {"family-plans", "mixed-team", "care-low-growth", "spouse-guarantee", "smaller-amount", "discouraged",
            "extra-documents", "swap-test-woman", "swap-test-man"} <= keys
    for info in infos:
        exercise = services.exercises.get(info.key)
        assert set(exercise.vignette) == set(LANGUAGE_CODES), info.key
        assert set(exercise.title) == set(LANGUAGE_CODES), info.key
        assert all(set(texts) == set(LANGUAGE_CODES) for texts in exercise.debrief.values()), info.key
        assert exercise.template_key in ("credit_decision", "advice_meeting")
        assert services.templates.find_version(exercise.template_key, exercise.template_version).status == "published"
    # a second start installs nothing twice
    assert services.exercises.install_bundled().created == []
    assert len(services.exercises.list()) == len(infos)


def test_bundled_file_matches_schema_and_its_source():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(_bundled())
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_exercises.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_export_is_byte_stable_and_round_trips(services, tmp_path):
    out = tmp_path / "all.json"
    assert services.exercises.export_file(None, out) == len(services.exercises.list())
    assert out.read_bytes() == BUNDLED.read_bytes()  # the bundled file is canonical
    again = services.exercises.import_file(out)
    assert again.created == [] and again.updated == [] and len(again.unchanged) == len(services.exercises.list())
    data = json.loads(out.read_text(encoding="utf-8"))
    data["exercises"][0]["vignette"]["en"] += " She leaves satisfied."
    data["exercises"][0]["key"] = "family-plans-2"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    outcome = services.exercises.import_file(changed)
    assert outcome.created == ["family-plans-2"]
    single = tmp_path / "one.json"
    services.exercises.export_file(["family-plans-2"], single)
    services.exercises.import_file(single)
    second = tmp_path / "one-again.json"
    services.exercises.export_file(["family-plans-2"], second)
    assert single.read_bytes() == second.read_bytes()
    assert services.exercises.get("family-plans-2").vignette["en"].endswith("She leaves satisfied.")


def test_import_reports_located_errors_and_stores_nothing(services, tmp_path):
    data = _bundled()
    good = dict(data["exercises"][0], key="new-good-one")
    bad = dict(data["exercises"][1], key="new-bad-one")
    bad["model_answers"] = {**bad["model_answers"], "addressed_whom": "the_man", "no_such_item": "yes"}
    bad["facts"] = {**bad["facts"], "ownership": "alien"}
    bad["template"] = {"key": "advice_meeting", "version": 1}
    third = dict(data["exercises"][2], key="new-third", template={"key": "advice_meeting", "version": 9})
    del bad["model_answers"]["family_questions"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "likvard-exercise/1", "exercises": [good, bad, third]}), encoding="utf-8")
    before = len(services.exercises.list())
    with pytest.raises(ExerciseFormatError) as caught:
        services.exercises.import_file(path)
    text = [str(p) for p in caught.value.problems]
    assert any(t.startswith("exercises[1].model_answers.addressed_whom: ") and "the_man" in t for t in text)
    assert any(t.startswith("exercises[1].model_answers.no_such_item: ") for t in text)
    assert "exercises[1].model_answers.family_questions: no model answer for this item" in text
    assert any(t.startswith("exercises[1].facts.ownership: ") for t in text)
    assert any(t.startswith("exercises[2].template: ") and "version 9" in t for t in text)
    assert len(services.exercises.list()) == before  # the good one was not stored either
    with pytest.raises(NotFoundError):
        services.exercises.get("new-good-one")
    path.write_text("{\"format\": \"likvard-exercise/1\", \"exercises\": [", encoding="utf-8")
    with pytest.raises(ExerciseFormatError) as caught:
        services.exercises.import_file(path)
    assert "line 1" in str(caught.value)


def test_scoring_against_hand_computed_agreement(services):
    """family-plans: 16 scored items (what_would_differ is free text). The trainee differs on
    family_questions (misses its flag), plan_strength (3, no flag either way), growth_questions
    ("no": a flag raised wrongly) and leaves servicing_equal empty: 12 of 16 agree = 0.75.
    Flags: model {family_questions, same_advice}, trainee {same_advice, growth_questions}:
    1 shared of 3 = 1/3."""
    exercise = services.exercises.get("family-plans")
    trainee = {**exercise.model_answers, "family_questions": "all_clients", "plan_strength": 3,
               "growth_questions": "no"}
    del trainee["servicing_equal"]
    attempt = services.exercises.start("family-plans", "Trainee One")
    services.assessments.set_answers(attempt.assessment_id, trainee)
    debrief = services.exercises.submit(attempt.id)
    comparison = debrief.comparison
    assert comparison.counted == FAMILY_MODEL_COUNTED
    assert comparison.agreed == 12
    assert comparison.agreement == pytest.approx(0.75)
    assert comparison.flag_agreement == pytest.approx(1 / 3)
    assert comparison.missed_flags == ["family_questions"]
    assert comparison.wrong_flags == ["growth_questions"]
    stored = services.exercises.attempt(attempt.id)
    assert stored.agreement == pytest.approx(0.75) and stored.submitted_at is not None
    # the model answers agree with themselves completely
    content = services.exercises.template_content(exercise)
    perfect = compare_answers(content, exercise.facts, exercise.model_answers, exercise.model_answers)
    assert perfect.agreement == 1.0 and perfect.flag_agreement == 1.0
    # submitted answers are locked
    with pytest.raises(LockedAssessmentError):
        services.assessments.set_answers(attempt.assessment_id, {"plan_strength": 4})
    kinds = services.audit.kinds()
    assert {"exercise.created", "exercise.started", "exercise.submitted"} <= set(kinds)


def test_training_answers_never_count_as_cases(services):
    version = services.templates.find_version("credit_decision")
    real = services.assessments.create(version.id, CaseFacts(
        case_reference="REAL-1", ownership="women_led", decision="granted", amount_requested=Decimal(100),
        amount_granted=Decimal(100), collateral_required=False, personal_guarantee_required=False))
    services.assessments.set_answers(real, {"family_questions": "this_client"})
    for n in range(3):
        attempt = services.exercises.start("family-plans", f"Trainee {n}")
        services.assessments.set_answers(attempt.assessment_id, {"family_questions": "this_client",
                                                                 "same_advice": "no"})
        services.exercises.submit(attempt.id)
    assert len(services.exercises.training_assessment_ids()) == 3
    listed = services.assessments.list(AssessmentFilter())
    assert [r.case_reference for r in listed] == ["REAL-1"]
    assert services.assessments.count() == 1
    assert services.assessments.list(AssessmentFilter(search="TRAINING")) == []
    with services.db.session() as s:
        assert s.scalar(counted_cases(InsightFilter(), [func.count()])) == 0  # the real one is a draft
    services.assessments.set_answers(real, {**services.exercises.get("family-plans").model_answers,
                                            "what_would_differ": "I would not have asked a man."})
    services.assessments.complete(real)
    with services.db.session() as s:
        assert s.scalar(counted_cases(InsightFilter(), [func.count()])) == 1
        flags, cases = item_flag_counts(s, InsightFilter(), "all")
    assert flags[("credit_decision", "family_questions", "")] == 1  # the real case's flag only
    assert sum(cases.values()) == 1


def test_swap_pair_differs_only_in_the_owners_gender():
    by_key = {e["key"]: e for e in _bundled()["exercises"]}
    woman, man = by_key["swap-test-woman"], by_key["swap-test-man"]
    assert woman["swap_pair"] == man["swap_pair"]
    assert woman["facts"].pop("ownership") == "women_led"
    assert man["facts"].pop("ownership") == "men_led"
    for name in ("template", "facts", "model_answers", "debrief"):
        assert woman[name] == man[name], name
    allowed = {("Karin", "Karl"), ("She", "He"), ("her", "his"), ("Hon", "Han"), ("interrogée", "interrogé"),
               ("(A)", "(B)")}
    for field in ("vignette", "title"):
        for lang in LANGUAGE_CODES:
            a, b = woman[field][lang].split(), man[field][lang].split()
            matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op == "equal":
                    continue
                assert op == "replace" and i2 - i1 == j2 - j1, (field, lang, a[i1:i2], b[j1:j2])
                for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                    assert (x.strip(".,"), y.strip(".,")) in allowed, (field, lang, x, y)


def test_results_are_suppressed_below_five_trainees(services, tmp_path):
    exercise = services.exercises.get("mixed-team")
    for n in range(4):
        attempt = services.exercises.start("mixed-team", f"Trainee {n}")
        answers = dict(exercise.model_answers)
        if n % 2:
            answers["addressed_whom"] = "all_equally"  # misses the flag
        services.assessments.set_answers(attempt.assessment_id, answers)
        services.exercises.submit(attempt.id)
    few = services.exercises.results("mixed-team")
    assert few.suppressed and few.trainees == 4 and few.submitted == 4
    assert all(item.counts is None for item in few.items)
    assert few.most_missed == [] and few.scores == [] and few.mean_agreement is None
    assert len(few.completions) == 4  # who completed it stays known, for certificates
    csv_text = services.exercises.results_text("mixed-team", "csv")
    assert "Trainee" not in csv_text and ",true\n" in csv_text
    attempt = services.exercises.start("mixed-team", "Trainee 4")
    services.assessments.set_answers(attempt.assessment_id, {**exercise.model_answers, "addressed_whom": "all_equally"})
    services.exercises.submit(attempt.id)
    five = services.exercises.results("mixed-team")
    assert not five.suppressed and five.trainees == 5
    addressed = next(i for i in five.items if i.item_key == "addressed_whom")
    assert addressed.counts == {"All participants equally": 3, "Mainly one of the co-owners": 2}
    assert addressed.missed_flags == 3 and addressed.agreed == 2
    assert five.most_missed[0][0] == "addressed_whom" and five.most_missed[0][2] == 3
    csv_text = services.exercises.results_text("mixed-team", "csv")
    assert "mixed-team,addressed_whom,Whom did you mainly address during the meeting?,Mainly one of the co-owners," \
           "All participants equally,3,2,3,0,false" in csv_text
    data = json.loads(services.exercises.results_text("mixed-team", "json"))
    assert data["trainees"] == 5 and len(data["scores"]) == 5


@pytest.mark.skipif(not have("pdftotext"), reason="needs pdftotext")
@pytest.mark.parametrize(("lang", "words"), [("en", "Certificate of completion"), ("sv", "Intyg")])
def test_certificate_pdf(services, tmp_path, lang, words):
    attempt = services.exercises.start("extra-documents", "Åsa Lindström")
    services.assessments.set_answers(attempt.assessment_id, services.exercises.get("extra-documents").model_answers)
    with pytest.raises(LikvardError):
        services.exercises.certificate(attempt.id)  # not submitted yet
    services.exercises.submit(attempt.id)
    path = services.exercises.write_certificate(attempt.id, tmp_path / "cert.pdf", lang=lang, organisation="KGF Väst")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = re.sub(r"\s+", " ", text)
    assert "Åsa Lindström" in text and "KGF Väst" in text
    assert "100" in text and "%" in text  # the agreement score
    title = services.exercises.get("extra-documents").title[lang]
    assert title in text
    if lang == "en":
        assert words in text
    elif "Intyg" not in text:  # the Swedish catalog is filled in by the lead at merge
        assert "Certificate" in text


def test_cli_exercises(tmp_path):
    db = tmp_path / "cli.sqlite"
    listed = run_cli("--db", str(db), "exercises", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) >= 8
    out = tmp_path / "x.json"
    exported = run_cli("--db", str(db), "exercises", "export", "swap-test-woman,swap-test-man", str(out))
    assert exported.returncode == 0, exported.stderr
    assert [e["key"] for e in json.loads(out.read_text(encoding="utf-8"))["exercises"]] == [
        "swap-test-woman", "swap-test-man"]
    bad = tmp_path / "bad.json"
    data = json.loads(out.read_text(encoding="utf-8"))
    data["exercises"][0]["model_answers"]["plan_strength"] = 9
    bad.write_text(json.dumps(data), encoding="utf-8")
    refused = run_cli("--db", str(db), "exercises", "import", str(bad))
    assert refused.returncode == 1
    assert "exercises[0].model_answers.plan_strength: Choose a value from 1 to 5." in refused.stderr
    results = run_cli("--db", str(db), "exercises", "results", "family-plans", "--format", "json")
    assert results.returncode == 0 and json.loads(results.stdout)["suppressed"] is True
    shutil.copy(out, tmp_path / "again.json")
    again = run_cli("--db", str(db), "exercises", "import", str(tmp_path / "again.json"))
    assert again.returncode == 0 and "2 unchanged" in again.stdout

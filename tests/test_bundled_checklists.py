"""The two bundled checklists (Credit decision, Advice meeting) as the app installs and uses them:
listed by ``likvard templates list``; a completed case on each keeps its private reflections out of
the summary PDF (pdftotext), the assessment export and the per-case CSV/XLSX exports; the coverage
table in docs/ is the one the JSON gives."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.domain.assessment import Evaluation
from app.domain.template import TemplateContent
from app.storage.insights import InsightFilter
from tests.conftest import run_cli
from tests.pdf.conftest import swedish_facts
from tests.pdf.helpers import pdftotext

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)

ROOT = Path(__file__).resolve().parent.parent
CHECKLISTS = ("credit_decision", "advice_meeting")
SECRET = "Jag hade frågat en man om tillväxtplaner"
PRIVATE_COMMENT = "PRIVAT-KOMMENTAR-7"


def test_both_checklists_are_listed_by_templates_list(tmp_path):
    db = tmp_path / "fresh.sqlite"
    listed = run_cli("templates", "list", "--json", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    published = {t["key"] for t in json.loads(listed.stdout) if t["status"] == "published"}
    assert set(CHECKLISTS) <= published
    swedish = run_cli("templates", "list", "--db", str(db), "--lang", "sv")
    assert "Likabehandling vid kreditbeslut" in swedish.stdout
    assert "Likabehandling i rådgivningsmöten" in swedish.stdout


def _first_answer(content: TemplateContent, key: str) -> Any:
    item = content.item(key)
    if item.type == "yes_no_na":
        return "yes"
    if item.type in ("single_choice", "multiple_choice"):
        value = item.options[0].value
        return [value] if item.type == "multiple_choice" else value
    if item.type in ("scale", "integer"):
        return 3
    return "x"


def _completed_reflective_case(services, template_key: str):
    """A case with the reflections answered (doubt, a private text and comment), then every other
    required item, completed."""
    version = services.templates.find_version(template_key)
    facts = swedish_facts(meeting_type=template_key, case_reference=f"REF-{template_key}")
    aid = services.assessments.create(version.id, facts)
    services.assessments.set_answers(aid, {"same_advice": "no", "what_would_differ": SECRET})
    services.assessments.set_comment(aid, "same_advice", PRIVATE_COMMENT)
    for _ in range(10):  # answering may reveal further required items
        rec = services.assessments.get(aid)
        missing = Evaluation(rec.content, rec.facts, rec.answers).missing_required()
        if not missing:
            break
        services.assessments.set_answers(aid, {it.key: _first_answer(rec.content, it.key) for it in missing})
    return services.assessments.complete(aid)


@pytest.mark.parametrize("template_key", CHECKLISTS)
def test_no_private_item_reaches_the_pdf_or_any_per_case_export(services, tmp_path, template_key):
    rec = _completed_reflective_case(services, template_key)
    content = rec.content
    private = [i for i in content.items() if i.private]
    assert {"same_advice", "what_would_differ"} <= {i.key for i in private}
    assert "same_advice" in {f.item_key for f in rec.evaluation().flags()}  # counted for the aggregates
    assert rec.answers["what_would_differ"] == SECRET  # kept in the case

    pdf = tmp_path / "summary.pdf"
    services.summaries.export_pdf(rec.id, pdf, lang="sv")
    text = pdftotext(pdf)
    assert SECRET not in text and PRIVATE_COMMENT not in text
    for item in private:
        assert content.text(item.label, "sv")[:40] not in text, item.key
    assert content.text(content.item("meeting_attendees").label, "sv")[:30] in text  # the public items are there

    exported = json.dumps(rec.to_dict(), ensure_ascii=False)  # the likvard-assessment/1 export
    assert SECRET not in exported and PRIVATE_COMMENT not in exported
    assert not {i.key for i in private} & {a["item"] for a in rec.to_dict()["answers"]}

    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"cases{suffix}"
        assert services.insights.export_cases(InsightFilter(template=template_key), str(out)) == 1
        if suffix == ".csv":
            raw = out.read_text(encoding="utf-8-sig")
            table = list(csv.reader(io.StringIO(raw)))
        else:
            table = [["" if c.value is None else str(c.value) for c in row] for row in load_workbook(out).active.iter_rows()]
            raw = json.dumps(table, ensure_ascii=False)
        assert SECRET not in raw and PRIVATE_COMMENT not in raw
        row = dict(zip(table[0], table[1], strict=False))
        assert row["case_reference"] == f"REF-{template_key}" and row["meeting_attendees"] == "one_person"
        # a column of that name may exist for another template's public item; this case's cell stays empty
        for item in private:
            assert row.get(item.key, "") == "", (suffix, item.key)


def test_the_coverage_table_is_the_one_the_checklists_give():
    from scripts.checklist_coverage import render

    assert (ROOT / "docs" / "checklist-coverage.md").read_text(encoding="utf-8") == render(), \
        "run python scripts/checklist_coverage.py"

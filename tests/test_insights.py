"""Equal-opportunity insights (issue 12) on a seeded database whose answers are computed by hand.

Seed (all_types template, every case dated 2026-01-10):
  men-led   10 cases: 7 granted 100/100, 3 refused (one of them an amendment of a granted case:
            the case counts once, as amended); collateral in 3; "family asked" (a flag) in 2.
  women-led 10 cases: 5 granted 50/100, 5 refused; collateral in 6; "family asked" in 6;
            decided after 20 days (men and mixed: 10 days).
  mixed      6 cases: partly granted 80/100; no collateral; no flag.
  no ownership 3 cases (counted as "not disclosed"): granted -> every cell suppressed.
  one draft (never counted).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from scipy.stats import binomtest, fisher_exact, mannwhitneyu
from sqlalchemy import text

from app.domain.facts import CaseFacts
from app.storage.insights import InsightFilter
from tests.conftest import have, run_cli

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)

DAY = date(2026, 1, 10)


def _case(services, version_id, ref, ownership, decision, granted, collateral, family, days=10, branch="Borås",
          advisor="Anna Lindqvist", complete=True):
    facts = CaseFacts(case_reference=ref, case_date=DAY, advisor=advisor, branch=branch, ownership=ownership,
                      sector="retail", amount_requested=Decimal(100), currency="SEK",
                      amount_granted=Decimal(granted) if granted is not None else None,
                      collateral_required=collateral, personal_guarantee_required=False,
                      interest_rate=Decimal("5.5"), decision=decision, decision_date=DAY + timedelta(days=days))
    case_id = services.assessments.create(version_id, facts)
    services.assessments.set_answers(case_id, {"family_asked": "yes" if family else "no", "family_all": "yes",
                                               "reasons": "Standard criteria.", "summary": "SECRET-ANSWER"})
    if complete:
        services.assessments.complete(case_id)
    return case_id


@pytest.fixture
def seeded(services):
    """Services over a copy of the seeded database (tests/conftest.py PREPARED_DATABASES: seeded once)."""
    return services


def seed_all_types(services):
    return seed(services, services.templates.find_version("all_types").id)


def seed(services, v):
    """The seed of the module docstring (also used on PostgreSQL: tests/test_postgres.py)."""
    men = [_case(services, v, f"M{i}", "men_led", "granted" if i < 8 else "refused", 100 if i < 8 else None,
                 i < 3, i < 2, branch="Borås" if i < 5 else "Skövde") for i in range(10)]
    for i in range(10):
        _case(services, v, f"W{i}", "women_led", "granted" if i < 5 else "refused", 50 if i < 5 else None,
              i < 6, i < 6, days=20, branch="Borås" if i < 5 else "Skövde", advisor="Erik Johansson")
    for i in range(6):
        _case(services, v, f"X{i}", "mixed", "partly_granted", 80, False, False)
    for i in range(3):
        _case(services, v, f"N{i}", None, "granted", 100, False, False)
    _case(services, v, "D0", "women_led", "refused", None, True, True, complete=False)
    # M7 (granted) amended into a refusal: an amendment row as the revision service would write it
    from app.services.assessments import store_item_flags
    from app.storage.models import AssessmentRow

    with services.db.session() as s:
        original = s.get(AssessmentRow, men[7])
        facts = {c: getattr(original, c) for c in ("case_reference", "case_date", "advisor", "branch", "ownership",
                                                   "sector", "amount_requested", "currency", "collateral_required",
                                                   "personal_guarantee_required", "interest_rate", "decision_date")}
        amended = AssessmentRow(template_version_id=original.template_version_id, status="completed", revision=2,
                                amends_id=original.id, decision="refused", amount_granted=None, flag_count=0,
                                score=original.score, **facts)
        s.add(amended)
        s.flush()
        store_item_flags(s, amended, [])
    # H8's templates will mark items private; this one marks "summary" in the stored content
    with services.db.engine.begin() as conn:
        row = conn.execute(text("select id, content from template_versions where id = :id"),
                           {"id": v.hex}).one()
        content = row[1] if isinstance(row[1], dict) else json.loads(row[1])  # PostgreSQL: JSON comes parsed
        for section in content["sections"]:
            for item in section["items"]:
                if item["key"] in ("summary", "family_asked_private"):
                    item["private"] = True
        conn.execute(text("update template_versions set content = :c where id = :id"),
                     {"c": json.dumps(content), "id": row[0]})
    return services


def _groups(services, **filters):
    return {g.group: g for g in services.insights.indicators(InsightFilter(**filters))}


def test_every_indicator_equals_the_hand_computed_value(seeded):
    g = _groups(seeded)
    men, women, mixed = g["men_led"], g["women_led"], g["mixed"]
    assert (men.cases.value, women.cases.value, mixed.cases.value) == (10, 10, 6)  # draft and old revision out
    assert men.cells["approval"].value == pytest.approx(0.7)
    assert men.cells["refusal"].value == pytest.approx(0.3)
    assert women.cells["approval"].value == pytest.approx(0.5)
    assert mixed.cells["approval"].value == pytest.approx(1.0)
    assert women.cells["withdrawal"].value == 0
    assert men.cells["granted_share"].value == pytest.approx(1.0)
    assert women.cells["granted_share"].value == pytest.approx(0.5)
    assert mixed.cells["granted_share"].value == pytest.approx(0.8)
    assert women.cells["granted_share_median"].value == pytest.approx(0.5)
    assert men.cells["collateral"].value == pytest.approx(0.3)
    assert women.cells["collateral"].value == pytest.approx(0.6)
    assert mixed.cells["collateral"].value == 0
    assert women.cells["guarantee"].value == 0
    assert women.cells["interest_rate"].value == pytest.approx(5.5)
    assert men.cells["processing_days"].value == pytest.approx(10)
    assert women.cells["processing_days"].value == pytest.approx(20)
    assert men.cells["flagged"].value == pytest.approx(0.2)
    assert women.cells["flagged"].value == pytest.approx(0.6)
    # ratios to men-led and the four-fifths rule
    assert women.cells["approval"].ratio == pytest.approx(0.5 / 0.7)
    assert women.cells["approval"].ratio_alert
    assert women.cells["collateral"].ratio == pytest.approx(2.0)
    assert women.cells["collateral"].ratio_alert
    assert not women.cells["interest_rate"].ratio_alert


def test_statistics_equal_scipy_on_the_same_counts(seeded):
    g = _groups(seeded)
    women = g["women_led"].cells
    ci = binomtest(5, 10).proportion_ci(method="wilson")
    assert (women["approval"].low, women["approval"].high) == pytest.approx((ci.low, ci.high))
    assert women["approval"].p_value == pytest.approx(fisher_exact([[5, 5], [7, 3]]).pvalue)
    assert women["collateral"].p_value == pytest.approx(fisher_exact([[6, 4], [3, 7]]).pvalue)
    expected = mannwhitneyu([0.5] * 5, [1.0] * 7, alternative="two-sided").pvalue
    assert women["granted_share"].p_value == pytest.approx(expected)
    assert women["granted_share"].verdict == ("real" if expected < 0.05 else "chance")
    assert women["approval"].verdict == "chance"
    assert women["approval"].verdict_text() == "could be chance"
    assert g["men_led"].cells["approval"].p_value is None  # the reference group is not tested against itself


def test_mixed_is_never_folded_and_missing_ownership_is_not_disclosed(seeded):
    g = _groups(seeded)
    assert list(g) == ["women_led", "men_led", "mixed", "not_disclosed"]
    assert g["mixed"].cases.value == 6
    nd = g["not_disclosed"]
    assert nd.cases.suppressed and nd.cases.value is None and nd.cases.base is None
    assert all(c.suppressed and c.value is None for c in nd.cells.values())


def test_filters_change_the_figures_and_small_cells_are_suppressed(seeded):
    g = _groups(seeded, branch="Skövde")  # men M5..M9, women W5..W9 (all refused)
    assert g["women_led"].cells["approval"].value == 0
    assert g["men_led"].cells["approval"].value == pytest.approx(2 / 5)
    assert g["mixed"].cases.suppressed
    assert g["women_led"].cells["granted_share"].suppressed  # no granted share at all
    assert _groups(seeded, date_from=date(2026, 2, 1))["men_led"].cases.suppressed


def test_training_needs_rank_items_and_keep_private_items_as_counts(seeded):
    needs = seeded.insights.training_needs(InsightFilter(), "all")
    top = needs[0]
    assert (top.item, top.flags, top.cases) == ("family_asked", 8, 29)
    by_owner = {n.slice: n for n in seeded.insights.training_needs(InsightFilter(), "ownership")
                if n.item == "family_asked"}
    assert by_owner["women_led"].flags == 6 and by_owner["men_led"].flags == 2
    report = seeded.insights.report(InsightFilter(), role="trainer")
    assert "advisor" in report.breakdowns
    advisor_view = seeded.insights.report(InsightFilter(), role="advisor", me="Anna Lindqvist")
    assert "advisor" not in advisor_view.breakdowns
    assert advisor_view.own and all(n.item == "family_asked" for n in advisor_view.own)
    from app.errors import LikvardError

    with pytest.raises(LikvardError):
        seeded.insights.report(InsightFilter(advisor="Erik Johansson"), role="advisor", me="Anna Lindqvist")


def test_private_items_never_appear_in_the_case_export(seeded, tmp_path):
    from app.exchange.insights_export import write_cases
    from app.services.insights import case_table, is_private

    assert is_private({"private": True}) and not is_private({"key": "x"})
    header, rows = case_table(seeded.db, InsightFilter())
    assert len(rows) == 29
    assert "summary" not in header and "family_asked" in header
    assert "SECRET-ANSWER" not in json.dumps(rows, default=str)
    references = {r[0] for r in rows}
    assert "M7" in references and "D0" not in references
    m7 = next(r for r in rows if r[0] == "M7")
    assert m7[header.index("decision")] == "refused" and m7[header.index("revision")] == 2
    out = tmp_path / "cases.csv"
    write_cases(header, rows, out)
    assert "SECRET-ANSWER" not in out.read_text()


def _check_suppressed_everywhere(report, tmp_path):
    from openpyxl import load_workbook

    from app.exchange.insights_export import suppressed_marker, write_report

    csv_rows = list(csv.DictReader(io.StringIO(write_report(report, "csv", None))))
    nd = [r for r in csv_rows if r["group"] == "not_disclosed"]
    assert nd and all(r["suppressed"] == "suppressed" and r["value"] == "" and r["cases"] == "" for r in nd)
    data = json.loads(write_report(report, "json", None))
    nd_json = next(g for g in data["groups"] if g["group"] == "not_disclosed")
    assert nd_json["cases"] == {**nd_json["cases"], "value": None, "base": None, "suppressed": True}
    assert "3" not in json.dumps(nd_json["cases"])
    assert suppressed_marker() in write_report(report, "table", None)
    write_report(report, "xlsx", tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")["Indicators"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert all(r[-1] == "suppressed" and r[2] in (None, "") for r in rows if r[0] == "not_disclosed")


def test_suppression_in_the_table_csv_xlsx_json(seeded, tmp_path):
    _check_suppressed_everywhere(seeded.insights.report(InsightFilter(), role="trainer"), tmp_path)


@pytest.mark.sqlite_only  # a subprocess or the file itself
@pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils missing")
def test_cli_report_pdf_and_exports(seeded, tmp_path, db_path):
    seeded.db.close()
    pdf = tmp_path / "insights.pdf"
    done = run_cli("report", "--db", str(db_path), "--branch", "Borås", "--format", "pdf", "--out", str(pdf))
    assert done.returncode == 0, done.stderr
    page_text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "Equal-opportunity insights" in page_text
    assert "Branch: Borås" in page_text  # the filters are written on it
    assert "suppressed (fewer than 5 cases)" in page_text  # mixed in Borås: 6 cases, not disclosed: 3
    assert "Women-led" in page_text and "Mixed" in page_text
    assert "SECRET-ANSWER" not in page_text
    done = run_cli("report", "--db", str(db_path), "--format", "json")
    assert json.loads(done.stdout)["groups"][0]["group"] == "women_led"
    out = tmp_path / "cases.xlsx"
    done = run_cli("assessments", "export", str(out), "--db", str(db_path), "--to", "2026-12-31")
    assert done.returncode == 0 and out.exists()
    bad = run_cli("report", "--db", str(db_path), "--from", "yesterday")
    assert bad.returncode == 1 and "not a date" in bad.stderr and "Traceback" not in bad.stderr


def _pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.replace("\xa0", " ").split())


@pytest.mark.sqlite_only  # a subprocess or the file itself
@pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils missing")
def test_the_pdf_report_is_in_the_requested_language(seeded, tmp_path, db_path):
    from app import i18n
    from app.exchange.insights_export import write_report

    i18n.set_language("en")  # the window's language; the report is asked for in Swedish
    report = seeded.insights.report(InsightFilter(), role="trainer", lang="sv")
    seeded.insights.export_report(report, "pdf", str(tmp_path / "sv.pdf"), lang="sv")
    assert i18n.get_language() == "en"  # only the report was written in Swedish
    sv = _pdf_text(tmp_path / "sv.pdf")
    assert "Insikter om likabehandling" in sv and "Equal-opportunity insights" not in sv
    assert "Kvinnoledd" in sv and "Blandad ledning" in sv and "Women-led" not in sv
    assert "Andel beviljade" in sv and "Approval rate" not in sv
    assert "5,5" in sv and "5.5" not in sv  # the mean interest rate with a decimal comma
    assert "50 %" in sv and "70 %" in sv  # babel's Swedish percent: a space before %
    assert "visas inte" in sv and "suppressed" not in sv  # suppression marked in Swedish too
    write_report(report, "pdf", tmp_path / "en.pdf")
    en = _pdf_text(tmp_path / "en.pdf")
    assert "Equal-opportunity insights" in en and "5.5" in en and "50%" in en
    # the command line: --lang sv report --format pdf
    seeded.db.close()
    pdf = tmp_path / "cli-sv.pdf"
    done = run_cli("--lang", "sv", "report", "--db", str(db_path), "--format", "pdf", "--out", str(pdf))
    assert done.returncode == 0, done.stderr
    cli = _pdf_text(pdf)
    assert "Insikter om likabehandling" in cli and "Kvinnoledd" in cli and "5,5" in cli and "50 %" in cli


@pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils missing")
def test_the_pdf_keeps_the_trend_on_the_first_page_with_the_bars(seeded, tmp_path):
    from app.exchange.insights_export import write_report

    report = seeded.insights.report(InsightFilter(), role="trainer", lang="en")
    write_report(report, "pdf", tmp_path / "en.pdf", organisation="Almi Väst", lang="en")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "en.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Approval rate by quarter" in first and "Cases with at least one flag" in first
    assert "1.00" in _pdf_text(tmp_path / "en.pdf")  # men-led to itself: a ratio with two decimals


@pytest.mark.sqlite_only  # a subprocess or the file itself
@pytest.mark.parametrize("filters", [{}, {"branch": "Borås", "sector": "retail"}])
def test_the_indicator_queries_read_the_insights_index_alone(seeded, filters):
    """The grouped pass and the share distribution read migration 0010's partial index, never the
    case rows, and the grouped pass needs no sort (a lost index is minutes at 100 000 cases).
    Checked on the statements the service really sends, with their parameters."""
    from sqlalchemy import event

    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM assessments" in statement and "group by" in statement.lower():
            statements.append((statement, parameters))

    engine = seeded.db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        seeded.insights.indicators(InsightFilter(**filters))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(statements) == 2  # the grouped pass and the share distribution
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in statements:
            plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
            main = [step for step in plan if " assessments " in f" {step} " and "SUBQUERY" not in step]
            assert main and all("COVERING INDEX ix_assessments_insights" in step for step in main), plan
            if "flag_count" in statement:
                assert not any("TEMP B-TREE" in step for step in plan), plan


@pytest.mark.sqlite_only  # a subprocess or the file itself
def test_a_filter_with_a_character_no_sheet_holds_still_writes_the_workbook(seeded, tmp_path, db_path):
    """A branch typed with a control character on the command line is written into the workbook's
    filter line as U+FFFD, not an openpyxl exception (a traceback from the CLI)."""
    import openpyxl

    seeded.db.close()
    out = tmp_path / "odd.xlsx"
    done = run_cli("report", "--db", str(db_path), "--branch", "Bo\x01r\uffffås", "--format", "xlsx", "--out", str(out))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    texts = [str(c.value) for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("Bo\ufffdr\ufffdås" in t for t in texts), texts[:20]

"""XLSForm import and export: the public samples, an exact round trip, malformed sheets."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.domain.template import parse_template
from app.errors import TemplateFormatError
from app.exchange.xlsform import (
    SkippedRow,
    XLSFormImport,
    condition_to_xpath,
    parse_relevant,
    read_xlsform,
    write_xlsform,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = Path(__file__).resolve().parent / "data" / "xlsform"  # with their LICENSE


def sample(name: str) -> Path:
    path = SAMPLES / name
    assert path.exists(), f"XLSForm sample {name} is missing from tests/data/xlsform"
    return path


def make_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def items_of(data: dict) -> dict[str, dict]:
    return {item["key"]: item for section in data["sections"] for item in section["items"]}


def skipped_rows(result: XLSFormImport, sheet: str = "survey") -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for s in result.skipped:
        if s.sheet.lower() == sheet:
            out.setdefault(s.row, []).append(s.reason)
    return out


# --- the public XLSForm samples -----------------------------------------------------------------


def test_every_sample_imports_or_fails_with_a_location():
    if not SAMPLES.is_dir():
        pytest.skip("XLSForm samples not available")
    files = sorted(SAMPLES.glob("*.xlsx"))
    assert files
    outcomes = {}
    for path in files:
        try:
            result = read_xlsform(path)
        except TemplateFormatError as exc:
            assert exc.problems and all(p.location for p in exc.problems)
            outcomes[path.name] = "error"
        else:
            parse_template(result.data)
            for s in result.skipped:
                assert isinstance(s, SkippedRow) and s.row >= 1 and s.reason and s.sheet
            outcomes[path.name] = "ok"
    expected = {
        "case_insensitivity.xlsx": "ok", "choice_filter_test.xlsx": "ok", "extra_sheet_names.xlsx": "ok",
        "group.xlsx": "ok", "specify_other.xlsx": "ok", "text_and_integer.xlsx": "ok",
        "xlsform_spec_test.xlsx": "ok", "yes_or_no_question.xlsx": "ok",
    }
    assert {k: v for k, v in outcomes.items() if k in expected} == {k: v for k, v in expected.items() if k in outcomes}


def test_group_sample_gives_a_section_per_group():
    result = read_xlsform(sample("group.xlsx"))
    data = result.data
    assert [s["key"] for s in data["sections"]] == ["general", "father"]
    general, father = data["sections"]
    assert [i["key"] for i in general["items"]] == ["family_name"]
    assert father["title"] == {"en": "Father"}
    assert [(i["key"], i["type"]) for i in father["items"]] == [("phone_number", "short_text"), ("age", "integer")]
    assert data["languages"] == ["en"] and data["default_language"] == "en"
    assert data["key"] == "group"
    assert result.skipped == []


def test_case_insensitive_sample():
    result = read_xlsform(sample("case_insensitivity.xlsx"))
    data = result.data
    assert data["key"] == "yesno"  # settings FORM_ID "YesNo"
    assert data["title"] == {"en": "Yes or no"}
    assert data["languages"] == ["en"]
    q1 = items_of(data)["q1"]
    assert q1["type"] == "single_choice"
    assert [o["value"] for o in q1["options"]] == ["n1-c", "n2-c"]
    assert q1["label"] == {"en": "Are you good?"}
    rows = skipped_rows(result)
    assert set(rows) == {3, 4}
    assert "select_one_external" in rows[3][0]
    assert "osm" in rows[4][0]
    unused = {s.sheet for s in result.skipped if s.sheet.lower() != "survey"}
    assert unused == {"EXTERNAL_CHOICES", "ENTITIES", "OSM"}


def test_choice_filter_sample_keeps_items_and_reports_filters_and_duplicates():
    result = read_xlsform(sample("choice_filter_test.xlsx"))
    data = result.data
    assert data["key"] == "cascading_selects1"
    assert list(items_of(data)) == ["state", "county", "city"]
    assert [o["value"] for o in items_of(data)["county"]["options"]] == ["king", "pierce", "cameron"]
    rows = skipped_rows(result)
    assert set(rows) == {3, 4}
    assert all("choice_filter" in r for r in rows[3] + rows[4])
    dup = skipped_rows(result, "choices")
    assert list(dup) == [6] and "king" in dup[6][0]


def test_extra_sheet_names_sample():
    result = read_xlsform(sample("extra_sheet_names.xlsx"))
    assert [(i["key"], i["type"]) for i in items_of(result.data).values()] == [("test", "short_text")]
    assert result.data["sections"][0]["key"] == "general"
    assert result.skipped == []  # the extra sheets are empty


def test_specify_other_sample_adds_an_other_option():
    result = read_xlsform(sample("specify_other.xlsx"))
    sex = items_of(result.data)["sex"]
    assert sex["type"] == "single_choice"
    assert [o["value"] for o in sex["options"]] == ["male", "female", "other"]
    assert result.data["languages"] == ["en"]  # "label:English"
    assert list(skipped_rows(result)) == [2]


def test_text_and_integer_sample():
    result = read_xlsform(sample("text_and_integer.xlsx"))
    assert [(i["key"], i["type"]) for i in items_of(result.data).values()] == [
        ("your_name", "short_text"), ("your_age", "integer")]
    assert result.data["languages"] == ["en"]  # "label:english"
    assert result.skipped == []


def test_yes_or_no_sample_is_a_single_choice():
    result = read_xlsform(sample("yes_or_no_question.xlsx"))
    good_day = items_of(result.data)["good_day"]
    assert good_day["type"] == "single_choice"  # yes/no without na is not our yes_no_na
    assert [o["value"] for o in good_day["options"]] == ["yes", "no"]


def test_spec_sample_drops_its_regex_relevant_and_says_so():
    result = read_xlsform(sample("xlsform_spec_test.xlsx"))
    reasons = [s.reason for s in result.skipped if s.row == 7 and s.kind == "condition"]
    assert len(reasons) == 1 and "regex" in reasons[0] and "dropped" in reasons[0]


def test_spec_sample_without_the_regex_reports_what_it_leaves_out(tmp_path):
    wb = openpyxl.load_workbook(sample("xlsform_spec_test.xlsx"))
    wb["survey"]["N7"].value = None
    wb["survey"]["B55"].value = "False"
    wb.save(tmp_path / "spec.xlsx")
    result = read_xlsform(tmp_path / "spec.xlsx")
    data = result.data
    assert data["key"] == "spec_test"
    assert data["languages"] == ["en", "zh"]
    assert [s["key"] for s in data["sections"]] == ["general", "everything", "general_2"]
    assert data["sections"][1]["visible_when"] == {"not": {"item": "skip_to_end", "op": "contains", "value": "yes"}}
    items = items_of(data)
    assert "q_1" in items and "required_text" not in items  # repeat children are left out
    assert items["address"]["label"] == {"en": "Enter an address", "zh": "\u60a8\u597d"}
    rows = skipped_rows(result)
    assert any("rows 15\u201329" in r for r in rows[15])
    for row in (30, 32, 33, 34, 35, 36, 37, 38, 40, 42, 44, 46, 48, 50, 52):
        assert row in rows, row
    assert any("constraint" in r for r in rows[14])
    assert any("_1" in r for r in rows[54])


# --- round trip -----------------------------------------------------------------------------------


def _t(en: str, sv: str, fr: str) -> dict[str, str]:
    return {"en": en, "sv": sv, "fr": fr}


def _options(*values: str) -> list[dict]:
    return [{"value": v, "label": _t(f"{v} en", f"{v} sv", f"{v} fr")} for v in values]


FULL = {
    "format": "likvard-template/1",
    "key": "round_trip",
    "default_language": "sv",
    "languages": ["en", "sv", "fr"],
    "title": {"en": "Round trip", "sv": "Rundresa", "fr": "Aller-retour"},
    "description": _t("Every feature.", "Alla funktioner.", "Toutes les fonctions."),
    "sections": [
        {
            "key": "basics",
            "title": _t("Basics", "Grunder", "Bases"),
            "items": [
                {"key": "intro", "type": "note", "label": _t("=Read me", "L\u00e4s mig\nrad tv\u00e5", "Lisez-moi"),
                 "guidance": {"en": "Only English guidance"}},
                {"key": "asked", "type": "yes_no_na", "label": _t("Asked?", "Fr\u00e5gat?", "Demand\u00e9 ?"),
                 "required": True, "weight": 2,
                 "flag_when": {"item": "asked", "op": "equals", "value": "yes"},
                 "flag_explanation": _t("Flagged", "Flaggad", "Signal\u00e9")},
                {"key": "yn_choice", "type": "single_choice", "label": _t("Looks like yes/no/na", "Ja/nej", "Oui/non"),
                 "options": _options("yes", "no", "na")},
                {"key": "channel", "type": "single_choice", "label": _t("Channel", "Kanal", "Canal"),
                 "options": _options("office", "video-call", "1"),
                 "visible_when": {"item": "asked", "op": "not_equals", "value": "no"}},
                {"key": "docs", "type": "multiple_choice", "label": _t("Documents", "Handlingar", "Documents"),
                 "options": _options("cash_flow", "personal", "o'brien"),
                 "visible_when": {"any_of": [
                     {"item": "channel", "op": "equals", "value": "office"},
                     {"not": {"item": "asked", "op": "answered"}},
                 ]},
                 "flag_when": {"item": "docs", "op": "contains", "value": "personal"},
                 "flag_explanation": _t("Personal", "Personlig", "Personnel"), "weight": 0.5},
                {"key": "basics", "type": "short_text", "label": _t("Same key as the section", "Samma", "M\u00eame"),
                 "visible_when": {"all_of": [
                     {"item": "docs", "op": "contains", "value": "cash_flow"},
                     {"any_of": [{"item": "asked", "op": "equals", "value": "yes"},
                                 {"item": "channel", "op": "not_answered"}]},
                 ]}},
            ],
        },
        {
            "key": "numbers",
            "title": _t("Numbers", "Siffror", "Chiffres"),
            "visible_when": {"item": "asked", "op": "equals", "value": "yes"},
            "items": [
                {"key": "reasons", "type": "long_text", "label": _t("Reasons", "Sk\u00e4l", "Motifs"),
                 "required": True,
                 "visible_when": {"fact": "decision", "op": "in", "value": ["refused", "partly_granted"]}},
                {"key": "minutes", "type": "integer", "label": _t("Minutes", "Minuter", "Minutes"),
                 "min": 0, "max": 600, "weight": 3,
                 "flag_when": {"item": "minutes", "op": "lt", "value": 20},
                 "flag_explanation": _t("Short", "Kort", "Court")},
                {"key": "rate", "type": "decimal", "label": _t("Rate", "R\u00e4nta", "Taux"), "min": 0.5,
                 "visible_when": {"all_of": [{"item": "minutes", "op": "ge", "value": 10},
                                             {"item": "minutes", "op": "le", "value": 60.5}]}},
                {"key": "fees", "type": "money", "label": _t("Fees", "Avgifter", "Frais"), "max": 1000.0, "weight": 0,
                 "visible_when": {"item": "rate", "op": "gt", "value": {"item": "minutes", "times": 0.5}}},
                {"key": "follow_up", "type": "date", "label": _t("Follow-up", "Uppf\u00f6ljning", "Suivi"),
                 "visible_when": {"item": "fees", "op": "lt", "value": {"fact": "amount_requested", "times": 0.1}}},
                {"key": "deadline", "type": "date", "label": _t("Deadline", "Sista dag", "\u00c9ch\u00e9ance"),
                 "visible_when": {"item": "follow_up", "op": "ge", "value": "2024-01-31"}},
                {"key": "confidence", "type": "scale", "label": _t("Confidence", "S\u00e4kerhet", "Confiance"),
                 "guidance": _t("1 low, 5 high", "1 l\u00e5g, 5 h\u00f6g", "1 faible, 5 \u00e9lev\u00e9e"),
                 "visible_when": {"not": {"item": "fees", "op": "equals", "value": {"item": "minutes"}}},
                 "flag_when": {"any_of": [
                     {"item": "confidence", "op": "le", "value": 2},
                     {"all_of": [{"fact": "granted_ratio", "op": "lt", "value": 0.5},
                                 {"not": {"item": "reasons", "op": "answered"}}]},
                 ]},
                 "flag_explanation": {"en": "Low", "sv": "L\u00e5g"}},
                {"key": "always", "type": "short_text", "label": {"fr": "Toujours"},
                 "visible_when": {"all_of": []}},
                {"key": "in_list", "type": "short_text", "label": _t("In", "I", "Dans"),
                 "visible_when": {"item": "channel", "op": "in", "value": ["office", "1"]}},
                {"key": "not_in_list", "type": "short_text", "label": _t("Not in", "Inte i", "Pas dans"),
                 "visible_when": {"item": "channel", "op": "not_in", "value": ["office"]}},
                {"key": "bool_value", "type": "short_text", "label": _t("Bool", "Bool", "Bool"),
                 "visible_when": {"fact": "collateral_required", "op": "equals", "value": True}},
                {"key": "numbers_eq", "type": "short_text", "label": _t("Eq", "Eq", "Eq"),
                 "visible_when": {"any_of": [{"item": "minutes", "op": "equals", "value": 5},
                                             {"item": "rate", "op": "not_equals", "value": 2.0}]}},
                {"key": "single", "type": "short_text", "label": _t("Single", "Enkel", "Simple"),
                 "visible_when": {"all_of": [{"item": "minutes", "op": "gt", "value": -3}]}},
            ],
        },
        {"key": "empty", "title": {"en": "Empty section"}, "items": []},
        {
            "key": "general",
            "title": _t("General", "Allm\u00e4nt", "G\u00e9n\u00e9ral"),
            "visible_when": {"fact": "sector", "op": "equals", "value": "retail"},
            "items": [
                {"key": "last", "type": "multiple_choice", "label": _t("Last", "Sist", "Dernier"),
                 "options": [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"sv": "B"}}],
                 "required": True},
            ],
        },
    ],
}


def test_full_template_is_valid():
    assert parse_template(FULL).to_dict() == FULL


def test_round_trip_gives_back_an_equal_template(tmp_path):
    path = tmp_path / "full.xlsx"
    write_xlsform(copy.deepcopy(FULL), path)
    result = read_xlsform(path)
    assert result.skipped == []
    assert result.data == FULL
    assert parse_template(result.data).canonical_json() == parse_template(FULL).canonical_json()
    # ... and again, from the content object
    write_xlsform(parse_template(result.data), path)
    assert read_xlsform(path).data == FULL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.xlsx"]  # no temporary file left


def test_export_uses_plain_xlsform_where_it_can(tmp_path):
    path = tmp_path / "full.xlsx"
    write_xlsform(FULL, path)
    wb = openpyxl.load_workbook(path)
    survey = wb["survey"]
    header = [c.value for c in survey[1]]
    assert header[:5] == ["type", "name", "label::English (en)", "label::Svenska (sv)", "label::Fran\u00e7ais (fr)"]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in survey.iter_rows(min_row=2, values_only=True) if r[1]}
    assert rows["asked"]["type"] == "select_one yes-no-na"
    assert rows["asked"]["required"] == "yes"
    assert rows["channel"]["relevant"] == "${asked} != 'no'" and rows["channel"]["likvard_visible_when"] is None
    assert rows["docs"]["relevant"] == "${channel} = 'office' or not(${asked} != '')"
    assert rows["basics"]["relevant"] == "selected(${docs}, 'cash_flow') and (${asked} = 'yes' or ${channel} = '')"
    assert rows["minutes"]["constraint"] == ". >= 0 and . <= 600"
    assert rows["fees"]["type"] == "decimal" and rows["fees"]["likvard_type"] == "money"
    assert rows["fees"]["relevant"] == "${rate} > ${minutes} * 0.5"
    assert rows["deadline"]["relevant"] == "${follow_up} >= date('2024-01-31')"
    assert rows["reasons"]["relevant"] is None and rows["reasons"]["appearance"] == "multiline"
    assert json.loads(rows["reasons"]["likvard_visible_when"])["fact"] == "decision"
    # "in" has an XLSForm spelling but it reads back as an "or": the JSON keeps it exact
    assert rows["in_list"]["relevant"] == "(${channel} = 'office' or ${channel} = '1')"
    assert rows["in_list"]["likvard_visible_when"]
    assert rows["numbers"]["type"] == "begin group" and rows["numbers"]["relevant"] == "${asked} = 'yes'"
    assert rows["intro"]["label::English (en)"] == "=Read me"  # text, not a formula
    choices = [tuple(r[:2]) for r in wb["choices"].iter_rows(min_row=2, values_only=True)]
    assert ("yes-no-na", "na") in choices and ("scale-1-5", "5") in choices and ("channel", "video-call") in choices
    settings = dict(zip([c.value for c in wb["settings"][1]], [c.value for c in wb["settings"][2]], strict=True))
    assert settings["form_id"] == "round_trip" and settings["form_title"] == "Rundresa"
    assert settings["default_language"] == "Svenska (sv)" and settings["version"]


def test_export_without_our_columns_still_reads_as_plain_xlsform(tmp_path):
    path = tmp_path / "full.xlsx"
    write_xlsform(FULL, path)
    wb = openpyxl.load_workbook(path)
    for ws in (wb["survey"], wb["settings"]):
        for col in reversed(range(1, ws.max_column + 1)):
            if str(ws.cell(1, col).value).startswith("likvard_"):
                ws.delete_cols(col)
    wb.save(path)
    result = read_xlsform(path)
    items = items_of(result.data)
    assert items["asked"]["type"] == "yes_no_na"  # detected from the yes/no/na list
    assert items["yn_choice"]["type"] == "yes_no_na"  # ... which is why the export names the type
    assert items["reasons"]["type"] == "long_text"  # appearance multiline
    assert items["fees"]["type"] == "decimal"
    assert items["confidence"]["type"] == "single_choice"
    assert items["minutes"]["min"] == 0 and items["minutes"]["max"] == 600
    assert items["channel"]["visible_when"] == FULL["sections"][0]["items"][3]["visible_when"]
    assert "reasons" in items and "visible_when" not in items["reasons"]
    assert result.data["title"] == {"sv": "Rundresa"}


@pytest.mark.parametrize("relative", ["checklists/equal-treatment-credit.json", "checklists/credit-decision.json",
                                      "checklists/advice-meeting.json", "tests/data/all_types.json"])
def test_round_trip_of_repository_templates(tmp_path, relative):
    source = REPO / relative
    if not source.exists():
        pytest.skip(f"{relative} not available")
    data = json.loads(source.read_text(encoding="utf-8"))
    canonical = parse_template(data).to_dict()
    path = tmp_path / "out.xlsx"
    write_xlsform(data, path)
    result = read_xlsform(path)
    assert result.skipped == []
    assert result.data == canonical
    assert parse_template(result.data).canonical_json() == parse_template(data).canonical_json()


@pytest.mark.parametrize("relative", ["checklists/credit-decision.json", "checklists/advice-meeting.json"])
def test_bundled_checklists_survive_json_xlsform_json_byte_for_byte(tmp_path, relative):
    source = REPO / relative
    data = json.loads(source.read_text(encoding="utf-8"))
    assert any(i.get("private") for s in data["sections"] for i in s["items"])
    path = tmp_path / "out.xlsx"
    write_xlsform(data, path)
    assert parse_template(read_xlsform(path).data).canonical_json().encode("utf-8") == source.read_bytes()


def _survey_with(path, column: str, values: dict[str, Any]) -> None:
    """Set ``column`` of the survey rows named in ``values`` (adding the column if needed)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["survey"]
    header = [c.value for c in ws[1]]
    if column not in header:
        header.append(column)
        ws.cell(row=1, column=len(header), value=column)
    index = header.index(column) + 1
    name_index = header.index("name") + 1
    for r in range(2, ws.max_row + 1):
        name = ws.cell(row=r, column=name_index).value
        if name in values:
            ws.cell(row=r, column=index, value=values[name])
    wb.save(path)


def test_private_and_sources_columns_as_a_person_would_type_them(tmp_path):
    path = tmp_path / "typed.xlsx"
    write_xlsform(FULL, path)
    _survey_with(path, "likvard_private", {"asked": "TRUE", "minutes": "no"})
    _survey_with(path, "likvard_sources", {"asked": "  Directive 2004/113/EC \n\n Diskrimineringslagen (2008:567)",
                                           "minutes": '["  kept as typed", "two"]'})
    items = items_of(read_xlsform(path).data)
    assert items["asked"]["private"] is True and "private" not in items["minutes"]
    assert items["asked"]["sources"] == ["Directive 2004/113/EC", "Diskrimineringslagen (2008:567)"]
    assert items["minutes"]["sources"] == ["  kept as typed", "two"]


@pytest.mark.parametrize(("column", "value"), [("likvard_private", "maybe"), ("likvard_sources", '["ok", 3]'),
                                                ("likvard_sources", "[not json")])
def test_a_bad_private_or_sources_cell_is_a_located_error(tmp_path, column, value):
    path = tmp_path / "bad.xlsx"
    write_xlsform(FULL, path)
    _survey_with(path, column, {"asked": value})
    with pytest.raises(TemplateFormatError) as info:
        read_xlsform(path)
    assert any(p.location.startswith("survey!") for p in info.value.problems)


def test_write_rejects_an_invalid_template_and_writes_nothing(tmp_path):
    bad = copy.deepcopy(FULL)
    bad["sections"][0]["items"][0]["type"] = "bogus"
    with pytest.raises(TemplateFormatError):
        write_xlsform(bad, tmp_path / "bad.xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x1f", "\ufffe", "\uffff"])
def test_a_text_a_spreadsheet_cannot_hold_is_a_located_error_and_nothing_is_written(tmp_path, char):
    """A template can hold such a character (it came in through JSON); the spreadsheet cannot:
    a clear error that says where, not openpyxl's or lxml's exception half-way through the file."""
    from app.errors import LikvardError

    odd = copy.deepcopy(FULL)
    item = odd["sections"][0]["items"][0]
    lang = next(iter(item["label"]))
    item["label"][lang] = "Before" + char + "after"
    path = tmp_path / "odd.xlsx"
    path.write_bytes(b"old")
    with pytest.raises(LikvardError) as caught:
        write_xlsform(odd, path)
    message = str(caught.value)
    assert "survey!3:label" in message and f"U+{ord(char):04X}" in message, message  # row 2: its section
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["odd.xlsx"]
    item["label"][lang] = "Before\tand\nafter"  # tabs and line breaks are fine
    write_xlsform(odd, path)
    assert items_of(read_xlsform(path).data)[item["key"]]["label"][lang] == "Before\tand\nafter"


def test_write_replaces_an_existing_file(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")
    write_xlsform(FULL, path)
    assert read_xlsform(path).data == FULL
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_template_key_argument_wins(tmp_path):
    write_xlsform(FULL, tmp_path / "f.xlsx")
    assert read_xlsform(tmp_path / "f.xlsx", template_key="other_key").data["key"] == "other_key"


# --- relevant expressions -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("${x} = 'yes'", {"item": "x", "op": "equals", "value": "yes"}),
    ("${x}!=\"no\"", {"item": "x", "op": "not_equals", "value": "no"}),
    ("selected(${x}, 'a')", {"item": "x", "op": "contains", "value": "a"}),
    ("selected (${x},'a')", {"item": "x", "op": "contains", "value": "a"}),
    ("${n} < 5", {"item": "n", "op": "lt", "value": 5}),
    ("${n} <= 5.5", {"item": "n", "op": "le", "value": 5.5}),
    ("10 > ${n}", {"item": "n", "op": "lt", "value": 10}),
    ("${n} >= -2", {"item": "n", "op": "ge", "value": -2}),
    ("${d} > date('2024-05-01')", {"item": "d", "op": "gt", "value": "2024-05-01"}),
    ("${a} > ${b} * 0.5", {"item": "a", "op": "gt", "value": {"item": "b", "times": 0.5}}),
    ("string-length(${x}) > 0", {"item": "x", "op": "answered"}),
    ("string-length(${x}) = 0", {"item": "x", "op": "not_answered"}),
    ("count-selected(${x}) >= 1", {"item": "x", "op": "answered"}),
    ("${x} != ''", {"item": "x", "op": "answered"}),
    ("${x} = ''", {"item": "x", "op": "not_answered"}),
    ("${a} = 'y' and ${b} = 'n' and ${c} = 'z'",
     {"all_of": [{"item": "a", "op": "equals", "value": "y"}, {"item": "b", "op": "equals", "value": "n"},
                 {"item": "c", "op": "equals", "value": "z"}]}),
    ("${a} = 'y' or ${b} = 'n' and ${c} = 'z'",
     {"any_of": [{"item": "a", "op": "equals", "value": "y"},
                 {"all_of": [{"item": "b", "op": "equals", "value": "n"}, {"item": "c", "op": "equals", "value": "z"}]}]}),
    ("(${a} = 'y' or ${b} = 'n') and not(${c} = 'z')",
     {"all_of": [{"any_of": [{"item": "a", "op": "equals", "value": "y"}, {"item": "b", "op": "equals", "value": "n"}]},
                 {"not": {"item": "c", "op": "equals", "value": "z"}}]}),
    ("true()", {"all_of": []}),
    ("false()", {"any_of": []}),
])
def test_parse_relevant(text, expected):
    assert parse_relevant(text) == expected


@pytest.mark.parametrize("text", [
    "", "${x} =", "${x} = 'a' and", "regex(${x}, 'a')", "${x} + 1 > 2", ". > 3", "${x} > 'abc'",
    "(${x} = 'a'", "${x} = 'a')", "string-length(${x}) > 3", "${x} = 'a' xor ${y} = 'b'", "'a' = 'b'",
    "${x} 'a'", "not ${x} = 'a'", "${x} = 'unterminated",
])
def test_parse_relevant_rejects(text):
    with pytest.raises(ValueError):
        parse_relevant(text)


def test_condition_to_xpath_has_no_spelling_for_facts():
    assert condition_to_xpath({"fact": "sector", "op": "equals", "value": "retail"}) is None
    assert condition_to_xpath({"all_of": [{"item": "a", "op": "answered"},
                                          {"fact": "sector", "op": "answered"}]}) is None


# --- aliases and languages ------------------------------------------------------------------------


def test_aliases_languages_and_features(tmp_path):
    path = make_xlsx(tmp_path / "aliases.xlsx", {
        "Survey": [
            ["TYPE", "Name", "Label:English (en)", "label::Svenska", "hint::French (fr)", "Required", "Relevant",
             "Constraint", "choice_filter", "Required_Message"],
            ["begin_group", "Grp", "Group", "Grupp"],
            ["int", "Age", "Age", "\u00c5lder", None, "TRUE()", None, ". >= 18 and . <= 120", None, "needed"],
            ["select all that apply colours", "fav-colour", "Colours", "F\u00e4rger", "Couleurs", True,
             "${Age} > 30", None, "x = 1"],
            ["add note prompt", "note1", "Note", None, None, None, "selected(${fav-colour}, 'red')"],
            ["percentage", "share", "Share"],
            ["text", "txt", "Text", None, None, "${Age} > 3", None, "string-length(.) < 5"],
            ["end_group"],
            ["begin repeat", "rep", "Repeat"],
            ["text", "inside", "Inside"],
            ["end repeat"],
            ["geopoint", "where", "Where"],
            ["select one from file places.csv", "place", "Place"],
            ["decimal", "d", None],
        ],
        "CHOICES": [
            ["list name", "name", "label:English (en)", "label::Svenska"],
            ["colours", "red", "Red", "R\u00f6d"],
            ["colours", "blue", "Blue", "Bl\u00e5"],
        ],
        "settings": [["form_title", "form_id", "default_language"], ["Alias test", "Alias-Test", "Svenska"]],
    })
    result = read_xlsform(path)
    data = result.data
    assert data["languages"] == ["en", "sv", "fr"] and data["default_language"] == "sv"
    assert data["key"] == "alias_test" and data["title"] == {"sv": "Alias test"}
    assert [s["key"] for s in data["sections"]] == ["grp", "general"]
    items = items_of(data)
    assert items["age"] == {"key": "age", "type": "integer", "label": {"en": "Age", "sv": "\u00c5lder"},
                            "required": True, "min": 18, "max": 120,
                            "guidance": {"sv": "needed"}}  # the required message is kept as guidance
    colour = items["fav_colour"]
    assert colour["type"] == "multiple_choice" and colour["required"] is True
    assert colour["guidance"] == {"fr": "Couleurs"}
    assert colour["visible_when"] == {"item": "age", "op": "gt", "value": 30}
    assert [o["label"] for o in colour["options"]] == [{"en": "Red", "sv": "R\u00f6d"}, {"en": "Blue", "sv": "Bl\u00e5"}]
    assert items["note1"]["visible_when"] == {"item": "fav_colour", "op": "contains", "value": "red"}
    assert items["share"]["min"] == 0 and items["share"]["max"] == 100
    assert "required" not in items["txt"]
    assert items["d"]["label"] == {"sv": "d"}
    assert "inside" not in items and "where" not in items and "place" not in items
    rows = skipped_rows(result)
    assert any("fav-colour" in r for r in rows[4]) and any("choice_filter" in r for r in rows[4])
    assert any("${Age} > 3" in r for r in rows[7]) and any("string-length(.)" in r for r in rows[7])
    assert any("9\u201311" in r for r in rows[9])
    assert 10 not in rows and 12 in rows and 13 in rows and 14 in rows
    assert any("Svenska" in s.reason for s in result.skipped) is False  # a known language name


def test_relevant_on_a_skipped_question_drops_the_condition(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label", "relevant"],
        ["calculate", "calc", None],
        ["text", "t", "T", "${calc} > 3"],
    ]})
    result = read_xlsform(path)
    assert "visible_when" not in items_of(result.data)["t"]
    assert set(skipped_rows(result)) == {2, 3}


def test_nested_groups_become_separate_sections(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label", "relevant"],
        ["text", "a", "A"],
        ["begin group", "outer", "Outer", "${a} = 'x'"],
        ["text", "b", "B"],
        ["begin group", "inner", "Inner", "${b} = 'y'"],
        ["text", "c", "C"],
        ["end group"],
        ["text", "d", "D"],
        ["end group"],
        ["text", "e", "E"],
    ]})
    result = read_xlsform(path)
    sections = [(s["key"], [i["key"] for i in s["items"]], s.get("visible_when")) for s in result.data["sections"]]
    outer = {"item": "a", "op": "equals", "value": "x"}
    inner = {"item": "b", "op": "equals", "value": "y"}
    assert sections == [
        ("general", ["a"], None),
        ("outer", ["b"], outer),
        ("inner", ["c"], {"all_of": [outer, inner]}),
        ("outer_2", ["d"], outer),
        ("general_2", ["e"], None),
    ]
    assert list(skipped_rows(result)) == [5]


def test_a_condition_the_template_check_refuses_is_dropped_and_reported(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label", "relevant"],
        ["text", "a", "A", "${a} = 'x'"],
    ]})
    result = read_xlsform(path)
    assert "visible_when" not in result.data["sections"][0]["items"][0]
    [skipped] = result.skipped
    assert (skipped.row, skipped.kind) == (2, "condition") and "own answer" in skipped.reason


# --- malformed spreadsheets -----------------------------------------------------------------------


def _error(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(TemplateFormatError) as info:
        read_xlsform(path)
    return [(p.location, p.message) for p in info.value.problems]


def test_missing_survey_sheet(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"choices": [["list_name", "name", "label"], ["l", "a", "A"]]})
    [(location, message)] = _error(path)
    assert location == "survey" and "survey" in message


def _report(path: Path) -> tuple[dict, dict[int, list[str]]]:
    result = read_xlsform(path)
    by_row: dict[int, list[str]] = {}
    for s in result.skipped:
        by_row.setdefault(s.row, []).append(s.reason)
    return result.data, by_row


def _keys(data: dict) -> list[str]:
    return [i["key"] for s in data["sections"] for i in s["items"]]


def test_unknown_list_name_leaves_the_question_out(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {
        "survey": [["type", "name", "label"], ["text", "a", "A"], ["select_one nope", "b", "B"]],
        "choices": [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]],
    })
    data, report = _report(path)
    assert _keys(data) == ["a"]
    assert list(report) == [3] and "nope" in report[3][0]


def test_duplicate_names_are_renamed_and_reported(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label"], ["text", "a", "A"], ["integer", "b", "B"], ["text", "a", "A again"]]})
    data, report = _report(path)
    assert _keys(data) == ["a", "b", "a_2"]
    assert list(report) == [4] and "row 2" in report[4][0] and "a_2" in report[4][0]


def test_end_group_without_begin_is_ignored(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label"], ["text", "a", "A"], ["end group"]]})
    data, report = _report(path)
    assert _keys(data) == ["a"] and list(report) == [3] and "begin group" in report[3][0]


def test_begin_group_without_end_ends_with_the_sheet(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label"], ["begin group", "g", "G"], ["text", "a", "A"]]})
    data, report = _report(path)
    assert [s["key"] for s in data["sections"]] == ["g"] and _keys(data) == ["a"]
    assert list(report) == [2] and "end group" in report[2][0]


def test_end_repeat_closing_a_group_is_ignored(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label"], ["begin group", "g", "G"], ["text", "a", "A"], ["end repeat"], ["end group"]]})
    data, report = _report(path)
    assert _keys(data) == ["a"] and list(report) == [4]


def test_bad_relevant_expression_drops_the_condition(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label", "relevant"], ["text", "a", "A"], ["text", "b", "B", "${a} = = 'x'"],
        ["text", "c", "C", "${zz} = 'x'"]]})
    data, report = _report(path)
    assert _keys(data) == ["a", "b", "c"]
    assert all("visible_when" not in i for i in data["sections"][0]["items"])
    assert list(report) == [3, 4] and "zz" in report[4][0]
    assert all("dropped" in reasons[0] for reasons in report.values())


def test_not_a_spreadsheet(tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_text("hello")
    [(location, _message)] = _error(path)
    assert location == "f.xlsx"


def test_bad_json_column(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [
        ["type", "name", "label", "likvard_flag_when", "likvard_weight"],
        ["text", "a", "A", "{not json", "heavy"]]})
    assert [loc for loc, _msg in _error(path)] == ["survey!D2", "survey!E2"]


def test_nothing_to_import(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"survey": [["type", "name", "label"], ["geopoint", "where", "Where"]]})
    [(location, _message)] = _error(path)
    assert location == "survey"


# --- the real world (issue #17) ---------------------------------------------------------------


def test_real_world_expressions_are_kept_or_dropped_row_by_row(tmp_path):
    from app.domain.assessment import Evaluation
    from app.domain.facts import CaseFacts

    path = make_xlsx(tmp_path / "f.xlsx", {
        "survey": [
            ["type", "name", "label", "relevant", "constraint", "constraint_message", "guidance_hint", "calculation"],
            ["select_one num", "contact_number", "How many contacts?"],
            ["text", "who", "Who is ${contact_number}?", "${contact_number} = 1"],
            ["select_one yn", "ok", "OK?"],
            ["text", "why", "Why?", "${ok} = 'Yes'"],
            ["text", "whynot", "Why not?", "${ok} = 'Maybe'"],
            ["integer", "minutes", "Minutes", None, ". > 0 and . < 60", "Between 1 and 59", "Count whole minutes"],
            ["integer", "age", "Age", None, ". >= 15 and . <= 49 or . = 99"],
            ["text", "code", "Code", None, "string-length(.) = 4"],
            ["text", "hidden", "Hidden", False],
            ["begin group", "g", "Group"],
            ["text", "inside", "Inside"],
            ["text", "sibling", "Sibling", "../inside != ''"],
            ["end group"],
            ["select_multiple num", "many", "Many"],
            ["text", "several", "Several", "count-selected(${many}) > 1"],
            ["calculate", "total", None, None, None, None, None, "${age} + 1"],
            ["text", "old", "Old?", "${total} > 50"],
            ["note", "where", "Seen at ${nowhere}"],
        ],
        "choices": [["list_name", "name", "label"], ["num", 1, "One"], ["num", 2, "Two"],
                    ["yn", "yes", "Yes"], ["yn", "no", "No"]],
    })
    result = read_xlsform(path)
    items = items_of(result.data)
    report = skipped_rows(result)
    assert items["who"]["visible_when"] == {"item": "contact_number", "op": "equals", "value": "1"}
    assert items["who"]["label"] == {"en": "Who is ${contact_number}?"}  # filled in at display time
    assert items["why"]["visible_when"] == {"item": "ok", "op": "equals", "value": "yes"}
    assert "read as" in report[5][0]
    assert "visible_when" not in items["whynot"] and any("not one of its choices" in r for r in report[6])
    assert (items["minutes"]["min"], items["minutes"]["max"]) == (1, 59)
    assert items["minutes"]["guidance"] == {"en": "Count whole minutes\n\nBetween 1 and 59"}
    assert items["age"]["min"] == 15 and "max" not in items["age"] and "99" in report[8][0]
    assert "length" in report[9][0]
    assert "visible_when" not in items["hidden"] and "FALSE" in report[10][0]
    assert items["sibling"]["visible_when"] == {"item": "inside", "op": "answered"}
    assert "visible_when" not in items["several"] and 16 in report
    assert "calculated value" in report[18][0] and "${age} + 1" in report[18][0]
    assert items["where"]["label"] == {"en": "Seen at"} and "nowhere" in report[19][0]
    content = parse_template(result.data)
    shown = Evaluation(content, CaseFacts(case_reference="c"), {"contact_number": "1"})
    assert shown.is_visible("who")  # the answer "1" matches the code written as the number 1
    assert not Evaluation(content, CaseFacts(case_reference="c"), {"contact_number": "2"}).is_visible("who")


def test_an_old_xls_workbook_is_read(tmp_path):
    real = Path(__file__).resolve().parent / "data" / "xlsform-real" / "hotosm_health.xls"
    result = read_xlsform(real)
    assert result.data["sections"] and "sw" in result.data["languages"]


def test_a_file_that_is_neither_xlsx_nor_xls_says_what_is_expected(tmp_path):
    path = tmp_path / "f.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    [(location, message)] = _error(path)
    assert location == "f.xls" and ".xls" in message


def test_a_draft_with_a_malformed_condition_exports_and_reads_back_with_its_location(tmp_path):
    """A draft is parsed leniently, so its condition's op may be anything (a list crashed the writer)."""
    draft = copy.deepcopy(FULL)
    first, second = draft["sections"][0]["items"][:2]
    second["visible_when"] = {"item": first["key"], "op": ["equals"], "value": "yes"}
    assert condition_to_xpath(second["visible_when"]) is None
    path = write_xlsform(parse_template(draft, strict=False), tmp_path / "draft.xlsx")
    result = read_xlsform(path)  # the row is kept, its condition dropped and reported where it was
    [skipped] = [r for r in result.skipped if r.kind == "condition"]
    assert skipped.sheet == "survey" and "['equals']" in skipped.reason
    assert "visible_when" not in result.data["sections"][0]["items"][1]

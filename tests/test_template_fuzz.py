"""Fuzzing template import (hypothesis): JSON templates and XLSForm workbooks, mutated and random.

Property: ``TemplateService.import_file`` either imports or raises a LikvardError with a
non-empty message, never another exception, and when it refuses, no row is added anywhere.
Examples per test: the ``default`` profile in tests/conftest.py (a few hundred in all);
``LIKVARD_FUZZ=thorough`` runs thousands.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.template import parse_template
from app.errors import LikvardError
from app.exchange.xlsform import write_xlsform
from tests.conftest import DATA, ROOT
from tests.test_template_hardening import row_counts

pytestmark = pytest.mark.fuzz

SEEDS = [json.loads((ROOT / "checklists" / "equal-treatment-credit.json").read_text(encoding="utf-8")),
         json.loads((DATA / "all_types.json").read_text(encoding="utf-8"))]
MARK = "@@NEST@@"


def check_import(services, path: Path, publish: bool, allow_partial: bool) -> None:
    """The property: imported, or a LikvardError with a message and nothing stored."""
    before = row_counts(services)
    try:
        services.templates.import_file(path, publish=publish, allow_partial=allow_partial)
    except LikvardError as exc:
        assert exc.message.strip()
        assert row_counts(services) == before
        return


# --- JSON ------------------------------------------------------------------------------------

texts = st.one_of(st.text(max_size=12), st.sampled_from(["", "\ud800", "key\n", "a" * 70, "en", "sv", "x y",
                                                          "2024-02-30", "yes", "single_choice", "money"]))
numbers = st.one_of(st.integers(min_value=-(10**20), max_value=10**20), st.sampled_from([10**16, -0.0, 1e308]),
                    st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=12)


def _containers(node: Any, out: list) -> list:
    if isinstance(node, (dict, list)):
        out.append(node)
        for child in (node.values() if isinstance(node, dict) else node):
            _containers(child, out)
    return out


@st.composite
def mutated_templates(draw) -> str:
    data = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    nest = None
    for _ in range(draw(st.integers(1, 4))):
        containers = _containers(data, [])
        node = containers[draw(st.integers(0, len(containers) - 1))]
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        action = draw(st.sampled_from(["replace", "drop", "insert", "nest"]))
        if action == "insert" or not keys:
            value = draw(json_values)
            if isinstance(node, dict):
                node[draw(texts)] = value
            else:
                node.insert(draw(st.integers(0, len(node))), value)
        elif action == "drop":
            del node[draw(st.sampled_from(keys))]
        elif action == "replace":
            node[draw(st.sampled_from(keys))] = draw(json_values)
        elif nest is None:
            key = draw(st.sampled_from(keys))
            nest = (draw(st.sampled_from(["[", '{"not":', '{"all_of":['])), draw(st.integers(50, 1500)), node[key])
            node[key] = MARK
    text = json.dumps(data, ensure_ascii=True, allow_nan=True)
    if nest is not None:
        opener, depth, inner = nest
        closer = {"[": "]", '{"not":': "}", '{"all_of":[': "]}"}[opener]
        text = text.replace(json.dumps(MARK), opener * depth + json.dumps(inner, allow_nan=True) + closer * depth, 1)
    if draw(st.booleans()) and draw(st.booleans()):  # sometimes damage the text itself
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["", "}", "]", ",", '"', "\\", "\\ud800", "NaN", "9" * 5000])) + text[at + 1:]
    return text


@given(text=mutated_templates(), publish=st.booleans())
def test_fuzzed_json_templates_import_or_are_refused_cleanly(services, tmp_path, text, publish):
    path = tmp_path / "fuzz.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    check_import(services, path, publish, allow_partial=False)


# --- XLSForm ---------------------------------------------------------------------------------

HEADERS = ["type", "name", "label", "label::English (en)", "label::Svenska (sv)", "label:French", "hint", "required",
           "relevant", "constraint", "appearance", "choice_filter", "likvard_type", "likvard_weight",
           "likvard_flag_when", "likvard_visible_when", "likvard_flag_explanation", "list_name", "list name",
           "form_title", "form_id", "default_language", "allow_choice_duplicates", "likvard_title::English (en)"]
CELLS = st.one_of(
    st.none(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.sampled_from(["text", "integer", "decimal", "date", "note", "select_one yes_no", "select_multiple l",
                     "select_one l or_other", "begin group", "end group", "begin repeat", "end repeat", "geopoint",
                     "calculate", "q1", "q2", "g1", "l", "yes", "no", "a", "${q1} = 'a'", "${q1} > 3 and ${q2} != ''",
                     "selected(${q2}, 'a')", "not(${zz})", ". >= 1 and . <= 5", "((((", "${q1} * 2 > ${q2}",
                     '{"item": "q1", "equals": "a"}', '{"not": {"not": {}}}', '[1, 2', "NaN", "1e999",
                     "English (en)", "sv", "money", "scale", "yes_no_na", "9" * 400, "multiline", "=1+1"]),
    # what a spreadsheet can hold: XML 1.0 characters (no controls, surrogates, U+FFFE or U+FFFF)
    st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"), max_size=10))
sheet_rows = st.lists(st.lists(CELLS, max_size=8), max_size=8)


def _save(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@st.composite
def random_workbooks(draw) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = draw(st.lists(st.sampled_from(["survey", "choices", "settings", "Survey", "CHOICES", "notes"]),
                          min_size=0, max_size=4, unique_by=str.lower))
    for name in names:
        ws = wb.create_sheet(name)
        header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
        ws.append(header)
        for row in draw(sheet_rows):
            ws.append(row)
    if not wb.worksheets:
        wb.create_sheet("empty")
    return _save(wb)


def _valid_workbook(seed: int) -> bytes:
    data = copy.deepcopy(SEEDS[seed])
    with TemporaryDirectory() as folder:
        write_xlsform(parse_template(data), Path(folder) / "t.xlsx")
        return (Path(folder) / "t.xlsx").read_bytes()


VALID = [_valid_workbook(0), _valid_workbook(1)]


@st.composite
def edited_workbooks(draw) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(draw(st.sampled_from(VALID))))
    for _ in range(draw(st.integers(1, 6))):
        ws = wb.worksheets[draw(st.integers(0, len(wb.worksheets) - 1))]
        row = draw(st.integers(1, max(1, ws.max_row)))
        column = draw(st.integers(1, max(1, ws.max_column)))
        ws.cell(row=row, column=column).value = draw(CELLS)
    return _save(wb)


@st.composite
def corrupted_workbooks(draw) -> bytes:
    raw = bytearray(draw(st.sampled_from(VALID)))
    how = draw(st.sampled_from(["flip", "truncate", "member"]))
    if how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(raw) - 1))
            raw[at] = draw(st.integers(0, 255))
        return bytes(raw)
    if how == "truncate":
        return bytes(raw[: draw(st.integers(0, len(raw) - 1))])
    out = io.BytesIO()  # rewrite one member (XML, content types...) with damaged text
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as src, zipfile.ZipFile(out, "w") as dst:
        victims = src.namelist()
        victim = draw(st.sampled_from(victims))
        for name in victims:
            data = src.read(name)
            if name == victim:
                cut = draw(st.integers(0, len(data)))
                data = data[:cut] + draw(st.binary(max_size=20)) + data[cut + draw(st.integers(0, 20)):]
            dst.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["random", "edited", "corrupted"])
def test_fuzzed_workbooks_import_or_are_refused_cleanly(services, tmp_path, kind):
    strategy = {"random": random_workbooks(), "edited": edited_workbooks(), "corrupted": corrupted_workbooks()}[kind]

    @given(raw=strategy, suffix=st.sampled_from([".xlsx", ".xlsm"]), publish=st.booleans(), partial=st.booleans())
    def run(raw, suffix, publish, partial):
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(raw)
        check_import(services, path, publish, partial)

    run()

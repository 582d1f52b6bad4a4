"""Hostile template files: each refused with a clear, located, translated error, nothing stored.

The JSON cases (deep nesting, huge integers, lone surrogates, NaN/Infinity, keys ending in a
newline) and damaged workbooks (bad zip, bad XML, bad content types) ended in tracebacks or were
accepted before."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from sqlalchemy import func, select

from app.domain.template import parse_template
from app.errors import LikvardError, TemplateFormatError
from app.exchange.xlsform import write_xlsform
from app.storage.models import EventRow, Template, TemplateVersionRow
from tests.conftest import DATA

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)

BASE_TEXT = (DATA / "all_types.json").read_text(encoding="utf-8")
BASE = json.loads(BASE_TEXT)
FIRST_ITEM = BASE["sections"][0]["items"][0]["key"]
SECOND_ITEM = BASE["sections"][0]["items"][1]["key"]


def row_counts(services) -> tuple[int, int, int]:
    with services.db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(model)) for model in (Template, TemplateVersionRow, EventRow))


def _with(edit) -> str:
    data = copy.deepcopy(BASE)
    data["key"] = "hostile"
    return edit(data)


def _marker(path: list, replacement: str):
    """Put a marker at ``path`` and replace it in the text by raw JSON (what json.dumps cannot write)."""

    def edit(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = "@@MARK@@"
        return json.dumps(data, ensure_ascii=True).replace('"@@MARK@@"', replacement)

    return edit


def _number_item(data) -> list:
    for si, section in enumerate(data["sections"]):
        for ii, item in enumerate(section["items"]):
            if item["type"] in ("integer", "decimal", "money"):
                return ["sections", si, "items", ii]
    raise AssertionError("no number item")


NUMBER_ITEM = _number_item(BASE)
CONDITION = json.dumps({"item": SECOND_ITEM, "equals": "x"})

HOSTILE_JSON = {
    "1000 levels of lists": ("[" * 1000 + "]" * 1000, "nested"),
    "1000 levels in a condition": (_with(_marker(["sections", 0, "items", 0, "visible_when"],
                                                 '{"not":' * 1000 + CONDITION + "}" * 1000)), "nested"),
    "an integer of 5000 digits": (_with(_marker(["sections", 0, "items", 0, "weight"], "9" * 5000)), "too large"),
    "a 20-digit weight": (_with(_marker(["sections", 0, "items", 0, "weight"], "9" * 20)), "weight"),
    "a lone surrogate": (_with(_marker(["title", "en"], '"\\ud800"')), "title.en"),
    "a lone surrogate in a key": (_with(_marker(["title", "en"], '{"\\udfff": 1}')), "surrogate"),
    "NaN weight": (_with(_marker(["sections", 0, "items", 0, "weight"], "NaN")), "NaN"),
    "Infinity weight": (_with(_marker(["sections", 0, "items", 0, "weight"], "Infinity")), "Infinity"),
    "-Infinity maximum": (_with(_marker([*NUMBER_ITEM, "max"], "-Infinity")), "-Infinity"),
    "1e999 minimum": (_with(_marker([*NUMBER_ITEM, "min"], "1e999")), "Infinity"),
    "NaN in a condition": (_with(_marker(["sections", 0, "items", 0, "visible_when"],
                                         f'{{"item": "{SECOND_ITEM}", "gt": NaN}}')), "NaN"),
    "a condition naming a list": (_with(_marker(["sections", 0, "items", 0, "visible_when"],
                                                '{"fact": ["x"], "op": "equals", "value": "a"}')), "visible_when"),
    "a template key ending in a newline": (_with(_marker(["key"], '"hostile\\n"')), "key"),
    "an item key ending in a newline": (_with(_marker(["sections", 0, "items", 0, "key"], f'"{FIRST_ITEM}\\n"')),
                                        "sections[0].items[0].key"),
    "a language ending in a newline": (_with(_marker(["default_language"], '"en\\n"')), "default_language"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_json_is_refused_with_a_located_error_and_nothing_stored(services, tmp_path, name):
    text, expected = HOSTILE_JSON[name]
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    before = row_counts(services)
    with pytest.raises(TemplateFormatError) as info:
        services.templates.import_file(path)
    assert expected in info.value.message
    assert all(p.location for p in info.value.problems), info.value.problems
    assert row_counts(services) == before


def _valid_xlsx() -> bytes:
    buffer = io.BytesIO()
    data = copy.deepcopy(BASE)
    data["key"] = "sheet"

    content = parse_template(data)

    with TemporaryDirectory() as folder:
        write_xlsform(content, Path(folder) / "t.xlsx")
        buffer.write((Path(folder) / "t.xlsx").read_bytes())
    return buffer.getvalue()


def _rezip(raw: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data)
    return out.getvalue()


DAMAGED = {
    "not a zip": lambda raw: b"this is not a workbook at all",
    "a truncated zip": lambda raw: raw[: len(raw) // 2],
    "bad XML in the survey sheet": lambda raw: _rezip(raw, lambda n, d: b"<worksheet><sheetData><row" if n.endswith("sheet1.xml") else d),
    "bad XML in the workbook": lambda raw: _rezip(raw, lambda n, d: d[: len(d) // 2] if n == "xl/workbook.xml" else d),
    "no content types": lambda raw: _rezip(raw, lambda n, d: None if n == "[Content_Types].xml" else d),
    "bad content types": lambda raw: _rezip(raw, lambda n, d: b"<Types>" if n == "[Content_Types].xml" else d),
    "a sheet of random bytes": lambda raw: _rezip(raw, lambda n, d: bytes(range(256)) if n.endswith("sheet1.xml") else d),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_workbook_is_a_clear_error_not_a_traceback(services, tmp_path, name):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(DAMAGED[name](_valid_xlsx()))
    before = row_counts(services)
    with pytest.raises(LikvardError) as info:
        services.templates.import_file(path, allow_partial=True)
    assert info.value.message.strip()
    assert row_counts(services) == before

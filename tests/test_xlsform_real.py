"""Real-world XLSForms (tests/data/xlsform-real, sources and licences in its README): each one
imports with its report, keeps no empty section and no dangling placeholder, and its export
passes pyxform's converter whenever the original does."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from app.domain.template import PLACEHOLDER_RE, parse_template
from app.exchange.xlsform import read_xlsform, write_xlsform

CORPUS = Path(__file__).resolve().parent / "data" / "xlsform-real"
FORMS = sorted(p.name for p in CORPUS.glob("*.xls*"))
_CONTROL = re.compile(r"^(begin|end)[ _](group|repeat)\b", re.IGNORECASE)


def test_the_corpus_is_there_with_its_licences():
    assert len(FORMS) >= 15
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for name in FORMS:
        assert name in readme, f"{name} has no source and licence in the README"


def _survey(path: Path) -> list[tuple[int, str]]:
    """(row number, type) of every non-empty row below the survey's header, read independently."""
    if path.suffix == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        sheet = next(s for s in book.sheets() if s.name.strip().lower() == "survey")
        rows = [(i + 1, sheet.row_values(i)) for i in range(sheet.nrows)]
    else:
        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = next(ws for ws in wb.worksheets if ws.title.strip().lower() == "survey")
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
        wb.close()
    rows = [(n, r) for n, r in rows if any(v is not None and str(v).strip() for v in r)]
    header = [str(v or "").strip().lower() for v in rows[0][1]]
    type_col = header.index("type")
    return [(n, str(r[type_col] or "").strip() if type_col < len(r) else "") for n, r in rows[1:]]


def _pyxform_accepts(path: Path) -> bool:
    from pyxform.xls2xform import convert

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(path), validate=False)
    except Exception:  # noqa: BLE001 - any refusal
        return False
    return True


@pytest.mark.parametrize("name", FORMS)
def test_real_form_imports_partially_and_reports_every_row_it_drops(name, tmp_path):
    path = CORPUS / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = read_xlsform(path)
    content = parse_template(result.data)  # the import is a valid template
    assert content.items(), "nothing usable was kept"
    # every survey row is an imported item, a group row, inside a reported repeat, or reported
    reported = {s.row for s in result.skipped if s.sheet.lower() == "survey"}
    repeats = [tuple(map(int, m.groups())) for s in result.skipped if s.kind == "repeat"
               for m in [re.search(r"(\d+)\u2013(\d+)", s.reason)] if m]
    item_rows = set(result.item_rows.values())
    assert set(result.item_rows) == {i.key for i in content.items()}
    for row, type_text in _survey(path):
        if row in item_rows or row in reported or _CONTROL.match(type_text):
            continue
        assert any(first <= row <= last for first, last in repeats), f"survey row {row} ({type_text}) is dropped silently"
    for s in result.skipped:
        assert s.reason and s.row >= 0 and s.sheet and s.kind, s
    # no empty section, no placeholder that points nowhere, no XLSForm-only reference left
    keys = {i.key for i in content.items()}
    for section in content.sections:
        assert section.items, f"empty section {section.key}"
    for item in content.items():
        for texts in (item.label, item.guidance, *(o.label for o in item.options)):
            for text in texts.values():
                for ref in re.findall(r"\$\{([^}]*)\}", text):
                    assert PLACEHOLDER_RE.fullmatch("${" + ref + "}") and ref in keys, f"{item.key}: ${{{ref}}}"
    # the export is an XLSForm pyxform converts, whenever it converts the original
    out = tmp_path / "export.xlsx"
    write_xlsform(content, out)
    if _pyxform_accepts(path):
        from pyxform.xls2xform import convert

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(out), validate=False)
    # ... and it reads back as the same template
    assert read_xlsform(out).data == result.data


def test_the_command_line_imports_an_old_xls_form_with_its_report(tmp_path):
    from tests.conftest import run_cli

    form = CORPUS / "hotosm_waterpoints.xls"
    db = tmp_path / "cli.sqlite"
    refused = run_cli("templates", "import", str(form), "--db", str(db))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "survey" in refused.stderr  # the rows that would be left out, by sheet and row
    done = run_cli("templates", "import", str(form), "--allow-partial", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "waterpoints" in done.stdout
    assert "start" in done.stderr  # the report names what was left out

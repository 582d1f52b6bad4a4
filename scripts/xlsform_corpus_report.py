"""The real-world XLSForm corpus (tests/data/xlsform-real) through the importer: a markdown table.

For each form: its survey rows, whether pyxform converts it, the items imported (with
allow_partial), the report's entries by reason, and the same figures for a baseline saved
earlier with ``--save-json`` (run against another checkout with ``--code``)::

    python scripts/xlsform_corpus_report.py --code /work/main --save-json /tmp/before.json
    python scripts/xlsform_corpus_report.py --before /tmp/before.json

Developer tool: its output is English only, not shown to users.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "xlsform-real"

# Report reasons (English text) -> a short category, for checkouts whose SkippedRow has no kind.
_CATEGORIES = [
    ("repeat", r"repeat"),
    ("type", r"not supported.*type|type .* is not|cannot be represented|unknown type|has no type"),
    ("calculate", r"calculat"),
    ("group", r"group"),
    ("rename", r"not a valid key|is used twice|imported as"),
    ("choice", r"choice"),
    ("condition", r"relevant|condition"),
    ("constraint", r"constraint"),
    ("column", r"column"),
    ("placeholder", r"placeholder|\$\{"),
    ("label", r"label|note"),
    ("language", r"language"),
    ("sheet", r"sheet"),
]


def _category(skipped: object) -> str:
    kind = getattr(skipped, "kind", "")
    if kind:
        return str(kind)
    reason = str(getattr(skipped, "reason", "")).lower()
    for name, pattern in _CATEGORIES:
        if re.search(pattern, reason):
            return name
    return "other"


def _survey_rows(path: Path) -> int:
    if path.suffix.lower() == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        sheet = next(s for s in book.sheets() if s.name.strip().lower() == "survey")
        rows = [sheet.row_values(i) for i in range(sheet.nrows)]
    else:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = next(ws for ws in wb.worksheets if ws.title.strip().lower() == "survey")
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
    filled = [r for r in rows if any(str(v).strip() for v in r if v is not None)]
    return max(len(filled) - 1, 0)


def _pyxform_ok(path: Path) -> bool:
    try:
        from pyxform.xls2xform import convert
    except ImportError:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(path), validate=False)
    except Exception:  # noqa: BLE001 - any refusal counts
        return False
    return True


def measure(code: Path) -> dict[str, dict]:
    sys.path.insert(0, str(code))
    from app.errors import TemplateFormatError
    from app.exchange.xlsform import read_xlsform

    out: dict[str, dict] = {}
    for path in sorted(CORPUS.glob("*.xls*")):
        entry: dict = {"rows": _survey_rows(path), "pyxform": _pyxform_ok(path)}
        try:
            result = read_xlsform(path)
        except TemplateFormatError as exc:
            entry.update(imported=False, items=0, problems=len(exc.problems), reasons={})
        except Exception as exc:  # noqa: BLE001 - a crash is a figure too
            entry.update(imported=False, items=0, problems=1, reasons={"crash": 1}, crash=repr(exc)[:200])
        else:
            items = sum(len(s["items"]) for s in result.data["sections"])
            reasons = Counter(_category(s) for s in result.skipped)
            entry.update(imported=True, items=items, problems=0, reasons=dict(reasons),
                         dropped_rows=len({(s.sheet, s.row) for s in result.skipped}))
        out[path.name] = entry
    return out


def _cell(entry: dict | None) -> str:
    if entry is None:
        return "–"
    if not entry["imported"]:
        return f"refused ({entry['problems']} problems)"
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(entry["reasons"].items()))
    if not reasons:
        return f"{entry['items']} items"
    return f"{entry['items']} items; {entry.get('dropped_rows', 0)} rows in the report; entries by reason: {reasons}"


def markdown(after: dict[str, dict], before: dict[str, dict] | None) -> str:
    lines = ["| form | survey rows | pyxform | before (main) | after |", "|---|---:|:---:|---|---|"]
    for name, entry in after.items():
        lines.append(f"| {name} | {entry['rows']} | {'yes' if entry['pyxform'] else 'no'} | "
                     f"{_cell((before or {}).get(name))} | {_cell(entry)} |")
    imported_after = sum(e["imported"] for e in after.values())
    imported_before = sum(e["imported"] for e in (before or {}).values())
    lines.append("")
    lines.append(f"Imported with allow_partial: before {imported_before}/{len(before or {})}, "
                 f"after {imported_after}/{len(after)}; items after: {sum(e['items'] for e in after.values())}.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose importer is measured")
    parser.add_argument("--save-json", type=Path, help="write the figures as JSON (a baseline for --before)")
    parser.add_argument("--before", type=Path, help="a baseline written by --save-json")
    args = parser.parse_args()
    figures = measure(args.code.resolve())
    if args.save_json:
        args.save_json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
    print(markdown(figures, before))
    return 0


if __name__ == "__main__":
    sys.exit(main())

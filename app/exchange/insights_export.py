"""Writing the insights (indicators CSV / XLSX / JSON / text table) and the case export.

Everything is written from an :class:`~app.services.insights.InsightsReport`, whose suppressed
cells carry no value: a suppressed cell is written as the SUPPRESSED marker in every format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.domain.facts import choice_label
from app.errors import LikvardError
from app.exchange import NOT_IN_SHEETS
from app.fileio import atomic_write_bytes
from app.i18n import _, format_decimal, format_percent, output_language
from app.services.insights import (
    DIMENSION_LABELS,
    Cell,
    InsightsReport,
    ItemNeed,
    measure_label,
    quarter_label,
)

PERCENT_MEASURES = {"approval", "refusal", "withdrawal", "granted_share", "granted_share_median", "collateral",
                    "guarantee", "flagged", "score"}
#: Decimals of a mean: days to one decimal, the interest rate (in per cent) to two.
MEAN_DIGITS = {"processing_days": 1, "interest_rate": 2}


def suppressed_marker() -> str:
    return _("suppressed (fewer than 5 cases)")


def format_value(measure: str, value: float | None) -> str:
    if value is None:
        return ""
    if measure in PERCENT_MEASURES:
        return format_percent(value, digits=1)
    if measure == "cases":
        return format_decimal(int(value))
    return format_decimal(value, digits=MEAN_DIGITS.get(measure, 2))


def _ratio(cell: Cell) -> str:
    if cell.ratio is None:
        return ""
    text = format_decimal(cell.ratio, digits=2)
    return f"{text} \u26a0" if cell.ratio_alert else text


def indicator_header() -> list[str]:
    return [_("Ownership"), _("Indicator"), _("Value"), _("95% interval"), _("Ratio to men-led"),
            _("Is the gap real?"), _("Cases behind the figure")]


def indicator_rows(report: InsightsReport) -> list[list[str]]:
    """The indicators as display text (the table, the PDF): one row per group and measure."""
    rows = []
    for group in report.groups:
        name = choice_label("ownership", group.group)
        rows.append([name, measure_label("cases"),
                     suppressed_marker() if group.cases.suppressed else format_value("cases", group.cases.value),
                     "", "", "", ""])
        for key in report.measures:
            cell = group.cells[key]
            if cell.suppressed:
                rows.append([name, measure_label(key), suppressed_marker(), "", "", cell.verdict_text(), ""])
                continue
            interval = ""
            if cell.low is not None and cell.high is not None:
                interval = f"{format_value(key, cell.low)} \u2013 {format_value(key, cell.high)}"
            rows.append([name, measure_label(key), format_value(key, cell.value), interval, _ratio(cell),
                         cell.verdict_text(), format_decimal(cell.base)])
    return rows


def _data_rows(report: InsightsReport) -> list[list[Any]]:
    """The indicators as data (CSV, XLSX): numbers unformatted, suppressed cells marked."""
    out: list[list[Any]] = [["group", "indicator", "value", "ci_low", "ci_high", "ratio_to_men_led",
                             "ratio_outside_four_fifths", "p_value", "verdict", "cases", "suppressed"]]
    for group in report.groups:
        c = group.cases
        out.append([group.group, "cases", None if c.suppressed else c.base, None, None, None, None, None,
                    None, None if c.suppressed else c.base, "suppressed" if c.suppressed else ""])
        for key in report.measures:
            cell = group.cells[key]
            if cell.suppressed:
                out.append([group.group, key, None, None, None, None, None, None, cell.verdict, None, "suppressed"])
            else:
                out.append([group.group, key, cell.value, cell.low, cell.high, cell.ratio,
                            cell.ratio_alert if cell.ratio is not None else None, cell.p_value, cell.verdict,
                            cell.base, ""])
    return out


def _needs_rows(needs: Sequence[ItemNeed], dimension: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for need in needs:
        slice_name = quarter_label(int(need.slice)) if dimension == "quarter" and need.slice else \
            choice_label("ownership", need.slice) if dimension == "ownership" else need.slice
        rows.append([dimension, slice_name, need.template, need.item, need.label,
                     need.flags if not need.suppressed else None, need.cases, need.share,
                     "suppressed" if need.suppressed else ""])
    return rows


NEEDS_HEADER = ["breakdown", "slice", "template", "item", "label", "flags", "cases", "share", "suppressed"]


def _csv_text(rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def indicators_csv(report: InsightsReport) -> str:
    return _csv_text(_data_rows(report))


def report_json(report: InsightsReport) -> str:
    return json.dumps({"format": "likvard-insights/1", **report.to_dict()}, ensure_ascii=False, indent=2)


def table_text(report: InsightsReport) -> str:
    """A plain text table for the terminal."""
    rows = [indicator_header(), *indicator_rows(report)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if report.needs:
        lines += ["", _("Training needs: items most often flagged")]
        for need in [n for n in report.needs if not n.suppressed][:10]:
            share = format_percent(need.share, digits=0) if need.share is not None else ""
            lines.append(f"  {need.flags:>5}  {share:>6}  {need.label}")
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> Any:
    """A value as a worksheet can hold it: a character it cannot (stored before facts refused
    them, or in a filter typed on the command line) written as U+FFFD."""
    if value is None:
        return ""
    return NOT_IN_SHEETS.sub("\ufffd", value) if isinstance(value, str) else value


def _workbook(sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    for title, rows in sheets:
        ws = wb.create_sheet(title[:31])
        for row in rows:
            ws.append([_cell(v) for v in row])
        for cell in ws[1] if ws.max_row else []:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def indicators_xlsx(report: InsightsReport) -> bytes:
    needs = [NEEDS_HEADER, *_needs_rows(report.needs, "all")]
    for dimension, slice_needs in report.breakdowns.items():
        needs += _needs_rows(slice_needs, dimension)
    trend: list[list[Any]] = [["quarter", "group", "approval", "ci_low", "ci_high", "cases", "suppressed"]]
    for quarter, groups in report.trend.items():
        for group, cell in groups.items():
            trend.append([quarter_label(int(quarter)), group, cell.value, cell.low, cell.high,
                          None if cell.suppressed else cell.base, "suppressed" if cell.suppressed else ""])
    filters = [["filter", "value"], *[[k, v] for k, v in report.filters.items()], ["generated", report.generated]]
    return _workbook([(_("Indicators"), _data_rows(report)), (_("Training needs"), needs),
                      (_("Trend"), trend), (_("Filters"), filters)])


FORMATS = ("table", "csv", "json", "xlsx", "pdf")
#: The suffixes of the per-case export.
CASE_SUFFIXES = (".csv", ".xlsx")


def check_case_export_path(path: str | Path) -> Path:
    """Refuse a case-export file name we cannot write (before any query runs)."""
    target = Path(path)
    if target.suffix.lower() not in CASE_SUFFIXES:
        raise LikvardError(_("Export cases to a .csv or .xlsx file."))
    return target


def write_report(report: InsightsReport, fmt: str, path: str | Path | None, *, organisation: str = "",
                 lang: str | None = None) -> str | None:
    """Write ``report`` as ``fmt`` to ``path`` (atomically); without a path, return the text.

    Labels, numbers and dates are in ``lang`` (default: the active language), whatever the
    language of the window that asked for it."""
    with output_language(lang):
        return _write_report(report, fmt, path, organisation=organisation)


def _write_report(report: InsightsReport, fmt: str, path: str | Path | None, *, organisation: str) -> str | None:
    if fmt not in FORMATS:
        raise LikvardError(_("Unknown format \u201c{format}\u201d.").format(format=fmt))
    if fmt in ("xlsx", "pdf") and path is None:
        raise LikvardError(_("The {format} format needs --out FILE.").format(format=fmt.upper()))
    data: bytes | str
    if fmt == "table":
        data = table_text(report)
    elif fmt == "csv":
        data = indicators_csv(report)
    elif fmt == "json":
        data = report_json(report) + "\n"
    elif fmt == "xlsx":
        data = indicators_xlsx(report)
    else:
        from app.pdf.insights_report import insights_pdf

        data = insights_pdf(report, organisation=organisation)
    if path is None:
        return data if isinstance(data, str) else None
    atomic_write_bytes(path, data.encode("utf-8") if isinstance(data, str) else data)
    return None


def write_cases(header: Sequence[str], rows: Sequence[Sequence[Any]], path: str | Path) -> Path:
    """The case export: ``.csv`` or ``.xlsx`` by the file's extension."""
    target = check_case_export_path(path)
    if target.suffix.lower() == ".csv":
        return atomic_write_bytes(target, _csv_text([header, *rows]).encode("utf-8"))
    return atomic_write_bytes(target, _workbook([(_("Cases"), [header, *rows])]))


__all__ = ["CASE_SUFFIXES", "DIMENSION_LABELS", "FORMATS", "check_case_export_path", "write_cases", "write_report"]

"""The insights PDF report: filters, charts (reportlab graphics), indicators and training needs.

Written in the current language from an already suppressed :class:`InsightsReport`: a suppressed
cell has no value here either, and its bar is replaced by the word "suppressed".
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.facts import choice_label
from app.exchange.insights_export import format_value, indicator_header, indicator_rows, suppressed_marker
from app.i18n import _, format_datetime, output_language
from app.pdf.summary import ACCENT, FONT, FONT_BOLD, MUTED, RULE, _styles, register_fonts, text
from app.services.insights import MIN_CELL, InsightsReport, measure_label, quarter_label
from app.storage.insights import OWNERSHIP_GROUPS

GROUP_COLOURS = {"women_led": "#8E3B8A", "men_led": "#1F4E79", "mixed": "#2E7D32", "not_disclosed": "#7A7A7A"}
CHART_MEASURES = ("approval", "collateral", "guarantee", "flagged")


def filters_text(report: InsightsReport) -> str:
    names = {"date_from": _("From"), "date_to": _("To"), "branch": _("Branch"), "advisor": _("Advisor"),
             "template": _("Template"), "sector": _("Sector")}
    parts = [f"{names.get(k, k)}: {v}" for k, v in report.filters.items()]
    return "; ".join(parts) if parts else _("All counted cases (no filter)")


def _filled_rect(x: float, y: float, width: float, height: float, colour: colors.Color) -> Rect:
    """A rectangle filled with ``colour``, without outline."""
    rect = Rect(x, y, width, height)  # (types-reportlab types Rect's keywords wrongly: set them after)
    rect.fillColor = colour
    rect.strokeColor = None
    return rect


def bar_chart(report: InsightsReport, measure: str, width: float = 120 * mm, height: float = 47 * mm) -> Drawing:
    """Bars per ownership group with their 95% Wilson interval; suppressed groups say so."""
    d = Drawing(width, height)
    left, bottom, top = 8 * mm, 12 * mm, height - 11 * mm  # room for a label above a whisker at 100 %
    d.add(String(0, height - 4 * mm, measure_label(measure), fontName=FONT_BOLD, fontSize=9, fillColor=ACCENT))
    d.add(Line(left, bottom, width, bottom, strokeColor=RULE))
    for tick in (0, 0.5, 1):
        y = bottom + tick * (top - bottom)
        d.add(Line(left, y, width, y, strokeColor=RULE, strokeWidth=0.3))
        d.add(String(0, y - 2, format_value(measure, tick), fontName=FONT, fontSize=6, fillColor=MUTED))
    slot = (width - left) / len(OWNERSHIP_GROUPS)
    for i, row in enumerate(report.groups):
        x = left + i * slot + slot * 0.2
        bar_width = slot * 0.6
        cell = row.cells[measure]
        d.add(String(x + bar_width / 2, 3 * mm, choice_label("ownership", row.group), fontName=FONT, fontSize=7,
                     textAnchor="middle"))
        if cell.suppressed or cell.value is None:
            d.add(String(x + bar_width / 2, bottom + 4, _("suppressed"), fontName=FONT, fontSize=6.5,
                         fillColor=MUTED, textAnchor="middle"))
            continue
        y = bottom + cell.value * (top - bottom)
        d.add(_filled_rect(x, bottom, bar_width, y - bottom, colors.HexColor(GROUP_COLOURS[row.group])))
        above = y
        if cell.low is not None and cell.high is not None:
            lo, hi = (bottom + v * (top - bottom) for v in (cell.low, cell.high))
            above = max(y, hi)  # the label above the whisker, never on it
            mid = x + bar_width / 2
            for shape in (Line(mid, lo, mid, hi), Line(mid - 3, lo, mid + 3, lo), Line(mid - 3, hi, mid + 3, hi)):
                shape.strokeColor = colors.black
                shape.strokeWidth = 0.8
                d.add(shape)
        d.add(String(x + bar_width / 2, above + 2.5, format_value(measure, cell.value), fontName=FONT, fontSize=6.5,
                     textAnchor="middle"))
    return d


def trend_chart(report: InsightsReport, width: float = 240 * mm, height: float = 46 * mm) -> Drawing:
    """The approval rate per quarter, one line per ownership group (suppressed points left out)."""
    d = Drawing(width, height)
    quarters = list(report.trend)
    left, bottom, top, right = 10 * mm, 10 * mm, height - 8 * mm, width - 35 * mm
    d.add(String(0, height - 4 * mm, _("Approval rate by quarter"), fontName=FONT_BOLD, fontSize=9,
                 fillColor=ACCENT))
    for tick in (0, 0.5, 1):
        y = bottom + tick * (top - bottom)
        d.add(Line(left, y, right, y, strokeColor=RULE, strokeWidth=0.3))
        d.add(String(0, y - 2, format_value("approval", tick), fontName=FONT, fontSize=6, fillColor=MUTED))
    if not quarters:
        return d
    step = (right - left) / max(len(quarters) - 1, 1)
    for i, quarter in enumerate(quarters):
        d.add(String(left + i * step, 3 * mm, quarter_label(int(quarter)), fontName=FONT, fontSize=6,
                     textAnchor="middle"))
    at_axis: set[int] = set()
    for n, group in enumerate(OWNERSHIP_GROUPS):
        colour = colors.HexColor(GROUP_COLOURS[group])
        shown: list[tuple[int, float, float]] = []
        for i, quarter in enumerate(quarters):
            cell = report.trend[quarter].get(group)
            if cell is None or cell.value is None:
                continue
            shown.append((i, left + i * step, bottom + cell.value * (top - bottom)))
        for (a, xa, ya), (b, xb, yb) in zip(shown, shown[1:], strict=False):
            segment = Line(xa, ya, xb, yb, strokeColor=colour, strokeWidth=1.4)
            if b - a > 1:  # suppressed quarters between: a dashed bridge, a grey tick at each
                segment.strokeDashArray = [3, 2]
                for k in range(a + 1, b):
                    yk = ya + (k - a) / (b - a) * (yb - ya)
                    d.add(Line(left + k * step - 2.5, yk, left + k * step + 2.5, yk, strokeColor=MUTED,
                               strokeWidth=1.2))
            d.add(segment)
        for _i, x, y in shown:
            d.add(_filled_rect(x - 1.5, y - 1.5, 3, 3, colour))
        ends = set(range(len(quarters))) - set(range(shown[0][0], shown[-1][0] + 1) if shown else ())
        at_axis.update(ends)  # before the first point or after the last: a grey tick on the axis
        y = top - n * 5 * mm
        d.add(_filled_rect(right + 4 * mm, y, 6, 6, colour))
        d.add(String(right + 7 * mm, y, choice_label("ownership", group), fontName=FONT, fontSize=7))
    for k in sorted(at_axis):
        d.add(Line(left + k * step - 2.5, bottom + 1.5, left + k * step + 2.5, bottom + 1.5, strokeColor=MUTED,
                   strokeWidth=1.2))
    y = top - len(OWNERSHIP_GROUPS) * 5 * mm
    d.add(Line(right + 4 * mm, y + 2.5, right + 4 * mm + 6, y + 2.5, strokeColor=MUTED, strokeWidth=1.2,
               strokeDashArray=[3, 2]))
    note = _("Dashes and grey ticks: a quarter with fewer than {n} cases, not shown").format(n=MIN_CELL)
    words, lines = note.split(), [""]
    for word in words:  # wrapped to the legend's width
        if len(lines[-1]) + len(word) > 22 and lines[-1]:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    for k, part in enumerate(lines):
        d.add(String(right + 7 * mm, y - k * 3 * mm, part, fontName=FONT, fontSize=6, fillColor=MUTED))
    return d


def insights_pdf(report: InsightsReport, *, organisation: str = "", lang: str | None = None) -> bytes:
    """The report as PDF bytes (A4 landscape), in ``lang`` (default: the active language)."""
    with output_language(lang):
        return _insights_pdf(report, organisation)


def _insights_pdf(report: InsightsReport, organisation: str) -> bytes:
    from datetime import datetime

    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm, title=_("Equal-opportunity insights"),
                            author=organisation)
    story: list[Any] = []
    if organisation:
        story.append(Paragraph(text(organisation), styles["org"]))
    story.append(Paragraph(text(_("Equal-opportunity insights")), styles["title"]))
    story.append(Paragraph(text(_("Filters: {filters}").format(filters=filters_text(report))), styles["subtitle"]))
    story.append(Paragraph(text(_("Generated {when}. Aggregates only; any figure built from fewer than {n} cases "
                                  "is suppressed.").format(when=format_datetime(datetime.fromisoformat(report.generated)),
                                                           n=MIN_CELL)), styles["small"]))
    story.append(Spacer(1, 4 * mm))
    charts = [[bar_chart(report, CHART_MEASURES[0]), bar_chart(report, CHART_MEASURES[1])],
              [bar_chart(report, CHART_MEASURES[2]), bar_chart(report, CHART_MEASURES[3])]]
    story.append(Table(charts, colWidths=[130 * mm, 130 * mm]))
    story.append(Paragraph(text(_("Bars show the figure; the whiskers its 95% Wilson interval.")), styles["small"]))
    # sized so the trend fits under the bars on the first page; kept whole if a long header pushes it on
    story.append(KeepTogether([Spacer(1, 2 * mm), trend_chart(report)]))
    story.append(Paragraph(text(_("Indicators by ownership group")), styles["h2"]))
    cell = styles["cell"]
    rows = [[Paragraph(text(h), styles["cell_label"]) for h in indicator_header()]]
    marker = suppressed_marker()
    for row in indicator_rows(report):
        rows.append([Paragraph(text(v), cell) for v in row])
    table = Table(rows, colWidths=[25 * mm, 55 * mm, 40 * mm, 35 * mm, 28 * mm, 40 * mm, 30 * mm], repeatRows=1)
    style: list[tuple[Any, ...]] = [("FONTNAME", (0, 0), (-1, -1), FONT), ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
             ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for i, row in enumerate(indicator_rows(report), start=1):
        if row[2] == marker:
            style.append(("TEXTCOLOR", (0, i), (-1, i), MUTED))
    table.setStyle(TableStyle(style))
    story.append(table)
    story.append(Paragraph(text(_("Training needs: items most often flagged")), styles["h2"]))
    needs: list[list[Paragraph | str]] = [[Paragraph(text(h), styles["cell_label"]) for h in (_("Item"), _("Flags"), _("Share of cases"))]]
    for need in report.needs[:20]:
        if need.suppressed:
            needs.append([Paragraph(text(need.label), cell), Paragraph(text(marker), cell), ""])
        else:
            share = format_value("flagged", need.share) if need.share is not None else ""
            needs.append([Paragraph(text(need.label), cell), Paragraph(str(need.flags), cell), Paragraph(share, cell)])
    needs_table = Table(needs, colWidths=[190 * mm, 30 * mm, 40 * mm], repeatRows=1)
    needs_table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                                     ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE)]))
    story.append(needs_table)
    doc.build(story)
    return buffer.getvalue()

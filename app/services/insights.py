"""Equal-opportunity insights: are women-led, men-led and mixed businesses treated alike?

Aggregates only. The figures come from SQL aggregates in :mod:`app.storage.insights` (no case is
loaded into Python); this service adds the statistics (scipy: Wilson intervals, Fisher's exact
test for rates, Mann–Whitney for the granted share), the plain-word verdicts and the privacy rules:

* :func:`is_suppressed` is the one place that decides a cell is built from too few cases
  (fewer than :data:`MIN_CELL`): its value, interval, ratio and test are never put in the report,
  so the view and every export (CSV, XLSX, JSON, PDF, table) show it as suppressed;
* :func:`is_private` decides that a checklist item is private: it only ever appears as an
  overall count, never broken down, never with its answers in a case export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.domain.template import TemplateContent
from app.errors import LikvardError
from app.i18n import N_, _, get_language
from app.storage import insights as queries
from app.storage.db import Database
from app.storage.insights import MEASURES, OWNERSHIP_GROUPS, InsightFilter
from app.storage.models import Template, TemplateVersionRow

if TYPE_CHECKING:  # numpy and scipy are imported lazily (a second's start-up)
    import numpy as np
    from numpy.typing import NDArray

MIN_CELL = 5
REFERENCE_GROUP = "men_led"
FOUR_FIFTHS = (0.8, 1.25)
SIGNIFICANCE = 0.05
ROLES = ("agent", "advisor", "trainer")
ROLE_LABELS = {"agent": N_("Credit agent"), "advisor": N_("Business advisor"), "trainer": N_("Trainer")}

MEASURE_LABELS = {
    "cases": N_("Cases"),
    "approval": N_("Approval rate"),
    "refusal": N_("Refusal rate"),
    "withdrawal": N_("Withdrawal rate"),
    "granted_share": N_("Mean share of the amount granted"),
    "granted_share_median": N_("Median share of the amount granted"),
    "collateral": N_("Collateral demanded"),
    "guarantee": N_("Personal guarantee demanded"),
    "interest_rate": N_("Mean interest rate (%)"),
    "processing_days": N_("Days from meeting to decision"),
    "flagged": N_("Cases with at least one flag"),
    "score": N_("Mean checklist score"),
}
VERDICT_LABELS = {
    "real": N_("likely a real difference"),
    "chance": N_("could be chance"),
    "too_few": N_("too few cases"),
}
DIMENSION_LABELS = {"branch": N_("Branch"), "advisor": N_("Advisor"), "ownership": N_("Ownership"),
                    "quarter": N_("Quarter")}
Report = Callable[[int, int], None]


def is_suppressed(cases: int) -> bool:
    """A cell built from fewer than MIN_CELL cases is never shown (GDPR, Swedish practice)."""
    return cases < MIN_CELL


def is_private(item: Any) -> bool:
    """A template item marked ``private`` (the checklist's own flag): counts only, never broken down."""
    if isinstance(item, dict):
        return bool(item.get("private"))
    return bool(getattr(item, "private", False))


@dataclass
class Cell:
    """One figure of one group. ``value`` is None when suppressed or when there is nothing to show."""

    value: float | None
    base: int | None  # None when suppressed (the count itself would tell)
    suppressed: bool
    low: float | None = None
    high: float | None = None
    ratio: float | None = None  # to the men-led group
    ratio_alert: bool = False  # under 0.8 or over 1.25
    p_value: float | None = None
    verdict: str | None = None  # a VERDICT_LABELS key, or None when no test applies

    def verdict_text(self) -> str:
        return _(VERDICT_LABELS[self.verdict]) if self.verdict else ""


@dataclass
class GroupRow:
    group: str
    cases: Cell
    cells: dict[str, Cell]


@dataclass
class ItemNeed:
    """One checklist item's flags in one slice (all cases, or one branch, advisor, group, quarter)."""

    template: str
    item: str
    label: str
    guidance: str
    private: bool
    slice: str
    flags: int | None  # None when suppressed
    cases: int | None
    share: float | None
    suppressed: bool


@dataclass
class InsightsReport:
    filters: dict[str, Any]
    generated: str
    role: str
    groups: list[GroupRow]
    trend: dict[str, dict[str, Cell]]  # quarter -> group -> approval rate
    needs: list[ItemNeed]  # overall ranking
    breakdowns: dict[str, list[ItemNeed]] = field(default_factory=dict)  # dimension -> needs
    own: list[ItemNeed] = field(default_factory=list)  # the user's own cases (advisor, agent)
    measures: list[str] = field(default_factory=list)

    def group(self, key: str) -> GroupRow:
        return next(g for g in self.groups if g.group == key)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def measure_label(key: str) -> str:
    return _(MEASURE_LABELS[key])


def quarter_label(value: int | None) -> str:
    if value is None:
        return ""
    return _("{year} Q{quarter}").format(year=value // 10, quarter=value % 10)


def _wilson(successes: int, n: int) -> tuple[float, float]:
    """scipy's 95 % Wilson interval of ``successes`` out of ``n``.

    The interval depends on the counts only, not on the hypothesised ``p`` of the binomial test
    it hangs off. The test's two-sided p-value (unused here) costs a search over the
    distribution unless ``p`` is the observed share, which scipy answers at once: so ``p`` is
    set to a float whose product with ``n`` is exactly ``successes`` when there is one."""
    import math

    from scipy.stats import binomtest

    p = successes / n
    for candidate in (p, math.nextafter(p, 0.0), math.nextafter(p, 1.0)):
        if 0.0 <= candidate <= 1.0 and candidate * n == successes:
            p = candidate
            break
    else:
        p = 0.5
    ci = binomtest(successes, n, p).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def _verdict(p: float) -> str:
    return "real" if p < SIGNIFICANCE else "chance"


def _expand(distribution: list[tuple[float, int]]) -> NDArray[np.float64]:
    import numpy as np

    if not distribution:
        return np.array([])
    values, counts = zip(*distribution, strict=True)
    return np.repeat(np.array(values, dtype=float), np.array(counts, dtype=int))


class InsightsService:
    """The insights use cases shared by the Insights page, ``likvard report`` and the exports."""

    def __init__(self, db: Database, actor: str = "") -> None:
        self.db = db
        self.actor = actor

    # --- indicators ------------------------------------------------------------------------

    def choices(self) -> dict[str, list[str]]:
        """Values the filters can take (branches, advisors, sectors, template keys)."""
        with self.db.session() as s:
            return queries.filter_choices(s)

    def indicators(self, filters: InsightFilter) -> list[GroupRow]:
        """The indicator set per ownership group with intervals, ratios and tests (items 1 and 2)."""
        # The two aggregates are independent reads: the share distribution runs on a second
        # connection while the grouped pass runs on this one (both databases run them in parallel;
        # sqlite3 and psycopg release the GIL while a query runs), so the set costs about its
        # longer query, not the sum of both.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="insights") as pool:
            shares_job = pool.submit(self._share_distribution, filters)
            with self.db.session() as s:
                sums = queries.measure_sums(s, filters)
            shares = shares_job.result()
        return self._groups({k[0]: v for k, v in sums.items()}, shares)

    def _share_distribution(self, filters: InsightFilter) -> dict[str, list[tuple[float, int]]]:
        with self.db.session() as s:
            return queries.share_distribution(s, filters)

    def _groups(self, sums: dict[str, queries.GroupSums], shares: dict[str, list[tuple[float, int]]] | None
                ) -> list[GroupRow]:
        import numpy as np
        from scipy.stats import fisher_exact, mannwhitneyu

        tests: dict[tuple[tuple[int, int], ...], float] = {}

        def fisher(table: tuple[tuple[int, int], ...]) -> float:
            # the refusal table is the approval table with its columns swapped: one test for both
            key = min(table, tuple(row[::-1] for row in table))
            if key not in tests:
                tests[key] = float(fisher_exact(np.array(table, dtype=np.int64)).pvalue)
            return tests[key]

        empty = queries.GroupSums(0, {m.key: queries.MeasureSums(0, 0) for m in MEASURES})
        ref = sums.get(REFERENCE_GROUP, empty)
        ref_values = _expand(shares.get(REFERENCE_GROUP, [])) if shares is not None else None
        rows = []
        for group in OWNERSHIP_GROUPS:
            g = sums.get(group, empty)
            cells: dict[str, Cell] = {}
            for m in MEASURES:
                ms, rs = g.measures[m.key], ref.measures[m.key]
                if is_suppressed(ms.base):
                    cells[m.key] = Cell(None, None, True, verdict="too_few")
                    continue
                value = ms.total / ms.base
                cell = Cell(value, ms.base, False)
                ref_ok = not is_suppressed(rs.base) and rs.total != 0
                if ref_ok:
                    cell.ratio = value / (rs.total / rs.base)
                    cell.ratio_alert = not (FOUR_FIFTHS[0] <= cell.ratio <= FOUR_FIFTHS[1])
                if m.kind == "rate":
                    successes = int(round(ms.total))
                    cell.low, cell.high = _wilson(successes, ms.base)
                    if group != REFERENCE_GROUP:
                        if is_suppressed(rs.base):
                            cell.verdict = "too_few"
                        else:
                            ref_successes = int(round(rs.total))
                            table = ((successes, ms.base - successes), (ref_successes, rs.base - ref_successes))
                            cell.p_value = fisher(table)
                            cell.verdict = _verdict(cell.p_value)
                elif m.key == "granted_share" and shares is not None and ref_values is not None \
                        and group != REFERENCE_GROUP:
                    if is_suppressed(rs.base):
                        cell.verdict = "too_few"
                    else:
                        result = mannwhitneyu(_expand(shares.get(group, [])), ref_values, alternative="two-sided")
                        cell.p_value = float(result.pvalue)
                        cell.verdict = _verdict(cell.p_value)
                cells[m.key] = cell
            if shares is not None:
                cells["granted_share_median"] = self._median(shares.get(group, []))
            hidden = is_suppressed(g.cases)
            cases = Cell(None if hidden else float(g.cases), None if hidden else g.cases, hidden)
            rows.append(GroupRow(group, cases, cells))
        return rows

    @staticmethod
    def _median(distribution: list[tuple[float, int]]) -> Cell:
        import numpy as np

        n = sum(count for _value, count in distribution)
        if is_suppressed(n):
            return Cell(None, None, True)
        return Cell(float(np.median(_expand(distribution))), n, False)

    def trend(self, filters: InsightFilter) -> dict[str, dict[str, Cell]]:
        """Approval rate per quarter and ownership group (a trend line per group)."""
        from app.storage.insights import quarter_of_case

        approval = [m for m in MEASURES if m.key == "approval"]
        with self.db.session() as s:
            sums = queries.measure_sums(s, filters, by=[quarter_of_case()], measures=approval)
        out: dict[str, dict[str, Cell]] = {}
        for (quarter, group), g in sorted(sums.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])):
            if quarter is None:
                continue
            ms = g.measures["approval"]
            if is_suppressed(ms.base):
                cell = Cell(None, None, True)
            else:
                low, high = _wilson(int(round(ms.total)), ms.base)
                cell = Cell(ms.total / ms.base, ms.base, False, low, high)
            out.setdefault(str(quarter), {})[group] = cell
        return out

    # --- training needs --------------------------------------------------------------------

    def _items(self, s: Any, lang: str) -> dict[tuple[str, str], tuple[str, str, bool]]:
        """(template, item) -> (label, guidance, private), from each template's newest version."""
        from app.domain.template import parse_template

        rows = s.execute(select(Template.key, TemplateVersionRow.number, TemplateVersionRow.content)
                         .join(Template, Template.id == TemplateVersionRow.template_id)
                         .order_by(Template.key, TemplateVersionRow.number))
        out: dict[tuple[str, str], tuple[str, str, bool]] = {}
        for key, _number, data in rows:
            try:
                content: TemplateContent = parse_template(data, strict=False)
            except LikvardError:
                continue
            for item in content.items():
                out[(key, item.key)] = (content.text(item.label, lang), content.text(item.guidance, lang),
                                        is_private(item) or is_private(_raw_item(data, item.key)))
        return out

    def training_needs(self, filters: InsightFilter, dimension: str = "all", lang: str | None = None
                       ) -> list[ItemNeed]:
        """Checklist items ranked by how often they were flagged, per slice of ``dimension``.

        Private items appear only in the overall ranking ("all"), as counts."""
        lang = lang or get_language()
        with self.db.session() as s:
            items = self._items(s, lang)
            flags, cases = queries.item_flag_counts(s, filters, dimension)
        needs = []
        for (template, key, value), count in flags.items():
            label, guidance, private = items.get((template, key), (key, "", False))
            if private and dimension != "all":
                continue
            base = cases.get((template, value), 0)
            hidden = is_suppressed(base)
            slice_name = "" if value is None else str(value)
            needs.append(ItemNeed(template, key, label, "" if private else guidance, private, slice_name,
                                  None if hidden else count, None if hidden else base,
                                  None if hidden or private else count / base, hidden))
        needs.sort(key=lambda n: (n.slice, -(n.flags or -1), n.label))
        return needs

    # --- the whole report ------------------------------------------------------------------

    def report(self, filters: InsightFilter, *, role: str = "advisor", me: str = "", lang: str | None = None,
               report: Report | None = None) -> InsightsReport:
        """Everything the Insights page and ``likvard report`` show, for ``role`` (see ROLES).

        Every role sees the whole organisation; an agent or advisor also sees their own cases
        (``me``: the advisor name of the profile); only a trainer sees per-advisor figures and may
        filter on another advisor."""
        if role not in ROLES:
            raise LikvardError(_("Unknown role \u201c{role}\u201d.").format(role=role))
        if filters.advisor and role != "trainer" and filters.advisor != me:
            raise LikvardError(_("Only a trainer's profile sees the figures of another advisor."))
        step = report or (lambda done, total: None)
        dimensions = ["branch", "ownership", "quarter"] + (["advisor"] if role == "trainer" else [])
        total = 3 + len(dimensions) + (1 if me and role != "trainer" else 0)
        step(0, total)
        groups = self.indicators(filters)
        step(1, total)
        trend = self.trend(filters)
        step(2, total)
        needs = self.training_needs(filters, "all", lang)
        step(3, total)
        breakdowns = {}
        for i, dim in enumerate(dimensions):
            breakdowns[dim] = self.training_needs(filters, dim, lang)
            step(4 + i, total)
        own: list[ItemNeed] = []
        if me and role != "trainer":
            own = self.training_needs(InsightFilter(**{**filters.__dict__, "advisor": me}), "all", lang)
            step(total, total)
        return InsightsReport(filters.to_dict(), datetime.now(UTC).replace(microsecond=0).isoformat(), role,
                              groups, trend, needs, breakdowns, own,
                              [m.key for m in MEASURES] + ["granted_share_median"])

    # --- exports (the CLI's report and assessments export, the page's Export…) -------------

    def export_report(self, report: InsightsReport, fmt: str, path: str | None, *,
                      organisation: str = "", lang: str | None = None) -> str | None:
        """Write ``report`` as ``fmt`` (table, csv, json, xlsx, pdf) to ``path`` atomically, suppressed
        cells marked, in ``lang`` (default: the active language); without a path, return the text."""
        from app.exchange.insights_export import write_report

        return write_report(report, fmt, path, organisation=organisation, lang=lang)

    def export_cases(self, filters: InsightFilter, path: str) -> int:
        """One row per case (pseudonymous references, private items left out) to a .csv or .xlsx
        file; returns the number of cases written."""
        from app.exchange.insights_export import check_case_export_path, write_cases

        check_case_export_path(path)
        header, rows = case_table(self.db, filters)
        write_cases(header, rows, path)
        return len(rows)


CASE_COLUMNS = ("case_reference", "case_date", "advisor", "branch", "ownership", "sector", "legal_form",
                "amount_requested", "amount_granted", "currency", "collateral_required",
                "personal_guarantee_required", "interest_rate", "decision", "decision_date")


def _export_value(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool) or value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def case_table(db: Database, filters: InsightFilter) -> tuple[list[str], list[list[Any]]]:
    """One row per counted case: facts and answers by item key, pseudonymous references only,
    answers to private items left out (see :func:`is_private`)."""
    from sqlalchemy.orm import selectinload

    from app.domain.template import parse_template
    from app.storage.models import AssessmentRow

    rows: list[tuple[AssessmentRow, str, int]] = []
    private: set[tuple[str, str]] = set()
    order: dict[str, None] = {}
    with db.session() as s:
        versions = {}
        for vid, key, number, data in s.execute(
                select(TemplateVersionRow.id, Template.key, TemplateVersionRow.number, TemplateVersionRow.content)
                .join(Template, Template.id == TemplateVersionRow.template_id)
                .order_by(Template.key, TemplateVersionRow.number)):
            versions[vid] = (key, number)
            try:
                content = parse_template(data, strict=False)
            except LikvardError:
                continue
            for item in content.items():
                if is_private(item) or is_private(_raw_item(data, item.key)):
                    private.add((key, item.key))
                elif item.answerable:
                    order[item.key] = None
        query = queries.counted_cases(filters, [AssessmentRow]).options(selectinload(AssessmentRow.answers)) \
            .order_by(AssessmentRow.case_date, AssessmentRow.case_reference)
        for row in s.scalars(query):
            key, number = versions[row.template_version_id]
            rows.append((row, key, number))
        header = [*CASE_COLUMNS, "template", "template_version", "revision", "status", "flag_count", "score",
                  *order]
        out = []
        for row, key, number in rows:
            answers = {a.item_key: a.value for a in row.answers if (key, a.item_key) not in private}
            out.append([*(_export_value(getattr(row, name)) for name in CASE_COLUMNS), key, number, row.revision,
                        row.status, row.flag_count, row.score,
                        *(_export_value(answers.get(item_key)) for item_key in order)])
    return header, out


def _raw_item(data: Any, key: str) -> dict[str, Any]:
    """An item's stored JSON (so a ``private`` key counts even before the domain knows it)."""
    for section in (data or {}).get("sections", []) if isinstance(data, dict) else []:
        for item in section.get("items", []):
            if isinstance(item, dict) and item.get("key") == key:
                return item
    return {}

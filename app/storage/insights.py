"""SQL aggregates for the equal-opportunity insights (portable: SQLite now, PostgreSQL in team mode).

Nothing here loads cases into Python. Every figure is one aggregate query over the *counted*
cases: completed or signed assessments, the latest such revision of each case only (an amended
case counts once, as amended), training answers (``training_exercise_id`` set) left out.

**One pass, grouped by category.** The rates are shares of cases falling into categories the
cases already have: the decision, whether collateral or a personal guarantee was demanded,
whether any item was flagged. So :func:`measure_sums` groups the counted cases once by those
category columns (with the ownership group and any ``by`` column): a few hundred rows at most,
each with ``COUNT(*)`` and the SUM and COUNT of the four numeric facts (granted share, interest
rate, days to decision, score). No CASE expression per measure and per case; each
:class:`Measure` then says in Python which categories make up its base and its numerator
(approval: granted or partly granted over decided) and the rows are added up. The grouping
columns are plain columns, so the database can group them in the order of an index; nothing but
COUNT, SUM, CAST and a single CASE, no database-specific aggregate. A new rate over a category
is one more :class:`Measure`; a new numeric fact one more entry in :data:`SUMS`.

Medians and the Mann–Whitney test need the distribution, not only sums: :func:`share_distribution`
fetches ``(group, share, count)`` — each distinct share value once with its count — so the data
crossing into Python is bounded by the number of distinct values (many shares are exactly 1.0),
never by whole cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Float, case, cast, func, literal, select, type_coerce
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from app.enums import AssessmentStatus
from app.storage.functions import days_between, unindexed, year_quarter
from app.storage.models import AssessmentRow, ItemFlagRow, Template, TemplateVersionRow

#: Only completed and signed cases count (a draft may still change).
COUNTED_STATUSES = (AssessmentStatus.COMPLETED.value, AssessmentStatus.SIGNED.value)
APPROVED = ("granted", "partly_granted")
OWNERSHIP_GROUPS = ("women_led", "men_led", "mixed", "not_disclosed")
NOT_DISCLOSED = "not_disclosed"

A = AssessmentRow


@dataclass(frozen=True)
class InsightFilter:
    """Which cases the insights cover (every field optional)."""

    date_from: date | None = None
    date_to: date | None = None
    branch: str | None = None
    advisor: str | None = None
    template: str | None = None  # template key
    sector: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: (value.isoformat() if isinstance(value, date) else value)
                for name, value in self.__dict__.items() if value not in (None, "")}


def _raw(column: Any) -> ColumnElement[Any]:
    """A scaled-integer amount as a float (the scale cancels out in a ratio)."""
    return cast(column, Float)


#: The category columns cases are grouped by (plain columns: an index can deliver them in order).
CATEGORIES: dict[str, Any] = {
    "decision": A.decision,
    "collateral": A.collateral_required,
    "guarantee": A.personal_guarantee_required,
    "flags": A.flag_count,
}

#: The numeric facts summed per category group (SUM and COUNT, NULL where the fact is missing).
SUMS: dict[str, Callable[[], ColumnElement[Any] | Any]] = {  # Any: a mapped column (score) is summed as it is
    # a share of the requested amount (NULL when nothing, or a zero amount, was requested)
    "share": lambda: case((A.amount_requested > 0, _raw(A.amount_granted) / _raw(A.amount_requested))),
    # the stored scaled integer (4 decimals), summed exactly; the measure scales the mean
    "interest": lambda: type_coerce(A.interest_rate, BigInteger),
    "days": lambda: days_between(A.case_date, A.decision_date),  # NULL unless both dates are known
    "score": lambda: A.score,
}

Category = Mapping[str, Any]


def _yes_no(name: str) -> Callable[[Category], int | None]:
    return lambda c: None if c[name] is None else int(bool(c[name]))


def _approved(c: Category) -> int | None:
    return 1 if c["decision"] in APPROVED else 0 if c["decision"] == "refused" else None


def _refused(c: Category) -> int | None:
    return 1 if c["decision"] == "refused" else 0 if c["decision"] in APPROVED else None


def _withdrawn(c: Category) -> int | None:
    return None if c["decision"] is None else int(c["decision"] == "withdrawn")


@dataclass(frozen=True)
class Measure:
    """One indicator: ``kind`` "rate" (share of the base, 0..1) or "mean" (average over the base).

    A rate's ``value`` maps a case's categories to 1 (counted in the numerator), 0 (in the base
    only) or None (not in the base). A mean averages the ``total`` fact (see SUMS) over the cases
    whose categories pass ``where``, divided by ``scale``. ``needs``: the categories it reads."""

    key: str
    kind: str
    needs: tuple[str, ...] = ()
    value: Callable[[Category], int | None] | None = None
    total: str = ""
    where: Callable[[Category], bool] | None = None
    scale: float = 1.0


#: The indicator set, in display order. The service gives each a label and decides how to test it.
MEASURES: tuple[Measure, ...] = (
    Measure("approval", "rate", ("decision",), _approved),
    Measure("refusal", "rate", ("decision",), _refused),
    Measure("withdrawal", "rate", ("decision",), _withdrawn),
    Measure("granted_share", "mean", ("decision",), total="share", where=lambda c: c["decision"] in APPROVED),
    Measure("collateral", "rate", ("collateral",), _yes_no("collateral")),
    Measure("guarantee", "rate", ("guarantee",), _yes_no("guarantee")),
    Measure("interest_rate", "mean", total="interest", scale=10000),
    Measure("processing_days", "mean", total="days"),
    Measure("flagged", "rate", ("flags",), lambda c: int(c["flags"] > 0)),
    Measure("score", "mean", total="score"),
)


def ownership_group() -> ColumnElement[str]:
    """The case's ownership group; a case without one counts as "not disclosed" (never folded elsewhere)."""
    return func.coalesce(A.ownership, literal("not_disclosed"))


def counted_cases(filters: InsightFilter, columns: Sequence[Any]) -> Any:
    """``SELECT columns FROM`` the counted cases under ``filters`` (see the module docstring)."""
    newer = aliased(AssessmentRow)
    # The few superseded ids are collected once (a hashed set on PostgreSQL, an ephemeral index on
    # SQLite); a LEFT JOIN ... IS NULL anti-join can be planned as a nested scan (minutes at 100 000).
    superseded = select(newer.amends_id).where(newer.amends_id.is_not(None), newer.status.in_(COUNTED_STATUSES))
    # unindexed: the status is read from the insights index, not looked up in ix_assessments_status
    query = select(*columns).select_from(A).where(unindexed(A.status).in_(COUNTED_STATUSES),
                                                  A.id.not_in(superseded))
    query = query.where(A.training_exercise_id.is_(None))  # a trainee's answers never count (0007)
    if filters.date_from is not None:
        query = query.where(A.case_date >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(A.case_date <= filters.date_to)
    if filters.branch:
        query = query.where(A.branch == filters.branch)
    if filters.advisor:
        query = query.where(A.advisor == filters.advisor)
    if filters.sector:
        query = query.where(A.sector == filters.sector)
    if filters.template:
        query = query.where(A.template_version_id.in_(
            select(TemplateVersionRow.id).join(Template).where(Template.key == filters.template)))
    return query


@dataclass
class MeasureSums:
    """``total`` (the numerator, or the sum of the fact) and ``base`` (the cases) of one measure in one group."""

    total: float
    base: int


@dataclass
class GroupSums:
    cases: int
    measures: dict[str, MeasureSums]


def _group_key(ownership: str | None) -> str:
    """A case without an ownership group counts as "not disclosed" (never folded elsewhere)."""
    return NOT_DISCLOSED if ownership is None else ownership


def fold(rows: Iterable[tuple[Category, int, Mapping[str, tuple[float, int]]]],
         measures: Sequence[Measure] = MEASURES) -> GroupSums:
    """Add up category rows ``(categories, cases, {fact: (sum, count)})`` into every measure's sums."""
    cases = 0
    totals = {m.key: [0.0, 0] for m in measures}
    for categories, n, facts in rows:
        cases += n
        for m in measures:
            acc = totals[m.key]
            if m.kind == "rate":
                value = m.value(categories)  # type: ignore[misc]
                if value is not None:
                    acc[0] += value * n
                    acc[1] += n
            elif m.where is None or m.where(categories):
                fact_sum, fact_count = facts[m.total]
                acc[0] += fact_sum
                acc[1] += fact_count
    return GroupSums(cases, {m.key: MeasureSums(total / m.scale, int(base))
                             for m in measures for total, base in [totals[m.key]]})


def measure_sums(s: Session, filters: InsightFilter, by: Sequence[ColumnElement[Any]] = (),
                 measures: Sequence[Measure] = MEASURES) -> dict[tuple[Any, ...], GroupSums]:
    """Every measure's sums per ownership group (and per ``by`` first), from one grouped query."""
    needs = [name for name in CATEGORIES if any(name in m.needs for m in measures)]
    facts = [name for name in SUMS if any(m.kind == "mean" and m.total == name for m in measures)]
    keys = [*by, A.ownership, *(CATEGORIES[name] for name in needs)]
    columns: list[Any] = [*keys, func.count()]
    for name in facts:
        expr = SUMS[name]()
        columns += [func.sum(expr), func.count(expr)]
    query = counted_cases(filters, columns).group_by(*keys)
    width = len(by)
    grouped: dict[tuple[Any, ...], list[tuple[Category, int, dict[str, tuple[float, int]]]]] = {}
    for row in s.execute(query):
        key = (*row[:width], _group_key(row[width]))
        categories = dict(zip(needs, row[width + 1:width + 1 + len(needs)], strict=True))
        sums = row[width + 1 + len(needs):]
        values = {name: (float(sums[2 * i + 1] or 0), int(sums[2 * i + 2] or 0)) for i, name in enumerate(facts)}
        grouped.setdefault(key, []).append((categories, int(sums[0]), values))
    return {key: fold(rows, measures) for key, rows in grouped.items()}


def share_distribution(s: Session, filters: InsightFilter) -> dict[str, list[tuple[float, int]]]:
    """Per ownership group, each distinct granted share (granted or partly granted cases with a
    requested amount) with its number of cases."""
    share = (_raw(A.amount_granted) / _raw(A.amount_requested)).label("share")
    query = (counted_cases(filters, [A.ownership, share, func.count()])
             .where(A.decision.in_(APPROVED), A.amount_requested > 0, A.amount_granted.is_not(None))
             .group_by(A.ownership, share))
    merged: dict[str, dict[float, int]] = {}
    for ownership, value, count in s.execute(query):
        values = merged.setdefault(_group_key(ownership), {})
        values[float(value)] = values.get(float(value), 0) + int(count)
    return {group: sorted(values.items()) for group, values in merged.items()}


def quarter_of_case() -> ColumnElement[int]:
    return year_quarter(A.case_date)


DIMENSIONS: dict[str, Any] = {
    "all": lambda: literal(""),
    "branch": lambda: A.branch,
    "advisor": lambda: A.advisor,
    "ownership": ownership_group,
    "quarter": quarter_of_case,
}


def item_flag_counts(s: Session, filters: InsightFilter, dimension: str
                     ) -> tuple[dict[tuple[str, str, Any], int], dict[tuple[str, Any], int]]:
    """How often each item was flagged per value of ``dimension`` (see DIMENSIONS), and the cases
    behind each: ``({(template, item, value): flags}, {(template, value): cases})``."""
    dim = DIMENSIONS[dimension]().label("dim")
    template = Template.key.label("template")
    flags_query = (counted_cases(filters, [template, ItemFlagRow.item_key, dim, func.count()])
                   .join(ItemFlagRow, ItemFlagRow.assessment_id == A.id)
                   .join(TemplateVersionRow, TemplateVersionRow.id == A.template_version_id)
                   .join(Template, Template.id == TemplateVersionRow.template_id)
                   .group_by(template, ItemFlagRow.item_key, dim))
    cases_query = (counted_cases(filters, [template, dim, func.count()])
                   .join(TemplateVersionRow, TemplateVersionRow.id == A.template_version_id)
                   .join(Template, Template.id == TemplateVersionRow.template_id)
                   .group_by(template, dim))
    flags = {(t, key, value): int(n) for t, key, value, n in s.execute(flags_query)}
    cases = {(t, value): int(n) for t, value, n in s.execute(cases_query)}
    return flags, cases


def filter_choices(s: Session) -> dict[str, list[str]]:
    """The branches, advisors, sectors and template keys that counted cases use (for filter lists)."""
    everything = InsightFilter()
    out: dict[str, list[str]] = {}
    for name, column in (("branch", A.branch), ("advisor", A.advisor), ("sector", A.sector)):
        rows = s.execute(counted_cases(everything, [column]).where(column.is_not(None), column != "")
                         .group_by(column).order_by(column))
        out[name] = [r[0] for r in rows]
    out["template"] = list(s.scalars(select(Template.key).order_by(Template.key)))
    return out

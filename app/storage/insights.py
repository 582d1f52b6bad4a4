"""SQL aggregates for the equal-opportunity insights (portable: SQLite now, PostgreSQL in team mode).

Nothing here loads cases into Python. Every figure is one aggregate query over the *counted*
cases: completed or signed assessments, the latest such revision of each case only (an amended
case counts once, as amended), training answers (``training_exercise_id`` set) left out.

The indicators are a table of :class:`Measure` definitions. Each measure is one SQL expression
per case that is NULL when the case does not belong to the measure's base, else a number (1/0
for a rate). ``SUM(expr)`` and ``COUNT(expr)`` then give the numerator and the base of every
measure in a single ``GROUP BY`` pass, with nothing but CASE, COUNT, SUM and CAST — no
database-specific aggregate. A new fact (say the collateral value) becomes one more row.

Medians and the Mann–Whitney test need the distribution, not only sums: :func:`share_distribution`
fetches ``(group, share, count)`` — each distinct share value once with its count — so the data
crossing into Python is bounded by the number of distinct values (many shares are exactly 1.0),
never by whole cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Float,
    SQLColumnExpression,
    and_,
    case,
    cast,
    func,
    literal,
    not_,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from app.enums import AssessmentStatus
from app.storage.functions import days_between, year_quarter
from app.storage.models import AssessmentRow, ItemFlagRow, Template, TemplateVersionRow

#: Only completed and signed cases count (a draft may still change).
COUNTED_STATUSES = (AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED)
APPROVED = ("granted", "partly_granted")
OWNERSHIP_GROUPS = ("women_led", "men_led", "mixed", "not_disclosed")

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


@dataclass(frozen=True)
class Measure:
    """One indicator: ``kind`` "rate" (share of the base, 0..1) or "mean" (average over the base)."""

    key: str
    kind: str
    expr: SQLColumnExpression[Any]


def _flag(column: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """1 where a nullable yes/no column is true, 0 where false, NULL (not counted) where unknown."""
    return case((column, 1), (not_(column), 0))


def _raw(column: Any) -> ColumnElement[Any]:
    """A scaled-integer amount as a float (the scale cancels out in a ratio)."""
    return cast(column, Float)


_granted_share = case(
    (and_(A.decision.in_(APPROVED), A.amount_requested > 0, A.amount_granted.is_not(None)),
     _raw(A.amount_granted) / _raw(A.amount_requested)))

#: The indicator set, in display order. The service gives each a label and decides how to test it.
MEASURES: tuple[Measure, ...] = (
    Measure("approval", "rate", case((A.decision.in_(APPROVED), 1), (A.decision == "refused", 0))),
    Measure("refusal", "rate", case((A.decision == "refused", 1), (A.decision.in_(APPROVED), 0))),
    Measure("withdrawal", "rate", case((A.decision == "withdrawn", 1), (A.decision.is_not(None), 0))),
    Measure("granted_share", "mean", _granted_share),
    Measure("collateral", "rate", _flag(A.collateral_required)),
    Measure("guarantee", "rate", _flag(A.personal_guarantee_required)),
    Measure("interest_rate", "mean", _raw(A.interest_rate) / 10000),
    Measure("processing_days", "mean", case(
        (and_(A.case_date.is_not(None), A.decision_date.is_not(None)), days_between(A.case_date, A.decision_date)))),
    Measure("flagged", "rate", case((A.flag_count > 0, 1), else_=0)),
    Measure("score", "mean", A.score),
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
    query = select(*columns).select_from(A).where(A.status.in_(COUNTED_STATUSES), A.id.not_in(superseded))
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
    """``total`` (SUM) and ``base`` (COUNT) of one measure in one group."""

    total: float
    base: int


@dataclass
class GroupSums:
    cases: int
    measures: dict[str, MeasureSums]


def measure_sums(s: Session, filters: InsightFilter, by: Sequence[ColumnElement[Any]] = (),
                 measures: Sequence[Measure] = MEASURES) -> dict[tuple[Any, ...], GroupSums]:
    """Every measure's SUM and COUNT per ownership group (and per ``by`` first): one query."""
    group = ownership_group().label("grp")
    columns: list[Any] = [*by, group, func.count().label("cases")]
    for m in measures:
        columns += [func.sum(m.expr), func.count(m.expr)]
    query = counted_cases(filters, columns).group_by(*by, group)
    out: dict[tuple[Any, ...], GroupSums] = {}
    width = len(by) + 1
    for row in s.execute(query):
        key = tuple(row[:width])
        values = row[width + 1:]
        out[key] = GroupSums(int(row[width]), {
            m.key: MeasureSums(float(values[2 * i] or 0), int(values[2 * i + 1] or 0))
            for i, m in enumerate(measures)})
    return out


def share_distribution(s: Session, filters: InsightFilter) -> dict[str, list[tuple[float, int]]]:
    """Per ownership group, each distinct granted share with its number of cases."""
    share = _granted_share.label("share")
    group = ownership_group().label("grp")
    query = counted_cases(filters, [group, share, func.count()]).where(_granted_share.is_not(None)) \
        .group_by(group, share)
    out: dict[str, list[tuple[float, int]]] = {}
    for grp, value, count in s.execute(query):
        out.setdefault(grp, []).append((float(value), int(count)))
    return out


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

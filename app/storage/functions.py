"""Portable SQL functions whose implementation differs per database (kept in the storage layer).

``days_between(a, b)`` and ``year_quarter(d)``: date arithmetic for insights (SQLite keeps ISO text).
``casefold(expr)``: Unicode-aware lower case for case-insensitive search. PostgreSQL's
``lower()`` already folds ``Ö`` to ``ö``; SQLite's only folds ASCII, so on SQLite it calls a
Python function registered on every connection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.sql.visitors import InternalTraversal

from app.enums import Language


class casefold(GenericFunction[str]):  # noqa: N801 (SQL function name)
    type = String()
    inherit_cache = True


@compiles(casefold)
def _casefold_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(casefold, "sqlite")
def _casefold_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"likvard_casefold({compiler.process(element.clauses, **kw)})"


class locale_sort_key(GenericFunction[str]):  # noqa: N801 (SQL function name)
    """A text's collation key in the active language (Swedish: å ä ö after z; French: accents
    folded). SQLite gets a Python function (reading the language when the row is compared);
    PostgreSQL the language's ICU collation, chosen when the expression is built (part of the
    statement cache key); other databases sort by the lower-cased text."""

    type = String()
    inherit_cache = True
    _traverse_internals = [*GenericFunction._traverse_internals, ("language", InternalTraversal.dp_string)]

    def __init__(self, *args: Any, **kw: Any) -> None:
        from app.i18n import get_language, normalize_language

        self.language = str(normalize_language(get_language()))
        super().__init__(*args, **kw)


#: The ICU collation of each language on PostgreSQL (its Debian, Windows and macOS builds have ICU).
ICU_COLLATIONS = {Language.SV: "sv-x-icu", Language.FR: "fr-x-icu", Language.EN: "und-x-icu"}


@compiles(locale_sort_key)
def _locale_sort_key_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(locale_sort_key, "postgresql")
def _locale_sort_key_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    collation = ICU_COLLATIONS.get(element.language, "und-x-icu")
    return f'({compiler.process(element.clauses, **kw)} COLLATE "{collation}")'


@compiles(locale_sort_key, "sqlite")
def _locale_sort_key_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"likvard_sort_key({compiler.process(element.clauses, **kw)})"


def _py_sort_key(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from app.i18n import sort_key

    primary, secondary = sort_key(value)
    return primary + "\u0000" + secondary


def _py_casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def register_sqlite_functions(dbapi_conn: Any) -> None:
    """Called for every new SQLite connection."""
    dbapi_conn.create_function("likvard_casefold", 1, _py_casefold, deterministic=True)
    # not deterministic: the key follows the active language
    dbapi_conn.create_function("likvard_sort_key", 1, _py_sort_key)


class days_between(GenericFunction[float]):  # noqa: N801 (SQL function name)
    """Whole days from the first date to the second (``days_between(case_date, decision_date)``).

    PostgreSQL subtracts dates; SQLite stores ISO text and subtracts Julian day numbers."""

    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: Any, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"({compiler.process(second, **kw)} - {compiler.process(first, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"(julianday({compiler.process(second, **kw)}) - julianday({compiler.process(first, **kw)}))"


class year_quarter(GenericFunction[int]):  # noqa: N801 (SQL function name)
    """A date's quarter as the integer ``year * 10 + quarter`` (20261 = first quarter of 2026)."""

    inherit_cache = True


@compiles(year_quarter)
def _year_quarter_default(element: Any, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"(CAST(EXTRACT(YEAR FROM {value}) AS INTEGER) * 10 + CAST(EXTRACT(QUARTER FROM {value}) AS INTEGER))"


@compiles(year_quarter, "sqlite")
def _year_quarter_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return (f"(CAST(substr({value}, 1, 4) AS INTEGER) * 10 "
            f"+ (CAST(substr({value}, 6, 2) AS INTEGER) + 2) / 3)")


class unindexed(GenericFunction[Any]):  # noqa: N801 (SQL function name)
    """A column the planner must not use an index for (``+column`` on SQLite, the column elsewhere).

    SQLite's planner, on a database never ANALYZEd, prefers any index with an equality or IN
    constraint (``ix_assessments_status`` for ``status IN (...)``) to a covering index scan, even
    when every row matches and the rows must then be fetched from the table and sorted. The unary
    ``+`` (a no-op on any value) is SQLite's documented way to take that term out of the index
    choice, so the insights read their covering index. PostgreSQL plans by cost and gets the column.
    """

    inherit_cache = True

    def __init__(self, expr: Any, **kw: Any) -> None:
        super().__init__(expr, **kw)
        self.type = expr.type


@compiles(unindexed)
def _unindexed_default(element: Any, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"

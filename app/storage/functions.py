"""Portable SQL functions whose implementation differs per database (kept in the storage layer).

``casefold(expr)``: Unicode-aware lower case for case-insensitive search. PostgreSQL's
``lower()`` already folds ``Ö`` to ``ö``; SQLite's only folds ASCII, so on SQLite it calls a
Python function registered on every connection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class casefold(GenericFunction[str]):  # noqa: N801 (SQL function name)
    type = String()
    inherit_cache = True


@compiles(casefold)
def _casefold_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(casefold, "sqlite")
def _casefold_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"likvard_casefold({compiler.process(element.clauses, **kw)})"


def _py_casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def register_sqlite_functions(dbapi_conn: Any) -> None:
    """Called for every new SQLite connection."""
    dbapi_conn.create_function("likvard_casefold", 1, _py_casefold, deterministic=True)

"""The insights on PostgreSQL (team mode is coming): a throwaway cluster, the schema made by the
app's own Alembic migrations, the seed of tests/test_insights.py, and every indicator, trend point
and training need equal to the same data's on SQLite.

Needs the PostgreSQL server binaries (Debian: postgresql-15, installed by .ci/run) and psycopg 3
(the test extras); skipped with the reason when either is missing. The cluster: ``tests/pg.py``.
"""

from __future__ import annotations

import dataclasses

import pytest

from app.storage.insights import InsightFilter

pytestmark = pytest.mark.postgres


def _everything(services) -> dict:
    out = {}
    for name, filters in {"all": InsightFilter(), "borås": InsightFilter(branch="Borås"),
                          "erik": InsightFilter(advisor="Erik Johansson")}.items():
        out[name] = [dataclasses.asdict(g) for g in services.insights.indicators(filters)]
        out[name + " trend"] = {q: {g: dataclasses.asdict(c) for g, c in groups.items()}
                                for q, groups in services.insights.trend(filters).items()}
        for dim in ("all", "branch", "advisor", "ownership", "quarter"):
            out[f"{name} needs {dim}"] = sorted(dataclasses.asdict(n).items().__repr__()
                                                for n in services.insights.training_needs(filters, dim, "en"))
    out["choices"] = services.insights.choices()
    return out


def _close(a, b, path=""):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _close(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12), path
    else:
        assert a == b, path


def test_insights_on_postgresql_equal_sqlite(pg_url, services, all_types_version):
    from app.services import Services
    from app.storage.db import HEAD_REVISION, current_revision, open_database, prepare_schema
    from tests.test_insights import seed

    assert prepare_schema(pg_url) == ""  # the app's own Alembic migrations make the schema
    pg_db = open_database(url=pg_url)
    try:
        assert pg_db.engine.dialect.name == "postgresql"
        assert current_revision(pg_db.engine) == HEAD_REVISION
        pg = Services(pg_db, actor="test")
        pg.settings = services.settings
        pg.audit.prepare()
        pg.templates.install_bundled()
        from tests.conftest import DATA

        pg.templates.import_file(DATA / "all_types.json")
        seed(pg, pg.templates.find_version("all_types").id)
        seed(services, all_types_version.id)
        on_pg, on_sqlite = _everything(pg), _everything(services)
        _close(on_pg, on_sqlite)
        men = next(g for g in on_pg["all"] if g["group"] == "men_led")
        assert men["cases"]["value"] == 10 and men["cells"]["approval"]["value"] == pytest.approx(0.7)
        assert men["cells"]["processing_days"]["value"] == pytest.approx(10)
        assert on_pg["all trend"]  # the quarter function compiled for PostgreSQL
        # the case export runs the counted-cases query with answers on PostgreSQL too
        from app.services.insights import case_table

        assert len(case_table(pg_db, InsightFilter())[1]) == len(case_table(services.db, InsightFilter())[1]) == 29
    finally:
        pg_db.close()

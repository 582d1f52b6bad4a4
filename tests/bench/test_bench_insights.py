"""The insights over 100 000 cases (issue 12): the full indicator set (every measure per ownership
group, intervals, Fisher and Mann–Whitney tests, medians) against one raw SQL aggregate over the
same cases, in the same run. Goal: under 0.5 s and at most 3x the raw aggregate.

Skipped by default; run with
``python -m pytest tests/bench/test_bench_insights.py --benchmark-enable --benchmark-only -s``.
The cases are inserted with executemany (not through the demo service) once per session.
"""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from datetime import date, timedelta

import pytest

from app.storage.insights import InsightFilter

pytestmark = pytest.mark.benchmark
CASES = 100_000
RAW = ("select ownership, count(*), sum(case when decision in ('granted', 'partly_granted') then 1 else 0 end), "
       "sum(amount_granted), sum(amount_requested) from assessments where status in ('completed', 'signed') "
       "group by ownership")
# The same aggregate over exactly the counted cases (no training answers): it reads 0010's partial index.
RAW_COUNTED = RAW.replace("group by", "and training_exercise_id is null group by")


@pytest.fixture(scope="session")
def big_db(tmp_path_factory):
    from app.bootstrap import start

    path = tmp_path_factory.mktemp("insights-bench") / "big.sqlite"
    services = start(path, language="en")
    version = services.templates.find_version("equal_treatment_credit").id.hex
    services.db.close()
    rng = random.Random(12)
    owners = ["women_led", "men_led", "mixed", "not_disclosed", None]
    decisions = ["granted", "partly_granted", "refused", "withdrawn"]
    branches = ["Borås", "Göteborg", "Skövde", "Trollhättan", "Uddevalla"]
    advisors = [f"Advisor {i}" for i in range(40)]
    items = ["family_questions", "growth_questions", "standard_documents", "collateral_standard",
             "processing_time_normal", "same_advice"]
    rows, flags = [], []
    start_day = date(2024, 1, 1)
    for n in range(CASES):
        case_id = uuid.uuid4().hex
        day = start_day + timedelta(days=rng.randrange(900))
        decision = rng.choice(decisions)
        requested = rng.randrange(10, 500) * 100_000
        granted = requested if decision == "granted" else requested * rng.randrange(2, 10) // 10 \
            if decision == "partly_granted" else None
        flagged = rng.sample(items, rng.randrange(0, 3))
        rows.append((case_id, version, "completed", f"B-{n:06d}", day.isoformat(), rng.choice(advisors),
                     rng.choice(branches), rng.choice(owners), "retail", requested, granted, "SEK",
                     rng.random() < 0.4, rng.random() < 0.3, rng.randrange(30_000, 90_000), decision,
                     (day + timedelta(days=rng.randrange(1, 60))).isoformat(), len(flagged), rng.random(),
                     "2026-01-01 00:00:00.000000", "2026-01-01 00:00:00.000000", 1, 0))
        flags += [(case_id, key) for key in flagged]
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "insert into assessments (id, template_version_id, status, case_reference, case_date, advisor, branch, "
            "ownership, sector, amount_requested, amount_granted, currency, collateral_required, "
            "personal_guarantee_required, interest_rate, decision, decision_date, flag_count, score, created_at, "
            "updated_at, revision, reference_duplicate) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        conn.executemany("insert into item_flags (assessment_id, item_key) values (?, ?)", flags)
    conn.execute("analyze")
    conn.close()
    return path


@pytest.fixture(scope="session")
def insights(big_db):
    from app.services.insights import InsightsService
    from app.storage.db import open_database

    db = open_database(big_db)
    service = InsightsService(db)
    service.indicators(InsightFilter())  # imports scipy, warms the caches
    yield service
    db.close()


def _best(fn, rounds=5):
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def test_full_indicator_set_against_one_raw_aggregate(insights, benchmark):
    with insights.db.engine.connect() as conn:
        raw_conn = conn.connection.dbapi_connection
        raw_time = _best(lambda: raw_conn.execute(RAW).fetchall())
        counted_time = _best(lambda: raw_conn.execute(RAW_COUNTED).fetchall())
    groups = benchmark.pedantic(lambda: insights.indicators(InsightFilter()), rounds=5, iterations=1)
    full = benchmark.stats.stats.min
    needs = _best(lambda: insights.training_needs(InsightFilter(), "branch"), rounds=3)
    print(f"\nindicators over {CASES} cases: {full * 1000:.0f} ms; raw aggregate {raw_time * 1000:.0f} ms "
          f"(ratio {full / raw_time:.2f}); the same over the counted cases only {counted_time * 1000:.0f} ms "
          f"(ratio {full / counted_time:.2f}); training needs by branch {needs * 1000:.0f} ms")
    assert sum(g.cases.value or 0 for g in groups) == CASES
    # History: one CASE per measure and a sort of every row: 0.47-0.55 s (3.3-5x). Grouped by category
    # over 0008's covering index: 0.29-0.33 s (4.5x). Then the training filter of 0007 made that index
    # no longer cover the query: 0.39 s (6.4x). 0010's partial index in grouping order and the share
    # distribution on a second connection: about 0.2 s. Of that, about 60 ms are scipy's 15 Fisher
    # tests; RAW_COUNTED reads the same partial index and is the stricter floor (see the closing note).
    assert full < 0.5
    assert full <= 3 * raw_time

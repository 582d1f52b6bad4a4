"""The sync under load (issue 16): 20 simulated laptops with 5 000 completed cases each (with their
answers and flags) sync at the same time, each in its own process, into one PostgreSQL server on
this machine. Reports the throughput (cases/s over the whole run), the server's own time
(``pg_stat_database.active_time``: time its backends spent executing statements) and the time the
laptops spent inside server transactions; checks the server holds exactly the union.

Skipped by default; run with
``python -m pytest tests/bench/test_bench_sync.py --benchmark-enable --benchmark-only -s``.
The laptop databases are written with executemany (not through the services).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.sync_helpers import db_name, server_url

pytestmark = [pytest.mark.benchmark, pytest.mark.postgres]
LAPTOPS = int(os.environ.get("LIKVARD_BENCH_LAPTOPS", "20"))
CASES = int(os.environ.get("LIKVARD_BENCH_CASES", "5000"))
ANSWERS = 20
ROOT = Path(__file__).resolve().parents[2]

RUN = """
import json, sys
from app.bootstrap import start
s = start(sys.argv[1], language="en", backup=False, install_bundled=False)
r = s.sync.sync(sys.argv[2], batch_size=int(sys.argv[3]))
print(json.dumps({"pushed": r.pushed, "already": r.already, "events": r.events, "conflicts": len(r.conflicts),
                  "seconds": r.seconds, "server_seconds": r.server_seconds, "batches": r.batches}))
"""


def _laptops(folder: Path) -> list[Path]:
    from app.bootstrap import start

    base = folder / "base.sqlite"
    services = start(base, language="en", backup=False)
    version = services.templates.find_version("equal_treatment_credit")
    items = [i.key for i in services.templates.content(version.id).items()][:ANSWERS]
    services.db.close()
    rng = random.Random(16)
    paths = []
    stamp = "2026-06-01 10:00:00.000000"
    for lap in range(LAPTOPS):
        path = folder / f"laptop{lap:02d}.sqlite"
        shutil.copy(base, path)
        rows, answers, flags = [], [], []
        for n in range(CASES):
            case_id = uuid.uuid4().hex
            flagged = rng.sample(items, rng.randrange(0, 3))
            rows.append((case_id, version.id.hex, "completed", f"L{lap:02d}-{n:05d}", "2026-05-01", f"Advisor {lap}",
                         "Borås", rng.choice(["women_led", "men_led", "mixed"]), "retail", 1_000_000_00, 800_000_00,
                         "SEK", 0, 0, 65_000, "granted", "2026-05-20", len(flagged), rng.random(), stamp, stamp,
                         stamp, 1, 0))
            answers += [(uuid.uuid4().hex, case_id, key, json.dumps("yes"), "", stamp) for key in items]
            flags += [(case_id, key) for key in flagged]
        conn = sqlite3.connect(path)
        with conn:
            conn.executemany(
                "insert into assessments (id, template_version_id, status, case_reference, case_date, advisor, "
                "branch, ownership, sector, amount_requested, amount_granted, currency, collateral_required, "
                "personal_guarantee_required, interest_rate, decision, decision_date, flag_count, score, created_at, "
                "updated_at, completed_at, revision, reference_duplicate) "
                "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            conn.executemany("insert into answers (id, assessment_id, item_key, value, comment, updated_at) "
                             "values (?,?,?,?,?,?)", answers)
            conn.executemany("insert into item_flags (assessment_id, item_key) values (?, ?)", flags)
        conn.close()
        paths.append(path)
    return paths


def test_bench_twenty_laptops_sync_into_one_server(pg_server, tmp_path, benchmark):
    url = server_url(pg_server)
    db = db_name(url)
    t0 = time.perf_counter()
    paths = _laptops(tmp_path)
    print(f"\n{LAPTOPS} laptop databases of {CASES} cases ({ANSWERS} answers each) written in "
          f"{time.perf_counter() - t0:.1f} s")
    active = "SELECT active_time FROM pg_stat_database WHERE datname = current_database()"
    results: list[dict] = []

    def run_all() -> None:
        procs = [subprocess.Popen([sys.executable, "-c", RUN, str(p), url, "200"], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for p in paths]
        for proc in procs:
            out, err = proc.communicate(timeout=1800)
            assert proc.returncode == 0, err[-2000:]
            results.append(json.loads(out.strip().splitlines()[-1]))

    before = pg_server.psql(active, db)[0][0]
    started = time.perf_counter()
    benchmark.pedantic(run_all, rounds=1, iterations=1)
    wall = time.perf_counter() - started
    server_ms = pg_server.psql(active, db)[0][0] - before
    total = LAPTOPS * CASES
    assert sum(r["pushed"] for r in results) == total and not any(r["conflicts"] for r in results)
    counts = pg_server.psql("SELECT (SELECT count(*) FROM assessments), (SELECT count(DISTINCT id) FROM assessments), "
                            "(SELECT count(*) FROM answers)", db)[0]
    assert counts == (total, total, total * ANSWERS)
    in_tx = sum(r["server_seconds"] for r in results)
    print(f"{total} cases ({total * ANSWERS} answers) from {LAPTOPS} laptops at once: {wall:.1f} s wall, "
          f"{total / wall:.0f} cases/s; server active time {server_ms / 1000:.1f} s "
          f"({server_ms / total:.3f} ms per case); laptops inside server transactions {in_tx:.1f} s in all; "
          f"per laptop {min(r['seconds'] for r in results):.1f}-{max(r['seconds'] for r in results):.1f} s")

"""Crash safety (issue 13, items 8 and build 4): a commit that returned (an answer shown as "Saved")
is durable. A writer process storing answers through the real AssessmentService in bursts is
killed with SIGKILL at random moments, 50 times; after each kill every acknowledged answer is found.
Each writer is a process of its own, forked from a per-lane server that has imported the app once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from app.domain.facts import CaseFacts
from tests.conftest import DATA, ROOT

KEYS = ("summary", "reasons")
LANES, KILLS_PER_LANE = 5, 10  # 50 kills; lanes run side by side to keep the test short

WRITER = textwrap.dedent("""
    import sys, time, uuid
    from app.services import Services
    from app.storage.db import open_database
    path, case_id, n = sys.argv[1], uuid.UUID(sys.argv[2]), int(sys.argv[3])
    keys = sys.argv[4].split(",")
    services = Services(open_database(path))
    services.assessments.set_answers(case_id, {keys[n % len(keys)]: f"v{n}"})  # warm: queries compiled
    print(n, flush=True)
    n += 1
    print("READY", flush=True)
    while True:
        for _burst in range(5):  # an autosave burst, then the pause of someone typing
            services.assessments.set_answers(case_id, {keys[n % len(keys)]: f"v{n}"})
            print(n, flush=True)  # acknowledged: the commit returned
            n += 1
        time.sleep(0.005)
""")


#: Forks one writer per line read (its arguments), then reports how it ended: "DONE <returncode>".
#: The writer is a separate process like one started afresh; only the imports are done once, by the server.
SERVER = textwrap.dedent("""
    import os, sys
    from app.services import Services  # noqa: F401  the writer's imports, once per lane
    from app.storage.db import open_database  # noqa: F401
    writer = compile(sys.argv[1], "<writer>", "exec")
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                print("PID", os.getpid(), flush=True)
                sys.argv = ["-c", *line.split()]
                exec(writer, {"__name__": "__main__"})
            finally:
                os._exit(1)
        _pid, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        print("DONE", code, flush=True)
""")


def test_commits_are_fully_synchronous(db_path):
    from app.storage.db import open_database

    db = open_database(db_path)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: survives a power cut
    finally:
        db.close()


def _stored(path: Path, case_hex: str) -> tuple[dict[str, int], int]:
    conn = sqlite3.connect(path)  # a fresh connection recovers the WAL the killed writer left
    try:
        values = {key: int(value.strip('"').lstrip("v")) for key, value in conn.execute(
            "SELECT item_key, value FROM answers JOIN assessments ON answers.assessment_id = assessments.id "
            "WHERE assessments.id = ? AND value IS NOT NULL", (case_hex,))}
        events = conn.execute("SELECT count(*) FROM events WHERE kind = 'assessment.answers_set' AND entity_id = ?",
                              (case_hex,)).fetchone()[0]
    finally:
        conn.close()
    return values, events


def _lane(path: Path, case_id: str, rng: random.Random, report: dict[str, object]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    acked_total, next_n, kills, acks = 0, 0, 0, 0
    last_acked: dict[str, int] = {}
    errors = path.with_suffix(".stderr")
    with open(errors, "w") as stderr:
        server = subprocess.Popen([sys.executable, "-c", SERVER, WRITER], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=stderr, text=True, env=env, cwd=ROOT)
    assert server.stdin is not None and server.stdout is not None
    try:
        for _round in range(KILLS_PER_LANE):
            server.stdin.write(f"{path} {case_id} {next_n} {','.join(KEYS)}\n")
            server.stdin.flush()
            started = server.stdout.readline()
            assert started.startswith("PID "), errors.read_text() or started
            pid = int(started.split()[1])
            warm = server.stdout.readline()
            ready = server.stdout.readline()
            assert ready.strip() == "READY", errors.read_text() or ready
            time.sleep(rng.uniform(0.0, 0.15))  # somewhere inside a burst, a pause or a commit
            os.kill(pid, signal.SIGKILL)
            out = []  # everything printed before the kill: each line a returned commit
            while not (line := server.stdout.readline()).startswith("DONE"):
                assert line, errors.read_text()
                out.append(line)
            assert int(line.split()[1]) == -signal.SIGKILL
            numbers = [int(line) for line in (warm + "".join(out)).split()]
            for n in numbers:
                last_acked[KEYS[n % len(KEYS)]] = n
            acked_total += len(numbers)
            acks += len(numbers)
            values, events = _stored(path, case_id)
            for key, n in last_acked.items():
                assert values.get(key, -1) >= n, (key, n, values)  # the acknowledged answer, or a later one
            assert events >= acked_total, (events, acked_total)  # one event per commit: none went missing
            next_n = max([*values.values(), *numbers, next_n - 1]) + 1
            kills += 1
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    report[str(path)] = (kills, acks)


def test_fifty_kills_during_autosave_bursts_lose_no_acknowledged_answer(tmp_path):
    from app.bootstrap import start

    lanes = []
    for lane in range(LANES):
        path = tmp_path / f"lane{lane}.sqlite"
        services = start(path, language="en", install_bundled=False)
        version = services.templates.import_file(DATA / "all_types.json").version
        case_id = services.assessments.create(version.id, CaseFacts(case_reference=f"KILL-{lane}"))
        services.db.close()
        lanes.append((path, case_id.hex))
    report: dict[str, object] = {}
    errors: list[BaseException] = []

    def run(path: Path, case_hex: str, seed: int) -> None:
        try:
            _lane(path, case_hex, random.Random(seed), report)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(path, case_hex, n)) for n, (path, case_hex) in enumerate(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise errors[0]
    kills = sum(k for k, _a in report.values())  # type: ignore[misc]
    acks = sum(a for _k, a in report.values())  # type: ignore[misc]
    print(f"\nkills survived: {kills}, acknowledged answers found: {acks} of {acks}")
    assert kills == LANES * KILLS_PER_LANE
    assert acks > 0
    if acks < kills:
        pytest.fail(f"too few commits between kills to mean anything: {acks}")

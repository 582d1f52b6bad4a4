"""Desktop client benchmarks (skipped by default; run with
``QT_QPA_PLATFORM=offscreen python -m pytest tests/bench --benchmark-enable --benchmark-only``).

- start-up: ``python main.py`` over a database of 10 000 cases until the main window is shown, and
  until the case list shows its first rows, side by side with a bare PySide6 QMainWindow started
  the same way (each in a fresh subprocess, timed from spawn to the line it prints);
- opening a case of 100 items in the filling view;
- one autosave (one answer stored and the view re-evaluated).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from tests.bench.startup import (
    BARE,  # the one bare-window floor both start-up benchmarks measure
    as_installed,
    compile_stale_catalogs,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.benchmark



def _insert_cases(services, count: int) -> None:
    from app.storage.models import AssessmentRow

    version = services.templates.published_versions()[0]
    now = datetime.now(UTC)
    rows = [
        {"id": uuid.uuid4(), "template_version_id": version.id, "status": "draft" if n % 4 else "completed",
         "case_reference": f"GBG-2026-{n:05d}", "case_date": date(2026, 1, 1) + timedelta(days=n % 300),
         "advisor": "Anna Lindqvist", "branch": "Göteborg", "ownership": "women_led", "sector": "retail",
         "currency": "SEK", "flag_count": n % 3, "score": 0.8, "created_at": now, "updated_at": now}
        for n in range(count)
    ]
    with services.db.engine.begin() as conn:
        conn.execute(insert(AssessmentRow.__table__), rows)


@pytest.fixture(scope="module")
def big_database(tmp_path_factory) -> Path:
    from app.bootstrap import start

    compile_stale_catalogs()

    folder = tmp_path_factory.mktemp("bench")
    path = folder / "likvard.sqlite"
    services = start(path, language="en")
    _insert_cases(services, 10_000)
    assert services.assessments.count() == 10_000
    services.db.close()
    return path


def _time_until(args: list[str], marker: str, env: dict[str, str]) -> float:
    """Seconds from spawning the process to the line starting with ``marker``; then the process is ended."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(marker):
                return time.perf_counter() - started
        raise AssertionError(f"{marker!r} never printed")
    finally:
        proc.kill()
        proc.wait()


def _env(tmp_path: Path, db: Path | None = None) -> dict[str, str]:
    # as a user starts it (settings found through the config folder), only the folders are temporary
    env = as_installed({k: v for k, v in os.environ.items() if k != "LIKVARD_CONFIG"})
    env.update({"QT_QPA_PLATFORM": "offscreen", "LIKVARD_EXIT_WHEN_SHOWN": "1",
                "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data")})
    if db is not None:
        env["LIKVARD_DB"] = str(db)
    return env


def _warm(args: list[str], marker: str, env: dict[str, str]) -> None:
    _time_until(args, marker, env)  # the first run pays for the disk cache and .pyc files


@pytest.mark.benchmark(group="startup")
def test_startup_bare_pyside6_window(benchmark, tmp_path):
    args = [sys.executable, "-c", BARE]
    env = _env(tmp_path)
    _warm(args, "shown:", env)
    benchmark.pedantic(_time_until, args=(args, "shown:", env), rounds=7, iterations=1)


@pytest.mark.benchmark(group="startup")
def test_startup_likvard_window_shown_10000_cases(benchmark, tmp_path, big_database):
    args = [sys.executable, str(ROOT / "main.py")]
    env = _env(tmp_path, big_database)
    _warm(args, "ready:", env)
    benchmark.pedantic(_time_until, args=(args, "shown:", env), rounds=7, iterations=1)


@pytest.mark.benchmark(group="startup")
def test_startup_likvard_case_list_ready_10000_cases(benchmark, tmp_path, big_database):
    args = [sys.executable, str(ROOT / "main.py")]
    env = _env(tmp_path, big_database)
    _warm(args, "ready:", env)
    benchmark.pedantic(_time_until, args=(args, "ready:", env), rounds=7, iterations=1)


def _hundred_items_template() -> dict:
    types = ["yes_no_na", "single_choice", "multiple_choice", "short_text", "long_text", "integer", "decimal",
             "money", "date", "scale"]
    sections = []
    for s in range(10):
        items = []
        for n, kind in enumerate(types):
            key = f"s{s}_i{n}"
            item = {"key": key, "type": kind, "label": {"en": f"Question {s + 1}.{n + 1} about the meeting"},
                    "guidance": {"en": "Ask every client the same question."}, "required": n % 2 == 0}
            if kind in ("single_choice", "multiple_choice"):
                item["options"] = [{"value": v, "label": {"en": v.title()}} for v in ("one", "two", "three")]
            if kind == "yes_no_na":
                item["flag_when"] = {"item": key, "op": "equals", "value": "no"}
                item["flag_explanation"] = {"en": "Answered no."}
            if n == 3:
                item["visible_when"] = {"item": f"s{s}_i0", "op": "equals", "value": "yes"}
            items.append(item)
        sections.append({"key": f"section_{s}", "title": {"en": f"Section {s + 1}"}, "items": items})
    return {"format": "likvard-template/1", "key": "hundred", "default_language": "en", "languages": ["en"],
            "title": {"en": "A hundred items"}, "sections": sections}


@pytest.fixture
def hundred_item_case(services, qapp):
    from app.domain.facts import CaseFacts
    from app.domain.template import parse_template
    from ui.style import apply_style

    apply_style(qapp)
    result = services.templates.add_version(parse_template(_hundred_items_template()))
    case_id = services.assessments.create(result.version.id, CaseFacts(case_reference="BENCH-100"))
    answers = {f"s{s}_i0": "yes" for s in range(10)} | {f"s{s}_i3": "Some text" for s in range(10)}
    services.assessments.set_answers(case_id, answers)
    return case_id


@pytest.mark.benchmark(group="filling")
def test_open_a_case_of_100_items(benchmark, qtbot, services, hundred_item_case):
    from ui import tasks
    from ui.main_window import MainWindow

    tasks.set_synchronous(True)
    window = MainWindow(services, restore=False)
    qtbot.addWidget(window)
    window.show()

    def open_case():
        view = window.open_case(hundred_item_case)
        qtbot.waitExposed(view)
        return view

    view = benchmark(open_case)
    assert len(view.content.items()) == 100
    tasks.set_synchronous(False)


@pytest.mark.benchmark(group="filling")
def test_one_autosave(benchmark, qtbot, services, hundred_item_case):
    from ui import tasks
    from ui.main_window import MainWindow

    tasks.set_synchronous(True)
    window = MainWindow(services, restore=False)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(hundred_item_case)
    edit = view.items["s0_i5"].editor.edit
    counter = iter(range(10**6))

    def autosave():
        edit.setText(str(next(counter) % 500))  # a change, then the store it triggers
        assert view.autosaver.pending
        view.flush()

    benchmark(autosave)
    assert view.autosaver.state == "saved"
    tasks.set_synchronous(False)

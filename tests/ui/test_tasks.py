"""The one background helper: results, errors and progress come back on the UI thread."""

from __future__ import annotations

import threading

import pytest

from ui import tasks


@pytest.fixture
def threaded():
    tasks.set_synchronous(False)
    yield
    tasks.set_synchronous(True)


def test_work_runs_off_the_ui_thread_and_reports_on_it(qtbot, qapp, threaded):
    ui_thread = threading.get_ident()
    seen: dict[str, object] = {"progress": []}

    def work(report):
        seen["worker"] = threading.get_ident()
        for n in range(3):
            report(n + 1, 3)
        return 42

    def done(result):
        seen["result"] = result
        seen["done_thread"] = threading.get_ident()

    def progress(done_count, total):
        seen["progress"].append((done_count, total, threading.get_ident()))  # type: ignore[union-attr]

    tasks.run_in_background(work, on_done=done, progress=progress)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["worker"] != ui_thread
    assert seen["done_thread"] == ui_thread
    assert [(d, t) for d, t, _th in seen["progress"]] == [(1, 3), (2, 3), (3, 3)]  # type: ignore[union-attr]
    assert all(th == ui_thread for _d, _t, th in seen["progress"])  # type: ignore[union-attr]


def test_errors_come_back_to_on_error(qtbot, qapp, threaded):
    errors: list[BaseException] = []

    def boom():
        raise ValueError("nope")

    tasks.run_in_background(boom, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError)


def test_demo_cases_load_in_the_background_with_progress(qtbot, services, threaded, styled_app):
    from ui.main_window import MainWindow

    window = MainWindow(services, restore=False)
    qtbot.addWidget(window)
    window.show()
    window.load_demo_cases(50)
    assert window.demo_progress is not None
    qtbot.waitUntil(lambda: window.demo_progress is None, timeout=30000)
    qtbot.waitUntil(lambda: window.list_page.model.rowCount() == 50, timeout=5000)
    assert services.assessments.count() == 50
    assert tasks.wait_for_all(5000)


def test_swedish_formats_in_the_filling_view(qtbot, services, all_types_version, styled_app):
    from app import i18n
    from app.domain.facts import CaseFacts
    from ui.main_window import MainWindow

    i18n.set_language("sv")
    case_id = services.assessments.create(all_types_version.id, CaseFacts(case_reference="SV-1"))
    window = MainWindow(services, restore=False)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    view.select_section(1)
    fees = view.items["fees"]
    qtbot.keyClicks(fees.editor.edit, "1 234,50")
    qtbot.keyClicks(view.items["rate_offered"].editor.edit, "3,25")
    view.flush()
    answers = services.assessments.get(case_id).answers
    assert answers["fees"] == {"amount": "1234.50", "currency": "SEK"}
    assert answers["rate_offered"] == "3.25"
    assert view.items["summary"].label.text() == "Sammanfattning"
    assert view.complete_button.text() == i18n._("Complete")

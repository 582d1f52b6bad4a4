"""The Insights page (issue 12): reached from the View menu and the toolbar, filters change the
figures, small cells are suppressed, guidance is one click away; screenshots in en and sv."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_insights import seeded  # noqa: F401 (fixture)

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _cell(page, group: str, indicator: str) -> str:
    for r in range(page.table.rowCount()):
        if page.table.item(r, 0).text() == group and page.table.item(r, 1).text() == indicator:
            return page.table.item(r, 2).text()
    raise AssertionError((group, indicator))


def test_insights_page_filters_change_the_figures(qtbot, seeded, styled_app):  # noqa: F811
    from ui.main_window import MainWindow

    seeded.settings.role = "trainer"
    win = MainWindow(seeded, restore=False)
    qtbot.addWidget(win)
    win.show()
    assert win.act_insights in win.toolbar.actions()
    assert win.act_insights.isEnabled()
    win.act_insights.trigger()
    page = win.insights
    assert win.stack.currentWidget() is page
    assert page.report is not None
    assert _cell(page, "Women-led", "Approval rate") == "50%"
    assert _cell(page, "Men-led", "Approval rate") == "70%"
    assert _cell(page, "Not disclosed", "Cases") == "suppressed (fewer than 5 cases)"
    with qtbot.waitSignal(page.computed):
        page.branch.setCurrentIndex(page.branch.findData("Skövde"))
    assert _cell(page, "Women-led", "Approval rate") == "0%"
    assert _cell(page, "Men-led", "Approval rate") == "40%"
    assert _cell(page, "Mixed", "Cases") == "suppressed (fewer than 5 cases)"
    # training needs: the guidance of the selected item, one click away
    page.tabs.setCurrentIndex(1)
    page.needs.setCurrentCell(0, 1)
    assert page.needs.item(0, 1).text() in page.guidance.toPlainText()
    # the trainer sees per-advisor figures
    assert page.breakdown.findData("advisor") >= 0
    win.act_list.trigger()
    assert win.stack.currentWidget() is win.list_page


def test_an_advisor_sees_only_own_figures_besides_the_organisation(qtbot, seeded, styled_app):  # noqa: F811
    from ui.insights.page import InsightsPage

    seeded.settings.role = "advisor"
    seeded.settings.name = "Anna Lindqvist"
    page = InsightsPage(seeded)
    qtbot.addWidget(page)
    page.refresh()
    assert [page.advisor.itemData(i) for i in range(page.advisor.count())] == ["", "Anna Lindqvist"]
    assert page.breakdown.findData("advisor") < 0 and page.breakdown.findData("own") >= 0


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_insights_screenshot(qtbot, services, styled_app, lang, tmp_path):
    from app import i18n
    from app.services.demo import create_demo_cases
    from ui.insights.page import InsightsPage

    create_demo_cases(services, 160, seed=12)
    i18n.set_language(lang)
    services.settings.role = "trainer"
    page = InsightsPage(services)
    qtbot.addWidget(page)
    page.resize(1180, 760)
    page.show()
    page.refresh()
    assert page.report is not None
    target = SHOTS if os.environ.get("LIKVARD_SCREENSHOTS") else tmp_path
    suffix = "" if lang == "en" else f"-{lang}"
    assert page.grab().save(str(target / f"desktop-insights{suffix}.png"))
    page.tabs.setCurrentIndex(1)
    page.needs.setCurrentCell(0, 1)
    assert page.grab().save(str(target / f"desktop-insights-training{suffix}.png"))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_the_page_exports_the_pdf_in_the_requested_language(qtbot, seeded, styled_app, tmp_path):  # noqa: F811
    from app import i18n
    from ui.insights.page import InsightsPage

    i18n.set_language("en")
    seeded.settings.role = "trainer"
    page = InsightsPage(seeded)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None)
    target = tmp_path / "insikter.pdf"
    page.export(str(target), lang="sv")
    qtbot.waitUntil(lambda: str(target) in page.note.text(), timeout=20000)
    assert i18n.get_language() == "en"  # the window stays in English
    out = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(out.replace("\xa0", " ").split())
    assert "Insikter om likabehandling" in words and "Kvinnoledd" in words and "5,5" in words
    assert "visas inte" in words and "Not disclosed" not in words
    assert "SECRET-ANSWER" not in words
    if os.environ.get("LIKVARD_SCREENSHOTS"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(target),
                        str(SHOTS / "insights-report-sv")], check=True)


def _rows(table, column: int, text: str) -> list[int]:
    return [r for r in range(table.rowCount()) if table.item(r, column).text() == text]


def test_numbers_align_right_and_a_suppressed_need_is_marked(qtbot, seeded, styled_app,  # noqa: F811
                                                             all_types_version):
    from PySide6.QtCore import Qt

    from tests.test_insights import _case

    # one flagged case of a third advisor: her slice of the training needs is suppressed
    _case(seeded, all_types_version.id, "K0", "mixed", "refused", None, False, True, advisor="Karin Ek")

    from app import i18n
    from app.exchange.insights_export import suppressed_marker
    from ui.insights.page import InsightsPage

    i18n.set_language("en")
    seeded.settings.role = "trainer"
    page = InsightsPage(seeded)
    qtbot.addWidget(page)
    page.resize(1180, 760)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None)
    table = page.table
    women = [r for r in _rows(table, 1, "Approval rate") if table.item(r, 0).text() == "Women-led"][0]
    for column in (2, 3, 4, 6):  # value, interval, ratio, cases
        assert table.item(women, column).textAlignment() & Qt.AlignmentFlag.AlignRight, column
    assert table.item(women, 1).textAlignment() & Qt.AlignmentFlag.AlignLeft
    assert table.item(women, 4).text().startswith("0.71")  # 0.5 / 0.7, two decimals
    men = [r for r in _rows(table, 1, "Approval rate") if table.item(r, 0).text() == "Men-led"][0]
    assert table.item(men, 4).text() == "1.00"
    days = [r for r in _rows(table, 1, "Days from meeting to decision") if table.item(r, 0).text() == "Women-led"][0]
    assert table.item(days, 2).text() == "20.0"
    # training needs by advisor: Karin Ek (1 case) is suppressed, and says so in both numbers
    page.tabs.setCurrentIndex(1)
    page.breakdown.setCurrentIndex(page.breakdown.findData("advisor"))
    needs, marker = page.needs, suppressed_marker()
    hidden = _rows(needs, 0, "Karin Ek")
    assert hidden
    for r in hidden:
        assert needs.item(r, 2).text() == marker and needs.item(r, 3).text() == marker
    for r in range(needs.rowCount()):
        assert needs.item(r, 2).text() and needs.item(r, 3).text()  # never blank
    shown = _rows(needs, 0, "Erik Johansson")[0]
    assert needs.item(shown, 2).textAlignment() & Qt.AlignmentFlag.AlignRight
    assert needs.item(shown, 3).textAlignment() & Qt.AlignmentFlag.AlignRight
    header = needs.horizontalHeader()
    assert header.sectionSize(3) >= header.sectionSizeFromContents(3).width()  # "Share of cases" not cut


@pytest.mark.parametrize(("lang", "labels"), [("en", ["0%", "25%", "50%", "75%", "100%"]),
                                               ("sv", ["0 %", "25 %", "50 %", "75 %", "100 %"])])
def test_the_charts_label_their_value_axis(qtbot, seeded, styled_app, lang, labels):  # noqa: F811
    from app import i18n
    from ui.insights.charts import BarChart, TrendChart
    from ui.insights.page import InsightsPage

    i18n.set_language(lang)
    seeded.settings.role = "trainer"
    page = InsightsPage(seeded)
    qtbot.addWidget(page)
    page.resize(1180, 760)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None)
    assert [label.replace("\xa0", " ") for label in page.bars.tick_labels()] == labels
    assert [label.replace("\xa0", " ") for label in page.trend.tick_labels()] == labels
    boxes = page.bars.label_boxes()
    assert boxes and all(whisker is not None for _box, whisker in boxes)
    for box, whisker in boxes:  # the value label sits above its whisker, never on it
        assert not box.intersects(whisker) and box.bottom() <= whisker.top()
    means = BarChart()
    qtbot.addWidget(means)
    means.set_data("Days", [("men_led", "Men-led", 29.4, None, None, "29.4")], percent=False)
    assert means.tick_labels() == ["0", "10", "20", "30"]
    trend = TrendChart()
    qtbot.addWidget(trend)
    values = [0.5, None, 0.7, 0.6, None]
    assert trend.segments(values) == [(0, 2, True), (2, 3, False)]  # a dashed bridge over the gap
    assert trend.missing_quarters(values) == {4}  # the last one: a tick on the axis
    i18n.set_language("en")

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

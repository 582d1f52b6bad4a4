"""Every word of the summary stays inside the page margins (issue 10, item 4): long organisation
names, long case references, the footer with the content hash, in English, French and Swedish."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from app.pdf.summary import MARGIN
from tests.pdf.conftest import PASSWORD, fill_case
from tests.pdf.helpers import need

LONG_ORGANISATION = ("Kreditgarantiföreningen Västra Götalands och Hallands läns ekonomiska förening för kvinnors "
                     "företagande, kooperativ utveckling och sociala företag – Regionkontor Sjuhärad")
LONG_REFERENCE = "GBG-KREDITGARANTI-2026-" + "0123456789" * 7 + "-X"  # 100 characters, no space to break at
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def _outside(path: Path) -> list[str]:
    need("pdftotext")
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    problems = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        width, height = map(float, _PAGE.match("<page " + page).groups())
        for x0, _y0, x1, y1, word in _WORD.findall(page):
            if float(x0) < MARGIN - 0.5 or float(x1) > width - MARGIN + 0.5 or float(y1) > height:
                problems.append(f"page {number}: {word!r} at x {float(x0):.1f}..{float(x1):.1f} (page {width:.0f})")
    return problems


@pytest.fixture
def long_titled_version(services, all_types_version):
    """The all-types checklist under the bundled checklist's (long) titles, "v. 12"-style keys."""
    bundled = services.templates.content(services.templates.find_version("equal_treatment_credit").id)
    content = services.templates.content(all_types_version.id)
    content.key = "all_types_with_a_long_title_for_the_footer"
    content.title = {lang: bundled.title_in(lang) + " – " + bundled.title_in(lang) for lang in ("en", "sv", "fr")}
    services.templates.add_version(content, publish=True)
    return services.templates.find_version(content.key)


@pytest.mark.parametrize("lang", ["en", "fr", "sv"])
def test_long_names_references_and_the_footer_stay_inside_the_margins(services, long_titled_version, identity,
                                                                       tmp_path, lang):
    all_types_version = long_titled_version
    aid = fill_case(services, all_types_version, case_reference=LONG_REFERENCE)
    signed = tmp_path / f"signed-{lang}.pdf"
    services.summaries.export_pdf(aid, signed, lang=lang, organisation=LONG_ORGANISATION, identity=identity,
                                password=PASSWORD)
    assert _outside(signed) == []
    draft = fill_case(services, all_types_version, complete=False, case_reference=LONG_REFERENCE[:60] + " " + "Y" * 39)
    plain = tmp_path / f"plain-{lang}.pdf"
    services.summaries.export_pdf(draft, plain, lang=lang, organisation="Ö" * 90)
    assert _outside(plain) == []

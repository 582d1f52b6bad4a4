"""The PDF summary: language, content, layout across pages, fonts, structure (poppler, qpdf)."""

from __future__ import annotations

import subprocess

import pytest

from tests.pdf.conftest import fill_case
from tests.pdf.helpers import need, page_count, pdftotext, qpdf_check, words


@pytest.fixture
def swedish_pdf(services, all_types_version, tmp_path):
    aid = fill_case(services, all_types_version)
    out = tmp_path / "sammanfattning.pdf"
    result = services.summaries.export_pdf(aid, out, lang="sv", organisation="Kreditgarantiföreningen Väst")
    return aid, out, result


def test_a_swedish_summary_carries_the_swedish_answers_and_comments(services, swedish_pdf):
    aid, out, result = swedish_pdf
    text = words(pdftotext(out))
    rec = services.assessments.get(aid)
    for expected in [
        "Kreditgarantiföreningen Väst", "Alla frågetyper", "GBG-2026-014",
        "Ställdes frågor om familj eller barnomsorg?", "Ja",  # yes/no answers in Swedish
        "Mötesform", "Kontor",  # single choice: the option's Swedish label
        "Likviditetsbudget; Privatekonomisk redovisning",  # multiple choice
        "Café i Majorna – två ägare",
        "Frågade om hennes barn – åtgärdat i utbildningen. Très bien noté.",  # comment with å ä é
        "Kunden fick skälen skriftligt på svenska.",
        "Familjefrågor som bara ställs till vissa kunder är ett tecken på särbehandling.",  # flag explanation
        "1 500,00 kr", "250 000,00 kr", "20 mars 2026", "1 juni 2026", "5,25",  # babel, Swedish
        "Åsa Lindström", "Göteborg",
        str(rec.id), rec.template_hash,  # footer
        f"{result.pages}",
    ]:
        assert words(expected) in text, expected
    assert "Page 1 of" in text or "Sida 1 av" in text


def test_hidden_items_are_left_out(services, all_types_version, tmp_path):
    from decimal import Decimal

    aid = fill_case(services, all_types_version, decision="granted", amount_granted=Decimal("250000"))
    out = tmp_path / "granted.pdf"
    services.summaries.export_pdf(aid, out, lang="sv")
    text = words(pdftotext(out))
    assert "Angivna skäl" not in text  # "reasons" is visible only for refused or partly granted cases
    assert "Kunden fick skälen skriftligt" not in text
    assert "Mötesform" in text


def test_a_french_summary_uses_the_french_texts(services, all_types_version, tmp_path):
    aid = fill_case(services, all_types_version)
    out = tmp_path / "resume.pdf"
    services.summaries.export_pdf(aid, out, lang="fr")
    text = words(pdftotext(out))
    for expected in ["Tous les types de questions", "Des questions sur la famille ou la garde d'enfants ont-elles été posées ?",
                     "Agence", "Plan de trésorerie; Situation financière personnelle", "Évaluation" if False else "Résumé",
                     "1 500,00 SEK", "20 mars 2026", "Très bien noté."]:
        assert words(expected) in text, expected


def test_a_long_comment_wraps_and_splits_across_pages(services, all_types_version, tmp_path):
    aid = fill_case(services, all_types_version, long_comment=True)
    out = tmp_path / "long.pdf"
    result = services.summaries.export_pdf(aid, out, lang="sv")
    pages = page_count(out)
    assert pages == result.pages >= 3
    per_page = [words(pdftotext(out, n, n)) for n in range(1, pages + 1)]
    first = next(i for i, t in enumerate(per_page) if "Stycke 1:" in t)
    last = next(i for i, t in enumerate(per_page) if "Stycke 60:" in t)
    assert last > first  # the comment flows on to a later page
    whole = words(" ".join(per_page))
    assert "barnomsorg & familj <vilket vi inte gör för alla>." in whole  # &, <, > escaped and shown as typed
    for n, text in enumerate(per_page, start=1):
        assert f"Page {n} of {pages}" in text or f"Sida {n} av {pages}" in text
    assert qpdf_check(out).returncode == 0


def test_qpdf_finds_no_problem_and_every_font_is_embedded(swedish_pdf):
    _aid, out, _result = swedish_pdf
    check = qpdf_check(out)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout
    need("pdffonts")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all("DejaVu" in line or "LikvardSans" in line for line in fonts)
    assert all(" yes " in line for line in fonts)  # emb column


def test_the_summary_embeds_the_assessment_json(services, swedish_pdf):
    from app.pdf.document import read_embedded

    aid, out, _result = swedish_pdf
    data = read_embedded(out.read_bytes())
    rec = services.assessments.get(aid)
    assert data["format"] == "likvard-assessment/1" and data["id"] == str(aid)
    assert data["template"] == {"key": "all_types", "version": 1, "content_hash": rec.template_hash}
    assert data["language"] == "sv"
    assert {a["item"]: a["value"] for a in data["answers"]} == {k: v for k, v in rec.answers.items()}
    need("pdfdetach")
    listing = subprocess.run(["pdfdetach", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    assert "likvard-assessment.json" in listing


def test_the_pdf_language_does_not_change_the_ui_language(services, all_types_version, tmp_path):
    from app.i18n import get_language

    aid = fill_case(services, all_types_version)
    services.summaries.export_pdf(aid, tmp_path / "x.pdf", lang="fr")
    assert get_language() == "en"


def test_a_missing_logo_does_not_stop_the_export(services, all_types_version, tmp_path):
    aid = fill_case(services, all_types_version)
    services.summaries.export_pdf(aid, tmp_path / "x.pdf", lang="en", logo_path=str(tmp_path / "nope.png"),
                                organisation="Org & <Co>")
    assert "Org & <Co>" in words(pdftotext(tmp_path / "x.pdf"))


def test_a_logo_is_drawn(services, all_types_version, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (31, 78, 121)).save(logo)
    aid = fill_case(services, all_types_version)
    services.summaries.export_pdf(aid, tmp_path / "x.pdf", lang="en", logo_path=str(logo), organisation="Org")
    need("pdfimages")
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "x.pdf")], capture_output=True, text=True,
                             check=True).stdout
    assert len(listing.strip().splitlines()) == 3  # header, rule, the logo

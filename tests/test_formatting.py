"""Locale formatting and parsing with babel: money, numbers, dates, percentages, sorting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app import i18n
from app.i18n import (
    NumberParseError,
    format_date,
    format_decimal,
    format_money,
    format_percent,
    parse_decimal,
    sort_key,
)

NBSP = "\u00a0"
NNBSP = "\u202f"


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(
    "lang, amount, currency, expected",
    [
        ("sv", "1234.5", "SEK", "1 234,50 kr"),
        ("sv", "1234.5", "EUR", "1 234,50 €"),
        ("fr", "1234.5", "EUR", "1 234,50 €"),
        ("fr", "1234.5", "SEK", "1 234,50 SEK"),
        ("en", "1234.5", "EUR", "€1,234.50"),
        ("en", "1234.5", "SEK", "SEK 1,234.50"),
        ("en", "-1234.5", "SEK", "-SEK 1,234.50"),
        ("sv", "-5", "SEK", "-5,00 kr"),
    ],
)
def test_money(lang, amount, currency, expected):
    assert plain(format_money(Decimal(amount), currency, lang)) == expected


@pytest.mark.parametrize(
    "lang, expected_medium, expected_short",
    [("sv", "26 nov. 2026", "2026-11-26"), ("fr", "26 nov. 2026", "26/11/2026"), ("en", "26 Nov 2026", "26/11/2026")],
)
def test_dates(lang, expected_medium, expected_short):
    assert format_date(date(2026, 11, 26), lang) == expected_medium
    assert format_date("2026-11-26", lang, "short") == expected_short
    assert format_date(None, lang) == ""


def test_numbers_and_percentages():
    assert plain(format_decimal("1234.5", "sv")) == "1 234,5"
    assert format_decimal("1234.5", "en") == "1,234.5"
    assert plain(format_percent(0.253, "sv")) == "25 %"
    assert plain(format_percent(0.2534, "fr", 1)) == "25,3 %"
    assert format_percent(0.2534, "en", 1) == "25.3%"


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("sv", "1 234,50", "1234.50"),
        ("sv", f"1{NBSP}234,50", "1234.50"),
        ("sv", "1234", "1234"),
        ("fr", f"1{NNBSP}234,5", "1234.5"),
        ("en", "1,234.50", "1234.50"),
        ("en", "-12.5", "-12.5"),
    ],
)
def test_parse_amounts_in_the_locale_format(lang, text, expected):
    assert parse_decimal(text, lang) == Decimal(expected)


@pytest.mark.parametrize("lang, text", [("sv", "abc"), ("en", ""), ("fr", "12,3,4")])
def test_parse_refuses_garbage_with_a_message(lang, text):
    with pytest.raises(NumberParseError) as info:
        parse_decimal(text, lang)
    assert str(info.value)


def test_swedish_sorting_puts_a_ring_a_umlaut_o_umlaut_after_z():
    names = ["Örebro", "Alingsås", "Zeta", "Ängelholm", "Åmål", "Borås", "ängby"]
    assert sorted(names, key=lambda s: sort_key(s, "sv")) == ["Alingsås", "Borås", "Zeta", "Åmål", "ängby", "Ängelholm", "Örebro"]
    assert sorted(["Éric", "Emma", "Zoé", "Élodie"], key=lambda s: sort_key(s, "fr")) == ["Élodie", "Emma", "Éric", "Zoé"]


def test_language_normalisation():
    assert i18n.normalize_language("sv_SE.UTF-8") == "sv"
    assert i18n.normalize_language("fr-FR") == "fr"
    assert i18n.normalize_language("de_DE") == "en"
    assert i18n.normalize_language(None) == "en"

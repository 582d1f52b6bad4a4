"""app.fastformat gives babel's result without loading babel (issue 15, start-up): the table is
what the installed babel says, and on random values both agree, character for character."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from app import fastformat
from app.domain.facts import CURRENCIES
from app.enums import LANGUAGE_CODES
from app.i18n import babel_locale
from tests.conftest import ROOT

LOCALES = [babel_locale(lang) for lang in LANGUAGE_CODES]
EXAMPLES = int(os.environ.get("LIKVARD_FUZZ_EXAMPLES", "300"))


def _scripts_i18n():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_is_what_the_installed_babel_says():
    """After a babel upgrade this fails until ``python scripts/i18n.py formats`` is run."""
    script = _scripts_i18n()
    assert script.LOCALE_DATA.read_text(encoding="utf-8") == script.formats_source()


def test_every_language_and_currency_is_covered():
    for loc in LOCALES:
        assert fastformat.LOCALES[loc]["currency_symbols"].keys() == set(CURRENCIES), loc
        assert fastformat.date_text(date(2026, 3, 9), loc, "short") is not None, loc
    assert set(fastformat.CURRENCY_DIGITS) == set(CURRENCIES)


numbers = st.one_of(
    st.integers(-10**15, 10**15).map(Decimal),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**12, max_value=10**12),
    st.builds(lambda digits, exponent, negative: Decimal((int(negative), tuple(digits), exponent)),
              st.lists(st.integers(0, 9), min_size=1, max_size=14), st.integers(-10, 6), st.booleans()),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(value=numbers, loc=st.sampled_from(LOCALES), digits=st.one_of(st.none(), st.integers(0, 4)))
def test_numbers_as_babel(value, loc, digits):
    if digits is None:
        expected = format_decimal(value, locale=loc, decimal_quantization=False)
        got = fastformat.number(value, loc, "decimal", quantize=False)
    else:
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        expected = format_decimal(value, format=pattern, locale=loc)
        got = fastformat.number(value, loc, "decimal", frac=(digits, digits))
    assert got == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(value=numbers, loc=st.sampled_from(LOCALES), currency=st.sampled_from(CURRENCIES))
def test_money_as_babel(value, loc, currency):
    assert fastformat.number(value, loc, "currency", currency=currency) == format_currency(value, currency, locale=loc)


@settings(max_examples=EXAMPLES, deadline=None)
@given(value=numbers, loc=st.sampled_from(LOCALES), digits=st.integers(0, 3))
def test_percentages_as_babel(value, loc, digits):
    rounded = round(value, digits + 2)
    expected = format_percent(rounded, locale=loc, decimal_quantization=False)
    assert fastformat.number(rounded, loc, "percent", quantize=False) == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(day=st.dates(min_value=date(1, 1, 1)), loc=st.sampled_from(LOCALES),
       fmt=st.sampled_from(["short", "medium", "long", "full"]))
def test_dates_as_babel_or_left_to_babel(day, loc, fmt):
    got = fastformat.date_text(day, loc, fmt)
    if fmt == "short":
        assert got is not None
    if got is not None:
        assert got == format_date(day, format=fmt, locale=loc)


@pytest.mark.parametrize(("pattern", "expected"), [
    ("y-MM-dd", "2026-03-09"), ("dd/MM/yy", "09/03/26"), ("d.M.y", "9.3.2026"), ("'le' d/M/y", "le 9/3/2026"),
    ("d 'o''clock' M", None), ("d MMM y", None), ("EEEE d/M", None), ("d 'unbalanced", None),
])
def test_date_patterns_the_fast_path_takes_or_leaves(monkeypatch, pattern, expected):
    monkeypatch.setitem(fastformat.LOCALES["sv_SE"]["dates"], "short", pattern)
    got = fastformat.date_text(date(2026, 3, 9), "sv_SE", "short")
    if expected is None and got is not None:  # a literal the fast path can write: babel must agree
        assert got == format_date(date(2026, 3, 9), format=pattern, locale="sv_SE")
    else:
        assert got == expected


def test_what_the_table_does_not_cover_is_left_to_babel():
    assert fastformat.number(Decimal("1"), "de_DE", "decimal") is None
    assert fastformat.number(Decimal("1"), "sv_SE", "currency", currency="JPY") is None
    assert fastformat.number(Decimal("Infinity"), "sv_SE", "decimal") is None
    assert fastformat.date_text(date(2026, 1, 1), "sv_SE", "medium") is None


def test_the_first_screen_loads_no_babel(services, db_path):
    """The real start-up over a file with cases: when the list is filled, babel is not loaded.

    As installed: with compiled catalogs (a fresh checkout has only the .po files, which the app
    compiles in memory with babel's catalog tools; the wheel and the bundle ship the .mo files)."""
    from tests.bench.startup import compile_stale_catalogs
    from tests.pdf.conftest import fill_case

    compile_stale_catalogs()

    services.templates.import_file(ROOT / "tests" / "data" / "all_types.json")
    fill_case(services, services.templates.find_version("all_types"))
    services.db.close()
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import ui.main_window as mw
        loaded = mw.MainWindow._list_loaded
        def noted(self, *args):
            model = self.list_page.model
            shown = [model.data(model.index(0, c)) for c in range(model.columnCount())]
            print("babel:", sorted(m for m in sys.modules if m.split('.')[0] == 'babel'), "|".join(shown), flush=True)
            return loaded(self, *args)
        mw.MainWindow._list_loaded = noted
        from ui.app import run_gui
        sys.exit(run_gui({str(db_path)!r}, language="sv"))
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIKVARD_EXIT_WHEN_SHOWN": "1"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("babel:"))
    assert line.startswith("babel: [] "), line
    assert "2026-03-02" in line and "250\xa0000,00\xa0kr" in line, line  # the row, formatted the Swedish way
    assert next(line for line in result.stdout.splitlines() if line.startswith("ready:")).endswith(" quick")

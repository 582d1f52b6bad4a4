"""Numbers, money, percentages and numeric dates in the locale's format without loading babel.

Babel is the reference: its imports and its locale data cost ~25 ms, a fifth of the time the case
list takes to appear. The few CLDR facts the common formats need (symbols, the parsed number
patterns, currency symbols and digits, numeric date patterns) are copied from babel into the
generated table :mod:`app.locale_data` (``python scripts/i18n.py formats``), and the functions
here apply them exactly as babel's ``NumberPattern.apply`` and ``DateTimeFormat`` do.

Whatever the table does not cover (another locale or currency, a date pattern with month names, an
infinite value) returns None, and the caller asks babel. Tests compare both on random values
(hypothesis) and check that the table equals what the installed babel gives.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from app.locale_data import CURRENCY_DIGITS, LOCALES


def number(value: Decimal, locale: str, kind: str, *, currency: str | None = None,
           frac: tuple[int, int] | None = None, quantize: bool = True) -> str | None:
    """``value`` formatted with the locale's ``kind`` pattern ("decimal", "percent" or
    "currency"), as babel's format_decimal / format_percent / format_currency; ``frac`` forces the
    fraction digits (min, max) as a custom ``#,##0.00`` pattern does. None when not covered."""
    data = LOCALES.get(locale)
    if data is None or not value.is_finite():
        return None
    spec = data["patterns"][kind]
    symbol = ""
    if currency is not None:
        symbol = data["currency_symbols"].get(currency, "")
        digits = CURRENCY_DIGITS.get(currency)
        if not symbol or digits is None:
            return None
        frac = (digits, digits)
    elif frac is None:
        frac = spec["frac_prec"]
    value = value.scaleb(spec["scale"])
    negative = int(value.is_signed())
    value = abs(value).normalize()
    if not quantize:
        frac = (frac[0], max(frac[1], _precision(value)))
    rounded = value.quantize(Decimal(10) ** -frac[1])
    whole, _sep, fraction = f"{rounded:f}".partition(".")
    text = spec["prefix"][negative] + _group(whole, spec, data["group"]) \
        + _fraction(fraction or "0", frac, data["decimal"]) + spec["suffix"][negative]
    if "'" in text or "¤¤" in text:
        return None  # quoted literals, currency names: babel's business
    return text.replace("¤", symbol) if currency is not None else text


def _precision(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _group(digits: str, spec: dict[str, Any], symbol: str) -> str:
    if len(digits) < spec["int_prec"][0]:
        digits = "0" * (spec["int_prec"][0] - len(digits)) + digits
    size, out = spec["grouping"][0], ""
    while len(digits) > size:
        out = symbol + digits[-size:] + out
        digits = digits[:-size]
        size = spec["grouping"][1]
    return digits + out


def _fraction(digits: str, frac: tuple[int, int], symbol: str) -> str:
    low, high = frac
    if len(digits) < low:
        digits += "0" * (low - len(digits))
    if high == 0 or (low == 0 and int(digits) == 0):
        return ""
    while len(digits) > low and digits[-1] == "0":
        digits = digits[:-1]
    return symbol + digits


def date_text(value: date, locale: str, fmt: str) -> str | None:
    """``value`` in the locale's ``fmt`` date format ("short", "medium", ...) when that pattern is
    numeric (years, months and days as digits); None otherwise."""
    data = LOCALES.get(locale)
    pattern = data["dates"].get(fmt) if data is not None else None
    if pattern is None:
        return None
    out = []
    for field, text in _date_tokens(pattern):
        if field == "":
            out.append(text)
        elif field == "y":
            out.append(str(value.year % 100 if len(text) == 2 else value.year).zfill(len(text)))
        elif field == "M" and len(text) <= 2:
            out.append(str(value.month).zfill(len(text)))
        elif field == "d" and len(text) <= 2:
            out.append(str(value.day).zfill(len(text)))
        else:
            return None
    return "".join(out)


def _date_tokens(pattern: str) -> list[tuple[str, str]]:
    """(field letter, run) for each field of an LDML date pattern, ("", text) for literals."""
    if "''" in pattern:
        return [("?", pattern)]  # an escaped quote: babel decides
    tokens: list[tuple[str, str]] = []
    n = 0
    while n < len(pattern):
        char = pattern[n]
        if char == "'":
            end = pattern.find("'", n + 1)
            if end < 0:
                return [("?", pattern)]  # unbalanced: babel decides
            tokens.append(("", pattern[n + 1:end]))
            n = end + 1
        elif char.isascii() and char.isalpha():
            end = n
            while end < len(pattern) and pattern[end] == char:
                end += 1
            tokens.append((char, pattern[n:end]))
            n = end
        else:
            tokens.append(("", char))
            n += 1
    return tokens


# --- the table, from babel ----------------------------------------------------------------------

def table_source(locales: tuple[str, ...], currencies: tuple[str, ...]) -> str:
    """The source of :mod:`app.locale_data` for ``locales`` and ``currencies``, from the installed babel."""
    import pprint

    import babel
    from babel.core import Locale
    from babel.numbers import get_currency_precision, get_currency_symbol

    def pattern(parsed: Any) -> dict[str, Any]:
        return {"prefix": tuple(parsed.prefix), "suffix": tuple(parsed.suffix), "grouping": tuple(parsed.grouping),
                "int_prec": tuple(parsed.int_prec), "frac_prec": tuple(parsed.frac_prec), "scale": parsed.scale,
                "plain": not parsed.exp_prec and "@" not in parsed.pattern}

    table: dict[str, Any] = {}
    for name in locales:
        loc = Locale.parse(name)
        symbols = loc.number_symbols["latn"]
        patterns = {"decimal": pattern(loc.decimal_formats[None]), "percent": pattern(loc.percent_formats[None]),
                    "currency": pattern(loc.currency_formats["standard"])}
        if not all(p.pop("plain") for p in patterns.values()):
            continue  # scientific or significant-digit patterns: babel only
        table[name] = {
            "decimal": symbols["decimal"], "group": symbols["group"], "patterns": patterns,
            "currency_symbols": {code: get_currency_symbol(code, loc) for code in currencies},
            "dates": {fmt: loc.date_formats[fmt].pattern for fmt in ("short", "medium", "long", "full")},
        }
    digits = {code: get_currency_precision(code) for code in currencies}
    return (f'"""Generated by ``python scripts/i18n.py formats`` from babel {babel.__version__}: do not edit.\n\n'
            'The CLDR facts app.fastformat needs; a test checks they equal what the installed babel gives."""\n\n'
            "from typing import Any\n\n"
            f"BABEL_VERSION = {babel.__version__!r}\n\n"
            f"LOCALES: dict[str, dict[str, Any]] = {pprint.pformat(table, width=110, sort_dicts=True)}\n\n"
            f"CURRENCY_DIGITS: dict[str, int] = {pprint.pformat(digits, width=110, sort_dicts=True)}\n")

"""Translations (gettext catalogs managed with babel) and locale-aware formatting.

Every user-visible string goes through ``_()``; placeholders use ``str.format`` names
(``_("Item {key} is missing").format(key=k)``), never f-strings inside ``_()``.
Module-level strings are marked with ``N_()`` and translated when shown.
"""

from __future__ import annotations

import gettext
import io
import locale as _locale
import os
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from app.enums import LANGUAGE_CODES, Language
from app.enums import LANGUAGE_NAMES as LANGUAGE_NAMES  # re-exported: the GUI lists languages by name
from app.paths import resource_path

SUPPORTED_LANGUAGES: tuple[str, ...] = LANGUAGE_CODES
DOMAIN = "messages"

_lock = threading.Lock()
_current_language: str = Language.EN
#: A language chosen for one piece of output (a report in another language) in this thread only,
#: see :func:`output_language`; the UI of other threads keeps the active language.
_thread = threading.local()
_catalogs: dict[str, gettext.NullTranslations] = {}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def _keep_compiled(mo: Path, data: bytes, source_mtime: float) -> None:
    """Write a compiled catalog atomically (a temporary file renamed over it), dated no earlier than
    its .po (a .po dated in the future would otherwise be compiled at every start); silently not at
    all when the folder is read-only. Not through app.fileio: its errors are translated, and this
    runs while the catalog lock is held."""
    tmp = mo.with_name(f".{mo.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
        stamp = max(tmp.stat().st_mtime, source_mtime)
        os.utime(tmp, (stamp, stamp))
        os.replace(tmp, mo)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _load_catalog(lang: str) -> gettext.NullTranslations:
    """Load the compiled catalog; from a checkout, compile the .po when the .mo is missing or older,
    and keep the result beside it (like Python's .pyc: the next start reads it without babel's
    catalog tools, ~0.15 s). A folder that cannot be written is left as it is."""
    folder = resource_path("translations", lang, "LC_MESSAGES")
    mo = folder / f"{DOMAIN}.mo"
    po = folder / f"{DOMAIN}.po"
    try:
        if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as fh:
                return gettext.GNUTranslations(fh)
        if po.exists():
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po

            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            buf = io.BytesIO()
            write_mo(buf, catalog, use_fuzzy=False)
            _keep_compiled(mo, buf.getvalue(), po.stat().st_mtime)
            buf.seek(0)
            return gettext.GNUTranslations(buf)
    except (OSError, ValueError):
        pass
    return gettext.NullTranslations()


def catalog(lang: str | None = None) -> gettext.NullTranslations:
    """The gettext catalog of ``lang`` (default: the active language)."""
    lang = lang or get_language()
    with _lock:
        cat = _catalogs.get(lang)
        if cat is None:
            cat = _load_catalog(lang)
            _catalogs[lang] = cat
    return cat


def set_language(lang: str) -> str:
    """Make ``lang`` the active language; unsupported codes fall back to English."""
    global _current_language
    lang = normalize_language(lang)
    _current_language = lang
    return lang


def get_language() -> str:
    """The active language code (this thread's :func:`output_language`, if one is in force)."""
    return getattr(_thread, "language", None) or _current_language


@contextmanager
def output_language(lang: str | None) -> Iterator[str]:
    """Translate and format in ``lang`` inside the block, in this thread only (a PDF report written
    in another language than the window's, possibly from a worker thread). ``None``: unchanged."""
    previous = getattr(_thread, "language", None)
    code = normalize_language(lang) if lang else get_language()
    _thread.language = code
    try:
        yield code
    finally:
        _thread.language = previous


def normalize_language(lang: str | None) -> str:
    """Map ``sv_SE.UTF-8``, ``fr-FR``... to a supported code, else ``en``."""
    if not lang:
        return Language.EN
    code = lang.replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in SUPPORTED_LANGUAGES else Language.EN


def system_language() -> str:
    """The system locale's language when supported, else English."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalize_language(value.split(":")[0])
    try:
        loc = _locale.getlocale()[0]
    except ValueError:
        loc = None
    return normalize_language(loc)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a plural form."""
    return catalog().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate a message in a context (same word, different meanings)."""
    return catalog().pgettext(context, message)


def translate_in(lang: str, message: str) -> str:
    """Translate ``message`` into ``lang`` without changing the active language (PDF export)."""
    return catalog(normalize_language(lang)).gettext(message)


# --- template content -------------------------------------------------------------------------


def localized(texts: Mapping[str, str] | None, lang: str, default_lang: str = Language.EN) -> tuple[str, bool]:
    """Pick ``texts[lang]``; fall back to the default language. Returns (text, is_fallback)."""
    if not texts:
        return "", False
    value = texts.get(lang)
    if value:
        return value, False
    for fallback in (default_lang, Language.EN, *texts.keys()):
        value = texts.get(fallback)
        if value:
            return value, True
    return "", False


# --- formatting -------------------------------------------------------------------------------

#: The babel locale of each language (one entry per Language: a test checks they agree).
_BABEL_LOCALES: dict[str, str] = {Language.EN: "en_GB", Language.SV: "sv_SE", Language.FR: "fr_FR"}


def babel_locale(lang: str | None = None) -> str:
    """The babel locale used for formatting in ``lang``."""
    return _BABEL_LOCALES.get(normalize_language(lang or get_language()), "en_GB")


def format_money(amount: Decimal | int | float | str | None, currency: str | None, lang: str | None = None) -> str:
    """``1 234,50 kr`` (sv), ``1 234,50 €`` (fr), ``SEK 1,234.50`` (en); empty for None."""
    if amount is None or amount == "":
        return ""
    from app.fastformat import number

    value, code, loc = Decimal(str(amount)), currency or "SEK", babel_locale(lang)
    text = number(value, loc, "currency", currency=code)  # babel's result without loading babel
    if text is None:
        from babel.numbers import format_currency

        text = format_currency(value, code, locale=loc)
    # CLDR's currency spacing: an ISO code written before the digits takes a space ("SEK 1,234.50")
    sign = "-" if text.startswith("-") else ""
    body = text[len(sign):]
    if body[:3].isalpha() and len(body) > 3 and body[3].isdigit():
        text = sign + body[:3] + "\u00a0" + body[3:]
    return text


def format_decimal(value: Decimal | int | float | str | None, lang: str | None = None,
                   digits: int | None = None) -> str:
    """A number in the locale's format; empty for None. With ``digits``, exactly that many
    decimals (``1.00``, ``0,77``); without, as many as the value has."""
    if value is None or value == "":
        return ""
    from app.fastformat import number

    amount, loc = Decimal(str(value)), babel_locale(lang)
    text = number(amount, loc, "decimal", frac=(digits, digits) if digits is not None else None,
                  quantize=digits is not None)
    if text is not None:
        return text
    from babel.numbers import format_decimal as _fd

    if digits is not None:
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return _fd(amount, format=pattern, locale=loc)
    return _fd(amount, locale=loc, decimal_quantization=False)


def format_percent(value: float | Decimal | None, lang: str | None = None, digits: int = 0) -> str:
    """``0.253`` -> ``25 %`` (sv, fr) or ``25%`` (en), with up to ``digits`` decimals; empty for None."""
    if value is None:
        return ""
    from app.fastformat import number

    rounded, loc = round(Decimal(str(value)), digits + 2), babel_locale(lang)
    text = number(rounded, loc, "percent", quantize=False)
    if text is not None:
        return text
    from babel.numbers import format_percent as _fp

    return _fp(rounded, locale=loc, decimal_quantization=False)


def format_date(value: date | datetime | str | None, lang: str | None = None, fmt: str = "medium") -> str:
    """A date in the locale's format; empty for None. Accepts ISO strings."""
    if value is None or value == "":
        return ""
    from app.fastformat import date_text

    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    text = date_text(value, babel_locale(lang), fmt)
    if text is not None:
        return text
    from babel.dates import format_date as _fd

    return _fd(value, format=fmt, locale=babel_locale(lang))


def format_datetime(value: datetime | None, lang: str | None = None, fmt: str = "medium") -> str:
    """A timestamp in the locale's format; empty for None."""
    if value is None:
        return ""
    from babel.dates import format_datetime as _fdt

    return _fdt(value, format=fmt, locale=babel_locale(lang))


class NumberParseError(ValueError):
    """The text is not a number in the active locale."""


def parse_decimal(text: str, lang: str | None = None) -> Decimal:
    """Parse ``1 234,50`` (sv/fr) or ``1,234.50`` (en) into a Decimal.

    Raises NumberParseError with a translated message.
    """
    from babel.numbers import NumberFormatError
    from babel.numbers import parse_decimal as _pd

    cleaned = (text or "").strip().replace("\u2212", "-")
    if not cleaned:
        raise NumberParseError(_("Enter a number."))
    loc = babel_locale(lang)
    # Spaces of every kind are group separators in sv and fr; babel expects the locale's own one.
    if not loc.startswith(Language.EN):
        cleaned = "".join(ch for ch in cleaned if not ch.isspace() and ch not in "\u00a0\u202f")
    try:
        return _pd(cleaned, locale=loc, strict=False)
    except (NumberFormatError, InvalidOperation):
        raise NumberParseError(_("\u201c{text}\u201d is not a number.").format(text=text)) from None


_SV_ORDER = {"å": "z\uffff1", "ä": "z\uffff2", "ö": "z\uffff3", "æ": "z\uffff2", "ø": "z\uffff3"}


def sort_key(text: str, lang: str | None = None) -> tuple[str, str]:
    """A collation key following the locale: Swedish sorts å ä ö after z, French folds accents."""
    lang = normalize_language(lang or get_language())
    lowered = (text or "").casefold()
    if lang == Language.SV:
        primary = "".join(_SV_ORDER.get(ch, _strip_accents(ch)) for ch in lowered)
    else:
        primary = _strip_accents(lowered)
    return primary, lowered


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")

"""XLSForm vocabulary shared by the reader and the writer: result types, type and column aliases, small text helpers."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.i18n import LANGUAGE_NAMES, N_


@dataclass(frozen=True)
class SkippedRow:
    """A row (or a feature of a row) that the import could not represent."""

    sheet: str
    row: int  # 1-based spreadsheet row number
    reason: str  # translated
    kind: str = ""  # what was left out: type, repeat, condition, constraint, column, rename, group, choice, ...


@dataclass
class XLSFormImport:
    """The result of reading an XLSForm: a valid template dict and what was left out."""

    data: dict[str, Any]
    skipped: list[SkippedRow] = field(default_factory=list)
    item_rows: dict[str, int] = field(default_factory=dict)  # item key -> its survey row


# --- shared vocabulary ----------------------------------------------------------------------

DEFAULT_SECTION_KEY = "general"
GENERAL_TITLE = N_("General")
OTHER_LABEL = N_("Other")
YES_NO_NA_LABELS = {"yes": N_("Yes"), "no": N_("No"), "na": N_("Not applicable")}
YES_NO_NA_LIST = "yes-no-na"  # list names with "-" cannot collide with item keys
SCALE_LIST = "scale-1-5"
SCALE_VALUES = ("1", "2", "3", "4", "5")

# Language names seen in XLSForm headers ("label::English", "label:svenska") -> codes.
LANGUAGE_CODES: dict[str, str] = {
    "english": "en", "swedish": "sv", "svenska": "sv", "french": "fr", "français": "fr",
    "francais": "fr", "spanish": "es", "español": "es", "espanol": "es", "german": "de",
    "deutsch": "de", "portuguese": "pt", "português": "pt", "italian": "it", "italiano": "it",
    "dutch": "nl", "nederlands": "nl", "danish": "da", "dansk": "da", "norwegian": "no",
    "norsk": "no", "finnish": "fi", "suomi": "fi", "icelandic": "is", "estonian": "et",
    "latvian": "lv", "lithuanian": "lt", "polish": "pl", "polski": "pl", "czech": "cs",
    "slovak": "sk", "hungarian": "hu", "romanian": "ro", "bulgarian": "bg", "greek": "el",
    "croatian": "hr", "serbian": "sr", "bosnian": "bs", "slovenian": "sl", "albanian": "sq",
    "russian": "ru", "ukrainian": "uk", "turkish": "tr", "türkçe": "tr", "arabic": "ar",
    "persian": "fa", "farsi": "fa", "dari": "prs", "pashto": "ps", "kurdish": "ku",
    "hebrew": "he", "hindi": "hi", "urdu": "ur", "bengali": "bn", "bangla": "bn",
    "punjabi": "pa", "tamil": "ta", "nepali": "ne", "chinese": "zh", "mandarin": "zh",
    "japanese": "ja", "korean": "ko", "thai": "th", "vietnamese": "vi", "indonesian": "id",
    "malay": "ms", "tagalog": "tl", "swahili": "sw", "kiswahili": "sw", "somali": "so",
    "amharic": "am", "tigrinya": "ti", "oromo": "om", "hausa": "ha", "yoruba": "yo",
    "igbo": "ig", "zulu": "zu", "afrikaans": "af", "sami": "se", "northern sami": "se",
    "meänkieli": "fit", "finnish (meänkieli)": "fit", "العربية": "ar", "عربي": "ar", "فارسی": "fa",
    "हिन्दी": "hi", "हिंदी": "hi", "नेपाली": "ne", "bahasa indonesia": "id", "bahasa": "id", "kinyarwanda": "rw",
    "luganda": "lg", "lingala": "ln", "wolof": "wo", "fulfulde": "ff", "bambara": "bm", "chichewa": "ny",
    "kirundi": "rn", "shona": "sn", "tetum": "tet", "khmer": "km", "burmese": "my", "русский": "ru",
}
_LANGUAGE_DISPLAY: dict[str, str] = {}
for _name, _code in LANGUAGE_CODES.items():
    _LANGUAGE_DISPLAY.setdefault(_code, _name.title())
_LANGUAGE_DISPLAY.update(LANGUAGE_NAMES)

# Question types (lower case, whitespace collapsed) -> our type, with preset min/max.
_TEXT_TYPES = {"text", "string", "q string", "add text prompt", "phone number"}
_INTEGER_TYPES = {"integer", "int", "q int", "add integer prompt"}
_INTEGER_PRESETS = {
    "percentage": (0, 100),
    "number of days in last month": (0, 31),
    "number of days in last six months": (0, 183),
    "number of days in last year": (0, 365),
}
_DECIMAL_TYPES = {"decimal", "q decimal", "add decimal prompt"}
_DATE_TYPES = {"date", "q date", "add date prompt"}
_NOTE_TYPES = {"note", "q note", "add note prompt"}
# Known XLSForm types that a checklist cannot represent (reported, not "unknown").
_UNSUPPORTED_TYPES = {
    "time", "datetime", "date time", "q date time", "q datetime", "add date time prompt",
    "add datetime prompt", "geopoint", "geotrace", "geoshape", "gps", "location", "q location",
    "q geopoint", "add location prompt", "start-geopoint", "image", "photo", "q picture",
    "q image", "add image prompt", "add photo prompt", "audio", "q audio", "add audio prompt",
    "background-audio", "video", "q video", "add video prompt", "file", "add file prompt",
    "barcode", "q barcode", "add barcode prompt", "calculate", "q calculate",
    "add calculate prompt", "hidden", "start", "end", "today", "start time", "end time",
    "get start time", "get end time", "get today", "deviceid", "imei", "device id",
    "get device id", "subscriberid", "subscriber id", "get subscriber id", "simserial", "sim id",
    "get sim id", "phonenumber", "get phone number", "username", "email", "audit",
    "acknowledge", "q acknowledge", "add acknowledge prompt", "trigger", "range", "rank",
    "xml-external", "csv-external", "osm", "signature", "annotate", "draw",
}
_SELECT_RE = re.compile(
    r"^(?P<command>add select one prompt using|add select multiple prompt using|select all that apply from"
    r"|select multiple from file|select one from file|select multiple from|select one from|select one using"
    r"|select multiple using|select_one_from_file|select_multiple_from_file|select_one_external"
    r"|select_multiple_external|select_one|select_multiple|select all that apply|select one|select1"
    r"|q select1|q select|rank|osm)\s+(?P<list>\S+)(?:\s+(?P<other>or_other|or specify other|or other))?$",
    re.IGNORECASE,
)
_SELECT_ONE = {"add select one prompt using", "select one from", "select one using", "select_one", "select one",
               "select1", "q select1"}
_SELECT_MULTIPLE = {"add select multiple prompt using", "select all that apply from", "select multiple from",
                    "select multiple using", "select_multiple", "select all that apply", "q select"}
_CONTROL_RE = re.compile(r"^(?P<verb>begin|end)[ _](?P<control>group|repeat|loop|lgroup|looped group)\b",
                         re.IGNORECASE)

# likvard_type values allowed on each XLSForm base type.
_COMPATIBLE = {
    "text": {"short_text", "long_text"},
    "integer": {"integer", "scale"},
    "decimal": {"decimal", "money"},
    "date": {"date"},
    "note": {"note"},
    "select_one": {"single_choice", "yes_no_na", "scale"},
    "select_multiple": {"multiple_choice"},
}
_BASE_TYPE = {
    "text": "short_text", "integer": "integer", "decimal": "decimal", "date": "date", "note": "note",
    "select_one": "single_choice", "select_multiple": "multiple_choice",
}

# Header aliases (after lower-casing) -> the name used here.
_HEADER_ALIASES = {
    "list name": "list_name", "caption": "label", "relevance": "relevant", "readonly": "read_only",
    "required message": "required_message", "requiredmsg": "required_message",
    "jr:requiredmsg": "required_message", "constraint message": "constraint_message",
    "constraining message": "constraint_message", "jr:constraintmsg": "constraint_message",
    "calculate": "calculation", "count": "repeat_count", "jr:count": "repeat_count",
    "big-image": "image", "command": "type", "tag": "name", "value": "name",
    "set form title": "form_title", "set form id": "form_id",
}
_MEDIA_COLUMNS = ("image", "audio", "video")
# Columns of a kept row whose feature is not carried over (reported per row).
_UNSUPPORTED_COLUMNS = ("choice_filter", "default", "calculation", "trigger", "parameters", "read_only",
                        "repeat_count", *_MEDIA_COLUMNS)
_TRANSLATABLE = {
    "survey": ("label", "hint", "likvard_flag_explanation"),
    "choices": ("label",),
    "settings": ("likvard_title", "likvard_description"),
}
_TRUE_WORDS = {"yes", "true", "true()", "1"}
_FALSE_WORDS = {"no", "false", "false()", "0", ""}
_SHEET_ORDER = {"survey": 0, "choices": 1, "settings": 2}


# --- small helpers ------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """The text of a cell: numbers without a spurious ``.0``, booleans as yes/no, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def _slug(text: str, prefix: str = "q") -> str:
    """A valid key from any name: ``Label-Test`` -> ``label_test``, ``_1`` -> ``q_1``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9_]+", "_", ascii_text).strip("_")
    slug = re.sub(r"_+", "_", slug)
    if not slug or not slug[0].isalpha():
        slug = f"{prefix}_{slug}" if slug else prefix
    return slug[:64].rstrip("_") or prefix


def _unique(key: str, used: set[str]) -> str:
    if key not in used:
        return key
    n = 2
    while True:
        suffix = f"_{n}"
        candidate = key[: 64 - len(suffix)] + suffix
        if candidate not in used:
            return candidate
        n += 1


def _num_text(value: int | float) -> str:
    """A number as XLSForm text that reads back as the same Python type (2 -> "2", 2.0 -> "2.0")."""
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def _parse_number_text(text: str) -> int | float | None:
    text = text.strip()
    if re.fullmatch(r"[-+]?\d{1,300}", text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _display_language(code: str) -> str:
    return _LANGUAGE_DISPLAY.get(code, code)


def _language_header(base: str, code: str) -> str:
    return f"{base}::{_display_language(code)} ({code})"



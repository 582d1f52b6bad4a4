"""XLSForm spreadsheets (.xlsx) to and from checklist templates.

``read_xlsform`` turns an XLSForm (sheets ``survey``, ``choices``, ``settings``, read the way
pyxform reads them: case-insensitive sheet names and headers, the usual type and column
aliases) into a template dict that passes ``parse_template``. Rows that a checklist cannot
represent (geopoint, image, calculate, start/end metadata, repeats...) and columns it cannot
honour (choice_filter, default, calculation, media, complex constraints...) are reported as
:class:`SkippedRow` and the import goes on; a malformed spreadsheet (no survey sheet, unknown
choice list, duplicate names, unbalanced groups, a relevant expression outside the supported
subset) raises ``TemplateFormatError`` with problems located as ``survey!B7``.

Mapping:

* ``text`` -> short_text (``appearance`` multiline -> long_text), ``integer`` -> integer,
  ``decimal`` -> decimal, ``date`` -> date, ``note`` -> note, ``select_one L`` ->
  single_choice (yes_no_na when the list is exactly yes/no/na), ``select_multiple L`` ->
  multiple_choice. Our own ``likvard_type`` column refines the type (money, scale, long_text,
  yes_no_na...); ``likvard_weight``, ``likvard_flag_when`` (JSON), ``likvard_flag_explanation``
  and ``likvard_visible_when`` (JSON, used when a condition has no XLSForm spelling) carry
  what XLSForm has no column for, so export then import gives back an equal template.
* ``begin group``/``end group`` -> sections (key = group name, title = group label, relevant
  -> the section's visible_when). Items outside any group go into a section ``general``
  (``general_2``... when they follow a group). Nested groups are flattened: the inner group
  becomes its own section whose condition combines the outer and inner relevant; items after
  it continue in a new section with the outer group's title. The nested ``begin group`` row is
  reported. A repeat (``begin repeat`` ... ``end repeat``) is skipped with everything in it.
* ``relevant`` -> visible_when for the subset ``${x} = 'v'``, ``!=``, ``<``, ``<=``, ``>``,
  ``>=`` (numbers, ``date('...')``, another question optionally ``* factor``),
  ``selected(${x}, 'v')``, ``${x} != ''``/``= ''``, ``string-length(${x}) > 0``,
  ``count-selected(${x}) > 0``, ``and``, ``or``, ``not(...)``, parentheses, ``true()`` and
  ``false()``; parsed by a small recursive-descent parser (no eval). A condition that refers
  to a skipped row is dropped and reported.
* ``constraint`` of the form ``. >= a and . <= b`` -> min/max on number items.
* Labels: ``label``, ``label::English (en)``, ``label:English``; ``hint`` -> guidance. A
  column's language is its ``(code)``, else a known language name, else a 2-3 letter code
  derived from the name (reported). Plain columns are in the settings' default_language, or
  English.
* settings: ``form_title`` -> title (``likvard_title::...`` per language when present),
  ``form_id`` -> key, ``default_language``, ``likvard_description::...`` -> description.

Empty texts are dropped: a text that is an empty string does not survive a round trip.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.conditions import item_references
from app.domain.template import (
    KEY_RE,
    LANG_RE,
    YES_NO_NA,
    TemplateContent,
    TemplateVersion,
    parse_template,
)
from app.errors import Problem, TemplateFormatError
from app.i18n import LANGUAGE_NAMES, N_, _, translate_in

__all__ = ["SkippedRow", "XLSFormImport", "condition_to_xpath", "parse_relevant", "read_xlsform", "write_xlsform"]


@dataclass(frozen=True)
class SkippedRow:
    """A row (or a feature of a row) that the import could not represent."""

    sheet: str
    row: int  # 1-based spreadsheet row number
    reason: str  # translated


@dataclass
class XLSFormImport:
    """The result of reading an XLSForm: a valid template dict and what was left out."""

    data: dict[str, Any]
    skipped: list[SkippedRow] = field(default_factory=list)


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
    "meänkieli": "fit", "finnish (meänkieli)": "fit",
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
    if re.fullmatch(r"[-+]?\d+", text):
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


# --- relevant expressions -------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{\s*(?P<refname>[^}\s]*)\s*\})
     |(?P<str>'[^']*'|"[^"]*")
     |(?P<num>-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
     |(?P<op>!=|<=|>=|=|<|>|\*|\(|\)|,)
     |(?P<dot>\.)
     |(?P<name>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z_][A-Za-z0-9_\-]*)?)
    )""",
    re.VERBOSE,
)
_OPS = {"=": "equals", "!=": "not_equals", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_FLIP = {"=": "=", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _ExprError(Exception):
    """The expression is outside the supported subset; the message is translated."""


@dataclass
class _Token:
    kind: str  # ref, str, num, op, dot, name, end
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise _ExprError(_("unexpected \u201c{text}\u201d at character {position}").format(
                text=text[pos:pos + 10], position=pos + 1))
        kind = m.lastgroup if m.lastgroup != "refname" else "ref"
        if m.group("ref") is not None:
            tokens.append(_Token("ref", m.group("refname"), m.start("ref")))
        else:
            assert kind is not None
            tokens.append(_Token(kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _number(text: str) -> int | float:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return float(text)


class _ExprParser:
    """Recursive descent over the supported XPath subset; builds our condition dicts.

    Question references keep their XLSForm names; the caller maps them to keys.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    # token helpers
    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return tok

    def is_op(self, text: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok.kind == "op" and tok.text == text

    def is_word(self, word: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok.kind == "name" and tok.text.lower() == word

    def expect_op(self, text: str) -> None:
        if not self.is_op(text):
            tok = self.peek()
            raise _ExprError(_("expected \u201c{expected}\u201d at character {position}").format(
                expected=text, position=tok.pos + 1))
        self.take()

    def fail_here(self) -> _ExprError:
        tok = self.peek()
        if tok.kind == "end":
            return _ExprError(_("the expression ends too early"))
        return _ExprError(_("unexpected \u201c{text}\u201d at character {position}").format(
            text=tok.text, position=tok.pos + 1))

    # grammar
    def parse(self) -> dict[str, Any]:
        if self.peek().kind == "end":
            raise _ExprError(_("the expression is empty"))
        cond = self.or_expr()
        if self.peek().kind != "end":
            raise self.fail_here()
        return cond

    def or_expr(self) -> dict[str, Any]:
        parts = [self.and_expr()]
        while self.is_word("or"):
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else {"any_of": parts}

    def and_expr(self) -> dict[str, Any]:
        parts = [self.unary()]
        while self.is_word("and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else {"all_of": parts}

    def unary(self) -> dict[str, Any]:
        if self.is_word("not") and self.is_op("(", 1):
            self.take()
            self.take()
            inner = self.or_expr()
            self.expect_op(")")
            return {"not": inner}
        if (self.is_word("true") or self.is_word("false")) and self.is_op("(", 1) and self.is_op(")", 2):
            word = self.take().text.lower()
            self.take()
            self.take()
            return {"all_of": []} if word == "true" else {"any_of": []}
        if self.is_word("selected") and self.is_op("(", 1):
            self.take()
            self.take()
            name = self.reference()
            self.expect_op(",")
            tok = self.take()
            if tok.kind == "str":
                value = tok.text[1:-1]
            elif tok.kind == "num":
                value = tok.text
            else:
                raise _ExprError(_("selected() needs a choice name in quotes"))
            self.expect_op(")")
            return {"item": name, "op": "contains", "value": value}
        if self.is_op("("):
            self.take()
            inner = self.or_expr()
            self.expect_op(")")
            return inner
        return self.comparison()

    def reference(self) -> str:
        tok = self.take()
        if tok.kind == "ref" and tok.text:
            return tok.text
        if tok.kind == "dot":
            raise _ExprError(_("\u201c.\u201d (the question itself) is not supported here"))
        raise _ExprError(_("expected a question reference ${{name}} at character {position}").format(
            position=tok.pos + 1))

    def operand(self) -> tuple[str, Any, Any]:
        """("ref", name, times|None) | ("len", name, None) | ("lit", value, None)."""
        tok = self.peek()
        if tok.kind == "ref":
            name = self.reference()
            if self.is_op("*"):
                self.take()
                factor = self.take()
                if factor.kind != "num":
                    raise _ExprError(_("a question can only be multiplied by a number"))
                return "ref", name, _number(factor.text)
            return "ref", name, None
        if tok.kind == "str":
            self.take()
            return "lit", tok.text[1:-1], None
        if tok.kind == "num":
            self.take()
            return "lit", _number(tok.text), None
        if tok.kind == "name" and self.is_op("(", 1):
            word = tok.text.lower()
            if word in ("string-length", "count-selected"):
                self.take()
                self.take()
                name = self.reference()
                self.expect_op(")")
                return "len", name, None
            if word == "date":
                self.take()
                self.take()
                literal = self.take()
                if literal.kind != "str" or not _DATE_RE.match(literal.text[1:-1]):
                    raise _ExprError(_("date() needs a date such as '2024-12-31'"))
                self.expect_op(")")
                return "lit", literal.text[1:-1], None
            raise _ExprError(_("the function {function}() is not supported").format(function=tok.text))
        if tok.kind == "dot":
            raise _ExprError(_("\u201c.\u201d (the question itself) is not supported here"))
        raise self.fail_here()

    def comparison(self) -> dict[str, Any]:
        left = self.operand()
        tok = self.peek()
        if tok.kind != "op" or tok.text not in _OPS:
            if tok.kind == "end" or (tok.kind == "name" and tok.text.lower() in ("and", "or")) or self.is_op(")"):
                raise _ExprError(_("a comparison such as ${{x}} = 'yes' is expected at character {position}").format(
                    position=tok.pos + 1))
            raise self.fail_here()
        op = self.take().text
        right = self.operand()
        if left[0] == "lit" and right[0] != "lit":
            left, right, op = right, left, _FLIP[op]
        if left[0] == "len":
            if right[0] != "lit" or isinstance(right[1], str):
                raise _ExprError(_("string-length() and count-selected() compare with a number"))
            n = right[1]
            if (op == ">" and n == 0) or (op == ">=" and n == 1) or (op == "!=" and n == 0):
                return {"item": left[1], "op": "answered"}
            if (op == "=" and n == 0) or (op == "<" and n == 1) or (op == "<=" and n == 0):
                return {"item": left[1], "op": "not_answered"}
            raise _ExprError(_("string-length() and count-selected() only test whether a question is answered"))
        if left[0] != "ref" or left[2] is not None:
            raise _ExprError(_("a comparison must start with a question reference such as ${x}"))
        name = left[1]
        if right[0] == "len":
            raise _ExprError(_("string-length() and count-selected() compare with a number"))
        if right[0] == "ref":
            value: Any = {"item": right[1]}
            if right[2] is not None:
                value["times"] = right[2]
            return {"item": name, "op": _OPS[op], "value": value}
        literal = right[1]
        if literal == "":
            if op == "=":
                return {"item": name, "op": "not_answered"}
            if op == "!=":
                return {"item": name, "op": "answered"}
            raise _ExprError(_("an empty text can only be compared with = or !="))
        if op in ("<", "<=", ">", ">=") and isinstance(literal, str) and not _DATE_RE.match(literal):
            raise _ExprError(_("\u201c{op}\u201d compares numbers or dates, not \u201c{value}\u201d").format(
                op=op, value=literal))
        return {"item": name, "op": _OPS[op], "value": literal}


def parse_relevant(text: str) -> dict[str, Any]:
    """Parse an XLSForm relevant expression into a condition (references keep their names).

    Raises ValueError with a translated message when the expression is outside the subset.
    """
    try:
        return _ExprParser(text).parse()
    except _ExprError as exc:
        raise ValueError(str(exc)) from None


def _literal(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        if "'" not in value:
            return f"'{value}'"
        if '"' not in value:
            return f'"{value}"'
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return _num_text(value)
    return None


def _ref(key: Any) -> str | None:
    return "${" + key + "}" if isinstance(key, str) and KEY_RE.match(key) else None


def condition_to_xpath(cond: Any) -> str | None:
    """An XLSForm spelling of a condition, or None (case facts have none).

    The spelling may be only equivalent (``in`` becomes an ``or`` of ``=``); the exporter
    checks whether it parses back to the same condition and adds the JSON when it does not.
    """
    if not isinstance(cond, dict):
        return None
    if "all_of" in cond or "any_of" in cond:
        key = "all_of" if "all_of" in cond else "any_of"
        parts = cond[key]
        if not isinstance(parts, list):
            return None
        if not parts:
            return "true()" if key == "all_of" else "false()"
        texts = []
        for part in parts:
            text = condition_to_xpath(part)
            if text is None:
                return None
            combined = isinstance(part, dict) and bool(part.get("all_of") or part.get("any_of"))
            texts.append(f"({text})" if combined else text)
        return (" and " if key == "all_of" else " or ").join(texts)
    if "not" in cond:
        inner = condition_to_xpath(cond["not"])
        return None if inner is None else f"not({inner})"
    ref = _ref(cond.get("item"))
    if ref is None:
        return None
    op, value = cond.get("op"), cond.get("value")
    if op == "answered":
        return f"{ref} != ''"
    if op == "not_answered":
        return f"{ref} = ''"
    if op == "contains":
        values = value if isinstance(value, list) else [value]
        lits = [_literal(str(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else _literal(v)
                for v in values]
        if any(lit is None for lit in lits):
            return None
        if not lits:
            return "false()"
        if not isinstance(value, list):
            return f"selected({ref}, {lits[0]})"
        return "(" + " or ".join(f"selected({ref}, {lit})" for lit in lits) + ")"
    if op in ("in", "not_in"):
        if not isinstance(value, list):
            return None
        lits = [_literal(v) for v in value]
        if any(lit is None for lit in lits):
            return None
        inner = " or ".join(f"{ref} = {lit}" for lit in lits) if lits else "false()"
        return f"({inner})" if op == "in" else f"not({inner})"
    symbol = {v: k for k, v in _OPS.items()}.get(op)
    if symbol is None:
        return None
    if isinstance(value, dict):
        other = _ref(value.get("item"))
        if other is None or set(value) - {"item", "times"}:
            return None
        if "times" in value:
            factor = _literal(value["times"])
            if factor is None or isinstance(value["times"], str):
                return None
            other = f"{other} * {factor}"
        return f"{ref} {symbol} {other}"
    if op in ("lt", "le", "gt", "ge") and isinstance(value, str):
        if not _DATE_RE.match(value):
            return None
        return f"{ref} {symbol} date('{value}')"
    lit = _literal(value)
    return None if lit is None else f"{ref} {symbol} {lit}"


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (so 2 and 2.0 differ, as they do in the canonical text)."""
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True, ensure_ascii=False)


def _exact_xpath(cond: Any) -> tuple[str | None, bool]:
    """(XLSForm spelling or None, whether it reads back as exactly ``cond``)."""
    text = condition_to_xpath(cond)
    if text is None:
        return None, False
    try:
        back = parse_relevant(text)
    except ValueError:
        return None, False
    return text, _same(back, cond)


# --- reading --------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    title: str
    rows: list[tuple[int, tuple[Any, ...]]]  # (row number, values) below the header
    header_row: int
    plain: dict[str, int]  # column name -> index (first column without a language)
    langs: dict[str, list[tuple[str, int]]]  # column name -> [(language spec, index)]

    def cell(self, values: tuple[Any, ...], name: str) -> Any:
        index = self.plain.get(name)
        if index is None or index >= len(values):
            return None
        return values[index]

    def text(self, values: tuple[Any, ...], name: str) -> str:
        return _cell_text(self.cell(values, name)).strip()

    def where(self, row: int, name: str | None = None) -> str:
        from openpyxl.utils import get_column_letter

        index = self.plain.get(name) if name else None
        if index is None and name in self.langs:
            index = self.langs[name][0][1]
        if index is None:
            return _("{sheet} row {row}").format(sheet=self.title, row=row)
        return f"{self.title}!{get_column_letter(index + 1)}{row}"


def _split_header(raw: Any) -> tuple[str, str | None]:
    """``label::English (en)`` -> ("label", "English (en)"); ``bind::relevant`` -> ("relevant", None)."""
    text = _cell_text(raw).strip()
    if "::" in text:
        parts = [p.strip() for p in text.split("::")]
    elif ":" in text and not text.lower().startswith(("jr:", "uri:")):
        parts = [p.strip() for p in text.split(":", 1)]
    else:
        parts = [text]
    name = parts[0].lower()
    rest = parts[1:]
    if name in ("bind", "control", "media", "body", "instance") and rest:
        name, rest = rest[0].lower(), rest[1:]
    name = re.sub(r"\s+", " ", name)
    name = _HEADER_ALIASES.get(name, name)
    return name, ("::".join(rest) if rest else None)


def _read_sheet(ws: Any) -> _Sheet:
    rows = [(n, tuple(values)) for n, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)]
    rows = [(n, values) for n, values in rows if any(_cell_text(v).strip() for v in values)]
    if not rows:
        return _Sheet(ws.title, [], 1, {}, {})
    header_row, header = rows[0]
    plain: dict[str, int] = {}
    langs: dict[str, list[tuple[str, int]]] = {}
    for index, raw in enumerate(header):
        if raw is None or not _cell_text(raw).strip():
            continue
        name, lang = _split_header(raw)
        if lang is None:
            plain.setdefault(name, index)
        elif lang:
            langs.setdefault(name, []).append((lang, index))
    return _Sheet(ws.title, rows[1:], header_row, plain, langs)


@dataclass
class _SectionDraft:
    key: str
    title: dict[str, str]
    row: int | None
    cond_rows: list[int]  # rows of the groups whose relevant applies, outer first
    items: list[_ItemDraft] = field(default_factory=list)


@dataclass
class _ItemDraft:
    row: int
    values: tuple[Any, ...]
    name: str
    key: str
    base: str  # text, integer, decimal, date, note, select_one, select_multiple
    type: str
    list_name: str | None = None
    or_other: bool = False
    preset: tuple[int, int] | None = None
    label: dict[str, str] = field(default_factory=dict)
    options: list[tuple[str, dict[str, str], int | None]] = field(default_factory=list)


@dataclass
class _Frame:
    kind: str  # "group" or "repeat"
    row: int
    section: _SectionDraft | None = None
    key: str = ""
    title: dict[str, str] = field(default_factory=dict)
    cond_rows: list[int] = field(default_factory=list)
    parts: int = 1


class _Importer:
    def __init__(self, path: Path, template_key: str | None) -> None:
        self.path = path
        self.template_key = template_key
        self.problems: list[Problem] = []
        self.skipped: list[SkippedRow] = []
        self.lang_of: dict[str, str] = {}  # language spec -> code
        self.languages: list[str] = []
        self.default_language = "en"
        self.plain_language = "en"

    # reporting
    def error(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def skip(self, sheet: _Sheet | str, row: int, reason: str) -> None:
        title = sheet.title if isinstance(sheet, _Sheet) else sheet
        self.skipped.append(SkippedRow(title, row, reason))

    # workbook
    def load(self) -> dict[str, _Sheet]:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            wb = load_workbook(self.path, read_only=False, data_only=True)
        except FileNotFoundError:
            raise TemplateFormatError([Problem(self.path.name, _("the file does not exist"))], str(self.path)) from None
        except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
            raise TemplateFormatError(
                [Problem(self.path.name, _("not a readable .xlsx spreadsheet: {error}").format(error=exc))],
                str(self.path),
            ) from None
        sheets: dict[str, _Sheet] = {}
        try:
            for ws in wb.worksheets:
                lower = ws.title.strip().lower()
                sheet = _read_sheet(ws)
                if lower in ("survey", "choices", "settings") and lower not in sheets:
                    sheets[lower] = sheet
                elif sheet.rows or sheet.plain or sheet.langs:
                    self.skip(sheet, sheet.header_row, _("the sheet \u201c{sheet}\u201d is not used").format(sheet=ws.title))
        finally:
            wb.close()
        return sheets

    # languages
    def language_code(self, spec: str, sheet: _Sheet) -> str:
        if spec in self.lang_of:
            return self.lang_of[spec]
        m = re.search(r"\(([^()]*)\)\s*$", spec)
        code = None
        if m:
            candidate = re.split(r"[-_]", m.group(1).strip().lower())[0]
            if LANG_RE.match(candidate):
                code = candidate
            spec_name = spec[: m.start()].strip()
        else:
            spec_name = spec.strip()
        lowered = spec_name.lower()
        if code is None:
            if lowered in LANGUAGE_CODES:
                code = LANGUAGE_CODES[lowered]
            elif LANG_RE.match(re.split(r"[-_]", lowered)[0]):
                code = re.split(r"[-_]", lowered)[0]
        if code is None:
            letters = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode())
            used = set(self.lang_of.values())
            candidates = [letters[:3], letters[:2]] + [letters[0] + c + d for c in letters[1:] for d in letters[2:]] \
                if len(letters) >= 2 else []
            code = next((c for c in candidates if LANG_RE.match(c) and c not in used), "xx")
            self.skip(sheet, sheet.header_row, _(
                "the language \u201c{language}\u201d has no code such as \u201c(de)\u201d; it is imported as \u201c{code}\u201d"
            ).format(language=spec, code=code))
        self.lang_of[spec] = code
        return code

    def collect_languages(self, sheets: dict[str, _Sheet], settings: dict[str, Any]) -> None:
        spec = _cell_text(settings.get("default_language")).strip()
        settings_sheet = sheets.get("settings")
        settings_code = self.language_code(spec, settings_sheet) if spec and settings_sheet else None
        self.plain_language = settings_code or "en"
        found: list[str] = []
        for sheet_name, columns in _TRANSLATABLE.items():
            sheet = sheets.get(sheet_name)
            if sheet is None:
                continue
            indexed: list[tuple[int, str]] = []
            for column in columns:
                if column in sheet.plain:
                    indexed.append((sheet.plain[column], self.plain_language))
                for lang_spec, index in sheet.langs.get(column, []):
                    indexed.append((index, self.language_code(lang_spec, sheet)))
            for _index, code in sorted(indexed):
                if code not in found:
                    found.append(code)
        if not found:
            found = [self.plain_language]
        self.languages = found
        self.default_language = settings_code if settings_code in found else found[0]

    def texts(self, sheet: _Sheet, values: tuple[Any, ...], column: str) -> dict[str, str]:
        out: dict[str, str] = {}
        if column in sheet.plain:
            text = _cell_text(sheet.cell(values, column))
            if text:
                out[self.plain_language] = text
        for lang_spec, index in sheet.langs.get(column, []):
            text = _cell_text(values[index] if index < len(values) else None)
            if text:
                out[self.lang_of[lang_spec]] = text
        return {lang: out[lang] for lang in self.languages if lang in out}  # in the template's language order

    # settings and choices
    def read_settings(self, sheet: _Sheet | None) -> dict[str, Any]:
        if sheet is None or not sheet.rows:
            return {}
        row, values = sheet.rows[0]
        out: dict[str, Any] = {"_row": row, "_values": values}
        for name in ("form_title", "form_id", "default_language", "allow_choice_duplicates"):
            out[name] = sheet.cell(values, name)
        return out

    def read_choices(self, sheet: _Sheet | None, allow_duplicates: bool) -> dict[str, list[tuple[str, dict[str, str], int]]]:
        lists: dict[str, list[tuple[str, dict[str, str], int]]] = {}
        if sheet is None:
            return lists
        if sheet.rows and ("list_name" not in sheet.plain or "name" not in sheet.plain):
            self.error(sheet.where(sheet.header_row), _("the choices sheet needs the columns list_name and name"))
            return lists
        seen: dict[tuple[str, str], int] = {}
        for row, values in sheet.rows:
            list_name = sheet.text(values, "list_name")
            name = sheet.text(values, "name")
            if not list_name:
                self.skip(sheet, row, _("a choice without list_name is ignored"))
                continue
            if not name:
                self.error(sheet.where(row, "name"), _("the choice has no name"))
                continue
            if (list_name, name) in seen:
                if allow_duplicates:
                    self.skip(sheet, row, _("duplicate choice \u201c{name}\u201d in list \u201c{list}\u201d (first in row {other}) is left out").format(
                        name=name, list=list_name, other=seen[(list_name, name)]))
                else:
                    self.error(sheet.where(row, "name"), _("duplicate choice \u201c{name}\u201d in list \u201c{list}\u201d (first in row {other})").format(
                        name=name, list=list_name, other=seen[(list_name, name)]))
                continue
            seen[(list_name, name)] = row
            label = self.texts(sheet, values, "label")
            if not label:
                label = {self.default_language: name}
                self.skip(sheet, row, _("the choice \u201c{name}\u201d has no label; its name is used").format(name=name))
            lists.setdefault(list_name, []).append((name, label, row))
        return lists

    # survey structure
    def classify(self, type_text: str) -> tuple[str, dict[str, Any]]:
        """(kind, details): kind is a base type, begin_group, end_group, begin_repeat,
        end_repeat, unsupported or unknown."""
        norm = " ".join(type_text.split())
        lower = norm.lower()
        m = _CONTROL_RE.match(lower)
        if m:
            control = "group" if m.group("control") == "group" else "repeat"
            return f"{m.group('verb')}_{control}", {}
        m = _SELECT_RE.match(norm)
        if m:
            command = " ".join(m.group("command").lower().split())
            details = {"list_name": m.group("list"), "or_other": bool(m.group("other"))}
            if command in _SELECT_ONE:
                return "select_one", details
            if command in _SELECT_MULTIPLE:
                return "select_multiple", details
            return "unsupported", {"type": command}
        if lower in _TEXT_TYPES:
            return "text", {}
        if lower in _INTEGER_TYPES:
            return "integer", {}
        if lower in _INTEGER_PRESETS:
            return "integer", {"preset": _INTEGER_PRESETS[lower]}
        if lower in _DECIMAL_TYPES:
            return "decimal", {}
        if lower in _DATE_TYPES:
            return "date", {}
        if lower in _NOTE_TYPES:
            return "note", {}
        if lower in _UNSUPPORTED_TYPES or lower.startswith(("uri:", "begin ", "end ")) or lower.split(" ")[0] in _UNSUPPORTED_TYPES:
            return "unsupported", {"type": norm}
        return "unknown", {"type": norm}

    def run(self) -> XLSFormImport:
        sheets = self.load()
        survey = sheets.get("survey")
        if survey is None:
            raise TemplateFormatError([Problem("survey", _("the workbook has no \u201csurvey\u201d sheet"))], str(self.path))
        if "type" not in survey.plain:
            raise TemplateFormatError([Problem(survey.where(survey.header_row), _("the survey sheet has no \u201ctype\u201d column"))],
                                      str(self.path))
        settings = self.read_settings(sheets.get("settings"))
        self.collect_languages(sheets, settings)
        allow_dups = _cell_text(settings.get("allow_choice_duplicates")).strip().lower() in _TRUE_WORDS
        choices_sheet = sheets.get("choices")
        lists = self.read_choices(choices_sheet, allow_dups)

        sections, items, skipped_names = self.structure(survey, lists)
        by_name = {item.name: item for item in items}
        by_lower: dict[str, _ItemDraft] = {}
        for item in items:
            by_lower.setdefault(item.name.lower(), item)
        group_conditions: dict[int, dict[str, Any] | None] = {}
        rows_by_number = dict(survey.rows)

        def resolve(name: str) -> str | None:
            item = by_name.get(name) or by_lower.get(name.lower())
            return item.key if item else None

        def condition(row: int, values: tuple[Any, ...]) -> dict[str, Any] | None:
            return self.condition(survey, row, values, resolve, skipped_names)

        data_sections: list[dict[str, Any]] = []
        locations: dict[str, str] = {"sections": survey.title}
        for si, section in enumerate(sections):
            conds = []
            for row in section.cond_rows:
                if row not in group_conditions:
                    group_conditions[row] = condition(row, rows_by_number[row])
                if group_conditions[row] is not None:
                    conds.append(group_conditions[row])
            sdata: dict[str, Any] = {"key": section.key, "title": section.title}
            if conds:
                sdata["visible_when"] = conds[0] if len(conds) == 1 else {"all_of": conds}
            sdata["items"] = []
            locations[f"sections[{si}]"] = survey.where(section.row) if section.row else survey.title
            for ii, item in enumerate(section.items):
                idata = self.item(survey, item, condition)
                sdata["items"].append(idata)
                locations[f"sections[{si}].items[{ii}]"] = survey.where(item.row)
                if choices_sheet is not None:
                    for oi, (_value, _label, orow) in enumerate(item.options):
                        if orow is not None:
                            locations[f"sections[{si}].items[{ii}].options[{oi}]"] = choices_sheet.where(orow)
            data_sections.append(sdata)

        if not data_sections and not self.problems:
            self.error(survey.title, _("the survey sheet has no question that a checklist can hold"))
        data = self.template(sheets.get("settings"), settings, data_sections)
        if self.problems:
            raise TemplateFormatError(self.problems, str(self.path))
        try:
            content = parse_template(data)
        except TemplateFormatError as exc:
            raise TemplateFormatError([_relocate(p, locations) for p in exc.problems], str(self.path)) from None
        self.skipped.sort(key=lambda s: (_SHEET_ORDER.get(s.sheet.lower(), 3), s.sheet, s.row))
        return XLSFormImport(content.to_dict(), self.skipped)

    def structure(
        self, survey: _Sheet, lists: dict[str, list[tuple[str, dict[str, str], int]]]
    ) -> tuple[list[_SectionDraft], list[_ItemDraft], set[str]]:
        sections: list[_SectionDraft] = []
        items: list[_ItemDraft] = []
        skipped_names: set[str] = set()
        names: dict[str, int] = {}
        item_keys: set[str] = set()
        section_keys: set[str] = set()
        stack: list[_Frame] = []
        top = _Frame("group", 0, key=DEFAULT_SECTION_KEY,
                     title={lang: translate_in(lang, GENERAL_TITLE) for lang in self.languages}, parts=0)

        def new_section(key: str, title: dict[str, str], row: int | None, cond_rows: list[int]) -> _SectionDraft:
            unique = _unique(key, section_keys)
            if unique != key and row is not None:
                self.skip(survey, row, _("the group name \u201c{name}\u201d is used twice; this group becomes section \u201c{key}\u201d").format(
                    name=key, key=unique))
            section_keys.add(unique)
            section = _SectionDraft(unique, title, row, list(cond_rows))
            sections.append(section)
            return section

        def current_section() -> _SectionDraft:
            frame = stack[-1] if stack else top
            if frame.section is None:
                frame.parts += 1
                key = frame.key if frame.parts == 1 else f"{frame.key}_{frame.parts}"
                frame.section = new_section(key, dict(frame.title), None, frame.cond_rows)
            return frame.section

        repeat_depth = 0
        for row, values in survey.rows:
            type_text = survey.text(values, "type")
            name = survey.text(values, "name")
            if repeat_depth:
                kind, _details = self.classify(type_text) if type_text else ("", {})
                if kind in ("begin_group", "begin_repeat"):
                    stack.append(_Frame(kind[6:], row))
                    repeat_depth += kind == "begin_repeat"
                elif kind in ("end_group", "end_repeat"):
                    want = kind[4:]
                    if stack[-1].kind != want:
                        self.error(survey.where(row, "type"), self.mismatch(want, stack[-1]))
                        continue
                    frame = stack.pop()
                    if want == "repeat":
                        repeat_depth -= 1
                        if not repeat_depth:
                            self.skip(survey, frame.row, _("repeats are not supported: rows {first}\u2013{last} are left out").format(
                                first=frame.row, last=row))
                elif name:
                    skipped_names.add(name)
                    self.check_name(survey, row, name, names)
                continue
            if not type_text:
                if name or any(_cell_text(v).strip() for v in values):
                    self.skip(survey, row, _("the row has no type"))
                continue
            kind, details = self.classify(type_text)
            if kind == "begin_group":
                key = name.lower() if KEY_RE.match(name.lower()) else ""
                if not key:
                    key = _slug(name or _cell_text(next(iter(self.texts(survey, values, "label").values()), "")), "section")
                    self.skip(survey, row, _("the group name \u201c{name}\u201d is not a valid key; the section key is \u201c{key}\u201d").format(
                        name=name, key=key))
                title = self.texts(survey, values, "label") or {self.default_language: name or key}
                outer = stack[-1] if stack else None
                if outer is not None:
                    self.skip(survey, row, _("nested group \u201c{name}\u201d becomes a separate section").format(name=name or key))
                    outer.section = None
                cond_rows = (outer.cond_rows if outer else []) + [row]
                frame = _Frame("group", row, key=key, title=title, cond_rows=cond_rows)
                frame.section = new_section(key, title, row, cond_rows)
                frame.key = frame.section.key
                stack.append(frame)
                continue
            if kind == "begin_repeat":
                stack.append(_Frame("repeat", row))
                repeat_depth = 1
                continue
            if kind in ("end_group", "end_repeat"):
                want = kind[4:]
                if not stack or stack[-1].kind != want:
                    self.error(survey.where(row, "type"), self.mismatch(want, stack[-1] if stack else None))
                    continue
                stack.pop()
                if stack:
                    stack[-1].section = None  # items after a nested group continue in a new section
                else:
                    top.section = None
                continue
            if kind in ("unsupported", "unknown"):
                if name:
                    skipped_names.add(name)
                    self.check_name(survey, row, name, names)
                if kind == "unsupported":
                    self.skip(survey, row, _("the type \u201c{type}\u201d cannot be represented in a checklist").format(type=details["type"]))
                else:
                    self.skip(survey, row, _("unknown type \u201c{type}\u201d").format(type=details["type"]))
                continue
            # a question or note
            if not name:
                if kind == "note":
                    name = f"note_{row}"
                else:
                    self.error(survey.where(row, "name"), _("the question has no name"))
                    continue
            if not self.check_name(survey, row, name, names):
                continue
            item = self.question(survey, row, values, name, kind, details, lists, item_keys)
            if item is None:
                skipped_names.add(name)
                continue
            items.append(item)
            current_section().items.append(item)
        for frame in reversed(stack):
            if frame.kind == "group":
                self.error(survey.where(frame.row, "type"), _("\u201cbegin group\u201d has no matching \u201cend group\u201d"))
            else:
                self.error(survey.where(frame.row, "type"), _("\u201cbegin repeat\u201d has no matching \u201cend repeat\u201d"))
        return sections, items, skipped_names

    def mismatch(self, want: str, frame: _Frame | None) -> str:
        if frame is None:
            if want == "group":
                return _("\u201cend group\u201d without a matching \u201cbegin group\u201d")
            return _("\u201cend repeat\u201d without a matching \u201cbegin repeat\u201d")
        if want == "group":
            return _("\u201cend group\u201d, but the repeat begun in row {row} is still open").format(row=frame.row)
        return _("\u201cend repeat\u201d, but the group begun in row {row} is still open").format(row=frame.row)

    def check_name(self, survey: _Sheet, row: int, name: str, names: dict[str, int]) -> bool:
        if name in names:
            self.error(survey.where(row, "name"), _("duplicate name \u201c{name}\u201d (also in row {other})").format(
                name=name, other=names[name]))
            return False
        names[name] = row
        return True

    def question(
        self,
        survey: _Sheet,
        row: int,
        values: tuple[Any, ...],
        name: str,
        base: str,
        details: dict[str, Any],
        lists: dict[str, list[tuple[str, dict[str, str], int]]],
        item_keys: set[str],
    ) -> _ItemDraft | None:
        item_type = _BASE_TYPE[base]
        likvard_type = survey.text(values, "likvard_type")
        if likvard_type:
            if likvard_type in _COMPATIBLE[base]:
                item_type = likvard_type
            else:
                self.skip(survey, row, _("likvard_type \u201c{likvard_type}\u201d does not fit the type \u201c{type}\u201d and is ignored").format(
                    likvard_type=likvard_type, type=survey.text(values, "type")))
        elif base == "text" and "multiline" in survey.text(values, "appearance").lower().split():
            item_type = "long_text"
        options: list[tuple[str, dict[str, str], int | None]] = []
        if base in ("select_one", "select_multiple"):
            list_name = details["list_name"]
            if list_name not in lists:
                self.error(survey.where(row, "type"), _("unknown choice list \u201c{list}\u201d").format(list=list_name))
                return None
            options = [(value, label, orow) for value, label, orow in lists[list_name]]
            if details.get("or_other"):
                if not any(value == "other" for value, _label, _row in options):
                    options.append(("other", {lang: translate_in(lang, OTHER_LABEL) for lang in self.languages}, None))
                self.skip(survey, row, _("\u201cor other\u201d: an option \u201cother\u201d is kept, the text field to specify it is not"))
            if not likvard_type and base == "select_one" and sorted(v for v, _label, _row in options) == sorted(YES_NO_NA):
                item_type = "yes_no_na"
            if item_type in ("yes_no_na", "scale"):
                options = []
            elif len(options) < 2:
                self.skip(survey, row, _("the choice list \u201c{list}\u201d has fewer than two choices; the question is left out").format(
                    list=list_name))
                return None
        label = self.texts(survey, values, "label")
        if not any(t.strip() for t in label.values()):
            if base == "note":
                self.skip(survey, row, _("a note without text is left out"))
                return None
            label = {self.default_language: name}
            self.skip(survey, row, _("the question \u201c{name}\u201d has no label; its name is used").format(name=name))
        key = name.lower()
        if not KEY_RE.match(key):
            key = _slug(name)
        unique = _unique(key, item_keys)
        if unique != name.lower():
            self.skip(survey, row, _("the name \u201c{name}\u201d is not a valid key; it is imported as \u201c{key}\u201d").format(
                name=name, key=unique))
        item_keys.add(unique)
        return _ItemDraft(row, values, name, unique, base, item_type, details.get("list_name"), details.get("or_other", False),
                          details.get("preset"), label, options)

    def condition(
        self,
        survey: _Sheet,
        row: int,
        values: tuple[Any, ...],
        resolve: Any,
        skipped_names: set[str],
    ) -> dict[str, Any] | None:
        """The visible_when of a row: likvard_visible_when (JSON) wins over relevant."""
        raw_json = survey.text(values, "likvard_visible_when")
        if raw_json:
            return self.json_condition(survey, row, "likvard_visible_when", raw_json)
        text = survey.text(values, "relevant")
        if not text:
            return None
        try:
            cond = parse_relevant(text)
        except ValueError as exc:
            self.error(survey.where(row, "relevant"), _("bad relevant expression \u201c{expression}\u201d: {problem}").format(
                expression=text, problem=exc))
            return None
        unknown: list[str] = []
        dropped: list[str] = []

        for node in item_references(cond):
            key = resolve(node["item"])
            if key is None:
                (dropped if node["item"] in skipped_names else unknown).append(node["item"])
            else:
                node["item"] = key
        if unknown:
            self.error(survey.where(row, "relevant"), _("bad relevant expression \u201c{expression}\u201d: unknown question \u201c{name}\u201d").format(
                expression=text, name=unknown[0]))
            return None
        if dropped:
            self.skip(survey, row, _("the relevant expression refers to \u201c{name}\u201d, which is left out; the condition is dropped").format(
                name=dropped[0]))
            return None
        return cond

    def json_condition(self, survey: _Sheet, row: int, column: str, text: str) -> dict[str, Any] | None:
        try:
            cond = json.loads(text)
        except json.JSONDecodeError as exc:
            self.error(survey.where(row, column), _("invalid JSON: {error}").format(error=exc.msg))
            return None
        if not isinstance(cond, dict):
            self.error(survey.where(row, column), _("a condition must be a JSON object"))
            return None
        return cond

    def min_max(self, survey: _Sheet, item: _ItemDraft, text: str) -> tuple[Any, Any] | None:
        """``. >= 0 and . <= 100`` -> (0, 100); None when the constraint is anything else."""
        try:
            tokens = _tokenize(text)[:-1]
        except _ExprError:
            return None
        parts: list[list[_Token]] = [[]]
        for tok in tokens:
            if tok.kind == "name" and tok.text.lower() == "and":
                parts.append([])
            else:
                parts[-1].append(tok)
        low = high = None
        for part in parts:
            if len(part) != 3 or part[1].kind != "op" or part[1].text not in ("<=", ">="):
                return None
            if part[0].kind == "dot" and part[2].kind == "num":
                op, num = part[1].text, part[2].text
            elif part[2].kind == "dot" and part[0].kind == "num":
                op, num = _FLIP[part[1].text], part[0].text
            else:
                return None
            if op == ">=" and low is None:
                low = _number(num)
            elif op == "<=" and high is None:
                high = _number(num)
            else:
                return None
        return low, high

    def item(self, survey: _Sheet, item: _ItemDraft, condition: Any) -> dict[str, Any]:
        values, row = item.values, item.row
        data: dict[str, Any] = {"key": item.key, "type": item.type, "label": item.label}
        guidance = self.texts(survey, values, "hint")
        if guidance:
            data["guidance"] = guidance
        required = survey.cell(values, "required")
        required_text = _cell_text(required).strip().lower()
        if required is True or required_text in _TRUE_WORDS:
            if item.type == "note":
                self.skip(survey, row, _("a note cannot be required; \u201crequired\u201d is ignored"))
            else:
                data["required"] = True
        elif required_text not in _FALSE_WORDS:
            self.skip(survey, row, _("the required condition \u201c{expression}\u201d is not supported; the question is optional").format(
                expression=_cell_text(required).strip()))
        if item.options:
            data["options"] = [{"value": value, "label": label} for value, label, _row in item.options]
        number_item = item.type in ("integer", "decimal", "money")
        low, high = item.preset if item.preset and number_item else (None, None)
        constraint = survey.text(values, "constraint")
        if constraint:
            bounds = self.min_max(survey, item, constraint) if number_item else None
            if bounds is None:
                self.skip(survey, row, _("the constraint \u201c{expression}\u201d is not supported and is left out").format(
                    expression=constraint))
            else:
                low = bounds[0] if bounds[0] is not None else low
                high = bounds[1] if bounds[1] is not None else high
        if low is not None:
            data["min"] = low
        if high is not None:
            data["max"] = high
        visible = condition(row, values)
        if visible is not None:
            data["visible_when"] = visible
        flag_text = survey.text(values, "likvard_flag_when")
        if flag_text:
            flag = self.json_condition(survey, row, "likvard_flag_when", flag_text)
            if flag is not None:
                data["flag_when"] = flag
        explanation = self.texts(survey, values, "likvard_flag_explanation")
        if explanation:
            data["flag_explanation"] = explanation
        weight_cell = survey.cell(values, "likvard_weight")
        weight_text = _cell_text(weight_cell).strip() if not isinstance(weight_cell, (int, float)) or isinstance(weight_cell, bool) else ""
        if isinstance(weight_cell, (int, float)) and not isinstance(weight_cell, bool):
            data["weight"] = weight_cell
        elif weight_text:
            weight = _parse_number_text(weight_text)
            if weight is None:
                self.error(survey.where(row, "likvard_weight"), _("the weight \u201c{value}\u201d is not a number").format(value=weight_text))
            else:
                data["weight"] = weight
        for column in _UNSUPPORTED_COLUMNS:
            if survey.text(values, column) or any(
                _cell_text(values[i] if i < len(values) else None).strip() for _spec, i in survey.langs.get(column, [])
            ):
                if column == "read_only" and survey.text(values, column).lower() in _FALSE_WORDS:
                    continue
                self.skip(survey, row, _("the column \u201c{column}\u201d is not supported and is ignored").format(column=column))
        return data

    def template(self, sheet: _Sheet | None, settings: dict[str, Any], sections: list[dict[str, Any]]) -> dict[str, Any]:
        form_id = _cell_text(settings.get("form_id")).strip()
        if self.template_key:
            key = self.template_key
        elif form_id:
            key = form_id.lower() if KEY_RE.match(form_id.lower()) else _slug(form_id, "form")
            if key != form_id.lower() and sheet is not None:
                self.skip(sheet, settings["_row"], _("the form_id \u201c{form_id}\u201d is not a valid key; the template key is \u201c{key}\u201d").format(
                    form_id=form_id, key=key))
        else:
            key = _slug(self.path.stem, "form")
        title: dict[str, str] = {}
        description: dict[str, str] = {}
        if sheet is not None and "_values" in settings:
            title = self.texts(sheet, settings["_values"], "likvard_title")
            description = self.texts(sheet, settings["_values"], "likvard_description")
        if not title:
            form_title = _cell_text(settings.get("form_title")).strip()
            title = {self.default_language: form_title or form_id or self.path.stem}
        data: dict[str, Any] = {
            "format": "likvard-template/1",
            "key": key,
            "default_language": self.default_language,
            "languages": list(self.languages),
            "title": title,
        }
        if description:
            data["description"] = description
        data["sections"] = sections
        return data


_LOC_RE = re.compile(r"^(sections(?:\[\d+\](?:\.items\[\d+\](?:\.options\[\d+\])?)?)?)(.*)$")


def _relocate(problem: Problem, locations: dict[str, str]) -> Problem:
    """``sections[1].items[2].label.fr`` -> ``survey!A9 (label.fr)``."""
    m = _LOC_RE.match(problem.location)
    if not m:
        return problem
    prefix, rest = m.group(1), m.group(2)
    while prefix not in locations and "." in prefix:
        cut = prefix.rindex(".")
        rest = prefix[cut:] + rest
        prefix = prefix[:cut]
    where = locations.get(prefix)
    if where is None:
        return problem
    rest = rest.lstrip(".")
    return Problem(f"{where} ({rest})" if rest else where, problem.message, problem.severity)


def read_xlsform(path: str | Path, *, template_key: str | None = None) -> XLSFormImport:
    """Read an XLSForm .xlsx into a template dict that passes ``parse_template``.

    Raises TemplateFormatError with located problems when the spreadsheet is malformed.
    """
    return _Importer(Path(path), template_key).run()


# --- writing --------------------------------------------------------------------------------------


def _as_content(data_or_content: Any) -> tuple[TemplateContent, str]:
    if isinstance(data_or_content, TemplateVersion):
        return data_or_content.content, str(data_or_content.number)
    if isinstance(data_or_content, TemplateContent):
        content = data_or_content
    else:
        content = parse_template(data_or_content)
    return content, content.content_hash()[:12]


def write_xlsform(data_or_content: Any, path: str | Path) -> None:
    """Write a template (dict, TemplateContent or TemplateVersion) as an XLSForm .xlsx, atomically."""
    from openpyxl import Workbook

    content, version = _as_content(data_or_content)
    langs = list(content.languages)

    survey_header = (
        ["type", "name"]
        + [_language_header("label", lang) for lang in langs]
        + [_language_header("hint", lang) for lang in langs]
        + ["required", "relevant", "constraint", "appearance", "likvard_type", "likvard_weight",
           "likvard_visible_when", "likvard_flag_when"]
        + [_language_header("likvard_flag_explanation", lang) for lang in langs]
    )
    col = {name: i for i, name in enumerate(survey_header)}
    survey_rows: list[list[Any]] = [survey_header]
    choice_rows: list[list[Any]] = [["list_name", "name"] + [_language_header("label", lang) for lang in langs]]
    shared_lists: dict[str, list[tuple[str, dict[str, str]]]] = {}

    def blank() -> list[Any]:
        return [None] * len(survey_header)

    def put_texts(row: list[Any], base: str, texts: dict[str, str]) -> None:
        for lang in langs:
            if texts.get(lang):
                row[col[_language_header(base, lang)]] = texts[lang]

    def put_condition(row: list[Any], cond: dict[str, Any] | None) -> None:
        if cond is None:
            return
        text, exact = _exact_xpath(cond)
        if text is not None:
            row[col["relevant"]] = text
        if not exact:
            row[col["likvard_visible_when"]] = json.dumps(cond, ensure_ascii=False)

    for section in content.sections:
        row = blank()
        row[col["type"]] = "begin group"
        row[col["name"]] = section.key
        put_texts(row, "label", section.title)
        put_condition(row, section.visible_when)
        survey_rows.append(row)
        for item in section.items:
            row = blank()
            if item.type in ("single_choice", "multiple_choice"):
                list_name = item.key
                row[col["type"]] = ("select_one " if item.type == "single_choice" else "select_multiple ") + list_name
                for option in item.options:
                    choice_rows.append([list_name, option.value] + [option.label.get(lang) or None for lang in langs])
            elif item.type == "yes_no_na":
                row[col["type"]] = f"select_one {YES_NO_NA_LIST}"
                shared_lists[YES_NO_NA_LIST] = [
                    (value, {lang: translate_in(lang, YES_NO_NA_LABELS[value]) for lang in langs}) for value in YES_NO_NA
                ]
            elif item.type == "scale":
                row[col["type"]] = f"select_one {SCALE_LIST}"
                shared_lists[SCALE_LIST] = [(value, {lang: value for lang in langs}) for value in SCALE_VALUES]
            else:
                row[col["type"]] = {
                    "short_text": "text", "long_text": "text", "integer": "integer", "decimal": "decimal",
                    "money": "decimal", "date": "date", "note": "note",
                }[item.type]
                if item.type == "long_text":
                    row[col["appearance"]] = "multiline"
            row[col["name"]] = item.key
            put_texts(row, "label", item.label)
            put_texts(row, "hint", item.guidance)
            if item.required:
                row[col["required"]] = "yes"
            bounds = []
            if item.minimum is not None:
                bounds.append(f". >= {_num_text(item.minimum)}")
            if item.maximum is not None:
                bounds.append(f". <= {_num_text(item.maximum)}")
            if bounds:
                row[col["constraint"]] = " and ".join(bounds)
            row[col["likvard_type"]] = item.type
            if item.weight != 1:
                row[col["likvard_weight"]] = _num_text(item.weight)
            put_condition(row, item.visible_when)
            if item.flag_when is not None:
                row[col["likvard_flag_when"]] = json.dumps(item.flag_when, ensure_ascii=False)
            put_texts(row, "likvard_flag_explanation", item.flag_explanation)
            survey_rows.append(row)
        end = blank()
        end[col["type"]] = "end group"
        survey_rows.append(end)
    for list_name, entries in shared_lists.items():
        for value, label in entries:
            choice_rows.append([list_name, value] + [label.get(lang) or None for lang in langs])

    settings_header = (
        ["form_title", "form_id", "version", "default_language"]
        + [_language_header("likvard_title", lang) for lang in langs]
        + [_language_header("likvard_description", lang) for lang in langs]
    )
    settings_row = (
        [content.title_in(content.default_language), content.key, version,
         f"{_display_language(content.default_language)} ({content.default_language})"]
        + [content.title.get(lang) or None for lang in langs]
        + [content.description.get(lang) or None for lang in langs]
    )

    wb = Workbook()
    sheets = [("survey", survey_rows), ("choices", choice_rows), ("settings", [settings_header, settings_row])]
    for index, (title, rows) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = title
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
        ws.freeze_panes = "A2"

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            wb.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

"""Reading XLSForm sheets: headers, languages, settings and choice lists."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.template import (
    LANG_RE,
)
from app.enums import Language
from app.errors import Problem, TemplateFormatError
from app.exchange.xlsform.common import (
    _CONTROL_RE,
    _DATE_TYPES,
    _DECIMAL_TYPES,
    _HEADER_ALIASES,
    _INTEGER_PRESETS,
    _INTEGER_TYPES,
    _NOTE_TYPES,
    _SELECT_MULTIPLE,
    _SELECT_ONE,
    _SELECT_RE,
    _TEXT_TYPES,
    _TRANSLATABLE,
    _UNSUPPORTED_TYPES,
    LANGUAGE_CODES,
    SkippedRow,
    _cell_text,
)
from app.fileio import read_file_bytes
from app.i18n import _

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls (Excel 97–2003) workbooks


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
    return _sheet_from_rows(ws.title, ws.iter_rows(min_row=1, values_only=True))


def _xls_rows(sheet: Any, datemode: int) -> list[tuple[Any, ...]]:
    """The cell values of an old-format (.xls) sheet, typed as openpyxl gives them."""
    import xlrd

    rows = []
    for r in range(sheet.nrows):
        values: list[Any] = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_BOOLEAN:
                values.append(bool(cell.value))
            elif cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    values.append(xlrd.xldate_as_datetime(cell.value, 1 if datemode else 0))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    values.append(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                values.append(None)
            else:
                values.append(cell.value)
        rows.append(tuple(values))
    return rows


def _sheet_from_rows(title: str, raw_rows: Any) -> _Sheet:
    rows = [(n, tuple(values)) for n, values in enumerate(raw_rows, start=1)]
    rows = [(n, values) for n, values in rows if any(_cell_text(v).strip() for v in values)]
    if not rows:
        return _Sheet(title, [], 1, {}, {})
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
    return _Sheet(title, rows[1:], header_row, plain, langs)


@dataclass
class _SectionDraft:
    key: str
    title: dict[str, str]
    row: int | None
    cond_rows: list[int]  # rows of the groups whose relevant applies, outer first
    items: list[_ItemDraft] = field(default_factory=list)
    nested: bool = False  # a nested group took over its place (an empty part is then not reported)
    had_rows: bool = False  # rows were in it, kept or not (empty only because of the import)


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
    path: tuple[str, ...] = ()  # group names and the name, for XPath references (../x, /data/g/x)


@dataclass
class _Frame:
    kind: str  # "group" or "repeat"
    row: int
    section: _SectionDraft | None = None
    key: str = ""
    title: dict[str, str] = field(default_factory=dict)
    cond_rows: list[int] = field(default_factory=list)
    parts: int = 1




class _WorkbookReader:
    """Opens the workbook and reads settings, languages and choice lists; the importer builds on it."""

    def __init__(self, path: Path, template_key: str | None) -> None:
        self.path = path
        self.template_key = template_key
        self.problems: list[Problem] = []
        self.skipped: list[SkippedRow] = []
        self.lang_of: dict[str, str] = {}  # language spec -> code
        self.languages: list[str] = []
        self.default_language: str = Language.EN
        self.plain_language: str = Language.EN

    # reporting
    def error(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def skip(self, sheet: _Sheet | str, row: int, reason: str, kind: str = "") -> None:
        title = sheet.title if isinstance(sheet, _Sheet) else sheet
        self.skipped.append(SkippedRow(title, row, reason, kind))

    # workbook
    def load(self) -> dict[str, _Sheet]:
        raw = read_file_bytes(self.path)
        if raw.startswith(_OLE2_MAGIC):
            return self.sheets_by_name(self.load_xls(raw))
        return self.load_xlsx(raw)

    def load_xls(self, raw: bytes) -> list[_Sheet]:
        """An Excel 97–2003 workbook (.xls), still common among XLSForms."""
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=raw, on_demand=True)
        except Exception:  # noqa: BLE001 - any damage in an untrusted file is the same user error
            raise TemplateFormatError(
                [Problem(self.path.name, _("not a readable .xls spreadsheet (Excel 97–2003): the file is damaged or of another kind"))],
                str(self.path),
            ) from None
        try:
            return [_sheet_from_rows(sheet.name, _xls_rows(sheet, book.datemode)) for sheet in book.sheets()]
        finally:
            book.release_resources()

    def sheets_by_name(self, found: list[_Sheet]) -> dict[str, _Sheet]:
        sheets: dict[str, _Sheet] = {}
        for sheet in found:
            lower = sheet.title.strip().lower()
            if lower in ("survey", "choices", "settings") and lower not in sheets:
                sheets[lower] = sheet
            elif sheet.rows or sheet.plain or sheet.langs:
                self.skip(sheet, sheet.header_row, _("the sheet “{sheet}” is not used").format(sheet=sheet.title), "sheet")
        return sheets

    def load_xlsx(self, raw: bytes) -> dict[str, _Sheet]:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(raw), read_only=False, data_only=True)
        except Exception:  # noqa: BLE001 - any damage in an untrusted zip/XML is the same user error
            raise TemplateFormatError(
                [Problem(self.path.name, _("not a readable .xlsx spreadsheet: the file is damaged or of another kind"))],
                str(self.path),
            ) from None
        try:
            found = [_read_sheet(ws) for ws in wb.worksheets]
        finally:
            wb.close()
        return self.sheets_by_name(found)

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
            ).format(language=spec, code=code), "language")
        self.lang_of[spec] = code
        return code

    def collect_languages(self, sheets: dict[str, _Sheet], settings: dict[str, Any]) -> None:
        spec = _cell_text(settings.get("default_language")).strip()
        settings_sheet = sheets.get("settings")
        settings_code = self.language_code(spec, settings_sheet) if spec and settings_sheet else None
        self.plain_language = settings_code or Language.EN
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
            if text and lang_spec in self.lang_of:  # a language seen only in other columns is not one of the template's
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
                self.skip(sheet, row, _("a choice without list_name is ignored"), "choice")
                continue
            if not name:
                self.error(sheet.where(row, "name"), _("the choice has no name"))
                continue
            if (list_name, name) in seen:
                if allow_duplicates:
                    self.skip(sheet, row, _("duplicate choice \u201c{name}\u201d in list \u201c{list}\u201d (first in row {other}) is left out").format(
                        name=name, list=list_name, other=seen[(list_name, name)]), "choice")
                else:
                    self.error(sheet.where(row, "name"), _("duplicate choice \u201c{name}\u201d in list \u201c{list}\u201d (first in row {other})").format(
                        name=name, list=list_name, other=seen[(list_name, name)]))
                continue
            seen[(list_name, name)] = row
            label = self.texts(sheet, values, "label")
            if not label:
                label = {self.default_language: name}
                self.skip(sheet, row, _("the choice \u201c{name}\u201d has no label; its name is used").format(name=name), "label")
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


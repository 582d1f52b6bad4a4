"""Writing a template as an XLSForm workbook."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.domain.template import (
    YES_NO_NA,
    TemplateContent,
    TemplateVersion,
    parse_template,
)
from app.errors import LikvardError, Problem
from app.exchange import NOT_IN_SHEETS
from app.exchange.xlsform.common import (
    SCALE_LIST,
    SCALE_VALUES,
    YES_NO_NA_LABELS,
    YES_NO_NA_LIST,
    _display_language,
    _language_header,
    _num_text,
)
from app.exchange.xlsform.expressions import _exact_xpath
from app.fileio import atomic_write_with
from app.i18n import _, translate_in


def _unwritable_cells(sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]], limit: int = 10) -> list[Problem]:
    """The cells whose text a spreadsheet cannot hold, located by sheet, row and column heading."""
    problems: list[Problem] = []
    for title, rows in sheets:
        header = rows[0] if rows else []
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                found = NOT_IN_SHEETS.search(value) if isinstance(value, str) else None
                if found is None:
                    continue
                column = header[c - 1] if c - 1 < len(header) and r > 1 else str(c)
                problems.append(Problem(
                    f"{title}!{r}:{column}",
                    _("the text holds a character a spreadsheet cannot (U+{code:04X}): remove it in the "
                      "template editor, then export again").format(code=ord(found.group()))))
                if len(problems) >= limit:
                    return problems
    return problems


def _as_content(data_or_content: Any) -> tuple[TemplateContent, str]:
    if isinstance(data_or_content, TemplateVersion):
        return data_or_content.content, str(data_or_content.number)
    if isinstance(data_or_content, TemplateContent):
        content = data_or_content
    else:
        content = parse_template(data_or_content)
    return content, content.content_hash()[:12]


def _sources_text(sources: list[str]) -> str:
    """One source a line, readable in a spreadsheet; a JSON list when lines would not read back the same."""
    if all(s == s.strip() and "\n" not in s and "\r" not in s for s in sources) and not sources[0].startswith("["):
        return "\n".join(sources)
    return json.dumps(sources, ensure_ascii=False)


def write_xlsform(data_or_content: Any, path: str | Path) -> Path:
    """Write a template (dict, TemplateContent or TemplateVersion) as an XLSForm .xlsx, atomically."""
    from openpyxl import Workbook

    content, version = _as_content(data_or_content)
    langs = list(content.languages)

    survey_header = (
        ["type", "name"]
        + [_language_header("label", lang) for lang in langs]
        + [_language_header("hint", lang) for lang in langs]
        + ["required", "relevant", "constraint", "appearance", "likvard_type", "likvard_weight",
           "likvard_visible_when", "likvard_flag_when", "likvard_private", "likvard_sources"]
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
            if item.private:
                row[col["likvard_private"]] = "yes"
            if item.sources:
                row[col["likvard_sources"]] = _sources_text(item.sources)
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

    sheets: list[tuple[str, Sequence[Sequence[Any]]]] = [
        ("survey", survey_rows), ("choices", choice_rows), ("settings", [settings_header, settings_row])]
    unwritable = _unwritable_cells(sheets)
    if unwritable:  # before anything is written: no file, not half of one
        raise LikvardError("\n".join([_("The template cannot be written as a spreadsheet; nothing was written:")]
                                     + [f"  {problem}" for problem in unwritable]))
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
        ws.freeze_panes = "A2"

    return atomic_write_with(path, wb.save)

"""Reading an XLSForm workbook into a template dict (the survey structure, items, conditions)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from app.domain.template import (
    KEY_RE,
    YES_NO_NA,
    parse_template,
)
from app.errors import Problem, TemplateFormatError
from app.exchange.xlsform.common import (
    _BASE_TYPE,
    _COMPATIBLE,
    _FALSE_WORDS,
    _SHEET_ORDER,
    _TRUE_WORDS,
    _UNSUPPORTED_COLUMNS,
    DEFAULT_SECTION_KEY,
    GENERAL_TITLE,
    OTHER_LABEL,
    XLSFormImport,
    _cell_text,
    _parse_number_text,
    _slug,
    _unique,
)
from app.exchange.xlsform.condition_reader import _ConditionReader
from app.exchange.xlsform.sheets import _Frame, _ItemDraft, _SectionDraft, _Sheet
from app.i18n import _, translate_in


class _Importer(_ConditionReader):
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

        sections, items = self.structure(survey, lists)
        self.by_name: dict[str, _ItemDraft] = {}
        self.by_lower: dict[str, _ItemDraft] = {}
        self.by_path: dict[tuple[str, ...], _ItemDraft] = {}
        self.by_key: dict[str, _ItemDraft] = {}
        for item in items:
            self.by_name.setdefault(item.name, item)
            self.by_lower.setdefault(item.name.lower(), item)
            self.by_path[item.path] = item
            self.by_key[item.key] = item
        group_conditions: dict[int, dict[str, Any] | None] = {}
        rows_by_number = dict(survey.rows)

        def condition(row: int, values: tuple[Any, ...]) -> dict[str, Any] | None:
            return self.condition(survey, row, values)

        data_sections: list[dict[str, Any]] = []
        locations: dict[str, str] = {"sections": survey.title}
        rows_of: dict[str, int] = {}
        for section in sections:
            if not section.items and (section.nested or section.had_rows):  # emptied by the import: left out
                if section.row is not None and not section.nested:
                    self.skip(survey, section.row, _("the group \u201c{name}\u201d holds no question a checklist can hold; it is left out").format(
                        name=section.key), "group")
                continue
            si = len(data_sections)
            conds = []
            for row in section.cond_rows:
                if row not in group_conditions:
                    group_conditions[row] = condition(row, rows_by_number[row])
                if group_conditions[row] is not None:
                    conds.append(group_conditions[row])
            sdata: dict[str, Any] = {"key": section.key, "title": self.placeholders(survey, section.row or 0, section.title)}
            if conds:
                sdata["visible_when"] = conds[0] if len(conds) == 1 else {"all_of": conds}
                rows_of[f"sections[{si}]"] = section.cond_rows[-1]
            sdata["items"] = []
            locations[f"sections[{si}]"] = survey.where(section.row) if section.row else survey.title
            for ii, item in enumerate(section.items):
                idata = self.item(survey, item, condition)
                sdata["items"].append(idata)
                locations[f"sections[{si}].items[{ii}]"] = survey.where(item.row)
                rows_of[f"sections[{si}].items[{ii}]"] = item.row
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
        content = self.checked(data, survey, locations, rows_of)
        self.skipped.sort(key=lambda s: (_SHEET_ORDER.get(s.sheet.lower(), 3), s.sheet, s.row))
        return XLSFormImport(content.to_dict(), self.skipped, {key: item.row for key, item in self.by_key.items()})

    def checked(self, data: dict[str, Any], survey: _Sheet, locations: dict[str, str], rows_of: dict[str, int]) -> Any:
        """parse_template, dropping (and reporting) a condition the template check refuses; any
        other problem refuses the file."""
        for _attempt in range(50):
            try:
                return parse_template(data)
            except TemplateFormatError as exc:
                dropped = False
                for problem in exc.problems:
                    m = _COND_LOC_RE.match(problem.location)
                    if not m:
                        continue
                    owner = _lookup(data, m.group(1))
                    field_name = m.group(2)
                    if isinstance(owner, dict) and field_name in owner:
                        del owner[field_name]
                        dropped = True
                        self.skip(survey, rows_of.get(m.group(1), 0), _("the condition is dropped: {problem}").format(
                            problem=problem.message), "condition")
                if not dropped:
                    raise TemplateFormatError([_relocate(p, locations) for p in exc.problems], str(self.path)) from None
        return parse_template(data)

    def structure(
        self, survey: _Sheet, lists: dict[str, list[tuple[str, dict[str, str], int]]]
    ) -> tuple[list[_SectionDraft], list[_ItemDraft]]:
        sections: list[_SectionDraft] = []
        items: list[_ItemDraft] = []
        self.skipped_paths: dict[tuple[str, ...], tuple[str, str]] = {}  # path -> (type, calculation)
        self.row_paths: dict[int, tuple[str, ...]] = {}
        names: dict[str, int] = {}
        item_keys: set[str] = set()
        section_keys: set[str] = set()
        stack: list[_Frame] = []
        path: list[str] = []
        top = _Frame("group", 0, key=DEFAULT_SECTION_KEY,
                     title={lang: translate_in(lang, GENERAL_TITLE) for lang in self.languages}, parts=0)

        def new_section(key: str, title: dict[str, str], row: int | None, cond_rows: list[int]) -> _SectionDraft:
            unique = _unique(key, section_keys)
            if unique != key and row is not None:
                self.skip(survey, row, _("the group name \u201c{name}\u201d is used twice; this group becomes section \u201c{key}\u201d").format(
                    name=key, key=unique), "rename")
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

        def touch() -> None:
            section = (stack[-1] if stack else top).section
            if section is not None:
                section.had_rows = True  # it had content, even if none of it is kept

        def left_out(name: str, type_text: str, values: tuple[Any, ...]) -> None:
            touch()
            if name:
                self.skipped_paths.setdefault((*path, name), (type_text, survey.text(values, "calculation")))

        repeat_depth = 0
        for row, values in survey.rows:
            type_text = survey.text(values, "type")
            name = survey.text(values, "name")
            self.row_paths[row] = (*path, name) if name else tuple(path)
            if repeat_depth:
                kind, _details = self.classify(type_text) if type_text else ("", {})
                if kind in ("begin_group", "begin_repeat"):
                    stack.append(_Frame(kind[6:], row))
                    path.append(name)
                    repeat_depth += kind == "begin_repeat"
                elif kind in ("end_group", "end_repeat"):
                    want = kind[4:]
                    if stack[-1].kind != want:
                        self.skip(survey, row, self.mismatch(want, stack[-1]), "group")
                        continue
                    frame = stack.pop()
                    path.pop()
                    if want == "repeat":
                        repeat_depth -= 1
                        if not repeat_depth:
                            self.skip(survey, frame.row, _("repeats are not supported: rows {first}\u2013{last} are left out").format(
                                first=frame.row, last=row), "repeat")
                else:
                    left_out(name, type_text, values)
                continue
            if not type_text:
                if name or any(_cell_text(v).strip() for v in values):
                    touch()
                    self.skip(survey, row, _("the row has no type"), "type")
                continue
            kind, details = self.classify(type_text)
            if kind == "begin_group":
                key = name.lower() if KEY_RE.match(name.lower()) else ""
                if not key:
                    key = _slug(name or _cell_text(next(iter(self.texts(survey, values, "label").values()), "")), "section")
                    self.skip(survey, row, _("the group name \u201c{name}\u201d is not a valid key; the section key is \u201c{key}\u201d").format(
                        name=name, key=key), "rename")
                title = self.texts(survey, values, "label") or {self.default_language: name or key}
                outer = stack[-1] if stack else None
                if outer is not None:
                    self.skip(survey, row, _("nested group \u201c{name}\u201d becomes a separate section").format(name=name or key), "group")
                    if outer.section is not None:
                        outer.section.nested = True
                    outer.section = None
                cond_rows = (outer.cond_rows if outer else []) + [row]
                frame = _Frame("group", row, key=key, title=title, cond_rows=cond_rows)
                frame.section = new_section(key, title, row, cond_rows)
                frame.key = frame.section.key
                stack.append(frame)
                path.append(name)
                continue
            if kind == "begin_repeat":
                touch()
                stack.append(_Frame("repeat", row))
                path.append(name)
                repeat_depth = 1
                continue
            if kind in ("end_group", "end_repeat"):
                want = kind[4:]
                if not stack or stack[-1].kind != want:
                    self.skip(survey, row, self.mismatch(want, stack[-1] if stack else None), "group")
                    continue
                stack.pop()
                path.pop()
                if stack:
                    stack[-1].section = None  # items after a nested group continue in a new section
                else:
                    top.section = None
                continue
            if kind in ("unsupported", "unknown"):
                left_out(name, details["type"].lower(), values)
                if kind == "unsupported":
                    reason = _("the type \u201c{type}\u201d cannot be represented in a checklist").format(type=details["type"])
                    if details["type"].lower() in ("calculate", "q calculate", "add calculate prompt"):
                        reason = _("a calculation (\u201c{name}\u201d) cannot be represented in a checklist; conditions that read it are dropped").format(
                            name=name)
                    self.skip(survey, row, reason, "calculate" if "calculate" in details["type"].lower() else "type")
                else:
                    self.skip(survey, row, _("unknown type \u201c{type}\u201d").format(type=details["type"]), "type")
                continue
            # a question or note
            if not name:
                if kind == "note":
                    name = f"note_{row}"
                else:
                    touch()
                    self.skip(survey, row, _("the question has no name and is left out"), "type")
                    continue
            other = names.get(name)
            names.setdefault(name, row)
            item = self.question(survey, row, values, name, kind, details, lists, item_keys, other)
            if item is None:
                left_out(name, type_text, values)
                continue
            item.path = (*path, name)
            items.append(item)
            current_section().items.append(item)
        for frame in reversed(stack):
            if frame.kind == "group":
                self.skip(survey, frame.row, _("\u201cbegin group\u201d has no matching \u201cend group\u201d; the group ends with the sheet"), "group")
            else:
                self.skip(survey, frame.row, _("\u201cbegin repeat\u201d has no matching \u201cend repeat\u201d; the rest of the sheet is left out"), "repeat")
        return sections, items

    def mismatch(self, want: str, frame: _Frame | None) -> str:
        if frame is None:
            if want == "group":
                return _("\u201cend group\u201d without a matching \u201cbegin group\u201d is ignored")
            return _("\u201cend repeat\u201d without a matching \u201cbegin repeat\u201d is ignored")
        if want == "group":
            return _("\u201cend group\u201d, but the repeat begun in row {row} is still open; the row is ignored").format(row=frame.row)
        return _("\u201cend repeat\u201d, but the group begun in row {row} is still open; the row is ignored").format(row=frame.row)

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
        other_row: int | None = None,
    ) -> _ItemDraft | None:
        item_type = _BASE_TYPE[base]
        likvard_type = survey.text(values, "likvard_type")
        if likvard_type:
            if likvard_type in _COMPATIBLE[base]:
                item_type = likvard_type
            else:
                self.skip(survey, row, _("likvard_type \u201c{likvard_type}\u201d does not fit the type \u201c{type}\u201d and is ignored").format(
                    likvard_type=likvard_type, type=survey.text(values, "type")), "column")
        elif base == "text" and "multiline" in survey.text(values, "appearance").lower().split():
            item_type = "long_text"
        options: list[tuple[str, dict[str, str], int | None]] = []
        if base in ("select_one", "select_multiple"):
            list_name = details["list_name"]
            if list_name not in lists:
                self.skip(survey, row, _("the choice list \u201c{list}\u201d is not on the choices sheet; the question is left out").format(
                    list=list_name), "choice")
                return None
            options = [(value, label, orow) for value, label, orow in lists[list_name]]
            if details.get("or_other"):
                if not any(value == "other" for value, _label, _row in options):
                    options.append(("other", {lang: translate_in(lang, OTHER_LABEL) for lang in self.languages}, None))
                self.skip(survey, row, _("\u201cor other\u201d: an option \u201cother\u201d is kept, the text field to specify it is not"), "column")
            if not likvard_type and base == "select_one" and sorted(v for v, _label, _row in options) == sorted(YES_NO_NA):
                item_type = "yes_no_na"
            if item_type in ("yes_no_na", "scale"):
                options = []
            elif len(options) < 2:
                self.skip(survey, row, _("the choice list \u201c{list}\u201d has fewer than two choices; the question is left out").format(
                    list=list_name), "choice")
                return None
        label = self.texts(survey, values, "label")
        if not any(t.strip() for t in label.values()):
            if base == "note":
                self.skip(survey, row, _("a note without text is left out"), "label")
                return None
            label = {self.default_language: name}
            self.skip(survey, row, _("the question \u201c{name}\u201d has no label; its name is used").format(name=name), "label")
        key = name.lower()
        if not KEY_RE.match(key):
            key = _slug(name)
        unique = _unique(key, item_keys)
        if other_row is not None:
            self.skip(survey, row, _("the name \u201c{name}\u201d is also used in row {other}; it is imported as \u201c{key}\u201d").format(
                name=name, other=other_row, key=unique), "rename")
        elif unique != name.lower() and key == name.lower():
            self.skip(survey, row, _("the name \u201c{name}\u201d is already used by a group; it is imported as \u201c{key}\u201d").format(
                name=name, key=unique), "rename")
        elif unique != name.lower():
            self.skip(survey, row, _("the name \u201c{name}\u201d is not a valid key; it is imported as \u201c{key}\u201d").format(
                name=name, key=unique), "rename")
        item_keys.add(unique)
        return _ItemDraft(row, values, name, unique, base, item_type, details.get("list_name"), details.get("or_other", False),
                          details.get("preset"), label, options)

    def item(self, survey: _Sheet, item: _ItemDraft, condition: Any) -> dict[str, Any]:
        values, row = item.values, item.row
        data: dict[str, Any] = {"key": item.key, "type": item.type, "label": self.placeholders(survey, row, item.label)}
        guidance = self.texts(survey, values, "hint")
        # guidance_hint, and the messages of a kept constraint or of "required", join the guidance
        extra = ["guidance_hint"]
        required = survey.cell(values, "required")
        required_text = _cell_text(required).strip().lower()
        if required is True or required_text in _TRUE_WORDS:
            if item.type == "note":
                self.skip(survey, row, _("a note cannot be required; \u201crequired\u201d is ignored"), "column")
            else:
                data["required"] = True
        elif required_text not in _FALSE_WORDS:
            self.skip(survey, row, _("the required condition \u201c{expression}\u201d is not supported; the question is optional").format(
                expression=_cell_text(required).strip()), "column")
        if item.options:
            data["options"] = [{"value": value, "label": self.placeholders(survey, row, label)} for value, label, _row in item.options]
        number_item = item.type in ("integer", "decimal", "money")
        low, high = item.preset if item.preset and number_item else (None, None)
        constraint = survey.text(values, "constraint")
        if constraint:
            bounds = self.min_max(survey, item, constraint) if number_item else None
            if bounds is None:
                if "string-length(.)" in constraint.replace(" ", ""):
                    reason = _("the constraint \u201c{expression}\u201d limits the length of the text, which a checklist does not check; it is left out")
                else:
                    reason = _("the constraint \u201c{expression}\u201d is not supported and is left out")
                self.skip(survey, row, reason.format(expression=constraint), "constraint")
            else:
                low = bounds[0] if bounds[0] is not None else low
                high = bounds[1] if bounds[1] is not None else high
                for note in bounds[2]:
                    self.skip(survey, row, note, "constraint")
                extra.append("constraint_message")
        extra.append("required_message")
        for column in extra:
            texts = self.texts(survey, values, column)
            if column == "required_message" and not data_required(survey, values):
                continue
            for lang, text in texts.items():
                guidance[lang] = f"{guidance[lang]}\n\n{text}" if guidance.get(lang) else text
        if guidance:
            data["guidance"] = self.placeholders(survey, row, guidance)
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
        private = survey.cell(values, "likvard_private")
        private_text = _cell_text(private).strip().lower()
        if private is True or private_text in _TRUE_WORDS:
            data["private"] = True
        elif private_text not in _FALSE_WORDS:  # never guess: a private item left public would be printed
            self.error(survey.where(row, "likvard_private"), _("\u201c{column}\u201d must be yes or no, not \u201c{value}\u201d").format(
                column="likvard_private", value=_cell_text(private).strip()))
        sources = self.sources(survey, row, survey.text(values, "likvard_sources"))
        if sources:
            data["sources"] = sources
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
                self.skip(survey, row, _("the column \u201c{column}\u201d is not supported and is ignored").format(column=column), "column")
        return data

    def sources(self, survey: _Sheet, row: int, text: str) -> list[str]:
        """``likvard_sources``: one source a line, or a JSON list of texts."""
        if not text.startswith("["):
            return [line.strip() for line in text.splitlines() if line.strip()]
        try:
            sources = json.loads(text)
        except (ValueError, RecursionError):
            sources = None
        if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
            self.error(survey.where(row, "likvard_sources"), _("must be one source a line or a JSON list of texts"))
            return []
        return sources

    def template(self, sheet: _Sheet | None, settings: dict[str, Any], sections: list[dict[str, Any]]) -> dict[str, Any]:
        form_id = _cell_text(settings.get("form_id")).strip()
        if self.template_key:
            key = self.template_key
        elif form_id:
            key = form_id.lower() if KEY_RE.match(form_id.lower()) else _slug(form_id, "form")
            if key != form_id.lower() and sheet is not None:
                self.skip(sheet, settings["_row"], _("the form_id \u201c{form_id}\u201d is not a valid key; the template key is \u201c{key}\u201d").format(
                    form_id=form_id, key=key), "rename")
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


_COND_LOC_RE = re.compile(r"^(sections\[\d+\](?:\.items\[\d+\])?)\.(visible_when|flag_when)\b")


def _lookup(data: dict[str, Any], location: str) -> Any:
    """``sections[1].items[2]`` -> that dict of ``data``."""
    node: Any = data
    for name, index in re.findall(r"(\w+)\[(\d+)\]", location):
        node = node.get(name, [])[int(index)] if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def data_required(survey: _Sheet, values: tuple[Any, ...]) -> bool:
    required = survey.cell(values, "required")
    return required is True or _cell_text(required).strip().lower() in _TRUE_WORDS


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



"""Reading an XLSForm's expressions into conditions and bounds: a reference to another question
(by name, path or a relative ./ ../ path), a `relevant` or `constraint` in the supported subset,
each compared in the referenced item's own type, ${name} placeholders in labels, and min/max.
What cannot be kept is reported row by row (``skip``), never a reason to refuse the file."""

from __future__ import annotations

import json
import re
from typing import Any

from app.domain.conditions import item_references
from app.domain.template import (
    YES_NO_NA,
    unstorable_values,
)
from app.exchange.xlsform.common import (
    _parse_number_text,
)
from app.exchange.xlsform.expressions import (
    _FLIP,
    PATH_PREFIX,
    _ExprError,
    _number,
    _Token,
    _tokenize,
    parse_relevant,
)
from app.exchange.xlsform.sheets import _ItemDraft, _Sheet, _WorkbookReader
from app.i18n import _

_VALUE_OPS = ("equals", "not_equals", "in", "not_in", "contains")
_PLACEHOLDER_RE = re.compile(r"\$\{\s*([^}\s]+)\s*\}")


def _code_text(value: Any) -> str:
    """A number written for a choice code, as the code's text: 1 -> "1", 1.5 -> "1.5"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _ConditionReader(_WorkbookReader):
    """The expression half of the importer (the survey structure is in reader.py)."""

    by_name: dict[str, _ItemDraft]
    by_lower: dict[str, _ItemDraft]
    by_path: dict[tuple[str, ...], _ItemDraft]
    by_key: dict[str, _ItemDraft]
    row_paths: dict[int, tuple[str, ...]]
    skipped_paths: dict[tuple[str, ...], tuple[str, str]]

    def resolve(self, ref: str, row: int) -> tuple[_ItemDraft | None, tuple[str, str] | None]:
        """The item a reference names (``${name}`` or an XPath path relative to ``row``), or
        what the left-out row it names was (type, calculation)."""
        if ref.startswith(PATH_PREFIX):
            text = ref[len(PATH_PREFIX):]
            if text.startswith("/"):
                parts = [p for p in text.split("/") if p][1:]  # /data/...: the root's name is the form's
                target: list[str] = []
            else:
                parts = [p for p in text.split("/") if p]
                target = list(self.row_paths.get(row, ()))
            for part in parts:
                if part == ".":
                    continue
                if part == "..":
                    if target:
                        target.pop()
                    continue
                target.append(part)
            found = self.by_path.get(tuple(target))
            if found is not None:
                return found, None
            if tuple(target) in self.skipped_paths:
                return None, self.skipped_paths[tuple(target)]
            name = target[-1] if target else ""
        else:
            name = ref
        item = self.by_name.get(name) or self.by_lower.get(name.lower())
        if item is not None:
            return item, None
        for path, what in self.skipped_paths.items():
            if path and path[-1] == name:
                return None, what
        return None, None

    def condition(self, survey: _Sheet, row: int, values: tuple[Any, ...]) -> dict[str, Any] | None:
        """The visible_when of a row: likvard_visible_when (JSON) wins over relevant. What is
        outside the supported subset is dropped and reported; it never refuses the file."""
        raw_json = survey.text(values, "likvard_visible_when")
        if raw_json:
            return self.json_condition(survey, row, "likvard_visible_when", raw_json)
        cell = survey.cell(values, "relevant")
        if isinstance(cell, bool):
            if not cell:
                self.skip(survey, row, _("the relevant cell is FALSE (never shown); the condition is dropped and the row is always shown"),
                          "condition")
            return None
        text = survey.text(values, "relevant")
        if not text or text.lower() == "true":
            return None
        try:
            cond = parse_relevant(text)
        except ValueError as exc:
            self.skip(survey, row, _("the relevant expression \u201c{expression}\u201d is outside what a checklist can hold ({problem}); the condition is dropped").format(
                expression=text, problem=exc), "condition")
            return None
        for node in list(item_references(cond)):
            item, what = self.resolve(node["item"], row)
            shown = node["item"][len(PATH_PREFIX):] if node["item"].startswith(PATH_PREFIX) else node["item"]
            if item is None:
                if what is not None and "calculate" in what[0]:
                    self.skip(survey, row, _("the relevant expression reads the calculated value \u201c{name}\u201d ({calculation}), which a checklist cannot compute; the condition is dropped").format(
                        name=shown, calculation=what[1] or "?"), "calculate")
                elif what is not None:
                    self.skip(survey, row, _("the relevant expression refers to \u201c{name}\u201d, which is left out; the condition is dropped").format(
                        name=shown), "condition")
                else:
                    self.skip(survey, row, _("the relevant expression refers to \u201c{name}\u201d, which is not a question of this form; the condition is dropped").format(
                        name=shown), "condition")
                return None
            node["item"] = item.key
        typed = self.typed_condition(survey, row, cond)
        if typed is True:
            return None
        if typed is False:
            self.skip(survey, row, _("the relevant expression \u201c{expression}\u201d can never be true; the condition is dropped, so the question is always shown").format(
                expression=text), "condition")
            return None
        return typed

    def typed_condition(self, survey: _Sheet, row: int, cond: Any) -> Any:
        """Values in the type of the item they compare with (choice codes as text); a comparison
        with a choice that does not exist is fixed when only its case differs, otherwise replaced
        by what it always gives (reported). Returns the condition, or True/False when constant."""
        if "all_of" in cond or "any_of" in cond:
            key = "all_of" if "all_of" in cond else "any_of"
            parts = []
            for part in cond[key]:
                typed = self.typed_condition(survey, row, part)
                if typed is (key == "all_of"):
                    continue  # true in all_of, false in any_of: no effect
                if typed is (key != "all_of"):
                    return typed  # false in all_of, true in any_of: decides
                parts.append(typed)
            if not parts and cond[key]:
                return key == "all_of"
            return parts[0] if len(parts) == 1 else {key: parts}
        if "not" in cond:
            inner = self.typed_condition(survey, row, cond["not"])
            return (not inner) if isinstance(inner, bool) else {"not": inner}
        item = self.by_key.get(cond.get("item", ""))
        op = cond.get("op")
        if item is None or "value" not in cond or isinstance(cond["value"], dict) or op not in _VALUE_OPS:
            return cond
        if item.type in ("single_choice", "multiple_choice", "yes_no_na"):
            codes = [value for value, _label, _row in item.options] if item.options else list(YES_NO_NA)
            lowered = {code.lower(): code for code in codes}
            values = cond["value"] if isinstance(cond["value"], list) else [cond["value"]]
            kept = []
            for value in values:
                text = value if isinstance(value, str) else _code_text(value)
                if text in codes:
                    kept.append(text)
                elif text.lower() in lowered:
                    kept.append(lowered[text.lower()])
                    self.skip(survey, row, _("the condition compares \u201c{name}\u201d with \u201c{value}\u201d, which is not one of its choices; read as \u201c{code}\u201d").format(
                        name=item.name, value=value, code=lowered[text.lower()]), "choice")
                else:
                    self.skip(survey, row, _("the condition compares \u201c{name}\u201d with \u201c{value}\u201d, which is not one of its choices; that comparison is dropped").format(
                        name=item.name, value=value), "choice")
            if not kept:
                return op in ("not_equals", "not_in")  # never equal: "not equal" always holds
            return {**cond, "value": kept if isinstance(cond["value"], list) else kept[0]}
        if item.type in ("integer", "decimal", "money") and op in ("equals", "not_equals", "in", "not_in"):
            values = cond["value"] if isinstance(cond["value"], list) else [cond["value"]]
            numbers = [_parse_number_text(v) if isinstance(v, str) else v for v in values]
            if any(n is None for n in numbers):
                self.skip(survey, row, _("the condition compares the number \u201c{name}\u201d with a text; that comparison is dropped").format(
                    name=item.name), "condition")
                return op in ("not_equals", "not_in")
            return {**cond, "value": numbers if isinstance(cond["value"], list) else numbers[0]}
        return cond

    def placeholders(self, survey: _Sheet, row: int, texts: dict[str, str]) -> dict[str, str]:
        """``${name}`` in a text becomes ``${key}`` (the answer is shown there) where the item
        exists; a placeholder that points nowhere is stripped and reported."""
        out: dict[str, str] = {}
        missing: list[str] = []

        def replace(m: re.Match[str]) -> str:
            item, _what = self.resolve(m.group(1), row)
            if item is None:
                missing.append(m.group(1))
                return ""
            return "${" + item.key + "}"

        for lang, text in texts.items():
            new = _PLACEHOLDER_RE.sub(replace, text) if "${" in text else text
            out[lang] = re.sub(r"[ \t]{2,}", " ", new).strip() if new != text else new
            if not out[lang].strip():
                out[lang] = text.replace("${", "").replace("}", "")
        if missing:
            self.skip(survey, row, _("the placeholder \u201c${{{name}}}\u201d in a text refers to no question of the checklist; it is removed").format(
                name=missing[0]), "placeholder")
        return out

    def json_condition(self, survey: _Sheet, row: int, column: str, text: str) -> dict[str, Any] | None:
        try:
            cond = json.loads(text)
        except json.JSONDecodeError as exc:
            self.error(survey.where(row, column), _("invalid JSON: {error}").format(error=exc.msg))
            return None
        except (ValueError, RecursionError):  # a number over 4 300 digits, or absurd nesting
            self.error(survey.where(row, column), _("invalid JSON: {error}").format(
                error=_("too deeply nested or a number too large")))
            return None
        unstorable = unstorable_values(cond)
        if unstorable:
            self.error(survey.where(row, column), unstorable[0].message)
            return None
        if not isinstance(cond, dict):
            self.error(survey.where(row, column), _("a condition must be a JSON object"))
            return None
        return cond

    def min_max(self, survey: _Sheet, item: _ItemDraft, text: str) -> tuple[Any, Any, list[str]] | None:
        """``. >= 0 and . <= 100`` -> (0, 100, notes); strict bounds (``. > 0``) on whole numbers
        become inclusive ones (1); ``... or . = 99`` (a "don't know" code) widens the range so
        that the code stays possible. None when the constraint is anything else."""
        try:
            tokens = _tokenize(text)[:-1]
        except _ExprError:
            return None
        tokens = [t for t in tokens if not (t.kind == "op" and t.text in ("(", ")"))]
        alternatives: list[list[_Token]] = [[]]
        for tok in tokens:
            if tok.kind == "name" and tok.text.lower() == "or":
                alternatives.append([])
            else:
                alternatives[-1].append(tok)
        whole = item.type == "integer"
        notes: list[str] = []
        low = high = None
        codes: list[Any] = []
        for ai, alternative in enumerate(alternatives):
            parts: list[list[_Token]] = [[]]
            for tok in alternative:
                if tok.kind == "name" and tok.text.lower() == "and":
                    parts.append([])
                else:
                    parts[-1].append(tok)
            if ai > 0 and len(parts) == 1 and len(parts[0]) == 3 and parts[0][1].text == "=":
                a, b = parts[0][0], parts[0][2]
                if a.kind == "dot" and b.kind == "num":
                    codes.append(_number(b.text))
                    continue
                if b.kind == "dot" and a.kind == "num":
                    codes.append(_number(a.text))
                    continue
                return None
            if ai > 0:
                return None
            for part in parts:
                if len(part) != 3 or part[1].kind != "op" or part[1].text not in ("<=", ">=", "<", ">"):
                    return None
                if part[0].kind == "dot" and part[2].kind == "num":
                    op, num = part[1].text, part[2].text
                elif part[2].kind == "dot" and part[0].kind == "num":
                    op, num = _FLIP[part[1].text], part[0].text
                else:
                    return None
                bound = _number(num)
                if op in ("<", ">"):
                    if whole and isinstance(bound, int):
                        bound = bound + 1 if op == ">" else bound - 1
                    else:
                        notes.append(_("the strict bound \u201c{op} {number}\u201d is kept as \u201c{op}=\u201d").format(op=op, number=num))
                    op += "="
                if op == ">=" and low is None:
                    low = bound
                elif op == "<=" and high is None:
                    high = bound
                else:
                    return None
        for code in codes:
            if high is not None and code > high:
                notes.append(_("\u201cor . = {code}\u201d: the maximum {high} is left out so that {code} stays possible").format(
                    code=code, high=high))
                high = None
            elif low is not None and code < low:
                notes.append(_("\u201cor . = {code}\u201d: the minimum {low} is left out so that {code} stays possible").format(
                    code=code, low=low))
                low = None
        return low, high, notes

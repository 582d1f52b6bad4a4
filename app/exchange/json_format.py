"""The JSON template file format (``checklists/template.schema.json``): read and write.

Reading validates everything before anything is stored and reports every problem with its
location; writing produces the canonical text, so import then export is byte-stable.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.domain.template import MAX_NESTING, MAX_NUMBER, TemplateContent, parse_template
from app.errors import Problem, TemplateFormatError
from app.fileio import atomic_write_bytes, read_file_bytes
from app.i18n import _

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")
_LONG_NUMBER = re.compile(r"\d{16,}")


def _blank_strings(text: str) -> str:
    """``text`` with every JSON string's content blanked, same length, so brackets and digits
    inside strings are not counted and offsets stay true."""
    return _STRING.sub(lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return _("line {line}, column {column}").format(line=line, column=column)


def _too_deep(text: str) -> int | None:
    """The offset where the nesting passes MAX_NESTING (json.loads would recurse out of stack)."""
    depth = 0
    for match in _BRACKET.finditer(_blank_strings(text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_NESTING:
            return match.start()
    return None


def parse_template_text(text: str | bytes, source: str | None = None) -> TemplateContent:
    """Parse template JSON text; raise TemplateFormatError with located problems."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TemplateFormatError([Problem("", _("the file is not UTF-8 text (byte {position})").format(position=exc.start))], source) from None
    deep = _too_deep(text)
    if deep is not None:
        raise TemplateFormatError([Problem(_where(text, deep), _("nested more than {limit} levels deep").format(
            limit=MAX_NESTING))], source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateFormatError(
            [Problem(_("line {line}, column {column}").format(line=exc.lineno, column=exc.colno), _("invalid JSON: {error}").format(error=exc.msg))],
            source,
        ) from None
    except (ValueError, RecursionError):  # a number over Python's 4 300-digit limit
        match = _LONG_NUMBER.search(_blank_strings(text))
        where = _where(text, match.start()) if match else ""
        raise TemplateFormatError([Problem(where, _("the number is too large (at most {limit} digits)").format(
            limit=len(str(MAX_NUMBER))))], source) from None
    try:
        return parse_template(data)
    except TemplateFormatError as exc:
        raise TemplateFormatError(exc.problems, source) from None


def read_template_file(path: str | Path) -> TemplateContent:
    """Read and validate a template JSON file."""
    p = Path(path)
    return parse_template_text(read_file_bytes(p), str(p))


def write_template_file(content: TemplateContent, path: str | Path) -> Path:
    """Write the canonical JSON of ``content`` atomically."""
    return atomic_write_bytes(path, content.canonical_json().encode("utf-8"))

"""The JSON template file format (``checklists/template.schema.json``): read and write.

Reading validates everything before anything is stored and reports every problem with its
location; writing produces the canonical text, so import then export is byte-stable.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.domain.template import TemplateContent, parse_template
from app.errors import Problem, TemplateFormatError
from app.fileio import atomic_write_bytes, read_file_bytes
from app.i18n import _


def parse_template_text(text: str | bytes, source: str | None = None) -> TemplateContent:
    """Parse template JSON text; raise TemplateFormatError with located problems."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TemplateFormatError([Problem("", _("the file is not UTF-8 text (byte {position})").format(position=exc.start))], source) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateFormatError(
            [Problem(_("line {line}, column {column}").format(line=exc.lineno, column=exc.colno), _("invalid JSON: {error}").format(error=exc.msg))],
            source,
        ) from None
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

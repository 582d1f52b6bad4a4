"""The template file formats, chosen by suffix in this one place.

Every caller (the template service, hence the CLI and the GUI) asks :func:`format_for` which
reader or writer a file name means, and the file dialogs take their filter text from
:func:`open_filter` and :func:`save_filter`. A suffix that no format claims is refused with a
translated error naming the accepted ones, for reading and for writing alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.template import TemplateContent, parse_template
from app.errors import LikvardError
from app.i18n import N_, _


class UnsupportedFormatError(LikvardError):
    """The file name's suffix is not a template format Likvärd reads (or writes)."""


@dataclass
class ReadTemplate:
    """What a reader found: the content and the rows it could not represent (XLSForm only)."""

    content: TemplateContent
    skipped: list = field(default_factory=list)  # list[SkippedRow]
    item_rows: dict[str, int] = field(default_factory=dict)  # item key -> its survey row (XLSForm only)


def _read_json(path: Path) -> ReadTemplate:
    from app.exchange.json_format import read_template_file

    return ReadTemplate(read_template_file(path))


def _write_json(content: TemplateContent, path: Path) -> Path:
    from app.exchange.json_format import write_template_file

    return write_template_file(content, path)


def _read_xlsform(path: Path) -> ReadTemplate:
    from app.exchange.xlsform import read_xlsform

    result = read_xlsform(path)
    return ReadTemplate(parse_template(result.data), list(result.skipped), dict(result.item_rows))


def _write_xlsform(content: TemplateContent, path: Path) -> Path:
    from app.exchange.xlsform import write_xlsform

    return write_xlsform(content, path)


@dataclass(frozen=True)
class TemplateFormat:
    """One template file format: its suffixes, its name for file dialogs, its reader and writer."""

    name: str  # N_-marked, translated when shown
    read_suffixes: tuple[str, ...]
    write_suffixes: tuple[str, ...]
    read: Callable[[Path], ReadTemplate]
    write: Callable[[TemplateContent, Path], Path]


# .xlsm is read (a macro-enabled workbook is an .xlsx with macros, which are ignored) but not
# written: a workbook saved without macros under .xlsm is refused by Excel. The old .xls format
# (Excel 97–2003, still common among XLSForms) is read, never written.
FORMATS: tuple[TemplateFormat, ...] = (
    TemplateFormat(N_("JSON template"), (".json",), (".json",), _read_json, _write_json),
    TemplateFormat(N_("XLSForm spreadsheet"), (".xlsx", ".xlsm", ".xls"), (".xlsx",), _read_xlsform, _write_xlsform),
)


def _suffixes(writing: bool) -> list[str]:
    return [s for f in FORMATS for s in (f.write_suffixes if writing else f.read_suffixes)]


def format_for(path: str | Path, *, writing: bool = False) -> TemplateFormat:
    """The format that reads (or writes) ``path``, by its suffix; UnsupportedFormatError otherwise."""
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS:
        if suffix in (fmt.write_suffixes if writing else fmt.read_suffixes):
            return fmt
    accepted = ", ".join(_suffixes(writing))
    if writing:
        message = _("{name}: a template can only be exported as {accepted}.")
    else:
        message = _("{name}: a template can only be imported from {accepted}.")
    raise UnsupportedFormatError(message.format(name=Path(path).name, accepted=accepted))


def open_filter() -> str:
    """The file-dialog filter for importing: every readable format, then each one."""
    every = " ".join(f"*{s}" for s in _suffixes(False))
    parts = [_("Templates ({patterns})").format(patterns=every)]
    parts += [f"{_(f.name)} ({' '.join('*' + s for s in f.read_suffixes)})" for f in FORMATS]
    return ";;".join(parts)


def save_filter() -> str:
    """The file-dialog filter for exporting, one entry per writable format."""
    return ";;".join(f"{_(f.name)} ({' '.join('*' + s for s in f.write_suffixes)})" for f in FORMATS)

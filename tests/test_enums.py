"""Statuses and languages have one source, app/enums.py: no bare literal restates them in app/,
and every list of choices (CLI, i18n, labels, catalogs) agrees with the enums."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest

from app import cli, i18n
from app.domain.assessment import STATUS_LABELS
from app.domain.template import VERSION_STATUS_LABELS
from app.enums import (
    ASSESSMENT_STATUSES,
    LANGUAGE_CODES,
    LANGUAGE_NAMES,
    VERSION_STATUSES,
    AssessmentStatus,
    Language,
    VersionStatus,
)
from tests.conftest import ROOT

STATUS_VALUES = frozenset(ASSESSMENT_STATUSES) | frozenset(VERSION_STATUSES)
LANGUAGE_VALUES = frozenset(LANGUAGE_CODES)
#: Calls whose string arguments are messages to translate ("draft" is also a word to show).
MESSAGE_CALLS = frozenset({"_", "N_", "ngettext", "pgettext", "translate_in"})
#: Converted to app.enums separately (issue 9); drop a name here once its script uses the enums.
#: data, not logic: its reword("sv", ...) calls name the language of the text they correct
SCRIPTS_NOT_YET_CHECKED = frozenset({"build_checklists.py"})


def _checked_files() -> list[Path]:
    files = [p for p in (ROOT / "app").rglob("*.py")
             if p != ROOT / "app" / "enums.py" and "migrations" not in p.relative_to(ROOT / "app").parts]
    files += [p for p in (ROOT / "scripts").glob("*.py") if p.name not in SCRIPTS_NOT_YET_CHECKED]
    return sorted(files)


def bare_literals(source: str) -> list[tuple[int, str]]:
    """(line, value) of each status or language code written as a string literal.

    Allowed: docstrings, messages to translate (``N_("draft")``) and the values of a dict literal
    (a table of foreign names mapping to codes, e.g. XLSForm's ``"svenska": "sv"``); a dict's keys,
    a comparison, a default or a list of choices must use the enums.
    """
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in MESSAGE_CALLS:
                allowed.update(id(arg) for arg in node.args)
        elif isinstance(node, ast.Dict):
            allowed.update(id(value) for value in node.values)
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and node.value in STATUS_VALUES | LANGUAGE_VALUES and id(node) not in allowed)


def test_no_bare_status_or_language_literal_outside_enums() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}: {value!r}"
             for path in _checked_files()
             for line, value in bare_literals(path.read_text(encoding="utf-8"))]
    assert found == [], "use app.enums (AssessmentStatus, VersionStatus, Language, LANGUAGE_CODES):\n" + "\n".join(found)


def test_the_checker_finds_what_it_must_and_only_that() -> None:
    source = '''
"""Module docstring mentioning "signed"."""
LABELS = {Status.DRAFT: N_("draft")}
NAMES = {"svenska": "sv"}
def f(row):
    """A draft is "draft"."""
    msg = _("signed")
    if row.status == "signed":
        return ["en", "sv", "fr"]
    return {"en": "en_GB"}, row.get("lang", "fr"), ngettext("draft", "drafts", 2)
'''
    assert bare_literals(source) == [(8, "signed"), (9, "en"), (9, "fr"), (9, "sv"), (10, "en"), (10, "fr")]


def test_the_checker_covers_the_packages_and_leaves_out_migrations() -> None:
    files = {p.relative_to(ROOT).as_posix() for p in _checked_files()}
    for expected in ("app/cli.py", "app/domain/template.py", "app/storage/models.py", "app/storage/insights.py",
                     "app/services/records.py", "app/exchange/assessment_format.py", "app/pdf/summary.py",
                     "app/i18n.py", "scripts/screenshots.py", "scripts/i18n.py"):
        assert expected in files
    assert not any("migrations" in f or f == "app/enums.py" for f in files)


def _choices(parser: argparse.ArgumentParser, option: str) -> dict[str, tuple[str, ...]]:
    """The choices of ``option`` in the parser and every subcommand, by command path."""
    found: dict[str, tuple[str, ...]] = {}

    def walk(p: argparse.ArgumentParser, path: str) -> None:
        for action in p._actions:
            if option in action.option_strings:
                found[path] = tuple(action.choices or ())
            if isinstance(action, argparse._SubParsersAction):
                for name, subparser in action.choices.items():
                    walk(subparser, f"{path} {name}".strip())

    walk(parser, "")
    return found


def test_cli_choices_are_the_enums() -> None:
    langs = _choices(cli._parser(), "--lang")
    assert len(langs) > 10  # the top level and every subcommand
    assert set(langs.values()) == {LANGUAGE_CODES}
    assert _choices(cli._parser(), "--status") == {"assessments list": ASSESSMENT_STATUSES}


def test_languages_agree_everywhere() -> None:
    assert i18n.SUPPORTED_LANGUAGES == LANGUAGE_CODES == tuple(Language)
    assert LANGUAGE_CODES[0] == Language.EN  # the fallback of every catalog comes first
    assert set(LANGUAGE_NAMES) == set(LANGUAGE_CODES) == set(i18n._BABEL_LOCALES)
    assert {i18n.babel_locale(lang)[:2] for lang in LANGUAGE_CODES} == set(LANGUAGE_CODES)
    catalogs = {p.parent.parent.name for p in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po")}
    assert catalogs == set(LANGUAGE_CODES)  # English has its catalog too
    for lang in LANGUAGE_CODES:
        assert i18n.normalize_language(lang.upper() + "_XX.UTF-8") == lang


def test_statuses_agree_with_their_labels() -> None:
    assert set(STATUS_LABELS) == set(AssessmentStatus) and set(VERSION_STATUS_LABELS) == set(VersionStatus)
    assert ASSESSMENT_STATUSES == ("draft", "completed", "signed")
    assert VERSION_STATUSES == ("draft", "published", "retired")


@pytest.mark.parametrize("member", [*AssessmentStatus, *VersionStatus, *Language])
def test_a_member_is_its_string(member: AssessmentStatus | VersionStatus | Language) -> None:
    """Stored as plain text and written as-is to JSON: an old string read back compares equal."""
    import json

    assert member == member.value and str(member) == member.value and f"{member}" == member.value
    assert json.dumps({"status": member}) == json.dumps({"status": member.value})

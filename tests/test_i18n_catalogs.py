"""The gettext catalogs: valid, complete in sv and fr, placeholders kept, .pot in step with the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import i18n as workflow  # noqa: E402  (scripts/i18n.py)

CATALOGS = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))


def test_every_language_has_a_catalog():
    assert {p.parent.parent.name for p in CATALOGS} == {"en", "sv", "fr"}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_msgfmt_check_passes(po, tmp_path):
    result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang", ["sv", "fr"])
def test_no_empty_fuzzy_or_broken_placeholder_in(lang):
    problems = workflow.catalog_problems(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", lang)
    assert problems == []


def test_the_check_catches_a_changed_or_dropped_placeholder(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Imported {key} version {number}."\nmsgstr "Importerade {nyckel} version {number}."\n\n'
        'msgid "Cannot write {path}: {error}"\nmsgstr "Kan inte skriva {path}."\n\n'
        'msgid "Fine {x}"\nmsgstr "Bra {x}"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Fuzzy"\nmsgstr "Luddig"\n',
        encoding="utf-8",
    )
    problems = workflow.catalog_problems(po, "sv")
    assert len(problems) == 4
    assert any("Imported" in p for p in problems) and any("Cannot write" in p for p in problems)
    assert not any("Fine" in p for p in problems)


def test_pot_is_up_to_date_with_the_code(tmp_path):
    """Fails when a string was added or changed in the code without `python scripts/i18n.py extract`."""
    out = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", *workflow.KEYWORDS,
                    "--no-location", "--sort-output", "-o", str(out), "app", "ui"], cwd=ROOT, check=True,
                   capture_output=True)

    def ids(path: Path) -> set:
        with path.open("rb") as fh:
            return {m.id for m in read_po(fh) if m.id}

    committed, fresh = ids(ROOT / "translations" / "messages.pot"), ids(out)
    assert fresh - committed == set(), "strings missing from messages.pot: run scripts/i18n.py extract + update"
    assert committed - fresh == set(), "obsolete strings in messages.pot: run scripts/i18n.py extract + update"


def test_catalogs_follow_the_pot():
    with (ROOT / "translations" / "messages.pot").open("rb") as fh:
        pot = {m.id for m in read_po(fh) if m.id}
    for lang in ("sv", "fr"):
        with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            po = {m.id for m in read_po(fh) if m.id}
        assert pot - po == set(), lang


def test_runtime_translation_and_plurals():
    i18n.set_language("sv")
    try:
        assert i18n._("No assessments.") != "No assessments."
        one = i18n.ngettext("{count} assessment", "{count} assessments", 1).format(count=1)
        many = i18n.ngettext("{count} assessment", "{count} assessments", 3).format(count=3)
        assert one != many and "3" in many
    finally:
        i18n.set_language("en")
    assert i18n.translate_in("fr", "No assessments.") != "No assessments."
    assert i18n._("No assessments.") == "No assessments."


def test_a_checkout_keeps_the_catalog_it_compiled(tmp_path, monkeypatch):
    """From a checkout (a .po, no .mo) the catalog is compiled once and kept beside it, so the next
    start reads the .mo without babel's catalog tools; a newer .po is compiled again; a read-only
    folder still gets its translations (in memory)."""
    import os

    import babel.messages.pofile as pofile

    folder = tmp_path / "translations" / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    shutil.copy(ROOT / "translations" / "sv" / "LC_MESSAGES" / "messages.po", po)
    mo = folder / "messages.mo"
    monkeypatch.setattr(i18n, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    assert i18n._load_catalog("sv").gettext("Case &list") == "Ärende&lista"
    assert mo.is_file() and not list(folder.glob(".*.tmp"))
    compiled = mo.read_bytes()

    calls = []
    real_read_po = pofile.read_po
    monkeypatch.setattr(pofile, "read_po", lambda *a, **k: calls.append(1) or real_read_po(*a, **k))
    assert i18n._load_catalog("sv").gettext("Case &list") == "Ärende&lista"
    assert calls == []  # read from the kept .mo
    later = mo.stat().st_mtime + 10
    os.utime(po, (later, later))  # the .po edited after
    assert i18n._load_catalog("sv").gettext("Case &list") == "Ärende&lista"
    assert calls == [1] and mo.read_bytes() == compiled and mo.stat().st_mtime >= later

    mo.unlink()  # a folder that cannot take the file (as root, a directory where the temporary file goes)
    import threading

    blocker = folder / f".messages.mo.{os.getpid()}.{threading.get_ident()}.tmp"
    blocker.mkdir()
    assert i18n._load_catalog("sv").gettext("Case &list") == "Ärende&lista"
    assert not mo.exists() and blocker.is_dir()

"""The command line and the template window accept the same template formats and give the same
outcome and the same error text for each file (both go through TemplateService.import_file)."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain.template import parse_template
from app.exchange.xlsform import write_xlsform
from tests.conftest import DATA, run_cli
from tests.ui.conftest import when_modal


def _content(key: str):
    data = json.loads((DATA / "all_types.json").read_text(encoding="utf-8"))
    data["key"] = key
    return parse_template(data)


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "fmt_json.json").write_text(_content("fmt_json").canonical_json(), encoding="utf-8")
    write_xlsform(_content("fmt_xlsx"), folder / "fmt_xlsx.xlsx")
    write_xlsform(_content("fmt_xlsm"), folder / "tmp.xlsx")
    shutil.move(folder / "tmp.xlsx", folder / "fmt_xlsm.xlsm")
    (folder / "notes.txt").write_text("{}", encoding="utf-8")
    (folder / "malformed.json").write_text('{"key": "x", ', encoding="utf-8")
    (folder / "malformed.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    return folder


CASES = [("fmt_json.json", "fmt_json"), ("fmt_xlsx.xlsx", "fmt_xlsx"), ("fmt_xlsm.xlsm", "fmt_xlsm"),
         ("notes.txt", None), ("missing.json", None), ("malformed.json", None), ("malformed.xlsx", None)]


def _gui_import(qtbot, manager, path) -> tuple[bool, str]:
    """Import through the window; (imported, the error box's text or the status line)."""
    seen: list[str] = []
    failures: list[BaseException] = []

    def read(box):
        seen.append("\n".join([box.text(), box.informativeText()]))
        box.button(QMessageBox.StandardButton.Ok).click()

    stop = when_modal(QMessageBox, read, failures)
    manager.import_file(str(path))
    if seen:
        return False, seen[0]
    qtbot.wait(100)  # a box shown late would be read by now
    stop()  # no box was expected: when_modal stops waiting for one
    assert not seen, seen
    return True, manager.status.text()


def test_cli_and_window_import_the_same_formats_with_the_same_errors(qtbot, services, styled_app, files, tmp_path):
    from ui.templates import TemplateManager

    manager = TemplateManager(services)
    qtbot.addWidget(manager)
    manager.show()
    db = tmp_path / "cli.sqlite"
    for name, key in CASES:
        path = files / name
        cli = run_cli("templates", "import", str(path), "--db", str(db))
        assert "Traceback" not in cli.stderr, (name, cli.stderr)
        imported, text = _gui_import(qtbot, manager, path)
        assert imported == (cli.returncode == 0), (name, text, cli.stderr)
        if key is not None:
            assert key in cli.stdout and key in text
            assert services.templates.find_version(key).status == "draft"  # the window imports drafts
        else:
            heading, _newline, details = text.partition("\n")
            assert heading == f"Nothing was imported from {name}; nothing in the database changed."  # issue 10, item 11
            assert details.strip()
            for line in details.splitlines():
                assert line.strip() in cli.stderr, (name, line, cli.stderr)

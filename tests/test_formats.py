"""The one format registry: the same suffixes, refusals and file errors for every caller, and
operating-system errors told in the user's language with the file name."""

from __future__ import annotations

import errno
import os

import pytest

from app.errors import LikvardError
from app.exchange.formats import UnsupportedFormatError, format_for, open_filter, save_filter
from app.fileio import FileReadError, describe_os_error
from app.i18n import set_language
from tests.conftest import run_cli


def test_every_accepted_suffix_has_a_format_and_others_are_refused():
    assert format_for("a.JSON").name == format_for("b.json").name
    assert format_for("a.xlsx") is format_for("a.XLSM")
    assert format_for("a.xlsx", writing=True) is format_for("a.xlsx")
    for name, writing in (("a.txt", False), ("a", False), ("a.txt", True), ("a.xlsm", True)):
        with pytest.raises(UnsupportedFormatError) as info:
            format_for(name, writing=writing)
        assert ".json" in info.value.message and ".xlsx" in info.value.message
    assert "*.xlsm" in open_filter() and "*.xlsm" not in save_filter()


def test_export_to_an_unknown_suffix_is_refused_and_nothing_is_written(services, tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(UnsupportedFormatError):
        services.templates.export_file("all_types", None, target)
    assert not target.exists()


def test_cli_refuses_an_unknown_suffix_for_import_and_export(tmp_path):
    db = tmp_path / "t.sqlite"
    target = tmp_path / "out.txt"
    exported = run_cli("templates", "export", "equal_treatment_credit", str(target), "--db", str(db))
    assert exported.returncode == 1 and ".json" in exported.stderr and "Traceback" not in exported.stderr
    assert not target.exists()
    target.write_text("{}", encoding="utf-8")
    imported = run_cli("templates", "import", str(target), "--db", str(db))
    assert imported.returncode == 1 and ".xlsx" in imported.stderr and "Traceback" not in imported.stderr


@pytest.mark.parametrize("code", [errno.ENOENT, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR,
                                  errno.ENOSPC, errno.EROFS, errno.EEXIST, errno.EIO])
def test_os_errors_are_whole_sentences_without_the_systems_english(code, tmp_path):
    set_language("sv")
    path = tmp_path / "mall-ö.json"
    message = describe_os_error(OSError(code, os.strerror(code), str(path)), path)
    assert str(path) in message
    assert os.strerror(code) not in message


@pytest.mark.parametrize("name", ["missing.json", "missing.xlsx", "a-folder.json"])
def test_a_file_that_cannot_be_read_is_named_in_the_users_language(services, tmp_path, name):
    target = tmp_path / name
    if name.startswith("a-folder"):
        target.mkdir()
    set_language("sv")
    with pytest.raises(LikvardError) as info:
        services.templates.import_file(target)
    assert isinstance(info.value, FileReadError)
    assert name in info.value.message
    assert "No such file" not in info.value.message and "Is a directory" not in info.value.message

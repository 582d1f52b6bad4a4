"""Issue 10 item 5: every poppler tool reads a signed summary without a complaint.

pyHanko put the stamp's Courier font in the appearance as a direct dictionary; poppler invents a
reference for such a font and pdffonts printed "Internal Error: xref num ... not found".
"""

from __future__ import annotations

import subprocess

import pytest

from tests.pdf.conftest import PASSWORD, fill_case
from tests.pdf.helpers import need

TOOLS = [["pdffonts"], ["pdfinfo"], ["pdfimages", "-list"], ["pdfdetach", "-list"], ["pdftotext"], ["pdfsig"]]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_poppler_tools_read_a_signed_summary_cleanly(services, all_types_version, identity, tmp_path, lang):
    aid = fill_case(services, all_types_version)
    path = tmp_path / "signed.pdf"
    services.summaries.export_pdf(aid, path, lang=lang, identity=identity, password=PASSWORD)
    for tool in TOOLS:
        need(tool[0])
        args = [*tool, str(path)] + (["-"] if tool[0] == "pdftotext" else [])
        proc = subprocess.run(args, capture_output=True, text=True)
        assert proc.returncode == 0, (tool, proc.stderr)
        assert proc.stderr == "", (tool, proc.stderr)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    courier = next(line for line in fonts.splitlines() if line.startswith("Courier"))
    assert not courier.rstrip().endswith("[none]")  # the stamp's font is a real object

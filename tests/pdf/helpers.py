"""Real tools on real files: poppler, qpdf, and a forger that appends content to a signed PDF."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from tests.conftest import have


def need(tool: str) -> None:
    if not have(tool):
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils qpdf); CI installs it")


def words(text: str) -> str:
    """Whitespace-normalized text (pdftotext breaks lines and keeps no-break spaces)."""
    return " ".join(text.split())


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    need("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfsig(path: Path) -> str:
    need("pdfsig")
    proc = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return proc.stdout + proc.stderr


def page_count(path: Path) -> int:
    need("pdfinfo")
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def qpdf_check(path: Path) -> subprocess.CompletedProcess[str]:
    need("qpdf")
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)


def append_content_update(signed: bytes, text: bytes = b"Approved: 1 000 000 SEK") -> bytes:
    """An incremental update that adds visible content to page 1, as a forger would."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    fonts = page["/Resources"]["/Font"]
    fonts["/Forged"] = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
    })
    writer.update_container(fonts)
    extra = writer.add_object(generic.StreamObject(stream_data=b"BT /Forged 18 Tf 60 400 Td (" + text + b") Tj ET"))
    contents = page.raw_get("/Contents")
    existing = list(contents.get_object()) if isinstance(contents.get_object(), generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject([*existing, extra])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_byte_in_signed_range(signed: bytes) -> bytes:
    """Change one digit of the creation date: still a well-formed PDF, no longer what was signed."""
    at = signed.index(b"/CreationDate (D:") + len(b"/CreationDate (D:") + 3
    data = bytearray(signed)
    data[at] = ord("7") if data[at] != ord("7") else ord("8")
    return bytes(data)

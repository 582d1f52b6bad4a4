"""Finishing a summary with pyHanko: the embedded machine-readable copy, the PAdES signature.

The assessment's JSON is attached as an embedded file (``/EmbeddedFiles``), then, when signing,
a signature field is placed over the box the summary reserved on its last page and the document
is signed (PAdES baseline B-B, SHA-256) with a visible stamp, all in one incremental update.
"""

from __future__ import annotations

import io
import json
import logging
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.errors import SigningError
from app.i18n import _

EMBEDDED_NAME = "likvard-assessment.json"
FIELD_NAME = "LikvardSignature"

log = logging.getLogger(__name__)


def quiet_pyhanko() -> None:
    """pyHanko logs validation details (with tracebacks) as warnings; we report results ourselves."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _latin1(text: str) -> str:
    """The stamp uses a standard PDF font (WinAnsi): keep Latin-1, transliterate the rest."""
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
        else:
            folded = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(folded or "?")
    return "".join(out)


@dataclass(frozen=True)
class SignRequest:
    """What the signature needs: the pyHanko signer, names for the stamp, where the stamp goes."""

    signer: Any
    signer_name: str
    organisation: str
    box: tuple[float, float, float, float]
    page: int  # 1-based
    stamp_lines: tuple[str, ...] = ()
    reason: str = ""


def finish_pdf(pdf: bytes, embedded: dict[str, Any], sign: SignRequest | None = None) -> bytes:
    """Attach ``embedded`` as JSON and, if asked, sign; returns the finished PDF bytes."""
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    payload = json.dumps(embedded, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    now = datetime.now(UTC)
    stream = embed.EmbeddedFileObject.from_file_data(
        writer, data=payload, mime_type="application/json",
        params=embed.EmbeddedFileParams(embed_size=True, embed_checksum=True, creation_date=now,
                                        modification_date=now),
    )
    embed.embed_file(writer, embed.FileSpec(
        file_spec_string=EMBEDDED_NAME, file_name=EMBEDDED_NAME, embedded_data=stream,
        description="Likv\u00e4rd assessment data (likvard-assessment/1)",
    ))
    if sign is None:
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    return _sign(writer, sign)


def _stamp_font() -> Any:
    """Courier for the visible stamp, as an *indirect* font object.

    pyHanko puts the stamp's standard font in the appearance's resources as a direct dictionary;
    poppler then invents a reference for it (a hash of its contents, generation 100000) and
    pdffonts looks that up: "Internal Error: xref num ... not found". An indirect font is read by
    every poppler tool without complaint.
    """
    from pyhanko.pdf_utils.font.basic import SimpleFontEngine, SimpleFontEngineFactory

    class IndirectFontEngine(SimpleFontEngine):
        _ref: Any = None

        def as_resource(self) -> Any:
            if self._ref is None:
                self._ref = self.writer.add_object(super().as_resource())
            return self._ref

    class IndirectFontFactory(SimpleFontEngineFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            return IndirectFontEngine(writer, self.name, self.avg_width, self.meta)

    courier = SimpleFontEngineFactory.default_factory()
    return IndirectFontFactory(courier.name, courier.avg_width, courier.meta)


def _sign(writer: Any, req: SignRequest) -> bytes:
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.stamp import TextStampStyle

    quiet_pyhanko()
    x1, y1, x2, y2 = (round(v, 2) for v in req.box)
    # pyhanko annotates the box as ints, but a PDF rectangle takes any number (it writes floats as given)
    fields.append_signature_field(writer, fields.SigFieldSpec(
        sig_field_name=FIELD_NAME, on_page=req.page - 1, box=(x1, y1, x2, y2)))  # type: ignore[arg-type]
    lines = [line.replace("%", "%%") for line in req.stamp_lines] + ["%(ts)s"]
    style = TextStampStyle(
        stamp_text=_latin1("\n".join(lines)),
        text_box_style=TextBoxStyle(font=_stamp_font(), font_size=8, leading=10),
        border_width=1,
        timestamp_format="%Y-%m-%d %H:%M:%S %Z",
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
        name=req.signer_name or None, reason=req.reason or None, location=req.organisation or None,
    )
    try:
        out = signers.PdfSigner(meta, signer=req.signer, stamp_style=style).sign_pdf(writer)
    except Exception as exc:  # pyHanko raises a variety of errors for unusable keys
        log.debug("signing failed", exc_info=True)
        raise SigningError(_("The summary could not be signed: {error}").format(error=exc)) from exc
    return bytes(out.getbuffer())


def read_embedded(pdf: bytes) -> dict[str, Any] | None:
    """The embedded assessment JSON of a summary, or None when the PDF carries none."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        root = reader.root
        if "/Names" not in root or "/EmbeddedFiles" not in root["/Names"]:
            return None
        data = _find_in_name_tree(root["/Names"]["/EmbeddedFiles"], EMBEDDED_NAME)
    except (PdfReadError, KeyError, ValueError, TypeError) as exc:
        raise SigningError(_("The PDF cannot be read: {error}").format(error=exc)) from exc
    if data is None:
        return None
    try:
        result = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SigningError(_("The data embedded in the PDF is not valid JSON: {error}").format(error=exc)) from exc
    return result if isinstance(result, dict) else None


def _find_in_name_tree(node: Any, wanted: str, depth: int = 0) -> bytes | None:
    node = node.get_object()
    if "/Names" in node:
        arr = node["/Names"]
        for i in range(0, len(arr) - 1, 2):
            if str(arr[i].get_object()) == wanted:
                ef = arr[i + 1].get_object()["/EF"]
                stream = ef["/UF"] if "/UF" in ef else ef["/F"]
                return bytes(stream.get_object().data)
    if "/Kids" in node and depth < 32:
        for kid in node["/Kids"]:
            found = _find_in_name_tree(kid, wanted, depth + 1)
            if found is not None:
                return found
    return None

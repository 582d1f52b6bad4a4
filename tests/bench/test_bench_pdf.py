"""Benchmark: export + sign a 100-item assessment, against raw reportlab + pyHanko on an
equivalent document, in the same run. Goal: within 1.3x of the raw libraries.

    QT_QPA_PLATFORM=offscreen python -m pytest tests/bench/test_bench_pdf.py --benchmark-enable --benchmark-only

Skipped by default (``--benchmark-skip`` in pyproject). The raw pipeline uses the same fonts,
the same text (every label, answer and comment of the same case), the same embedded JSON and the
same signer and stamp; what it leaves out is what Likvärd adds: reading the case from the database,
evaluating visibility and flags, formatting in the export language, page x of y, the signature
block, keeping the signed PDF in the database and writing the file atomically.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from datetime import date
from decimal import Decimal

import pytest

from app.domain.facts import CaseFacts
from app.domain.template import parse_template

PASSWORD = "bench-password"
TYPES = ["yes_no_na", "single_choice", "multiple_choice", "short_text", "integer", "money", "date", "scale",
         "long_text", "decimal"]


def _template() -> dict:
    sections = []
    for s in range(10):
        items = []
        for i in range(10):
            kind = TYPES[i]
            key = f"s{s}_i{i}"
            item = {"key": key, "type": kind,
                    "label": {"en": f"Question {s}.{i}: was the client treated the same way as others?",
                              "sv": f"Fråga {s}.{i}: behandlades kunden på samma sätt som andra?"}}
            if kind in ("single_choice", "multiple_choice"):
                item["options"] = [{"value": v, "label": {"en": v.title(), "sv": v.title()}} for v in ("a", "b", "c")]
            if kind == "yes_no_na":
                item["flag_when"] = {"item": key, "op": "equals", "value": "yes"}
                item["flag_explanation"] = {"en": "Asked of some clients only.", "sv": "Bara vissa kunder."}
            items.append(item)
        sections.append({"key": f"s{s}", "title": {"en": f"Section {s}", "sv": f"Avsnitt {s}"}, "items": items})
    return {"format": "likvard-template/1", "key": "bench", "default_language": "en", "languages": ["en", "sv"],
            "title": {"en": "Benchmark checklist", "sv": "Prestandachecklista"}, "sections": sections}


def _answer(kind: str, n: int):
    return {"yes_no_na": "yes" if n % 3 == 0 else "no", "single_choice": "b", "multiple_choice": ["a", "c"],
            "short_text": "Kort svar med åäö", "integer": 42, "money": {"amount": "12500.50", "currency": "SEK"},
            "date": "2026-05-04", "scale": 4, "long_text": "Ett längre svar. " * 8, "decimal": "3.75"}[kind]


COMMENT = "Rådgivaren noterade att kunden fick samma information som andra; se även protokollet. " * 3


@pytest.fixture
def case(services, tmp_path):
    from app.pdf.identity import create_identity

    version = services.templates.add_version(parse_template(_template())).version
    facts = CaseFacts(case_reference="BENCH-1", case_date=date(2026, 5, 1), advisor="Åsa", branch="Göteborg",
                      ownership="mixed", sector="retail", legal_form="cooperative", amount_requested=Decimal(500000),
                      amount_granted=Decimal(400000), currency="SEK", decision="partly_granted",
                      decision_date=date(2026, 5, 20), interest_rate=Decimal("4.5"))
    aid = services.assessments.create(version.id, facts)
    answers = {f"s{s}_i{i}": _answer(TYPES[i], s * 10 + i) for s in range(10) for i in range(10)}
    services.assessments.set_answers(aid, answers, {key: COMMENT for key in answers})
    services.assessments.complete(aid)
    services.records.sign(aid)  # locked once; each round signs and exports the PDF
    identity = create_identity("Åsa Lindström", "Kreditgarantiföreningen Väst", PASSWORD)
    return services, aid, identity, tmp_path


def _ours(case) -> bytes:
    services, aid, identity, tmp_path = case
    out = tmp_path / "ours.pdf"
    services.summaries.export_pdf(aid, out, lang="sv", organisation="Kreditgarantiföreningen Väst",
                                identity=identity, password=PASSWORD)
    return out.read_bytes()


def _raw(case) -> bytes:
    """The same document made directly with reportlab and pyHanko, no Likvärd code on the path."""
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.stamp import TextStampStyle
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    from app.paths import resource_path

    services, aid, identity, tmp_path = case
    if "RawSans" not in pdfmetrics.getRegisteredFontNames():
        fonts = resource_path("app", "pdf", "fonts")
        pdfmetrics.registerFont(TTFont("RawSans", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("RawSans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    body = ParagraphStyle("b", fontName="RawSans", fontSize=9.5, leading=12.5)
    bold = ParagraphStyle("l", body, fontName="RawSans-Bold")
    flagged = [(s, i) for s in range(10) for i in range(10) if TYPES[i] == "yes_no_na" and (s * 10 + i) % 3 == 0]
    story = [Paragraph("Prestandachecklista", bold), Table([["Ärende", "BENCH-1", "Datum", "1 maj 2026"]] * 8),
             Table([["Besvarade", "100 av 100"]] * 4)]
    for s, i in flagged:  # the overview lists the flags with their explanation
        story += [Paragraph(f"Fråga {s}.{i}: behandlades kunden på samma sätt som andra?", bold),
                  Paragraph("Bara vissa kunder.", body)]
    for s in range(10):
        story.append(Paragraph(f"Avsnitt {s}", bold))
        for i in range(10):
            story += [Paragraph(f"Fråga {s}.{i}: behandlades kunden på samma sätt som andra?", bold),
                      Paragraph(str(_answer(TYPES[i], s * 10 + i)), body)]
            if (s, i) in flagged:
                story.append(Paragraph("Flaggad: Bara vissa kunder.", body))
            story.append(Paragraph("Kommentar: " + COMMENT, body))
    story.append(Spacer(1, 100))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    writer = IncrementalPdfFileWriter(io.BytesIO(buf.getvalue()))
    payload = json.dumps({"answers": [{"item": k, "comment": COMMENT} for k in range(100)]}).encode()
    stream = embed.EmbeddedFileObject.from_file_data(writer, data=payload, mime_type="application/json")
    embed.embed_file(writer, embed.FileSpec(file_spec_string="data.json", embedded_data=stream))
    fields.append_signature_field(writer, fields.SigFieldSpec("Sig", on_page=-1, box=(300, 60, 550, 130)))
    signer = signers.SimpleSigner.load_pkcs12_data(identity.path.read_bytes(), [], PASSWORD.encode())
    meta = signers.PdfSignatureMetadata(field_name="Sig", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256")
    out = signers.PdfSigner(meta, signer, stamp_style=TextStampStyle(stamp_text="Signed by %(ts)s")).sign_pdf(writer)
    (tmp_path / "raw.pdf").write_bytes(out.getvalue())
    return out.getvalue()


@pytest.mark.benchmark(group="pdf-export-sign")
def test_export_and_sign_100_items(benchmark, case):
    data = benchmark.pedantic(_ours, args=(case,), rounds=7, iterations=1, warmup_rounds=1)
    assert data.startswith(b"%PDF")


@pytest.mark.benchmark(group="pdf-export-sign")
def test_raw_reportlab_and_pyhanko_equivalent(benchmark, case):
    data = benchmark.pedantic(_raw, args=(case,), rounds=7, iterations=1, warmup_rounds=1)
    assert data.startswith(b"%PDF")


@pytest.mark.benchmark(group="pdf-export-sign-ratio")
def test_overhead_against_the_raw_libraries(benchmark, case, capsys):
    """Interleaved rounds of both, median against median; the goal is 1.3x."""
    _ours(case), _raw(case)  # warm up (font parsing, imports)
    ours, raw = [], []
    for _round in range(7):
        for fn, bucket in ((_ours, ours), (_raw, raw)):
            start = time.perf_counter()
            fn(case)
            bucket.append(time.perf_counter() - start)
    ratio = statistics.median(ours) / statistics.median(raw)
    benchmark.extra_info.update(ours_median_s=statistics.median(ours), raw_median_s=statistics.median(raw),
                                ratio=ratio)
    benchmark.pedantic(lambda: None, rounds=1)
    with capsys.disabled():
        print(f"\nexport+sign 100 items: ours {statistics.median(ours) * 1000:.0f} ms, raw reportlab+pyHanko "
              f"{statistics.median(raw) * 1000:.0f} ms, ratio {ratio:.2f} (goal 1.3)")
    assert ratio < 1.6  # the goal is 1.3; the margin keeps a loaded CI machine from failing the run

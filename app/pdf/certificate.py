"""The PDF certificate of completion of a training exercise (reportlab), in the language chosen.

Strings are translated with the catalog of the certificate's language (:func:`translator`), not
the UI's; the embedded DejaVu fonts render Swedish and French text and let it be extracted.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from app import i18n
from app.enums import Language
from app.pdf.summary import ACCENT, FONT, FONT_BOLD, MUTED, register_fonts, text, translator

if TYPE_CHECKING:
    from app.domain.exercise import Exercise
    from app.services.exercises import AttemptInfo

#: The title in the quotation marks of each language.
QUOTES: dict[str, str] = {Language.EN: "\u201c{}\u201d", Language.SV: "\u201d{}\u201d", Language.FR: "\u00ab\u00a0{}\u00a0\u00bb"}


def build_certificate(attempt: AttemptInfo, exercise: Exercise, lang: str, organisation: str = "") -> bytes:
    """The certificate's PDF bytes: who completed which exercise, when, and the agreement scores."""
    register_fonts()
    _ = translator(lang)[0]
    centred = ParagraphStyle("c", fontName=FONT, fontSize=13, leading=18, alignment=TA_CENTER)
    big = ParagraphStyle("big", centred, fontName=FONT_BOLD, fontSize=28, leading=34, textColor=ACCENT)
    name = ParagraphStyle("name", centred, fontName=FONT_BOLD, fontSize=22, leading=28)
    small = ParagraphStyle("small", centred, fontSize=10, leading=13, textColor=MUTED)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=20 * mm,
                            title=_("Certificate of completion"), author=organisation or "Likvärd")
    when = i18n.format_date(attempt.submitted_at, lang, fmt="long") if attempt.submitted_at else ""
    score = i18n.format_percent(attempt.agreement, lang) if attempt.agreement is not None else "\u2014"
    flags = i18n.format_percent(attempt.flag_agreement, lang) if attempt.flag_agreement is not None else "\u2014"
    story = []
    if organisation:
        story += [Paragraph(text(organisation), small), Spacer(1, 8 * mm)]
    story += [
        Paragraph(text(_("Certificate of completion")), big), Spacer(1, 12 * mm),
        Paragraph(text(_("This certifies that")), centred), Spacer(1, 4 * mm),
        Paragraph(text(attempt.trainee or _("(no name given)")), name), Spacer(1, 4 * mm),
        Paragraph(text(_("completed the equal-opportunity training exercise")), centred), Spacer(1, 3 * mm),
        Paragraph(text(QUOTES.get(lang, QUOTES[Language.EN]).format(exercise.title_in(lang))), name), Spacer(1, 6 * mm),
        Paragraph(text(_("on {date}.").format(date=when)), centred), Spacer(1, 10 * mm),
        Paragraph(text(_("Agreement with the trainer's model answers: {score}").format(score=score)), centred),
        Paragraph(text(_("Agreement on the flags raised: {score}").format(score=flags)), centred),
        Spacer(1, 14 * mm),
        Paragraph(text(_("Likvärd equal-opportunity checklist \u2014 exercise {key}, attempt {id}").format(
            key=exercise.key, id=attempt.id)), small),
    ]
    doc.build(story)
    return buffer.getvalue()

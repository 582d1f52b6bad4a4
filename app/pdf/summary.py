"""The PDF summary of an assessment (reportlab platypus), in the language chosen at export.

Every visible section with its answers and comments, the case facts formatted for the export
language, an overview with the flags and why they were raised, the drawn signature, and a footer
on every page (page x of y, assessment id, template name, version and content hash). Fonts are the
bundled DejaVu Sans, embedded, so Swedish and French text renders and extracts on any machine.

Strings are marked with ``_()`` / ``N_()`` for extraction and translated with the catalog of the
export language, not the UI's (see :func:`translator`).
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app import i18n
from app.domain.assessment import STATUS_LABELS, Evaluation, shareable
from app.domain.facts import CHOICE_LABELS, FACT_LABELS
from app.domain.template import Item
from app.enums import Language
from app.i18n import N_
from app.paths import resource_path

if TYPE_CHECKING:
    from app.services.assessments import AssessmentRecord

log = logging.getLogger(__name__)

FONT = "LikvardSans"
FONT_BOLD = "LikvardSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
BOTTOM_MARGIN = 24 * mm  # room for the two-line footer
SIGNATURE_BLOCK_HEIGHT = 32 * mm
ITEM_MIN_HEIGHT = 14 * mm  # a label and the first lines of its answer stay on one page
ACCENT = colors.HexColor("#1F4E79")
FLAG_RED = colors.HexColor("#B3261E")
MUTED_HEX = "#5F6368"
MUTED = colors.HexColor(MUTED_HEX)
RULE = colors.HexColor("#C8CDD2")

YES_NO_NA_LABELS = {"yes": N_("Yes"), "no": N_("No"), "na": N_("Not applicable")}
FACT_ORDER = (
    "case_reference", "case_date", "advisor", "branch", "ownership", "sector", "legal_form", "decision",
    "decision_date", "processing_days", "amount_requested", "amount_granted", "granted_ratio", "interest_rate",
    "collateral_required", "personal_guarantee_required",
)
# Facts of migration 0005, shown when set (a case from before them prints as it always did).
OPTIONAL_FACT_ORDER = (
    "meeting_type", "application_complete", "standard_rate", "rate_above_standard", "collateral_value",
    "loan_to_value", "guarantee_amount", "guarantor",
)

Translate = Callable[[str], str]


def translator(lang: str) -> tuple[Translate, Callable[[str, str, int], str]]:
    """``(gettext, ngettext)`` of the export language, whatever the UI language is."""
    cat = i18n.catalog(i18n.normalize_language(lang))
    return cat.gettext, cat.ngettext


_fonts_registered = False


def register_fonts() -> None:
    """Register the bundled DejaVu Sans (regular, bold) with reportlab, once."""
    global _fonts_registered
    if _fonts_registered:
        return
    folder = resource_path("app", "pdf", "fonts")
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    _fonts_registered = True


def font_path(bold: bool = False) -> str:
    return str(resource_path("app", "pdf", "fonts", "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5, textColor=colors.black)
    return {
        "base": base,
        "org": ParagraphStyle("org", base, fontName=FONT_BOLD, fontSize=12, leading=15),
        "doc": ParagraphStyle("doc", base, fontSize=8.5, leading=11, textColor=MUTED, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=2,
                                textColor=ACCENT),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10, leading=13, textColor=MUTED, spaceAfter=4),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=10,
                             spaceAfter=4, textColor=ACCENT),
        "label": ParagraphStyle("label", base, fontName=FONT_BOLD, fontSize=9.5, leading=12.5, spaceBefore=5),
        "answer": ParagraphStyle("answer", base, leftIndent=10),
        "unanswered": ParagraphStyle("unanswered", base, leftIndent=10, textColor=MUTED),
        "comment": ParagraphStyle("comment", base, leftIndent=10, fontSize=9, leading=12, textColor=MUTED,
                                  spaceBefore=1),
        "flag": ParagraphStyle("flag", base, leftIndent=10, fontSize=9, leading=12, textColor=FLAG_RED,
                               spaceBefore=1),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11.5),
        "cell_label": ParagraphStyle("cell_label", base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, textColor=MUTED),
        "flag_item": ParagraphStyle("flag_item", base, fontName=FONT_BOLD, fontSize=9, leading=12, spaceBefore=3),
        "flag_text": ParagraphStyle("flag_text", base, fontSize=9, leading=12, leftIndent=10),
    }


def text(value: str) -> str:
    """Escape user text for a Paragraph (``&``, ``<``, ``>``) and keep its line breaks."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


# --- formatting of facts and answers in the export language -----------------------------------


def format_answer(item: Item, value: Any, lang: str, content: Any, _: Translate) -> str:
    """An answer as a person reads it, in ``lang``: option labels, formatted money and dates."""
    t = item.type
    if value in (None, "", [], {}):
        return ""
    if t == "yes_no_na":
        return _(YES_NO_NA_LABELS[value]) if value in YES_NO_NA_LABELS else str(value)
    if t in ("single_choice", "multiple_choice"):
        labels = {o.value: content.text(o.label, lang) for o in item.options}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(v, str(v)) for v in values)
    if t == "scale":
        return _("{value} of 5").format(value=value)
    if t in ("integer", "decimal"):
        return i18n.format_decimal(value, lang)
    if t == "money" and isinstance(value, dict):
        return i18n.format_money(value.get("amount"), value.get("currency"), lang)
    if t == "date":
        return i18n.format_date(value, lang, fmt="long")
    return str(value)


def format_fact(name: str, facts: Any, lang: str, _: Translate) -> str:
    """A case fact as a person reads it, in ``lang``."""
    value = facts.get(name)
    if value is None or value == "":
        return "\u2013"
    if name in CHOICE_LABELS:
        labels = CHOICE_LABELS[name]
        return _(labels[value]) if value in labels else str(value)
    if name in ("case_date", "decision_date"):
        return i18n.format_date(value, lang, fmt="long")
    if name in ("amount_requested", "amount_granted", "collateral_value", "guarantee_amount"):
        return i18n.format_money(value, facts.currency, lang)
    if name == "loan_to_value":
        return i18n.format_percent(Decimal(value) / 100, lang, digits=1)
    if name == "rate_above_standard":
        return i18n.format_decimal(value, lang)
    if name in ("interest_rate", "standard_rate"):
        return i18n.format_percent(Decimal(value) / 100, lang, digits=3)
    if name == "granted_ratio":
        return i18n.format_percent(value, lang, digits=1)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "processing_days":
        return i18n.format_decimal(value, lang)
    return str(value)


# --- flowables ----------------------------------------------------------------------------------


@dataclass
class SignatureSlot:
    """Where the digital signature's visible stamp goes: last page, PDF points (x1, y1, x2, y2)."""

    box: tuple[float, float, float, float] | None = None
    page: int | None = None


class SignatureBlock(Flowable):
    """The drawn signature on the left; on the right the box the digital stamp will fill."""

    def __init__(self, drawing: dict[str, Any] | None, caption_left: list[str], caption_right: list[str],
                 slot: SignatureSlot | None, width: float) -> None:
        super().__init__()
        self.drawing = drawing
        self.caption_left = caption_left
        self.caption_right = caption_right
        self.slot = slot
        self.width = width
        self.height = SIGNATURE_BLOCK_HEIGHT

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        return self.width, self.height

    def _captions(self, lines: list[str], x: float, width: float) -> None:
        c = self.canv
        c.setFillColor(MUTED)
        y = 9.0
        for line in lines[:2]:
            fitted, size = fit_line(lambda value: value, line, FONT, 8, width)  # a long signer name
            c.setFont(FONT, size)
            c.drawString(x, y, fitted)
            y -= 9.5

    def draw(self) -> None:
        c = self.canv
        half = (self.width - 10 * mm) / 2
        box_h = self.height - 20
        base_y = 20
        # drawn signature: strokes scaled into the left box, keeping proportions
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(0, base_y, half, base_y)
        if self.drawing and self.drawing.get("strokes"):
            from app.pdf.strokes import drawing_bounds

            x0, y0, x1, y1 = drawing_bounds(self.drawing)
            w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
            scale = min((half - 8) / w, (box_h - 6) / h)
            ox = 4 + ((half - 8) - w * scale) / 2
            oy = base_y + 3
            c.setStrokeColor(colors.HexColor("#0B2A4A"))
            c.setLineCap(1)
            c.setLineJoin(1)
            for stroke in self.drawing["strokes"]:
                pressure = [p[2] for p in stroke if len(p) > 2]
                c.setLineWidth(0.6 + 1.2 * (sum(pressure) / len(pressure) if pressure else 0.5))
                if len(stroke) == 1:
                    px, py = stroke[0][0], stroke[0][1]
                    c.circle(ox + (px - x0) * scale, oy + (y1 - py) * scale, 0.6, stroke=1, fill=1)
                    continue
                path = c.beginPath()
                path.moveTo(ox + (stroke[0][0] - x0) * scale, oy + (y1 - stroke[0][1]) * scale)
                for px, py, *_rest in stroke[1:]:
                    path.lineTo(ox + (px - x0) * scale, oy + (y1 - py) * scale)
                c.drawPath(path, stroke=1, fill=0)
        self._captions(self.caption_left, 0, half)
        right_x = half + 10 * mm
        if self.slot is not None:
            # Record the box in page coordinates: pyHanko puts the visible stamp exactly there.
            ax, ay = c.absolutePosition(right_x, base_y)
            self.slot.box = (ax, ay, ax + half, ay + box_h)
            self.slot.page = c.getPageNumber()
            c.setStrokeColor(RULE)
            c.setDash(2, 2)
            c.rect(right_x, base_y, half, box_h, stroke=1, fill=0)
            c.setDash()
        if self.caption_right:
            self._captions(self.caption_right, right_x, half)


def fit_line(compose: Callable[[str], str], part: str, font: str, size: float, width: float,
             smallest: float = 5.5) -> tuple[str, float]:
    """A one-line text that fits ``width``: ``compose(part)`` at ``size``, smaller down to
    ``smallest``, then with ``part`` cut short with an ellipsis (the rest, e.g. a hash, stays whole)."""
    line = compose(part)
    while size > smallest and pdfmetrics.stringWidth(line, font, size) > width:
        size = max(smallest, size - 0.25)
    cut = len(part)
    while pdfmetrics.stringWidth(line, font, size) > width and cut > 0:
        cut -= 1
        line = compose(part[:cut].rstrip() + "\u2026")
    return line, size


class _NumberedCanvas(rl_canvas.Canvas):
    """Defers pages so the footer can say "page x of y" in one pass."""

    def __init__(self, *args: Any, footer: Callable[[rl_canvas.Canvas, int, int], None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.footer = footer
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab API)
        self._saved_pages.append(dict(self.__dict__))
        # reportlab's own start of a new page (what Canvas.showPage ends with); private, so not in its stubs
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            if self.footer is not None:
                self.footer(self, self.getPageNumber(), total)
            super().showPage()
        super().save()


# --- the document -------------------------------------------------------------------------------


@dataclass
class SummaryOptions:
    """What goes around the assessment: organisation, logo, the digital signature's box."""

    lang: str = Language.EN
    organisation: str = ""
    logo_path: str = ""
    reserve_signature_box: bool = False
    signer_caption: list[str] = field(default_factory=list)


@dataclass
class SummaryPdf:
    """A rendered summary: the bytes, its page count and where the digital stamp goes."""

    data: bytes
    pages: int
    signature_box: tuple[float, float, float, float] | None
    signature_page: int | None


def _logo(path: str) -> Image | None:
    if not path:
        return None
    try:
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(path)
        iw, ih = reader.getSize()
    except Exception as exc:  # a missing or unreadable logo never stops the export
        log.warning("Cannot read the logo %s: %s", path, exc)
        return None
    max_w, max_h = 45 * mm, 16 * mm
    scale = min(max_w / iw, max_h / ih)
    img = Image(path, width=iw * scale, height=ih * scale)
    img.hAlign = "LEFT"
    return img


def build_summary(rec: AssessmentRecord, options: SummaryOptions) -> SummaryPdf:
    """Render the summary of ``rec`` as PDF bytes (not yet carrying the embedded data or a signature)."""
    register_fonts()
    lang = i18n.normalize_language(options.lang)
    _, ngettext = translator(lang)
    st = _styles()
    content = rec.content
    # private items (self-reflections) never reach a summary: not their answers, comments or flags
    answers = shareable(content, rec.answers)
    comments = shareable(content, rec.comments)
    ev = Evaluation(content, rec.facts, answers)
    frame_width = PAGE_WIDTH - 2 * MARGIN - 12  # the frame keeps 6 pt of padding on each side
    story: list[Flowable] = []

    # header: organisation and logo on the left, what this document is on the right
    logo = _logo(options.logo_path)
    left: list[Flowable] = [logo] if logo is not None else []
    if options.organisation:
        left.append(Paragraph(text(options.organisation), st["org"]))
    right = Paragraph(text(_("Equal-treatment checklist summary")) + "<br/>" + text(
        _("Printed {date}").format(date=i18n.format_date(i18n_today(), lang, fmt="long"))), st["doc"])
    header = Table([[left or "", right]], colWidths=[frame_width * 0.6, frame_width * 0.4])
    header.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
    ]))
    story += [header, Spacer(1, 8)]

    story.append(Paragraph(text(content.title_in(lang)), st["title"]))
    status = _(STATUS_LABELS.get(rec.status, rec.status))
    sub = _("Case {reference} \u00b7 {status}").format(reference=rec.facts.case_reference or "\u2013", status=status)
    if rec.revision > 1:
        sub += " \u00b7 " + _("revision {revision}, amends {id}").format(
            revision=rec.revision, id=str(rec.amends_id)[:8] if rec.amends_id else "\u2013")
    story.append(Paragraph(text(sub), st["subtitle"]))

    # case facts, two label/value pairs per row
    story.append(Paragraph(text(_("Case facts")), st["h2"]))
    shown_facts = FACT_ORDER + tuple(n for n in OPTIONAL_FACT_ORDER if rec.facts.get(n) is not None)
    pairs = [(_(FACT_LABELS[name]), format_fact(name, rec.facts, lang, _)) for name in shown_facts]
    rows = []
    for i in range(0, len(pairs), 2):
        row: list[Any] = []
        for label, value in pairs[i:i + 2]:
            row += [Paragraph(text(label), st["cell_label"]), Paragraph(text(value), st["cell"])]
        rows.append(row + [""] * (4 - len(row)))
    facts_table = Table(rows, colWidths=[frame_width * w for w in (0.2, 0.3, 0.2, 0.3)])
    facts_table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]))
    story.append(facts_table)

    # overview
    visible_answerable = [i for i in ev.visible_items() if i.answerable and not i.private]
    answered = sum(1 for i in visible_answerable if ev.is_answered(i.key))
    required = [i for i in visible_answerable if i.required]
    req_done, req_total = sum(1 for i in required if ev.is_answered(i.key)), len(required)
    flags = ev.flags()
    score = ev.score()
    story.append(Paragraph(text(_("Overview")), st["h2"]))
    overview = [
        (_("Items answered"), _("{answered} of {total}").format(answered=answered, total=len(visible_answerable))),
        (_("Required items answered"), _("{answered} of {total}").format(answered=req_done, total=req_total)),
        (_("Score"), i18n.format_percent(score, lang) if score is not None else "\u2013"),
        (_("Flags"), ngettext("{count} flag", "{count} flags", len(flags)).format(count=len(flags))),
    ]
    ov_table = Table([[Paragraph(text(a), st["cell_label"]), Paragraph(text(b), st["cell"])] for a, b in overview],
                     colWidths=[frame_width * 0.35, frame_width * 0.65])
    ov_table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]))
    story.append(ov_table)
    if flags:
        story.append(Spacer(1, 4))
        for flag in flags:
            item = content.item(flag.item_key)
            story.append(KeepTogether([
                Paragraph("\u26a0 " + text(content.text(item.label, lang)), st["flag_item"]),
                Paragraph(text(content.text(flag.explanation, lang)), st["flag_text"]),
            ]))

    # every visible section with its answers and comments
    flagged = {f.item_key for f in flags}
    for section in content.sections:
        if not ev.section_visible(section.key):
            continue
        items = [i for i in section.items if i.answerable and not i.private and ev.is_visible(i.key)]
        if not items:
            continue
        story.append(CondPageBreak(40 * mm))
        done, total = sum(1 for i in items if ev.is_answered(i.key)), len(items)
        story.append(Paragraph(
            text(content.text(section.title, lang)) + f' <font size="9" color="{MUTED_HEX}">'
            + text(_("{answered} of {total} answered").format(answered=done, total=total)) + "</font>",
            st["h2"]))
        for item in items:
            shown = format_answer(item, answers.get(item.key), lang, content, _)
            # keep a label with the start of its answer; cheaper than KeepTogether, which wraps twice
            story.append(CondPageBreak(ITEM_MIN_HEIGHT))
            head: list[Flowable] = [Paragraph(text(content.text(item.label, lang)), st["label"])]
            if shown:
                head.append(Paragraph(text(shown), st["answer"]))
            else:
                head.append(Paragraph(text(_("Not answered")), st["unanswered"]))
            if item.key in flagged:
                head.append(Paragraph("\u26a0 " + text(_("Flagged: {explanation}").format(
                    explanation=content.text(item.flag_explanation, lang))), st["flag"]))
            story.extend(head)
            comment = comments.get(item.key, "")
            if comment:  # a Paragraph: a long comment wraps and splits across pages
                story.append(Paragraph(text(_("Comment:")) + " " + text(comment), st["comment"]))

    # signatures
    slot = SignatureSlot() if options.reserve_signature_box else None
    left_caption: list[str] = []
    if rec.signed_at is not None:
        left_caption.append(_("Signed by {name}").format(name=rec.signed_by or "\u2013"))
        left_caption.append(i18n.format_datetime(rec.signed_at, lang, fmt="medium") + " UTC")
    elif rec.signature_drawing:
        left_caption.append(_("Drawn signature"))
    else:
        left_caption.append(_("No drawn signature"))
    right_caption = options.signer_caption if options.reserve_signature_box else []
    block = SignatureBlock(rec.signature_drawing, left_caption, right_caption, slot, frame_width)
    sig_parts: list[Flowable] = [Paragraph(text(_("Signature")), st["h2"])]
    if rec.signed_hash:
        sig_parts.append(Paragraph(text(_("Signed content (SHA-256): {hash}").format(hash=rec.signed_hash)),
                                   st["small"]))
        sig_parts.append(Spacer(1, 4))
    sig_parts.append(block)
    story.append(KeepTogether(sig_parts))

    footer_left = _("Assessment {id} \u00b7 revision {revision}").format(id=rec.id, revision=rec.revision)
    footer_width = PAGE_WIDTH - 2 * MARGIN - 12

    def footer_template(title: str) -> str:
        return _("{template}, version {version} \u00b7 content {hash}").format(
            template=title, version=rec.template_version, hash=rec.template_hash)

    template_line, template_size = fit_line(footer_template, content.title_in(lang), FONT, 7, footer_width)

    def footer(c: rl_canvas.Canvas, page: int, total: int) -> None:
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        left, right = MARGIN + 6, PAGE_WIDTH - MARGIN - 6  # aligned with the frame's content
        c.line(left, 17 * mm, right, 17 * mm)
        c.setFillColor(MUTED)
        c.setFont(FONT, template_size)
        c.drawString(left, 13.5 * mm, template_line)
        page_text = _("Page {page} of {total}").format(page=page, total=total)
        c.setFont(FONT_BOLD, 7.5)
        c.drawRightString(right, 10 * mm, page_text)
        room = right - left - pdfmetrics.stringWidth(page_text, FONT_BOLD, 7.5) - 8
        line, size = fit_line(lambda value: value, footer_left, FONT, 7, room)
        c.setFont(FONT, size)
        c.drawString(left, 10 * mm, line)
        c.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=BOTTOM_MARGIN,
        title=_("{template} \u2013 case {reference}").format(template=content.title_in(lang),
                                                            reference=rec.facts.case_reference),
        author=options.organisation or "Likv\u00e4rd", subject=_("Equal-treatment checklist summary"),
        creator="Likv\u00e4rd", lang=lang,
        initialFontName=FONT,  # else every page references an unembedded Helvetica
    )
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer=footer))
    return SummaryPdf(out.getvalue(), doc.page, slot.box if slot else None, slot.page if slot else None)


def i18n_today() -> Any:
    from datetime import date

    return date.today()

"""The ``likvard-assessment/1`` format: the assessment data embedded in every PDF summary.

The writer (:func:`write_assessment`) and the reader (:func:`read_assessment`) live here together,
with what a signature covers (:func:`signed_content`) and its hash (:func:`content_hash`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.domain.assessment import Evaluation, shareable
from app.enums import ASSESSMENT_STATUSES
from app.errors import LikvardError
from app.i18n import _

if TYPE_CHECKING:
    from app.services.assessments import AssessmentRecord

ASSESSMENT_FORMAT = "likvard-assessment/1"
SIGNED_FORMAT = "likvard-signed/1"


class AssessmentFormatError(LikvardError):
    """The embedded assessment data is missing, of another format or incomplete."""


def signed_content(rec: AssessmentRecord) -> dict[str, Any]:
    """What a signature covers: the case's identity, template version, facts, answers, comments
    and drawn signature (not the signing envelope: who, when).

    Answers and comments of private items (self-reflections) are left out: the signature attests
    the document handed out, which never carries them, and anyone holding the PDF must be able
    to recompute the hash from the embedded data alone (``import-pdf`` does so).
    """
    answers = shareable(rec.content, rec.answers)
    comments = shareable(rec.content, rec.comments)
    return {
        "format": SIGNED_FORMAT,
        "id": str(rec.id),
        "revision": rec.revision,
        "amends_id": str(rec.amends_id) if rec.amends_id else None,
        "template": {"key": rec.template_key, "version": rec.template_version, "content_hash": rec.template_hash},
        "facts": rec.facts.to_dict(),
        "answers": {key: answers[key] for key in sorted(answers)},
        "comments": {key: comments[key] for key in sorted(comments) if comments[key]},
        "signature_drawing": rec.signature_drawing,
    }


def content_hash(rec: AssessmentRecord) -> str:
    """SHA-256 of the canonical JSON of :func:`signed_content`."""
    canonical = json.dumps(signed_content(rec), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_assessment(rec: AssessmentRecord, language: str | None = None) -> dict[str, Any]:
    """JSON-ready ``likvard-assessment/1`` dict of the assessment (with its template version and hash).

    Private items are left out, and flags and score are those of the shareable answers."""
    answers = shareable(rec.content, rec.answers)
    comments = shareable(rec.content, rec.comments)
    ev = Evaluation(rec.content, rec.facts, answers)
    data: dict[str, Any] = {
        "format": ASSESSMENT_FORMAT,
        "id": str(rec.id),
        "status": rec.status,
        "template": {"key": rec.template_key, "version": rec.template_version, "content_hash": rec.template_hash},
        "facts": rec.facts.to_dict(),
        "answers": [
            {"item": key, "value": answers.get(key), "comment": comments.get(key, "")}
            for key in [i.key for i in rec.content.items()]
            if key in answers or comments.get(key)
        ],
        "flags": [f.item_key for f in ev.flags()],
        "score": ev.score(),
        "created_at": rec.created_at.isoformat(),
        "updated_at": rec.updated_at.isoformat(),
        "completed_at": rec.completed_at.isoformat() if rec.completed_at else None,
        "revision": rec.revision,
        "amends_id": str(rec.amends_id) if rec.amends_id else None,
        "signed_at": rec.signed_at.isoformat() if rec.signed_at else None,
        "signed_by": rec.signed_by,
        "signed_hash": rec.signed_hash,
        "signature_drawing": rec.signature_drawing,
    }
    if language is not None:
        data["language"] = language
    return data


@dataclass(frozen=True)
class AssessmentData:
    """A ``likvard-assessment/1`` document as read (not yet matched against a database)."""

    id: uuid.UUID
    status: str
    template_key: str
    template_version: Any
    template_hash: str
    facts: dict[str, Any]
    answers: list[dict[str, Any]]
    revision: int
    amends_id: uuid.UUID | None
    completed_at: datetime | None
    signed_at: datetime | None
    signed_by: str
    signed_hash: str | None
    signature_drawing: Any
    language: str


def read_assessment(data: Any, source: str = "") -> AssessmentData:
    """Read a ``likvard-assessment/1`` dict; :class:`AssessmentFormatError` when it is not one."""
    if not isinstance(data, dict) or data.get("format") != ASSESSMENT_FORMAT:
        raise AssessmentFormatError(_("{path} carries no Likvärd assessment data.").format(path=source))
    try:
        tpl = data["template"]
        status = data["status"]
        if status not in ASSESSMENT_STATUSES:
            raise AssessmentFormatError(_("Unknown status \u201c{status}\u201d.").format(status=status))
        answers = data.get("answers") or []
        if not isinstance(answers, list) or not all(isinstance(a, dict) and "item" in a for a in answers):
            raise TypeError(_("the answers are not a list of items"))
        facts = data["facts"]
        if not isinstance(facts, dict):
            raise TypeError(_("the case facts are not an object"))
        return AssessmentData(
            id=uuid.UUID(str(data["id"])), status=status, template_key=str(tpl["key"]),
            template_version=tpl.get("version", "?"), template_hash=str(tpl["content_hash"]), facts=facts,
            answers=answers, revision=int(data.get("revision") or 1),
            amends_id=uuid.UUID(str(data["amends_id"])) if data.get("amends_id") else None,
            completed_at=_parse_dt(data.get("completed_at")), signed_at=_parse_dt(data.get("signed_at")),
            signed_by=str(data.get("signed_by") or ""),
            signed_hash=str(data["signed_hash"]) if data.get("signed_hash") else None,
            signature_drawing=data.get("signature_drawing"), language=str(data.get("language") or "")[:8],
        )
    except AssessmentFormatError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise AssessmentFormatError(_("The assessment data in {path} is incomplete: {error}").format(
            path=source, error=exc)) from exc


def _parse_dt(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None

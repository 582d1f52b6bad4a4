"""The single source of the app's closed vocabularies: statuses and languages.

Every layer (domain, storage, services, CLI, GUI, scripts and the checklist generator) names a
status or a language through these enums. They are ``StrEnum`` s, so a member *is* its string:
``AssessmentStatus.SIGNED == "signed"``, it is stored as plain text in SQLite and PostgreSQL,
written as-is in JSON, and an old string read back from a file compares equal to it.
This module imports nothing of the app, so anything may import it.
"""

from __future__ import annotations

from enum import StrEnum


class AssessmentStatus(StrEnum):
    """Where a case's checklist stands. A signed assessment never changes (an amendment is a new one)."""

    DRAFT = "draft"
    COMPLETED = "completed"
    SIGNED = "signed"


class VersionStatus(StrEnum):
    """A template version's life: a draft is edited, a published version is used, a retired one is kept."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Language(StrEnum):
    """The languages of the user interface, the PDF summaries and the bundled checklists."""

    EN = "en"
    SV = "sv"
    FR = "fr"


#: Language codes in display order (English first: the fallback of every catalog).
LANGUAGE_CODES: tuple[str, ...] = tuple(lang.value for lang in Language)
#: Each language's name in that language (never translated: a user must find their own).
LANGUAGE_NAMES: dict[str, str] = {Language.EN: "English", Language.SV: "Svenska", Language.FR: "Français"}
ASSESSMENT_STATUSES: tuple[str, ...] = tuple(s.value for s in AssessmentStatus)
VERSION_STATUSES: tuple[str, ...] = tuple(s.value for s in VersionStatus)


class TeamRole(StrEnum):
    """A person's role in team mode (and the profile role on a laptop): what the shared database
    lets them see. Agents their own cases, advisors their branch's, trainers aggregates and exercises."""

    AGENT = "agent"
    ADVISOR = "advisor"
    TRAINER = "trainer"


TEAM_ROLES: tuple[str, ...] = tuple(r.value for r in TeamRole)

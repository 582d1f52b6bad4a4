"""Use cases shared by the GUI and the CLI. Every state change goes through here and is recorded.

Signing identities, listing the trust list and verification need no database: use
:func:`offline_services` (the CLI's ``keys``, ``trust list`` and ``verify``). Changing the trust
list records an event, so it goes through :class:`Services` over an open database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.settings import Settings

if TYPE_CHECKING:  # imported when used: the case list's first page is read before SQLAlchemy is loaded
    from app.services.keys import IdentityService, TrustService, VerificationService
    from app.storage.db import Database


class Services:
    """The application's services over one open database."""

    def __init__(self, db: Database, actor: str = "") -> None:
        from app.services.assessments import AssessmentService
        from app.services.audit import AuditService
        from app.services.backups import BackupService
        from app.services.exercises import ExerciseService
        from app.services.insights import InsightsService
        from app.services.keys import IdentityService, TrustService, VerificationService
        from app.services.records import RecordService
        from app.services.summaries import SummaryService
        from app.services.sync import SyncService
        from app.services.templates import TemplateService

        self.db = db
        self.actor = actor
        self.templates = TemplateService(db, actor)
        self.assessments = AssessmentService(db, actor)
        self.backups = BackupService(db, actor)
        self.records = RecordService(db, actor, self.assessments)
        self.summaries = SummaryService(db, actor, self.assessments, self.records)
        self.insights = InsightsService(db, actor)
        self.identities = IdentityService()
        self.trust = TrustService(db, actor)
        self.verification = VerificationService(self.trust)
        self.audit = AuditService(db, actor, self.assessments)
        self.exercises = ExerciseService(db, actor, self.assessments)
        self.sync = SyncService(db, actor, self.assessments, self.audit)
        self.settings: Settings = Settings()


@dataclass
class OfflineServices:
    """The services that need no database: identities, the trust list (read only), verification."""

    identities: IdentityService
    trust: TrustService
    verification: VerificationService


def offline_services() -> OfflineServices:
    from app.services.keys import IdentityService, TrustService, VerificationService

    trust = TrustService()
    return OfflineServices(IdentityService(), trust, VerificationService(trust))

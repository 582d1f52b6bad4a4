"""Use cases shared by the GUI and the CLI. Every state change goes through here and is recorded."""

from __future__ import annotations

from app.services.assessments import AssessmentService
from app.services.backups import BackupService
from app.services.signing import SigningService
from app.services.templates import TemplateService
from app.settings import Settings
from app.storage.db import Database


class Services:
    """The application's services over one open database."""

    def __init__(self, db: Database, actor: str = "") -> None:
        self.db = db
        self.actor = actor
        self.templates = TemplateService(db, actor)
        self.assessments = AssessmentService(db, actor)
        self.signing = SigningService(db, actor, self.assessments)
        self.backups = BackupService(db, actor)
        self.settings: Settings = Settings()

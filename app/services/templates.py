"""Templates and their versions: import, export, list, publish, retire, the bundled checklist."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from app.domain.diff import Change, compare
from app.domain.template import TemplateContent, TemplateVersion, immutable_version_error, parse_template
from app.enums import Language, VersionStatus
from app.errors import ImmutableVersionError, LikvardError, NotFoundError
from app.exchange.formats import UnsupportedFormatError, format_for, open_filter, save_filter
from app.i18n import _, get_language, localized, ngettext
from app.paths import resource_path
from app.services.events import record
from app.storage.db import Database
from app.storage.models import SettingRow, Template, TemplateVersionRow, get_version_row, utcnow

if TYPE_CHECKING:  # the XLSForm reader (openpyxl) is imported when a spreadsheet is opened
    from app.exchange.xlsform import SkippedRow

# The file-dialog filters and the refusal of an unknown suffix come from the one format registry.
__all__ = ["ImportReport", "ImportResult", "PartialImportError", "TemplateService", "UnsupportedFormatError", "VersionInfo",
           "open_filter", "save_filter"]

# The first bundled checklist stays installed (cases filled with it keep rendering) and published
# for now; new cases default to the checklist of their meeting type.
BUNDLED_FILES = ("credit-decision.json", "advice-meeting.json", "equal-treatment-credit.json")


@dataclass(frozen=True)
class VersionInfo:
    """A template version as the UI and CLI list it."""

    id: uuid.UUID
    template_key: str
    number: int
    status: str
    title: str
    content_hash: str
    created_at: datetime
    created_by: str
    published_at: datetime | None


@dataclass(frozen=True)
class ImportResult:
    version: VersionInfo
    created: bool  # False: an identical version already existed
    skipped: tuple[SkippedRow, ...] = ()  # XLSForm rows left out (imported with allow_partial)


@dataclass(frozen=True)
class ImportReport:
    """What a partial spreadsheet import left out, kept with the version it made."""

    file: str  # the imported file's name
    skipped: tuple[SkippedRow, ...]
    item_rows: dict[str, int]  # item key -> its row on the survey sheet

    def item_at(self, sheet: str, row: int) -> str | None:
        """The key of the imported item a survey row became, or None (that row's question was not imported)."""
        if sheet.strip().lower() != "survey":
            return None
        return next((key for key, at in self.item_rows.items() if at == row), None)


def _report_data(file: str, skipped: tuple[SkippedRow, ...], item_rows: dict[str, int]) -> dict[str, Any]:
    return {"file": file, "skipped": [{"sheet": r.sheet, "row": r.row, "reason": r.reason, "kind": r.kind}
                                      for r in skipped],
            "item_rows": dict(item_rows)}


class PartialImportError(LikvardError):
    """Some rows of a spreadsheet cannot be represented; nothing was imported.

    ``skipped`` lists them; importing again with ``allow_partial=True`` imports the rest.
    """

    def __init__(self, skipped: list[SkippedRow]) -> None:
        super().__init__(ngettext("{count} row cannot be represented and was skipped.",
                                  "{count} rows cannot be represented and were skipped.",
                                  len(skipped)).format(count=len(skipped)))
        self.skipped = skipped


def _info(row: TemplateVersionRow) -> VersionInfo:
    """The row as listed, its title in the active language (the stored title is a fallback)."""
    content = row.content if isinstance(row.content, dict) else {}
    titles = content.get("title") if isinstance(content.get("title"), dict) else {}
    title = localized(titles, get_language(), content.get("default_language", Language.EN))[0] or row.title
    return VersionInfo(
        id=row.id, template_key=row.template.key, number=row.number, status=row.status, title=title,
        content_hash=row.content_hash, created_at=row.created_at, created_by=row.created_by,
        published_at=row.published_at,
    )


def _title(content: TemplateContent) -> str:
    return content.title_in(get_language()) or content.key


class TemplateService:
    def __init__(self, db: Database, actor: str = "") -> None:
        self.db = db
        self.actor = actor

    # --- queries -------------------------------------------------------------------------

    def list_versions(self, key: str | None = None, status: str | None = None) -> list[VersionInfo]:
        """Every version (of one template if ``key``), by template key then number."""
        with self.db.session() as s:
            q = select(TemplateVersionRow).join(Template).order_by(Template.key, TemplateVersionRow.number)
            if key:
                q = q.where(Template.key == key)
            if status:
                q = q.where(TemplateVersionRow.status == status)
            return [_info(r) for r in s.scalars(q)]

    def published_versions(self) -> list[VersionInfo]:
        """The latest published version of each template (what new cases are filled with)."""
        latest: dict[str, VersionInfo] = {}
        for v in self.list_versions(status=VersionStatus.PUBLISHED):
            latest[v.template_key] = v
        return list(latest.values())

    def find_version(self, key: str, number: int | None = None) -> VersionInfo:
        """``key@number``; without a number the latest published version (else the latest)."""
        versions = self.list_versions(key)
        if not versions:
            raise NotFoundError(_("No template \u201c{key}\u201d.").format(key=key))
        if number is not None:
            for v in versions:
                if v.number == number:
                    return v
            raise NotFoundError(_("Template \u201c{key}\u201d has no version {number}.").format(key=key, number=number))
        published = [v for v in versions if v.status == VersionStatus.PUBLISHED]
        return (published or versions)[-1]

    def content(self, version_id: uuid.UUID) -> TemplateContent:
        """The parsed content of a version (a draft may still have problems)."""
        with self.db.session() as s:
            row = get_version_row(s, version_id)
            return parse_template(row.content, strict=row.status != VersionStatus.DRAFT)

    def version(self, version_id: uuid.UUID) -> TemplateVersion:
        with self.db.session() as s:
            row = get_version_row(s, version_id)
            return TemplateVersion(number=row.number, content=parse_template(row.content, strict=row.status != VersionStatus.DRAFT),
                                   status=row.status)

    def version_info(self, version_id: uuid.UUID) -> VersionInfo:
        with self.db.session() as s:
            row = get_version_row(s, version_id)
            return _info(row)

    # --- changes -------------------------------------------------------------------------

    def import_report(self, version_id: uuid.UUID) -> ImportReport | None:
        """The report of the partial import that made this version (kept after publishing), or None."""
        with self.db.session() as s:
            data = get_version_row(s, version_id).import_report
        if not isinstance(data, dict):
            return None
        from app.exchange.xlsform.common import SkippedRow

        skipped = tuple(SkippedRow(str(r.get("sheet", "")), int(r.get("row", 0)), str(r.get("reason", "")),
                                   str(r.get("kind", ""))) for r in data.get("skipped") or [] if isinstance(r, dict))
        rows = data.get("item_rows")
        if not isinstance(rows, dict):
            rows = {}
        return ImportReport(str(data.get("file", "")), skipped, {str(k): int(v) for k, v in rows.items()})

    def add_version(self, content: TemplateContent, *, publish: bool = True,
                    import_report: dict[str, Any] | None = None) -> ImportResult:
        """Store ``content`` as the next version of its template (no-op if identical to one).

        ``import_report`` (what a partial import left out) is kept with a new version, and replaces
        the report of an identical draft (the same file imported again)."""
        digest = content.content_hash()
        with self.db.session() as s:
            template = s.scalar(select(Template).where(Template.key == content.key))
            if template is None:
                template = Template(key=content.key)
                s.add(template)
                s.flush()
                record(s, "template.created", template.id, self.actor, key=content.key)
            else:
                same = s.scalar(
                    select(TemplateVersionRow).where(
                        TemplateVersionRow.template_id == template.id, TemplateVersionRow.content_hash == digest
                    )
                )
                if same is not None:
                    if import_report is not None and same.status == VersionStatus.DRAFT:
                        same.import_report = import_report
                    return ImportResult(_info(same), created=False)
            number = (s.scalar(select(func.max(TemplateVersionRow.number)).where(
                TemplateVersionRow.template_id == template.id)) or 0) + 1
            now = utcnow()
            row = TemplateVersionRow(
                template=template, number=number, status=VersionStatus.PUBLISHED if publish else VersionStatus.DRAFT,
                title=_title(content), content=content.to_dict(), content_hash=digest,
                created_by=self.actor, created_at=now, updated_at=now, published_at=now if publish else None,
                import_report=import_report,
            )
            if publish:
                TemplateVersion(number, content).publish()  # refuses content with errors
            s.add(row)
            s.flush()
            record(s, "template.version_added", row.id, self.actor, key=content.key, number=number,
                   status=row.status, content_hash=digest)
            return ImportResult(_info(row), created=True)

    def import_file(self, path: str | Path, *, publish: bool = True, allow_partial: bool = False) -> ImportResult:
        """Read a template file in any format (chosen by suffix), validate it completely, store it.

        A spreadsheet with rows a checklist cannot represent raises PartialImportError unless
        ``allow_partial``; nothing is stored when anything is refused.
        """
        fmt = format_for(path)
        found = fmt.read(Path(path))
        if found.skipped and not allow_partial:
            raise PartialImportError(found.skipped)
        report = _report_data(Path(path).name, tuple(found.skipped), found.item_rows) if found.skipped else None
        result = self.add_version(found.content, publish=publish, import_report=report)
        return ImportResult(result.version, result.created, tuple(found.skipped))

    def export_file(self, key: str, number: int | None, path: str | Path) -> VersionInfo:
        """Write ``key@number`` to ``path`` in the format its suffix names (.json canonical JSON, .xlsx XLSForm)."""
        fmt = format_for(path, writing=True)
        info = self.find_version(key, number)
        fmt.write(self.content(info.id), Path(path))
        return info

    def update_draft(self, version_id: uuid.UUID, content: TemplateContent) -> VersionInfo:
        """Replace a draft's content; published and retired versions refuse."""
        with self.db.session() as s:
            row = get_version_row(s, version_id)
            if row.status != VersionStatus.DRAFT:
                raise immutable_version_error(row.number, row.status)
            row.content = content.to_dict()
            row.content_hash = content.content_hash()
            row.title = _title(content)
            row.updated_at = utcnow()
            record(s, "template.draft_updated", row.id, self.actor, content_hash=row.content_hash)
            return _info(row)

    def publish(self, version_id: uuid.UUID) -> VersionInfo:
        """Publish a draft (refused while its content has errors)."""
        with self.db.session() as s:
            row = get_version_row(s, version_id)
            version = TemplateVersion(row.number, parse_template(row.content, strict=False), row.status)
            version.publish()
            row.status = VersionStatus.PUBLISHED
            row.published_at = utcnow()
            record(s, "template.published", row.id, self.actor, number=row.number, content_hash=row.content_hash)
            return _info(row)

    def retire(self, version_id: uuid.UUID) -> VersionInfo:
        """Retire a published version: no new cases use it; existing cases keep it."""
        with self.db.session() as s:
            row = get_version_row(s, version_id)
            version = TemplateVersion(row.number, parse_template(row.content), row.status)
            version.retire()
            row.status = VersionStatus.RETIRED
            record(s, "template.retired", row.id, self.actor, number=row.number)
            return _info(row)

    def create_draft(self, from_version_id: uuid.UUID) -> VersionInfo:
        """A new draft (next number) starting from a version's content; an open draft is reused."""
        with self.db.session() as s:
            source = get_version_row(s, from_version_id)
            existing = s.scalar(select(TemplateVersionRow).where(
                TemplateVersionRow.template_id == source.template_id, TemplateVersionRow.status == VersionStatus.DRAFT))
            if existing is not None:
                return _info(existing)
            number = (s.scalar(select(func.max(TemplateVersionRow.number)).where(
                TemplateVersionRow.template_id == source.template_id)) or 0) + 1
            now = utcnow()
            row = TemplateVersionRow(
                template_id=source.template_id, number=number, status=VersionStatus.DRAFT, title=source.title,
                content=dict(source.content), content_hash=source.content_hash, created_by=self.actor,
                created_at=now, updated_at=now,
            )
            s.add(row)
            s.flush()
            record(s, "template.draft_created", row.id, self.actor, source=str(source.id), number=number)
            return _info(row)

    def create_template(self, content: TemplateContent) -> VersionInfo:
        """A new template whose first version is a draft with ``content``."""
        with self.db.session() as s:
            if s.scalar(select(Template).where(Template.key == content.key)) is not None:
                raise LikvardError(_("A template with the key “{key}” exists already.").format(key=content.key))
        return self.add_version(content, publish=False).version

    def duplicate(self, version_id: uuid.UUID, new_key: str, title: str | None = None) -> VersionInfo:
        """Copy a version's content into a new template (draft v1) under ``new_key``."""
        content = self.content(version_id)
        content.key = new_key
        if title:
            content.title = {**content.title, get_language(): title}
        return self.create_template(content)

    def delete_draft(self, version_id: uuid.UUID) -> None:
        """Throw a draft away (published versions are kept forever)."""
        with self.db.session() as s:
            row = get_version_row(s, version_id)
            if row.status != VersionStatus.DRAFT:
                raise ImmutableVersionError(_("A published version cannot be deleted."))
            template = row.template
            s.delete(row)
            s.flush()
            record(s, "template.draft_deleted", version_id, self.actor, number=row.number)
            if not template.versions:
                s.delete(template)

    def compare(self, old_version_id: uuid.UUID, new_version_id: uuid.UUID) -> list[Change]:
        """Items added, removed and changed between two versions."""
        return compare(self.content(old_version_id), self.content(new_version_id))

    def install_bundled(self) -> list[ImportResult]:
        """Install the bundled checklists that are not in the database yet (first start)."""
        results = []
        for name in BUNDLED_FILES:
            path = resource_path("checklists", name)
            if not path.exists():
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            marker = f"bundled:{name}"
            with self.db.session() as s:
                seen = s.get(SettingRow, marker)
                if seen is not None and seen.value == digest:
                    continue  # this exact file was installed before: skip parsing at start-up
            results.append(self.import_file(path, publish=True))
            with self.db.session() as s:
                s.merge(SettingRow(key=marker, value=digest))
        return results

    def has_templates(self) -> bool:
        with self.db.session() as s:
            return bool(s.scalar(select(func.count()).select_from(Template)))

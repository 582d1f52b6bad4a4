"""Sync a laptop with the team server (issue 16): push its cases and audit entries, pull templates and exercises.

What travels
    **Pushed**: every completed or signed case (not training answers) with its answers, item flags and
    signed PDFs, originals before their amendments (``revision`` order: the server's foreign key
    ``amends_id`` always finds the case amended); then this database's own audit entries.
    **Pulled**: the server's published template versions (with their templates) and its exercises.

Batches and resuming
    Each batch of cases (``batch_size``) is one server transaction. Only after the server committed
    does the laptop record, in ``sync_records``, each case's content hash as pushed (and each signed
    PDF's). A sync cut at any point (network, SIGKILL) leaves the server with whole batches only; the
    next sync finds the cases of a batch whose record was lost already on the server with the same
    content ("already there") and records them then: no duplicate (the ids are the laptop's UUIDs and
    every insert is ``INSERT ... ON CONFLICT DO NOTHING``), no loss.

Never overwritten, never resolved silently
    A case already on the server is compared by content hash (columns, template key/number/hash,
    answers, flags; ``owner`` and the version's local id aside). Same: nothing to do. A case signed on
    the server is never updated: a laptop copy that differs (a tampered laptop database, or the same
    case signed differently on a copy of the database) is a conflict. A case not signed there is
    updated only when the server still holds what this laptop pushed last (it was completed, then
    signed here); if it changed on the server too, that is a conflict. Conflicts are returned in the
    result and kept in ``sync_conflicts`` until a later sync no longer finds them; the user decides.
    A template version with the same key and number but other content on both sides is a conflict
    too; a pulled version that exists locally with the same hash is left as it is.

Signed records changed on the laptop
    Before a batch goes, its signed cases (amendments too) are checked as the case list checks them
    (``AssessmentService.tampered``: the data against its signed hash), its cases against their sign
    events as ``likvard verify-db`` does (``AuditService.record_problems``: still signed, with the
    hash the sealed event recorded -- a hash recomputed behind the application's back differs) and
    the signed PDFs it carries as verify-db does (``AuditService.document_problems``). What fails is
    not pushed: a "tampered" conflict, found again at every sync (never recorded as pushed), its
    detail verify-db's words when it has them; the rest goes on.

Audit entries on the server (``events.origin``)
    The server's ``events`` table holds its own entries (origin ``''``) and each laptop's, with
    ``origin`` = the laptop database's installation id (setting ``sync.installation_id``, made at
    its first sync) and the laptop's ``seq``, ``prev_mac`` and ``mac`` unchanged: each laptop's
    chain stays whole and verifiable with that laptop's key, and (origin, seq) is unique, so a
    database copied onto two laptops shows up as a conflict ("events_differ") instead of two
    chains mixed. The server refuses an entry about another login's case (row-level security):
    that entry stays on the laptop, reported as "event_refused"; the others go. The chain code (app.storage.audit, AuditService.verify) only reads origin ``''``.
    The laptop keeps the last entry number pushed (setting ``sync.events_seq:<server>``).

Ownership and row-level security
    The sync logs in as the person (URL and password via app.credentials); ``owner`` of every case
    it pushes is the server's ``current_user``. It only inserts, and updates only its own unsigned
    cases, so row-level security (owner = current_user) and the trigger refusing changes of signed
    rows hold. Inserting a template version the server lacks needs the administrator's or a
    trainer's rights: when refused, the cases using it wait, reported as "template_missing".
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.errors import LikvardError
from app.i18n import N_, _
from app.storage import sync as sql
from app.storage.db import HEAD_REVISION, Database, current_revision, make_engine
from app.storage.sync import CaseData, Conflict

if TYPE_CHECKING:
    from app.services.assessments import AssessmentService
    from app.services.audit import AuditService

INSTALLATION_SETTING = "sync.installation_id"
EVENTS_BATCH_FACTOR = 10
#: The one conflict of the audit log with a server (its entries are not compared one by one).
AUDIT_LOG_ID = uuid.UUID(int=0)

#: What each conflict reason means (translated when shown).
REASONS: dict[str, str] = {
    "signed_differs": N_("signed on the server with other data; the laptop's copy differs (changed behind the "
                         "application's back, or signed differently elsewhere). The server's copy was kept."),
    "changed_both": N_("changed on the server and on this laptop since the last sync. Neither copy was changed."),
    "refused": N_("the server did not take this case: another of your cases there has its reference, or it "
                  "belongs to another login."),
    "template_missing": N_("its template version is not on the server, and this login may not add it. Ask an "
                           "administrator or trainer to publish it there."),
    "template_differs": N_("the server has another template version under the same key and number."),
    "original_missing": N_("the case it amends is not on the server."),
    "document_changed": N_("a signed PDF differs from the one with the same id on the server, or was changed "
                           "on this laptop."),
    "events_differ": N_("audit entries with the same numbers differ on the server: this database may be a copy "
                        "of one that synced already."),
    "exercise_differs": N_("the exercise was changed on the server and on this laptop."),
    "tampered": N_("changed on this laptop after it was signed: its data no longer matches its signature. It "
                   "was not sent; check this database with \u201clikvard verify-db\u201d."),
    "event_refused": N_("this audit entry is about a case of another login on the server, which does not take "
                        "it. It stays in this laptop's audit log."),
}

KIND_LABELS: dict[str, str] = {
    sql.KIND_CASE: N_("Case"),
    sql.KIND_DOCUMENT: N_("Signed PDF"),
    sql.KIND_TEMPLATE: N_("Template version"),
    sql.KIND_EXERCISE: N_("Exercise"),
    sql.KIND_EVENT: N_("Audit log"),
}


def reason_text(reason: str) -> str:
    label = REASONS.get(reason)
    return _(label) if label else reason


def kind_text(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return _(label) if label else kind


class SyncError(LikvardError):
    """The sync could not run (server unreachable, wrong schema...). Nothing half-done stays."""


@dataclass(frozen=True)
class SyncProgress:
    """Where a running sync is: ``phase`` (pull, cases, events), ``done`` of ``total``."""

    phase: str
    done: int
    total: int

    @property
    def text(self) -> str:
        if self.phase == "pull":
            return _("Fetching templates and exercises from the server\u2026")
        if self.phase == "cases":
            return _("Sending cases: {done} of {total}").format(done=self.done, total=self.total)
        return _("Sending audit log entries: {done}").format(done=self.done)


@dataclass
class SyncResult:
    """What a sync did. ``pushed``: cases the server took (new or updated); ``already``: cases it
    had already with the same content; ``pulled``: template versions and exercises received."""

    server: str
    pushed: int = 0
    already: int = 0
    unchanged: int = 0
    documents: int = 0
    events: int = 0
    pulled_versions: int = 0
    pulled_exercises: int = 0
    batches: int = 0
    cancelled: bool = False
    conflicts: list[Conflict] = field(default_factory=list)
    seconds: float = 0.0
    server_seconds: float = 0.0

    @property
    def pulled(self) -> int:
        return self.pulled_versions + self.pulled_exercises

    @property
    def exit_code(self) -> int:
        return 1 if self.conflicts or self.cancelled else 0

    def summary(self) -> str:
        return _("Pushed {pushed} cases ({already} already there), {documents} signed PDFs and {events} audit "
                 "entries; pulled {pulled}; {conflicts} conflicts.").format(
            pushed=self.pushed, already=self.already, documents=self.documents, events=self.events,
            pulled=self.pulled, conflicts=len(self.conflicts))


ProgressCallback = Callable[[SyncProgress], None]


def server_key(url: str) -> str:
    """How a laptop names a server in its sync records: host, port and database (no login)."""
    from app.credentials import account

    try:
        return account(url).split("@", 1)[1]
    except Exception:  # noqa: BLE001 - a path or odd URL: itself
        return url


class SyncService:
    """The laptop's side of team mode: :meth:`sync` with one server, :meth:`conflicts` found."""

    def __init__(self, db: Database, actor: str = "", assessments: AssessmentService | None = None,
                 audit: AuditService | None = None) -> None:
        from app.services.assessments import AssessmentService
        from app.services.audit import AuditService

        self.db = db
        self.actor = actor
        self.assessments = assessments or AssessmentService(db, actor)
        self.audit = audit or AuditService(db, actor, self.assessments)

    # --- what the user sees ---------------------------------------------------------------------

    def conflicts(self, server_url: str | None = None) -> list[Conflict]:
        """The conflicts the syncs found and that are still there (oldest first)."""
        with self.db.engine.connect() as conn:
            return sql.load_conflicts(conn, server_key(server_url) if server_url else None)

    def installation_id(self) -> str:
        """This database's name on the servers it syncs with (``events.origin`` there)."""
        with self.db.engine.begin() as conn:
            value = sql.setting(conn, INSTALLATION_SETTING)
            if not value:
                value = uuid.uuid4().hex
                sql.set_setting(conn, INSTALLATION_SETTING, value)
            return str(value)

    # --- the sync -------------------------------------------------------------------------------

    def sync(self, server_url: str, batch_size: int = 200, progress: ProgressCallback | None = None,
             cancel: threading.Event | None = None, password: str | None = None) -> SyncResult:
        """Pull templates and exercises, push cases (in batches) and audit entries; see the module doc.

        ``server_url`` without a password; ``password``: one the person just typed (else the system
        keyring's, if any: app.credentials.connection_url). Raises :class:`app.credentials.PasswordRequired` when the server wants a password, and
        :class:`SyncError` when it cannot be reached or its schema is not this version's."""
        if batch_size < 1:
            raise SyncError(_("The batch size must be at least 1."))
        from app.credentials import redact

        started = time.perf_counter()
        run = _Run(self, server_url, batch_size, progress, cancel, password)
        result = run.result
        result.server = redact(server_url)
        try:
            run.connect()
            run.pull()
            if not run.cancelled():
                run.push_cases()
            if not run.cancelled():
                run.push_events()
        finally:
            run.close()
        result.cancelled = run.cancelled()
        result.seconds = time.perf_counter() - started
        self._record(result)
        return result

    def _record(self, result: SyncResult) -> None:
        from app.services.events import record

        with self.db.session() as s:
            record(s, "sync.completed", None, self.actor, server=result.server, pushed=result.pushed,
                   already=result.already, documents=result.documents, events=result.events,
                   pulled_versions=result.pulled_versions, pulled_exercises=result.pulled_exercises,
                   conflicts=len(result.conflicts), cancelled=result.cancelled)


class _Run:
    """One sync: the server engine, the counters, the conflicts found."""

    def __init__(self, service: SyncService, url: str, batch_size: int, progress: ProgressCallback | None,
                 cancel: threading.Event | None, password: str | None = None) -> None:
        self.service = service
        self.password = password
        self.local: Engine = service.db.engine
        self.url = url
        self.server = server_key(url)
        self.batch_size = batch_size
        self.progress = progress
        self.cancel = cancel
        self.result = SyncResult(url)
        self.engine: Engine | None = None
        self.owner: str | None = None
        self.origin = ""

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def report(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(phase, done, total))

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    # --- connecting -------------------------------------------------------------------------

    def connect(self) -> None:
        from app.credentials import connection_url, password_error, redact

        self.origin = self.service.installation_id()
        try:
            self.engine = make_engine(connection_url(self.url, self.password))
            revision = current_revision(self.engine)
            with self.engine.connect() as conn:
                self.owner = sql.login(conn)
        except LikvardError:
            raise
        except (SQLAlchemyError, OSError, ValueError) as exc:
            asked = password_error(exc, self.url)
            if asked is not None:
                raise asked from exc
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise SyncError(_("Cannot reach the server {server}: {error}").format(
                server=redact(self.url), error=detail)) from exc
        if revision != HEAD_REVISION:
            raise SyncError(_("The server's database is at schema {found}, this version of Likvärd needs {needed}. "
                              "Ask the administrator to run \u201clikvard server init\u201d or \u201clikvard server "
                              "upgrade\u201d.").format(found=revision or _("none"), needed=HEAD_REVISION))

    def _server(self) -> Engine:
        assert self.engine is not None
        return self.engine

    def _save(self, records: dict[str, dict[uuid.UUID, str]], found: Sequence[Conflict],
              cleared: Sequence[tuple[str, uuid.UUID]]) -> None:
        """After the server committed: what was pushed, and the conflicts found or gone."""
        with self.local.begin() as conn:
            for kind, hashes in records.items():
                sql.save_records(conn, self.server, kind, hashes)
            sql.save_conflicts(conn, self.server, found, cleared)
        self.result.conflicts.extend(found)

    # --- pulling ----------------------------------------------------------------------------

    def pull(self) -> None:
        self.report("pull", 0, 0)
        t0 = time.perf_counter()
        with self._server().connect() as conn:
            published = sql.published_versions(conn)
            with self.local.connect() as local:
                mine = sql.server_versions(local, {key for key, _n, _h in published})
            wanted: list[tuple[dict[str, Any], dict[str, Any]]] = []
            found: list[Conflict] = []
            for key, number, digest in published:
                have = mine.get((key, number))
                if have is not None and have[1] == digest:
                    continue
                copied = sql.version_with_template(conn, key, number)
                if copied is None:
                    continue
                if have is None:
                    wanted.append(copied)
                else:
                    found.append(Conflict(sql.KIND_TEMPLATE, have[0], f"{key} v{number}", "template_differs",
                                          laptop_hash=have[1], server_hash=digest))
            exercises = sql.all_exercises(conn)
        self.result.server_seconds += time.perf_counter() - t0
        cleared: list[tuple[str, uuid.UUID]] = []
        with self.local.begin() as local:
            for template, version in wanted:
                if sql.copy_version(local, template, version) is not None:
                    self.result.pulled_versions += 1
            mine_ex = sql.all_exercises(local)
            pulled = sql.records(local, self.server, sql.KIND_EXERCISE)
            hashes: dict[uuid.UUID, str] = {}
            for key, theirs in exercises.items():
                have_ex = mine_ex.get(key)
                if have_ex is None:
                    row = dict(theirs)
                    if sql.existing_ids(local, sql.EXERCISES, [row["id"]]):
                        row["id"] = uuid.uuid4()
                    if sql.insert_new(local, sql.EXERCISES, [row]):
                        self.result.pulled_exercises += 1
                        hashes[row["id"]] = row["content_hash"]
                elif have_ex["content_hash"] == theirs["content_hash"]:
                    hashes[have_ex["id"]] = theirs["content_hash"]
                    cleared.append((sql.KIND_EXERCISE, have_ex["id"]))
                elif pulled.get(have_ex["id"]) == have_ex["content_hash"]:  # unchanged here since pulled
                    sql.update_exercise(local, key, theirs)
                    hashes[have_ex["id"]] = theirs["content_hash"]
                    self.result.pulled_exercises += 1
                    cleared.append((sql.KIND_EXERCISE, have_ex["id"]))
                else:
                    found.append(Conflict(sql.KIND_EXERCISE, have_ex["id"], key, "exercise_differs",
                                          laptop_hash=have_ex["content_hash"], server_hash=theirs["content_hash"]))
            sql.save_records(local, self.server, sql.KIND_EXERCISE, hashes)
            sql.save_conflicts(local, self.server, found, cleared)
        self.result.conflicts.extend(found)

    # --- pushing cases ----------------------------------------------------------------------

    def push_cases(self) -> None:
        with self.local.connect() as local:
            ids = sql.candidate_ids(local)
            recorded = sql.records(local, self.server, sql.KIND_CASE)
            docs_recorded = sql.records(local, self.server, sql.KIND_DOCUMENT)
        total, done = len(ids), 0
        self.report("cases", 0, total)
        pending: list[tuple[CaseData, str]] = []
        unchanged: list[tuple[str, uuid.UUID]] = []
        for start in range(0, total, self.batch_size):
            with self.local.connect() as local:
                cases = sql.load_cases(local, ids[start:start + self.batch_size])
            for case_id in ids[start:start + self.batch_size]:
                case = cases.get(case_id)
                if case is None:  # deleted meanwhile (cannot happen to completed cases; harmless)
                    continue
                digest = case.content_hash()
                if recorded.get(case_id) == digest and all(d in docs_recorded for d in case.documents):
                    unchanged.append((sql.KIND_CASE, case_id))
                    continue
                pending.append((case, digest))
            while len(pending) >= self.batch_size or (pending and start + self.batch_size >= total):
                batch, pending = pending[:self.batch_size], pending[self.batch_size:]
                if unchanged:
                    self._save({}, [], unchanged)
                    self.result.unchanged += len(unchanged)
                    done += len(unchanged)
                    unchanged = []
                self._push_batch(batch, recorded, docs_recorded)
                done += len(batch)
                self.report("cases", done, total)
                if self.cancelled():
                    return
        if unchanged:
            self._save({}, [], unchanged)
            self.result.unchanged += len(unchanged)
            done += len(unchanged)
        self.report("cases", done, total)

    def _versions(self, conn: Connection, cases: Sequence[CaseData]) -> tuple[dict[tuple[str, int, str], uuid.UUID],
                                                                              dict[tuple[str, int, str], str]]:
        """The server's id of each template version the cases use; those it lacks are added
        (when this login may), else the reason they cannot be pushed."""
        wanted = {case.template for case in cases}
        on_server = sql.server_versions(conn, {key for key, _n, _h in wanted})
        ids: dict[tuple[str, int, str], uuid.UUID] = {}
        problems: dict[tuple[str, int, str], str] = {}
        for key, number, digest in sorted(wanted):
            found = on_server.get((key, number))
            if found is None:
                with self.local.connect() as local:
                    copied = sql.version_with_template(local, key, number)
                if copied is not None:
                    try:
                        with conn.begin_nested():
                            found = sql.copy_version(conn, *copied)
                    except DBAPIError:  # no right to add templates (row-level security, grants)
                        found = None
            if found is None:
                problems[(key, number, digest)] = "template_missing"
            elif found[1] != digest:
                problems[(key, number, digest)] = "template_differs"
            else:
                ids[(key, number, digest)] = found[0]
        return ids, problems

    def _push_batch(self, batch: list[tuple[CaseData, str]], recorded: dict[uuid.UUID, str],
                    docs_recorded: dict[uuid.UUID, str]) -> None:
        found: list[Conflict] = []
        pushed: dict[uuid.UUID, str] = {}
        docs_pushed: dict[uuid.UUID, str] = {}
        cleared: list[tuple[str, uuid.UUID]] = []
        counts = {"pushed": 0, "already": 0, "documents": 0}

        def conflict(case: CaseData, reason: str, laptop: str = "", theirs: str = "", detail: str = "") -> None:
            found.append(Conflict(sql.KIND_CASE, case.id, case.reference, reason, detail=detail, laptop_hash=laptop,
                                  server_hash=theirs))

        # signed records changed on this laptop (the case list's "tampered" check; verify-db's checks
        # against the sign events and of signed PDFs) never leave it: a conflict at every sync until
        # the database is put right
        tampered: dict[uuid.UUID, str] = dict.fromkeys(
            self.service.assessments.tampered([case.id for case, _d in batch if case.signed]), "")
        tampered.update(self.service.audit.record_problems([case.id for case, _d in batch]))
        bad_documents = self.service.audit.document_problems(sorted(
            {doc for case, _d in batch if case.id not in tampered for doc in case.documents
             if doc not in docs_recorded}, key=str))
        t0 = time.perf_counter()
        with self._server().begin() as conn:
            versions, problems = self._versions(conn, [case for case, _d in batch if case.id not in tampered])
            ready: list[tuple[CaseData, str]] = []
            for case, digest in batch:
                problem = "tampered" if case.id in tampered else problems.get(case.template)
                if problem is not None:
                    conflict(case, problem, digest, detail=tampered.get(case.id, ""))
                else:
                    ready.append((case, digest))
            in_batch = {case.id for case, _d in ready}
            originals = {case.columns["amends_id"] for case, _d in ready if case.columns["amends_id"] is not None}
            present = sql.existing_ids(conn, sql.ASSESSMENTS, sorted(originals - in_batch, key=str))
            missing = originals - in_batch - present
            if missing:
                for case, digest in ready:
                    if case.columns["amends_id"] in missing:
                        conflict(case, "original_missing", digest)
                ready = [(c, d) for c, d in ready if c.columns["amends_id"] not in missing]
            inserted: set[Any] = set()
            for revision in sorted({case.columns["revision"] for case, _d in ready}):
                rows = [sql.case_rows(case, versions[case.template], self.owner)
                        for case, _d in ready if case.columns["revision"] == revision]
                inserted |= sql.insert_new(conn, sql.ASSESSMENTS, rows)
            answers = [a for case, _d in ready if case.id in inserted for a in case.answers]
            flags = [{"assessment_id": case.id, "item_key": k} for case, _d in ready if case.id in inserted
                     for k in case.flags]
            if answers:
                conn.execute(sql.ANSWERS.insert(), answers)
            if flags:
                conn.execute(sql.FLAGS.insert(), flags)
            fine: list[CaseData] = []
            for case, digest in ready:
                if case.id in inserted:
                    pushed[case.id] = digest
                    counts["pushed"] += 1
                    fine.append(case)
            others = [(case, digest) for case, digest in ready if case.id not in inserted]
            copies = sql.load_cases(conn, [case.id for case, _d in others], document_hashes=False)
            for case, digest in others:
                theirs = copies.get(case.id)
                if theirs is None:
                    conflict(case, "refused", digest)
                    continue
                their_digest = theirs.content_hash()
                if their_digest == digest:
                    pushed[case.id] = digest
                    counts["already"] += 1
                    fine.append(case)
                elif theirs.signed:
                    conflict(case, "signed_differs", digest, their_digest)
                elif recorded.get(case.id) == their_digest:  # as this laptop left it: signed here since
                    sql.replace_children(conn, case)
                    if sql.update_unsigned_case(conn, case, versions[case.template], self.owner):
                        pushed[case.id] = digest
                        counts["pushed"] += 1
                        fine.append(case)
                    else:
                        conflict(case, "signed_differs", digest, their_digest)
                else:
                    conflict(case, "changed_both", digest, their_digest)
            self._push_documents(conn, fine, docs_recorded, docs_pushed, found, counts, bad_documents)
        self.result.server_seconds += time.perf_counter() - t0
        cleared = [(sql.KIND_CASE, i) for i in pushed] + [(sql.KIND_DOCUMENT, i) for i in docs_pushed]
        self._save({sql.KIND_CASE: pushed, sql.KIND_DOCUMENT: docs_pushed}, found, cleared)
        recorded.update(pushed)
        docs_recorded.update(docs_pushed)
        self.result.pushed += counts["pushed"]
        self.result.already += counts["already"]
        self.result.documents += counts["documents"]
        self.result.batches += 1

    def _push_documents(self, conn: Connection, cases: Sequence[CaseData], docs_recorded: dict[uuid.UUID, str],
                        docs_pushed: dict[uuid.UUID, str], found: list[Conflict], counts: dict[str, int],
                        bad: dict[uuid.UUID, str]) -> None:
        owners = {doc: case for case in cases for doc in case.documents if doc not in docs_recorded}
        for doc in sorted(set(owners) & set(bad), key=str):
            found.append(Conflict(sql.KIND_DOCUMENT, doc, owners.pop(doc).reference, "tampered", detail=bad[doc]))
        if not owners:
            return
        with self.local.connect() as local:
            rows = sql.documents_with_content(local, sorted(owners, key=str))
        good: list[dict[str, Any]] = []
        for row in rows:
            actual = hashlib.sha256(row["content"]).hexdigest()
            if actual != row["sha256"]:
                found.append(Conflict(sql.KIND_DOCUMENT, row["id"], owners[row["id"]].reference, "document_changed",
                                      laptop_hash=actual, server_hash=row["sha256"]))
            else:
                good.append(row)
        inserted = sql.insert_new(conn, sql.DOCUMENTS, good)
        rest = [row for row in good if row["id"] not in inserted]
        theirs: dict[uuid.UUID, str] = {}
        if rest:
            from sqlalchemy import select

            theirs = dict(conn.execute(select(sql.DOCUMENTS.c.id, sql.DOCUMENTS.c.sha256)
                                       .where(sql.DOCUMENTS.c.id.in_([r["id"] for r in rest]))).tuples().all())
        for row in good:
            if row["id"] in inserted:
                counts["documents"] += 1
                docs_pushed[row["id"]] = row["sha256"]
            elif theirs.get(row["id"]) == row["sha256"]:
                docs_pushed[row["id"]] = row["sha256"]
            else:
                found.append(Conflict(sql.KIND_DOCUMENT, row["id"], owners[row["id"]].reference, "document_changed",
                                      laptop_hash=row["sha256"], server_hash=theirs.get(row["id"], "")))

    # --- pushing the audit log --------------------------------------------------------------

    def push_events(self) -> None:
        setting = f"sync.events_seq:{self.server}"
        with self.local.connect() as local:
            cursor = int(sql.setting(local, setting) or 0)
        limit = self.batch_size * EVENTS_BATCH_FACTOR
        sent = 0
        self.report("events", 0, 0)
        while not self.cancelled():
            with self.local.connect() as local:
                entries = sql.local_events(local, cursor, limit)
            if not entries:
                break
            for entry in entries:
                entry["origin"] = self.origin
            t0 = time.perf_counter()
            with self._server().connect() as conn:
                transaction = conn.begin()
                inserted, refused = self._insert_events(conn, entries)
                rest = [e for e in entries if e["id"] not in inserted and e["id"] not in refused]
                present = sql.existing_ids(conn, sql.EVENTS, [e["id"] for e in rest]) if rest else set()
                bad = [e for e in rest if e["id"] not in present]
                if bad:  # another chain under this origin: keep none of this batch, report it
                    transaction.rollback()
                    inserted = set()
                else:
                    transaction.commit()
            self.result.server_seconds += time.perf_counter() - t0
            found: list[Conflict] = []
            if bad:
                first = bad[0]
                found.append(Conflict(sql.KIND_EVENT, AUDIT_LOG_ID, _("entry {seq}").format(seq=first["seq"]),
                                      "events_differ"))
            else:
                cursor = int(entries[-1]["seq"])
                found.extend(Conflict(sql.KIND_EVENT, e["id"], _("entry {seq}").format(seq=e["seq"]), "event_refused")
                             for e in entries if e["id"] in refused)
            sent += len(inserted)
            self.result.events += len(inserted)
            with self.local.begin() as local:
                sql.set_setting(local, setting, cursor)
                sql.save_conflicts(local, self.server, found, [] if bad else [(sql.KIND_EVENT, AUDIT_LOG_ID)])
            self.result.conflicts.extend(found)
            self.report("events", sent, 0)
            if bad or len(entries) < limit:
                break

    @staticmethod
    def _insert_events(conn: Connection, entries: Sequence[dict[str, Any]]) -> tuple[set[Any], set[Any]]:
        """Insert the entries the server lacks: (ids inserted, ids refused). The server refuses an
        entry about a case of another login (row-level security, e.g. a colleague's signed PDF
        imported here): then the entries go one by one, and those refused stay on this laptop only."""
        try:
            with conn.begin_nested():
                return sql.insert_new(conn, sql.EVENTS, entries), set()
        except DBAPIError as exc:
            if not _refused_by_policy(exc):
                raise
        inserted: set[Any] = set()
        refused: set[Any] = set()
        for entry in entries:
            try:
                with conn.begin_nested():
                    inserted |= sql.insert_new(conn, sql.EVENTS, [entry])
            except DBAPIError as exc:
                if not _refused_by_policy(exc):
                    raise
                refused.add(entry["id"])
        return inserted, refused


def _refused_by_policy(exc: DBAPIError) -> bool:
    """A row refused by the server's row-level security or privileges (SQLSTATE 42501)."""
    return getattr(exc.orig, "sqlstate", None) == "42501"

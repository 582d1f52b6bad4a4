"""The shared server's access rules as SQL (team mode, PostgreSQL only).

Applied by :mod:`app.services.server` (``likvard server init`` / ``upgrade``) as the administrator,
who owns every table (the app's Alembic migrations made them), in one transaction; every statement
here can be applied again (roles are created when missing, privileges revoked then granted,
policies dropped then created, functions and triggers replaced).

Who sees what (TEAM_MODE.md):

* **likvard_agent**: their own cases only (``owner = current_user``), read and write;
* **likvard_advisor**: read the cases of their branch (their ``team_members`` row), write their own;
* **likvard_trainer**: every case, but only the columns of :data:`TRAINER_ASSESSMENT_COLUMNS`
  (column privileges: never the case reference, the owner, the signature fields), the item flags,
  the exercises and their attempts, and the templates; never answers nor signed PDFs; writes
  templates, versions and exercises.

Child tables (answers, item flags, signed documents, exercise attempts) follow their assessment:
``assessment_id IN (SELECT id FROM assessments)``, a subquery that row-level security filters for
the role running it. Tables not named here get no privileges at all (the safe default):
:data:`MANAGED_TABLES` lists the known ones, and ``init`` names any other it finds.

A trigger refuses an UPDATE or DELETE of a signed assessment, of its answers and of any signed
document to everyone but the table owner (and roles acting as it, e.g. a superuser), with
SQLSTATE :data:`SIGNED_SQLSTATE`.

An audit entry may be added about one's own case, or about something that is no case on the server
(a template, an exercise, a case never pushed): never about another login's case
(``likvard_others_case``, a SECURITY DEFINER function, sees past row-level security to tell).

Case references are unique per owner on the server (:data:`INDEXES`): two agents may both use
"GBG-2026-001". A laptop keeps the app's own index (unique over its whole database).
"""

from __future__ import annotations

from app.enums import AssessmentStatus, TeamRole

#: The NOLOGIN group role of each team role; each person's LOGIN role is a member of exactly one.
GROUP_ROLES: dict[str, str] = {
    TeamRole.AGENT: "likvard_agent",
    TeamRole.ADVISOR: "likvard_advisor",
    TeamRole.TRAINER: "likvard_trainer",
}
AGENT, ADVISOR, TRAINER = (GROUP_ROLES[r] for r in (TeamRole.AGENT, TeamRole.ADVISOR, TeamRole.TRAINER))
ALL_GROUPS = (AGENT, ADVISOR, TRAINER)
CASE_WORKERS = (AGENT, ADVISOR)

#: The error a signed record's guard raises (a client may map it to its own message).
SIGNED_SQLSTATE = "LK001"

#: The assessment columns a trainer may read: what the insights and exercise results need.
#: Never: case_reference, owner, signed_at, signed_by, signed_hash, signature_drawing.
TRAINER_ASSESSMENT_COLUMNS = (
    "id", "template_version_id", "status", "case_date", "advisor", "branch", "ownership", "sector",
    "legal_form", "amount_requested", "amount_granted", "currency", "collateral_required",
    "personal_guarantee_required", "interest_rate", "decision", "decision_date", "meeting_type",
    "application_complete", "collateral_value", "guarantee_amount", "guarantor", "standard_rate",
    "flag_count", "score", "created_at", "updated_at", "completed_at", "revision", "amends_id",
    "reference_duplicate", "training_exercise_id",
)

_RW = "SELECT, INSERT, UPDATE, DELETE"

#: Table -> {group role: privileges}. A table missing here (or a role missing for it) gets nothing.
GRANTS: dict[str, dict[str, str]] = {
    "alembic_version": {g: "SELECT" for g in ALL_GROUPS},
    "settings": {AGENT: "SELECT", ADVISOR: "SELECT", TRAINER: "SELECT, INSERT, UPDATE"},  # policies below
    "team_members": {g: "SELECT" for g in ALL_GROUPS},
    "templates": {AGENT: "SELECT", ADVISOR: "SELECT", TRAINER: _RW},
    "template_versions": {AGENT: "SELECT", ADVISOR: "SELECT", TRAINER: _RW},
    "exercises": {AGENT: "SELECT", ADVISOR: "SELECT", TRAINER: _RW},
    "assessments": {AGENT: _RW, ADVISOR: _RW},  # trainers: column privileges, below
    "answers": {AGENT: _RW, ADVISOR: _RW},
    "item_flags": {AGENT: _RW, ADVISOR: _RW, TRAINER: "SELECT"},
    "signed_documents": {AGENT: _RW, ADVISOR: _RW},
    "exercise_attempts": {AGENT: _RW, ADVISOR: _RW, TRAINER: "SELECT"},
    "events": {AGENT: "SELECT, INSERT", ADVISOR: "SELECT, INSERT", TRAINER: "SELECT, INSERT"},
    # a laptop's own bookkeeping of what it pushed and the conflicts found (migration 0012): unused on
    # the server, so no role gets anything there
    "sync_records": {},
    "sync_conflicts": {},
}
MANAGED_TABLES = tuple(GRANTS)
#: Tables whose rows belong to one assessment (``assessment_id``): they follow its visibility.
CHILD_TABLES = ("answers", "item_flags", "signed_documents", "exercise_attempts")
#: Tables under row-level security (the others are shared by privileges alone).
RLS_TABLES = ("assessments", *CHILD_TABLES, "events", "team_members", "settings")

_ME = "CURRENT_USER::text"
_MY_BRANCH = (f"(SELECT tm.branch FROM public.team_members tm WHERE tm.login = {_ME} "
              "AND tm.branch <> '')")
_VISIBLE = "assessment_id IN (SELECT a.id FROM public.assessments a)"
_MINE = f"assessment_id IN (SELECT a.id FROM public.assessments a WHERE a.owner = {_ME})"

#: (table, policy name, command, roles, USING, WITH CHECK). Permissive: a role's policies are OR'ed.
POLICIES: tuple[tuple[str, str, str, tuple[str, ...], str | None, str | None], ...] = (
    ("assessments", "likvard_agent_own", "ALL", (AGENT,), f"owner = {_ME}", f"owner = {_ME}"),
    ("assessments", "likvard_advisor_read", "SELECT", (ADVISOR,), f"owner = {_ME} OR branch = {_MY_BRANCH}", None),
    ("assessments", "likvard_advisor_insert", "INSERT", (ADVISOR,), None, f"owner = {_ME}"),
    ("assessments", "likvard_advisor_update", "UPDATE", (ADVISOR,), f"owner = {_ME}", f"owner = {_ME}"),
    ("assessments", "likvard_advisor_delete", "DELETE", (ADVISOR,), f"owner = {_ME}", None),
    ("assessments", "likvard_trainer_read", "SELECT", (TRAINER,), "true", None),
    *((table, "likvard_read", "SELECT", ALL_GROUPS, _VISIBLE, None) for table in CHILD_TABLES),
    *((table, "likvard_write_own", "ALL", CASE_WORKERS, _MINE, _MINE) for table in CHILD_TABLES),
    # the entries about cases one may see, and one's own (stamped by likvard_stamp_owner: the sync reads them back)
    ("events", "likvard_read", "SELECT", CASE_WORKERS, "entity_id IN (SELECT a.id FROM public.assessments a)", None),
    ("events", "likvard_read_own", "SELECT", ALL_GROUPS, f"owner = {_ME}", None),
    # ... added by anyone, about their own cases or about no case (templates, exercises, unpushed drafts)
    ("events", "likvard_insert", "INSERT", ALL_GROUPS, None,
     f"owner = {_ME} AND NOT public.likvard_others_case(entity_id, {_ME})"),
    ("team_members", "likvard_self", "SELECT", ALL_GROUPS, f"login = {_ME}", None),
    ("settings", "likvard_read", "SELECT", ALL_GROUPS, "true", None),
    # trainers' template and exercise imports keep their markers here; the audit settings are the server's
    ("settings", "likvard_trainer_write", "ALL", (TRAINER,), "key NOT LIKE 'audit.%'", "key NOT LIKE 'audit.%'"),
)

#: The server's audit id (app.storage.audit.DATABASE_ID_SETTING), set once by init: no laptop holds a
#: key for it, so no client makes one for the server or seals its log (the server's events are
#: protected by privileges instead: the roles may only add entries, never change or delete them).
AUDIT_ID = ("INSERT INTO public.settings (key, value) VALUES (%s, to_json(%s::text)) "
            "ON CONFLICT (key) DO NOTHING")

_SIGNED = AssessmentStatus.SIGNED.value

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION public.likvard_assessment_is_signed(case_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT EXISTS (SELECT 1 FROM public.assessments WHERE id = case_id AND status = '{_SIGNED}') $$;

CREATE OR REPLACE FUNCTION public.likvard_refuse_signed_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS
$$
DECLARE
    table_owner name;
    signed boolean;
BEGIN
    SELECT pg_get_userbyid(c.relowner) INTO table_owner FROM pg_class c WHERE c.oid = TG_RELID;
    IF pg_has_role(current_user, table_owner, 'MEMBER') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_TABLE_NAME = 'assessments' THEN
        signed := OLD.status = '{_SIGNED}';
    ELSIF TG_TABLE_NAME = 'signed_documents' THEN
        signed := true;
    ELSE
        signed := public.likvard_assessment_is_signed(OLD.assessment_id);
    END IF;
    IF signed THEN
        RAISE EXCEPTION 'likvard: a signed record cannot be changed or deleted (%)', TG_TABLE_NAME
            USING ERRCODE = '{SIGNED_SQLSTATE}',
                  HINT = 'A signed assessment is final: amend it with a new revision instead.';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE OR REPLACE FUNCTION public.likvard_fill_owner() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS
$$
BEGIN
    IF NEW.owner IS NULL THEN
        NEW.owner := current_user;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION public.likvard_stamp_owner() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS
$$
BEGIN
    NEW.owner := current_user;
    RETURN NEW;
END
$$;

-- is there a case with this id that ``login`` does not own? Row-level security hides other logins'
-- cases, so the events' insert policy asks this function (a yes or no: never whose case it is)
CREATE OR REPLACE FUNCTION public.likvard_others_case(case_id uuid, login text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT EXISTS (SELECT 1 FROM public.assessments WHERE id = case_id AND owner IS DISTINCT FROM login) $$;

REVOKE ALL ON FUNCTION public.likvard_assessment_is_signed(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.likvard_others_case(uuid, text) FROM PUBLIC;
"""

#: The functions the group roles may call (GRANT EXECUTE by init and upgrade).
GRANTED_FUNCTIONS = ("public.likvard_assessment_is_signed(uuid)", "public.likvard_others_case(uuid, text)")

#: The app's index of one case per reference (migration 0003) is global; on the server two people
#: may use the same reference, so it is replaced by one per owner (same predicate: revisions share
#: their original's reference). Not a migration: laptops keep theirs.
LAPTOP_REFERENCE_INDEX = "uq_assessments_root_reference"
OWNER_REFERENCE_INDEX = "uq_assessments_owner_reference"
INDEXES = f"""
CREATE UNIQUE INDEX IF NOT EXISTS {OWNER_REFERENCE_INDEX} ON public.assessments
    (owner, case_reference, reference_duplicate) WHERE amends_id IS NULL;
DROP INDEX IF EXISTS public.{LAPTOP_REFERENCE_INDEX};
"""

#: The guarded tables (the trigger: likvard_signed_guard).
SIGNED_GUARDED = ("assessments", "answers", "signed_documents")

TRIGGERS = "\n".join(
    f"CREATE OR REPLACE TRIGGER likvard_signed_guard BEFORE UPDATE OR DELETE ON public.{table} "
    f"FOR EACH ROW EXECUTE FUNCTION public.likvard_refuse_signed_change();"
    for table in SIGNED_GUARDED
) + ("\nCREATE OR REPLACE TRIGGER likvard_fill_owner BEFORE INSERT ON public.assessments "
     "FOR EACH ROW EXECUTE FUNCTION public.likvard_fill_owner();"
     "\nCREATE OR REPLACE TRIGGER likvard_stamp_owner BEFORE INSERT ON public.events "
     "FOR EACH ROW EXECUTE FUNCTION public.likvard_stamp_owner();")

#: Is the connected role allowed to prepare the server? (superuser, or CREATEROLE and owner of the database)
ADMIN_CHECK = """
SELECT r.rolsuper, r.rolcreaterole, pg_get_userbyid(d.datdba) = current_user, current_user::text,
       current_database()::text, current_setting('server_version_num')::int
FROM pg_roles r, pg_database d
WHERE r.rolname = current_user AND d.datname = current_database()
"""

#: The tables of the public schema and their owners.
TABLES = """
SELECT c.relname::text, pg_get_userbyid(c.relowner)::text FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""

#: Existing roles among a list of names: ``%s`` is the list.
ROLES_PRESENT = "SELECT rolname::text FROM pg_roles WHERE rolname = ANY(%s)"

#: Every login that belongs to one of the group roles (or has a team_members row), with its facts.
USERS = """
SELECT coalesce(t.login, r.rolname)::text AS login, t.role, t.branch, t.display_name,
       r.rolname IS NOT NULL AS role_exists, coalesce(r.rolcanlogin, false),
       (SELECT string_agg(g.rolname::text, ',' ORDER BY g.rolname) FROM pg_auth_members m
          JOIN pg_roles g ON g.oid = m.roleid
         WHERE m.member = r.oid AND g.rolname IN ('likvard_agent', 'likvard_advisor', 'likvard_trainer')) AS groups
FROM public.team_members t
FULL JOIN (SELECT * FROM pg_roles WHERE oid IN (
             SELECT m.member FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
              WHERE g.rolname IN ('likvard_agent', 'likvard_advisor', 'likvard_trainer'))) r
       ON r.rolname = t.login
ORDER BY 1
"""

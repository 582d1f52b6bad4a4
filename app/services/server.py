"""The shared server of team mode: prepare a PostgreSQL database, its roles and who may see what.

``likvard server init|upgrade|add-user|list-users|remove-user`` (app/cli_server.py) call
:class:`ServerService` with the administrator's URL (a superuser, or a role with CREATEROLE that
owns the database). The schema is the app's own (its Alembic migrations, :func:`prepare_schema`);
roles, privileges, row-level security policies and the signed-record guard are the SQL of
:mod:`app.storage.server_sql`, applied again by every ``init`` and ``upgrade``.

Passwords: each person's LOGIN role gets a password whose SCRAM-SHA-256 verifier is computed here,
on the administrator's computer (libpq's ``PQencryptPasswordConn``), so the plain password never
travels to the server nor appears in its logs; PostgreSQL keeps only the verifier.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from app.credentials import is_url, password_error, redact
from app.enums import TEAM_ROLES, TeamRole
from app.errors import LikvardError
from app.i18n import _
from app.storage import server_sql as q

#: A login: lower-case letters, digits, ``_ . -``; starting with a letter; at most 63 characters
#: (PostgreSQL's identifier limit). Lower case only: an unquoted name in psql is folded to it.
LOGIN_PATTERN = re.compile(r"[a-z][a-z0-9_.\-]{0,62}")
RESERVED_LOGINS = frozenset({"postgres", "public", "none", "current_user", "current_role", "session_user",
                             "user", "all", "likvard"})
MIN_PASSWORD = 8


class ServerError(LikvardError):
    """The server could not be prepared or changed (the message says why and what to do)."""


@dataclass
class ServerReport:
    """What ``init`` or ``upgrade`` did."""

    database: str
    admin: str
    revision_before: str | None
    revision_after: str | None
    roles_created: list[str] = field(default_factory=list)
    #: Tables of the database this version knows nothing about: no role may read them.
    unmanaged_tables: list[str] = field(default_factory=list)
    #: The bundled checklists ("key vN") and exercises (keys) installed by this run.
    checklists_installed: list[str] = field(default_factory=list)
    exercises_installed: list[str] = field(default_factory=list)


@dataclass
class TeamUser:
    login: str
    role: str | None
    branch: str | None
    display_name: str | None
    role_exists: bool
    can_login: bool
    groups: list[str]


def check_login(login: str) -> str:
    """``login`` when it can be a person's server login, else a translated ServerError."""
    if not LOGIN_PATTERN.fullmatch(login or ""):
        raise ServerError(_("\u201c{login}\u201d cannot be a login: use 1 to 63 lower-case letters, digits, "
                            "\u201c_\u201d, \u201c.\u201d or \u201c-\u201d, starting with a letter.").format(login=login))
    if login in RESERVED_LOGINS or login.startswith(("pg_", "likvard_")):
        raise ServerError(_("\u201c{login}\u201d is reserved: choose another login.").format(login=login))
    return login


def check_password(password: str, repeated: str | None = None) -> str:
    if repeated is not None and password != repeated:
        raise ServerError(_("The two passwords differ; nothing was changed."))
    if len(password) < MIN_PASSWORD:
        raise ServerError(_("The password is too short: at least {count} characters.").format(count=MIN_PASSWORD))
    if "\x00" in password:
        raise ServerError(_("The password cannot contain a NUL character."))
    return password


def scram_verifier(conn: Any, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password`` for ``login``, computed by libpq on this computer."""
    verifier: bytes = conn.pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"),
                                                   b"scram-sha-256")
    text = verifier.decode("ascii")
    if not text.startswith("SCRAM-SHA-256$"):  # never send anything else
        raise ServerError(_("Could not compute the password's SCRAM hash."))
    return text


def prepare_schema(url: str) -> tuple[str | None, str | None]:
    """The app's migrations on the server (app.storage.db.prepare_schema): the revisions before and after."""
    from app.storage.db import HEAD_REVISION
    from app.storage.db import prepare_schema as migrate_server

    return migrate_server(url) or None, HEAD_REVISION


class ServerService:
    """Administration of the shared server over the administrator's ``url``."""

    def __init__(self, url: str) -> None:
        if not is_url(url):
            raise ServerError(_("\u201c{url}\u201d is not a server address. Give a PostgreSQL URL, e.g. "
                                "postgresql+psycopg://admin@server/likvard.").format(url=url))
        from sqlalchemy.engine import make_url

        try:
            parsed = make_url(url)
        except Exception as exc:
            raise ServerError(_("\u201c{url}\u201d is not a valid server address: {error}").format(
                url=redact(url), error=exc)) from exc
        if parsed.get_backend_name() != "postgresql":
            raise ServerError(_("Team mode needs a PostgreSQL server; {url} is a {backend} database.").format(
                url=redact(url), backend=parsed.get_backend_name()))
        self.url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)

    # --- connections -------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        """The administrator's psycopg connection (one transaction: committed at the end)."""
        from sqlalchemy.engine import make_url

        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is an app dependency
            raise ServerError(_("The PostgreSQL driver (psycopg) is not installed.")) from exc
        u = make_url(self.url)
        params: dict[str, Any] = {"dbname": u.database or "", "user": u.username or "",
                                  "connect_timeout": 15, "application_name": "likvard server"}
        if u.password:
            params["password"] = u.password
        if u.host:
            params["host"] = u.host
        if u.port:
            params["port"] = u.port
        for name, value in u.query.items():
            params[name] = value if isinstance(value, str) else value[-1]
        try:
            conn = psycopg.connect(**params)
        except psycopg.Error as exc:
            raise self._translate(exc) from exc
        try:
            yield conn
            conn.commit()
        except psycopg.Error as exc:
            conn.rollback()
            raise self._translate(exc) from exc
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def _translate(self, exc: Exception) -> LikvardError:
        asked = password_error(exc, self.url)
        if asked is not None:
            return asked
        detail = str(exc).strip()
        return ServerError(_("The server {url} refused: {error}").format(url=redact(self.url), error=detail))

    def _admin(self, conn: Any) -> tuple[str, str]:
        """(administrator, database) after checking the connected role may prepare the server."""
        row = conn.execute(q.ADMIN_CHECK).fetchone()
        superuser, createrole, owns_db, login, database, version = row
        if version < 140000:
            raise ServerError(_("Team mode needs PostgreSQL 14 or newer; this server is version {version}.").format(
                version=f"{version // 10000}.{version % 10000}"))
        if not superuser and not (createrole and owns_db):
            raise ServerError(_("{login} cannot prepare the server: connect as a superuser, or as a role with "
                                "CREATEROLE that owns the database {database}.").format(login=login, database=database))
        return login, database

    # --- init and upgrade ----------------------------------------------------------------------

    def init(self) -> ServerReport:
        """Schema (the app's migrations), group roles, privileges, row-level security, the guard."""
        with self._connect() as conn:  # refuse a non-administrator before creating any table
            self._admin(conn)
        try:
            before, after = prepare_schema(self.url)
        except LikvardError:  # a password asked for, a database too new...
            raise
        except Exception as exc:
            raise self._translate(exc) from exc
        with self._connect() as conn:
            admin, database = self._admin(conn)
            report = ServerReport(database, admin, before, after)
            report.roles_created, report.unmanaged_tables = self._apply_access(conn, admin, database)
        self._install_bundled(report)
        return report

    def _install_bundled(self, report: ServerReport) -> None:
        """The bundled checklists and exercises, as a laptop's first start installs them: the laptops
        pull them, and a case pushed from a laptop finds its template version (agents and advisors
        may not add templates). Those already there (same key and content) are left as they are."""
        from app.services import Services
        from app.storage.db import open_database

        db = open_database(url=self.url)
        try:
            services = Services(db, actor=report.admin)
            for result in services.templates.install_bundled():
                if result.created:
                    report.checklists_installed.append(f"{result.version.template_key} v{result.version.number}")
            report.exercises_installed = list(services.exercises.install_bundled().created)
        finally:
            db.close()

    def upgrade(self) -> ServerReport:
        """The same as :meth:`init` on an existing server: new migrations, then the access rules
        again (new tables and columns get their privileges and policies)."""
        with self._connect() as conn:
            conn.execute("SELECT 1")
            tables = {name for name, _owner in conn.execute(q.TABLES).fetchall()}
        if "alembic_version" not in tables:
            raise ServerError(_("{url} is not a Likvärd server yet: run \u201clikvard server init\u201d first.").format(
                url=redact(self.url)))
        return self.init()

    def _apply_access(self, conn: Any, admin: str, database: str) -> tuple[list[str], list[str]]:
        from psycopg import sql

        present = {row[0] for row in conn.execute(q.ROLES_PRESENT, (list(q.ALL_GROUPS),)).fetchall()}
        created = []
        for role in q.ALL_GROUPS:
            if role not in present:
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
                created.append(role)
        groups = sql.SQL(", ").join(sql.Identifier(r) for r in q.ALL_GROUPS)
        db = sql.Identifier(database)
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, groups))
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(groups))
        tables = dict(conn.execute(q.TABLES).fetchall())
        superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        foreign = sorted(t for t in q.MANAGED_TABLES if t in tables and tables[t] != admin)
        if foreign and not superuser:
            raise ServerError(_("The tables {tables} belong to another role than {admin}: connect as their owner "
                                "or as a superuser.").format(tables=", ".join(foreign), admin=admin))
        for table in tables:
            conn.execute(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(_table(table), groups))
        for table, grants in q.GRANTS.items():
            if table not in tables:
                continue
            for role, privileges in grants.items():
                conn.execute(sql.SQL("GRANT {} ON TABLE {} TO {}").format(
                    sql.SQL(privileges), _table(table), sql.Identifier(role)))
        if "assessments" in tables:
            columns = {row[0] for row in conn.execute(
                "SELECT attname::text FROM pg_attribute WHERE attrelid = 'public.assessments'::regclass "
                "AND attnum > 0 AND NOT attisdropped").fetchall()}
            readable = [c for c in q.TRAINER_ASSESSMENT_COLUMNS if c in columns]
            conn.execute(sql.SQL("GRANT SELECT ({}) ON TABLE public.assessments TO {}").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in readable), sql.Identifier(q.TRAINER)))
        conn.execute(q.FUNCTIONS)
        for function in q.GRANTED_FUNCTIONS:
            conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(sql.SQL(function), groups))
        if "assessments" in tables:
            conn.execute(q.INDEXES)
        for table in q.RLS_TABLES:
            if table in tables:
                conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(_table(table)))
        for table, name in conn.execute("SELECT tablename::text, policyname::text FROM pg_policies "
                                        "WHERE schemaname = 'public' AND policyname LIKE 'likvard%'").fetchall():
            conn.execute(sql.SQL("DROP POLICY {} ON {}").format(sql.Identifier(name), _table(table)))
        for table, name, command, roles, using, check in q.POLICIES:
            if table not in tables:
                continue
            statement = sql.SQL("CREATE POLICY {} ON {} FOR {} TO {}").format(
                sql.Identifier(name), _table(table), sql.SQL(command),
                sql.SQL(", ").join(sql.Identifier(r) for r in roles))
            if using is not None:
                statement += sql.SQL(" USING ({})").format(sql.SQL(using))
            if check is not None:
                statement += sql.SQL(" WITH CHECK ({})").format(sql.SQL(check))
            conn.execute(statement)
        conn.execute(q.TRIGGERS)
        if "settings" in tables:
            import uuid

            from app.storage.audit import DATABASE_ID_SETTING

            conn.execute(q.AUDIT_ID, (DATABASE_ID_SETTING, "server-" + uuid.uuid4().hex))
        unmanaged = sorted(t for t in tables if t not in q.MANAGED_TABLES)
        return created, unmanaged

    # --- people -------------------------------------------------------------------------------

    def add_user(self, login: str, role: str, password: str, *, branch: str = "", name: str = "") -> None:
        """A LOGIN role for one person, member of their role's group, with a team_members row."""
        from psycopg import sql

        check_login(login)
        if role not in TEAM_ROLES:
            raise ServerError(_("\u201c{role}\u201d is not a role; choose one of: {roles}.").format(
                role=role, roles=", ".join(TEAM_ROLES)))
        branch, name = branch.strip(), name.strip()
        if role in (TeamRole.AGENT, TeamRole.ADVISOR) and not branch:
            raise ServerError(_("An agent or an advisor needs a branch (--branch)."))
        check_password(password)
        with self._connect() as conn:
            admin, _database = self._admin(conn)
            self._require_initialised(conn)
            if login == admin:
                raise ServerError(_("\u201c{login}\u201d is the administrator's own login.").format(login=login))
            if conn.execute(q.ROLES_PRESENT, ([login],)).fetchone():
                raise ServerError(_("The login \u201c{login}\u201d already exists on this server.").format(login=login))
            verifier = scram_verifier(conn, login, password)
            # the verifier, not the password, is what travels: PostgreSQL stores it as it is
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}")
                         .format(sql.Identifier(login), sql.Literal(verifier)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(q.GROUP_ROLES[role]), sql.Identifier(login)))
            conn.execute("INSERT INTO public.team_members (login, role, branch, display_name, created_at) "
                         "VALUES (%s, %s, %s, %s, now())", (login, str(role), branch, name))

    def remove_user(self, login: str) -> None:
        """Drop a person's login (their cases stay, with ``owner`` still naming them)."""
        from psycopg import sql

        check_login(login)
        with self._connect() as conn:
            self._admin(conn)
            self._require_initialised(conn)
            known = [u for u in self._users(conn) if u.login == login]
            if not known:
                raise ServerError(_("There is no team member \u201c{login}\u201d on this server.").format(login=login))
            if known[0].role_exists:
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))
            conn.execute("DELETE FROM public.team_members WHERE login = %s", (login,))

    def list_users(self) -> list[TeamUser]:
        with self._connect() as conn:
            self._admin(conn)
            self._require_initialised(conn)
            return self._users(conn)

    def _users(self, conn: Any) -> list[TeamUser]:
        return [TeamUser(login, role, branch, display, bool(exists), bool(can_login),
                         groups.split(",") if groups else [])
                for login, role, branch, display, exists, can_login, groups in conn.execute(q.USERS).fetchall()]

    def _require_initialised(self, conn: Any) -> None:
        tables = {name for name, _owner in conn.execute(q.TABLES).fetchall()}
        present = {row[0] for row in conn.execute(q.ROLES_PRESENT, (list(q.ALL_GROUPS),)).fetchall()}
        if "team_members" not in tables or present != set(q.ALL_GROUPS):
            raise ServerError(_("{url} is not a Likvärd server yet: run \u201clikvard server init\u201d first.").format(
                url=redact(self.url)))

    # --- what the administrator does next --------------------------------------------------------

    def laptop_url(self, login: str = "LOGIN") -> str:
        """The address each person gives ``likvard sync --server`` (no password in it)."""
        from sqlalchemy.engine import make_url

        u = make_url(self.url)
        host = u.host or "SERVER"
        port = f":{u.port}" if u.port and u.port != 5432 else ""
        return f"postgresql+psycopg://{login}@{host}{port}/{u.database or ''}"

    def next_steps(self, report: ServerReport) -> str:
        """What the administrator must do after ``init`` (translated, plain text)."""
        lines = [
            _("The server database {database} is ready (schema {revision}).").format(
                database=report.database, revision=report.revision_after or "?"),
        ]
        if report.checklists_installed or report.exercises_installed:
            lines.append(_("Installed the bundled checklists ({checklists}) and {count} training exercises: the "
                           "laptops receive them at their next sync.").format(
                checklists=", ".join(report.checklists_installed) or "—",
                count=len(report.exercises_installed)))
        lines += [
            "",
            _("Next steps:"),
            _("1. Let the laptops in with passwords only, over TLS. In pg_hba.conf (then reload PostgreSQL):"),
            f"     hostssl  {report.database}  +likvard_agent    0.0.0.0/0  scram-sha-256",
            f"     hostssl  {report.database}  +likvard_advisor  0.0.0.0/0  scram-sha-256",
            f"     hostssl  {report.database}  +likvard_trainer  0.0.0.0/0  scram-sha-256",
            _("   and in postgresql.conf: ssl = on (with the server's certificate), "
              "password_encryption = scram-sha-256, listen_addresses = '*'."),
            _("   Replace 0.0.0.0/0 by your network (e.g. 192.168.1.0/24)."),
            _("2. Add each person (the password is asked twice; PostgreSQL keeps only its SCRAM hash):"),
            f"     likvard server add-user anna --role {TeamRole.AGENT} --branch Borås --name \"Anna Berg\" "
            f"--server {shlex.quote(redact(self.url))}",
            _("3. Back up the server every night, e.g.:"),
            f"     pg_dump --format=custom --file=likvard-$(date +%F).dump {report.database}",
            _("   (restore with pg_restore --clean --dbname={database}).").format(database=report.database),
            _("4. Give each laptop its address (their own login; the password is asked, or kept in the system "
              "keyring):"),
            f"     {self.laptop_url('anna')}",
            _("5. On each laptop: likvard sync --server {url} (or File \u2192 Sync with server\u2026 in the app).").format(
                url=self.laptop_url("anna")),
            _("After installing a new version of Likvärd: likvard server upgrade --server ADMIN_URL."),
        ]
        if report.unmanaged_tables:
            lines += ["", _("No role may read these tables (unknown to this version): {tables}.").format(
                tables=", ".join(report.unmanaged_tables))]
        return "\n".join(lines)


def _table(name: str) -> Any:
    from psycopg import sql

    return sql.Identifier("public", name)

"""``likvard server ...``: prepare and administer the shared PostgreSQL server of team mode.

``likvard server init --server ADMIN_URL``, ``likvard server upgrade --server ADMIN_URL``,
``likvard server add-user LOGIN --role agent|advisor|trainer --branch B [--name N] [--password-stdin]
--server ADMIN_URL``, ``likvard server list-users --server ADMIN_URL``,
``likvard server remove-user LOGIN --server ADMIN_URL``.

The administrator's password comes from the URL, the system keyring (app.credentials) or, when
the server asks for it and a terminal is there, from ``getpass``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from app.enums import TEAM_ROLES
from app.errors import LikvardError
from app.i18n import _

COMMAND = "server"
ATTEMPTS = 3
T = TypeVar("T")


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    server = sub.add_parser(COMMAND, parents=[common],
                            help=_("team mode: prepare the shared PostgreSQL server and its users"))
    ssub = server.add_subparsers(dest="action", metavar="ACTION", required=True)
    target = argparse.ArgumentParser(add_help=False)
    target.add_argument("--server", metavar="ADMIN_URL", required=True,
                        help=_("the administrator's address, e.g. postgresql+psycopg://admin@server/likvard"))
    ssub.add_parser("init", parents=[common, target],
                    help=_("make the schema, roles and access rules of a new server database"))
    ssub.add_parser("upgrade", parents=[common, target],
                    help=_("bring the server's schema and access rules up to this version"))
    add = ssub.add_parser("add-user", parents=[common, target], help=_("add a person's login to the server"))
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--role", choices=TEAM_ROLES, required=True, help=_("what the person may see"))
    add.add_argument("--branch", metavar="B", default="", help=_("the person's branch (agents and advisors)"))
    add.add_argument("--name", metavar="N", default="", help=_("the name shown for the person"))
    add.add_argument("--password-stdin", action="store_true",
                     help=_("read the new password from the first line of standard input"))
    ssub.add_parser("list-users", parents=[common, target], help=_("list the server's team members"))
    remove = ssub.add_parser("remove-user", parents=[common, target],
                             help=_("remove a person's login (their cases stay)"))
    remove.add_argument("login", metavar="LOGIN")


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def with_admin_password(url: str, action: Callable[[str], T], *, can_ask: bool | None = None) -> T:
    """Run ``action(url)`` with the administrator's password from the URL or the keyring, asking
    for it (app.cli.ask_password: getpass) when the server wants one and a terminal is there."""
    from app.cli import ask_password
    from app.credentials import PasswordRequired, asking, connection_url

    def cannot_ask(exc: PasswordRequired) -> str | None:
        raise LikvardError(exc.message + " " + _(
            "Run the command in a terminal to be asked for it, or keep it in the system keyring.")) from exc

    ask = (_interactive() if can_ask is None else can_ask)
    try:
        return asking(lambda password: action(connection_url(url, password)), ask_password if ask else cannot_ask,
                      tries=ATTEMPTS)
    except PasswordRequired as exc:  # refused every time, or nothing typed
        raise LikvardError(_("The server refused the password {count} times; nothing was changed.").format(
            count=ATTEMPTS) if exc.refused else exc.message) from exc


def _new_password(args: argparse.Namespace) -> str:
    import getpass

    from app.services.server import check_password

    if args.password_stdin:
        line = sys.stdin.readline()
        return check_password(line.rstrip("\r\n"))
    if not _interactive():
        raise LikvardError(_("No terminal to ask for the new password: use --password-stdin."))
    first = getpass.getpass(_("New password for {login}: ").format(login=args.login))
    return check_password(first, getpass.getpass(_("The same password again: ")))


def run(args: argparse.Namespace) -> int:
    from app.services.server import ServerService

    def service(url: str) -> ServerService:
        return ServerService(url)

    ServerService(args.server)  # a wrong address is refused before anything is asked
    if args.action in ("init", "upgrade"):
        report = with_admin_password(args.server, lambda url: getattr(service(url), args.action)())
        svc = service(args.server)
        if args.action == "init":
            print(svc.next_steps(report))
        else:
            print(_("The server database {database} is at schema {revision} (was {before}); access rules "
                    "applied again.").format(database=report.database, revision=report.revision_after or "?",
                                            before=report.revision_before or "-"))
            if report.unmanaged_tables:
                print(_("No role may read these tables (unknown to this version): {tables}.").format(
                    tables=", ".join(report.unmanaged_tables)))
        return 0
    if args.action == "add-user":
        from app.services.server import check_login

        check_login(args.login)
        password = _new_password(args)
        with_admin_password(args.server, lambda url: service(url).add_user(
            args.login, args.role, password, branch=args.branch, name=args.name), can_ask=not args.password_stdin
            and _interactive())
        print(_("Added {login} ({role}). Their address: {url}").format(
            login=args.login, role=args.role, url=service(args.server).laptop_url(args.login)))
        return 0
    if args.action == "list-users":
        users = with_admin_password(args.server, lambda url: service(url).list_users())
        if not users:
            print(_("No team members yet: add them with \u201clikvard server add-user\u201d."))
        for user in users:
            notes = []
            if not user.role_exists:
                notes.append(_("no login role"))
            elif not user.can_login:
                notes.append(_("cannot log in"))
            print("\t".join([user.login, user.role or "-", user.branch or "-", user.display_name or "",
                             ", ".join(notes)]).rstrip())
        return 0
    if args.action == "remove-user":
        with_admin_password(args.server, lambda url: service(url).remove_user(args.login))
        print(_("Removed the login {login}; their cases stay on the server.").format(login=args.login))
        return 0
    return 2

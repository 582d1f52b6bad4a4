"""``likvard sync --server URL [--batch N]``: push this laptop's cases and audit log to the team server,
pull its templates and exercises (app.services.sync). Exit code 0, or 1 on conflicts or errors."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.i18n import _

COMMAND = "sync"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``sync`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser(COMMAND, parents=[common], help=_("sync this laptop with the team server"))
    parser.add_argument("--server", required=True, metavar="URL",
                        help=_("the server's address, e.g. postgresql+psycopg://anna@db.example/likvard "
                               "(the password from the system keyring, else asked)"))
    parser.add_argument("--batch", type=int, default=200, metavar="N",
                        help=_("cases per server transaction (default 200)"))


def run(services: Any, args: argparse.Namespace) -> int:
    """Run the sync with progress lines and a summary; the conflicts are listed."""
    from app.cli import ask_password
    from app.credentials import PasswordRequired, asking, redact
    from app.errors import LikvardError
    from app.services.sync import SyncProgress, kind_text, reason_text

    if args.batch < 1:
        raise LikvardError(_("--batch must be at least 1."))
    last = [""]

    def progress(p: SyncProgress) -> None:
        text = p.text
        if text != last[0]:
            print(text, flush=True)
            last[0] = text

    print(_("Syncing with {server}\u2026").format(server=redact(args.server)), flush=True)
    try:
        result = asking(lambda password: services.sync.sync(args.server, batch_size=args.batch, progress=progress,
                                                            password=password), ask_password)
    except PasswordRequired as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        return 1
    print(result.summary())
    if result.unchanged:
        print(_("{count} cases were already synced and unchanged.").format(count=result.unchanged))
    if result.cancelled:
        print(_("The sync was cancelled; run it again to finish."))
    if result.conflicts:
        print(_("Conflicts (nothing was overwritten; see also File \u2192 Sync with server\u2026):"))
        for c in result.conflicts:
            print("  " + _("{kind} {reference}: {reason}").format(kind=kind_text(c.kind), reference=c.reference,
                                                                  reason=reason_text(c.reason)))
    return result.exit_code

"""The command line of the audit log and of the signed records' check.

``likvard audit verify`` (exit 0 intact, 1 broken, 2 no key on this computer),
``likvard audit list [--case CASE] [--kind K] [--since DATE] [--json]``,
``likvard audit export FILE.csv`` and ``likvard verify-db`` (exit 0 all intact, 1 problems listed).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, time
from typing import Any

from app.errors import LikvardError
from app.i18n import _, format_datetime, ngettext

COMMANDS = ("audit", "verify-db")


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    audit = sub.add_parser("audit", parents=[common], help=_("the audit log: verify, list, export"))
    asub = audit.add_subparsers(dest="action", metavar="ACTION", required=True)
    asub.add_parser("verify", parents=[common], help=_("check that no entry of the audit log was changed or deleted"))
    alist = asub.add_parser("list", parents=[common], help=_("list audit log entries"))
    _filters(alist)
    alist.add_argument("--json", action="store_true", help=_("machine-readable output"))
    aexp = asub.add_parser("export", parents=[common], help=_("write the audit log to a CSV file"))
    aexp.add_argument("file", metavar="FILE.csv")
    _filters(aexp)
    sub.add_parser("verify-db", parents=[common],
                   help=_("check every signed record against its hash, its sign event and its signed PDF"))


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", metavar="CASE", help=_("only this case (id or case reference), all its revisions"))
    parser.add_argument("--kind", metavar="KIND", help=_("only this kind of entry (e.g. assessment.signed)"))
    parser.add_argument("--since", metavar="DATE", help=_("only entries on or after this date (YYYY-MM-DD)"))


def _filter(services: Any, args: argparse.Namespace) -> Any:
    from app.services.audit import AuditFilter

    flt = AuditFilter(kind=args.kind or None)
    if args.case:
        flt.assessment_id = services.assessments.resolve(args.case)
    if args.since:
        try:
            day = date.fromisoformat(args.since)
        except ValueError:
            raise LikvardError(_("\u201c{date}\u201d is not a date (YYYY-MM-DD).").format(date=args.since)) from None
        flt.since = datetime.combine(day, time.min, tzinfo=UTC)
    return flt


def run(services: Any, args: argparse.Namespace) -> int:
    audit = services.audit
    if args.command == "verify-db":
        problems = audit.verify_records()
        if not problems:
            print(_("Every signed record is intact."))
            return 0
        print(ngettext("{count} problem with the signed records:", "{count} problems with the signed records:",
                       len(problems)).format(count=len(problems)), file=sys.stderr)
        for problem in problems:
            print("  " + str(problem), file=sys.stderr)
        return 1
    if args.action == "verify":
        verdict = audit.verify()
        if verdict.state == "intact":
            print(verdict.message)
        else:
            for text in verdict.problems or [verdict.message]:
                print(text, file=sys.stderr)
        return verdict.exit_code
    flt = _filter(services, args)
    if args.action == "export":
        count = audit.export_csv(args.file, flt)
        print(ngettext("Wrote {count} entry to {path}.", "Wrote {count} entries to {path}.", count).format(
            count=count, path=args.file))
        return 0
    entries = audit.list(flt)
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print(_("No audit log entries."))
    for e in entries:
        print("\t".join([str(e.seq) if e.seq is not None else "\u2013", format_datetime(e.at), e.actor or "\u2013",
                         e.what, e.case_reference, e.change_text()]))
    return 0

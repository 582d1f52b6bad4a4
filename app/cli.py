"""The headless front door: the same services as the GUI.

``likvard`` with no subcommand opens the desktop application.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__, audit_commands, cli_server, cli_sync
from app.enums import ASSESSMENT_STATUSES, LANGUAGE_CODES, VersionStatus
from app.errors import LikvardError, TemplateFormatError
from app.i18n import _, format_date, format_money, format_percent, get_language, ngettext, set_language
from app.pdf import commands as pdf_commands


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's copy of these options must not reset a value given before it
    common.add_argument("--db", metavar="PATH|URL", default=argparse.SUPPRESS,
                        help=_("database file, or a server URL such as postgresql+psycopg://anna@host/likvard "
                               "(default: LIKVARD_DB or the user data folder)"))
    common.add_argument("--lang", choices=LANGUAGE_CODES, default=argparse.SUPPRESS,
                        help=_("language of messages (and of PDF summaries)"))

    insight_filters = argparse.ArgumentParser(add_help=False)
    insight_filters.add_argument("--from", dest="date_from", metavar="DATE", help=_("cases from this date (YYYY-MM-DD)"))
    insight_filters.add_argument("--to", dest="date_to", metavar="DATE", help=_("cases up to this date (YYYY-MM-DD)"))
    insight_filters.add_argument("--branch", metavar="B", help=_("only this branch"))
    insight_filters.add_argument("--advisor", metavar="A", help=_("only this advisor"))
    insight_filters.add_argument("--template", metavar="T", help=_("only this template (its key)"))
    insight_filters.add_argument("--sector", metavar="S", help=_("only this sector (its key)"))

    parser = argparse.ArgumentParser(prog="likvard", parents=[common],
                                     description=_("Likvärd: equal-opportunity checklists for credit and business advice."))
    parser.add_argument("--version", action="version", version=f"likvard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", parents=[common], help=_("open the desktop application (the default)"))

    templates = sub.add_parser("templates", parents=[common], help=_("list, import and export checklist templates"))
    tsub = templates.add_subparsers(dest="action", metavar="ACTION", required=True)
    tlist = tsub.add_parser("list", parents=[common], help=_("list templates and their versions"))
    tlist.add_argument("--json", action="store_true", help=_("machine-readable output"))
    timp = tsub.add_parser("import", parents=[common], help=_("import a template file (.json, .xlsx or .xlsm)"))
    timp.add_argument("file", metavar="FILE")
    timp.add_argument("--draft", action="store_true", help=_("import as a draft instead of publishing it"))
    timp.add_argument("--allow-partial", action="store_true",
                      help=_("XLSForm: import even if some rows cannot be represented"))
    texp = tsub.add_parser("export", parents=[common], help=_("export a template version (.json or .xlsx)"))
    texp.add_argument("template", metavar="TEMPLATE[@VERSION]")
    texp.add_argument("file", metavar="FILE")

    trep = tsub.add_parser("import-report", parents=[common],
                           help=_("show what the import of a template version's spreadsheet left out"))
    trep.add_argument("template", metavar="TEMPLATE[@VERSION]")

    tpub = tsub.add_parser("publish", parents=[common], help=_("publish a draft template version"))
    tpub.add_argument("template", metavar="TEMPLATE[@VERSION]",
                      help=_("the draft to publish; without @VERSION the template's latest draft"))

    assessments = sub.add_parser("assessments", parents=[common], help=_("list and show assessments"))
    asub = assessments.add_subparsers(dest="action", metavar="ACTION", required=True)
    alist = asub.add_parser("list", parents=[common], help=_("list assessments"))
    alist.add_argument("--status", choices=ASSESSMENT_STATUSES, help=_("only this status"))
    alist.add_argument("--json", action="store_true", help=_("machine-readable output"))
    ashow = asub.add_parser("show", parents=[common], help=_("show one assessment"))
    ashow.add_argument("id", metavar="ASSESSMENT", help=_("the assessment's id or case reference"))
    ashow.add_argument("--json", action="store_true", help=_("machine-readable output"))

    aexp = asub.add_parser("export", parents=[common, insight_filters],
                           help=_("export the counted cases (one row per case) as CSV or XLSX"))
    aexp.add_argument("file", metavar="FILE.csv|FILE.xlsx")

    report = sub.add_parser("report", parents=[common, insight_filters],
                            help=_("equal-opportunity insights: indicators per ownership group"))
    report.add_argument("--format", choices=["table", "csv", "json", "xlsx", "pdf"], default="table",
                        help=_("output format (default: table)"))
    report.add_argument("--out", metavar="FILE", help=_("write to FILE instead of the terminal"))

    exercises = sub.add_parser("exercises", parents=[common],
                               help=_("training exercises: list, import, export, trainees' results"))
    esub = exercises.add_subparsers(dest="action", metavar="ACTION", required=True)
    elist = esub.add_parser("list", parents=[common], help=_("list the training exercises"))
    elist.add_argument("--json", action="store_true", help=_("machine-readable output"))
    eimp = esub.add_parser("import", parents=[common], help=_("import a likvard-exercise/1 file (all or nothing)"))
    eimp.add_argument("file", metavar="FILE")
    eexp = esub.add_parser("export", parents=[common], help=_("export exercises to a likvard-exercise/1 file"))
    eexp.add_argument("key", metavar="KEY", help=_("the exercise's key, several separated by commas, or \"all\""))
    eexp.add_argument("file", metavar="FILE")
    eres = esub.add_parser("results", parents=[common],
                           help=_("how the trainees answered an exercise (suppressed below 5 trainees)"))
    eres.add_argument("key", metavar="KEY")
    eres.add_argument("--format", choices=["csv", "json"], default="csv", help=_("output format (default: csv)"))
    eres.add_argument("--out", metavar="FILE", help=_("write to FILE instead of the terminal"))
    ecert = esub.add_parser("certificate", parents=[common],
                            help=_("write the PDF certificate of completion of a submitted attempt"))
    ecert.add_argument("attempt", metavar="ATTEMPT", help=_("the attempt's id (see results --format json)"))
    ecert.add_argument("file", metavar="FILE")

    demo = sub.add_parser("demo", parents=[common], help=_("add realistic demo cases"))
    demo.add_argument("--count", type=int, default=50, help=_("number of cases (default 50)"))
    demo.add_argument("--seed", type=int, default=None, help=_("random seed for repeatable data"))

    cli_sync.register(sub, common)
    backup = sub.add_parser("backup", parents=[common], help=_("back up the database (SQLite backup API)"))
    backup.add_argument("file", metavar="FILE", nargs="?",
                        help=_("where to write the backup (default: the backups folder)"))
    backup.add_argument("--list", action="store_true", help=_("list the backups of the database instead"))
    restore = sub.add_parser("restore", parents=[common],
                             help=_("replace the database by a backup (the current one is kept aside)"))
    restore.add_argument("file", metavar="FILE")

    pdf_commands.add_commands(sub, common)
    audit_commands.add_commands(sub, common)
    cli_server.add_commands(sub, common)
    return parser


def ask_password(exc: Any) -> str | None:
    """The CLI's answer to a server asking for a password (``exc``: app.credentials.PasswordRequired):
    ``getpass`` in a terminal; else (a script, a pipe) a clear error, nothing changed."""
    import getpass

    from app.credentials import SERVICE, account

    if not sys.stdin.isatty():
        raise LikvardError(_("{problem} Store the password in the system keyring (for example: keyring set "
                             "{service} {account}), or run the command in a terminal to be asked for it. "
                             "Nothing was changed.").format(problem=exc.message, service=SERVICE,
                                                            account=account(exc.url)))
    if exc.refused:
        print(exc.message, file=sys.stderr)

    try:
        return getpass.getpass(_("Password for {account}: ").format(account=account(exc.url)))
    except (EOFError, KeyboardInterrupt):
        return None


def start_cli(db_path: str | Path | None, **options: Any) -> Any:
    """app.bootstrap.start for the command line: a file path or a server URL; a server's password
    from the keyring, else asked (see :func:`ask_password`). Returns the Services."""
    from app.bootstrap import start_asking

    return start_asking(db_path, ask_password, **options)


def _backup_commands(args: argparse.Namespace, db_path: str | None, language: str | None) -> int:
    from app.errors import DatabaseCorruptError
    from app.i18n import format_datetime
    from app.paths import default_database, default_database_path, is_database_url
    from app.services.backups import backups_of, recover_damaged, server_backups_message

    start = start_cli
    if is_database_url(db_path if db_path is not None else default_database()):
        raise LikvardError(server_backups_message())  # said before connecting: nothing to ask for

    if args.command == "backup":
        services = start(db_path, language=language, install_bundled=False, backup=False)
        try:
            if args.list:
                for info in backups_of(services.backups.path):
                    state = ngettext("{count} case", "{count} cases", info.cases).format(count=info.cases) \
                        if info.cases is not None else info.problem
                    print(f"{format_datetime(info.created)}\t{info.reason}\t{state}\t{info.path}")
                return 0
            made = services.backups.backup_now(Path(args.file) if args.file else None)
        finally:
            services.db.close()
        print(_("Backed up to {path}.").format(path=made))
        return 0
    source = Path(args.file).expanduser().resolve()
    try:
        services = start(db_path, language=language, install_bundled=False, backup=False)
    except DatabaseCorruptError as exc:  # the damaged file is moved aside, never overwritten
        live = (Path(db_path) if db_path else default_database_path()).expanduser().resolve()
        print(exc.message, file=sys.stderr)
        aside = recover_damaged(live, source)
        services = start(live, language=language, install_bundled=False, backup=False)
        try:
            services.backups.note_recovery(source, aside)
        finally:
            services.db.close()
        print(_("Restored {source}. The damaged database was moved to {aside}.").format(source=source, aside=aside))
        return 0
    try:
        aside = services.backups.restore(source)
    finally:
        services.db.close()
    print(_("Restored {source}. The replaced database was kept as {aside}.").format(source=source, aside=aside))
    return 0


def _print_problems(exc: TemplateFormatError, header: str | None = None) -> None:
    header = header or (_("{source}: the template was not imported.").format(source=exc.source) if exc.source else _(
        "The template was not imported."))
    print(header, file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)


def _print_skipped(skipped: list[Any]) -> None:
    print(ngettext("{count} row cannot be represented and was skipped:",
                   "{count} rows cannot be represented and were skipped:", len(skipped)).format(
        count=len(skipped)), file=sys.stderr)
    for row in skipped:
        print(f"  {row.sheet}!{row.row}: {row.reason}", file=sys.stderr)


def _split_ref(ref: str) -> tuple[str, int | None]:
    if "@" in ref:
        key, _sep, number = ref.partition("@")
        try:
            return key, int(number.lstrip("v"))
        except ValueError:
            raise LikvardError(_("\u201c{ref}\u201d: the version after @ must be a number.").format(ref=ref)) from None
    return ref, None


def _templates(services: Any, args: argparse.Namespace) -> int:
    from app.domain.template import version_status_label

    tpl = services.templates
    if args.action == "list":
        versions = tpl.list_versions()
        if args.json:
            print(json.dumps([{"key": v.template_key, "version": v.number, "status": v.status, "title": v.title,
                               "content_hash": v.content_hash, "id": str(v.id)} for v in versions],
                             ensure_ascii=False, indent=2))
            return 0
        if not versions:
            print(_("No templates."))
        for v in versions:
            print(f"{v.template_key}@{v.number}\t{version_status_label(v.status)}\t{v.title}\t{v.content_hash[:12]}")
        return 0
    if args.action == "import":
        from app.services.templates import PartialImportError

        try:
            outcome = tpl.import_file(Path(args.file), publish=not args.draft, allow_partial=args.allow_partial)
        except PartialImportError as exc:
            _print_skipped(exc.skipped)
            print(_("Nothing was imported. Use --allow-partial to import the rest."), file=sys.stderr)
            return 1
        if outcome.skipped:
            _print_skipped(list(outcome.skipped))
        v = outcome.version
        if outcome.created:
            print(_("Imported {key} version {number} ({status}).").format(key=v.template_key, number=v.number,
                                                                       status=version_status_label(v.status)))
        else:
            print(_("{key} version {number} already has this exact content; nothing imported.").format(
                key=v.template_key, number=v.number))
        return 0
    if args.action == "import-report":
        info = tpl.find_version(*_split_ref(args.template))
        report = tpl.import_report(info.id)
        if report is None:
            print(_("{key} version {number} has no import report: nothing was left out.").format(
                key=info.template_key, number=info.number))
            return 0
        print(_("{file}, imported as {key} version {number}:").format(file=report.file, key=info.template_key,
                                                                     number=info.number))
        for row in report.skipped:
            item = report.item_at(row.sheet, row.row)
            where = _("item {key}").format(key=item) if item else _("not imported")
            print(f"  {row.sheet}!{row.row}\t{where}\t{row.reason}")
        return 0
    if args.action == "publish":
        key, number = _split_ref(args.template)
        if number is None:
            drafts = [v for v in tpl.list_versions(key) if v.status == VersionStatus.DRAFT]
            if not drafts:
                tpl.find_version(key)  # "no template KEY" when there is none at all
                raise LikvardError(_("Template \u201c{key}\u201d has no draft to publish.").format(key=key))
            info = drafts[-1]
        else:
            info = tpl.find_version(key, number)
        if info.status != VersionStatus.DRAFT:
            raise LikvardError(_("{key} version {number} is {status}; only a draft can be published.").format(
                key=info.template_key, number=info.number, status=version_status_label(info.status)))
        try:
            published = tpl.publish(info.id)
        except TemplateFormatError as exc:
            _print_problems(exc, _("{key} version {number} was not published; correct these first:").format(
                key=info.template_key, number=info.number))
            return 1
        print(_("Published {key} version {number}.").format(key=published.template_key, number=published.number))
        return 0
    if args.action == "export":
        key, number = _split_ref(args.template)
        out = Path(args.file)
        info = tpl.export_file(key, number, out)
        print(_("Exported {key} version {number} to {path}.").format(key=info.template_key, number=info.number,
                                                                   path=out))
        return 0
    return 2


def _exercises(services: Any, args: argparse.Namespace) -> int:
    from app.exchange.exercise_format import ExerciseFormatError

    svc = services.exercises
    if args.action == "list":
        infos = svc.list()
        if args.json:
            print(json.dumps([{"key": e.key, "title": e.title, "template": e.template_key,
                               "version": e.template_version, "swap_pair": e.swap_pair, "submitted": e.submitted}
                              for e in infos], ensure_ascii=False, indent=2))
            return 0
        if not infos:
            print(_("No exercises."))
        for e in infos:
            print(f"{e.key}\t{e.template_key}@{e.template_version}\t{e.title}\t"
                  + ngettext("{count} submitted", "{count} submitted", e.submitted).format(count=e.submitted))
        return 0
    if args.action == "import":
        try:
            outcome = svc.import_file(Path(args.file))
        except ExerciseFormatError as exc:
            print(_("{source}: nothing was imported.").format(source=exc.source or args.file), file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print(_("Imported {created} new, {updated} updated, {unchanged} unchanged exercises.").format(
            created=len(outcome.created), updated=len(outcome.updated), unchanged=len(outcome.unchanged)))
        return 0
    if args.action == "export":
        keys = None if args.key == "all" else [k.strip() for k in args.key.split(",") if k.strip()]
        count = svc.export_file(keys, Path(args.file))
        print(ngettext("Exported {count} exercise to {path}.", "Exported {count} exercises to {path}.", count).format(
            count=count, path=args.file))
        return 0
    if args.action == "results":
        if args.out:
            svc.export_results(args.key, Path(args.out), args.format)
            print(_("Wrote {path}.").format(path=args.out), file=sys.stderr)
        else:
            sys.stdout.write(svc.results_text(args.key, args.format))
        return 0
    if args.action == "certificate":
        import uuid

        from app.settings import load_settings

        try:
            attempt = uuid.UUID(args.attempt)
        except ValueError:
            raise LikvardError(_("\u201c{text}\u201d is not an attempt id.").format(text=args.attempt)) from None
        svc.write_certificate(attempt, Path(args.file), organisation=load_settings().organisation)
        print(_("Wrote {path}.").format(path=args.file))
        return 0
    return 2


def _insight_filter(args: argparse.Namespace) -> Any:
    from datetime import date

    from app.storage.insights import InsightFilter

    def parse(text: str | None) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise LikvardError(_("\u201c{text}\u201d is not a date (YYYY-MM-DD).").format(text=text)) from None

    return InsightFilter(parse(args.date_from), parse(args.date_to), args.branch or None, args.advisor or None,
                         args.template or None, args.sector or None)


def _report(services: Any, args: argparse.Namespace) -> int:
    from app.settings import load_settings

    settings = load_settings()
    lang = getattr(args, "lang", None) or get_language()
    report = services.insights.report(_insight_filter(args), role=settings.role, me=settings.name.strip(), lang=lang)
    text = services.insights.export_report(report, args.format, args.out, organisation=settings.organisation,
                                           lang=lang)
    if text is not None:
        sys.stdout.write(text)
    else:
        print(_("Wrote {path}.").format(path=args.out), file=sys.stderr)
    return 0


def _assessments(services: Any, args: argparse.Namespace) -> int:
    from app.domain.assessment import status_label
    from app.domain.facts import choice_label, fact_label
    from app.services.assessments import AssessmentFilter

    svc = services.assessments
    if args.action == "export":
        count = services.insights.export_cases(_insight_filter(args), args.file)
        print(ngettext("Exported {count} case to {path}.", "Exported {count} cases to {path}.", count).format(
            count=count, path=args.file), file=sys.stderr)
        return 0
    if args.action == "list":
        rows = svc.list(AssessmentFilter(status=args.status, sort="case_date"))
        if args.json:
            print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
            return 0
        if not rows:
            print(_("No assessments."))
        else:
            print("\t".join([_("Id"), *(fact_label(name) for name in ("case_reference", "case_date", "advisor", "branch",
                                                                     "ownership", "decision", "amount_requested")),
                             _("Status"), _("Flags")]))
        for r in rows:
            print("\t".join([
                str(r.id), r.case_reference, format_date(r.case_date), r.advisor, r.branch,
                choice_label("ownership", r.ownership), choice_label("decision", r.decision),
                format_money(r.amount_requested, r.currency), status_label(r.status),
                ngettext("{count} flag", "{count} flags", r.flag_count).format(count=r.flag_count),
            ]))
        print(ngettext("{count} assessment", "{count} assessments", len(rows)).format(count=len(rows)), file=sys.stderr)
        return 0
    if args.action == "show":
        rec = svc.get(svc.resolve(args.id))
        if args.json:
            print(json.dumps(rec.to_dict(), ensure_ascii=False, indent=2))
            return 0
        from app.i18n import get_language

        lang = get_language()
        ev = rec.evaluation()
        print(f"{rec.facts.case_reference} \u2014 {rec.content.title_in(lang)} v{rec.template_version} "
              f"({status_label(rec.status)})")
        from app.pdf.summary import OPTIONAL_FACT_ORDER, format_fact

        for name in OPTIONAL_FACT_ORDER:  # the richer facts (0005), when recorded
            if rec.facts.get(name) is not None:
                print(f"{fact_label(name)}: {format_fact(name, rec.facts, lang, _)}")
        answered, total = ev.required_progress()
        print(_("Required items answered: {answered} of {total}").format(answered=answered, total=total))
        score = ev.score()
        print(_("Score: {score}").format(score=format_percent(score)) if score is not None
              else _("Score: no score yet (nothing answered)"))
        for flag in ev.flags():
            item = rec.content.item(flag.item_key)
            print(f"  \u26a0 {rec.content.text(item.label, lang)}: {rec.content.text(flag.explanation, lang)}")
        return 0
    return 2


#: Opens the desktop app: ``open_gui(db_path, language) -> exit code``, handed in by main.py.
GuiOpener = Callable[[str | None, str | None], int]


def run(argv: Sequence[str] | None = None, open_gui: GuiOpener | None = None) -> int:
    """Run the command line; returns the exit code. ``open_gui`` opens the desktop app when no
    subcommand is given (app/ never imports the GUI itself)."""
    from app.i18n import system_language

    set_language(system_language())
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    args = parser.parse_args(argv)
    db_path, language = getattr(args, "db", None), getattr(args, "lang", None)
    if args.command in (None, "gui"):
        if open_gui is None:
            print(_("The desktop app is not available here; give a command (see --help)."), file=sys.stderr)
            return 2
        return open_gui(db_path, language)
    try:
        if args.command == cli_server.COMMAND:
            from app.settings import load_settings

            set_language(language or load_settings().effective_language())
            return cli_server.run(args)
        if args.command in ("backup", "restore"):
            return _backup_commands(args, db_path, language)
        if not pdf_commands.needs_database(args):
            from app.settings import load_settings

            set_language(language or load_settings().effective_language())
            return pdf_commands.run_without_database(args)
        services = start_cli(db_path, language=language)
        try:
            if args.command in pdf_commands.WITH_DATABASE or args.command == "trust":
                return pdf_commands.run_with_services(services, args)
            if args.command in audit_commands.COMMANDS:
                return audit_commands.run(services, args)
            if args.command == cli_sync.COMMAND:
                return cli_sync.run(services, args)
            if args.command == "templates":
                return _templates(services, args)
            if args.command == "assessments":
                return _assessments(services, args)
            if args.command == "report":
                return _report(services, args)
            if args.command == "exercises":
                return _exercises(services, args)
            if args.command == "demo":
                from app.services.demo import create_demo_cases

                if args.count < 1:
                    raise LikvardError(_("--count must be at least 1."))
                n = create_demo_cases(services, args.count, seed=args.seed)
                print(ngettext("Added {count} demo case.", "Added {count} demo cases.", n).format(count=n))
                return 0
        finally:
            services.db.close()
    except TemplateFormatError as exc:
        _print_problems(exc)
        return 1
    except LikvardError as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        return 1
    parser.print_help()
    return 2


def main(open_gui: GuiOpener | None = None) -> None:
    try:
        code = run(open_gui=open_gui)
        sys.stdout.flush()
    except BrokenPipeError:  # `likvard assessments list | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)

"""The command line for PDF summaries, signing identities, the trust list and verification.

``app.cli`` adds these subcommands and hands them over here; heavy imports stay inside the
handlers so ``likvard --help`` remains quick.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any

from app.errors import LikvardError, SigningError
from app.i18n import _, format_datetime, get_language, ngettext

#: Subcommands that never open the database.
WITHOUT_DATABASE = ("keys", "trust", "verify")
#: Subcommands that work on the database (a trust-list change is recorded there as an event).
WITH_DATABASE = ("export-pdf", "import-pdf", "sign", "amend")
#: ``trust`` actions that change the trust list, so open the database to record the change.
TRUST_CHANGES = ("add", "remove")


def needs_database(args: argparse.Namespace) -> bool:
    """Whether the command opens the database (everything but keys, verify and ``trust list``)."""
    if args.command == "trust":
        return args.action in TRUST_CHANGES
    return args.command not in WITHOUT_DATABASE


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add keys, trust, export-pdf, verify, import-pdf, sign and amend to the ``likvard`` parser."""
    keys = sub.add_parser("keys", parents=[common], help=_("signing identities: create, import, list"))
    ksub = keys.add_subparsers(dest="action", metavar="ACTION", required=True)
    kcreate = ksub.add_parser("create", parents=[common], help=_("create a self-signed signing identity"))
    kcreate.add_argument("--name", required=True, help=_("the name of the person who signs"))
    kcreate.add_argument("--org", default="", help=_("the organisation"))
    kcreate.add_argument("--key-type", choices=["ec", "rsa"], default="ec",
                         help=_("EC P-256 (default) or RSA 3072"))
    _password_option(kcreate)
    kimport = ksub.add_parser("import", parents=[common], help=_("import a PKCS#12 file issued by the organisation"))
    kimport.add_argument("file", metavar="FILE.p12")
    kimport.add_argument("--name", help=_("name of the identity (default: from the certificate)"))
    _password_option(kimport)
    klist = ksub.add_parser("list", parents=[common], help=_("list signing identities"))
    klist.add_argument("--json", action="store_true", help=_("machine-readable output"))

    trust = sub.add_parser("trust", parents=[common], help=_("the trust list of CA certificates used by verify"))
    trsub = trust.add_subparsers(dest="action", metavar="ACTION", required=True)
    tadd = trsub.add_parser("add", parents=[common], help=_("trust the certificates of a PEM or DER file"))
    tadd.add_argument("file", metavar="CERT")
    trem = trsub.add_parser("remove", parents=[common], help=_("remove a certificate by its fingerprint"))
    trem.add_argument("fingerprint", metavar="FINGERPRINT")
    tlist = trsub.add_parser("list", parents=[common], help=_("list trusted certificates"))
    tlist.add_argument("--json", action="store_true", help=_("machine-readable output"))

    export = sub.add_parser("export-pdf", parents=[common],
                            help=_("write the PDF summary of an assessment, optionally signed"))
    export.add_argument("id", metavar="ASSESSMENT", help=_("the assessment's id or case reference"))
    export.add_argument("out", metavar="OUT.pdf")
    export.add_argument("--sign", action="store_true",
                        help=_("sign digitally (signs and locks a completed assessment)"))
    export.add_argument("--key", metavar="NAME", help=_("signing identity (default: the only one)"))
    _password_option(export, required=False)

    verify = sub.add_parser("verify", parents=[common], help=_("check the digital signatures of a PDF"))
    verify.add_argument("file", metavar="FILE.pdf")
    verify.add_argument("--trust", metavar="CERT", action="append", default=[],
                        help=_("also trust this certificate (PEM or DER); repeatable"))
    verify.add_argument("--json", action="store_true", help=_("machine-readable output"))

    imp = sub.add_parser("import-pdf", parents=[common], help=_("import the assessment carried by a PDF summary"))
    imp.add_argument("file", metavar="FILE.pdf")

    sign = sub.add_parser("sign", parents=[common], help=_("sign (lock) a completed assessment"))
    sign.add_argument("id", metavar="ASSESSMENT", help=_("the assessment's id or case reference"))
    sign.add_argument("--by", metavar="NAME", help=_("who signs (default: your profile name)"))

    amend = sub.add_parser("amend", parents=[common], help=_("start an amendment of a signed assessment"))
    amend.add_argument("id", metavar="ASSESSMENT", help=_("the assessment's id or case reference"))


def _password_option(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument("--password-env", metavar="VAR", required=required,
                        help=_("read the password from this environment variable (else it is asked)"))


def read_password(var: str | None, *, confirm: bool = False) -> str:
    """The password from the environment variable ``var``, or asked on the terminal."""
    if var:
        value = os.environ.get(var)
        if value is None:
            raise SigningError(_("The environment variable {var} is not set.").format(var=var))
        return value
    if not sys.stdin.isatty():
        raise SigningError(_("No terminal to ask the password on; use --password-env VAR."))
    value = getpass.getpass(_("Password: "))
    if confirm and getpass.getpass(_("Repeat the password: ")) != value:
        raise SigningError(_("The passwords differ."))
    return value


def run_without_database(args: argparse.Namespace, services: Any = None) -> int:
    """keys, trust and verify (``services``: :class:`app.services.Services` or the offline ones)."""
    if services is None:
        from app.services import offline_services

        services = offline_services()
    if args.command == "keys":
        if args.action == "create":
            ident = services.identities.create(args.name, args.org, read_password(args.password_env, confirm=True),
                                               key_type=args.key_type)
            print(_("Created the signing identity {name} ({subject}), valid until {date}.").format(
                name=ident.name, subject=ident.common_name, date=ident.not_after.date().isoformat()))
            print(_("Certificate: {path}").format(path=ident.certificate_path))
            return 0
        if args.action == "import":
            ident = services.identities.import_pkcs12(args.file, read_password(args.password_env), name=args.name)
            print(_("Imported the signing identity {name} ({subject}).").format(name=ident.name,
                                                                                 subject=ident.common_name))
            return 0
        identities = services.identities.list()
        if args.json:
            print(json.dumps([i.to_dict() for i in identities], ensure_ascii=False, indent=2))
        elif not identities:
            print(_("No signing identities."))
        for i in identities if not args.json else []:
            kind = _("self-signed") if i.self_signed else _("issued")
            print(f"{i.name}\t{i.common_name}\t{i.organisation}\t{kind}\t{i.not_after.date().isoformat()}\t"
                  f"{i.fingerprint[:16]}")
        return 0
    if args.command == "trust":
        if args.action == "add":
            for cert in services.trust.add(args.file):
                print(_("Trusted {subject} ({fingerprint}).").format(subject=cert.subject,
                                                                      fingerprint=cert.fingerprint[:16]))
            return 0
        if args.action == "remove":
            cert = services.trust.remove(args.fingerprint)
            print(_("Removed {subject} from the trust list.").format(subject=cert.subject))
            return 0
        trusted = services.trust.list()
        if args.json:
            print(json.dumps([t.to_dict() for t in trusted], ensure_ascii=False, indent=2))
        elif not trusted:
            print(_("The trust list is empty."))
        for t in trusted if not args.json else []:
            print(f"{t.fingerprint[:16]}\t{t.subject}\t{t.not_after.date().isoformat()}")
        return 0
    if args.command == "verify":
        return _verify(services, args)
    return 2


def _verify(services: Any, args: argparse.Namespace) -> int:
    from app.services.keys import INTACT, INTEGRITY_LABELS, TRUST_LABELS, UNREADABLE, UNSIGNED

    try:
        result = services.verification.verify(args.file, args.trust)
    except SigningError as exc:  # a bad --trust file: a usage problem, not a verdict on the file
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return result.exit_code
    if result.state in (UNSIGNED, UNREADABLE):
        print(_("{path}: {error}").format(path=args.file, error=result.error), file=sys.stderr)
        return result.exit_code
    lang = get_language()
    print(args.file)
    for sig in result.signatures:
        who = sig.signer + (f" ({sig.organisation})" if sig.organisation else "")
        print("  " + _("Signer: {name}").format(name=who or "\u2013"))
        print("  " + _("Signing time: {time}").format(
            time=format_datetime(sig.signing_time, lang) + " UTC" if sig.signing_time else "\u2013"))
        integrity = _(INTEGRITY_LABELS[sig.integrity])
        if sig.integrity == INTACT:
            integrity += " \u2014 " + (_("the signature covers the whole file") if sig.covers_whole_file
                                       else _("later updates add signatures or validation data only"))
        print("  " + _("Integrity: {state}").format(state=integrity))
        print("  " + _("Trust: {state}").format(state=_(TRUST_LABELS[sig.trust])))
        for problem in sig.problems:
            print("  ! " + problem)
    verdict = _("The file is intact.") if result.state == INTACT else _(
        "The file is NOT intact: it was altered or its signature is invalid.")
    print(verdict, file=sys.stdout if result.state == INTACT else sys.stderr)
    return result.exit_code


def run_with_services(services: Any, args: argparse.Namespace) -> int:
    """export-pdf, import-pdf, sign, amend and the trust-list changes."""
    if args.command == "trust":
        return run_without_database(args, services)
    if args.command == "export-pdf":
        aid = services.assessments.resolve(args.id)
        lang = getattr(args, "lang", None) or get_language()  # --lang, else the language start-up chose
        settings = services.settings
        identity = password = None
        if args.sign:
            identity = services.identities.find(args.key)
            password = read_password(args.password_env)
        elif args.key or args.password_env:
            raise LikvardError(_("--key and --password-env are for --sign."))
        result = services.summaries.export_pdf(aid, args.out, lang=lang, organisation=settings.organisation,
                                             logo_path=settings.logo_path, identity=identity, password=password)
        if result.signed:
            print(ngettext("Wrote {path}: {pages} page, signed by {name}.", "Wrote {path}: {pages} pages, signed by {name}.", result.pages).format(
                path=result.path, pages=result.pages, name=identity.common_name if identity else ""))
        else:
            print(ngettext("Wrote {path}: {pages} page.", "Wrote {path}: {pages} pages.", result.pages).format(path=result.path, pages=result.pages))
        return 0
    if args.command == "import-pdf":
        outcome = services.summaries.import_pdf(args.file)
        if outcome.downgraded:
            print(outcome.downgraded, file=sys.stderr)
        elif outcome.created and outcome.signer and outcome.trust != "trusted":
            print(_("Signed by {name}, whose certificate (SHA-256 {fingerprint}) is not in the trust list: "
                    "check the fingerprint with the signer.").format(
                        name=outcome.signer, fingerprint=outcome.certificate_sha256), file=sys.stderr)
        if outcome.created:
            print(_("Imported assessment {id} ({status}).").format(id=outcome.assessment_id, status=_(outcome.status)))
        else:
            print(_("Assessment {id} is already in the database; nothing imported.").format(id=outcome.assessment_id))
        return 0
    if args.command == "sign":
        rec = services.records.sign(services.assessments.resolve(args.id), args.by)
        print(_("Signed assessment {id}; content hash {hash}.").format(id=rec.id, hash=rec.signed_hash))
        return 0
    if args.command == "amend":
        new_id = services.records.amend(services.assessments.resolve(args.id))
        print(_("Started amendment {id}.").format(id=new_id))
        return 0
    return 2

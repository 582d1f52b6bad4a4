"""Signing identities (a key and its certificate, kept as password-protected PKCS#12 files)
and the trust list (a folder of organisation CA certificates).

Identities live in ``LIKVARD_KEYS_DIR`` or ``<user data>/keys`` (folder 0700, files 0600), the
trust list in ``LIKVARD_TRUST_DIR`` or ``<user data>/trust``. Each identity is ``NAME.p12``
(key and certificate, encrypted with the password) beside ``NAME.crt`` (its public certificate,
so identities can be listed without a password). Passwords are never stored or logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.errors import SigningError, WrongPasswordError
from app.fileio import atomic_write_bytes, describe_os_error
from app.i18n import _

CERTIFICATE_YEARS = 5
KEY_TYPES = ("ec", "rsa")


def _private_dir(env: str, name: str) -> Path:
    value = os.environ.get(env)
    if value:
        folder = Path(value).expanduser()
    else:
        from app.paths import user_data_dir

        folder = user_data_dir() / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
    except OSError as exc:
        raise SigningError(_("Cannot create the folder {path}: {error}").format(path=folder, error=describe_os_error(exc))) from exc
    return folder


def keys_dir() -> Path:
    """The folder of signing identities (``LIKVARD_KEYS_DIR`` overrides it)."""
    return _private_dir("LIKVARD_KEYS_DIR", "keys")


def trust_dir() -> Path:
    """The folder of trusted CA certificates (``LIKVARD_TRUST_DIR`` overrides it)."""
    return _private_dir("LIKVARD_TRUST_DIR", "trust")


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    attrs = name.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else ""


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate (hex)."""
    return cert.fingerprint(hashes.SHA256()).hex()


@dataclass(frozen=True)
class Identity:
    """A signing identity as listed (no key material, no password needed)."""

    name: str
    common_name: str
    organisation: str
    fingerprint: str
    not_before: dt.datetime
    not_after: dt.datetime
    self_signed: bool
    path: Path

    @property
    def certificate_path(self) -> Path:
        return self.path.with_suffix(".crt")

    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_path.read_bytes())

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "common_name": self.common_name, "organisation": self.organisation,
            "fingerprint": self.fingerprint, "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(), "self_signed": self.self_signed,
        }


def _identity(name: str, p12: Path, cert: x509.Certificate) -> Identity:
    return Identity(
        name=name,
        common_name=_name_attr(cert.subject, NameOID.COMMON_NAME),
        organisation=_name_attr(cert.subject, NameOID.ORGANIZATION_NAME),
        fingerprint=fingerprint(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject,
        path=p12,
    )


def slug(text: str) -> str:
    """A file-safe identity name: ``Åsa Lindström`` -> ``asa-lindstrom``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "identity"


def _free_name(folder: Path, wanted: str) -> str:
    name, n = wanted, 2
    while (folder / f"{name}.p12").exists() or (folder / f"{name}.crt").exists():
        name, n = f"{wanted}-{n}", n + 1
    return name


def _password_bytes(password: str) -> bytes:
    if not password:
        raise SigningError(_("A signing identity needs a password."))
    return password.encode("utf-8")


def _store(folder: Path, name: str, p12_data: bytes, cert: x509.Certificate) -> Identity:
    p12 = folder / f"{name}.p12"
    atomic_write_bytes(p12, p12_data)  # the temporary file is created 0600 and renamed
    os.chmod(p12, 0o600)
    crt = p12.with_suffix(".crt")
    atomic_write_bytes(crt, cert.public_bytes(serialization.Encoding.PEM))
    os.chmod(crt, 0o600)
    return _identity(name, p12, cert)


def create_identity(name: str, organisation: str, password: str, *, key_type: str = "ec",
                    years: int = CERTIFICATE_YEARS) -> Identity:
    """Create a self-signed identity for ``name`` at ``organisation``, protected by ``password``.

    The key is EC P-256 (``key_type="ec"``) or RSA 3072; the certificate allows digital signatures
    and non-repudiation and is valid ``years`` years.
    """
    if not name.strip():
        raise SigningError(_("Enter the name of the person who signs."))
    secret = _password_bytes(password)
    if key_type == "ec":
        key: Any = ec.generate_private_key(ec.SECP256R1())
    elif key_type == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        raise SigningError(_("Unknown key type \u201c{type}\u201d.").format(type=key_type))
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, name.strip())]
    if organisation.strip():
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.strip()))
    subject = x509.Name(attrs)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years + years // 4))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = keys_dir()
    ident_name = _free_name(folder, slug(name))
    data = pkcs12.serialize_key_and_certificates(
        ident_name.encode("utf-8"), key, cert, None, serialization.BestAvailableEncryption(secret))
    return _store(folder, ident_name, data, cert)


def _load_p12(data: bytes, password: str, source: str) -> tuple[Any, x509.Certificate, list[x509.Certificate]]:
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, _password_bytes(password))
    except ValueError:
        raise WrongPasswordError(
            _("The password is wrong, or {source} is not a PKCS#12 file.").format(source=source)) from None
    if key is None or cert is None:
        raise SigningError(_("{source} holds no private key with its certificate.").format(source=source))
    return key, cert, list(extra)


def import_identity(path: str | Path, password: str, *, name: str | None = None) -> Identity:
    """Copy a PKCS#12 file issued by the organisation in, after checking its password."""
    source = Path(path).expanduser()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise SigningError(_("Cannot read {path}: {error}").format(path=source, error=describe_os_error(exc))) from exc
    _key, cert, _extra = _load_p12(data, password, source.name)
    now = dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        raise SigningError(_("The certificate in {path} expired on {date}.").format(
            path=source.name, date=cert.not_valid_after_utc.date().isoformat()))
    folder = keys_dir()
    ident_name = _free_name(folder, slug(name or _name_attr(cert.subject, NameOID.COMMON_NAME) or source.stem))
    return _store(folder, ident_name, data, cert)


def list_identities() -> list[Identity]:
    """Every identity in the keys folder, by name."""
    folder = keys_dir()
    out: list[Identity] = []
    for p12 in sorted(folder.glob("*.p12")):
        try:
            cert = x509.load_pem_x509_certificate(p12.with_suffix(".crt").read_bytes())
        except (OSError, ValueError):
            continue  # an identity without a readable certificate cannot be listed or used
        out.append(_identity(p12.stem, p12, cert))
    return out


def find_identity(name: str | None = None) -> Identity:
    """The identity called ``name``, or the only one when ``name`` is None."""
    identities = list_identities()
    if name is None:
        if len(identities) == 1:
            return identities[0]
        if not identities:
            raise SigningError(_("There is no signing identity yet: create or import one first."))
        raise SigningError(_("There are several signing identities; choose one of: {names}.").format(
            names=", ".join(i.name for i in identities)))
    for ident in identities:
        if ident.name == name:
            return ident
    raise SigningError(_("No signing identity called \u201c{name}\u201d.").format(name=name))


def load_signer(identity: Identity, password: str) -> Any:
    """A pyHanko signer for ``identity``; WrongPasswordError if the password does not open it."""
    from pyhanko.sign import signers

    try:
        data = identity.path.read_bytes()
    except OSError as exc:
        raise SigningError(_("Cannot read {path}: {error}").format(path=identity.path, error=describe_os_error(exc))) from exc
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=_password_bytes(password))
    except ValueError:
        raise WrongPasswordError(
            _("The password of the signing identity \u201c{name}\u201d is wrong.").format(name=identity.name)) from None


def remove_identity(name: str) -> None:
    """Delete an identity's files."""
    ident = find_identity(name)
    for path in (ident.path, ident.certificate_path):
        path.unlink(missing_ok=True)


# --- the trust list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustedCertificate:
    """A CA (or signer) certificate that verification trusts."""

    fingerprint: str
    subject: str
    not_after: dt.datetime
    path: Path

    def to_dict(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "subject": self.subject,
                "not_after": self.not_after.isoformat(), "file": self.path.name}


def load_certificates(path: str | Path) -> list[x509.Certificate]:
    """Every certificate in a PEM (one or many) or DER file."""
    source = Path(path).expanduser()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise SigningError(_("Cannot read {path}: {error}").format(path=source, error=describe_os_error(exc))) from exc
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise SigningError(_("{path} is not a certificate (PEM or DER).").format(path=source.name)) from None


def _trusted(path: Path, cert: x509.Certificate) -> TrustedCertificate:
    return TrustedCertificate(fingerprint(cert), cert.subject.rfc4514_string(), cert.not_valid_after_utc, path)


def add_trusted(path: str | Path) -> list[TrustedCertificate]:
    """Add the certificates of a PEM or DER file to the trust list (stored as NAME.pem by fingerprint)."""
    folder = trust_dir()
    added = []
    for cert in load_certificates(path):
        target = folder / f"{fingerprint(cert)[:16]}.pem"
        atomic_write_bytes(target, cert.public_bytes(serialization.Encoding.PEM))
        added.append(_trusted(target, cert))
    return added


def list_trusted() -> list[TrustedCertificate]:
    """The trust list, by subject."""
    out: list[TrustedCertificate] = []
    for path in sorted(trust_dir().iterdir()):
        if path.suffix.lower() not in (".pem", ".crt", ".cer", ".der"):
            continue
        try:
            certs = load_certificates(path)
        except SigningError:
            continue
        out.extend(_trusted(path, c) for c in certs)
    return sorted(out, key=lambda t: t.subject)


def remove_trusted(fingerprint_prefix: str) -> TrustedCertificate:
    """Remove the trusted certificate whose SHA-256 fingerprint starts with ``fingerprint_prefix``."""
    wanted = fingerprint_prefix.lower().replace(":", "")
    matches = [t for t in list_trusted() if t.fingerprint.startswith(wanted)] if len(wanted) >= 8 else []
    if len(matches) != 1:
        raise SigningError(_("No single trusted certificate has a fingerprint starting with {prefix}.").format(
            prefix=fingerprint_prefix))
    matches[0].path.unlink(missing_ok=True)
    return matches[0]


def trust_roots(extra: list[str | Path] | None = None) -> list[x509.Certificate]:
    """The trust list plus the certificates of ``extra`` files."""
    roots: list[x509.Certificate] = []
    for t in list_trusted():
        roots.extend(load_certificates(t.path))
    for path in extra or []:
        roots.extend(load_certificates(path))
    unique = {fingerprint(c): c for c in roots}
    return list(unique.values())


def certificate_sha256(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()

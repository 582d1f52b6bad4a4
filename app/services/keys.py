"""Signing identities, the trust list and verification: the front door the CLI and GUI share.

Identities (key + certificate, PKCS#12) and the trust list live in the user's private folders,
not in a database, so listing them and verifying a PDF work without one (``db=None``): the CLI's
``keys``, ``trust list`` and ``verify`` open no database. Changing the trust list is a state change
that decides which signatures are called trusted, so it is recorded as an event: :class:`TrustService`
needs a database for ``add`` and ``remove`` (the CLI opens one for ``trust add``/``trust remove``).
"""

from __future__ import annotations

import builtins
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import LikvardError
from app.i18n import _
from app.pdf.verify import (  # noqa: F401  (the verdict's vocabulary, for the CLI and the GUI)
    ALTERED,
    INTACT,
    INTEGRITY_LABELS,
    TRUST_LABELS,
    UNREADABLE,
    UNSIGNED,
    VerificationResult,
)
from app.services.events import record
from app.storage.db import Database

if TYPE_CHECKING:
    from app.pdf.identity import Identity, TrustedCertificate


class _Identities:
    """app.pdf.identity (and cryptography) imported at first use: the GUI's first screen needs neither."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("app.pdf.identity"), name)


ids = _Identities()


class IdentityService:
    """Create, import, list and find signing identities (no database needed)."""

    def create(self, name: str, organisation: str, password: str, *, key_type: str = "ec") -> Identity:
        """A new self-signed identity protected by ``password``."""
        return ids.create_identity(name, organisation, password, key_type=key_type)

    def import_pkcs12(self, path: str | Path, password: str, *, name: str | None = None) -> Identity:
        """Import a PKCS#12 file issued by the organisation."""
        return ids.import_identity(path, password, name=name)

    def list(self) -> list[Identity]:
        return ids.list_identities()

    def find(self, name: str | None = None) -> Identity:
        """The identity called ``name``, or the only one when ``name`` is None."""
        return ids.find_identity(name)


class TrustService:
    """The trust list of CA certificates used by verification; every change records an event."""

    def __init__(self, db: Database | None = None, actor: str = "") -> None:
        self.db = db
        self.actor = actor

    def list(self) -> list[TrustedCertificate]:
        return ids.list_trusted()

    def roots(self, extra: builtins.list[str | Path] | None = None) -> builtins.list[Any]:
        """The trusted certificates plus those of the ``extra`` files."""
        return ids.trust_roots(extra)

    def _database(self) -> Database:
        if self.db is None:
            raise LikvardError(_("Changing the trust list needs an open database to record the change."))
        return self.db

    def add(self, path: str | Path) -> builtins.list[TrustedCertificate]:
        """Trust the certificates of a PEM or DER file."""
        db = self._database()
        added = ids.add_trusted(path)
        with db.session() as s:
            for cert in added:
                record(s, "trust.added", None, self.actor, fingerprint=cert.fingerprint, subject=cert.subject)
        return added

    def remove(self, fingerprint_prefix: str) -> TrustedCertificate:
        """Remove the certificate whose fingerprint starts with ``fingerprint_prefix``."""
        db = self._database()
        removed = ids.remove_trusted(fingerprint_prefix)
        with db.session() as s:
            record(s, "trust.removed", None, self.actor, fingerprint=removed.fingerprint, subject=removed.subject)
        return removed


class VerificationService:
    """Check the digital signatures of a PDF against the trust list (no database needed)."""

    def __init__(self, trust: TrustService | None = None) -> None:
        self.trust = trust or TrustService()

    def verify(self, path: str | Path, extra_trust: builtins.list[str | Path] | None = None) -> VerificationResult:
        """The verdict on the PDF at ``path``; a bad ``extra_trust`` file raises SigningError."""
        from app.pdf.verify import verify_pdf

        return verify_pdf(path, self.trust.roots(extra_trust))

    def verify_bytes(self, data: bytes, name: str = "") -> VerificationResult:
        from app.pdf.verify import verify_pdf_bytes

        return verify_pdf_bytes(data, self.trust.roots(), name=name)

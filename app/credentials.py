"""Where a server password comes from (team mode): never from a file of ours.

A database or server address is an SQLAlchemy URL (``postgresql+psycopg://anna@db.example/likvard``).
The password is never written into settings, logs or the audit log:

1. a password in the URL itself is used as given (a script's own choice) and never shown
   (:func:`redact`);
2. else the **system keyring** (Secret Service, macOS Keychain, Windows Credential Locker) is asked
   for the entry of service :data:`SERVICE` and user :func:`account` (``anna@db.example:5432/likvard``);
3. else nothing: the connection is tried as it is (a Unix socket with peer or trust
   authentication needs no password). When the server then asks for one, the caller catches
   :class:`PasswordRequired`, asks the person (CLI: ``getpass``; GUI: a password dialog), retries
   with :func:`with_password` and, when it worked and they agreed, :func:`remember` it in the keyring.

The ``keyring`` package is optional: without it (or without a usable backend, e.g. a headless
machine) :func:`stored_password` returns None and :func:`remember` returns False.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from app.errors import LikvardError
from app.i18n import _

T = TypeVar("T")

log = logging.getLogger(__name__)

SERVICE = "Likvärd"


class PasswordRequired(LikvardError):
    """The server asked for a password we do not have (or refused the one given)."""

    def __init__(self, message: str, url: str, refused: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.refused = refused


def is_url(text: str) -> bool:
    """True for a database URL (``dialect[+driver]://...``), False for a file path."""
    head, sep, _rest = text.partition("://")
    return bool(sep) and head.replace("+", "").replace("_", "").isalnum() and len(head) > 1


def _parse(url: str):  # -> sqlalchemy.engine.URL (imported lazily: start-up time)
    from sqlalchemy.engine import make_url

    return make_url(url)


def account(url: str) -> str:
    """The keyring account of a server URL: ``user@host:port/database`` (no password)."""
    u = _parse(url)

    def query(name: str) -> str:  # a Unix socket's folder and port come as ?host=...&port=...
        value = u.query.get(name)
        return value if isinstance(value, str) else ""

    host = u.host or query("host") or "localhost"
    return f"{u.username or ''}@{host}:{u.port or query('port') or 5432}/{u.database or ''}"


def redact(url: str) -> str:
    """The URL as it may be shown or logged (the password replaced by ***)."""
    try:
        return _parse(url).render_as_string(hide_password=True)
    except Exception:  # not a URL: shown as it is (a file path)
        return url


def has_password(url: str) -> bool:
    return bool(_parse(url).password)


def with_password(url: str, password: str | None) -> str:
    """The URL with ``password`` set (or unchanged when None)."""
    if password is None:
        return url
    return _parse(url).set(password=password).render_as_string(hide_password=False)


def without_password(url: str) -> str:
    """The URL with no password in it (SQLAlchemy's ``URL.set(password=None)`` keeps the old one)."""
    return _parse(url)._replace(password=None).render_as_string(hide_password=False)


def _keyring():  # the keyring module, or None when it cannot be used here
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
        return keyring
    except Exception:
        log.debug("no usable keyring", exc_info=True)
        return None


def stored_password(url: str) -> str | None:
    """The password the keyring holds for ``url``'s account, or None."""
    ring = _keyring()
    if ring is None:
        return None
    try:
        return ring.get_password(SERVICE, account(url))
    except Exception:
        log.debug("keyring lookup failed", exc_info=True)
        return None


def remember(url: str, password: str) -> bool:
    """Keep ``password`` for ``url``'s account in the system keyring. False when there is none."""
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(SERVICE, account(url), password)
        return True
    except Exception:
        log.debug("keyring store failed", exc_info=True)
        return False


def forget(url: str) -> None:
    ring = _keyring()
    if ring is None:
        return
    try:
        ring.delete_password(SERVICE, account(url))
    except Exception:
        log.debug("keyring delete failed", exc_info=True)


def connection_url(url: str, password: str | None = None) -> str:
    """The URL to connect with: ``password`` when the person just typed one, else :func:`resolve`."""
    return with_password(url, password) if password else resolve(url)


def resolve(url: str) -> str:
    """The URL to connect with: as given when it holds a password, else with the keyring's, if any."""
    if not is_url(url) or has_password(url):
        return url
    return with_password(url, stored_password(url))


def asking(action: Callable[[str | None], T], ask: Callable[[PasswordRequired], str | None], *,
           password: str | None = None, tries: int = 3) -> T:
    """``action(password)``, asking ``ask(error)`` for the password each time the server asks for one
    or refuses it (``tries`` times in all). ``ask`` returns the password, or None to give up: the
    :class:`PasswordRequired` is then raised (so it is after the last try). The one retry loop of
    the CLI (start, sync, server administration) and the GUI's start-up."""
    for attempt in range(tries):
        try:
            return action(password)
        except PasswordRequired as exc:
            if attempt == tries - 1:
                raise
            password = ask(exc)
            if password is None:
                raise
    raise AssertionError("unreachable")


def password_error(exc: BaseException, url: str) -> PasswordRequired | None:
    """A :class:`PasswordRequired` when ``exc`` is the server asking for, or refusing, a password."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "no password supplied" in text or "password authentication failed" in text \
            or "fe_sendauth" in text:
        refused = "password authentication failed" in text  # not psycopg's "connection failed: ..."
        message = (_("The server refused the password for {account}.") if refused
                   else _("The server asks for the password of {account}.")).format(account=account(url))
        return PasswordRequired(message, url, refused=refused)
    return None

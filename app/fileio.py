"""Atomic file writing: a reader never sees a half-written file, a failed write leaves none."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.errors import LikvardError
from app.i18n import _


class FileWriteError(LikvardError):
    """The file could not be written; nothing was left behind."""


class FileReadError(LikvardError):
    """The file could not be read (missing, not allowed, a folder...)."""


def describe_os_error(exc: OSError, path: str | Path | None = None) -> str:
    """A whole sentence in the user's language for an operating-system error on ``path``.

    The operating system's own text (``exc.strerror``) is English whatever the user's language,
    so it is never shown; the error number chooses the sentence.
    """
    name = str(path if path is not None else (exc.filename or ""))
    code = exc.errno
    if code == errno.ENOENT:
        return _("The file {name} does not exist.").format(name=name)
    if code in (errno.EACCES, errno.EPERM):
        return _("You are not allowed to use the file {name}.").format(name=name)
    if code == errno.EISDIR:
        return _("{name} is a folder, not a file.").format(name=name)
    if code == errno.ENOTDIR:
        return _("A part of the path {name} is not a folder.").format(name=name)
    if code == errno.ENOSPC:
        return _("The disk is full: the file {name} cannot be written.").format(name=name)
    if code == errno.EROFS:
        return _("The file {name} is on a disk that cannot be written to.").format(name=name)
    if code == errno.EEXIST:
        return _("The file {name} exists already.").format(name=name)
    return _("The file {name} cannot be used (system error {code}).").format(
        name=name, code=errno.errorcode.get(code or 0, code))


def read_file_bytes(path: str | Path) -> bytes:
    """The bytes of ``path``; FileReadError with a translated sentence when it cannot be read."""
    target = Path(path).expanduser()
    try:
        return target.read_bytes()
    except OSError as exc:
        raise FileReadError(describe_os_error(exc, target)) from None


def atomic_write_with(path: str | Path, writer: Callable[[BinaryIO], None]) -> Path:
    """Call ``writer`` on a temporary file beside ``path``, fsync it, then rename it into place."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileWriteError(_("The folder {folder} does not exist.").format(folder=folder))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileWriteError(describe_os_error(exc, target)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            writer(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise FileWriteError(describe_os_error(exc, target)) from exc
        raise
    return target


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""

    def write(fh: BinaryIO) -> None:
        fh.write(data)

    return atomic_write_with(path, write)

"""Atomic file writing: a reader never sees a half-written file, a failed write leaves none."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.errors import LikvardError
from app.i18n import _


class FileWriteError(LikvardError):
    """The file could not be written; nothing was left behind."""


def atomic_write_with(path: str | Path, writer: Callable[[BinaryIO], None]) -> Path:
    """Call ``writer`` on a temporary file beside ``path``, fsync it, then rename it into place."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileWriteError(_("The folder {folder} does not exist.").format(folder=folder))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileWriteError(_("Cannot write {path}: {error}").format(path=target, error=exc.strerror)) from exc
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
            raise FileWriteError(_("Cannot write {path}: {error}").format(path=target, error=exc.strerror)) from exc
        raise
    return target


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return atomic_write_with(path, lambda fh: fh.write(data) and None)

"""An inter-process lock beside the database file, held while a database is created or migrated.

Two programs opening a new file at once would both create the schema (``table alembic_version
already exists``). The lock is an OS advisory lock (fcntl on POSIX, msvcrt on Windows) on
a file named after the database's path in the user's data folder; the OS releases it when the process dies, so a crash never leaves it stuck.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import StorageError
from app.fileio import describe_os_error
from app.i18n import _

#: How long to wait for another program that is creating or upgrading the same database.
LOCK_TIMEOUT_S = 120.0


def lock_path(db_path: Path) -> Path:
    """The lock file for ``db_path``: in the user's own data folder, so that refusing a file never
    leaves anything beside it (and a read-only folder can still be read)."""
    from app.paths import private_dir

    digest = hashlib.sha256(str(db_path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return private_dir("locks") / f"{digest}.lock"


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def database_lock(db_path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold ``<db_path>.lock`` exclusively (waiting up to ``timeout`` seconds for another holder)."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StorageError(_("Cannot create the lock file {path}: {error}").format(path=path,
                                                                                  error=describe_os_error(exc))) from exc
    try:
        deadline = time.monotonic() + timeout
        delay = 0.01
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise StorageError(_("Another Likvärd program is creating or upgrading {path}; try again "
                                     "when it has finished.").format(path=db_path))
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)

"""Where things live: bundled resources (also in a frozen build) and user data."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

APP_NAME = "Likvard"
APP_AUTHOR = "Likvard"


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource (checklists/, translations/, app/...).

    In a PyInstaller build resources sit below ``sys._MEIPASS``; from a checkout or an
    installed wheel they sit beside the ``app`` package.
    """
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parent.parent
    path = root.joinpath(*parts)
    if not path.exists() and not base:
        # an installed wheel: the build put checklists and compiled catalogs in app/_resources
        installed = Path(__file__).resolve().parent.joinpath("_resources", *parts)
        if installed.exists():
            return installed
    return path


def user_data_dir() -> Path:
    """The per-user data folder (created on demand)."""
    from platformdirs import user_data_path

    path = user_data_path(APP_NAME, APP_AUTHOR)
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        make_private(path)  # every case is in here: other users of the computer stay out
    return path


def private_dir(*parts: str) -> Path:
    """A folder inside the user data folder that only this user may enter (0700), created on demand."""
    path = user_data_dir().joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """Owner-only permissions (0700 a folder, 0600 a file): group and others lose every right; the
    owner's own rights are never widened (a file made read-only stays read-only)."""
    if os.name == "nt":  # pragma: no cover - Windows: the profile folder is already private
        return
    try:
        mode = path.stat().st_mode
        if mode & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & 0o700)
    except OSError:
        pass  # not ours (a shared or read-only location): the open reports what matters


def user_config_dir() -> Path:
    """The per-user configuration folder (created on demand)."""
    from platformdirs import user_config_path

    path = user_config_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def is_database_url(where: str | Path | None) -> bool:
    """True when ``where`` (a ``--db`` or ``LIKVARD_DB`` value) is a server URL
    (``postgresql+psycopg://anna@db.example/likvard``), not a file path."""
    if where is None or isinstance(where, Path):
        return False
    from app.credentials import is_url

    return is_url(where)


def default_database() -> str | Path:
    """The database: ``LIKVARD_DB`` if set (a file path, or a server URL returned as the string),
    else ``likvard.sqlite`` in the user data folder."""
    env = os.environ.get("LIKVARD_DB")
    if env and is_database_url(env):
        return env
    return default_database_path()


def default_database_path() -> Path:
    """The database file: ``LIKVARD_DB`` if set, else ``likvard.sqlite`` in the user data folder.
    (A server URL in ``LIKVARD_DB``: see :func:`default_database`.)"""
    env = os.environ.get("LIKVARD_DB")
    if env and not is_database_url(env):
        return Path(env).expanduser()
    return user_data_dir() / "likvard.sqlite"


def user_log_dir() -> Path:
    """The per-user log folder (created on demand, private): ``LIKVARD_LOG_DIR`` if set."""
    env = os.environ.get("LIKVARD_LOG_DIR")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_log_path

        path = user_log_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path

"""User settings kept in a JSON file in the user configuration folder.

``LIKVARD_CONFIG`` overrides the file (tests use a fresh one each). Window geometry and other
purely visual state live in QSettings, in ui/.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.fileio import atomic_write_bytes


def settings_path() -> Path:
    env = os.environ.get("LIKVARD_CONFIG")
    if env:
        return Path(env).expanduser()
    from app.paths import user_config_dir

    return user_config_dir() / "settings.json"


@dataclass
class Settings:
    """The profile and preferences of the person using this computer."""

    name: str = ""
    organisation: str = ""
    branch: str = ""
    language: str = ""  # empty: the system language when supported
    logo_path: str = ""
    role: str = "advisor"  # agent / advisor / trainer: what the insights show (a trainer: per advisor)
    backup_keep_days: int = 14  # automatic backups older than this go (the newest few always stay)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def actor(self) -> str:
        """Who is recorded in events: the profile name, else the login name."""
        if self.name.strip():
            return self.name.strip()
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return ""

    def effective_language(self) -> str:
        from app.i18n import normalize_language, system_language

        return normalize_language(self.language) if self.language else system_language()

    def save(self, path: Path | None = None) -> None:
        data = json.dumps(asdict(self), ensure_ascii=False, indent=2).encode("utf-8")
        target = path or settings_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing or unreadable file gives the defaults (never overwritten here)."""
    source = path or settings_path()
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in data.items() if k in known})

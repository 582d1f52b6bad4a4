"""The program's entry point (``python main.py`` and the ``likvard`` script).

The command line lives in :mod:`app.cli` and knows nothing of the GUI; this module hands it the
function that opens the desktop app, used when no subcommand (or ``gui``) is given.
"""

from __future__ import annotations

from pathlib import Path


def open_gui(db_path: str | Path | None, language: str | None) -> int:
    """Open the desktop application (PySide6 is imported only now)."""
    from ui.app import run_gui

    return run_gui(db_path=db_path, language=language)


def main() -> None:
    import sys

    if len(sys.argv) == 1:  # the desktop app, as from the menu: no command line to parse (start-up time)
        sys.exit(open_gui(None, None))
    from app.cli import main as cli_main

    cli_main(open_gui=open_gui)

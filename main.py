"""Likvärd: run ``python main.py`` for the desktop app, ``python main.py --help`` for the CLI."""

from app.cli import main

if __name__ == "__main__":
    main()

"""Likvärd: run ``python main.py`` for the desktop app, ``python main.py --help`` for the CLI.

main.py chooses: the command line (app.cli) runs every subcommand, and opens the GUI (ui) only
through the function handed to it here, so the core never imports the GUI.
"""

from ui.launcher import main

if __name__ == "__main__":
    main()

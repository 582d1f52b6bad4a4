"""The main window's responsibilities beyond its views (the window itself is ui/main_window.py):
PDF commands (pdf_commands.py), the language switch (language.py), demo cases (demo.py) and the
remembered geometry and last case (state.py). Each module is imported when first needed."""

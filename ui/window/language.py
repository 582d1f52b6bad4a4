"""The user interface language: Qt's own texts in it, and rebuilding the main window in another
one without losing work. (Light to import: ui/app.py imports it before Qt is loaded.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.enums import Language

if TYPE_CHECKING:
    from ui.main_window import MainWindow

_qt_translator: object | None = None


def install_qt_translations(app: object, lang: str) -> None:
    """Qt's own texts (standard buttons, the calendar, context menus) in the UI language."""
    global _qt_translator
    if _qt_translator is not None:  # switching language: the previous catalog goes first
        app.removeTranslator(_qt_translator)  # type: ignore[attr-defined]
        _qt_translator = None
    if lang == Language.EN:
        return
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)  # type: ignore[arg-type]
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{lang}", folder):
        app.installTranslator(translator)  # type: ignore[attr-defined]
        _qt_translator = translator


def rebuild_in(window: MainWindow, lang: str) -> MainWindow | None:
    """A new main window in ``lang`` that shows what ``window`` shows: pending answers are saved
    first, the open case, geometry and panels come back as they were. None (and a message) if the
    answers could not be saved; the caller closes ``window``."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app import i18n
    from app.i18n import _

    if window.filling is not None and not window.filling.flush():
        QMessageBox.warning(window, _("Settings"), _("Some changes could not be saved: {error}").format(
            error=window.filling.autosaver.error))
        return None
    window.save_state()
    i18n.set_language(lang)
    install_qt_translations(QApplication.instance(), lang)
    manager = window.template_manager
    if manager is not None:
        manager.close()
    successor = type(window)(window.services, restore=True)
    successor.show()
    successor.statusBar().showMessage(_("Settings saved."), 8000)
    return successor

"""The filling view of one case (ui/filling/view.py), its panels (panels.py), its wrapping lists
(lists.py) and its autosave (autosave.py). The names below are the package's public ones."""

from ui.filling.autosave import AUTOSAVE_DELAY_MS, RETRY_DELAYS_MS, Autosaver, ask_unsaved_on_close
from ui.filling.lists import ItemKeyRole, WrappingDelegate, wrapping_list
from ui.filling.view import FillingView

__all__ = ["AUTOSAVE_DELAY_MS", "RETRY_DELAYS_MS", "Autosaver", "FillingView", "ItemKeyRole", "WrappingDelegate",
           "ask_unsaved_on_close", "wrapping_list"]

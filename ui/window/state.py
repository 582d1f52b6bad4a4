"""What the main window remembers between runs: its geometry and toolbar, the Flags panel, and the
case that was open. Kept in the user configuration folder, never in the data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    import uuid

    from ui.main_window import MainWindow


def ui_state() -> QSettings:
    """Window geometry and the last view, in the user configuration folder (never the data)."""
    from app.paths import user_config_dir

    return QSettings(str(user_config_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore_geometry(window: MainWindow) -> None:
    state = ui_state()
    geometry = state.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    window_state = state.value("window/state")
    if isinstance(window_state, QByteArray) and not window_state.isEmpty():
        window.restoreState(window_state)
    flags = state.value("view/flags_panel", True)
    window.act_flags.setChecked(flags not in (False, "false", "0"))


def last_case() -> uuid.UUID | None:
    """The case open when the window last closed, if any."""
    import uuid  # not before the window shows (it imports platform: ~4 ms)

    last = ui_state().value("view/last_case", "")
    if not last:
        return None
    try:
        return uuid.UUID(str(last))
    except ValueError:
        return None


def save_state(window: MainWindow) -> None:
    state = ui_state()
    state.setValue("window/geometry", window.saveGeometry())
    state.setValue("window/state", window.saveState())
    filling = window.filling
    showing_case = filling is not None and window.stack.currentWidget() is filling
    state.setValue("view/last_case", str(filling.record.id) if showing_case and filling is not None else "")
    state.setValue("view/flags_panel", window.act_flags.isChecked())
    state.sync()

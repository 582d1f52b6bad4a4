"""Key sequences for actions: a module of its own so the main window (on screen first) need not
import every widget of ui.widgets before it shows."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence


def unique_shortcuts(shortcuts: list[QKeySequence | str]) -> list[QKeySequence]:
    """The key sequences, each once and none empty. A standard key (Quit) is Ctrl+Q on most Linux
    desktops: binding it next to "Ctrl+Q" made Qt refuse both ("Ambiguous shortcut overload")."""
    out: list[QKeySequence] = []
    for shortcut in shortcuts:
        sequence = QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut
        if not sequence.isEmpty() and sequence not in out:
            out.append(sequence)
    return out

"""Undo for the draft editor: every edit is a snapshot command (content before / after)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from ui.templates.draft_editor import DraftEditor


class SnapshotCommand(QUndoCommand):
    """One edit: the whole content before and after. Consecutive typing in a field merges."""

    def __init__(self, editor: DraftEditor, before: dict[str, Any], after: dict[str, Any], text: str,
                 merge_key: str | None = None) -> None:
        super().__init__(text)
        self.editor = editor
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def id(self) -> int:
        return 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, SnapshotCommand) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.editor.apply_snapshot(self.after)

    def undo(self) -> None:
        self.editor.apply_snapshot(self.before)


# --- small widgets --------------------------------------------------------------------------



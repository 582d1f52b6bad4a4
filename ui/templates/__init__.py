"""Trainers' tools: templates and their versions, the draft editor, validation, preview, compare.

Every edit goes through a QUndoStack as a snapshot command (content before / after), so undo and
redo cover everything, and drafts are saved automatically. Business rules stay in app/: the
editing operations (app.domain.editing), validation (app.domain.template) and the services.
"""

from ui.templates.compare import CompareDialog
from ui.templates.draft_editor import DraftEditor
from ui.templates.manager import TemplateManager
from ui.templates.preview import PreviewPane
from ui.templates.texts_grid import TextsGrid

__all__ = ["CompareDialog", "DraftEditor", "PreviewPane", "TemplateManager", "TextsGrid"]

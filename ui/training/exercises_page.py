"""The trainer's list of exercises: new, edit, delete, import and export JSON."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _
from app.services import Services
from app.services.exercises import ExerciseFormatError
from ui.training.common import KeyRole
from ui.training.editor import ExerciseEditor


class EditPage(QWidget):
    """The trainer's list of exercises: new, edit, delete, import and export JSON."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.editor: ExerciseEditor | None = None  # the editor open, if any (for tests)
        layout = QHBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("exerciseEditList")
        self.list.setAccessibleName(_("Exercises"))
        self.list.setAccessibleDescription(_("Enter opens the exercise in the editor"))
        self.list.itemActivated.connect(lambda _i: self.edit())
        layout.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (("new", _("&New exercise…"), self.new), ("edit", _("&Edit…"), self.edit),
                                 ("delete", _("&Delete"), self.delete),
                                 ("import", _("&Import JSON…"), self.import_file),
                                 ("export", _("Ex&port JSON…"), self.export_file)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, s=slot: s())
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        current = self._key()
        self.list.clear()
        for info in self.services.exercises.list():
            entry = QListWidgetItem(f"{info.title}  ({info.key})")
            entry.setData(KeyRole, info.key)
            self.list.addItem(entry)
            if info.key == current:
                self.list.setCurrentItem(entry)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def select(self, key: str) -> None:
        for n in range(self.list.count()):
            entry = self.list.item(n)
            if entry is not None and entry.data(KeyRole) == key:
                self.list.setCurrentRow(n)

    def _key(self) -> str | None:
        entry = self.list.currentItem()
        return entry.data(KeyRole) if entry else None

    def open_editor(self, key: str | None) -> ExerciseEditor:
        """The editor of ``key`` (a new exercise when None), not yet shown."""
        self.editor = ExerciseEditor(self.services, key, self)
        return self.editor

    def _run_editor(self, key: str | None) -> None:
        self.open_editor(key).exec()
        self.editor = None
        self.refresh()
        self.changed.emit()

    def new(self) -> None:
        self._run_editor(None)

    def edit(self) -> None:
        key = self._key()
        if key:
            self._run_editor(key)

    def delete(self) -> None:
        key = self._key()
        if not key:
            return
        if QMessageBox.question(self, _("Delete"), _("Delete the exercise {key}?").format(key=key)) \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            self.services.exercises.delete(key)
        except LikvardError as exc:
            QMessageBox.warning(self, _("Delete"), exc.message)
        self.refresh()
        self.changed.emit()

    def import_file(self, path: str | None = None) -> bool:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import exercises"), str(Path.home()),
                                                        _("Exercise files (*.json)"))
            if not path:
                return False
        try:
            self.services.exercises.import_file(path)
        except ExerciseFormatError as exc:
            QMessageBox.warning(self, _("Import exercises"), _("Nothing was imported:") + "\n" + exc.message)
            return False
        except LikvardError as exc:
            QMessageBox.warning(self, _("Import exercises"), exc.message)
            return False
        self.refresh()
        self.changed.emit()
        return True

    def export_file(self, path: str | None = None) -> None:
        key = self._key()
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Export exercises"), f"{key or 'exercises'}.json",
                                                        _("Exercise files (*.json)"))
            if not path:
                return
        try:
            self.services.exercises.export_file([key] if key else None, path)
        except LikvardError as exc:
            QMessageBox.warning(self, _("Export exercises"), exc.message)

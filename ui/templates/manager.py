"""The template window: templates and their versions, and every action on them."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.locations import describe_problem
from app.domain.template import (
    TemplateContent,
    version_status_label,
)
from app.enums import VersionStatus
from app.errors import LikvardError, TemplateFormatError
from app.i18n import (
    _,
    format_datetime,
    get_language,
    ngettext,
)
from app.services import Services
from app.services.templates import PartialImportError, VersionInfo, open_filter, save_filter
from ui.templates.compare import CompareDialog
from ui.templates.draft_editor import DraftEditor
from ui.templates.preview import PreviewPane
from ui.widgets import fit_to_screen, nothing_imported, unique_shortcuts


class TemplateManager(QMainWindow):
    """Templates with their versions; create, duplicate, edit drafts, publish, retire, compare."""

    templates_changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Checklist templates"))
        self.setObjectName("templateManager")
        self.undo_stack = QUndoStack(self)
        self.editor: DraftEditor | None = None
        self.import_report: QDialog | None = None  # the report of the last partial import, while open
        self.report_version: uuid.UUID | None = None  # the draft it belongs to
        self.versions = QTreeWidget()
        self.versions.setAccessibleName(_("Templates and versions"))
        self.versions.setHeaderLabels([_("Template / version"), _("Status")])
        self.versions.setRootIsDecorated(True)
        self.versions.currentItemChanged.connect(self._version_selected)
        # names are never cut for good: both columns can be dragged wider (the tree then scrolls
        # sideways, and the splitter widens the pane); the full text is in every node's tooltip
        header = self.versions.header()
        header.setSectionsMovable(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.versions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.stack = QStackedWidget()
        self.empty = QLabel(_("Choose a version on the left. Published versions never change: to improve "
                              "one, create a new draft from it, edit it, then publish it."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("muted")
        self.stack.addWidget(self.empty)
        self.readonly_preview = PreviewPane()
        self.stack.addWidget(self.readonly_preview)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.versions)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 1160])
        splitter.splitterMoved.connect(lambda _pos, _index: self._fit_columns())
        self.setCentralWidget(splitter)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.status)
        self._build_actions()
        self.refresh()
        fit_to_screen(self, 1400, 860)  # a 1366x768 laptop shows all of it

    def _build_actions(self) -> None:
        bar = QToolBar(_("Templates"))
        bar.setObjectName("templatesToolbar")
        bar.setMovable(False)
        self.addToolBar(bar)

        def act(text: str, slot: Any, shortcut: str | QKeySequence | None = None) -> QAction:
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False: slot())
            bar.addAction(action)
            return action

        self.act_new = act(_("New template\u2026"), self.new_template)
        self.act_duplicate = act(_("Duplicate\u2026"), self.duplicate)
        self.act_draft = act(_("New draft"), self.new_draft)
        bar.addSeparator()
        self.act_undo = self.undo_stack.createUndoAction(self, _("Undo"))
        self.act_undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.act_redo = self.undo_stack.createRedoAction(self, _("Redo"))
        self.act_redo.setShortcuts(unique_shortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]))
        bar.addAction(self.act_undo)
        bar.addAction(self.act_redo)
        bar.addSeparator()
        self.act_publish = act(_("Publish"), self.publish, "Ctrl+Shift+P")
        self.act_retire = act(_("Retire"), self.retire)
        self.act_delete = act(_("Delete draft"), self.delete_draft)
        self.act_compare = act(_("Compare\u2026"), self.compare)
        bar.addSeparator()
        self.act_import = act(_("Import\u2026"), self.import_file, "Ctrl+O")
        self.act_report = act(_("Import report\u2026"), self.reopen_import_report)
        self.act_report.setToolTip(_("What the import of this draft's spreadsheet left out"))
        self.act_export = act(_("Export\u2026"), self.export_file, "Ctrl+E")
        close = QAction(_("Close"), self)
        close.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        close.triggered.connect(self.close)
        self.addAction(close)

    # list ----------------------------------------------------------------------------------

    def refresh(self, select: uuid.UUID | None = None) -> None:
        current = select or self.current_version_id()
        self.versions.blockSignals(True)
        self.versions.clear()
        lang = get_language()
        by_key: dict[str, QTreeWidgetItem] = {}
        chosen = None
        for v in self.services.templates.list_versions():
            parent = by_key.get(v.template_key)
            if parent is None:
                parent = QTreeWidgetItem([v.title or v.template_key])
                parent.setData(0, Qt.ItemDataRole.UserRole, None)
                parent.setData(1, Qt.ItemDataRole.UserRole, v.template_key)
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                self.versions.addTopLevelItem(parent)
                by_key[v.template_key] = parent
            parent.setText(0, v.title or v.template_key)
            parent.setToolTip(0, _("{title} (key {key})").format(title=v.title or v.template_key, key=v.template_key))
            node = QTreeWidgetItem([_("Version {number}").format(number=v.number), version_status_label(v.status)])
            changed = _("Changed by {who} on {when}").format(
                who=v.created_by or "\u2013", when=format_datetime(v.published_at or v.created_at, lang, "short"))
            whole = "\n".join([_("{title}, version {number} ({status})").format(
                title=v.title or v.template_key, number=v.number, status=version_status_label(v.status)), changed])
            node.setToolTip(0, whole)
            node.setToolTip(1, whole)
            node.setStatusTip(0, changed)
            node.setData(0, Qt.ItemDataRole.UserRole, v)
            parent.addChild(node)
            if v.id == current:
                chosen = node
        self.versions.expandAll()
        self._fit_columns()
        self.versions.blockSignals(False)
        if chosen is not None:
            self.versions.setCurrentItem(chosen)
        else:
            self._version_selected(self.versions.currentItem())
        self._update_actions()

    def _fit_columns(self) -> None:
        """The status column as wide as its texts, the name column the rest of the pane. A longer
        name shows whole when the pane is dragged wider (the splitter), or its column (then the
        tree scrolls sideways), and always in its tooltip."""
        self.versions.resizeColumnToContents(1)
        room = self.versions.viewport().width() - self.versions.columnWidth(1)
        self.versions.setColumnWidth(0, max(room, self.versions.sizeHintForColumn(1), 120))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_columns()

    def current_version(self) -> VersionInfo | None:
        node = self.versions.currentItem()
        if node is None:
            return None
        data = node.data(0, Qt.ItemDataRole.UserRole)
        last = node.child(node.childCount() - 1) if data is None and node.childCount() else None
        if last is not None:
            data = last.data(0, Qt.ItemDataRole.UserRole)
        return data

    def current_version_id(self) -> uuid.UUID | None:
        v = self.current_version()
        return v.id if v else None

    def _version_selected(self, node: QTreeWidgetItem | None, _previous: Any = None) -> None:
        if self.editor is not None:
            self.editor.flush()
            self.stack.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
            self.undo_stack.clear()
        v = self.current_version()
        if self.import_report is not None and (v is None or v.id != self.report_version
                                               or v.status != VersionStatus.DRAFT):
            self.import_report.close()  # a report leads into its own draft only
        if v is None:
            self.stack.setCurrentWidget(self.empty)
        elif v.status == VersionStatus.DRAFT:
            self.editor = DraftEditor(self.services, v, self.undo_stack)
            self.editor.saved.connect(self._saved)
            self.editor.problems_changed.connect(lambda e, w: self._update_actions())
            self.editor.report_requested.connect(self.reopen_import_report)
            self.stack.addWidget(self.editor)
            self.stack.setCurrentWidget(self.editor)
        else:
            self.readonly_preview.set_content(self.services.templates.content(v.id))
            self.stack.setCurrentWidget(self.readonly_preview)
        self._update_actions()

    def _saved(self, message: str) -> None:
        self.status.setText(message)
        if self.editor is not None:
            node = self.versions.currentItem()
            if node is not None and node.data(0, Qt.ItemDataRole.UserRole) is not None:
                node.setData(0, Qt.ItemDataRole.UserRole, self.editor.version)
                parent = node.parent()
                if parent is not None:
                    parent.setText(0, self.editor.version.title)

    def _update_actions(self) -> None:
        v = self.current_version()
        has = v is not None
        status = v.status if v is not None else None
        self.act_duplicate.setEnabled(has)
        self.act_draft.setEnabled(has and status != VersionStatus.DRAFT)
        errors = self.editor.error_count if self.editor is not None else 0
        self.act_publish.setEnabled(status == VersionStatus.DRAFT and errors == 0)
        self.act_publish.setToolTip(_("Fix the errors in the validation panel first") if errors else _("Publish this draft"))
        self.act_retire.setEnabled(status == VersionStatus.PUBLISHED)
        self.act_delete.setEnabled(status == VersionStatus.DRAFT)
        node = self.versions.currentItem()
        parent = node.parent() if node is not None and node.parent() is not None else node
        self.act_compare.setEnabled(has and parent is not None and parent.childCount() > 1)
        self.act_export.setEnabled(has)
        self.act_report.setEnabled(self.editor is not None and self.editor.import_report is not None)

    # commands --------------------------------------------------------------------------------

    def _error(self, exc: LikvardError, heading: str | None = None) -> None:
        """Show an error; a template's problems each as a sentence saying where it is."""
        if isinstance(exc, TemplateFormatError):
            shown = exc.problems[:15]
            lines = [describe_problem(p) for p in shown]
            if len(exc.problems) > len(shown):
                rest = len(exc.problems) - len(shown)
                lines.append(ngettext("\u2026 and {count} more problem", "\u2026 and {count} more problems",
                                      rest).format(count=rest))
            text = "\n".join(lines)
        else:
            text = exc.message
        box = QMessageBox(QMessageBox.Icon.Warning, _("Checklist templates"), heading or text,
                          QMessageBox.StandardButton.Ok, self)
        if heading:
            box.setInformativeText(text)
        box.exec()

    def new_template(self) -> None:
        key, ok = QInputDialog.getText(self, _("New template"), _("Key (lower-case letters, digits and _):"))
        if not ok or not key.strip():
            return
        title, ok = QInputDialog.getText(self, _("New template"), _("Title:"))
        if not ok:
            return
        lang = get_language()
        from app.domain.template import Section

        content = TemplateContent(key=key.strip(), title={lang: title.strip() or key.strip()}, default_language=lang,
                                  languages=[lang], sections=[Section("section", {lang: _("New section")})])
        try:
            version = self.services.templates.create_template(content)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(version.id)
        self.templates_changed.emit()

    def duplicate(self) -> None:
        v = self.current_version()
        if v is None:
            return
        key, ok = QInputDialog.getText(self, _("Duplicate template"), _("Key of the copy:"), text=f"{v.template_key}_copy")
        if not ok or not key.strip():
            return
        try:
            version = self.services.templates.duplicate(v.id, key.strip())
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(version.id)

    def new_draft(self) -> None:
        v = self.current_version()
        if v is None:
            return
        draft = self.services.templates.create_draft(v.id)
        self.refresh(draft.id)

    def publish(self) -> None:
        v = self.current_version()
        if v is None or v.status != VersionStatus.DRAFT:
            return
        if self.editor is not None:
            self.editor.flush()
        answer = QMessageBox.question(
            self, _("Publish"),
            _("Publish version {number}? It can no longer be changed, and new cases will use it.").format(number=v.number))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            published = self.services.templates.publish(v.id)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(published.id)
        self.status.setText(_("Version {number} published").format(number=published.number))
        self.templates_changed.emit()

    def retire(self) -> None:
        v = self.current_version()
        if v is None:
            return
        try:
            retired = self.services.templates.retire(v.id)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh(retired.id)
        self.templates_changed.emit()

    def delete_draft(self) -> None:
        v = self.current_version()
        if v is None or v.status != VersionStatus.DRAFT:
            return
        answer = QMessageBox.question(self, _("Delete draft"), _("Delete the draft version {number}?").format(number=v.number))
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.editor is not None:
            self.editor.save_timer.stop()
        try:
            self.services.templates.delete_draft(v.id)
        except LikvardError as exc:
            self._error(exc)
            return
        self.refresh()

    def compare(self) -> None:
        v = self.current_version()
        if v is None:
            return
        if self.editor is not None:
            self.editor.flush()
        CompareDialog(self.services, v.template_key, self).exec()

    def import_file(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import a template"), str(Path.home()), open_filter())
            if not path:
                return
        templates = self.services.templates
        try:
            try:
                outcome = templates.import_file(path, publish=False)
            except PartialImportError as exc:
                if not self.confirm_partial(exc.skipped):
                    return
                outcome = templates.import_file(path, publish=False, allow_partial=True)
        except LikvardError as exc:
            self._error(exc, nothing_imported(path))
            return
        self.refresh(outcome.version.id)
        self.status.setText(_("Imported {key} version {number}").format(key=outcome.version.template_key,
                                                                         number=outcome.version.number))
        if outcome.skipped:
            report = self.services.templates.import_report(outcome.version.id)
            if report is not None and outcome.version.status == VersionStatus.DRAFT:
                self.show_import_report(report.skipped, report.file, report.item_at)
            else:
                self.show_import_report(outcome.skipped, Path(path).name)

    def reopen_import_report(self) -> None:
        """The kept report of the partial import that made the selected draft."""
        report = self.editor.import_report if self.editor is not None else None
        if report is not None:
            self.show_import_report(report.skipped, report.file, report.item_at)

    def _select_reported_item(self, key: str) -> None:
        """A report row was clicked: select the item it is about in the draft editor."""
        if self.editor is not None and self.editor.select_item(key):
            self.status.setText(_("Selected the item \u201c{key}\u201d").format(key=key))
        else:
            self.status.setText(_("The item \u201c{key}\u201d is no longer in the draft.").format(key=key))

    def show_import_report(self, skipped: Any, title: str, item_at: Any = None) -> None:
        """The full row-by-row report, beside the editor (not modal) while the trainer fixes the draft."""
        from ui.templates.import_report import ImportReportDialog

        if self.import_report is not None:
            self.import_report.close()
        dialog = ImportReportDialog(skipped, title, self, item_at=item_at)
        dialog.item_chosen.connect(self._select_reported_item)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda *_args: self._report_closed(dialog))
        dialog.destroyed.connect(lambda *_args: self._report_closed(dialog))
        self.import_report = dialog
        self.report_version = self.current_version_id()
        dialog.show()

    def _report_closed(self, dialog: QDialog) -> None:
        if self.import_report is dialog:  # not a newer report that replaced it
            self.import_report = None
            self.report_version = None

    def confirm_partial(self, skipped: list[Any]) -> bool:
        """Ask before importing a spreadsheet some of whose rows cannot be represented."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Import a template"))
        box.setText(ngettext("{count} row cannot be represented and will be skipped. Import the rest?",
                             "{count} rows cannot be represented and will be skipped. Import the rest?",
                             len(skipped)).format(count=len(skipped)))
        box.setDetailedText("\n".join(f"{r.sheet}!{r.row}: {r.reason}" for r in skipped))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def export_file(self, path: str | None = None) -> None:
        v = self.current_version()
        if v is None:
            return
        if self.editor is not None:
            self.editor.flush()
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Export a template"), str(Path.home() / f"{v.template_key}-v{v.number}.json"), save_filter())
            if not path:
                return
        try:
            self.services.templates.export_file(v.template_key, v.number, path)
        except LikvardError as exc:
            self._error(exc)
            return
        self.status.setText(_("Exported to {path}").format(path=path))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        if self.editor is not None:
            self.editor.flush()
        super().closeEvent(event)

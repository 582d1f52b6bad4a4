"""The draft editor: structure tree, undoable edits, validation panel and saving."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import editing, locations
from app.domain.template import (
    ITEM_TYPE_LABELS,
    ITEM_TYPES,
    TemplateContent,
)
from app.errors import LikvardError, Problem
from app.i18n import (
    _,
    get_language,
    ngettext,
    translate_in,
)
from app.services import Services
from app.services.templates import VersionInfo
from ui.condition_builder import ConditionBuilder, ConditionGroup
from ui.style import ERROR
from ui.templates.preview import PreviewPane
from ui.templates.properties import DraftProperties
from ui.templates.texts_grid import TextsGrid
from ui.templates.undo import SnapshotCommand


def node_tooltip(text: str, key: str, kind: str) -> str:
    """A structure node's tooltip: its whole text, then what it is and its key."""
    return _("{text}\n{kind} \u2014 key {key}").format(text=text, kind=kind, key=key)


def condition_widget(builder: ConditionBuilder, path: str) -> QWidget:
    """The row (or group) of ``builder`` that shows the condition at ``path`` (``all_of[1].any_of[0].item``)."""
    segments = [(name, int(index) if index else None)
                for name, index in re.findall(r"(all_of|any_of|not)(?:\[(\d+)\])?", path)]
    widget: QWidget | None = builder.group
    i = 0
    while isinstance(widget, ConditionGroup):
        children = widget.children_widgets()
        if not children:
            break
        if i >= len(segments):
            widget = children[0] if len(children) == 1 else widget
            break
        name, index = segments[i]
        if name == "not":
            if i + 1 < len(segments) and segments[i + 1][0] == "any_of":
                index, i = segments[i + 1][1], i + 2
            else:
                index, i = 0, i + 1
        else:
            i += 1
        if index is None or index >= len(children):
            break
        widget = children[index]
    target = widget or builder
    subject = getattr(target, "subject", None)  # a row: its first field takes the focus
    return subject if isinstance(subject, QWidget) else target


class DraftEditor(DraftProperties, QWidget):
    """Structure tree, properties, validation and preview of one draft version."""

    saved = Signal(str)
    problems_changed = Signal(int, int)  # errors, warnings
    report_requested = Signal()  # the validation panel's line about the import report was chosen

    def __init__(self, services: Services, version: VersionInfo, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.version = version
        self.undo_stack = undo_stack
        self.content: TemplateContent = services.templates.content(version.id)
        self.import_report = services.templates.import_report(version.id)  # what a partial import left out
        self.selected: tuple[int | None, int | None] = (None, None)  # section index, item index
        self.error_count = 0  # of the last validation (publishing needs none)
        self._applying = False
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(500)
        self.save_timer.timeout.connect(self.save)
        self.validate_timer = QTimer(self)
        self.validate_timer.setSingleShot(True)
        self.validate_timer.setInterval(250)
        self.validate_timer.timeout.connect(self.refresh_validation)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_structure())
        self.properties = QScrollArea()
        self.properties.setWidgetResizable(True)
        self.properties.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.properties.setAccessibleName(_("Properties"))
        splitter.addWidget(self.properties)
        self.side = QTabWidget()
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("missing")
        self.problem_list.setAccessibleName(_("Validation problems"))
        # every message whole: wrapped to the panel's width (the splitter resizes the panel), never cut
        self.problem_list.setWordWrap(True)
        self.problem_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.problem_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problem_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.problem_list.setUniformItemSizes(False)
        self.problem_list.setSpacing(2)
        self.problem_list.itemActivated.connect(self._jump_to_problem)
        self.problem_list.itemClicked.connect(self._jump_to_problem)
        self.side.addTab(self.problem_list, _("Validation"))
        self.preview = PreviewPane(self)
        self.side.addTab(self.preview, _("Preview"))
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([300, 480, 380])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.rebuild()

    # structure tree -----------------------------------------------------------------------

    def _build_structure(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        # long names are shown whole: the column grows to the longest, the tree scrolls sideways and
        # the splitter beside it widens the pane; every node's tooltip holds its full text too
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.tree.setAccessibleName(_("Sections and items"))
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(self._tree_selection)
        self.tree.model().rowsMoved.connect(self._tree_dropped)
        layout.addWidget(self.tree, 1)
        buttons = QGridLayout()
        self.add_section_button = QPushButton(_("Add section"))
        self.add_section_button.clicked.connect(self.add_section)
        self.add_item_button = QPushButton(_("Add item"))
        menu = QMenu(self.add_item_button)
        for item_type in ITEM_TYPES:
            action = menu.addAction(_(ITEM_TYPE_LABELS[item_type]))
            action.triggered.connect(lambda _c=False, t=item_type: self.add_item(t))
        self.add_item_button.setMenu(menu)
        self.up_button = QPushButton(_("Move up"))
        self.up_button.setToolTip(_("Move up (Alt+Up)"))
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(_("Move down"))
        self.down_button.setToolTip(_("Move down (Alt+Down)"))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_section_button, 0, 0)
        buttons.addWidget(self.add_item_button, 0, 1)
        buttons.addWidget(self.up_button, 1, 0)
        buttons.addWidget(self.down_button, 1, 1)
        buttons.addWidget(self.remove_button, 2, 0, 1, 2)
        layout.addLayout(buttons)
        for seq, slot in (("Alt+Up", lambda: self.move_selected(-1)), ("Alt+Down", lambda: self.move_selected(1))):
            action = QAction(self.tree)
            action.setShortcut(QKeySequence(seq))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.tree.addAction(action)
        delete = QAction(self.tree)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.remove_selected)
        self.tree.addAction(delete)
        return box

    def _fill_tree(self) -> None:
        lang = get_language()
        self.tree.blockSignals(True)
        self.tree.clear()
        root = QTreeWidgetItem([self.content.text(self.content.title, lang) or self.content.key])
        root.setToolTip(0, node_tooltip(root.text(0), self.content.key, _("Template")))
        root.setData(0, Qt.ItemDataRole.UserRole, (None, None))
        root.setFlags(root.flags() & ~Qt.ItemFlag.ItemIsDragEnabled & ~Qt.ItemFlag.ItemIsDropEnabled)
        font = root.font(0)
        font.setBold(True)
        root.setFont(0, font)
        self.tree.addTopLevelItem(root)
        current = None
        for si, section in enumerate(self.content.sections):
            node = QTreeWidgetItem([self.content.text(section.title, lang) or section.key])
            node.setToolTip(0, node_tooltip(node.text(0), section.key, _("Section {number}").format(number=si + 1)))
            node.setData(0, Qt.ItemDataRole.UserRole, (si, None))
            node.setFont(0, font)
            node.setFlags(node.flags() | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled)
            self.tree.addTopLevelItem(node)
            if self.selected == (si, None):
                current = node
            for ii, item in enumerate(section.items):
                text = self.content.text(item.label, lang) or item.key
                child = QTreeWidgetItem([text])
                child.setToolTip(0, node_tooltip(text, item.key, _(ITEM_TYPE_LABELS[item.type])))
                child.setData(0, Qt.ItemDataRole.UserRole, (si, ii))
                child.setFlags((child.flags() | Qt.ItemFlag.ItemIsDragEnabled) & ~Qt.ItemFlag.ItemIsDropEnabled)
                node.addChild(child)
                if self.selected == (si, ii):
                    current = child
        self.tree.expandAll()
        self.tree.setCurrentItem(current or root)
        self.tree.blockSignals(False)

    def _tree_selection(self, current: QTreeWidgetItem | None, _previous: Any = None) -> None:
        if current is None:
            return
        self.selected = tuple(current.data(0, Qt.ItemDataRole.UserRole))
        self._build_properties()
        self._update_buttons()

    def _tree_dropped(self, *args: Any) -> None:
        """Drag and drop moved nodes in the tree: read the new order back into the content."""
        if self._applying:
            return
        before = self.content.to_dict()
        sections_by_key = {s.key: s for s in self.content.sections}
        items_by_key = {i.key: i for i in self.content.items()}
        new_sections = []
        for top in range(self.tree.topLevelItemCount()):
            node = self.tree.topLevelItem(top)
            if node is None:
                continue
            si, ii = node.data(0, Qt.ItemDataRole.UserRole)
            if si is None:
                continue
            section = sections_by_key[self.content.sections[si].key]
            items = []
            for c in range(node.childCount()):
                child = node.child(c)
                if child is None:
                    continue
                csi, cii = child.data(0, Qt.ItemDataRole.UserRole)
                items.append(items_by_key[self.content.sections[csi].items[cii].key])
            new_sections.append((section, items))
        if sum(len(items) for _s, items in new_sections) != len(items_by_key):
            QTimer.singleShot(0, self.rebuild)  # an item was dropped outside any section: refuse
            return
        for section, items in new_sections:
            section.items = items
        self.content.sections = [s for s, _items in new_sections]
        self.push(before, _("Reorder"))
        QTimer.singleShot(0, self.rebuild)

    def _update_buttons(self) -> None:
        si, ii = self.selected
        self.add_item_button.setEnabled(bool(self.content.sections))
        self.remove_button.setEnabled(si is not None)
        self.up_button.setEnabled(si is not None)
        self.down_button.setEnabled(si is not None)

    # commands -----------------------------------------------------------------------------

    def push(self, before: dict[str, Any], text: str, merge_key: str | None = None) -> None:
        """Record an edit already made on ``self.content`` (undoable), then save and re-check."""
        after = self.content.to_dict()
        if after == before:
            return
        self.undo_stack.push(SnapshotCommand(self, before, after, text, merge_key))

    def apply_snapshot(self, data: dict[str, Any]) -> None:
        """Undo / redo: show ``data``. Rebuilds only when it differs from what is shown."""
        if data != self.content.to_dict():
            self._applying = True
            try:
                self.content = editing.from_dict(data)
                self.rebuild()
            finally:
                self._applying = False
        self.save_timer.start()
        self.validate_timer.start()
        self.preview.schedule()

    def rebuild(self) -> None:
        si, ii = self.selected
        if si is not None and si >= len(self.content.sections):
            self.selected = (None, None)
        elif si is not None and ii is not None and ii >= len(self.content.sections[si].items):
            self.selected = (si, None)
        self._fill_tree()
        self._build_properties()
        self._update_buttons()
        self.refresh_validation()
        self.preview.schedule()

    def add_section(self) -> None:
        before = self.content.to_dict()
        si = self.selected[0]
        index = len(self.content.sections) if si is None else si + 1
        editing.new_section(self.content, translate_in(self.content.default_language, "New section"), index)
        self.selected = (index, None)
        self.push(before, _("Add section"))
        self.rebuild()

    def add_item(self, item_type: str) -> None:
        if not self.content.sections:
            return
        before = self.content.to_dict()
        si, ii = self.selected
        si = 0 if si is None else si
        index = len(self.content.sections[si].items) if ii is None else ii + 1
        editing.new_item(self.content, si, item_type, translate_in(self.content.default_language, "New item"), index)
        self.selected = (si, index)
        self.push(before, _("Add item"))
        self.rebuild()

    def remove_selected(self) -> None:
        si, ii = self.selected
        if si is None:
            return
        before = self.content.to_dict()
        if ii is None:
            del self.content.sections[si]
            self.selected = (max(0, si - 1) if self.content.sections else None, None)
            text = _("Remove section")
        else:
            del self.content.sections[si].items[ii]
            self.selected = (si, ii - 1 if ii > 0 else None)
            text = _("Remove item")
        self.push(before, text)
        self.rebuild()

    def move_selected(self, delta: int) -> None:
        si, ii = self.selected
        if si is None:
            return
        before = self.content.to_dict()
        if ii is None:
            target = si + delta
            if not 0 <= target < len(self.content.sections):
                return
            editing.move_section(self.content, si, target)
            self.selected = (target, None)
        else:
            items = self.content.sections[si].items
            target = ii + delta
            if 0 <= target < len(items):
                editing.move_item(self.content, items[ii].key, si, target)
                self.selected = (si, target)
            elif delta < 0 and si > 0:  # move into the end of the previous section
                editing.move_item(self.content, items[ii].key, si - 1, len(self.content.sections[si - 1].items))
                self.selected = (si - 1, len(self.content.sections[si - 1].items) - 1)
            elif delta > 0 and si + 1 < len(self.content.sections):
                editing.move_item(self.content, items[ii].key, si + 1, 0)
                self.selected = (si + 1, 0)
            else:
                return
        self.push(before, _("Move"))
        self.rebuild()
        self.tree.setFocus()

    # validation, saving ---------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        return editing.problems_of(self.content)

    def refresh_validation(self) -> None:
        problems = self.problems()
        self.problem_list.clear()
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        self.error_count = errors
        if self.import_report is not None and self.import_report.skipped:
            count = len(self.import_report.skipped)
            entry = QListWidgetItem(ngettext(
                "{count} row of the imported file was left out \u2014 see the import report",
                "{count} rows of the imported file were left out \u2014 see the import report",
                count).format(count=count))
            entry.setData(Qt.ItemDataRole.UserRole + 1, "import-report")
            entry.setToolTip(_("Open the import report of {file}").format(file=self.import_report.file))
            self.problem_list.addItem(entry)
        if not problems:
            entry = QListWidgetItem(_("No problems: this draft can be published."))
            entry.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.problem_list.addItem(entry)
        for p in problems:
            kind = _("Error") if p.severity == "error" else _("Warning")
            sentence = locations.describe_problem(p)
            entry = QListWidgetItem(_("{kind}: {problem}").format(kind=kind, problem=sentence))
            entry.setData(Qt.ItemDataRole.UserRole, p.location)
            entry.setToolTip("\n".join([sentence, *locations.location_details(p.location, self.content)]))
            if p.severity == "error":
                entry.setForeground(QBrush(QColor(ERROR)))
            self.problem_list.addItem(entry)
        self.side.setTabText(0, _("Validation ({count})").format(count=len(problems)) if problems else _("Validation"))
        self.problems_changed.emit(errors, warnings)

    def describe_location(self, location: str) -> str:
        """``sections[0].items[2].label.sv`` -> "Section 1, item 3, label in Swedish"."""
        return locations.describe_location(location)

    def _jump_to_problem(self, entry: QListWidgetItem) -> None:
        """Select the problem's section or item and put the cursor in the field it is about."""
        if entry.data(Qt.ItemDataRole.UserRole + 1) == "import-report":
            self.report_requested.emit()
            return
        location = entry.data(Qt.ItemDataRole.UserRole)
        if not location:
            return
        loc = editing.parse_location(location)
        if loc.section is None:
            self.selected = (None, None)
        elif loc.section < len(self.content.sections):
            section = self.content.sections[loc.section]
            self.selected = (loc.section, loc.item if loc.item is not None and loc.item < len(section.items) else None)
        self._fill_tree()
        self._build_properties()
        self._update_buttons()
        target = self._problem_widget(loc)
        if target is None:
            self.tree.setFocus()
            return
        self.properties.ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_item(self, key: str) -> bool:
        """Select the item with this key in the tree and show its properties; False if the draft has none."""
        for si, section in enumerate(self.content.sections):
            for ii, item in enumerate(section.items):
                if item.key == key:
                    self.selected = (si, ii)
                    self._fill_tree()
                    self._build_properties()
                    self._update_buttons()
                    self.tree.scrollToItem(self.tree.currentItem())
                    return True
        return False

    def _problem_widget(self, loc: editing.Location) -> QWidget | None:
        """The editor of the field a problem is about: a text of one language, an option's cell,
        the condition row of a rule, the key, the type..."""
        widget = self.field_widgets.get(loc.name)
        if widget is None:
            return None
        if isinstance(widget, TextsGrid):
            lang = loc.language or self.content.default_language
            return widget.editors.get((loc.name, lang)) or next(
                (w for (name, _lang), w in widget.editors.items() if name == loc.name), widget)
        if isinstance(widget, QTableWidget):  # the options: the option's row, the language's column
            if loc.index is not None and loc.index < widget.rowCount():
                langs = self.content.languages
                column = 1 + langs.index(loc.language) if loc.language in langs else 0
                widget.setCurrentCell(loc.index, column)
            return widget
        if isinstance(widget, ConditionBuilder):
            return condition_widget(widget, loc.condition)
        return widget

    def save(self) -> None:
        """Store the draft (autosave); the draft may still have problems."""
        try:
            self.version = self.services.templates.update_draft(self.version.id, self.content)
        except LikvardError as exc:
            self.saved.emit(_("Not saved: {error}").format(error=exc.message))
            return
        self.saved.emit(_("Draft saved"))

    def flush(self) -> None:
        if self.save_timer.isActive():
            self.save_timer.stop()
            self.save()

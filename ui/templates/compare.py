"""Compare two versions of a template."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import locations
from app.domain.diff import Change
from app.domain.facts import choice_label, fact_label
from app.domain.template import (
    Item,
    TemplateContent,
    version_status_label,
)
from app.i18n import (
    N_,
    _,
    format_decimal,
    get_language,
    ngettext,
    pgettext,
)
from app.services import Services
from ui.condition_builder import OP_LABELS, YES_NO_NA
from ui.style import ERROR
from ui.widgets import fit_to_screen, guard_wheel


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their longest wrapped text (a tree view alone keeps one line and cuts)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802 (Qt API)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = max(20, self.tree.columnWidth(index.column()) - 12)
        bounds = opt.fontMetrics.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), opt.text)
        return QSize(width, max(super().sizeHint(option, index).height(), bounds.height() + 6))


class CompareDialog(QDialog):
    """Differences between two versions of a template: added, removed, changed, old and new text."""

    def __init__(self, services: Services, template_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Compare versions"))
        self.versions = services.templates.list_versions(template_key)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.old = QComboBox()
        self.old.setAccessibleName(_("Older version"))
        self.new = QComboBox()
        self.new.setAccessibleName(_("Newer version"))
        for v in self.versions:
            label = _("Version {number} ({status})").format(number=v.number, status=version_status_label(v.status))
            self.old.addItem(label, v.id)
            self.new.addItem(label, v.id)
        self.old.setCurrentIndex(max(0, len(self.versions) - 2))
        self.new.setCurrentIndex(len(self.versions) - 1)
        bar.addWidget(QLabel(pgettext("version range", "From")))
        bar.addWidget(self.old, 1)
        bar.addWidget(QLabel(pgettext("version range", "to")))
        bar.addWidget(self.new, 1)
        layout.addLayout(bar)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Differences"))
        self.tree.setHeaderLabels([_("Change"), _("Where"), _("What"), _("Old"), _("New")])
        self.tree.setWordWrap(True)  # long texts and rules read whole, on several lines
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(True)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.header().sectionResized.connect(lambda *_args: self.tree.scheduleDelayedItemsLayout())
        self.tree.setColumnWidth(0, 90)
        self.tree.setColumnWidth(1, 220)
        self.tree.setColumnWidth(2, 120)
        self.tree.setColumnWidth(3, 260)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.old.currentIndexChanged.connect(self.refresh)
        self.new.currentIndexChanged.connect(self.refresh)
        fit_to_screen(self, 980, 560)  # a 1366x768 laptop shows all of it
        self.refresh()
        guard_wheel(self)  # the wheel over an unfocused field scrolls, never changes a filter

    def _labels(self, content: TemplateContent | None, value: Any, name: str, with_keys: bool) -> str:
        """``value`` of field ``name`` in words, items named by their label (the key too for tooltips)."""
        if value is None:
            return ""
        words = Words(content, with_keys)
        if name in ("visible_when", "flag_when") and isinstance(value, dict):
            return words.condition(value)
        if name == "section" and isinstance(value, str):
            return words.section(value)
        if name == "section_order" and isinstance(value, list):
            return "; ".join(words.section(k) for k in value)
        return self._text(value)

    def _text(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
            lang = get_language()
            return value.get(lang) or next(iter(value.values()))
        if isinstance(value, (dict, list)):
            import json

            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def refresh(self) -> None:
        self.tree.clear()
        old_id, new_id = self.old.currentData(), self.new.currentData()
        if old_id is None or new_id is None:
            return
        changes = self.services.templates.compare(old_id, new_id)
        old_content, new_content = self.services.templates.content(old_id), self.services.templates.content(new_id)
        kinds = {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed")}
        colours = {"added": "#2e7d32", "removed": ERROR, "changed": "#7a4a00"}
        for change in changes:
            where_in = new_content if change.kind != "removed" else old_content
            where, where_tip = Words(where_in, False).place(change), Words(where_in, True).place(change)
            row = QTreeWidgetItem([kinds[change.kind], where, locations.field_name(change.field) if change.field else "",
                                   self._labels(old_content, change.old, change.field, False),
                                   self._labels(new_content, change.new, change.field, False)])
            row.setForeground(0, QBrush(QColor(colours[change.kind])))
            row.setToolTip(1, where_tip)
            row.setToolTip(3, self._labels(old_content, change.old, change.field, True))
            row.setToolTip(4, self._labels(new_content, change.new, change.field, True))
            self.tree.addTopLevelItem(row)
        self.summary.setText(ngettext("{count} difference", "{count} differences", len(changes)).format(
            count=len(changes)) if changes else _("The two versions are identical."))


class Words:
    """Keys said as labels: an item by its label in the UI language (else the template's default
    language), a section by its title, a condition as a sentence. ``with_keys`` adds each key."""

    def __init__(self, content: TemplateContent | None, with_keys: bool) -> None:
        self.content, self.with_keys, self.lang = content, with_keys, get_language()

    def _named(self, label: str, key: str) -> str:
        if self.with_keys and label != key:
            return _("\u201c{label}\u201d (key {key})").format(label=label, key=key)
        return _("\u201c{label}\u201d").format(label=label)

    def _item(self, key: str) -> Item | None:
        try:
            return self.content.item(key) if self.content is not None else None
        except KeyError:
            return None

    def item(self, key: str) -> str:
        item = self._item(key)
        label = self.content.text(item.label, self.lang) if item is not None and self.content is not None else ""
        return self._named(label or key, key)

    def section(self, key: str) -> str:
        if self.content is not None:
            for section in self.content.sections:
                if section.key == key:
                    return self._named(self.content.text(section.title, self.lang) or key, key)
        return self._named(key, key)

    def place(self, change: Change) -> str:
        if change.scope == "item":
            return self.item(change.key)
        if change.scope == "section":
            return self.section(change.key)
        return _("Template")

    def _value(self, subject: dict[str, Any], value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(self._value(subject, v) for v in value)
        if isinstance(value, dict):  # a reference to another item or fact, maybe scaled
            ref = self.item(value["item"]) if "item" in value else fact_label(str(value.get("fact", "")))
            times = value.get("times")
            return ref if times is None else _("{value} \u00d7 {times}").format(value=ref, times=format_decimal(times))
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, (int, float)):
            return format_decimal(value)
        text = str(value)
        if "fact" in subject:
            return choice_label(str(subject["fact"]), text) or text
        item = self._item(str(subject.get("item")))
        if item is not None and item.type == "yes_no_na" and text in YES_NO_NA:
            return _(YES_NO_NA[text])
        if item is not None and self.content is not None:
            for option in item.options:
                if option.value == text:
                    return self.content.text(option.label, self.lang) or text
        return text

    def condition(self, cond: Any) -> str:
        """A condition as words: "“Were the same questions asked?” is No"."""
        if not isinstance(cond, dict):
            return str(cond)
        for combinator, words in (("all_of", N_("all of: {conditions}")), ("any_of", N_("any of: {conditions}"))):
            if isinstance(cond.get(combinator), list):
                return _(words).format(conditions="; ".join(self.condition(c) for c in cond[combinator]))
        if "not" in cond:
            return _("not ({condition})").format(condition=self.condition(cond["not"]))
        subject = self.item(str(cond["item"])) if "item" in cond else fact_label(str(cond.get("fact", "")))
        op = cond.get("op")
        op_text = _(OP_LABELS[op]) if op in OP_LABELS else str(op)
        if "value" not in cond:
            return _("{subject} {operator}").format(subject=subject, operator=op_text)
        return _("{subject} {operator} {value}").format(subject=subject, operator=op_text,
                                                       value=self._value(cond, cond["value"]))

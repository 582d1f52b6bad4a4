"""Compare two versions of a template."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.template import (
    version_status_label,
)
from app.i18n import (
    _,
    get_language,
    ngettext,
    pgettext,
)
from app.services import Services
from ui.style import ERROR
from ui.widgets import guard_wheel


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
        self.tree.setWordWrap(True)
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
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
        self.resize(980, 560)
        self.refresh()
        guard_wheel(self)  # the wheel over an unfocused field scrolls, never changes a filter

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
        kinds = {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed")}
        colours = {"added": "#2e7d32", "removed": ERROR, "changed": "#7a4a00"}
        for change in changes:
            row = QTreeWidgetItem([kinds[change.kind], change.key, change.field, self._text(change.old),
                                   self._text(change.new)])
            row.setForeground(0, QBrush(QColor(colours[change.kind])))
            for col in (3, 4):
                row.setToolTip(col, row.text(col))
            self.tree.addTopLevelItem(row)
        self.summary.setText(ngettext("{count} difference", "{count} differences", len(changes)).format(
            count=len(changes)) if changes else _("The two versions are identical."))

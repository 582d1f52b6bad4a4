"""The live preview of the filling form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Evaluation
from app.domain.facts import CaseFacts, choice_label
from app.domain.template import (
    TemplateContent,
)
from app.enums import LANGUAGE_NAMES
from app.i18n import (
    _,
    get_language,
    localized,
)
from ui.style import make_heading

if TYPE_CHECKING:
    from ui.templates.draft_editor import DraftEditor

from ui.widgets import guard_wheel


class PreviewPane(QWidget):
    """The filling form as an agent will see it, in any of the template's languages, live."""

    def __init__(self, editor: DraftEditor | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.content: TemplateContent | None = None
        self.widgets: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.language = QComboBox()
        self.language.setAccessibleName(_("Preview language"))
        self.language.currentIndexChanged.connect(lambda _i: self.render())
        bar.addWidget(QLabel(_("Language")))
        bar.addWidget(self.language)
        self.decision = QComboBox()
        self.decision.setAccessibleName(_("Decision for the preview"))
        self.decision.addItem(_("No decision yet"), None)
        for value in ("granted", "partly_granted", "refused", "withdrawn"):
            self.decision.addItem(choice_label("decision", value), value)
        self.decision.currentIndexChanged.connect(lambda _i: self.render())
        self.decision_label = QLabel(_("Decision"))
        self.decision_label.setBuddy(self.decision)
        bar.addWidget(self.decision_label)
        bar.addWidget(self.decision)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)  # long options scroll sideways rather than being cut
        layout.addWidget(self.scroll_area, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.render)
        guard_wheel(self.language, self.decision)  # the filling preview below guards its own

    def schedule(self) -> None:
        self.timer.start()

    def set_content(self, content: TemplateContent) -> None:
        self.content = content
        self.render()

    def _facts(self) -> CaseFacts:
        from decimal import Decimal

        decision = self.decision.currentData()
        granted = {"granted": Decimal(100000), "partly_granted": Decimal(40000)}.get(decision or "", None)
        return CaseFacts(case_reference="PREVIEW", decision=decision, amount_requested=Decimal(100000),
                         amount_granted=granted)

    def render(self) -> None:
        from ui.items import ItemWidget

        content = self.editor.content if self.editor is not None else self.content
        if content is None:
            return
        wanted = [lg for lg in content.languages]
        if [self.language.itemData(i) for i in range(self.language.count())] != wanted:
            current = self.language.currentData() or get_language()
            self.language.blockSignals(True)
            self.language.clear()
            for lang in wanted:
                self.language.addItem(LANGUAGE_NAMES.get(lang, lang), lang)
            self.language.setCurrentIndex(max(0, self.language.findData(current)))
            self.language.blockSignals(False)
        lang = self.language.currentData() or content.default_language
        answers = {key: w.value() for key, w in self.widgets.items() if _safe_value(w) is not None}
        page = QWidget()
        page.setObjectName("itemsPage")
        layout = QVBoxLayout(page)
        layout.setSpacing(8)
        self.widgets = {}
        for section in content.sections:
            title = QLabel(localized(section.title, lang, content.default_language)[0] or section.key)
            make_heading(title, 1.15)
            layout.addWidget(title)
            for item in section.items:
                widget = ItemWidget(item, content, lang)
                if item.key in answers:
                    try:
                        widget.load(answers[item.key], "")
                    except Exception:  # noqa: BLE001 - the item's type changed: start empty
                        pass
                widget.edited.connect(lambda _k: self.update_state())
                layout.addWidget(widget)
                self.widgets[item.key] = widget
        layout.addStretch(1)
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll_area.setWidget(page)
        self.content_shown = content
        self.update_state()

    def update_state(self) -> None:
        content = getattr(self, "content_shown", None)
        if content is None:
            return
        answers = {key: v for key, w in self.widgets.items() if (v := _safe_value(w)) is not None}
        try:
            ev = Evaluation(content, self._facts(), answers)
            lang = self.language.currentData() or content.default_language
            for key, widget in self.widgets.items():
                widget.setVisible(ev.is_visible(key))
                flagged = ev.is_flagged(key)
                item = widget.item
                widget.set_flag(localized(item.flag_explanation, lang, content.default_language)[0] if flagged else None)
        except (KeyError, RecursionError, TypeError, ValueError):
            for widget in self.widgets.values():  # a draft with broken conditions: show everything
                widget.setVisible(True)


def _safe_value(widget: Any) -> Any:
    try:
        return widget.value()
    except Exception:  # noqa: BLE001 - an unreadable preview answer is simply ignored
        return None


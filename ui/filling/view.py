"""The filling view: sections with progress, one page of items per section, live visibility and
flags, and completion. Its panels are in ui/filling/panels.py, its autosave in ui/filling/autosave.py."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Evaluation, normalize_answer, status_label
from app.domain.facts import choice_label
from app.domain.template import fill_placeholders
from app.enums import AssessmentStatus
from app.errors import AnswerError, CompletionError, LikvardError
from app.i18n import _, format_date, format_datetime, format_money, get_language, ngettext
from app.services import Services
from app.services.assessments import AssessmentRecord, FactsError
from ui.filling.autosave import Autosaver
from ui.filling.lists import ItemKeyRole
from ui.filling.panels import Banner, FlagsPanel, MissingPanel, ProgressRow, section_list, show_section_progress
from ui.items import InputError, ItemWidget
from ui.style import make_heading, repolish


class FillingView(QWidget):
    """Fill one case. Emits ``saved`` after each autosave and ``completed`` when it is completed."""

    saved = Signal(object)  # assessment id
    completed = Signal(object)
    facts_requested = Signal()
    save_state_changed = Signal(str)
    pdf_requested = Signal(str)  # "export", "sign", "print", "verify"
    signature_requested = Signal()
    amend_requested = Signal()
    revisions_requested = Signal()

    def __init__(self, services: Services, record: AssessmentRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.record = record
        self.content = record.content
        self.lang = get_language()
        self.answers: dict[str, Any] = dict(record.answers)
        self.comments: dict[str, str] = dict(record.comments)
        self.items: dict[str, ItemWidget] = {}
        self.section_index = {s.key: n for n, s in enumerate(self.content.sections)}
        self.item_section = {i.key: n for n, s in enumerate(self.content.sections) for i in s.items}
        self.pages: dict[int, QScrollArea] = {}
        self.evaluation = record.evaluation()
        self.autosaver = Autosaver(services, record.id, self)
        self.autosaver.changed.connect(self._show_save_state)
        self.autosaver.stored.connect(self._stored)
        self._current_item: ItemWidget | None = None
        self._build()
        self.refresh_state()
        self._show_save_state()
        self.apply_read_only()
        self.sections.setCurrentRow(self._first_visible_section())

    # --- construction --------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 12, 14, 10)
        outer.setSpacing(8)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = QLabel()
        self.fixed_title: str | None = None  # shown instead of the case reference (a training exercise's title)
        make_heading(self.title, 1.4)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        titles.addWidget(self.title)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        self.save_label = QLabel()
        self.save_label.setObjectName("muted")
        self.save_label.setAccessibleName(_("Save status"))
        header.addWidget(self.save_label, 0, Qt.AlignmentFlag.AlignVCenter)
        self.facts_button = QPushButton(_("Case facts…"))
        self.facts_button.setToolTip(_("See or change the facts of this case"))
        self.facts_button.clicked.connect(self.facts_requested.emit)
        header.addWidget(self.facts_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.signature_button = QPushButton(_("Signature…"))
        self.signature_button.setToolTip(_("Draw your signature for the PDF summary"))
        self.signature_button.clicked.connect(self.signature_requested.emit)
        header.addWidget(self.signature_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.pdf_button = QToolButton()
        self.pdf_button.setText(_("PDF"))
        self.pdf_button.setAccessibleName(_("PDF summary"))
        self.pdf_button.setToolTip(_("Export, sign or print the PDF summary"))
        self.pdf_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.pdf_button.setObjectName("pdfButton")
        pdf_menu = QMenu(self.pdf_button)
        for text, kind in ((_("Export PDF…"), "export"), (_("Sign and export PDF…"), "sign"),
                           (_("Print summary…"), "print")):
            action = pdf_menu.addAction(text)
            action.triggered.connect(lambda _c=False, k=kind: self.pdf_requested.emit(k))
        self.pdf_button.setMenu(pdf_menu)
        header.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.complete_button = QPushButton(_("Complete"))
        self.complete_button.setProperty("primary", True)
        self.complete_button.setToolTip(_("Complete the case (Ctrl+Return)"))
        self.complete_button.clicked.connect(self.complete)
        header.addWidget(self.complete_button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(header)

        self.progress_row = ProgressRow()
        self.progress, self.progress_label, self.score_label = (self.progress_row.bar, self.progress_row.label,
                                                                self.progress_row.score)
        outer.addLayout(self.progress_row)

        self.done_banner = Banner("done")
        self.done_text = self.done_banner.label
        self.revisions_button = QPushButton(_("Revisions…"))
        self.revisions_button.setToolTip(_("The signed original and its amendments"))
        self.revisions_button.clicked.connect(self.revisions_requested.emit)
        self.done_banner.add_button(self.revisions_button)
        self.amend_button = QPushButton(_("Amend…"))
        self.amend_button.setToolTip(_("Start a new revision of this signed case; the signed one stays as it is"))
        self.amend_button.clicked.connect(self.amend_requested.emit)
        self.done_banner.add_button(self.amend_button)
        self.done_banner.hide()
        outer.addWidget(self.done_banner)
        self.tamper_banner = Banner("tampered", _(
            "This signed record was changed outside Likvärd: its data no longer matches its signature. "
            "Do not rely on it; see Tools → Audit log and run “likvard verify-db”."))
        self.tamper_text = self.tamper_banner.label
        self.tamper_text.setAccessibleName(_("Warning: signed record changed outside Likvärd"))
        self.tamper_banner.hide()
        outer.addWidget(self.tamper_banner)

        self.missing_panel = MissingPanel(self._jump_from_list)
        self.missing_title, self.missing_list = self.missing_panel.title, self.missing_panel.list
        self.missing_panel.hide()
        outer.addWidget(self.missing_panel)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        width = self.fontMetrics().horizontalAdvance("M") * 16
        self.sections = section_list(self.content, self.lang, width)
        self.sections.currentRowChanged.connect(self._section_changed)
        self.splitter.addWidget(self.sections)

        self.stack = QStackedWidget()
        for _n in self.content.sections:
            self.stack.addWidget(QWidget())  # placeholders, built on first visit
        self.splitter.addWidget(self.stack)

        self.flags_panel = FlagsPanel(self._jump_from_list, width)
        self.flags, self.flags_title, self.flags_hint = (self.flags_panel.list, self.flags_panel.title,
                                                         self.flags_panel.hint)
        self.splitter.addWidget(self.flags_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([width + 40, width * 3, width + 100])
        outer.addWidget(self.splitter, 1)

    def _page(self, index: int) -> QScrollArea:
        """The page of a section, built the first time it is needed."""
        page = self.pages.get(index)
        if page is not None:
            return page
        section = self.content.sections[index]
        body = QWidget()
        body.setObjectName("itemsPage")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 10, 10)
        layout.setSpacing(10)
        title = QLabel(self.content.text(section.title, self.lang))
        make_heading(title, 1.2)
        title.setWordWrap(True)
        layout.addWidget(title)
        for item in section.items:
            widget = ItemWidget(item, self.content, self.lang, self.record.facts.currency)
            widget.load(self.answers.get(item.key), self.comments.get(item.key, ""))
            widget.edited.connect(self._item_edited)
            widget.comment_edited.connect(self._comment_edited)
            widget.set_read_only(not self.record.editable)
            self.items[item.key] = widget
            layout.addWidget(widget)
        layout.addStretch(1)
        nav = QHBoxLayout()
        previous = QPushButton(_("← Previous section"))
        previous.clicked.connect(self.previous_section)
        previous.setEnabled(self._neighbour(index, -1) is not None)
        nav.addWidget(previous)
        nav.addStretch(1)
        following = QPushButton(_("Next section →"))
        following.clicked.connect(self.next_section)
        following.setEnabled(self._neighbour(index, 1) is not None)
        nav.addWidget(following)
        layout.addLayout(nav)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setAccessibleName(self.content.text(section.title, self.lang))
        scroll.nav_buttons = (previous, following)  # type: ignore[attr-defined]
        old = self.stack.widget(index)
        self.stack.insertWidget(index, scroll)
        if old is not None:  # the placeholder
            self.stack.removeWidget(old)
            old.deleteLater()
        self.pages[index] = scroll
        self._apply_to_items(section.items)
        return scroll

    # --- state ---------------------------------------------------------------------------

    def refresh_state(self) -> None:
        """Re-evaluate visibility, flags and progress from the answers on screen."""
        self.evaluation = Evaluation(self.content, self.record.facts, self.answers)
        ev = self.evaluation
        self._apply_to_items([self.content.item(k) for k in self.items])
        flags = ev.flags()
        show_section_progress(self.sections, self.content, ev, flags, self.lang)
        self.flags_panel.show_flags(flags, self.content, self.lang)
        self.progress_row.show_evaluation(ev)
        if self.missing_panel.isVisible():
            self._show_missing([i.key for i in ev.missing_required()])
        self._update_header()

    def _apply_to_items(self, items: list[Any]) -> None:
        ev = self.evaluation
        for item in items:
            widget = self.items.get(item.key)
            if widget is None:
                continue
            widget.setVisible(ev.is_visible(item.key))
            if "${" in widget.label_text:
                widget.show_label(fill_placeholders(widget.label_text, self._answer_text))
            widget.set_flag(self.content.text(item.flag_explanation, self.lang) if ev.is_flagged(item.key) else None)

    def _answer_text(self, key: str) -> str | None:
        """An answer as a label shows it (a choice by its label), for placeholders."""
        try:
            item = self.content.item(key)
        except KeyError:
            return None
        if not self.evaluation.is_visible(key):
            return None
        value = self.answers.get(key)
        if value in (None, "", []):
            return None
        labels = {o.value: self.content.text(o.label, self.lang) for o in item.options}
        values = value if isinstance(value, list) else [value]
        if isinstance(value, dict) and "amount" in value:
            return format_money(value["amount"], value.get("currency", "SEK"))
        return ", ".join(labels.get(v, str(v)) if isinstance(v, str) else str(v) for v in values)

    def _update_header(self) -> None:
        facts = self.record.facts
        self.title.setText(self.fixed_title or _("Case {reference}").format(reference=facts.case_reference))
        parts = [_("{title}, version {number}").format(title=self.content.title_in(self.lang),
                                                        number=self.record.template_version)]
        if facts.ownership:
            parts.append(choice_label("ownership", facts.ownership))
        if facts.amount_requested is not None:
            parts.append(_("{amount} requested").format(amount=format_money(facts.amount_requested, facts.currency)))
        if facts.decision:
            parts.append(choice_label("decision", facts.decision))
        parts.append(status_label(self.record.status))
        self.subtitle.setText(" · ".join(parts))

    def apply_read_only(self) -> None:
        editable = self.record.editable
        # as the case list: the data against its signed hash, that hash against its sign event
        signed = self.record.status == AssessmentStatus.SIGNED
        self.tamper_banner.setVisible(signed and self.record.id in self.services.assessments.tampered([self.record.id]))
        for widget in self.items.values():
            widget.set_read_only(not editable)
        self.complete_button.setVisible(editable)
        self.signature_button.setVisible(not signed)
        self.amend_button.setVisible(signed)
        self.revisions_button.setVisible(signed or self.record.revision > 1)
        self.facts_button.setText(_("Case facts…"))
        if not editable:
            signed_at = getattr(self.record, "signed_at", None)
            if self.record.status == AssessmentStatus.SIGNED and signed_at is not None:
                self.done_text.setText(_("Signed by {name} on {date}. The case is read-only.").format(
                    name=getattr(self.record, "signed_by", "") or "?", date=format_date(signed_at)))
            else:
                when = format_date(self.record.completed_at) if self.record.completed_at else ""
                self.done_text.setText(_("Completed on {date}. The case is read-only.").format(date=when))
            self.done_banner.show()
            self.missing_panel.hide()
        elif self.record.revision > 1:
            self.done_text.setText(_("Revision {number}: an amendment of a signed case, which stays as it was signed.")
                                   .format(number=self.record.revision))
            self.done_banner.show()
        else:
            self.done_banner.hide()

    def _show_save_state(self) -> None:
        saver = self.autosaver
        if not self.record.editable:
            text = status_label(self.record.status)
        elif saver.state == "pending":
            text = _("Saving…")
        elif saver.state == "retrying":
            text = _("Not saved yet: the database is busy, retrying\u2026")
        elif saver.state == "error":
            text = _("Not saved: {error}").format(error=saver.error)
        elif saver.saved_at is not None:
            text = _("Saved {time}").format(time=format_datetime(saver.saved_at, fmt="HH:mm:ss"))
        else:
            text = _("All changes saved")
        self.save_label.setText(text)
        self.save_label.setObjectName("error" if saver.state in ("error", "retrying") else "muted")
        repolish(self.save_label)
        self.save_state_changed.emit(text)

    # --- editing -------------------------------------------------------------------------

    def _item_edited(self, key: str) -> None:
        widget = self.items[key]
        try:
            value = widget.value()
            stored = normalize_answer(widget.item, value)
        except (InputError, AnswerError) as exc:
            widget.set_error(str(exc))
            self.autosaver.discard(key)
            return
        widget.set_error(None)
        if stored is None:
            self.answers.pop(key, None)
        else:
            self.answers[key] = stored
        self.autosaver.set_value(key, value)
        self.refresh_state()

    def _comment_edited(self, key: str) -> None:
        text = self.items[key].comment_text()
        self.comments[key] = text
        self.autosaver.set_comment(key, text)

    def _stored(self, record: AssessmentRecord) -> None:
        self.record = record
        self.saved.emit(record.id)

    def flush(self) -> bool:
        """Store pending changes now."""
        return self.autosaver.flush()

    def set_record(self, record: AssessmentRecord) -> None:
        """The facts changed (or the case was completed): re-evaluate with the new record."""
        self.record = record
        self.refresh_state()
        self.apply_read_only()
        self._show_save_state()

    # --- navigation ----------------------------------------------------------------------

    def _first_visible_section(self) -> int:
        for n in range(self.sections.count()):
            if not self.sections.item(n).isHidden():
                return n
        return 0

    def _neighbour(self, index: int, step: int) -> int | None:
        n = index + step
        while 0 <= n < len(self.content.sections):
            if self.evaluation.section_visible(self.content.sections[n].key):
                return n
            n += step
        return None

    def current_section(self) -> int:
        return self.stack.currentIndex()

    def _section_changed(self, index: int) -> None:
        if index < 0:
            return
        self.autosaver.save_in_background()  # never waits for a busy database here
        page = self._page(index)
        self.stack.setCurrentWidget(page)
        previous, following = page.nav_buttons  # type: ignore[attr-defined]
        previous.setEnabled(self._neighbour(index, -1) is not None)
        following.setEnabled(self._neighbour(index, 1) is not None)
        page.verticalScrollBar().setValue(0)
        self._fix_tab_order(index)

    def select_section(self, index: int) -> None:
        if self.sections.currentRow() != index:
            self.sections.setCurrentRow(index)
        else:
            self._section_changed(index)

    def next_section(self) -> None:
        n = self._neighbour(self.sections.currentRow(), 1)
        if n is not None:
            self.select_section(n)
            self._focus_first_input(n)

    def previous_section(self) -> None:
        n = self._neighbour(self.sections.currentRow(), -1)
        if n is not None:
            self.select_section(n)
            self._focus_first_input(n)

    def _focus_first_input(self, index: int) -> None:
        for item in self.content.sections[index].items:
            widget = self.items.get(item.key)
            if widget is not None and widget.isVisibleTo(self) and widget.inputs():
                widget.focus_input()
                return

    def jump_to(self, key: str) -> ItemWidget | None:
        """Show the item's section, scroll to it, highlight it and put the focus on its answer."""
        index = self.item_section.get(key)
        if index is None:
            return None
        self.select_section(index)
        widget = self.items[key]
        if self._current_item is not None and self._current_item is not widget:
            self._current_item.set_current(False)
        widget.set_current(True)
        self._current_item = widget
        page = self.pages[index]
        body = page.widget()
        layout = body.layout() if body is not None else None
        if layout is not None:
            layout.activate()
        QApplication.processEvents()
        page.ensureWidgetVisible(widget, 20, 40)
        widget.focus_input()
        return widget

    def _jump_from_list(self, entry: QListWidgetItem) -> None:
        key = entry.data(ItemKeyRole)
        if key:
            self.jump_to(key)

    def _fix_tab_order(self, index: int) -> None:
        """Header -> sections -> this page's items in order -> page buttons -> flags."""
        chain: list[QWidget] = [self.facts_button, self.complete_button, self.missing_list, self.sections]
        for item in self.content.sections[index].items:
            widget = self.items.get(item.key)
            if widget is None:
                continue
            chain += [widget.help_button, widget.comment_button, *widget.inputs(), widget.comment]
        chain += list(self.pages[index].nav_buttons)  # type: ignore[attr-defined]
        chain.append(self.flags)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def toggle_help_of_focused(self) -> None:
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, ItemWidget):
            widget = widget.parentWidget()
        if isinstance(widget, ItemWidget):
            widget.toggle_help()

    # --- completing ----------------------------------------------------------------------

    def _show_missing(self, keys: list[str]) -> None:
        self.missing_panel.show_missing(keys, self.content, self.lang)

    def missing_keys(self) -> list[str]:
        return self.missing_panel.keys()

    def confirm_completion(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Complete the case"))
        flags = len(self.evaluation.flags())
        text = _("Complete case {reference}? A completed case can no longer be changed.").format(
            reference=self.record.facts.case_reference)
        if flags:
            text += "\n\n" + ngettext("One answer is flagged; make sure its comment explains what happened.",
                                      "{count} answers are flagged; make sure their comments explain what happened.",
                                      flags).format(count=flags)
        box.setText(text)
        ok = box.addButton(_("Complete"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(ok)
        box.exec()
        return box.clickedButton() is ok

    def complete(self) -> bool:
        """Complete the case; on refusal show the missing required items. Returns True if completed."""
        if not self.record.editable:
            return False
        if not self.flush():
            QMessageBox.warning(self, _("Complete the case"), self.autosaver.error)
            return False
        missing = [i.key for i in self.evaluation.missing_required()]
        if missing:
            self._show_missing(missing)
            self.missing_list.setCurrentRow(0)
            self.missing_list.setFocus()
            return False
        if not self.confirm_completion():
            return False
        try:
            record = self.services.assessments.complete(self.record.id)
        except CompletionError as exc:
            self._show_missing(exc.missing)
            self.missing_list.setFocus()
            return False
        except FactsError as exc:
            QMessageBox.warning(self, _("Complete the case"), _("Correct the case facts first:") + "\n\n" + exc.message)
            self.facts_requested.emit()
            return False
        except LikvardError as exc:
            QMessageBox.warning(self, _("Complete the case"), exc.message)
            return False
        self.set_record(record)
        self.completed.emit(record.id)
        return True

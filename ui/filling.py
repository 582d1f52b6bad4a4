"""The filling view: sections with progress, one page of items per section, live visibility and
flags, a Flags panel, autosave, and completion."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Evaluation, normalize_answer, status_label
from app.domain.facts import choice_label
from app.domain.template import fill_placeholders
from app.errors import AnswerError, CompletionError, DatabaseBusyError, LikvardError, LockedAssessmentError
from app.i18n import _, format_date, format_datetime, format_money, format_percent, get_language, ngettext
from app.services import Services
from app.services.assessments import AssessmentRecord, FactsError
from ui import tasks
from ui.items import InputError, ItemWidget
from ui.style import check_icon, flag_icon, make_heading, missing_icon, repolish

AUTOSAVE_DELAY_MS = 400
#: Waits between attempts while the database stays locked (each attempt itself waits the busy timeout).
RETRY_DELAYS_MS = (500, 1000, 2000, 4000, 8000, 15000)
ItemKeyRole = Qt.ItemDataRole.UserRole + 2


class WrappingDelegate(QStyledItemDelegate):
    """List entries whose text wraps to the list's width (Qt's own size hint does not know it)."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # type: ignore[no-untyped-def]  # noqa: N802
        view = self.parent()
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        metrics = option.fontMetrics
        icon = option.decorationSize.width() + 12 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
        width = max(view.viewport().width() - icon - 24, 60)  # type: ignore[union-attr]
        rect = metrics.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width + icon, max(rect.height(), option.decorationSize.height()) + 16)


def wrapping_list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setItemDelegate(WrappingDelegate(widget))
    return widget


class Autosaver(QObject):
    """Collects changed answers and comments; stores them in one transaction after a short pause.

    Storing runs off the UI thread (ui/tasks.py). A pending answer is forgotten only once a commit
    that holds it has returned: a locked database (another program writing) is retried with
    backoff and the view says so. ``flush()`` stores at once on the calling thread (completing,
    exporting), ``save_in_background(then)`` stores without blocking and calls ``then(ok)``.
    ``state`` is "saved", "pending", "retrying" (busy) or "error"; ``changed`` fires whenever it
    or the saved time changes.
    """

    changed = Signal()
    stored = Signal(object)  # the AssessmentRecord returned by the service

    def __init__(self, services: Services, assessment_id: uuid.UUID, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.assessment_id = assessment_id
        self.values: dict[str, Any] = {}
        self.comments: dict[str, str] = {}
        self.state = "saved"
        self.saved_at: datetime | None = None
        self.error = ""
        self.saves = 0
        self.failures = 0  # consecutive failed attempts: the backoff step
        self.saving = False  # a background store is under way
        self._waiters: list[Callable[[bool], None]] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_DELAY_MS)
        self.timer.timeout.connect(self.save_in_background)

    @property
    def pending(self) -> bool:
        return bool(self.values or self.comments)

    @property
    def unsaved(self) -> bool:
        """Something typed is not yet known to be committed."""
        return self.pending or self.saving

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value
        self._schedule()

    def set_comment(self, key: str, comment: str) -> None:
        self.comments[key] = comment
        self._schedule()

    def discard(self, key: str) -> None:
        """Forget a pending value that turned out to be invalid."""
        self.values.pop(key, None)
        if not self.pending and self.state == "pending":
            self.state = "saved"
            self.changed.emit()

    def _schedule(self) -> None:
        if self.state != "retrying":  # while retrying the next attempt takes the new answer too
            self.state = "pending"
            self.timer.start(AUTOSAVE_DELAY_MS)
        self.changed.emit()

    def _store(self, values: dict[str, Any], comments: dict[str, str]) -> AssessmentRecord:
        return self.services.assessments.set_answers(self.assessment_id, values, dict(comments))

    def _settle(self, values: dict[str, Any], comments: dict[str, str], record: AssessmentRecord) -> None:
        """A commit holding ``values``/``comments`` returned: forget those not changed again since."""
        for key, value in values.items():
            if key in self.values and self.values[key] == value:
                del self.values[key]
        for key, comment in comments.items():
            if key in self.comments and self.comments[key] == comment:
                del self.comments[key]
        self.saves += 1
        self.failures = 0
        self.saved_at = datetime.now()
        self.error = ""
        self.state = "pending" if self.pending else "saved"
        self.changed.emit()
        self.stored.emit(record)

    def _failed(self, exc: BaseException) -> None:
        """Keep everything pending; retry a busy database with backoff, show any other error."""
        self.failures += 1
        if isinstance(exc, DatabaseBusyError):
            self.state = "retrying"
            self.error = exc.message
            delay = RETRY_DELAYS_MS[min(self.failures, len(RETRY_DELAYS_MS)) - 1]
            self.timer.start(delay)
        else:
            self.state = "error"
            self.error = exc.message if isinstance(exc, LikvardError) else str(exc)
            if not isinstance(exc, AnswerError | LockedAssessmentError):
                delay = RETRY_DELAYS_MS[min(self.failures, len(RETRY_DELAYS_MS)) - 1]
                self.timer.start(delay)
        self.changed.emit()

    def save_in_background(self, then: Callable[[bool], None] | None = None) -> None:
        """Store what is pending without blocking the UI; ``then(ok)`` is called when it is known."""
        self.timer.stop()
        if then is not None:
            self._waiters.append(then)
        if self.saving:
            return  # the running store calls us again when it finishes
        if not self.pending:
            self._notify(self.state != "error" and self.state != "retrying")
            return
        values, comments = dict(self.values), dict(self.comments)
        self.saving = True

        def done(record: AssessmentRecord) -> None:
            if not shiboken6.isValid(self):
                return  # the view was closed meanwhile (its close stored everything first)
            self.saving = False
            self._settle(values, comments, record)
            self._after_attempt(True)

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.saving = False
            self._failed(exc)
            self._after_attempt(False)

        tasks.run_in_background(lambda: self._store(values, comments), on_done=done, on_error=failed)

    def _after_attempt(self, ok: bool) -> None:
        if ok and self.pending and self._waiters:
            self.save_in_background()  # answers typed during the store: the waiters want them too
            return
        if ok and self.pending and not self.timer.isActive():
            self.timer.start(AUTOSAVE_DELAY_MS)
        self._notify(ok and not self.pending)

    def _notify(self, ok: bool) -> None:
        waiters, self._waiters = self._waiters, []
        for then in waiters:
            then(ok)

    def flush(self) -> bool:
        """Store what is pending now, on this thread. Returns False if storing failed (kept pending)."""
        self.timer.stop()
        if not self.pending:
            return self.state not in ("error", "retrying")
        values, comments = dict(self.values), dict(self.comments)
        try:
            record = self._store(values, comments)
        except Exception as exc:  # anything: the answers stay pending and the view says why
            self._failed(exc)
            return False
        self._settle(values, comments, record)
        return True


def ask_unsaved_on_close(parent: QWidget, saver: Autosaver) -> str:
    """Closing with answers the database did not take: "retry", "discard" (after a second,
    explicit warning) or "cancel"."""
    count = len(set(saver.values) | set(saver.comments))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setObjectName("unsaved_on_close")
    box.setWindowTitle(_("Unsaved changes"))
    box.setText(ngettext("One change is not saved: {error}", "{count} changes are not saved: {error}", count)
                .format(count=count, error=saver.error))
    retry = box.addButton(_("Try again"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Close without saving\u2026"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.exec()
    clicked = box.clickedButton()
    if clicked is retry:
        return "retry"
    if clicked is not discard:
        return "cancel"
    sure = QMessageBox(parent)
    sure.setIcon(QMessageBox.Icon.Critical)
    sure.setObjectName("confirm_discard")
    sure.setWindowTitle(_("Close without saving"))
    sure.setText(ngettext("The unsaved change will be lost for good. Close anyway?",
                          "The {count} unsaved changes will be lost for good. Close anyway?", count).format(count=count))
    lose = sure.addButton(_("Close and lose them"), QMessageBox.ButtonRole.DestructiveRole)
    keep = sure.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    sure.setDefaultButton(keep)
    sure.exec()
    return "discard" if sure.clickedButton() is lose else "cancel"


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

        progress_row = QHBoxLayout()
        self.progress_label = QLabel()
        progress_row.addWidget(self.progress_label)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)  # the text is in the label beside it (legible at any value)
        self.progress.setAccessibleName(_("Required items answered"))
        self.progress.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        progress_row.addWidget(self.progress, 1)
        self.score_label = QLabel()
        self.score_label.setObjectName("muted")
        progress_row.addWidget(self.score_label)
        outer.addLayout(progress_row)

        self.done_banner = QFrame()
        self.done_banner.setObjectName("banner")
        self.done_banner.setProperty("kind", "done")
        banner_layout = QHBoxLayout(self.done_banner)
        banner_layout.setContentsMargins(10, 8, 10, 8)
        self.done_text = QLabel()
        self.done_text.setWordWrap(True)
        banner_layout.addWidget(self.done_text, 1)
        self.revisions_button = QPushButton(_("Revisions…"))
        self.revisions_button.setToolTip(_("The signed original and its amendments"))
        self.revisions_button.clicked.connect(self.revisions_requested.emit)
        banner_layout.addWidget(self.revisions_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.amend_button = QPushButton(_("Amend…"))
        self.amend_button.setToolTip(_("Start a new revision of this signed case; the signed one stays as it is"))
        self.amend_button.clicked.connect(self.amend_requested.emit)
        banner_layout.addWidget(self.amend_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.done_banner.hide()
        outer.addWidget(self.done_banner)
        self.tamper_banner = QFrame()
        self.tamper_banner.setObjectName("banner")
        self.tamper_banner.setProperty("kind", "tampered")
        tamper_layout = QHBoxLayout(self.tamper_banner)
        tamper_layout.setContentsMargins(10, 8, 10, 8)
        self.tamper_text = QLabel(_(
            "This signed record was changed outside Likvärd: its data no longer matches its signature. "
            "Do not rely on it; see Tools → Audit log and run “likvard verify-db”."))
        self.tamper_text.setWordWrap(True)
        self.tamper_text.setAccessibleName(_("Warning: signed record changed outside Likvärd"))
        tamper_layout.addWidget(self.tamper_text, 1)
        self.tamper_banner.hide()
        outer.addWidget(self.tamper_banner)

        self.missing_panel = QFrame()
        self.missing_panel.setObjectName("banner")
        self.missing_panel.setProperty("kind", "warning")
        missing_layout = QVBoxLayout(self.missing_panel)
        missing_layout.setContentsMargins(10, 8, 10, 8)
        self.missing_title = QLabel()
        self.missing_title.setWordWrap(True)
        missing_layout.addWidget(self.missing_title)
        self.missing_list = wrapping_list("missing")
        self.missing_list.setAccessibleName(_("Required items not answered"))
        self.missing_list.itemActivated.connect(self._jump_from_list)
        self.missing_list.itemClicked.connect(self._jump_from_list)
        self.missing_list.setMaximumHeight(self.fontMetrics().height() * 8)
        missing_layout.addWidget(self.missing_list)
        self.missing_panel.hide()
        outer.addWidget(self.missing_panel)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.sections = wrapping_list("sections")
        self.sections.setAccessibleName(_("Sections"))
        width = self.fontMetrics().horizontalAdvance("M") * 16
        self.sections.setMinimumWidth(width)
        for n, section in enumerate(self.content.sections):
            entry = QListWidgetItem(self.content.text(section.title, self.lang))
            entry.setData(Qt.ItemDataRole.UserRole, n)
            self.sections.addItem(entry)
        self.sections.currentRowChanged.connect(self._section_changed)
        self.splitter.addWidget(self.sections)

        self.stack = QStackedWidget()
        for _n in self.content.sections:
            self.stack.addWidget(QWidget())  # placeholders, built on first visit
        self.splitter.addWidget(self.stack)

        self.flags_panel = QWidget()
        flags_layout = QVBoxLayout(self.flags_panel)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        self.flags_title = QLabel(_("Flags"))
        make_heading(self.flags_title, 1.1)
        flags_layout.addWidget(self.flags_title)
        self.flags_hint = QLabel(_("Answers that may be a sign of unequal treatment appear here, with the reason."))
        self.flags_hint.setObjectName("hint")
        self.flags_hint.setWordWrap(True)
        flags_layout.addWidget(self.flags_hint)
        self.flags = wrapping_list("flags")
        self.flags.setAccessibleName(_("Flagged answers"))
        self.flags.itemActivated.connect(self._jump_from_list)
        self.flags.itemClicked.connect(self._jump_from_list)
        flags_layout.addWidget(self.flags, 1)
        self.flags_panel.setMinimumWidth(width)
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
        flagged_sections = {f.section_key for f in flags}
        for n, section in enumerate(self.content.sections):
            entry = self.sections.item(n)
            visible = ev.section_visible(section.key)
            entry.setHidden(not visible)
            done, total = ev.section_progress(section.key)
            title = self.content.text(section.title, self.lang)
            progress = _("{done}/{total} answered").format(done=done, total=total) if total else _("guidance only")
            text = f"{title}\n{progress}"
            if section.key in flagged_sections:
                count = sum(1 for f in flags if f.section_key == section.key)
                text += "  · " + ngettext("{count} flag", "{count} flags", count).format(count=count)
                entry.setIcon(flag_icon())
            elif total and done == total:
                entry.setIcon(check_icon())
            else:
                entry.setIcon(missing_icon())
            if entry.text() != text:
                entry.setText(text)
            entry.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("\n", ", "))
        self.flags.clear()
        for flag in flags:
            item = self.content.item(flag.item_key)
            label = self.content.text(item.label, self.lang)
            explanation = self.content.text(flag.explanation, self.lang)
            section = self.content.text(self.content.section_of(flag.item_key).title, self.lang)
            entry = QListWidgetItem(flag_icon(), f"{label}\n{section}")
            entry.setData(ItemKeyRole, flag.item_key)
            entry.setToolTip(explanation)
            entry.setData(Qt.ItemDataRole.AccessibleDescriptionRole, explanation)
            self.flags.addItem(entry)
        if not flags:
            self.flags_hint.setText(_("No answer is flagged. Answers that may be a sign of unequal treatment "
                                      "appear here, with the reason."))
        else:
            self.flags_hint.setText(ngettext("{count} answer is flagged. Select it to go to it.",
                                             "{count} answers are flagged. Select one to go to it.",
                                             len(flags)).format(count=len(flags)))
        self.flags_title.setText(_("Flags ({count})").format(count=len(flags)) if flags else _("Flags"))
        done, total = ev.required_progress()
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)
        progress_text = _("{done} of {total} required answered").format(done=done, total=total)
        self.progress.setFormat(progress_text)
        self.progress.setAccessibleDescription(progress_text)
        self.progress_label.setText(progress_text)
        score = ev.score()
        self.score_label.setText(_("Score {score}").format(score=format_percent(score)) if score is not None
                                 else _("No score yet"))
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
        self.title.setText(_("Case {reference}").format(reference=facts.case_reference))
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
        self.tamper_banner.setVisible(not self.services.records.matches_signature(self.record))
        for widget in self.items.values():
            widget.set_read_only(not editable)
        self.complete_button.setVisible(editable)
        signed = self.record.status == "signed"
        self.signature_button.setVisible(not signed)
        self.amend_button.setVisible(signed)
        self.revisions_button.setVisible(signed or self.record.revision > 1)
        self.facts_button.setText(_("Case facts…"))
        if not editable:
            signed_at = getattr(self.record, "signed_at", None)
            if self.record.status == "signed" and signed_at is not None:
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
        page.widget().layout().activate()
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
        self.missing_list.clear()
        if not keys:
            self.missing_panel.hide()
            return
        self.missing_title.setText(ngettext(
            "The case cannot be completed yet: one required item is not answered. Select it to go to it.",
            "The case cannot be completed yet: {count} required items are not answered. Select one to go to it.",
            len(keys)).format(count=len(keys)))
        for key in keys:
            item = self.content.item(key)
            section = self.content.section_of(key)
            entry = QListWidgetItem(missing_icon(), _("{label} ({section})").format(
                label=self.content.text(item.label, self.lang), section=self.content.text(section.title, self.lang)))
            entry.setData(ItemKeyRole, key)
            self.missing_list.addItem(entry)
        self.missing_panel.show()

    def missing_keys(self) -> list[str]:
        return [self.missing_list.item(n).data(ItemKeyRole) for n in range(self.missing_list.count())]

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

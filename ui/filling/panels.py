"""The panels around the filling view's items: the progress and score row, the banners (completed
or signed, changed outside Likvärd, required items missing), the section list's entries and the
Flags panel. Each shows what an :class:`~app.domain.assessment.Evaluation` says; the view decides
when."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_percent, ngettext
from ui.filling.lists import ItemKeyRole, wrapping_list
from ui.style import check_icon, flag_icon, make_heading, missing_icon

if TYPE_CHECKING:
    from app.domain.assessment import Evaluation, Flag
    from app.domain.template import TemplateContent

Jump = Callable[[QListWidgetItem], None]


class ProgressRow(QHBoxLayout):
    """"3 of 12 required answered", a bar, and the score."""

    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel()
        self.addWidget(self.label)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)  # the text is in the label beside it (legible at any value)
        self.bar.setAccessibleName(_("Required items answered"))
        self.bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(self.bar, 1)
        self.score = QLabel()
        self.score.setObjectName("muted")
        self.addWidget(self.score)

    def show_evaluation(self, ev: Evaluation) -> None:
        done, total = ev.required_progress()
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done if total else 1)
        progress_text = _("{done} of {total} required answered").format(done=done, total=total)
        self.bar.setFormat(progress_text)
        self.bar.setAccessibleDescription(progress_text)
        self.label.setText(progress_text)
        score = ev.score()
        self.score.setText(_("Score {score}").format(score=format_percent(score)) if score is not None
                           else _("No score yet"))


class Banner(QFrame):
    """A coloured strip above the items (``kind``: "done", "tampered" or "warning" in ui/style.py)
    with a wrapping text; hidden until the view shows it."""

    def __init__(self, kind: str, text: str = "") -> None:
        super().__init__()
        self.setObjectName("banner")
        self.setProperty("kind", kind)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(10, 8, 10, 8)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.row.addWidget(self.label, 1)

    def add_button(self, button: QWidget) -> None:
        self.row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)


class MissingPanel(QFrame):
    """The required items not answered when completing was refused, each a link to its item."""

    def __init__(self, jump: Jump) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.setProperty("kind", "warning")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.list = wrapping_list("missing")
        self.list.setAccessibleName(_("Required items not answered"))
        self.list.itemActivated.connect(jump)
        self.list.itemClicked.connect(jump)
        self.list.setMaximumHeight(self.fontMetrics().height() * 8)
        layout.addWidget(self.list)

    def show_missing(self, keys: list[str], content: TemplateContent, lang: str) -> None:
        """List ``keys`` and show the panel, or hide it if there are none."""
        self.list.clear()
        if not keys:
            self.hide()
            return
        self.title.setText(ngettext(
            "The case cannot be completed yet: one required item is not answered. Select it to go to it.",
            "The case cannot be completed yet: {count} required items are not answered. Select one to go to it.",
            len(keys)).format(count=len(keys)))
        for key in keys:
            item = content.item(key)
            section = content.section_of(key)
            entry = QListWidgetItem(missing_icon(), _("{label} ({section})").format(
                label=content.text(item.label, lang), section=content.text(section.title, lang)))
            entry.setData(ItemKeyRole, key)
            self.list.addItem(entry)
        self.show()

    def keys(self) -> list[str]:
        return [self.list.item(n).data(ItemKeyRole) for n in range(self.list.count())]


class FlagsPanel(QWidget):
    """The flagged answers, each with its reason (tooltip, accessible description), a link to it."""

    def __init__(self, jump: Jump, width: int) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(_("Flags"))
        make_heading(self.title, 1.1)
        layout.addWidget(self.title)
        self.hint = QLabel(_("Answers that may be a sign of unequal treatment appear here, with the reason."))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.list = wrapping_list("flags")
        self.list.setAccessibleName(_("Flagged answers"))
        self.list.itemActivated.connect(jump)
        self.list.itemClicked.connect(jump)
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(width)

    def show_flags(self, flags: list[Flag], content: TemplateContent, lang: str) -> None:
        self.list.clear()
        for flag in flags:
            item = content.item(flag.item_key)
            label = content.text(item.label, lang)
            explanation = content.text(flag.explanation, lang)
            section = content.text(content.section_of(flag.item_key).title, lang)
            entry = QListWidgetItem(flag_icon(), f"{label}\n{section}")
            entry.setData(ItemKeyRole, flag.item_key)
            entry.setToolTip(explanation)
            entry.setData(Qt.ItemDataRole.AccessibleDescriptionRole, explanation)
            self.list.addItem(entry)
        if not flags:
            self.hint.setText(_("No answer is flagged. Answers that may be a sign of unequal treatment "
                                "appear here, with the reason."))
        else:
            self.hint.setText(ngettext("{count} answer is flagged. Select it to go to it.",
                                       "{count} answers are flagged. Select one to go to it.",
                                       len(flags)).format(count=len(flags)))
        self.title.setText(_("Flags ({count})").format(count=len(flags)) if flags else _("Flags"))


def section_list(content: TemplateContent, lang: str, width: int) -> QListWidget:
    """The list of the sections, one entry each (its text is set by :func:`show_section_progress`)."""
    sections = wrapping_list("sections")
    sections.setAccessibleName(_("Sections"))
    sections.setMinimumWidth(width)
    for n, section in enumerate(content.sections):
        entry = QListWidgetItem(content.text(section.title, lang))
        entry.setData(Qt.ItemDataRole.UserRole, n)
        sections.addItem(entry)
    return sections


def show_section_progress(sections: QListWidget, content: TemplateContent, ev: Evaluation, flags: list[Flag],
                          lang: str) -> None:
    """Each section's entry: hidden if the section is, its progress, its flags, a done/flag/missing icon."""
    flagged_sections = {f.section_key for f in flags}
    for n, section in enumerate(content.sections):
        entry = sections.item(n)
        entry.setHidden(not ev.section_visible(section.key))
        done, total = ev.section_progress(section.key)
        title = content.text(section.title, lang)
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

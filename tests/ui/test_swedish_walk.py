"""Every window and dialog in Swedish: no English string from the catalog may be left on screen.

Each visible text (labels, buttons, group titles, placeholders, combo entries, headers, list
entries, tabs, window titles, menus) is compared with the English catalog: an exact English
message, or an English message with its {placeholders} filled in, whose Swedish translation
differs, is an English leftover.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

from app import i18n
from tests.conftest import ROOT
from tests.pdf.conftest import PASSWORD, fill_case
from tests.ui.conftest import when_modal

PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")


@cache
def english_messages() -> tuple[set[str], list[tuple[re.Pattern[str], re.Pattern[str]]]]:
    with (ROOT / "translations" / "messages.pot").open("rb") as fh:
        catalog = read_po(fh)
    exact: set[str] = set()
    patterns: list[tuple[re.Pattern[str], re.Pattern[str]]] = []
    for message in catalog:
        if not message.id:
            continue
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            swedish = i18n.translate_in("sv", msgid)
            if swedish == msgid or len(msgid) < 3:
                continue  # the same word in both languages ("PDF", "OK")
            if PLACEHOLDER.search(msgid):
                def pattern(text: str) -> re.Pattern[str]:
                    parts = PLACEHOLDER.split(text)
                    return re.compile("^" + "(.+)".join(re.escape(p) for p in parts) + "$", re.S)

                # only messages whose fixed part says something ("{a} in {b}" would match any text)
                if re.search(r"[A-Za-z]{4,}", PLACEHOLDER.sub("", msgid)):
                    patterns.append((pattern(msgid), pattern(swedish)))
            else:
                exact.add(msgid)
    return exact, patterns


def normalise(text: str) -> str:
    return re.sub(r"&(?=\w)", "", text).strip()


def texts_of(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text a person can see in ``root``."""
    found: list[tuple[str, str]] = [("window title", root.windowTitle())]
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root:
            continue
        name = type(w).__name__
        if isinstance(w, QLabel) and w.textFormat() != 1:
            found.append((name, re.sub(r"<[^>]+>", "", w.text())))
        elif isinstance(w, QAbstractButton):
            found.append((name, w.text()))
            found.append((name + " tooltip", w.toolTip()))
        elif isinstance(w, QGroupBox):
            found.append((name, w.title()))
        elif isinstance(w, (QLineEdit, QPlainTextEdit)):
            found.append((name + " placeholder", w.placeholderText()))
        if isinstance(w, QComboBox):
            found += [(name + " entry", w.itemText(i)) for i in range(w.count())]
        if isinstance(w, QTabWidget):
            found += [(name + " tab", w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QListWidget):
            found += [(name + " entry", w.item(i).text()) for i in range(w.count())]
        if isinstance(w, QTreeWidget):
            header = w.headerItem()
            found += [(name + " header", header.text(i)) for i in range(header.columnCount())]
            for i in range(w.topLevelItemCount()):
                item = w.topLevelItem(i)
                found += [(name + " row", item.text(c)) for c in range(w.columnCount())]
        if isinstance(w, QTableWidget):
            found += [(name + " header", w.horizontalHeaderItem(i).text()) for i in range(w.columnCount())
                      if w.horizontalHeaderItem(i)]
        if isinstance(w, QMenu):
            found += [(name + " action", a.text()) for a in w.actions()]
        for action in w.actions():
            found.append(("action", action.text()))
            found.append(("action tip", action.statusTip()))
    model_views = [w for w in widgets if hasattr(w, "model") and callable(w.model) and w.model() is not None
                   and hasattr(w, "horizontalHeader")]
    for view in model_views:
        model = view.model()
        found += [("table header", str(model.headerData(c, Qt.Orientation.Horizontal) or "")) for c in range(model.columnCount())]
        if model.rowCount():
            found += [("table cell", str(model.index(0, c).data() or "")) for c in range(model.columnCount())]
    return [(where, normalise(text)) for where, text in found if text and normalise(text)]


def english_leftovers(root: QWidget) -> list[str]:
    exact, patterns = english_messages()
    leftovers = []
    for where, text in texts_of(root):
        for line in {text, *text.splitlines()}:
            line = line.strip()
            if line in exact:
                leftovers.append(f"{where}: {line!r}")
                continue
            for english, swedish in patterns:
                if english.match(line) and not swedish.match(line):
                    leftovers.append(f"{where}: {line!r} ~ {english.pattern}")
                    break
    return sorted(set(leftovers))


@pytest.fixture
def swedish(qapp):
    from ui.app import install_qt_translations

    i18n.set_language("sv")
    install_qt_translations(qapp, "sv")
    yield
    i18n.set_language("en")
    install_qt_translations(qapp, "en")


def test_the_checker_finds_an_english_leftover(qtbot, swedish):
    widget = QWidget()
    qtbot.addWidget(widget)
    label = QLabel(i18n.translate_in("en", "No assessments."), widget)
    formatted = QLabel("Imported all_types version 3 (published).", widget)
    widget.show()
    assert label.isVisible() and formatted.isVisible()
    leftovers = english_leftovers(widget)
    assert any("No assessments." in x for x in leftovers)
    assert any("Imported all_types" in x for x in leftovers)


def test_every_window_and_dialog_in_swedish(qtbot, services, all_types_version, styled_app, swedish, identity,
                                            tmp_path):
    from ui.facts_dialog import FactsDialog
    from ui.main_window import MainWindow
    from ui.pdf import ExportPdfDialog, RevisionsDialog, SignatureDialog, VerifyDialog
    from ui.settings_dialog import SettingsDialog
    from ui.templates import CompareDialog, TemplateManager

    problems: dict[str, list[str]] = {}

    def check(name: str, widget: QWidget) -> None:
        QApplication.processEvents()
        leftovers = english_leftovers(widget)
        if leftovers:
            problems[name] = leftovers

    # the empty state of a first start
    empty_window = MainWindow(services, restore=False)
    qtbot.addWidget(empty_window)
    empty_window.show()
    check("main window (empty)", empty_window)
    for menu in empty_window.menuBar().findChildren(QMenu):
        check("menu " + menu.title(), menu)

    signed = fill_case(services, all_types_version)
    draft = fill_case(services, all_types_version, complete=False, case_reference="GBG-2026-015")
    window = MainWindow(services, restore=False)
    qtbot.addWidget(window)
    window.show()
    check("case list", window)
    view = window.open_case(draft)
    for index in range(view.sections.count()):
        view.select_section(index)
        check(f"filling view, section {index}", window)
    failures: list[BaseException] = []

    def confirm(box: QWidget) -> None:
        check("confirm completion", box)
        box.reject()

    when_modal(QMessageBox, confirm, failures)
    view.complete()  # every required item answered: asks for confirmation (cancelled)
    from app.domain.facts import CaseFacts

    sparse = services.assessments.create(all_types_version.id, CaseFacts(case_reference="GBG-2026-016",
                                                                         decision="refused"))
    view = window.open_case(sparse)
    view.complete()  # refused: the missing items panel
    check("filling view, missing items", window)

    for factory, name in (
        (lambda: FactsDialog(services, parent=window), "new case"),
        (lambda: FactsDialog(services, services.assessments.get(draft), parent=window), "case facts"),
        (lambda: SettingsDialog(services, window), "settings"),
        (lambda: ExportPdfDialog(services, services.assessments.get(signed), sign=True, parent=window), "export"),
        (lambda: SignatureDialog(services, services.assessments.get(draft), window), "signature"),
        (lambda: VerifyDialog(window), "verify"),
    ):
        dialog = factory()
        qtbot.addWidget(dialog)
        dialog.show()
        check(name, dialog)
        dialog.close()

    out = tmp_path / "signed.pdf"
    services.summaries.export_pdf(signed, out, lang="sv", identity=identity, password=PASSWORD)
    verify = VerifyDialog(window, str(out))
    qtbot.addWidget(verify)
    verify.show()
    verify.verify()
    check("verify (result)", verify)
    amended = services.records.amend(signed)
    window.open_case(signed)
    check("signed case", window)
    window.open_case(amended)
    check("amendment", window)
    revisions = RevisionsDialog(services, amended, window)
    qtbot.addWidget(revisions)
    revisions.show()
    check("revisions", revisions)

    manager = TemplateManager(services)
    qtbot.addWidget(manager)
    manager.show()
    check("templates", manager)
    draft_version = services.templates.create_draft(all_types_version.id)
    manager.refresh(draft_version.id)
    editor = manager.editor
    for selection in ((None, None), (0, None), (0, 1), (0, 3)):
        editor.selected = selection
        editor.rebuild()
        check(f"template editor {selection}", manager)
    editor.side.setCurrentIndex(1)
    editor.preview.render()
    check("template preview", manager)
    compare = CompareDialog(services, "all_types")
    qtbot.addWidget(compare)
    compare.show()
    check("compare", compare)

    when_modal(QMessageBox, lambda box: (check("message box", box), box.close()), failures)
    QMessageBox.question(window, "Likvärd", i18n._("Delete the draft version {number}?").format(number=2))
    assert not failures, failures
    assert problems == {}, problems

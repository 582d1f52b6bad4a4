"""No key sequence is bound twice where both could fire ("Ambiguous shortcut overload"), and Ctrl+Q quits
(issue 10, item 3)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import ROOT


def _scope(obj: QAction | QShortcut, context: Qt.ShortcutContext) -> tuple[str, int]:
    """Where a shortcut listens: its top-level window, or the widgets it is attached to."""
    if isinstance(obj, QShortcut):
        widgets = [obj.parent()] if isinstance(obj.parent(), QWidget) else []
    else:
        widgets = [w for w in obj.associatedObjects() if isinstance(w, QWidget)]
        if not widgets and isinstance(obj.parent(), QWidget):
            widgets = [obj.parent()]
    if context in (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut):
        windows = {id(w.window()) for w in widgets}
        return ("window", min(windows) if windows else 0)
    return ("widget", min(id(w) for w in widgets) if widgets else 0)


def _bindings(window: QWidget) -> dict[tuple, list[str]]:
    found: dict[tuple, list[str]] = defaultdict(list)
    objects: list[QAction | QShortcut] = []
    seen: set[int] = set()
    for obj in [*window.findChildren(QAction), *window.actions(), *window.findChildren(QShortcut)]:
        if id(obj) not in seen:
            seen.add(id(obj))
            objects.append(obj)
    for obj in objects:
        keys = obj.shortcuts() if isinstance(obj, QAction) else [obj.key()]
        context = obj.shortcutContext() if isinstance(obj, QAction) else obj.context()
        for key in keys:
            if key.isEmpty():
                continue
            name = obj.text() if isinstance(obj, QAction) else obj.objectName() or "QShortcut"
            found[(_scope(obj, context), key.toString(QKeySequence.SequenceFormat.PortableText))].append(name)
    return found


def _ambiguous(window: QWidget) -> dict[str, list[str]]:
    return {key: names for (_scope_, key), names in _bindings(window).items() if len(names) > 1}


def test_no_shortcut_is_bound_twice_in_the_main_window(qtbot, window, services):
    bindings = _bindings(window)
    assert any(key == "Ctrl+Q" for _s, key in bindings)
    assert _ambiguous(window) == {}


def test_no_shortcut_is_bound_twice_in_the_template_window(qtbot, window, services):
    window.show_templates()
    manager = window.template_manager
    qtbot.addWidget(manager)
    assert _ambiguous(manager) == {}


def test_ctrl_q_closes_the_main_window(qtbot, window, services):
    from PySide6.QtTest import QTest

    messages: list[str] = []
    from PySide6.QtCore import qInstallMessageHandler

    previous = qInstallMessageHandler(lambda _mode, _context, message: messages.append(message))
    try:
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        QApplication.processEvents()
    finally:
        qInstallMessageHandler(previous)
    assert not window.isVisible()
    assert not [m for m in messages if "Ambiguous" in m]


def test_a_standard_key_and_the_same_explicit_key_are_bound_once():
    from ui.widgets import unique_shortcuts

    keys = unique_shortcuts([QKeySequence("Ctrl+Q"), "Ctrl+Q", QKeySequence(), "Ctrl+,"])
    assert [k.toString(QKeySequence.SequenceFormat.PortableText) for k in keys] == ["Ctrl+Q", "Ctrl+,"]


XCB_CHECK = """
import sys
from PySide6.QtCore import QTimer, Qt, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from app.bootstrap import start
from ui.main_window import MainWindow
from tests.ui.test_shortcuts import _ambiguous
messages = []
qInstallMessageHandler(lambda _m, _c, text: messages.append(text))
app = QApplication(sys.argv)
window = MainWindow(start(None, language="en"))
window.show()
QTest.qWaitForWindowExposed(window)
print("AMBIGUOUS", _ambiguous(window))
window.activateWindow()
QTest.qWait(200)
QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
QTest.qWait(200)
print("VISIBLE", window.isVisible())
print("MESSAGES", [m for m in messages if "Ambiguous" in m])
"""


@pytest.mark.skipif(not (shutil.which("xvfb-run") and shutil.which("Xvfb")), reason="needs Xvfb")
def test_ctrl_q_under_a_real_x_server_with_a_desktop_key_scheme():
    """Offscreen Qt has no standard Quit key; under X with a GNOME key scheme it is Ctrl+Q."""
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "XDG_CURRENT_DESKTOP": "GNOME", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(["xvfb-run", "-a", sys.executable, "-c", XCB_CHECK], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    if "could not load the qt platform plugin" in proc.stderr.lower():
        pytest.skip("the Qt xcb plugin cannot load here (see the README for the packages it needs)")
    assert "AMBIGUOUS {}" in proc.stdout, proc.stdout + proc.stderr
    assert "VISIBLE False" in proc.stdout and "MESSAGES []" in proc.stdout, proc.stdout + proc.stderr

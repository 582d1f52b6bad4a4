"""GUI fixtures: real widgets offscreen, a synchronous task runner, helpers to drive modal dialogs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QWidget


@pytest.fixture(autouse=True)
def synchronous_tasks():
    """Background tasks run at once on the test's thread (no waiting, no races)."""
    from ui import tasks

    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def styled_app(qapp):
    """The application with the house style (Fusion and the stylesheet). Set again only when a test left
    another style or stylesheet: setting the same ones again re-polishes every widget and changes nothing."""
    from shiboken6 import getCppPointer

    from ui.style import STYLESHEET, apply_style

    if _STYLED.get("style") != getCppPointer(qapp.style()) or qapp.styleSheet() != STYLESHEET:
        apply_style(qapp)
        _STYLED["style"] = getCppPointer(qapp.style())
    return qapp


_STYLED: dict[str, object] = {}  # the style object apply_style left on the application


@pytest.fixture
def window(qtbot, services, styled_app):
    from ui.main_window import MainWindow

    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    yield win
    if win.filling is not None:
        win.filling.flush()


def when_modal(kind: type[QWidget], action: Callable[[QWidget], None],
               failures: list[BaseException]) -> Callable[[], None]:
    """Drive the next modal dialog of type ``kind`` once it is shown (exec() blocks the test).
    Returns a function that stops the waiting (when no dialog is expected after all)."""
    stopped: list[bool] = []

    def attempt(tries: int = 0) -> None:
        if stopped:
            return
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            if tries < 100:
                QTimer.singleShot(20, lambda: attempt(tries + 1))
            else:
                failures.append(AssertionError(f"no {kind.__name__} was shown"))
            return
        try:
            action(dialog)
        except BaseException as exc:  # reported by the test after exec() returns
            failures.append(exc)
            dialog.close()

    QTimer.singleShot(0, attempt)
    return lambda: stopped.append(True)


def reactivate(qtbot, window: QWidget) -> None:
    """Offscreen there is no window manager to give the focus back to the window after a dialog."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)

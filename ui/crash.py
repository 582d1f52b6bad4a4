"""The last resort for an unexpected error in the GUI: a dialog with copyable details and a
rotating log in the user log folder.

The log holds the exception's type, message and traceback only: no answers, comments, case
references or other case data (tracebacks carry no local variables)."""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.i18n import _

LOG_FILE = "likvard.log"
LOG_BYTES = 512 * 1024
LOG_BACKUPS = 3
log = logging.getLogger("likvard.errors")


def log_path() -> Path:
    from app.paths import user_log_dir

    return user_log_dir() / LOG_FILE


def _ensure_handler() -> None:
    from logging.handlers import RotatingFileHandler  # at the first error: not on the start-up path

    path = log_path()
    for handler in log.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return
    for handler in list(log.handlers):  # another folder (tests): the old file is let go
        log.removeHandler(handler)
        handler.close()
    if not path.exists():
        path.touch(mode=0o600)
    handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def details(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> str:
    """Type, message and traceback, as logged and shown."""
    return "".join(traceback.format_exception(exc_type, exc, tb)).rstrip()


class ErrorDialog(QDialog):
    """A short translated message, the details in a read-only box and a "Copy details" button."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt  # here, not at import: the Qt namespace costs ~25 ms at start-up

        super().__init__(parent)
        self.setWindowTitle(_("Unexpected error"))
        layout = QVBoxLayout(self)
        message = QLabel(_("Something went wrong in Likvärd. What you saved so far is kept. If it happens "
                           "again, copy the details and send them to your support contact."))
        message.setWordWrap(True)
        layout.addWidget(message)
        self.where = QLabel(_("The details are also written to {path}.").format(path=log_path()))
        self.where.setObjectName("hint")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        self.details = QPlainTextEdit(text)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(_("Error details"))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(_("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.close_button = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(48 * em, 26 * em)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(_("Copied"))


class _Reporter(QObject):
    """Carries a report from any thread to the GUI thread (a queued signal)."""

    report = Signal(str)

    def __init__(self) -> None:
        from PySide6.QtCore import Qt  # here, not at import: the Qt namespace costs ~25 ms at start-up

        super().__init__()
        self.dialog: ErrorDialog | None = None
        self.report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def _show(self, text: str) -> None:
        from PySide6.QtCore import Qt  # here, not at import: the Qt namespace costs ~25 ms at start-up

        if self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible():
            self.dialog.details.appendPlainText("\n\n" + text)  # one dialog, however many errors
            return
        # no parent: the dialog must outlive a window that is being torn down by the error
        self.dialog = ErrorDialog(text)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.show()
        self.dialog.raise_()


_reporter: _Reporter | None = None
_reporter_lock = threading.Lock()


def _the_reporter() -> _Reporter | None:
    """The reporter, made at the first error (not at start-up: it needs the Qt namespace, ~30 ms),
    on whichever thread, and living on the GUI thread."""
    global _reporter
    with _reporter_lock:
        if _reporter is None:
            from PySide6.QtCore import QCoreApplication

            app = QCoreApplication.instance()
            if app is None:
                return None
            reporter = _Reporter()
            if reporter.thread() is not app.thread():
                reporter.moveToThread(app.thread())
            _reporter = reporter
        return _reporter


def report(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
           thread: str | None = None) -> None:
    """Log the error and show it (from any thread)."""
    text = details(exc_type, exc, tb)
    try:
        _ensure_handler()
        log.error("Unexpected error in %s (pid %s)\n%s", f"thread {thread}" if thread else "the GUI", os.getpid(), text)
    except OSError:  # a full disk or a read-only folder must not hide the dialog
        pass
    reporter = _the_reporter() if _installed else None
    if reporter is not None:
        reporter.report.emit(text)


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if sys.__stderr__ is not None:
        traceback.print_exception(exc_type, exc, tb, file=sys.__stderr__)
    report(exc_type, exc, tb)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    report(args.exc_type, args.exc_value, args.exc_traceback, thread=args.thread.name if args.thread else None)


_installed = False


def install() -> None:
    """Route uncaught exceptions (GUI thread and background threads) to the log and the dialog."""
    global _installed
    _installed = True
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def current_dialog() -> ErrorDialog | None:
    dialog = _reporter.dialog if _reporter is not None else None
    return dialog if dialog is not None and shiboken6.isValid(dialog) else None

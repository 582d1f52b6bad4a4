"""The sync dialog: the server's address (remembered, never its password), a progress bar and Cancel,
the summary and the conflicts the syncs found (app.services.sync).

The sync runs on a QThread (a worker object moved to it): the window never freezes, progress comes
back through queued signals, Cancel stops it after the batch being sent (each batch is whole).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_datetime
from ui.widgets import guard_wheel

if TYPE_CHECKING:
    from app.services import Services

SETTING = "sync_server"
#: Threads still running a sync: kept alive (not children of a dialog, which may be destroyed
#: first, e.g. when the main window closes) until the sync ends after its current batch.
_RUNNING: set[tuple[QThread, QObject]] = set()


class _Worker(QObject):
    """Runs one sync on its thread; reports through signals only (never touches a widget)."""

    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, services: Services, url: str, password: str | None, cancel: threading.Event) -> None:
        super().__init__()
        self.services, self.url, self.password, self.cancel = services, url, password, cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self.services.sync.sync(self.url, progress=self.progressed.emit, cancel=self.cancel,
                                             password=self.password)
        except BaseException as exc:  # noqa: BLE001 - shown by the dialog
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class SyncDialog(QDialog):
    """Sync with the team server: address, progress, Cancel, summary and conflicts."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Sync with server"))
        self.setObjectName("syncDialog")
        self.thread_: QThread | None = None
        self.worker: _Worker | None = None
        self.cancel_event = threading.Event()
        self.close_when_done = False
        self.typed: tuple[str, str, bool] | None = None  # (address, password typed, remember it)
        self.last_result: Any = None
        self.progress_updates = 0

        layout = QVBoxLayout(self)
        intro = QLabel(_("Sends your completed and signed cases and your audit log to the team server, and fetches "
                         "its published checklists and exercises. Nothing on the server or here is overwritten: "
                         "differences are listed as conflicts."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.server = QLineEdit()
        self.server.setPlaceholderText("postgresql+psycopg://anna@db.example/likvard")
        self.server.setAccessibleName(_("Server address"))
        self.server.setText(str(services.settings.extra.get(SETTING, "")))
        label = QLabel(_("&Server address:"))
        label.setBuddy(self.server)
        form.addRow(label, self.server)
        layout.addLayout(form)
        note = QLabel(_("The password comes from the system keyring, or is asked; it is never saved by Likvärd."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Sync progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setAccessibleName(_("Sync status"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.summary = QLabel("")
        self.summary.setAccessibleName(_("Sync summary"))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        conflicts_label = QLabel(_("C&onflicts to look at:"))
        layout.addWidget(conflicts_label)
        self.conflicts = QTableWidget(0, 4)
        self.conflicts.setHorizontalHeaderLabels([_("What"), _("Which"), _("Why"), _("Found")])
        self.conflicts.setAccessibleName(_("Conflicts"))
        self.conflicts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflicts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflicts.setTabKeyNavigation(False)
        self.conflicts.setWordWrap(True)
        header = self.conflicts.horizontalHeader()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.conflicts.verticalHeader().setVisible(False)
        conflicts_label.setBuddy(self.conflicts)
        layout.addWidget(self.conflicts, 1)
        buttons = QDialogButtonBox()
        self.sync_button = QPushButton(_("S&ync"))
        self.sync_button.setAccessibleName(_("Sync now"))
        self.sync_button.setDefault(True)
        self.cancel_button = QPushButton(_("&Cancel sync"))
        self.cancel_button.setAccessibleName(_("Cancel the sync"))
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(_("C&lose"))
        buttons.addButton(self.sync_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self.sync_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.stop)
        self.close_button.clicked.connect(self.reject)
        guard_wheel(self)
        self.resize(760, 520)
        self.show_conflicts()

    # --- running ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.thread_ is not None

    def start(self, password: str | None = None, remember: bool = False) -> None:
        """Start a sync with the address typed (``password``: one the person just typed; kept in the
        keyring once it worked when ``remember``)."""
        from app.credentials import is_url, without_password

        text = self.server.text().strip()
        if self.running:
            return
        if not is_url(text):
            self.status.setText(_("Type the server's address, e.g. postgresql+psycopg://anna@db.example/likvard."))
            self.server.setFocus()
            return
        text = without_password(text)  # a password typed into the address is never remembered
        self.services.settings.extra[SETTING] = text
        try:
            self.services.settings.save()
        except OSError:
            pass  # remembering the address is a convenience
        self.typed = (text, password, remember) if password else None
        self.cancel_event = threading.Event()
        self.summary.setText("")
        self.status.setText(_("Connecting\u2026"))
        self.progress.setRange(0, 0)  # busy until the first count
        self.sync_button.setEnabled(False)
        self.server.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        thread = QThread()
        worker = _Worker(self.services, text, password, self.cancel_event)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # the thread ends itself when the sync ends, whether or not this dialog still exists
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        running = (thread, worker)
        _RUNNING.add(running)
        thread.finished.connect(lambda: _RUNNING.discard(running))
        cancel = self.cancel_event
        self.destroyed.connect(lambda *_args: cancel.set())
        worker.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        worker.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        worker.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.thread_, self.worker = thread, worker
        thread.start()

    def stop(self) -> None:
        if self.running:
            self.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Stopping after the batch being sent\u2026"))

    def _end_thread(self) -> None:
        thread = self.thread_
        self.thread_, self.worker = None, None
        if thread is not None:
            thread.wait()  # it is ending: the sync reported its end
        self.sync_button.setEnabled(True)
        self.server.setEnabled(True)
        self.cancel_button.setEnabled(False)

    @Slot(object)
    def _progressed(self, p: Any) -> None:
        self.progress_updates += 1
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        else:
            self.progress.setRange(0, 0)
        self.status.setText(p.text)

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._end_thread()
        self.last_result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(_("The sync was cancelled; sync again to finish.") if result.cancelled
                            else _("Sync finished."))
        self.summary.setText(result.summary())
        if self.typed is not None:  # the password worked: keep it if the person asked to
            from ui.password_dialog import keep_if_asked

            keep_if_asked(*self.typed, say=self.status.setText)
            self.typed = None
        self.show_conflicts()
        self.sync_button.setFocus()
        if self.close_when_done:
            super().reject()

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        from app.credentials import PasswordRequired
        from app.errors import LikvardError

        self._end_thread()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.typed = None
        if isinstance(exc, PasswordRequired) and not self.close_when_done:
            from ui.password_dialog import ask_password

            answer = ask_password(self, exc)
            if answer is not None:
                self.start(*answer)
                return
        message = exc.message if isinstance(exc, LikvardError) else str(exc)
        self.status.setText(_("The sync failed: {error}").format(error=message))
        self.sync_button.setFocus()
        if self.close_when_done:
            super().reject()

    # --- conflicts ----------------------------------------------------------------------------

    def show_conflicts(self) -> None:
        from app.services.sync import kind_text, reason_text

        conflicts = self.services.sync.conflicts()
        self.conflicts.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            cells = [kind_text(c.kind), c.reference, reason_text(c.reason),
                     format_datetime(c.detected_at) if c.detected_at else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.conflicts.setItem(row, column, item)
        self.conflicts.resizeRowsToContents()

    def reject(self) -> None:
        if self.running:  # close once the batch being sent is whole
            self.close_when_done = True
            self.stop()
            return
        super().reject()


def show_sync_dialog(services: Services, parent: QWidget | None = None) -> SyncDialog:
    """Open (non-modal) the sync dialog."""
    dialog = SyncDialog(services, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog

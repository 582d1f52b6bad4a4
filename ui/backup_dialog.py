"""Back up now, Restore from backup (a list of backups with their date and number of cases), and the
start-up offer to restore the newest good backup when the database is damaged."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _, format_datetime, ngettext
from app.services.backups import BackupInfo, newest_good_backup, recover_damaged
from ui import tasks

if TYPE_CHECKING:
    from ui.main_window import MainWindow

PathRole = Qt.ItemDataRole.UserRole + 1


def reason_label(reason: str) -> str:
    if reason == "startup":
        return _("at start-up")
    if reason == "manual":
        return _("on request")
    if reason == "before-restore":
        return _("before a restore")
    if reason.startswith("before-migration"):
        return _("before an upgrade")
    return reason


def cases_label(info: BackupInfo) -> str:
    if info.cases is None:
        return _("cannot be restored: {problem}").format(problem=info.problem)
    return ngettext("{count} case", "{count} cases", info.cases).format(count=info.cases)


class RestoreDialog(QDialog):
    """Choose a backup; ``chosen`` is its path once accepted."""

    def __init__(self, backups: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from backup"))
        self.setObjectName("restore_dialog")
        self.chosen: Path | None = None
        self.backups = backups
        layout = QVBoxLayout(self)
        intro = QLabel(_("Choose a backup. The current database is kept as a backup too, so a restore can be "
                         "undone by restoring that one."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(backups), 3)
        self.table.setObjectName("backups")
        self.table.setHorizontalHeaderLabels([_("Made"), _("Why"), _("Contents")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, info in enumerate(backups):
            made = QTableWidgetItem(format_datetime(info.created))
            made.setData(PathRole, str(info.path))
            self.table.setItem(row, 0, made)
            self.table.setItem(row, 1, QTableWidgetItem(reason_label(info.reason)))
            self.table.setItem(row, 2, QTableWidgetItem(cases_label(info)))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        if not backups:
            layout.addWidget(QLabel(_("There are no backups yet.")))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(_("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.table.itemSelectionChanged.connect(self._selected)
        self.resize(620, 360)
        good = next((n for n, info in enumerate(backups) if info.good), None)
        if good is not None:
            self.table.selectRow(good)

    def _selected(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        info = self.backups[rows.pop()] if rows else None
        self.chosen = info.path if info is not None and info.good else None
        self.restore_button.setEnabled(self.chosen is not None)


def back_up_now(window: MainWindow) -> None:
    """File → Back up now…: a backup in the backups folder, off the UI thread, then say where."""
    if window.services is None:
        return
    if window.filling is not None:
        window.filling.flush()
    window.statusBar().showMessage(_("Backing up…"))

    def done(path: Path) -> None:
        window.statusBar().showMessage(_("Backed up."), 5000)
        QMessageBox.information(window, _("Back up now"), _("Backed up to {path}.").format(path=path))

    def failed(exc: BaseException) -> None:
        window.statusBar().clearMessage()
        QMessageBox.warning(window, _("Back up now"), exc.message if isinstance(exc, LikvardError) else str(exc))

    tasks.run_in_background(window.services.backups.backup_now, on_done=done, on_error=failed)


def restore_from_backup(window: MainWindow) -> bool:
    """File → Restore from backup…: choose, confirm, restore; the case list shows the restored cases."""
    if window.services is None:
        return False
    window.show_list()  # the open case is saved and closed: its answers belong to the old content
    if window.filling is not None and not window._close_filling():
        return False
    try:
        backups = window.services.backups.list()
    except LikvardError as exc:
        QMessageBox.warning(window, _("Restore from backup"), exc.message)
        return False
    dialog = RestoreDialog(backups, window)
    accepted = dialog.exec()
    chosen = dialog.chosen
    dialog.deleteLater()
    if not accepted or chosen is None:
        return False
    # the restore swaps the content under every query: done here, not beside other work in the pool
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        aside = window.services.backups.restore(chosen)
    except LikvardError as exc:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(window, _("Restore from backup"), exc.message)
        return False
    QApplication.restoreOverrideCursor()
    window.list_page.refresh()
    window.statusBar().showMessage(_("Backup restored. The replaced database was kept as {path}.").format(path=aside),
                                   10000)
    return True


def offer_backup_for_damaged(parent: QWidget | None, db_path: Path, error: LikvardError) -> tuple[Path, Path] | None:
    """At start-up the database is damaged: offer the newest good backup. On yes the damaged file
    is moved aside (never overwritten or deleted) and the backup copied in its place; returns
    (backup, where the damaged file went). None: no good backup, or the user said no."""
    backup = newest_good_backup(db_path)
    if backup is None:
        return None
    box = QMessageBox(parent)
    box.setObjectName("damaged_database")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("The database is damaged"))
    box.setText(_("The database cannot be opened:\n{error}\n\nThe newest good backup is from {date} ({cases}). "
                  "Restore it? The damaged file is kept, renamed, beside it.").format(
        error=error.message, date=format_datetime(backup.created), cases=cases_label(backup)))
    restore = box.addButton(_("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    try:
        aside = recover_damaged(db_path, backup.path)
    except LikvardError as exc:
        QMessageBox.critical(parent, _("The database is damaged"), exc.message)
        return None
    return backup.path, aside

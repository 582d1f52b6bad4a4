"""The main window: menus, toolbar, status bar, the case list and the filling view.

Its PDF commands, the language switch, demo cases and the remembered state are in ui/window/."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget

from app.enums import AssessmentStatus
from app.errors import LikvardError
from app.i18n import _
from ui import tasks
from ui.shortcuts import unique_shortcuts
from ui.style import fit_to_screen  # not from ui.widgets: it builds the Qt namespace (~30 ms before the window shows)
from ui.window import state
from ui.window.menus import build_menus, build_toolbar

if TYPE_CHECKING:  # the database layer is imported once the window is on screen (fast start-up)
    import uuid
    from collections.abc import Callable

    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QProgressDialog

    from app.services import Services
    from app.services.listing import QuickCaseList
    from ui.audit_view import AuditDialog
    from ui.case_list import CaseListPage
    from ui.filling import FillingView
    from ui.insights.page import InsightsPage
    from ui.templates import TemplateManager


class MainWindow(QMainWindow):
    """The window. Built with ``services``, or first as an empty shell that :meth:`attach` fills
    once the database is open (so the window is on screen before the database layer is loaded)."""

    list_ready = Signal()  # the case list shows its first rows (or the empty state)
    # built on first use
    insights: InsightsPage | None = None
    template_manager: TemplateManager | None = None
    audit_dialog: AuditDialog | None = None
    successor: MainWindow | None = None  # the window rebuilt in another language
    _closing_for_successor = False

    def __init__(self, services: Services | None = None, *, restore: bool = True) -> None:
        super().__init__()
        self.services: Services = services  # type: ignore[assignment]
        self.list_page: CaseListPage = None  # type: ignore[assignment]
        self.filling: FillingView | None = None
        self.restore = restore
        self.is_ready = False
        self.setWindowTitle(_("Likvärd"))
        self.setObjectName("mainWindow")
        self.stack = QStackedWidget()
        # Nothing here touches the Qt namespace: its first use builds ~100 Python enums (start-up time).
        self.opening = QLabel(_("Opening your cases…"))
        self.opening.setObjectName("muted")
        self.opening.setIndent(40)
        self.stack.addWidget(self.opening)
        self.setCentralWidget(self.stack)
        self._build_actions()
        build_menus(self)
        self.toolbar = build_toolbar(self)
        self.save_status = QLabel()
        self.save_status.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.save_status)
        self.demo_progress: QProgressDialog | None = None
        fit_to_screen(self, 1180, 760)  # a 1366x768 laptop shows all of it
        if restore:
            state.restore_geometry(self)
        self.update_actions()
        if services is not None:
            self.attach(services)

    def show_quick_list(self, quick: QuickCaseList) -> None:
        """Show the cases read by ``quick`` while the database layer is still loading; the
        commands that need the database stay off until :meth:`attach` (a moment)."""
        self._show_list_page(None, quick)
        self.statusBar().showMessage(_("Opening the database…"))
        QTimer.singleShot(0, self.list_page.model.read_all_quick_ids)  # the first rows are on screen first

    def attach(self, services: Services) -> None:
        """Show the cases of ``services`` (the database is open)."""
        self.services = services
        if self.list_page is None:
            self._show_list_page(services, None)
        else:  # the quick first page: the same rows, now from the services
            quick = self.list_page.quick
            self.list_page.attach(services)
            if quick is not None:
                quick.close()
        self.update_actions()
        self.statusBar().showMessage(_("Ready"), 3000)
        pending, self._pending_open = self._pending_open, None
        if pending is not None:
            self.open_case(pending)
        elif self.restore:
            self._restore_last_case()

    _pending_open: uuid.UUID | None = None  # a case opened from the quick first page

    def release_quick_list(self) -> None:
        """Close the quick first page's read-only connection (the database could not be opened:
        the file may be moved aside); its rows stay on screen, rows not read yet show "…"."""
        if self.list_page is not None and self.list_page.quick is not None:
            self.list_page.quick.close()

    def _show_list_page(self, services: Services | None, quick: QuickCaseList | None) -> None:
        from ui.case_list import CaseListPage

        self.list_page = CaseListPage(services, self.stack, quick=quick)  # made in place: styled once, not again when added
        self.list_page.open_case.connect(self.open_case)
        self.list_page.new_case.connect(self.new_case)
        self.list_page.load_demo.connect(self.load_demo_cases)
        self.list_page.model.loaded.connect(self._list_loaded)
        self.stack.addWidget(self.list_page)
        self.stack.setCurrentWidget(self.list_page)
        self.stack.removeWidget(self.opening)
        self.opening.deleteLater()
        self.update_actions()
        if not self.list_page.model.loading:
            self._list_loaded()

    def _list_loaded(self, *_args: object) -> None:
        if not self.is_ready:
            self.is_ready = True
            self.list_ready.emit()

    # --- actions, menus, toolbar ---------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], object], shortcuts: list[QKeySequence | str] | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts(unique_shortcuts(shortcuts))  # window-wide
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.act_new = self._action(_("&New case…"), self.new_case, [QKeySequence(std.New)],
                                    _("Open a new case and record its facts (Ctrl+N)"))
        self.act_demo = self._action(_("Load &demo cases"), self.load_demo_cases, None,
                                     _("Add realistic demo cases to explore the app"))
        self.act_settings = self._action(_("&Settings…"), self.show_settings, [QKeySequence(std.Preferences), "Ctrl+,"],
                                         _("Your profile, the language, the database"))
        self.act_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.act_backup = self._action(_("&Back up now…"), lambda: self._backups("back_up_now"), None,
                                       _("Copy the database to the backups folder now"))
        self.act_restore = self._action(_("&Restore from backup…"), lambda: self._backups("restore_from_backup"),
                                        None, _("Replace the cases by those of a backup"))
        self.act_sync = self._action(_("S&ync with server…"), self.show_sync, None,
                                     _("Send your cases to the team server and fetch its checklists"))
        self.act_quit = self._action(_("&Quit"), self.close, [QKeySequence(std.Quit), "Ctrl+Q"])
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_find = self._action(_("&Find case…"), self.find, [QKeySequence(std.Find)],
                                     _("Search the case list (Ctrl+F)"))
        self.act_facts = self._action(_("Case &facts…"), self.edit_facts, ["Ctrl+I"],
                                      _("See or change the facts of the open case"))
        self.act_complete = self._action(_("&Complete case"), self.complete_case, ["Ctrl+Return", "Ctrl+Enter"],
                                         _("Complete the open case (Ctrl+Return)"))
        self.act_list = self._action(_("Case &list"), self.show_list, ["Ctrl+L", "Alt+Home"],
                                     _("Back to the list of cases"))
        self.act_next = self._action(_("&Next section"), self.next_section, ["Ctrl+PgDown", "Alt+Right"])
        self.act_previous = self._action(_("&Previous section"), self.previous_section, ["Ctrl+PgUp", "Alt+Left"])
        self.act_help = self._action(_("Show &guidance of this item"), self.toggle_guidance, ["F1"])
        self.act_flags = self._action(_("&Flags panel"), self.toggle_flags, ["Ctrl+Shift+F"])
        self.act_flags.setCheckable(True)
        self.act_flags.setChecked(True)
        self.act_export_pdf = self._action(_("&Export PDF…"), lambda: self.pdf_action("export"), ["Ctrl+E"],
                                           _("Export the summary of the open case as a PDF"))
        self.act_sign_pdf = self._action(_("&Sign and export PDF…"), lambda: self.pdf_action("sign"), ["Ctrl+Shift+E"],
                                         _("Sign the open case digitally and export its summary"))
        self.act_print = self._action(_("&Print summary…"), lambda: self.pdf_action("print"),
                                      [QKeySequence(QKeySequence.StandardKey.Print)], _("Print the summary of the open case"))
        self.act_signature = self._action(_("&Drawn signature…"), self.draw_signature, None,
                                          _("Draw your signature for the PDF summary"))
        self.act_amend = self._action(_("&Amend signed case…"), self.amend_case, None,
                                      _("Start a new revision of the signed case"))
        self.act_verify = self._action(_("&Verify a PDF…"), self.verify_pdf, ["Ctrl+Shift+V"],
                                       _("Check the digital signature of a PDF summary"))
        self.act_import_pdf = self._action(_("&Import a PDF summary…"), self.import_pdf, None,
                                           _("Add the case carried inside a PDF summary to this database"))
        self.act_templates = self._action(_("Checklist &templates…"), self.show_templates, ["Ctrl+T"],
                                          _("Write and publish checklist templates"))
        self.act_audit = self._action(_("&Audit log…"), self.show_audit, None,
                                      _("Every change recorded, with old and new values; verify it is intact"))
        self.act_case_audit = self._action(_("Audit log of this &case…"), lambda: self.show_audit(for_case=True),
                                           None, _("The recorded changes of the open case and its revisions"))
        self.act_training = self._action(_("T&raining…"), self.show_training, None,
                                         _("Practise on case vignettes and compare with the trainer's answers"))
        self.act_insights = self._action(_("&Insights"), self.show_insights, ["Ctrl+Shift+I"],
                                         _("Are women-led, men-led and mixed businesses treated alike?"))
        self.act_about = self._action(_("&About Likvärd"), self.show_about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)

    def show_sync(self) -> None:
        from ui.sync import show_sync_dialog  # not at start-up

        self.sync_dialog = show_sync_dialog(self.services, self)

    def _backups(self, command: str) -> None:
        from ui import backup_dialog  # not at start-up: it imports the database layer

        getattr(backup_dialog, command)(self)

    def update_actions(self) -> None:
        attached = self.services is not None
        for action in (self.act_new, self.act_demo, self.act_settings, self.act_find, self.act_backup,
                       self.act_restore, self.act_insights, self.act_training, self.act_sync, self.act_templates,
                       self.act_import_pdf):
            action.setEnabled(attached)
        filling = self.filling is not None and self.stack.currentWidget() is self.filling
        editable = filling and self.filling is not None and self.filling.record.editable
        self.act_facts.setEnabled(filling)
        self.act_complete.setEnabled(bool(editable))
        self.act_next.setEnabled(filling)
        self.act_previous.setEnabled(filling)
        self.act_flags.setEnabled(filling)
        self.act_help.setEnabled(filling)
        on_insights = self.insights is not None and self.stack.currentWidget() is self.insights
        self.act_list.setEnabled(filling or (attached and on_insights))
        status = self.filling.record.status if filling and self.filling is not None else ""
        self.act_export_pdf.setEnabled(filling)
        self.act_print.setEnabled(filling)
        self.act_sign_pdf.setEnabled(status in (AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED))
        self.act_signature.setEnabled(filling and status != AssessmentStatus.SIGNED)
        self.act_amend.setEnabled(status == AssessmentStatus.SIGNED)
        self.act_audit.setEnabled(attached)
        self.act_case_audit.setEnabled(filling)
        if filling and self.filling is not None:
            self.setWindowTitle(_("Case {reference} — Likvärd").format(
                reference=self.filling.record.facts.case_reference))
        else:
            self.setWindowTitle(_("Likvärd"))
            self.save_status.setText("")

    # --- views ---------------------------------------------------------------------------

    def show_list(self) -> None:
        if self.list_page is None:
            return
        if self.filling is not None:
            self.filling.autosaver.save_in_background()  # a busy database never freezes the window
            case_id = self.filling.record.id
            self.stack.setCurrentWidget(self.list_page)
            self.list_page.refresh(recount=False)  # its place in the sort order may have changed
            self.list_page.select_case(case_id)
        self.stack.setCurrentWidget(self.list_page)
        self.update_actions()
        self.list_page.table.setFocus()

    def open_case(self, case_id: uuid.UUID) -> FillingView | None:
        """Show a case in the filling view (the previous one is saved first)."""
        from PySide6.QtWidgets import QMessageBox

        from ui.filling import FillingView

        if self.services is None:  # from the quick first page: opened as soon as the database is
            self._pending_open = case_id
            return None
        try:
            record = self.services.assessments.get(case_id)
        except LikvardError as exc:
            QMessageBox.warning(self, _("Open case"), exc.message)
            return None
        if not self._close_filling():
            return None
        view = FillingView(self.services, record)
        view.saved.connect(self.list_page.model.invalidate)
        view.completed.connect(self._case_completed)
        view.facts_requested.connect(self.edit_facts)
        view.save_state_changed.connect(self.save_status.setText)
        view.pdf_requested.connect(self.pdf_action)
        view.signature_requested.connect(self.draw_signature)
        view.amend_requested.connect(self.amend_case)
        view.revisions_requested.connect(self.show_revisions)
        view.flags_panel.setVisible(self.act_flags.isChecked())
        self.filling = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self.save_status.setText(view.save_label.text())
        self.update_actions()
        view.sections.setFocus()
        return view

    def _close_filling(self) -> bool:
        if self.filling is None:
            return True
        if not self.filling.flush():  # its answers stay pending in the open case, never dropped
            QMessageBox.warning(self, _("Open case"), _("Some changes could not be saved: {error}").format(
                error=self.filling.autosaver.error))
            return False
        self.stack.removeWidget(self.filling)
        self.filling.deleteLater()
        self.filling = None
        return True

    def _case_completed(self, case_id: uuid.UUID) -> None:
        self.list_page.model.invalidate(case_id)
        self.statusBar().showMessage(_("The case was completed."), 5000)
        self.update_actions()

    # --- commands ------------------------------------------------------------------------

    def new_case(self) -> None:
        from ui.facts_dialog import FactsDialog

        dialog = FactsDialog(self.services, parent=self)
        accepted = dialog.exec()
        created = dialog.created_id
        dialog.deleteLater()
        self.activateWindow()
        if accepted and created is not None:
            self.list_page.refresh()
            self.open_case(created)
            self.statusBar().showMessage(_("Case created. Answers are saved as you go."), 5000)

    def edit_facts(self) -> None:
        if self.filling is None:
            return
        from ui.facts_dialog import FactsDialog

        self.filling.flush()
        record = self.services.assessments.get(self.filling.record.id)
        dialog = FactsDialog(self.services, record, parent=self)
        if not record.editable:
            for field in dialog.fields.values():
                field.setEnabled(False)
            dialog.ok_button.hide()
        accepted = dialog.exec()
        dialog.deleteLater()
        self.activateWindow()
        if accepted and dialog.record is not None and record.editable:
            self.filling.set_record(dialog.record)
            self.list_page.model.invalidate(dialog.record.id)
            self.update_actions()

    def complete_case(self) -> None:
        if self.filling is not None and self.stack.currentWidget() is self.filling:
            self.filling.complete()

    def find(self) -> None:  # type: ignore[override]  # not QWidget.find(id): the Find command
        if self.list_page is None:
            return
        self.show_list()
        self.list_page.focus_search()

    def next_section(self) -> None:
        if self.filling is not None:
            self.filling.next_section()

    def previous_section(self) -> None:
        if self.filling is not None:
            self.filling.previous_section()

    def toggle_guidance(self) -> None:
        if self.filling is not None:
            self.filling.toggle_help_of_focused()

    def toggle_flags(self) -> None:
        if self.filling is not None:
            self.filling.flags_panel.setVisible(self.act_flags.isChecked())

    def show_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.services, self)
        accepted = dialog.exec()
        dialog.deleteLater()
        if accepted:
            if dialog.language_changed:
                self.switch_language(self.services.settings.effective_language())
                return
            self.statusBar().showMessage(_("Settings saved."), 8000)

    def switch_language(self, lang: str) -> MainWindow:
        """Rebuild the window in ``lang``, keeping the work: pending answers are saved first and
        the open case, geometry and panels come back as they were."""
        from ui.window.language import rebuild_in

        successor = rebuild_in(self, lang)
        if successor is None:
            return self
        self.successor = successor
        self._closing_for_successor = True
        self.close()
        return successor

    # --- PDF, signatures, revisions, templates --------------------------------------------

    def pdf_action(self, kind: str) -> None:
        """Export, sign and export, or print the open case's summary."""
        from ui.window import pdf_commands

        pdf_commands.pdf_action(self, kind)

    def draw_signature(self) -> None:
        from ui.window import pdf_commands

        pdf_commands.draw_signature(self)

    def amend_case(self) -> None:
        from ui.window import pdf_commands

        pdf_commands.amend_case(self)

    def show_revisions(self) -> None:
        from ui.window import pdf_commands

        pdf_commands.show_revisions(self)

    def verify_pdf(self) -> None:
        from ui.window import pdf_commands

        pdf_commands.verify_pdf(self)

    def import_pdf(self, path: str | None = None) -> QMessageBox | None:
        """Add the case a PDF summary carries and open it; a refusal or a downgrade to an unsigned
        draft is also said in a message box that does not block (returned)."""
        from ui.window import pdf_commands

        return pdf_commands.import_pdf(self, path)

    def show_insights(self) -> None:
        """The Insights page (built on first use; the case being filled is saved first)."""
        if self.list_page is None:
            return
        from ui.insights.page import InsightsPage

        if self.filling is not None and self.stack.currentWidget() is self.filling:
            self.filling.autosaver.save_in_background()
        page = self.insights
        if page is None:
            page = self.insights = InsightsPage(self.services)
            self.stack.addWidget(page)
        else:
            page.fill_choices()
        self.stack.setCurrentWidget(page)
        self.update_actions()
        page.refresh()

    def show_templates(self) -> None:
        from ui.templates import TemplateManager

        manager = self.template_manager
        if manager is None:
            manager = TemplateManager(self.services, self)  # a QMainWindow: its own window
            manager.templates_changed.connect(self.list_page.refresh)
            self.template_manager = manager
        manager.show()
        manager.raise_()
        manager.activateWindow()

    def show_training(self) -> None:
        from ui.training import TrainingWindow

        training = getattr(self, "training_window", None)
        if training is None:
            training = TrainingWindow(self.services, self)  # a QMainWindow: its own window
            self.training_window = training
        training.show()
        training.raise_()
        training.activateWindow()

    def show_audit(self, for_case: bool = False) -> None:
        from ui.audit_view import AuditDialog

        record = None
        if for_case and self.filling is not None:
            self.filling.flush()
            record = self.filling.record
        dialog = AuditDialog(self.services, record.id if record else None,
                             record.facts.case_reference if record else "", self)
        self.audit_dialog = dialog
        dialog.show()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from app import __version__

        QMessageBox.about(self, _("About Likvärd"), _(
            "<h3>Likvärd {version}</h3>"
            "<p>Equal-opportunity checklists for credit agents and business advisors.</p>"
            "<p>Record the facts of a case, answer the checklist, and see which answers may be a sign of "
            "unequal treatment of women and men, and why.</p>"
            "<p>Modelled on the practice of the credit guarantee union of Västra Götaland: training plus a "
            "checklist, so that equal treatment in lending is practised, not only discussed.</p>").format(
                version=__version__))

    def load_demo_cases(self, count: int | None = None) -> None:
        """Add demo cases off the UI thread, with a progress dialog."""
        from ui.window.demo import DEMO_COUNT, load_demo_cases

        load_demo_cases(self, DEMO_COUNT if count is None else count)

    # --- state ---------------------------------------------------------------------------

    def _restore_last_case(self) -> None:
        case_id = state.last_case()
        if case_id is not None:
            QTimer.singleShot(0, lambda: self._reopen(case_id))  # after the window is shown

    def _reopen(self, case_id: uuid.UUID) -> None:
        try:
            self.services.assessments.get(case_id)
        except LikvardError:
            return
        self.open_case(case_id)

    def save_state(self) -> None:
        if self.services is None:
            return  # closed before the database was open: keep the last view for next time
        state.save_state(self)

    _discard_unsaved = False

    def _saved_before_close(self, ok: bool) -> None:
        from ui.filling import ask_unsaved_on_close

        if ok:
            QTimer.singleShot(0, self.close)
        elif self.filling is not None:
            choice = ask_unsaved_on_close(self, self.filling.autosaver)
            if choice == "retry":
                self.filling.autosaver.save_in_background(then=self._saved_before_close)
            elif choice == "discard":
                self._discard_unsaved = True
                QTimer.singleShot(0, self.close)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        if self._closing_for_successor:  # rebuilt in another language: all is saved
            event.accept()
            return

        if self.filling is not None and self.filling.autosaver.unsaved and not self._discard_unsaved:
            event.ignore()  # store off the UI thread first, then close (or ask)
            self.filling.autosaver.save_in_background(then=self._saved_before_close)
            return
        self.save_state()
        tasks.wait_for_all()
        event.accept()
        super().closeEvent(event)




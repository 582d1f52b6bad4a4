"""Settings: the profile recorded with each change, the UI language, where the data lives."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.enums import LANGUAGE_CODES, LANGUAGE_NAMES
from app.fileio import describe_os_error
from app.i18n import _, normalize_language
from app.services import Services
from app.settings import Settings
from ui.style import make_heading
from ui.widgets import ErrorLabel, guard_wheel


class SettingsDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.language_changed = False
        settings = services.settings
        self.setWindowTitle(_("Settings"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 14)
        outer.setSpacing(12)
        heading = QLabel(_("Settings"))
        make_heading(heading)
        outer.addWidget(heading)

        # Three tabs keep the dialog within a 1366×768 laptop screen (it was ~850 px tall).
        tabs = QTabWidget()
        tabs.setDocumentMode(True)
        general_page, pdf_page, data_page = QWidget(), QWidget(), QWidget()
        general, pdf_layout, data_layout = QVBoxLayout(general_page), QVBoxLayout(pdf_page), QVBoxLayout(data_page)
        tabs.addTab(general_page, _("&Profile and language"))
        tabs.addTab(pdf_page, _("P&DF and signatures"))
        tabs.addTab(data_page, _("D&ata"))
        self.tabs = tabs

        profile = QGroupBox(_("Your profile"))
        form = QFormLayout(profile)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name = QLineEdit(settings.name)
        self.name.setAccessibleName(_("Name"))
        self.name.setPlaceholderText(_("e.g. Anna Lindqvist"))
        form.addRow(_("&Name"), self.name)
        self.organisation = QLineEdit(settings.organisation)
        self.organisation.setAccessibleName(_("Organisation"))
        form.addRow(_("&Organisation"), self.organisation)
        self.branch = QLineEdit(settings.branch)
        self.branch.setAccessibleName(_("Branch"))
        form.addRow(_("&Branch"), self.branch)
        from app.services.insights import ROLE_LABELS, ROLES

        self.role = QComboBox()
        self.role.setAccessibleName(_("Role"))
        for code in ROLES:
            self.role.addItem(_(ROLE_LABELS[code]), code)
        self.role.setCurrentIndex(max(self.role.findData(settings.role), 0))
        form.addRow(_("&Role"), self.role)
        note = QLabel(_("Your name is recorded with every change you make and filled in as the advisor of new cases."))
        note.setObjectName("hint")
        note.setWordWrap(True)
        form.addRow(note)
        general.addWidget(profile)

        appearance = QGroupBox(_("Language"))
        form2 = QFormLayout(appearance)
        form2.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language of the application"))
        self.language.addItem(_("System language"), "")
        for code in LANGUAGE_CODES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        index = self.language.findData(normalize_language(settings.language) if settings.language else "")
        self.language.setCurrentIndex(max(index, 0))
        form2.addRow(_("&Language"), self.language)
        self.restart_note = QLabel(_("The window is rebuilt in the new language when you save; your work is kept."))
        self.restart_note.setObjectName("hint")
        self.restart_note.setWordWrap(True)
        self.restart_note.setVisible(False)
        self.language.currentIndexChanged.connect(
            lambda _i: self.restart_note.setVisible(self.language.currentData() != (settings.language or "")))
        form2.addRow(self.restart_note)
        general.addWidget(appearance)
        general.addStretch(1)

        pdf = QGroupBox(_("PDF summaries and signatures"))
        form4 = QFormLayout(pdf)
        form4.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        logo_row = QHBoxLayout()
        self.logo = QLineEdit(settings.logo_path)
        self.logo.setAccessibleName(_("Organisation logo"))
        self.logo.setPlaceholderText(_("No logo"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse_logo)
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        # a label made by addRow(text, layout) has no buddy and would show its "&" literally
        logo_label = QLabel(_("Organisation &logo"))
        logo_label.setBuddy(self.logo)
        form4.addRow(logo_label, logo_row)
        from ui.pdf import TrustListWidget

        self.trust = TrustListWidget(services)
        form4.addRow(_("Trusted certificates"), self.trust)
        pdf_layout.addWidget(pdf)
        pdf_layout.addStretch(1)

        data = QGroupBox(_("Data"))
        form3 = QFormLayout(data)
        form3.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.database = QLineEdit(str(services.db.path or services.db.url))
        self.database.setReadOnly(True)
        self.database.setAccessibleName(_("Database file"))
        self.database.setCursorPosition(0)
        self.database.setToolTip(self.database.text())
        form3.addRow(_("Database file"), self.database)
        db_note = QLabel(_("Everything is stored on this computer. Start Likvärd with --db PATH to use another file."))
        db_note.setObjectName("hint")
        db_note.setWordWrap(True)
        form3.addRow(db_note)
        data_layout.addWidget(data)
        data_layout.addStretch(1)
        outer.addWidget(tabs, 1)

        self.error = ErrorLabel()
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        self.save_button.setProperty("primary", True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        guard_wheel(self)
        self.name.setFocus()
        self.setMinimumWidth(min(self.fontMetrics().horizontalAdvance("M") * 50,
                                 self.screen().availableSize().width() if self.screen() else 10**6))
        self.resize(self.sizeHint())

    def _browse_logo(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        start = self.logo.text() or str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(self, _("Organisation logo"), start, _("Images (*.png *.jpg *.jpeg)"))
        if path:
            self.logo.setText(path)

    def accept(self) -> None:
        from pathlib import Path

        old = self.services.settings
        logo = self.logo.text().strip()
        if logo and not Path(logo).is_file():
            self.error.show_message(_("The logo file {path} does not exist.").format(path=logo))
            return
        settings = Settings(
            name=self.name.text().strip(), organisation=self.organisation.text().strip(),
            branch=self.branch.text().strip(), language=self.language.currentData() or "",
            logo_path=logo, role=self.role.currentData() or old.role, backup_keep_days=old.backup_keep_days,
            extra=dict(old.extra),
        )
        try:
            settings.save()
        except OSError as exc:
            self.error.show_message(_("The settings could not be saved: {error}").format(error=describe_os_error(exc)))
            return
        self.language_changed = settings.language != old.language
        self.services.settings = settings
        # the actor recorded with every change follows the profile at once
        self.services.actor = settings.actor
        self.services.assessments.actor = settings.actor
        self.services.templates.actor = settings.actor
        self.services.records.actor = settings.actor
        super().accept()

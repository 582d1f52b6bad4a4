"""Check a signed PDF against the trust list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import LikvardError
from app.i18n import _, format_datetime, get_language
from ui import tasks
from ui.style import ERROR, SUCCESS, make_heading


class VerifyDialog(QDialog):
    """Check a signed PDF: signer, signing time, integrity and trust, against the trust list."""

    def __init__(self, parent: QWidget | None = None, path: str | None = None, services: Any = None) -> None:
        super().__init__(parent)
        if services is None:  # verification needs no database
            from app.services import offline_services

            services = offline_services()
        self.verification = services.verification
        self.setWindowTitle(_("Verify a PDF"))
        self.result: Any = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit(path or "")
        self.path.setAccessibleName(_("PDF file to verify"))
        self.path.setPlaceholderText(_("Choose a PDF summary\u2026"))
        browse = QPushButton(_("Browse\u2026"))
        browse.clicked.connect(self.browse)
        self.verify_button = QPushButton(_("Verify"))
        self.verify_button.setProperty("primary", True)
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.verify_button)
        layout.addLayout(row)
        self.verdict = QLabel(_("Choose a file and press Verify."))
        self.verdict.setWordWrap(True)
        make_heading(self.verdict, 1.15)
        layout.addWidget(self.verdict)
        self.details = QTreeWidget()
        self.details.setAccessibleName(_("Signatures"))
        self.details.setHeaderLabels([_("Signer"), _("Organisation"), _("Signed on"), _("Integrity"), _("Trust")])
        self.details.setRootIsDecorated(False)
        self.details.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.details, 1)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setObjectName("muted")
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 380)

    def browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Verify a PDF"), str(Path.home()), _("PDF files (*.pdf)"))
        if path:
            self.path.setText(path)
            self.verify()

    def verify(self) -> None:
        path = self.path.text().strip()
        if not path:
            return
        self.verify_button.setEnabled(False)
        self.verdict.setText(_("Checking\u2026"))

        verification = self.verification

        def work() -> Any:
            return verification.verify(path)

        tasks.run_in_background(work, on_done=self.show_result, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.verdict.setText(exc.message if isinstance(exc, LikvardError) else str(exc))

    def show_result(self, result: Any) -> None:
        from app.services.keys import INTEGRITY_LABELS, TRUST_LABELS

        self.result = result
        self.verify_button.setEnabled(True)
        headlines = {
            "intact": _("\u2714 The signature is valid and the document has not been changed since it was signed."),
            "altered": _("\u2716 The document was changed after it was signed, or a signature is invalid."),
            "unsigned": _("This PDF has no digital signature."),
            "unreadable": _("This file cannot be read as a PDF."),
        }
        self.verdict.setText(headlines.get(result.state, result.state))
        colour = SUCCESS if result.state == "intact" else ERROR
        self.verdict.setStyleSheet(f"color: {colour};")
        self.details.clear()
        problems = []
        for sig in result.signatures:
            when = format_datetime(sig.signing_time, get_language()) if sig.signing_time else "\u2013"
            row = QTreeWidgetItem([sig.signer, sig.organisation, when, _(INTEGRITY_LABELS.get(sig.integrity, sig.integrity)),
                                   _(TRUST_LABELS.get(sig.trust, sig.trust))])
            row.setToolTip(0, sig.subject)
            self.details.addTopLevelItem(row)
            problems += sig.problems
        if result.error:
            problems.insert(0, result.error)
        self.problems.setText("\n".join(problems))

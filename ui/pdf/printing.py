"""Print a PDF summary: choose a printer, rasterise off the UI thread, paint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from app.i18n import _
from ui import tasks


def render_pages(path: str | Path, dpi: int = 200) -> list[tuple[bytes, int, int]]:
    """Rasterise every page of a PDF (worker thread: no Qt objects). Returns (RGB bytes, width, height)."""
    import pypdfium2 as pdfium

    pages = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            bitmap = pdf[index].render(scale=dpi / 72)
            image = bitmap.to_pil().convert("RGB")
            pages.append((image.tobytes(), image.width, image.height))
    finally:
        pdf.close()
    return pages


def print_pdf(parent: QWidget, path: str | Path, printer: Any = None, *, temporary: bool = False) -> None:
    """Print a PDF: choose a printer (QPrintDialog), rasterise off the UI thread, then paint.

    ``temporary``: the PDF was made only for printing; its folder is removed afterwards.
    """
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    def discard() -> None:
        if temporary:
            import shutil

            shutil.rmtree(Path(path).parent, ignore_errors=True)

    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(_("Print the summary"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            discard()
            return
    progress = QProgressDialog(_("Preparing the pages\u2026"), "", 0, 0, parent)
    progress.setWindowTitle(_("Print"))
    progress.setCancelButton(None)
    progress.setMinimumDuration(300)
    progress.setWindowModality(Qt.WindowModality.WindowModal)

    def paint(pages: list[tuple[bytes, int, int]]) -> None:
        progress.close()
        discard()
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(parent, _("Print"), _("The printer could not be started."))
            return
        try:
            for n, (data, width, height) in enumerate(pages):
                if n:
                    printer.newPage()
                image = QImage(data, width, height, width * 3, QImage.Format.Format_RGB888)
                area = QRectF(painter.viewport())
                scale = min(area.width() / width, area.height() / height)
                target = QRectF(0, 0, width * scale, height * scale)
                painter.drawImage(target, image)
        finally:
            painter.end()

    def failed(exc: BaseException) -> None:
        progress.close()
        discard()
        QMessageBox.warning(parent, _("Print"), _("The PDF could not be printed: {error}").format(error=exc))

    tasks.run_in_background(lambda: render_pages(path), on_done=paint, on_error=failed)

"""PDF summaries in the desktop app: export, sign and export, open, print, verify, trust list.

One dialog per module. The work (rendering, signing, verifying, rasterising for the printer) runs
off the UI thread through ui.tasks; the dialogs only collect choices and show results, and call
only services (identities, trust list and verification included).
"""

from ui.pdf.export import ExportPdfDialog
from ui.pdf.helpers import import_identity_interactively, open_in_viewer, suggested_name
from ui.pdf.new_identity import NewIdentityDialog
from ui.pdf.printing import print_pdf, render_pages
from ui.pdf.revisions import RevisionsDialog
from ui.pdf.signature import SignatureDialog
from ui.pdf.trust_list import TrustListWidget
from ui.pdf.verify import VerifyDialog

__all__ = [
    "ExportPdfDialog", "NewIdentityDialog", "RevisionsDialog", "SignatureDialog", "TrustListWidget", "VerifyDialog",
    "import_identity_interactively", "open_in_viewer", "print_pdf", "render_pages", "suggested_name",
]

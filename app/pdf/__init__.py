"""PDF summaries (reportlab), signing identities, PAdES signing and verification (pyHanko).

No Qt here. Heavy imports (reportlab, pyHanko) happen inside the modules that need them, so
importing ``app.pdf.strokes`` or ``app.pdf.identity`` stays cheap.
"""

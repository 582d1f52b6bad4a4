"""The PySide6 desktop client. Holds no business rules: it calls app.services."""

"""The schema revision this code writes, and the SQLite file header: needed by the database layer
and by the read-only first page of the case list (app/storage/quick.py), which must not import
SQLAlchemy or Alembic."""

from __future__ import annotations

#: The newest migration this code knows; a test checks it against the migration scripts.
HEAD_REVISION = "0014"
SQLITE_MAGIC = b"SQLite format 3\x00"

"""import report: what a partial spreadsheet import left out, kept with the version it made

A nullable JSON column on ``template_versions`` (JSON on SQLite, JSON on PostgreSQL too): the
skipped rows (sheet, row, reason, kind), the file name and the map of item key -> survey row, so
the template editor can reopen the report and lead from a row to the item it concerns.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 07:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('template_versions', sa.Column('import_report', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('template_versions') as batch:  # SQLite drops a column by copying the table
        batch.drop_column('import_report')

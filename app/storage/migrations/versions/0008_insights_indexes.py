"""insights indexes: one covering index for the grouped insights pass, one for amended cases

``ix_assessments_insights`` starts with the status (every insights query asks for completed or
signed cases, so SQLite chooses it even on a database never ANALYZEd) and then holds the
category columns and the numeric facts the indicators read: the grouped pass and the share
distribution read the index alone, never the wide case rows. ``ix_assessments_amending`` is a
partial index of the few amendments: the set of superseded cases is read from it instead of a
scan of the whole table. Both are plain or partial B-tree indexes, the same on PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 05:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

INSIGHTS_COLUMNS = ['status', 'ownership', 'decision', 'collateral_required', 'personal_guarantee_required',
                    'flag_count', 'amount_requested', 'amount_granted', 'interest_rate', 'case_date',
                    'decision_date', 'score', 'id']


def upgrade() -> None:
    op.create_index('ix_assessments_insights', 'assessments', INSIGHTS_COLUMNS, unique=False)
    op.create_index('ix_assessments_amending', 'assessments', ['status', 'amends_id'], unique=False,
                    sqlite_where=sa.text('amends_id IS NOT NULL'), postgresql_where=sa.text('amends_id IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_assessments_amending', table_name='assessments')
    op.drop_index('ix_assessments_insights', table_name='assessments')

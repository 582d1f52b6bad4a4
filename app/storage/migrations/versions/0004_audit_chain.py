"""audit chain: every event gets a sequence number, the previous entry's MAC and its own MAC

The MACs are computed by the application (app.storage.audit) with a per-database key kept
outside the database, so this migration only adds the columns: the entries that exist before it
are sealed (chained) on the first open by this version, and that sealing is itself an event
("audit.sealed").

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 19:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_mac', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
        batch_op.create_index('uq_events_seq', ['seq'], unique=True)
        batch_op.create_index('ix_events_kind', ['kind'], unique=False)
        batch_op.create_index('ix_events_at', ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_at')
        batch_op.drop_index('ix_events_kind')
        batch_op.drop_index('uq_events_seq')
        batch_op.drop_column('mac')
        batch_op.drop_column('prev_mac')
        batch_op.drop_column('seq')

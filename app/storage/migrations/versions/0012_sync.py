"""sync: laptops push their cases and audit events to the shared server (team mode)

``events.origin``: who wrote an entry of the audit log. ``''`` for the entries of this database
itself (its own chain, sealed with its own key); on the server, a laptop's installation id for the
entries that laptop pushed (their ``seq``, ``prev_mac`` and ``mac`` kept as the laptop sealed them,
so the laptop's chain stays verifiable with the laptop's key). The sequence numbers are unique per
origin (``uq_events_origin_seq`` replaces ``uq_events_seq``), and the local chain only ever reads
origin ``''``.

``sync_records``: on a laptop, what was last pushed to (or pulled from) each server, with the hash
of the content then: a case ("case"), a signed PDF ("document"), an exercise pulled ("exercise").
Written only after the server committed the batch.

``sync_conflicts``: the conflicts the last syncs found and the user must look at (never resolved
silently); a conflict that is gone at a later sync is removed then.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('origin', sa.String(length=64), nullable=False, server_default=''))
    op.drop_index('uq_events_seq', table_name='events')
    op.create_index('uq_events_origin_seq', 'events', ['origin', 'seq'], unique=True)
    op.create_table(
        'sync_records',
        sa.Column('server', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('entity_id', sa.Uuid(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('synced_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('server', 'kind', 'entity_id'),
    )
    op.create_table(
        'sync_conflicts',
        sa.Column('server', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('entity_id', sa.Uuid(), nullable=False),
        sa.Column('reference', sa.String(length=300), nullable=False, server_default=''),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False, server_default=''),
        sa.Column('laptop_hash', sa.String(length=64), nullable=False, server_default=''),
        sa.Column('server_hash', sa.String(length=64), nullable=False, server_default=''),
        sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('server', 'kind', 'entity_id'),
    )


def downgrade() -> None:
    op.drop_table('sync_conflicts')
    op.drop_table('sync_records')
    op.drop_index('uq_events_origin_seq', table_name='events')
    op.create_index('uq_events_seq', 'events', ['seq'], unique=True)
    with op.batch_alter_table('events') as batch:
        batch.drop_column('origin')

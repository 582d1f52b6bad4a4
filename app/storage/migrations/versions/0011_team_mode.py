"""team mode: who pushed a case to the shared server, and who may see what there

``assessments.owner``: the server login that pushed the case (set by the sync on the server; NULL
on a laptop). Row-level security on the server compares it with ``current_user``.

``team_members``: one row per server login: its role (agent, advisor, trainer; app.enums.TeamRole),
its branch and the name shown. Empty on a laptop; the server's policies read it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('assessments', sa.Column('owner', sa.String(length=63), nullable=True))
    op.create_index('ix_assessments_owner', 'assessments', ['owner'], unique=False)
    op.create_table(
        'team_members',
        sa.Column('login', sa.String(length=63), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('branch', sa.String(length=200), nullable=False, server_default=''),
        sa.Column('display_name', sa.String(length=200), nullable=False, server_default=''),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('login'),
    )


def downgrade() -> None:
    op.drop_table('team_members')
    op.drop_index('ix_assessments_owner', table_name='assessments')
    with op.batch_alter_table('assessments') as batch:
        batch.drop_column('owner')

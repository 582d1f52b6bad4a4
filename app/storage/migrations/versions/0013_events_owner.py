"""events.owner: on the shared server, the login that added an audit entry

Row-level security lets each login read back the audit entries it pushed (the sync compares a
laptop's entries with the server's by origin and number), so the server must know whose they are:
a trigger of ``likvard server init`` sets ``owner`` to ``current_user`` on every insert (a client
cannot claim another's). NULL on a laptop.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('events', sa.Column('owner', sa.String(length=63), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.drop_column('owner')

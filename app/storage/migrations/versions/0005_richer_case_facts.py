"""richer case facts: meeting type, complete application, collateral value, guarantee, standard rate

Every column is nullable and added empty, so every existing case is kept as it was: an unset new
fact is left out of the case's signed content, whose hash therefore does not change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = (
    ('meeting_type', sa.String(length=20)),
    ('application_complete', sa.Boolean()),
    ('collateral_value', sa.BigInteger()),  # ScaledDecimal(2)
    ('guarantee_amount', sa.BigInteger()),  # ScaledDecimal(2)
    ('guarantor', sa.String(length=30)),
    ('standard_rate', sa.BigInteger()),  # ScaledDecimal(4)
)


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default): no table rebuild, the partial unique index stays.
    for name, type_ in COLUMNS:
        op.add_column('assessments', sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        for name, _type in reversed(COLUMNS):
            batch_op.drop_column(name)

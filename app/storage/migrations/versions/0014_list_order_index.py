"""the case list's order as an index: the newest-changed counted cases first, read in order

The case list opens in its default order, the last changed first, over the counted cases
(``training_exercise_id IS NULL``). With only ``ix_assessments_updated_at`` SQLite looked up every
row for the training test and sorted the ties on ``id`` in a temporary B-tree: about 4 ms for the
first 200 of 10 000 cases whose times are equal (a sync or an import writes many in the same
instant), 7.6 ms for all of them, on the path that fills the first screen at start-up. This index
is partial like the insights one (the training answers are not in it) and holds the list's order,
``updated_at`` then ``id``; a descending sort now breaks ties by ``id`` descending too
(``ORDER BY updated_at DESC, id DESC``), so it is the index read backwards: the first page is its
last entries (0.05 ms), the whole list needs no sort (2.8 ms). The same on PostgreSQL, whose
B-tree indexes are read backwards as well.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

COUNTED = 'training_exercise_id IS NULL'


def upgrade() -> None:
    op.create_index('ix_assessments_listed', 'assessments', ['updated_at', 'id'], unique=False,
                    sqlite_where=sa.text(COUNTED), postgresql_where=sa.text(COUNTED))


def downgrade() -> None:
    op.drop_index('ix_assessments_listed', table_name='assessments')

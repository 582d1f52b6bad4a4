"""insights index, partial and in grouping order: the counted cases' index, read alone and in order

0008's ``ix_assessments_insights`` began with the status and did not hold
``training_exercise_id``. Since 0007 every insights query also asks for ``training_exercise_id IS
NULL`` (a trainee's answers never count), so the index no longer covered the query and SQLite
scanned the whole table, then sorted every case for the GROUP BY (about 290 ms of the 390 ms the
indicator set took over 100 000 cases).

The new index is **partial** (``WHERE training_exercise_id IS NULL``: the training answers are not
in it at all) and **in the order of the grouped pass** (ownership, decision, collateral, guarantee,
flag count), so the grouped pass reads it in order and needs no sort; then the numeric facts the
indicators sum, the status, the id (for the superseded-case test) and the filter columns (branch,
advisor, sector, template version), so a filtered view is still read from the index alone. The
predicate has no literal the query must repeat (SQLite uses a partial index only when the query's
WHERE implies the index's; a bound ``status IN (?, ?)`` would not). A plain partial B-tree index,
the same on PostgreSQL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD_COLUMNS = ['status', 'ownership', 'decision', 'collateral_required', 'personal_guarantee_required',
               'flag_count', 'amount_requested', 'amount_granted', 'interest_rate', 'case_date',
               'decision_date', 'score', 'id']
COLUMNS = ['ownership', 'decision', 'collateral_required', 'personal_guarantee_required', 'flag_count',
           'amount_requested', 'amount_granted', 'interest_rate', 'case_date', 'decision_date', 'score',
           'status', 'id', 'branch', 'advisor', 'sector', 'template_version_id', 'training_exercise_id']
COUNTED = 'training_exercise_id IS NULL'


def upgrade() -> None:
    op.drop_index('ix_assessments_insights', table_name='assessments')
    op.create_index('ix_assessments_insights', 'assessments', COLUMNS, unique=False,
                    sqlite_where=sa.text(COUNTED), postgresql_where=sa.text(COUNTED))


def downgrade() -> None:
    op.drop_index('ix_assessments_insights', table_name='assessments')
    op.create_index('ix_assessments_insights', 'assessments', OLD_COLUMNS, unique=False)

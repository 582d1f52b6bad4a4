"""training exercises: exercises, trainees' attempts, and training assessments marked as such

A training assessment (a trainee's answers) points at its exercise through
``assessments.training_exercise_id``; every existing case keeps NULL there (a real case).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exercises',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('template_key', sa.String(length=64), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    # Plain ADD COLUMN (nullable, no foreign key): no rebuild of assessments, whose partial unique
    # index stays; the exercise service keeps the link consistent.
    op.add_column('assessments', sa.Column('training_exercise_id', sa.Uuid(), nullable=True))
    op.create_table('exercise_attempts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('exercise_id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('trainee', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agreement', sa.Double(), nullable=True),
    sa.Column('flag_agreement', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_exercise_attempts_exercise', 'exercise_attempts', ['exercise_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_exercise_attempts_exercise', table_name='exercise_attempts')
    op.drop_table('exercise_attempts')
    op.execute("DELETE FROM assessments WHERE training_exercise_id IS NOT NULL")
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('training_exercise_id')
    op.drop_table('exercises')

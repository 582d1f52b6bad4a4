"""signing and revisions: signed, locked assessments, amendments, signed PDF documents

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 03:20:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('amends_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('signed_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signed_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('signature_drawing', sa.JSON(), nullable=True))
        batch_op.create_foreign_key('fk_assessments_amends_id', 'assessments', ['amends_id'], ['id'])
        batch_op.create_unique_constraint('uq_assessments_amends_id', ['amends_id'])
        batch_op.create_index('ix_assessments_amends_id', ['amends_id'], unique=False)

    op.create_table('signed_documents',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('signer', sa.String(length=300), nullable=False),
    sa.Column('certificate_sha256', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signed_documents', schema=None) as batch_op:
        batch_op.create_index('ix_signed_documents_assessment', ['assessment_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signed_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_signed_documents_assessment')
    op.drop_table('signed_documents')

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_amends_id')
        batch_op.drop_constraint('uq_assessments_amends_id', type_='unique')
        batch_op.drop_constraint('fk_assessments_amends_id', type_='foreignkey')
        batch_op.drop_column('signature_drawing')
        batch_op.drop_column('signed_hash')
        batch_op.drop_column('signed_by')
        batch_op.drop_column('signed_at')
        batch_op.drop_column('amends_id')
        batch_op.drop_column('revision')

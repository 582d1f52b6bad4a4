"""unique case reference: one case per reference in a database (revisions share their original's)

Earlier releases accepted the same reference twice. Existing duplicates are kept, none is lost:
of the root cases sharing a reference, the first signed one (else the first completed, else the
oldest) keeps it; a later one that is not signed is renamed "REF (2)", "REF (3)", ... and an
event records the old and new reference. A signed case never changes (its content hash covers
the reference), so a later *signed* duplicate keeps its reference and is told apart by
``reference_duplicate`` (its number in the group), which only such old rows ever have.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 18:40:00.000000
"""

import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

REFERENCE_LENGTH = 100
_STATUS_RANK = {"signed": 0, "completed": 1}


def _free_name(reference: str, taken: set[str]) -> str:
    n = 2
    while True:
        suffix = f" ({n})"
        name = reference[:REFERENCE_LENGTH - len(suffix)] + suffix
        if name not in taken:
            return name
        n += 1


def upgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference_duplicate', sa.Integer(), server_default='0', nullable=False))

    conn = op.get_bind()
    roots = conn.execute(sa.text(
        "select id, case_reference, status, created_at from assessments where amends_id is null")).fetchall()
    groups: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row_id, reference, status, created_at in roots:
        groups[reference].append((row_id, status, created_at or ""))
    taken = {reference for _id, reference, _status, _created in roots}
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    for reference, rows in sorted(groups.items()):
        if len(rows) < 2:
            continue
        rows.sort(key=lambda r: (_STATUS_RANK.get(r[1], 2), r[2], r[0]))
        for position, (row_id, status, _created) in enumerate(rows[1:], start=2):
            if status == "signed":
                conn.execute(sa.text("update assessments set reference_duplicate = :n where id = :id"),
                             {"n": position, "id": row_id})
                payload = {"reference_kept": True, "duplicate": position}
            else:
                new = _free_name(reference, taken)
                taken.add(new)
                conn.execute(sa.text("update assessments set case_reference = :ref where id = :id"),
                             {"ref": new, "id": row_id})
                payload = {"old_reference": reference, "new_reference": new}
            conn.execute(sa.text(
                "insert into events (id, at, kind, entity_id, actor, payload) values (:id, :at, :kind, :entity, '', :p)"),
                {"id": uuid.uuid4().hex, "at": now, "kind": "assessment.duplicate_reference", "entity": row_id,
                 "p": json.dumps(payload, ensure_ascii=False)})

    op.create_index('uq_assessments_root_reference', 'assessments', ['case_reference', 'reference_duplicate'],
                    unique=True, sqlite_where=sa.text('amends_id IS NULL'),
                    postgresql_where=sa.text('amends_id IS NULL'))


def downgrade() -> None:
    op.drop_index('uq_assessments_root_reference', table_name='assessments')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('reference_duplicate')

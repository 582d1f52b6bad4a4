"""item flags: which checklist items each assessment flagged, so insights count them in SQL

The table is filled from the existing assessments: each one is evaluated once with its template
version, facts and answers (the same rules the application uses).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:20:00.000000
"""

import json
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_FACTS = ("case_reference", "case_date", "advisor", "branch", "ownership", "sector", "legal_form",
          "amount_requested", "amount_granted", "currency", "collateral_required",
          "personal_guarantee_required", "interest_rate", "decision", "decision_date")
_SCALES = {"amount_requested": 2, "amount_granted": 2, "interest_rate": 4}


def _fact(name, value):
    if value is None:
        return None
    if name in _SCALES:
        return Decimal(value) / (10 ** _SCALES[name])
    if name in ("case_date", "decision_date") and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if name in ("collateral_required", "personal_guarantee_required"):
        return bool(value)
    return value


def upgrade() -> None:
    op.create_table('item_flags',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('item_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'item_key')
    )
    op.create_index('ix_item_flags_item_key', 'item_flags', ['item_key'], unique=False)

    from app.domain.assessment import Evaluation
    from app.domain.facts import CaseFacts
    from app.domain.template import parse_template

    conn = op.get_bind()
    contents = {}
    for version_id, content in conn.execute(sa.text("select id, content from template_versions")):
        try:
            contents[version_id] = parse_template(json.loads(content) if isinstance(content, str) else content)
        except Exception:  # a template this code cannot read flags nothing
            contents[version_id] = None
    answers = {}
    for assessment_id, key, value in conn.execute(sa.text("select assessment_id, item_key, value from answers")):
        value = json.loads(value) if isinstance(value, str) else value
        if value is not None:
            answers.setdefault(assessment_id, {})[key] = value
    table = sa.table('item_flags', sa.column('assessment_id'), sa.column('item_key'))
    rows = []
    query = "select id, template_version_id, " + ", ".join(_FACTS) + " from assessments"
    for row in conn.execute(sa.text(query)):
        content = contents.get(row[1])
        if content is None:
            continue
        facts = CaseFacts(**{name: _fact(name, value) for name, value in zip(_FACTS, row[2:], strict=True)})
        evaluation = Evaluation(content, facts, answers.get(row[0], {}))
        rows += [{"assessment_id": row[0], "item_key": flag.item_key} for flag in evaluation.flags()]
    if rows:
        conn.execute(table.insert(), rows)


def downgrade() -> None:
    op.drop_index('ix_item_flags_item_key', table_name='item_flags')
    op.drop_table('item_flags')

"""ASYE assessment (issue 14): the follow-up of the previous review's actions, a FAIL's reason for
having no earlier concern, the panel's members, and the NQSW's reflection beside an entry someone else
wrote.

Reviewed by hand: four NOT NULL text columns. Existing rows take "" through a server default that is
dropped again, so the schema matches the models (which default in Python).

Revision ID: a14c0e5e1d01
Revises: 879fbec2a5da
Create Date: 2026-12-01 14:15:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a14c0e5e1d01"
down_revision = "879fbec2a5da"
branch_labels = None
depends_on = None

COLUMNS = (
    ("review", "previous_actions_progress"),
    ("outcome", "no_concern_reason"),
    ("outcome", "panel_members"),
    ("evidence_entry", "nqsw_reflection"),
)


def upgrade():
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=""))
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, server_default=None)


def downgrade():
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(column)

"""Optimistic locking (issue 16): a version and a changed time on evidence entries, reviews,
participants and programmes.

Reviewed by hand: existing rows start at version 1 through the server default, which stays (the
models declare it too, so rows inserted in bulk outside the ORM also start at 1).

Revision ID: b7e2c4a91f30
Revises: 5e55107a11fe
Create Date: 2026-12-01 16:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e2c4a91f30"
down_revision = "5e55107a11fe"
branch_labels = None
depends_on = None

TABLES = ("evidence_entry", "review", "participant", "programme")


# Plain ALTER TABLE, not batch mode: SQLite adds and (from 3.35) drops such columns in place, where a batch
# copy would drop tables other tables' foreign keys point at.
def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")))
        op.add_column(table, sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        op.drop_column(table, "changed_at")
        op.drop_column(table, "version")

"""Batches record when they last made progress, so a batch whose worker has gone shows as stopped.

Reviewed by hand: the column is nullable and not backfilled; a batch without it is judged by its
request time, which for batches already finished changes nothing.

Revision ID: 02dc2d9d6079
Revises: 3465ec224d56
Create Date: 2026-11-22 07:39:12.401739

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "02dc2d9d6079"
down_revision = "3465ec224d56"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("batch_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progressed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("batch_job", schema=None) as batch_op:
        batch_op.drop_column("progressed_at")

"""A verifiable audit trail (issue 16): each event's hash over its content and the previous event's
hash, and triggers that refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on audit_event.

Existing events are chained in id order before the columns become NOT NULL and before the triggers
exist. The hash is computed by academy.audit.chain (the same function the app uses), so that a trail
written before this revision verifies the same way as one written after it.

Revision ID: 5b1f0c3a9e27
Revises: 44e8ab0bc62b
Create Date: 2026-12-01 16:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

from academy.audit.chain import GENESIS, event_hash
from academy.audit.models import POSTGRESQL_TRIGGERS, SQLITE_TRIGGERS
from academy.core.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "5b1f0c3a9e27"
down_revision = "44e8ab0bc62b"
branch_labels = None
depends_on = None

EVENTS = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("at", UTCDateTime()),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("subject_type", sa.String),
    sa.column("subject_id", sa.Integer),
    sa.column("participant_id", sa.Integer),
    sa.column("summary", sa.Text),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("previous_hash", sa.String),
    sa.column("hash", sa.String),
)


def _chain_existing_events() -> None:
    connection = op.get_bind()
    previous_hash = GENESIS
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.id)).mappings().all()
    for row in rows:
        own_hash = event_hash(row, previous_hash)
        connection.execute(
            EVENTS.update().where(EVENTS.c.id == row["id"]).values(previous_hash=previous_hash, hash=own_hash)
        )
        previous_hash = own_hash


def upgrade():
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.add_column(sa.Column("previous_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.alter_column("previous_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, []):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_refuse_change()")
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("previous_hash")

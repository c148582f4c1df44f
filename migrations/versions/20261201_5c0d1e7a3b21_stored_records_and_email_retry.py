"""Progression records issued once and kept (stored_record), and notification emails tried again.

Reviewed by hand: one new table; three columns on notification. Existing notifications were either
emailed or logged when they were made, so they take email_pending false and no attempts (a server
default that is dropped again, so the schema matches the models, which default in Python).

Revision ID: 5c0d1e7a3b21
Revises: 5b1f0c3a9e27
Create Date: 2026-12-01 16:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c0d1e7a3b21"
down_revision = "5b1f0c3a9e27"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="batchstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=True),
        sa.Column("issued_document_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("progressed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issued_document_id"],
            ["issued_document.id"],
            name=op.f("fk_stored_record_issued_document_id_issued_document"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_stored_record_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"], name=op.f("fk_stored_record_requested_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_record")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_stored_record_participant_id")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_pending", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("email_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.alter_column("email_pending", server_default=None)
        batch_op.alter_column("email_attempts", server_default=None)
        batch_op.create_index(batch_op.f("ix_notification_email_pending"), ["email_pending"], unique=False)


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_email_pending"))
        batch_op.drop_column("emailed_at")
        batch_op.drop_column("email_attempts")
        batch_op.drop_column("email_pending")
    op.drop_table("stored_record")

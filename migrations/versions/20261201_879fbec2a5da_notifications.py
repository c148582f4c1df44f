"""Notifications of hand-overs, and the kinds each person does not want by email.

Reviewed by hand: two new tables, nothing existing changes. The kind is a VARCHAR(40) with a CHECK
constraint (no native PostgreSQL enum), as everywhere else.

Revision ID: 879fbec2a5da
Revises: d9db34018689
Create Date: 2026-12-01 14:05:21.045897

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "879fbec2a5da"
down_revision = "d9db34018689"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "evidence_submitted",
                "evidence_decided",
                "review_to_sign",
                "outcome",
                "assigned",
                name="notificationkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["recipient_id"], ["user.id"], name=op.f("fk_notification_recipient_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index("ix_notification_recipient_read", ["recipient_id", "read_at"], unique=False)

    op.create_table(
        "notification_email_opt_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "evidence_submitted",
                "evidence_decided",
                "review_to_sign",
                "outcome",
                "assigned",
                name="notificationkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_notification_email_opt_out_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_email_opt_out")),
        sa.UniqueConstraint("user_id", "kind", name=op.f("uq_notification_email_opt_out_user_id_kind")),
    )
    with op.batch_alter_table("notification_email_opt_out", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_email_opt_out_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("notification_email_opt_out", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_email_opt_out_user_id"))

    op.drop_table("notification_email_opt_out")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_recipient_read")
        batch_op.drop_index(batch_op.f("ix_notification_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_notification_created_at"))

    op.drop_table("notification")

"""Outside feedback (issue 20): requests with single-use links, the element each speaks to, visits counted
for rate limits, the academy's on/off setting; evidence given directly by someone outside; a new kind of
notification.

Reviewed by hand: four new tables; evidence_entry.given_on_paper is NOT NULL, so existing rows take false
through a server default that is dropped again (the model defaults in Python); the notification kinds
are a VARCHAR with a CHECK constraint (no native enum), so the new kind only replaces the CHECK, in batch
mode for SQLite.

Revision ID: 44e8ab0bc62b
Revises: b7e2c4a91f30
Create Date: 2026-12-01 16:28:52.072973

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "44e8ab0bc62b"
down_revision = "b7e2c4a91f30"
branch_labels = None
depends_on = None


KINDS = ("evidence_submitted", "evidence_decided", "review_to_sign", "outcome", "assigned")


def _allow_kinds(kinds: tuple[str, ...]) -> None:
    """Replace the CHECK on the notification kind columns so they allow exactly `kinds`."""
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    for table in ("notification", "notification_email_opt_out"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_notificationkind"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_notificationkind"), f"kind IN ({listed})")


def upgrade():
    op.create_table(
        "feedback_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("allowed", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], name=op.f("fk_feedback_settings_updated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_settings")),
    )
    op.create_table(
        "feedback_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "relationship_kind",
            sa.Enum(
                "professional",
                "observer",
                "parent_carer",
                "adult",
                "young_person",
                "child",
                name="relationship",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("recipient_email", sa.String(length=254), nullable=True),
        sa.Column("about", sa.String(length=300), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "sent",
                "opened",
                "answered",
                "expired",
                "withdrawn",
                "on_paper",
                name="requeststate",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("times_sent", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["evidence_entry.id"], name=op.f("fk_feedback_request_entry_id_evidence_entry")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_feedback_request_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["user.id"], name=op.f("fk_feedback_request_requested_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"], ["user.id"], name=op.f("fk_feedback_request_withdrawn_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_request")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feedback_request_token_hash")),
    )
    with op.batch_alter_table("feedback_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_request_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_request_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_request_recipient_email"), ["recipient_email"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_request_state"), ["state"], unique=False)

    op.create_table(
        "feedback_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["feedback_request.id"],
            name=op.f("fk_feedback_hit_request_id_feedback_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_hit")),
    )
    with op.batch_alter_table("feedback_hit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_hit_at"), ["at"], unique=False)
        batch_op.create_index("ix_feedback_hit_remote_addr_at", ["remote_addr", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_hit_request_id"), ["request_id"], unique=False)

    op.create_table(
        "feedback_request_element",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["framework_element.id"],
            name=op.f("fk_feedback_request_element_element_id_framework_element"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["feedback_request.id"],
            name=op.f("fk_feedback_request_element_request_id_feedback_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "element_id", name=op.f("pk_feedback_request_element")),
    )
    with op.batch_alter_table("evidence_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("given_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("given_on_paper", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("evidence_entry", schema=None) as batch_op:
        batch_op.alter_column("given_on_paper", server_default=None)
    _allow_kinds((*KINDS, "feedback_answered"))


def downgrade():
    op.execute(sa.text("DELETE FROM notification WHERE kind = 'feedback_answered'"))
    op.execute(sa.text("DELETE FROM notification_email_opt_out WHERE kind = 'feedback_answered'"))
    _allow_kinds(KINDS)
    with op.batch_alter_table("evidence_entry", schema=None) as batch_op:
        batch_op.drop_column("given_on_paper")
        batch_op.drop_column("given_by")

    op.drop_table("feedback_request_element")
    with op.batch_alter_table("feedback_hit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_hit_request_id"))
        batch_op.drop_index("ix_feedback_hit_remote_addr_at")
        batch_op.drop_index(batch_op.f("ix_feedback_hit_at"))

    op.drop_table("feedback_hit")
    with op.batch_alter_table("feedback_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_request_state"))
        batch_op.drop_index(batch_op.f("ix_feedback_request_recipient_email"))
        batch_op.drop_index(batch_op.f("ix_feedback_request_participant_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_request_expires_at"))

    op.drop_table("feedback_request")
    op.drop_table("feedback_settings")

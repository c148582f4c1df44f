"""Initial schema: accounts, programmes, frameworks, cohorts and participants, evidence and logs,
ratings, reviews, outcomes and concerns, reminders, issued documents and batches, the audit trail.

Reviewed by hand: enums are stored as VARCHAR with CHECK constraints (no native PostgreSQL types,
so values can be added without ALTER TYPE); timestamps are timezone-aware; every constraint has a
name from the metadata naming convention so later migrations can refer to it on SQLite too.

Revision ID: 3465ec224d56
Revises:
Create Date: 2026-11-22 02:49:55.572088

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3465ec224d56"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "framework",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column(
            "service_area",
            sa.Enum(
                "child_family",
                "adults",
                "all",
                name="servicearea",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("previous_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_version_id"], ["framework.id"], name=op.f("fk_framework_previous_version_id_framework")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_framework_code_version")),
    )
    with op.batch_alter_table("framework", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_framework_code"), ["code"], unique=False)

    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempt_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_attempt_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_attempt_remote_addr"), ["remote_addr"], unique=False)

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "service_area",
            sa.Enum(
                "child_family",
                "adults",
                "all",
                name="servicearea",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("length_years", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("name", name=op.f("uq_programme_name")),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
        sa.UniqueConstraint("email", name=op.f("uq_user_email")),
    )
    op.create_table(
        "cohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column(
            "service_area",
            sa.Enum(
                "child_family",
                "adults",
                "all",
                name="servicearea",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned", "active", "closed", name="cohortstatus", native_enum=False, create_constraint=True, length=40
            ),
            nullable=False,
        ),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_cohort_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort")),
        sa.UniqueConstraint("name", name=op.f("uq_cohort_name")),
    )
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "framework_element",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_framework_element_framework_id_framework"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["framework_element.id"],
            name=op.f("fk_framework_element_parent_id_framework_element"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_element")),
        sa.UniqueConstraint("framework_id", "number", name=op.f("uq_framework_element_framework_id_number")),
    )
    with op.batch_alter_table("framework_element", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_framework_element_framework_id"), ["framework_id"], unique=False)

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_invitation_created_by_id_user")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_invitation_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_user_id"), ["user_id"], unique=False)

    op.create_table(
        "milestone_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "agreement",
                "review",
                "final_review",
                "panel",
                "end_of_programme",
                name="milestonekind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("programme_year", sa.Integer(), nullable=False),
        sa.Column("months_due", sa.Integer(), nullable=False),
        sa.Column("is_optional", sa.Boolean(), nullable=False),
        sa.Column("needs_critical_reflection", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_milestone_template_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_template")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_milestone_template_programme_id_code")),
    )
    op.create_table(
        "reminder_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_reminder_log_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_log")),
        sa.UniqueConstraint("user_id", "key", "sent_on", name=op.f("uq_reminder_log_user_id_key_sent_on")),
    )
    with op.batch_alter_table("reminder_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_log_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_role",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("coordinator", "mentor", "nqsw", name="role", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_user_role_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_role")),
    )
    op.create_table(
        "batch_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
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
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], name=op.f("fk_batch_job_cohort_id_cohort")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"], name=op.f("fk_batch_job_requested_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_job")),
    )
    with op.batch_alter_table("batch_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_job_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "cohort_framework",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohort.id"], name=op.f("fk_cohort_framework_cohort_id_cohort"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"], ["framework.id"], name=op.f("fk_cohort_framework_framework_id_framework")
        ),
        sa.PrimaryKeyConstraint("cohort_id", "framework_id", name=op.f("pk_cohort_framework")),
    )
    with op.batch_alter_table("cohort_framework", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_framework_framework_id"), ["framework_id"], unique=False)

    op.create_table(
        "element_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("cross", "version", name="mappingkind", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column("from_element_id", sa.Integer(), nullable=False),
        sa.Column("to_element_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_element_mapping_created_by_id_user")),
        sa.ForeignKeyConstraint(
            ["from_element_id"],
            ["framework_element.id"],
            name=op.f("fk_element_mapping_from_element_id_framework_element"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_element_id"],
            ["framework_element.id"],
            name=op.f("fk_element_mapping_to_element_id_framework_element"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_element_mapping")),
        sa.UniqueConstraint(
            "from_element_id", "to_element_id", name=op.f("uq_element_mapping_from_element_id_to_element_id")
        ),
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("fte", sa.Numeric(precision=3, scale=2), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("swe_number", sa.String(length=20), nullable=False),
        sa.Column(
            "employment_type",
            sa.Enum(
                "permanent",
                "fixed_term",
                "agency",
                name="employmenttype",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "enrolled",
                "active",
                "paused",
                "completed",
                "failed",
                "left",
                "withdrawn",
                name="participantstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("programme_year", sa.Integer(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("fte >= 0.1 AND fte <= 1.0", name=op.f("ck_participant_fte_range")),
        sa.CheckConstraint("programme_year BETWEEN 1 AND 3", name=op.f("ck_participant_programme_year_range")),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], name=op.f("fk_participant_cohort_id_cohort")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_participant_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sa.UniqueConstraint("user_id", "cohort_id", name=op.f("uq_participant_user_id_cohort_id")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_user_id"), ["user_id"], unique=False)

    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "assessor",
                "mentor",
                "line_manager",
                name="assignmentkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("handover_note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_assignment_dates_order")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_assignment_created_by_id_user")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_assignment_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_assignment_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_user_id"), ["user_id"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject_type", sa.String(length=60), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], name=op.f("fk_audit_event_actor_id_user")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_audit_event_participant_id_participant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "caseload_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_caseload_snapshot_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_caseload_snapshot_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caseload_snapshot")),
    )
    with op.batch_alter_table("caseload_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_caseload_snapshot_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index("ix_caseload_snapshot_participant_taken", ["participant_id", "taken_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_caseload_snapshot_taken_on"), ["taken_on"], unique=False)

    op.create_table(
        "concern",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("action_plan", sa.Text(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_concern_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["raised_by_id"], ["user.id"], name=op.f("fk_concern_raised_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern")),
    )
    with op.batch_alter_table("concern", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_concern_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "evidence_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "direct_observation",
                "feedback_person_using_services",
                "feedback_professional",
                "written_report",
                "critical_reflection",
                "supervision_note",
                "learning",
                "self_assessment",
                "other",
                name="evidencetype",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "accepted",
                "returned",
                "resubmitted",
                name="evidencestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("anonymised_confirmed", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("observer_name", sa.String(length=200), nullable=True),
        sa.Column("observer_is_registered", sa.Boolean(), nullable=True),
        sa.Column("setting", sa.String(length=200), nullable=True),
        sa.Column("feedback_source", sa.String(length=60), nullable=True),
        sa.Column("hours", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("report_kind", sa.String(length=100), nullable=True),
        sa.Column("milestone_code", sa.String(length=40), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_evidence_entry_author_id_user")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_evidence_entry_decided_by_id_user")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_evidence_entry_participant_id_participant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_entry")),
    )
    with op.batch_alter_table("evidence_entry", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_entry_participant_created", ["participant_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_entry_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(
            "ix_evidence_entry_participant_status_submitted", ["participant_id", "status", "submitted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evidence_entry_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_entry_submitted_at"), ["submitted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_entry_type"), ["type"], unique=False)

    op.create_table(
        "issued_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("generated_by_id", sa.Integer(), nullable=True),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], name=op.f("fk_issued_document_cohort_id_cohort")),
        sa.ForeignKeyConstraint(["generated_by_id"], ["user.id"], name=op.f("fk_issued_document_generated_by_id_user")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_issued_document_participant_id_participant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_document")),
        sa.UniqueConstraint("reference", name=op.f("uq_issued_document_reference")),
    )
    with op.batch_alter_table("issued_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_document_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_issued_document_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "agreement",
                "review",
                "final_review",
                "panel",
                "end_of_programme",
                name="milestonekind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("programme_year", sa.Integer(), nullable=False),
        sa.Column("months_due", sa.Integer(), nullable=False),
        sa.Column("is_optional", sa.Boolean(), nullable=False),
        sa.Column("needs_critical_reflection", sa.Boolean(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_milestone_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
        sa.UniqueConstraint("participant_id", "code", name=op.f("uq_milestone_participant_id_code")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index("ix_milestone_due_completed", ["due_date", "completed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestone_due_date"), ["due_date"], unique=False)

    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "recommendation",
            sa.Enum("pass", "fail", name="recommendation", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("recommended_by_id", sa.Integer(), nullable=False),
        sa.Column("recommended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "confirmed",
                "referred_back",
                name="outcomestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("panel_date", sa.Date(), nullable=True),
        sa.Column("panel_chair_id", sa.Integer(), nullable=True),
        sa.Column("panel_reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_outcome_decided_by_id_user")),
        sa.ForeignKeyConstraint(["panel_chair_id"], ["user.id"], name=op.f("fk_outcome_panel_chair_id_user")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_outcome_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["recommended_by_id"], ["user.id"], name=op.f("fk_outcome_recommended_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "pause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "sickness",
                "parental_leave",
                "bereavement",
                "insufficient_support",
                "part_time_change",
                "other",
                name="pausereason",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("expected_end", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_pause_created_by_id_user")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_pause_participant_id_participant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pause")),
    )
    with op.batch_alter_table("pause", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pause_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "protected_time_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("activity", sa.String(length=300), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_protected_time_log_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_protected_time_log_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protected_time_log")),
    )
    with op.batch_alter_table("protected_time_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protected_time_log_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index("ix_protected_time_log_participant_taken", ["participant_id", "taken_on"], unique=False)

    op.create_table(
        "self_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column(
            "point",
            sa.Enum(
                "start",
                "middle",
                "end",
                "year2",
                "year3",
                name="selfassessmentpoint",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"], ["framework_element.id"], name=op.f("fk_self_assessment_element_id_framework_element")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_self_assessment_participant_id_participant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment")),
    )
    with op.batch_alter_table("self_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_assessment_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "enrolled",
                "activated",
                "paused",
                "resumed",
                "fte_changed",
                "year_changed",
                "completed",
                "failed",
                "left",
                "withdrawn",
                name="statuseventkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("from_status", sa.String(length=40), nullable=True),
        sa.Column("to_status", sa.String(length=40), nullable=True),
        sa.Column("fte", sa.Numeric(precision=3, scale=2), nullable=True),
        sa.Column("programme_year", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column(
            "destination",
            sa.Enum(
                "other_local_authority",
                "agency",
                "left_social_work",
                "other",
                "unknown",
                name="leavingdestination",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], name=op.f("fk_status_event_actor_id_user")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_status_event_participant_id_participant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_event")),
    )
    with op.batch_alter_table("status_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_event_effective_on"), ["effective_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_status_event_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_status_event_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(
            "ix_status_event_participant_kind_on", ["participant_id", "kind", "effective_on"], unique=False
        )
        batch_op.create_index("ix_status_event_participant_on", ["participant_id", "effective_on"], unique=False)

    op.create_table(
        "supervision_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("was_held", sa.Boolean(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_supervision_session_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_supervision_session_recorded_by_id_user")
        ),
        sa.ForeignKeyConstraint(["supervisor_id"], ["user.id"], name=op.f("fk_supervision_session_supervisor_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_session")),
    )
    with op.batch_alter_table("supervision_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_session_held_on"), ["held_on"], unique=False)
        batch_op.create_index("ix_supervision_session_participant_held", ["participant_id", "held_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_session_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["evidence_entry.id"], name=op.f("fk_attachment_entry_id_evidence_entry"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user.id"], name=op.f("fk_attachment_uploaded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_attachment_stored_name")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "evidence_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], name=op.f("fk_evidence_event_actor_id_user")),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["evidence_entry.id"],
            name=op.f("fk_evidence_event_entry_id_evidence_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_event")),
    )
    with op.batch_alter_table("evidence_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_event_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "evidence_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"], ["framework_element.id"], name=op.f("fk_evidence_link_element_id_framework_element")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["evidence_entry.id"],
            name=op.f("fk_evidence_link_entry_id_evidence_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_link")),
        sa.UniqueConstraint("entry_id", "element_id", name=op.f("uq_evidence_link_entry_id_element_id")),
    )
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_link_element_id"), ["element_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_link_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column("programme_year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("evidence_entry_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["corrects_id"], ["rating.id"], name=op.f("fk_rating_corrects_id_rating")),
        sa.ForeignKeyConstraint(
            ["element_id"], ["framework_element.id"], name=op.f("fk_rating_element_id_framework_element")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_entry_id"], ["evidence_entry.id"], name=op.f("fk_rating_evidence_entry_id_evidence_entry")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_rating_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["rated_by_id"], ["user.id"], name=op.f("fk_rating_rated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating")),
    )
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rating_current", ["participant_id", "element_id", "programme_year", "id"], unique=False
        )

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("due", "held", "signed", name="reviewstatus", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("progress_summary", sa.Text(), nullable=False),
        sa.Column("on_track", sa.Boolean(), nullable=True),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("interim_assessment", sa.Text(), nullable=False),
        sa.Column("nqsw_comment", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("assessor_signed_by_id", sa.Integer(), nullable=True),
        sa.Column("assessor_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("nqsw_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_signed_by_id"], ["user.id"], name=op.f("fk_review_assessor_signed_by_id_user")
        ),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"], name=op.f("fk_review_milestone_id_milestone")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_review_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_review_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("milestone_id", name=op.f("uq_review_milestone_id")),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_participant_id"), ["participant_id"], unique=False)


def downgrade():
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_participant_id"))

    op.drop_table("review")
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_index("ix_rating_current")

    op.drop_table("rating")
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_link_entry_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_link_element_id"))

    op.drop_table("evidence_link")
    with op.batch_alter_table("evidence_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_event_entry_id"))

    op.drop_table("evidence_event")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_entry_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("supervision_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_session_participant_id"))
        batch_op.drop_index("ix_supervision_session_participant_held")
        batch_op.drop_index(batch_op.f("ix_supervision_session_held_on"))

    op.drop_table("supervision_session")
    with op.batch_alter_table("status_event", schema=None) as batch_op:
        batch_op.drop_index("ix_status_event_participant_on")
        batch_op.drop_index("ix_status_event_participant_kind_on")
        batch_op.drop_index(batch_op.f("ix_status_event_participant_id"))
        batch_op.drop_index(batch_op.f("ix_status_event_kind"))
        batch_op.drop_index(batch_op.f("ix_status_event_effective_on"))

    op.drop_table("status_event")
    with op.batch_alter_table("self_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_assessment_participant_id"))

    op.drop_table("self_assessment")
    with op.batch_alter_table("protected_time_log", schema=None) as batch_op:
        batch_op.drop_index("ix_protected_time_log_participant_taken")
        batch_op.drop_index(batch_op.f("ix_protected_time_log_participant_id"))

    op.drop_table("protected_time_log")
    with op.batch_alter_table("pause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pause_participant_id"))

    op.drop_table("pause")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_participant_id"))

    op.drop_table("outcome")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_due_date"))
        batch_op.drop_index("ix_milestone_due_completed")

    op.drop_table("milestone")
    with op.batch_alter_table("issued_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_document_participant_id"))
        batch_op.drop_index(batch_op.f("ix_issued_document_cohort_id"))

    op.drop_table("issued_document")
    with op.batch_alter_table("evidence_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_entry_type"))
        batch_op.drop_index(batch_op.f("ix_evidence_entry_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_evidence_entry_status"))
        batch_op.drop_index("ix_evidence_entry_participant_status_submitted")
        batch_op.drop_index(batch_op.f("ix_evidence_entry_participant_id"))
        batch_op.drop_index("ix_evidence_entry_participant_created")

    op.drop_table("evidence_entry")
    with op.batch_alter_table("concern", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_participant_id"))

    op.drop_table("concern")
    with op.batch_alter_table("caseload_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_caseload_snapshot_taken_on"))
        batch_op.drop_index("ix_caseload_snapshot_participant_taken")
        batch_op.drop_index(batch_op.f("ix_caseload_snapshot_participant_id"))

    op.drop_table("caseload_snapshot")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_participant_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_user_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_participant_id"))

    op.drop_table("assignment")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_user_id"))
        batch_op.drop_index(batch_op.f("ix_participant_status"))
        batch_op.drop_index(batch_op.f("ix_participant_cohort_id"))

    op.drop_table("participant")
    op.drop_table("element_mapping")
    with op.batch_alter_table("cohort_framework", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_framework_framework_id"))

    op.drop_table("cohort_framework")
    with op.batch_alter_table("batch_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_job_cohort_id"))

    op.drop_table("batch_job")
    op.drop_table("user_role")
    with op.batch_alter_table("reminder_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_log_user_id"))

    op.drop_table("reminder_log")
    op.drop_table("milestone_template")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_user_id"))

    op.drop_table("invitation")
    with op.batch_alter_table("framework_element", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_framework_element_framework_id"))

    op.drop_table("framework_element")
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_programme_id"))

    op.drop_table("cohort")
    op.drop_table("user")
    op.drop_table("programme")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempt_remote_addr"))
        batch_op.drop_index(batch_op.f("ix_login_attempt_email"))
        batch_op.drop_index(batch_op.f("ix_login_attempt_at"))

    op.drop_table("login_attempt")
    with op.batch_alter_table("framework", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_framework_code"))

    op.drop_table("framework")

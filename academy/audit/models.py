"""The audit trail: who did what to which record, when, with before and after."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.core.append_only import append_only
from academy.core.db import Base

if TYPE_CHECKING:  # the relationship is by name; the import is for the annotation only
    from academy.accounts.models import User


@append_only
class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    subject_type: Mapped[str] = mapped_column(sa.String(60))
    subject_id: Mapped[int | None]
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # The hash chain (academy/audit/chain.py): this event's hash covers its content and previous_hash.
    previous_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    actor: Mapped["User | None"] = relationship()


# Append-only in the database itself, not only through the ORM (core/append_only.py): a plain UPDATE,
# DELETE or TRUNCATE is refused. The migration that adds these runs the same statements.
REFUSAL = "audit events cannot be changed or deleted"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    for verb in ("UPDATE", "DELETE")
]
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION USING MESSAGE = '{REFUSAL} (' || TG_OP || ' refused)'; END $$",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()",
]
for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql"))

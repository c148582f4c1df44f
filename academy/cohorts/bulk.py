"""Writing a checked cohort import: the new accounts in bulk, then every row through the one enrolment writer."""

import sqlalchemy as sa

from academy.accounts.models import Role, User, UserRole
from academy.audit.services import audit_row, record_audit, record_audit_rows
from academy.cohorts.enrolment import check_cohort_open
from academy.cohorts.importer import ImportCheck, ImportRow
from academy.cohorts.models import Cohort
from academy.cohorts.services import Enrolee, enrol_many
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.extensions import db
from academy.participants.models import Participant


def import_rows(
    cohort: Cohort, check: ImportCheck, *, actor: User | None, source: str = ""
) -> list[tuple[Participant, bool]]:
    """Enrol every row of a clean check. Raises DomainError (the caller rolls back) on a problem.

    The rows were checked against the same rules enrol_participant applies; the writing is enrol_many,
    the same as for one person, so 2,000 rows take seconds.
    """
    if not check.ok:
        raise DomainError("The file has problems, so nothing was imported.")
    check_cohort_open(cohort)
    db.session.flush()
    users = _accounts(check.rows, actor)
    enrolees = [
        Enrolee(
            user,
            row.enrolment.start_date,
            row.enrolment.fte,
            row.enrolment.team,
            row.enrolment.swe_number,
            row.enrolment.employment_type,
            dict(row.enrolment.staff),
        )
        for row, user in zip(check.rows, users, strict=True)
    ]
    participants = enrol_many(cohort, enrolees, actor=actor)
    record_audit(
        actor,
        "cohort.imported",
        cohort,
        summary=f"Imported {len(check.rows)} people into {cohort.name}",
        after={"rows": len(check.rows), "new_accounts": check.new_accounts, "file": source},
    )
    return [(participant, row.user is None) for participant, row in zip(participants, check.rows, strict=True)]


def _accounts(rows: list[ImportRow], actor: User | None) -> list[User]:
    """Every row's account: new ones made without a password (they are invited), existing ones given the
    NQSW role; audited as create_user and add_roles audit one account."""
    at = now_utc()
    new = [row for row in rows if row.user is None]
    values = [
        {
            "email": row.enrolment.email,
            "name": f"{row.enrolment.given_name} {row.enrolment.family_name}".strip(),
            "active": True,
            "created_at": at,
        }
        for row in new
    ]
    new_ids = (
        list(db.session.scalars(sa.insert(User).returning(User.id, sort_by_parameter_order=True), values))
        if values
        else []
    )
    needs_role = [row.user for row in rows if row.user is not None and not row.user.has_role(Role.NQSW)]
    role_rows = [{"user_id": user_id, "role": Role.NQSW} for user_id in [*new_ids, *(u.id for u in needs_role)]]
    if role_rows:
        db.session.execute(sa.insert(UserRole), role_rows)
    audit = [
        audit_row(
            actor,
            "user.created",
            "User",
            user_id,
            summary=f"Created account for {value['email']}",
            after={"email": value["email"], "roles": [Role.NQSW.value]},
            at=at,
        )
        for user_id, value in zip(new_ids, values, strict=True)
    ]
    audit += [
        audit_row(
            actor,
            "user.roles_added",
            "User",
            user.id,
            summary=f"Gave {user.email} the roles {Role.NQSW.value}",
            after={"roles": [Role.NQSW.value]},
            at=at,
        )
        for user in needs_role
    ]
    record_audit_rows(audit)
    for user in needs_role:
        db.session.expire(user, ["role_rows"])
    made = {user.email: user for user in db.session.scalars(sa.select(User).where(User.id.in_(new_ids)))}
    return [row.user if row.user is not None else made[row.enrolment.email] for row in rows]

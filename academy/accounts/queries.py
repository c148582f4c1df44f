"""Read-side queries about people: loading an account, the people list, the staff a select offers."""

from collections.abc import Callable

import sqlalchemy as sa
from wtforms import SelectChoice

from academy.accounts.models import Invitation, Role, User
from academy.core.web import get_or_404
from academy.extensions import db


def load_account(user_id: int) -> User:
    """The account with this id, or 404. Use with `requires(rule, load=load_account)`."""
    return get_or_404(User, user_id)


def _staff_choices(blank: str, describe: Callable[[int], str] | None = None) -> list[tuple[int, str]]:
    """Active staff (the mentor role) for an assignment select; `describe(user_id)` adds to each label
    (what each already holds)."""
    staff = db.session.scalars(
        sa.select(User).where(User.role_rows.any(role=Role.MENTOR), User.active.is_(True)).order_by(User.name)
    ).all()
    return [
        SelectChoice(0, blank),
        *(SelectChoice(u.id, f"{u.name} ({u.email})" + (f": {describe(u.id)}" if describe else "")) for u in staff),
    ]


# The filters of the people list: (value, label).
PEOPLE_STATUSES = [
    ("", "Everyone"),
    ("active", "Active"),
    ("waiting", "Has not set a password yet"),
    ("not-emailed", "Invitation not emailed"),
    ("deactivated", "Deactivated"),
]
PEOPLE_ROLES = [("", "Any role"), *((role.value, role.label) for role in (Role.COORDINATOR, Role.MENTOR, Role.NQSW))]


def _latest_link_ids() -> sa.Subquery:
    return (
        sa.select(Invitation.user_id, sa.func.max(Invitation.id).label("latest_id"))
        .group_by(Invitation.user_id)
        .subquery()
    )


def people_query(search: str = "", role: str = "", status: str = "") -> sa.Select:
    """Every account, by name, matching `search` (part of a name or an email), a role and a status."""
    query = sa.select(User).order_by(sa.func.lower(User.name), User.id)
    words = search.strip().lower()
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            sa.or_(
                sa.func.lower(User.name).like(pattern, escape="\\"),
                sa.func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if role in {r.value for r in Role}:
        query = query.where(User.role_rows.any(role=Role(role)))
    if status == "active":
        query = query.where(User.active.is_(True), User.password_hash.is_not(None))
    elif status == "waiting":
        query = query.where(User.active.is_(True), User.password_hash.is_(None))
    elif status == "not-emailed":
        latest = _latest_link_ids()
        query = (
            query.outerjoin(latest, latest.c.user_id == User.id)
            .outerjoin(Invitation, Invitation.id == latest.c.latest_id)
            .where(User.active.is_(True), User.password_hash.is_(None), Invitation.emailed_at.is_(None))
        )
    elif status == "deactivated":
        query = query.where(User.active.is_(False))
    return query


def latest_links(user_ids: list[int]) -> dict[int, Invitation]:
    """The newest set-password link of each of these accounts (those that have one)."""
    if not user_ids:
        return {}
    latest = _latest_link_ids()
    rows = db.session.scalars(
        sa.select(Invitation).join(latest, Invitation.id == latest.c.latest_id).where(Invitation.user_id.in_(user_ids))
    ).all()
    return {row.user_id: row for row in rows}

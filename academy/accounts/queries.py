"""Read-side queries about people."""

import sqlalchemy as sa
from wtforms import SelectChoice

from academy.accounts.models import Role, User
from academy.extensions import db

# The participant page and its actions live in their own module, on this blueprint.


def _staff_choices(blank: str) -> list[tuple[int, str]]:
    staff = db.session.scalars(
        sa.select(User).where(User.role_rows.any(role=Role.MENTOR), User.active.is_(True)).order_by(User.name)
    ).all()
    return [SelectChoice(0, blank), *(SelectChoice(u.id, f"{u.name} ({u.email})") for u in staff)]

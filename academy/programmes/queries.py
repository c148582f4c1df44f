"""Loading programmes for views."""

import sqlalchemy as sa

from academy.core.web import get_or_404
from academy.extensions import db
from academy.programmes.models import Programme


def load_programme(programme_id: int) -> Programme:
    """The programme with this id, or 404. Use with `requires(rule, load=load_programme)`."""
    return get_or_404(Programme, programme_id)


def programmes_in_order() -> list[Programme]:
    """Every programme, the defaults first, then by name."""
    return list(db.session.scalars(sa.select(Programme).order_by(Programme.is_default.desc(), Programme.name)))

"""Small helpers the assessment pages share: loading a review for an action, and saving through a service."""

from collections.abc import Callable

from academy.assessment.forms import show_error
from academy.core.errors import DomainError
from academy.extensions import db


def committed(form, field: str, action: Callable[[], object]) -> bool:
    """Run one service call and commit; on a DomainError roll back, put its message on `field`, return False."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        show_error(form, error, field)
        return False
    db.session.commit()
    return True

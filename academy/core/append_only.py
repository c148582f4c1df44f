"""Records that may be added but never changed or removed: corrections are new rows."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from academy.core.errors import DomainError

_APPEND_ONLY: set[type] = set()


class AppendOnlyViolation(DomainError):
    """Raised when code tries to change or delete an append-only record."""


def append_only(cls: type) -> type:
    """Class decorator: instances of `cls` can be inserted but never updated or deleted."""
    _APPEND_ONLY.add(cls)
    return cls


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, flush_context, instances) -> None:
    for obj in session.dirty:
        if type(obj) in _APPEND_ONLY and session.is_modified(obj, include_collections=False):
            raise AppendOnlyViolation(f"{type(obj).__name__} records cannot be edited, only superseded.")
    for obj in session.deleted:
        if type(obj) in _APPEND_ONLY:
            raise AppendOnlyViolation(f"{type(obj).__name__} records cannot be deleted.")

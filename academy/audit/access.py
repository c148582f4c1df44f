"""Views and downloads of personal data, audited: who saw or took which person's data, and when.

A view or download is a GET, whose session is otherwise never committed, so the event is committed
here, after the page or file has been built (a page that fails to build records nothing).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Response, make_response
from flask_login import current_user

from academy.audit.models import AuditEvent
from academy.audit.services import record_audit
from academy.extensions import db

# describe(record) -> (what happened in words, the participant whose data it is, or None)
Describe = Callable[[Any], tuple[str, Any]]
View = Callable[..., Any]
# Every access event's action ends in one of these ("participant.viewed", "record.downloaded").
ACCESS_VERBS = ("viewed", "downloaded")


def is_access() -> sa.ColumnElement[bool]:
    """Audit events that record someone opening or downloading data, not a change (for lists of changes)."""
    return sa.or_(*(AuditEvent.action.endswith(f".{verb}") for verb in ACCESS_VERBS))


def record_access(action: str, subject: Any, summary: str, *, participant_id: int | None = None) -> None:
    """Record that the signed-in person viewed or downloaded `subject`, and commit it."""
    record_audit(current_user, action, subject, summary=summary, participant_id=participant_id)
    db.session.commit()


def audited_download(response: Response, action: str, subject: Any, summary: str, **kwargs: Any) -> Response:
    """Audit a download that has been built (when it succeeded) and return it: one call around the response.

    return audited_download(csv_download(rows, name), "census.downloaded", scope, "Downloaded the census")
    """
    if response.status_code == 200:
        record_access(action, subject, summary, **kwargs)
    return response


def audits_access(action: str, describe: Describe, *, own_too: bool = False) -> Callable[[View], View]:
    """Decorate a view of one person's data, under `requires(rule, load=...)`: once the page or file is
    built, record who opened it. Someone opening their own data is recorded only with `own_too` (for
    downloads), so an NQSW moving around their own portfolio does not flood the trail.

        @bp.get("/participants/<int:participant_id>")
        @requires(can_view_participant, load=load_participant)
        @audits_access("participant.viewed", lambda p: (f"Viewed the record of {p.name}", p))
        def participant(participant: Participant): ...
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def audited(record: Any, **url_args: Any) -> Response:
            response = make_response(view(record, **url_args))
            if response.status_code == 200:
                summary, participant = describe(record)
                if own_too or participant is None or participant.user_id != current_user.id:
                    participant_id = participant.id if participant is not None else None
                    record_access(action, record, summary, participant_id=participant_id)
            return response

        return audited

    return decorator

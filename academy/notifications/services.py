"""Announcing a hand-over: a notification in the app now, an email once the change is committed.

`notify` only adds a row and queues the email on the session; the email goes out after the commit
(so nobody is told about a change that was rolled back), through academy.core.mail.send_email. A
person who has turned a kind off gets it in the app only.
"""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core.db import now_utc
from academy.core.mail import send_email
from academy.extensions import db
from academy.notifications.models import EmailOptOut, Notification, NotificationKind

OUTBOX = "academy.notifications.outbox"  # session.info key: emails waiting for the commit
QUIET = "academy.notifications.quiet"  # session.info key: no emails (the demo's seeding)


def path_for(endpoint: str, **values: Any) -> str:
    """The site path of `endpoint`, inside a request or outside one (the command line)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def emails_wanted(user: User, kind: NotificationKind) -> bool:
    """Whether `user` wants `kind` by email (the default is yes)."""
    return not db.session.scalar(
        sa.select(EmailOptOut.id).where(EmailOptOut.user_id == user.id, EmailOptOut.kind == kind)
    )


def notify(
    recipients: Iterable[User | None],
    kind: NotificationKind,
    text: str,
    endpoint: str,
    *,
    by: User | None = None,
    **values: Any,
) -> list[Notification]:
    """Tell each recipient (once, never the person who acted) that `text`, linking to `endpoint`."""
    link = path_for(endpoint, **values)
    made: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.id in seen or (by is not None and user.id == by.id):
            continue
        seen.add(user.id)
        notification = Notification(recipient_id=user.id, kind=kind, text=text[:500], link=link)
        db.session.add(notification)
        made.append(notification)
        if user.is_active and emails_wanted(user, kind) and not db.session.info.get(QUIET):
            db.session.info.setdefault(OUTBOX, []).append((user.email, text, link))
    return made


def _email_body(text: str, link: str) -> str:
    base = current_app.config.get("ACADEMY_BASE_URL", "").rstrip("/")
    name = current_app.config.get("ACADEMY_NAME", "The academy")
    return (
        f"{text}\n\nOpen it here: {base}{link}\n\n"
        f"You can choose which notifications {name} emails you on your notification settings page: "
        f"{base}{path_for('notifications.settings')}\n"
    )


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    """Send the emails of a committed change. A failed send is logged; the notification is in the app."""
    outbox = session.info.pop(OUTBOX, [])
    for to, text, link in outbox:
        try:
            send_email(to, text, _email_body(text, link))
        except Exception:  # a mail server's failure must not undo or break a committed change
            current_app.logger.warning("Notification email to %s could not be sent", to, exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    """Nothing happened, so nobody is told."""
    session.info.pop(OUTBOX, None)


def mark_read(notification: Notification, *, by: User) -> Notification:
    """The recipient has opened the notification."""
    if notification.read_at is None and notification.recipient_id == by.id:
        notification.read_at = now_utc()
    return notification


def mark_all_read(*, by: User) -> int:
    """Every unread notification of `by` is marked read; returns how many."""
    unread = db.session.scalars(
        sa.select(Notification).where(Notification.recipient_id == by.id, Notification.read_at.is_(None))
    ).all()
    for notification in unread:
        notification.read_at = now_utc()
    return len(unread)


def set_email_kinds(user: User, wanted: Iterable[NotificationKind | str], *, by: User) -> None:
    """`user` gets email for the kinds in `wanted` and for no other kind."""
    wanted_kinds = {NotificationKind(kind) for kind in wanted}
    current = {o.kind: o for o in db.session.scalars(sa.select(EmailOptOut).where(EmailOptOut.user_id == user.id))}
    before = sorted(kind.value for kind in NotificationKind if kind not in current)
    for kind in NotificationKind:
        if kind in wanted_kinds and kind in current:
            db.session.delete(current[kind])
        elif kind not in wanted_kinds and kind not in current:
            db.session.add(EmailOptOut(user_id=user.id, kind=kind))
    after = sorted(kind.value for kind in wanted_kinds)
    if before != after:
        record_audit(
            by,
            "notifications.email_settings_changed",
            user,
            summary=f"{user.name} chose which notifications are emailed to them",
            before={"emailed": before},
            after={"emailed": after},
        )

"""Announcing a hand-over: a notification in the app now, an email once the change is committed.

`notify` adds a row marked `email_pending` in the same transaction as the change; the email goes out
after the commit (so nobody is told about a change that was rolled back), through
academy.core.mail.send_email, and the row records whether a mail server took it. One that could not
be sent stays pending and `flask --app wsgi academy send-mail` (run from cron) sends it again, up to
MAX_EMAIL_ATTEMPTS times. A person who has turned a kind off gets it in the app only.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, flash, has_request_context, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core.db import now_utc
from academy.core.mail import DeliveryStatus, send_email
from academy.extensions import db
from academy.notifications.models import EmailOptOut, Notification, NotificationKind

OUTBOX = "academy.notifications.outbox"  # session.info key: notifications whose email waits for the commit
SENDING = "academy.notifications.sending"  # session.info key: their ids, once flushed
MAX_EMAIL_ATTEMPTS = 10
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
            notification.email_pending = True
            db.session.info.setdefault(OUTBOX, []).append(notification)
    return made


def _email_body(text: str, link: str) -> str:
    base = current_app.config.get("ACADEMY_BASE_URL", "").rstrip("/")
    name = current_app.config.get("ACADEMY_NAME", "The academy")
    return (
        f"{text}\n\nOpen it here: {base}{link}\n\n"
        f"You can choose which notifications {name} emails you on your notification settings page: "
        f"{base}{path_for('notifications.settings')}\n"
    )


@event.listens_for(Session, "before_commit")
def _note_emails_to_send(session: Session) -> None:
    """The ids of the notifications to email once this commit has succeeded."""
    waiting = session.info.pop(OUTBOX, [])
    if waiting:
        session.flush()
        session.info[SENDING] = [n.id for n in waiting]


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    """Send the emails of a committed change. One that fails stays pending, for `send-mail` to retry."""
    ids = session.info.pop(SENDING, [])
    if not ids:
        return
    try:
        run = send_pending_emails(ids, bind=session.get_bind())
    except Exception:  # a mail server's failure must not undo or break a committed change
        current_app.logger.warning("Notification emails %s could not be sent", ids, exc_info=True)
        run = MailRun(failed=len(ids))
    if run.failed and has_request_context():
        # The person who acted sees it on the next page: their change is saved, the email will follow.
        flash(_email_failed_message(run.failed), "error")


def _email_failed_message(failed: int) -> str:
    people = "1 person" if failed == 1 else f"{failed} people"
    return (
        f"Saved, but the email telling {people} about it could not be sent just now. They see it in their "
        "notifications here, and the email will be sent again."
    )


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    """Nothing happened, so nobody is told."""
    session.info.pop(OUTBOX, None)
    session.info.pop(SENDING, None)


@dataclass
class MailRun:
    sent: int = 0
    failed: int = 0


def send_pending_emails(ids: Iterable[int] | None = None, *, bind=None) -> MailRun:
    """Email each pending notification (those in `ids`, or all), recording each outcome as it goes.

    Runs in a session of its own, so it can follow a commit (the committing session may not be used
    then) and so each outcome is committed before the next message is tried."""
    run = MailRun()
    with Session(bind=bind or db.session.get_bind(), join_transaction_mode="create_savepoint") as session:
        query = sa.select(Notification.id).where(
            Notification.email_pending.is_(True), Notification.email_attempts < MAX_EMAIL_ATTEMPTS
        )
        if ids is not None:
            query = query.where(Notification.id.in_(list(ids)))
        for notification_id in session.scalars(query.order_by(Notification.id)).all():
            notification = session.get_one(Notification, notification_id)
            delivery = send_email(
                notification.recipient.email, notification.text, _email_body(notification.text, notification.link)
            )
            notification.email_attempts += 1
            if delivery.status != DeliveryStatus.FAILED:  # taken by a mail server, or kept in the dev outbox
                notification.email_pending = False
                notification.emailed_at = now_utc() if delivery.sent else None
                run.sent += delivery.sent
            else:
                run.failed += 1
            session.commit()
    return run


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

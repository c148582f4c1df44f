"""Loading notifications and counting the unread ones."""

import sqlalchemy as sa

from academy.accounts.models import User
from academy.core.web import get_or_404
from academy.extensions import db
from academy.notifications.models import EmailOptOut, Notification, NotificationKind


def load_notification(notification_id: int) -> Notification:
    """The notification with this id, or 404 (the rule then checks it is the viewer's)."""
    return get_or_404(Notification, notification_id)


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.recipient_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def unread_for(user: User, limit: int = 10) -> list[Notification]:
    """The newest unread notifications of `user`."""
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def notifications_of(user: User) -> sa.Select:
    """Every notification of `user`, newest first (for pagination)."""
    return (
        sa.select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def emailed_kinds(user: User) -> set[NotificationKind]:
    """The kinds `user` receives by email."""
    off = set(db.session.scalars(sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)))
    return {kind for kind in NotificationKind if kind not in off}
